-- Live releases reported in volunteer_impact must equal the live releases in the hub's
-- fct_animal_outcomes, counted both by the is_live_release flag and by the 'live_release'
-- outcome category. If the hub changes which outcomes count as live releases, this fails.
with

impact as (

    select * from {{ ref('volunteer_impact') }}

),

outcomes as (

    select * from {{ ref('fct_animal_outcomes') }}

),

impact_totals as (

    select
        coalesce(sum(live_releases), 0) as live_releases_by_flag,
        coalesce(sum(live_release_outcomes), 0) as live_releases_by_category

    from impact

),

hub_totals as (

    select count(*) filter (where is_live_release) as hub_live_releases

    from outcomes

),

final as (

    select *

    from impact_totals
    cross join hub_totals
    where live_releases_by_flag != hub_live_releases
        or live_releases_by_category != hub_live_releases

)

select * from final
