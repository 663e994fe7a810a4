with

intakes as (

    select * from {{ ref('stg_shelter_system__intakes') }}

),

animals as (

    select * from {{ ref('dim_animals') }}

),

facilities as (

    select * from {{ ref('dim_facilities') }}

),

final as (

    select
        intakes.intake_id,
        intakes.animal_id,
        animals.species,
        intakes.facility_id,
        facilities.facility_type,
        facilities.region_id,
        intakes.intake_date,
        intakes.intake_type,
        (
            intakes.intake_type = 'rural_transfer'
            or facilities.facility_type = 'rural_partner_shelter'
        ) as is_rural_rescue,
        intakes.source_partner_id,
        intakes.intake_condition

    from intakes
    left join animals
        on intakes.animal_id = animals.animal_id
    left join facilities
        on intakes.facility_id = facilities.facility_id

)

select * from final
