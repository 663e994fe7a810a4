with

source as (

    select * from {{ source('shelter_system', 'adoptions') }}

),

final as (

    select
        {{ clean_id('adoption_id') }} as adoption_id,
        {{ clean_id('animal_id') }} as animal_id,
        {{ clean_id('intake_id') }} as intake_id,
        {{ clean_id('adopter_id') }} as adopter_id,
        {{ clean_id('facility_id') }} as facility_id,
        {{ parse_date('adoption_date') }} as adoption_date,
        {{ parse_money('fee') }} as fee_usd,
        {{ clean_id('application_id') }} as application_id,
        {{ clean_id('adoption_event_id') }} as adoption_event_id
    from source

)

select * from final
