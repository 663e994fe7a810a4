-- The monthly roll-up must keep every shift and every hour from the volunteer portal.
with

monthly as (

    select * from {{ ref('int_volunteer_hours_monthly') }}

),

shifts as (

    select * from {{ ref('stg_volunteer_portal__volunteer_shifts') }}

),

monthly_totals as (

    select
        coalesce(sum(shift_count), 0) as monthly_shifts,
        coalesce(sum(volunteer_hours), 0) as monthly_hours

    from monthly

),

shift_totals as (

    select
        count(*) as portal_shifts,
        coalesce(sum(hours), 0) as portal_hours

    from shifts

),

final as (

    select *

    from monthly_totals
    cross join shift_totals
    where monthly_shifts != portal_shifts
        or monthly_hours != portal_hours

)

select * from final
