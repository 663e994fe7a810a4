-- Volunteer time rolled up to one row per volunteer, facility and month.
with

shifts as (

    select * from {{ ref('stg_volunteer_portal__volunteer_shifts') }}

),

shifts_with_month as (

    select
        volunteer_id,
        facility_id,
        cast(date_trunc('month', shift_date) as date) as month_start,
        hours

    from shifts

),

final as (

    select
        volunteer_id,
        facility_id,
        month_start,
        cast(count(*) as integer) as shift_count,
        cast(sum(hours) as decimal(10, 2)) as volunteer_hours

    from shifts_with_month
    group by volunteer_id, facility_id, month_start

)

select * from final
