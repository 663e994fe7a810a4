with

source as (

    select * from {{ source('shelter_system', 'medical_events') }}

),

cleaned as (

    select
        {{ rainbow_road_macros.clean_id('medical_event_id') }} as medical_event_id,
        {{ rainbow_road_macros.clean_id('animal_id') }} as animal_id,
        {{ rainbow_road_macros.clean_id('facility_id') }} as facility_id,
        {{ rainbow_road_macros.parse_date('event_date') }} as event_date,
        {{ rainbow_road_macros.clean_category('event_type') }} as event_type,
        {{ rainbow_road_macros.clean_text('procedure_name') }} as procedure_name,
        {{ rainbow_road_macros.parse_money('cost') }} as cost_usd,
        {{ rainbow_road_macros.clean_id('vet_partner_id') }} as vet_partner_id
    from source

),

final as (

    -- staff sometimes submit the same medical record twice: the copies are identical, keep one
    select distinct * from cleaned

)

select * from final
