with

transports as (

    select * from {{ ref('data_platform', 'int_transports_routed') }}

),

animals as (

    select * from {{ ref('data_platform', 'dim_animals') }}

),

final as (

    select
        transports.transport_id,
        transports.animal_id,
        animals.species,
        transports.intake_id,
        transports.from_facility_id,
        transports.to_facility_id,
        transports.from_region_id,
        transports.to_region_id,
        transports.departed_at,
        transports.arrived_at,
        cast(transports.departed_at as date) as departed_date,
        transports.transport_hours,
        transports.distance_miles,
        transports.is_rural_to_city,
        transports.from_region_id != transports.to_region_id as is_cross_region

    from transports
    left join animals
        on transports.animal_id = animals.animal_id

)

select * from final
