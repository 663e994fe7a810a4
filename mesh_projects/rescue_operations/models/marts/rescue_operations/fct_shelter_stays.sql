with

shelter_stays as (

    select * from {{ ref('int_shelter_stays_measured') }}

),

animals as (

    select * from {{ ref('data_platform', 'dim_animals') }}

),

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

final as (

    select
        shelter_stays.stay_id,
        shelter_stays.animal_id,
        animals.species,
        shelter_stays.intake_id,
        shelter_stays.facility_id,
        facilities.facility_type,
        facilities.region_id,
        shelter_stays.kennel_code,
        shelter_stays.start_date,
        shelter_stays.end_date,
        shelter_stays.is_current,
        shelter_stays.stay_days

    from shelter_stays
    left join animals
        on shelter_stays.animal_id = animals.animal_id
    left join facilities
        on shelter_stays.facility_id = facilities.facility_id

)

select * from final
