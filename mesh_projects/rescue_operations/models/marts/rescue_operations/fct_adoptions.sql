with

adoptions as (

    select * from {{ ref('data_platform', 'int_adoptions_enriched') }}

),

animals as (

    select * from {{ ref('data_platform', 'dim_animals') }}

),

adopters as (

    select * from {{ ref('data_platform', 'stg_shelter_system__adopters') }}

),

intakes as (

    select * from {{ ref('data_platform', 'int_intakes_enriched') }}

),

final as (

    select
        adoptions.adoption_id,
        adoptions.animal_id,
        adoptions.intake_id,
        adoptions.adopter_id,
        adoptions.facility_id,
        adoptions.region_id,
        adoptions.adoption_date,
        adoptions.fee_usd,
        adoptions.application_id,
        adoptions.adoption_event_id,
        adoptions.lead_id,
        adoptions.lead_campaign_code,
        animals.species,
        adopters.state_code as adopter_state_code,
        cast(date_diff('day', intakes.intake_date, adoptions.adoption_date) as integer)
            as days_from_intake_to_adoption

    from adoptions
    left join animals
        on adoptions.animal_id = animals.animal_id
    left join adopters
        on adoptions.adopter_id = adopters.adopter_id
    left join intakes
        on adoptions.intake_id = intakes.intake_id

)

select * from final
