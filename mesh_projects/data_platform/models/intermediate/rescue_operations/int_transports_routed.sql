with

transports as (

    select * from {{ ref('stg_shelter_system__transports') }}

),

facilities as (

    select * from {{ ref('dim_facilities') }}

),

transports_with_ends as (

    select
        transports.*,
        from_facilities.region_id as from_region_id,
        from_facilities.facility_type as from_facility_type,
        to_facilities.region_id as to_region_id,
        to_facilities.facility_type as to_facility_type

    from transports
    left join facilities as from_facilities
        on transports.from_facility_id = from_facilities.facility_id
    left join facilities as to_facilities
        on transports.to_facility_id = to_facilities.facility_id

),

final as (

    select
        transport_id,
        animal_id,
        intake_id,
        from_facility_id,
        to_facility_id,
        from_region_id,
        to_region_id,
        departed_at,
        arrived_at,
        round(date_diff('minute', departed_at, arrived_at) / 60.0, 2) as transport_hours,
        distance_miles,
        (
            from_facility_type = 'rural_partner_shelter'
            and to_facility_type != 'rural_partner_shelter'
        ) as is_rural_to_city

    from transports_with_ends

)

select * from final
