with

shelter_stays as (

    select * from {{ ref('data_platform', 'stg_shelter_system__shelter_stays') }}

),

reporting_date as (

    select * from {{ ref('int_rescue_reporting_date') }}

),

measured as (

    select
        shelter_stays.stay_id,
        shelter_stays.animal_id,
        shelter_stays.intake_id,
        shelter_stays.facility_id,
        shelter_stays.kennel_code,
        shelter_stays.start_date,
        shelter_stays.end_date,
        shelter_stays.end_date is null as is_current,
        coalesce(shelter_stays.end_date, reporting_date.reporting_date) as measured_end_date

    from shelter_stays
    cross join reporting_date

),

final as (

    select
        *,
        cast(date_diff('day', start_date, measured_end_date) as integer) as stay_days

    from measured

)

select * from final
