with

animals as (

    select * from {{ ref('stg_shelter_system__animals') }}

),

intakes as (

    select * from {{ ref('stg_shelter_system__intakes') }}

),

intake_history as (

    select
        animal_id,
        min(intake_date) as first_intake_date,
        count(*) as intake_count

    from intakes
    group by animal_id

),

final as (

    select
        animals.animal_id,
        animals.animal_name,
        animals.species,
        animals.breed,
        animals.sex,
        animals.estimated_birth_date,
        animals.colour,
        animals.microchip_id is not null as has_microchip,
        intake_history.first_intake_date,
        cast(coalesce(intake_history.intake_count, 0) as integer) as intake_count

    from animals
    left join intake_history
        on animals.animal_id = intake_history.animal_id

)

select * from final
