-- People ops counts adoptions, returns to owner and transfers to partners as live releases.
-- Live releases in volunteer_impact (by the is_live_release flag and by the 'live_release'
-- category) must equal the number of those outcomes in the hub's fct_animal_outcomes.
-- If the hub changes which outcomes count as live releases, this test fails.
with

impact as (

    select * from {{ ref('volunteer_impact') }}

),

outcomes as (

    select * from {{ ref('data_platform', 'fct_animal_outcomes') }}

),

impact_totals as (

    select
        coalesce(sum(live_releases), 0) as live_releases_by_flag,
        coalesce(sum(live_release_outcomes), 0) as live_releases_by_category

    from impact

),

hub_totals as (

    select
        count(*) filter (
            where outcome_type in ('adoption', 'return_to_owner', 'transfer_to_partner')
        ) as expected_live_releases,
        count(*) filter (where is_live_release) as hub_live_releases

    from outcomes

),

final as (

    select *

    from impact_totals
    cross join hub_totals
    where live_releases_by_flag != expected_live_releases
        or live_releases_by_category != expected_live_releases
        or hub_live_releases != expected_live_releases

)

select * from final
