with

foster_placements as (

    select * from {{ ref('data_platform', 'stg_shelter_system__foster_placements') }}

),

reporting_date as (

    select * from {{ ref('int_rescue_reporting_date') }}

),

measured as (

    select
        foster_placements.placement_id,
        foster_placements.animal_id,
        foster_placements.intake_id,
        foster_placements.facility_id,
        foster_placements.volunteer_id,
        foster_placements.start_date,
        foster_placements.end_date,
        foster_placements.end_date is null as is_current,
        coalesce(foster_placements.end_date, reporting_date.reporting_date) as measured_end_date

    from foster_placements
    cross join reporting_date

),

final as (

    select
        *,
        cast(date_diff('day', start_date, measured_end_date) as integer) as placement_days

    from measured

)

select * from final
