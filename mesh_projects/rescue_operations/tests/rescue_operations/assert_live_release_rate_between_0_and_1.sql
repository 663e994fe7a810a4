-- A live-release rate is a share of outcomes, so it lies between 0 and 1.
select
    'shelter_performance' as model_name,
    facility_id || ' ' || year_number as row_key,
    live_release_rate

from {{ ref('shelter_performance') }}
where live_release_rate < 0 or live_release_rate > 1

union all

select
    'rescue_pipeline_monthly' as model_name,
    region_id || ' ' || month_start as row_key,
    live_release_rate

from {{ ref('rescue_pipeline_monthly') }}
where live_release_rate < 0 or live_release_rate > 1
