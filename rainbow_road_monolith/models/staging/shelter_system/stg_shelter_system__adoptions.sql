with

source as (

    select * from {{ source('shelter_system', 'adoptions') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('adoption_id') }} as adoption_id,
        {{ rainbow_road_macros.clean_id('animal_id') }} as animal_id,
        {{ rainbow_road_macros.clean_id('intake_id') }} as intake_id,
        {{ rainbow_road_macros.clean_id('adopter_id') }} as adopter_id,
        {{ rainbow_road_macros.clean_id('facility_id') }} as facility_id,
        {{ rainbow_road_macros.parse_date('adoption_date') }} as adoption_date,
        {{ rainbow_road_macros.parse_money('fee') }} as fee_usd,
        {{ rainbow_road_macros.clean_id('application_id') }} as application_id,
        {{ rainbow_road_macros.clean_id('adoption_event_id') }} as adoption_event_id
    from source

)

select * from final
