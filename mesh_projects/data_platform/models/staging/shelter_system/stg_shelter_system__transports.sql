with

source as (

    select * from {{ source('shelter_system', 'transports') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('transport_id') }} as transport_id,
        {{ rainbow_road_macros.clean_id('animal_id') }} as animal_id,
        {{ rainbow_road_macros.clean_id('intake_id') }} as intake_id,
        {{ rainbow_road_macros.clean_id('from_facility_id') }} as from_facility_id,
        {{ rainbow_road_macros.clean_id('to_facility_id') }} as to_facility_id,
        {{ rainbow_road_macros.parse_timestamp('departed_at') }} as departed_at,
        {{ rainbow_road_macros.parse_timestamp('arrived_at') }} as arrived_at,
        {{ rainbow_road_macros.parse_integer('distance_miles') }} as distance_miles,
        {{ rainbow_road_macros.clean_id('transport_partner_id') }} as transport_partner_id
    from source

)

select * from final
