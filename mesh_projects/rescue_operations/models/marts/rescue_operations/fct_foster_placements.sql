with

foster_placements as (

    select * from {{ ref('int_foster_placements_measured') }}

),

animals as (

    select * from {{ ref('data_platform', 'dim_animals') }}

),

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

final as (

    select
        foster_placements.placement_id,
        foster_placements.animal_id,
        animals.species,
        foster_placements.intake_id,
        foster_placements.facility_id,
        facilities.region_id,
        foster_placements.volunteer_id,
        foster_placements.start_date,
        foster_placements.end_date,
        foster_placements.is_current,
        foster_placements.placement_days

    from foster_placements
    left join animals
        on foster_placements.animal_id = animals.animal_id
    left join facilities
        on foster_placements.facility_id = facilities.facility_id

)

select * from final
