-- One row per facility and month with volunteer shifts or animal outcomes: volunteer effort
-- beside the outcomes of the animals in that facility's care.
with

hours_monthly as (

    select * from {{ ref('data_platform', 'int_volunteer_hours_monthly') }}

),

outcomes as (

    select * from {{ ref('data_platform', 'fct_animal_outcomes') }}

),

outcomes_by_category as (

    select * from {{ ref('int_facility_outcomes_monthly') }}

),

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

volunteering as (

    select
        facility_id,
        month_start,
        cast(count(distinct volunteer_id) as integer) as volunteer_count,
        cast(sum(shift_count) as integer) as shift_count,
        cast(sum(volunteer_hours) as decimal(12, 2)) as volunteer_hours

    from hours_monthly
    group by facility_id, month_start

),

outcome_totals as (

    select
        facility_id,
        cast(date_trunc('month', outcome_date) as date) as month_start,
        cast(count(*) as integer) as outcome_count,
        cast(count(distinct animal_id) as integer) as animals_with_outcome,
        cast(count(*) filter (where is_live_release) as integer) as live_releases

    from outcomes
    group by facility_id, month_start

),

category_counts as (

    select
        facility_id,
        month_start,
        cast(sum(outcome_count) filter (where outcome_category = 'live_release') as integer)
            as live_release_outcomes,
        cast(sum(outcome_count) filter (where outcome_category = 'non_live') as integer)
            as non_live_outcomes,
        cast(sum(outcome_count) filter (where outcome_category = 'other') as integer)
            as other_outcomes

    from outcomes_by_category
    group by facility_id, month_start

),

facility_months as (

    select facility_id, month_start from volunteering
    union
    select facility_id, month_start from outcome_totals

),

joined as (

    select
        facility_months.facility_id,
        facility_months.month_start,
        facilities.facility_type,
        facilities.region_id,
        coalesce(volunteering.volunteer_count, 0) as volunteer_count,
        coalesce(volunteering.shift_count, 0) as shift_count,
        coalesce(volunteering.volunteer_hours, 0) as volunteer_hours,
        coalesce(outcome_totals.outcome_count, 0) as outcome_count,
        coalesce(outcome_totals.animals_with_outcome, 0) as animals_with_outcome,
        coalesce(category_counts.live_release_outcomes, 0) as live_release_outcomes,
        coalesce(category_counts.non_live_outcomes, 0) as non_live_outcomes,
        coalesce(category_counts.other_outcomes, 0) as other_outcomes,
        coalesce(outcome_totals.live_releases, 0) as live_releases

    from facility_months
    left join facilities
        on facility_months.facility_id = facilities.facility_id
    left join volunteering
        on facility_months.facility_id = volunteering.facility_id
        and facility_months.month_start = volunteering.month_start
    left join outcome_totals
        on facility_months.facility_id = outcome_totals.facility_id
        and facility_months.month_start = outcome_totals.month_start
    left join category_counts
        on facility_months.facility_id = category_counts.facility_id
        and facility_months.month_start = category_counts.month_start

),

final as (

    select
        facility_id || '|' || cast(month_start as varchar) as facility_month_id,
        *,
        cast(live_releases / nullif(outcome_count, 0) as decimal(5, 4)) as live_release_rate,
        cast(volunteer_hours / nullif(live_releases, 0) as decimal(10, 2))
            as volunteer_hours_per_live_release

    from joined

)

select * from final
