with

source as (

    select * from {{ source('shelter_system', 'transports') }}

),

final as (

    select
        {{ clean_id('transport_id') }} as transport_id,
        {{ clean_id('animal_id') }} as animal_id,
        {{ clean_id('intake_id') }} as intake_id,
        {{ clean_id('from_facility_id') }} as from_facility_id,
        {{ clean_id('to_facility_id') }} as to_facility_id,
        {{ parse_timestamp('departed_at') }} as departed_at,
        {{ parse_timestamp('arrived_at') }} as arrived_at,
        {{ parse_integer('distance_miles') }} as distance_miles,
        {{ clean_id('transport_partner_id') }} as transport_partner_id
    from source

)

select * from final
