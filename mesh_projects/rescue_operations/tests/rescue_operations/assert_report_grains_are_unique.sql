-- The reports keyed by more than one column hold one row per key.
with

facility_days as (

    select 'int_facility_daily_occupancy' as model_name, facility_id || ' ' || date_day as row_key
    from {{ ref('int_facility_daily_occupancy') }}

),

facility_years as (

    select 'shelter_performance' as model_name, facility_id || ' ' || year_number as row_key
    from {{ ref('shelter_performance') }}

),

region_months as (

    select 'rescue_pipeline_monthly' as model_name, region_id || ' ' || month_start as row_key
    from {{ ref('rescue_pipeline_monthly') }}

),

facility_months as (

    select 'facility_occupancy_monthly' as model_name, facility_id || ' ' || month_start as row_key
    from {{ ref('facility_occupancy_monthly') }}

),

centre_months as (

    select 'adoption_centre_kpis' as model_name, facility_id || ' ' || month_start as row_key
    from {{ ref('adoption_centre_kpis') }}

),

all_keys as (

    select * from facility_days
    union all
    select * from facility_years
    union all
    select * from region_months
    union all
    select * from facility_months
    union all
    select * from centre_months

)

select
    model_name,
    row_key,
    count(*) as row_count

from all_keys
group by model_name, row_key
having count(*) > 1
