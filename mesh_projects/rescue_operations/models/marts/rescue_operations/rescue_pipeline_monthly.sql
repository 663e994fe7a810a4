-- Animals coming in against animals leaving care, per region and month. A
-- positive net intake means the region's shelters are filling up.
with

regions as (

    select * from {{ ref('data_platform', 'dim_regions') }}

),

calendar as (

    select * from {{ ref('data_platform', 'dim_calendar') }}

),

reporting_date as (

    select * from {{ ref('int_rescue_reporting_date') }}

),

intakes as (

    select * from {{ ref('data_platform', 'int_intakes_enriched') }}

),

outcomes as (

    select * from {{ ref('data_platform', 'fct_animal_outcomes') }}

),

region_months as (

    select distinct
        regions.region_id,
        calendar.month_start

    from regions
    cross join reporting_date
    inner join calendar
        on calendar.date_day <= reporting_date.reporting_date

),

intakes_per_month as (

    select
        region_id,
        cast(date_trunc('month', intake_date) as date) as month_start,
        count(*) as intake_count,
        count(*) filter (where is_rural_rescue) as rural_rescue_intake_count

    from intakes
    group by 1, 2

),

outcomes_per_month as (

    select
        region_id,
        cast(date_trunc('month', outcome_date) as date) as month_start,
        count(*) as outcome_count,
        count(*) filter (where outcome_category = 'live_release') as live_release_count,
        count(*) filter (where outcome_category = 'non_live') as non_live_outcome_count,
        count(*) filter (where outcome_category = 'other') as other_outcome_count

    from outcomes
    group by 1, 2

),

joined as (

    select
        region_months.region_id,
        region_months.month_start,
        cast(coalesce(intakes_per_month.intake_count, 0) as integer) as intake_count,
        cast(coalesce(intakes_per_month.rural_rescue_intake_count, 0) as integer)
            as rural_rescue_intake_count,
        cast(coalesce(outcomes_per_month.outcome_count, 0) as integer) as outcome_count,
        cast(coalesce(outcomes_per_month.live_release_count, 0) as integer) as live_release_count,
        cast(coalesce(outcomes_per_month.non_live_outcome_count, 0) as integer)
            as non_live_outcome_count,
        cast(coalesce(outcomes_per_month.other_outcome_count, 0) as integer) as other_outcome_count

    from region_months
    left join intakes_per_month
        on region_months.region_id = intakes_per_month.region_id
        and region_months.month_start = intakes_per_month.month_start
    left join outcomes_per_month
        on region_months.region_id = outcomes_per_month.region_id
        and region_months.month_start = outcomes_per_month.month_start

),

final as (

    select
        *,
        intake_count - outcome_count as net_intake_count,
        round(live_release_count / nullif(outcome_count, 0), 4) as live_release_rate

    from joined

)

select * from final
