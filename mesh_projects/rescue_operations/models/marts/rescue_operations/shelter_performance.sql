-- The yearly figures shelter leads quote in grant applications. Intakes count
-- at the facility that took the animal in, outcomes at the facility where the
-- animal left care, and length of stay over shelter stays that ended that year.
with

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

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

shelter_stays as (

    select * from {{ ref('int_shelter_stays_measured') }}

),

facility_years as (

    select distinct
        facilities.facility_id,
        calendar.year_number

    from facilities
    cross join reporting_date
    inner join calendar
        on calendar.date_day >= facilities.opened_date
        and calendar.date_day <= reporting_date.reporting_date

),

intakes_per_year as (

    select
        facility_id,
        year(intake_date) as year_number,
        count(*) as intake_count,
        count(*) filter (where is_rural_rescue) as rural_rescue_intake_count

    from intakes
    group by facility_id, year(intake_date)

),

outcomes_per_year as (

    select
        facility_id,
        year(outcome_date) as year_number,
        count(*) as outcome_count,
        count(*) filter (where is_live_release) as live_release_count,
        avg(days_in_care) as average_days_in_care

    from outcomes
    group by facility_id, year(outcome_date)

),

stays_per_year as (

    select
        facility_id,
        year(end_date) as year_number,
        count(*) as completed_stay_count,
        avg(stay_days) as average_length_of_stay_days

    from shelter_stays
    where not is_current
    group by facility_id, year(end_date)

),

joined as (

    select
        facility_years.facility_id,
        facility_years.year_number,
        cast(coalesce(intakes_per_year.intake_count, 0) as integer) as intake_count,
        cast(coalesce(intakes_per_year.rural_rescue_intake_count, 0) as integer)
            as rural_rescue_intake_count,
        cast(coalesce(outcomes_per_year.outcome_count, 0) as integer) as outcome_count,
        cast(coalesce(outcomes_per_year.live_release_count, 0) as integer) as live_release_count,
        cast(coalesce(stays_per_year.completed_stay_count, 0) as integer) as completed_stay_count,
        stays_per_year.average_length_of_stay_days,
        outcomes_per_year.average_days_in_care

    from facility_years
    left join intakes_per_year
        on facility_years.facility_id = intakes_per_year.facility_id
        and facility_years.year_number = intakes_per_year.year_number
    left join outcomes_per_year
        on facility_years.facility_id = outcomes_per_year.facility_id
        and facility_years.year_number = outcomes_per_year.year_number
    left join stays_per_year
        on facility_years.facility_id = stays_per_year.facility_id
        and facility_years.year_number = stays_per_year.year_number

),

final as (

    select
        joined.facility_id,
        facilities.facility_name,
        facilities.facility_type,
        facilities.region_id,
        joined.year_number,
        joined.intake_count,
        joined.rural_rescue_intake_count,
        joined.outcome_count,
        joined.live_release_count,
        round(joined.live_release_count / nullif(joined.outcome_count, 0), 4) as live_release_rate,
        joined.completed_stay_count,
        round(joined.average_length_of_stay_days, 1) as average_length_of_stay_days,
        round(joined.average_days_in_care, 1) as average_days_in_care

    from joined
    left join facilities
        on joined.facility_id = facilities.facility_id

)

select * from final
