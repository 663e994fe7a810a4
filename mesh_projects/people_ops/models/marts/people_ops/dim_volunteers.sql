-- One row per volunteer, with home facility, lifetime shifts and hours, and foster placements.
with

volunteers as (

    select * from {{ ref('data_platform', 'stg_volunteer_portal__volunteers') }}

),

hours_monthly as (

    select * from {{ ref('data_platform', 'int_volunteer_hours_monthly') }}

),

placements as (

    select * from {{ ref('int_foster_placements_enriched') }}

),

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

lifetime_hours as (

    select
        volunteer_id,
        min(month_start) as first_shift_month,
        max(month_start) as last_shift_month,
        cast(sum(shift_count) as integer) as lifetime_shift_count,
        cast(sum(volunteer_hours) as decimal(12, 2)) as lifetime_volunteer_hours

    from hours_monthly
    group by volunteer_id

),

foster_history as (

    select
        volunteer_id,
        cast(count(*) as integer) as foster_placement_count,
        cast(count(*) filter (where is_open_placement) as integer) as open_foster_placement_count

    from placements
    group by volunteer_id

),

final as (

    select
        volunteers.volunteer_id,
        volunteers.first_name,
        volunteers.last_name,
        volunteers.email,
        volunteers.home_facility_id,
        facilities.facility_name as home_facility_name,
        facilities.region_id as home_region_id,
        volunteers.joined_date,
        volunteers.status,
        volunteers.is_foster_carer,
        lifetime_hours.first_shift_month,
        lifetime_hours.last_shift_month,
        coalesce(lifetime_hours.lifetime_shift_count, 0) as lifetime_shift_count,
        coalesce(lifetime_hours.lifetime_volunteer_hours, 0) as lifetime_volunteer_hours,
        coalesce(foster_history.foster_placement_count, 0) as foster_placement_count,
        coalesce(foster_history.open_foster_placement_count, 0) as open_foster_placement_count

    from volunteers
    left join facilities
        on volunteers.home_facility_id = facilities.facility_id
    left join lifetime_hours
        on volunteers.volunteer_id = lifetime_hours.volunteer_id
    left join foster_history
        on volunteers.volunteer_id = foster_history.volunteer_id

)

select * from final
