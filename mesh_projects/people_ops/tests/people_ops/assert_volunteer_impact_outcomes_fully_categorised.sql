-- Every outcome counted in volunteer_impact must fall in one of the three categories people
-- ops reports on. A new or renamed category in the hub would leave outcomes uncounted here.
with

impact as (

    select * from {{ ref('volunteer_impact') }}

),

final as (

    select
        facility_month_id,
        outcome_count,
        live_release_outcomes,
        non_live_outcomes,
        other_outcomes

    from impact
    where live_release_outcomes + non_live_outcomes + other_outcomes != outcome_count

)

select * from final
