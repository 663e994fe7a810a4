-- One row per volunteer shift, with the facility's type and region.
with

shifts as (

    select * from {{ ref('data_platform', 'stg_volunteer_portal__volunteer_shifts') }}

),

volunteers as (

    select * from {{ ref('data_platform', 'stg_volunteer_portal__volunteers') }}

),

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

final as (

    select
        shifts.shift_id,
        shifts.volunteer_id,
        shifts.facility_id,
        facilities.facility_type,
        facilities.region_id,
        shifts.shift_date,
        cast(date_trunc('month', shifts.shift_date) as date) as month_start,
        shifts.hours,
        shifts.activity,
        shifts.facility_id = volunteers.home_facility_id as is_home_facility_shift

    from shifts
    left join volunteers
        on shifts.volunteer_id = volunteers.volunteer_id
    left join facilities
        on shifts.facility_id = facilities.facility_id

)

select * from final
