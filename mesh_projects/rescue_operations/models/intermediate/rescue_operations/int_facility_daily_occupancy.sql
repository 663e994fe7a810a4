-- Counts the animals in each facility's care at the end of each day: animals in
-- a shelter stay, or in a foster home of a foster network. A stay counts on the
-- days from its start up to, not including, its end day.
with

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

calendar as (

    select * from {{ ref('data_platform', 'dim_calendar') }}

),

reporting_date as (

    select * from {{ ref('int_rescue_reporting_date') }}

),

shelter_stays as (

    select * from {{ ref('int_shelter_stays_measured') }}

),

foster_placements as (

    select * from {{ ref('int_foster_placements_measured') }}

),

care_periods as (

    select facility_id, animal_id, start_date, end_date from shelter_stays
    union all
    select facility_id, animal_id, start_date, end_date from foster_placements

),

facility_days as (

    select
        facilities.facility_id,
        calendar.date_day,
        calendar.month_start

    from facilities
    cross join reporting_date
    inner join calendar
        on calendar.date_day >= facilities.opened_date
        and calendar.date_day <= reporting_date.reporting_date

),

animals_present as (

    select
        care_periods.facility_id,
        calendar.date_day,
        count(*) as animals_in_care

    from care_periods
    cross join reporting_date
    inner join calendar
        on calendar.date_day >= care_periods.start_date
        and calendar.date_day < coalesce(care_periods.end_date, reporting_date.reporting_date + 1)
    group by care_periods.facility_id, calendar.date_day

),

final as (

    select
        facility_days.facility_id,
        facility_days.date_day,
        facility_days.month_start,
        cast(coalesce(animals_present.animals_in_care, 0) as integer) as animals_in_care

    from facility_days
    left join animals_present
        on facility_days.facility_id = animals_present.facility_id
        and facility_days.date_day = animals_present.date_day

)

select * from final
