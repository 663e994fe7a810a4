with

source as (

    select * from {{ source('shelter_system', 'intakes') }}

),

cleaned as (

    select
        {{ rainbow_road_macros.clean_id('intake_id') }} as intake_id,
        {{ rainbow_road_macros.clean_id('animal_id') }} as animal_id,
        {{ rainbow_road_macros.clean_id('facility_id') }} as facility_id,
        {{ rainbow_road_macros.parse_date('intake_date') }} as intake_date,
        {{ rainbow_road_macros.clean_category('intake_type') }} as intake_type,
        {{ rainbow_road_macros.clean_id('source_partner_id') }} as source_partner_id,
        {{ rainbow_road_macros.clean_category('condition') }} as intake_condition,
        {{ rainbow_road_macros.parse_measure('weight') }} as weight_kg
    from source

),

final as (

    -- staff sometimes submit the same intake form twice: the copies are identical, keep one
    select distinct * from cleaned

)

select * from final
