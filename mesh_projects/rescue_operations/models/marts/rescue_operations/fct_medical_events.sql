with

medical_events as (

    select * from {{ ref('data_platform', 'stg_shelter_system__medical_events') }}

),

animals as (

    select * from {{ ref('data_platform', 'dim_animals') }}

),

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

final as (

    select
        medical_events.medical_event_id,
        medical_events.animal_id,
        animals.species,
        medical_events.facility_id,
        facilities.region_id,
        medical_events.event_date,
        medical_events.event_type,
        medical_events.procedure_name,
        medical_events.cost_usd,
        medical_events.vet_partner_id

    from medical_events
    left join animals
        on medical_events.animal_id = animals.animal_id
    left join facilities
        on medical_events.facility_id = facilities.facility_id

)

select * from final
