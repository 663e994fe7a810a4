-- The last day the shelter system has recorded any activity. Stays and foster
-- placements that are still open are measured up to this day, and monthly
-- reports stop at its month.
with

intakes as (

    select * from {{ ref('data_platform', 'stg_shelter_system__intakes') }}

),

outcomes as (

    select * from {{ ref('data_platform', 'stg_shelter_system__outcomes') }}

),

shelter_stays as (

    select * from {{ ref('data_platform', 'stg_shelter_system__shelter_stays') }}

),

foster_placements as (

    select * from {{ ref('data_platform', 'stg_shelter_system__foster_placements') }}

),

activity_dates as (

    select intake_date as activity_date from intakes
    union all
    select outcome_date from outcomes
    union all
    select coalesce(end_date, start_date) from shelter_stays
    union all
    select coalesce(end_date, start_date) from foster_placements

),

final as (

    select max(activity_date) as reporting_date

    from activity_dates

)

select * from final
