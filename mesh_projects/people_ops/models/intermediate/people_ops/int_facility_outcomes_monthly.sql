-- Animal outcomes counted per facility, month and outcome category, from the hub's
-- fct_animal_outcomes. People ops relies on the three categories it knows today.
with

outcomes as (

    select * from {{ ref('data_platform', 'fct_animal_outcomes') }}

),

outcomes_with_month as (

    select
        facility_id,
        cast(date_trunc('month', outcome_date) as date) as month_start,
        outcome_category,
        animal_id,
        is_live_release

    from outcomes

),

final as (

    select
        facility_id || '|' || cast(month_start as varchar) || '|' || outcome_category
            as facility_month_category_id,
        facility_id,
        month_start,
        outcome_category,
        cast(count(*) as integer) as outcome_count,
        cast(count(distinct animal_id) as integer) as animal_count,
        cast(count(*) filter (where is_live_release) as integer) as live_release_count

    from outcomes_with_month
    group by facility_id, month_start, outcome_category

)

select * from final
