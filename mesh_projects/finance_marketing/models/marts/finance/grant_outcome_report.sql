-- What each funder paid for and what happened in its region during its period.
-- Reads animal outcomes (core) and intakes and transports (rescue operations).
with

grants as (

    select * from {{ ref('data_platform', 'stg_donor_crm__grants') }}

),

outcomes as (

    select * from {{ ref('data_platform', 'fct_animal_outcomes') }}

),

intakes as (

    select * from {{ ref('data_platform', 'int_intakes_enriched') }}

),

transports as (

    select * from {{ ref('data_platform', 'int_transports_routed') }}

),

expenses as (

    select * from {{ ref('fct_expenses') }}

),

grant_outcomes as (

    select
        grants.grant_id,
        count(outcomes.outcome_id) as outcome_count,
        count(outcomes.outcome_id) filter (where outcomes.is_live_release) as live_release_count

    from grants
    left join outcomes
        on outcomes.region_id = grants.reporting_region_id
        and outcomes.outcome_date between grants.start_date and grants.end_date
    group by grants.grant_id

),

grant_rural_rescues as (

    select
        grants.grant_id,
        count(intakes.intake_id) as rural_rescue_count

    from grants
    left join intakes
        on intakes.region_id = grants.reporting_region_id
        and intakes.intake_date between grants.start_date and grants.end_date
        and intakes.is_rural_rescue
    group by grants.grant_id

),

grant_transports as (

    select
        grants.grant_id,
        count(transports.transport_id) as transport_count,
        count(transports.transport_id) filter (where transports.is_rural_to_city)
            as rural_to_city_transport_count,
        coalesce(sum(transports.distance_miles), 0) as transport_miles

    from grants
    left join transports
        on grants.reporting_region_id in (transports.from_region_id, transports.to_region_id)
        and cast(transports.departed_at as date) between grants.start_date and grants.end_date
    group by grants.grant_id

),

grant_spending as (

    select
        grant_id,
        sum(amount_usd) as grant_expenses_usd

    from expenses
    where grant_id is not null
    group by grant_id

),

final as (

    select
        grants.grant_id,
        grants.funder_name,
        grants.purpose,
        grants.reporting_region_id,
        grants.awarded_date,
        grants.start_date,
        grants.end_date,
        grants.amount_usd,
        cast(coalesce(grant_spending.grant_expenses_usd, 0) as decimal(14, 2)) as grant_expenses_usd,
        grants.target_live_releases,
        cast(grant_outcomes.live_release_count as integer) as achieved_live_releases,
        cast(grant_outcomes.outcome_count as integer) as outcome_count,
        round(grant_outcomes.live_release_count / nullif(grant_outcomes.outcome_count, 0), 4)
            as live_release_rate,
        round(100.0 * grant_outcomes.live_release_count / nullif(grants.target_live_releases, 0), 1)
            as percent_of_target,
        grant_outcomes.live_release_count >= grants.target_live_releases as is_target_met,
        cast(grant_rural_rescues.rural_rescue_count as integer) as rural_rescue_count,
        cast(grant_transports.transport_count as integer) as transport_count,
        cast(grant_transports.rural_to_city_transport_count as integer)
            as rural_to_city_transport_count,
        cast(grant_transports.transport_miles as integer) as transport_miles

    from grants
    left join grant_outcomes
        on grants.grant_id = grant_outcomes.grant_id
    left join grant_rural_rescues
        on grants.grant_id = grant_rural_rescues.grant_id
    left join grant_transports
        on grants.grant_id = grant_transports.grant_id
    left join grant_spending
        on grants.grant_id = grant_spending.grant_id

)

select * from final
