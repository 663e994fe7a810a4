with

intakes as (

    select * from {{ ref('data_platform', 'int_intakes_enriched') }}

),

journeys as (

    select * from {{ ref('int_intake_journeys') }}

),

outcomes as (

    select * from {{ ref('data_platform', 'fct_animal_outcomes') }}

),

final as (

    select
        intakes.intake_id,
        intakes.animal_id,
        intakes.species,
        intakes.facility_id,
        intakes.facility_type,
        intakes.region_id,
        intakes.intake_date,
        intakes.intake_type,
        intakes.is_rural_rescue,
        intakes.source_partner_id,
        intakes.intake_condition,
        journeys.transport_count,
        journeys.rural_to_city_transport_count,
        journeys.total_distance_miles,
        journeys.shelter_stay_count,
        journeys.shelter_days,
        journeys.foster_placement_count,
        journeys.foster_days,
        journeys.was_fostered,
        outcomes.outcome_id,
        outcomes.outcome_date,
        outcomes.outcome_type,
        outcomes.outcome_category,
        outcomes.days_in_care,
        outcomes.outcome_id is null as is_in_care,
        coalesce(outcomes.is_live_release, false) as is_live_release

    from intakes
    left join journeys
        on intakes.intake_id = journeys.intake_id
    left join outcomes
        on intakes.intake_id = outcomes.intake_id

)

select * from final
