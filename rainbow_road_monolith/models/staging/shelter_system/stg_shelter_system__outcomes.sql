with

source as (

    select * from {{ source('shelter_system', 'outcomes') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('outcome_id') }} as outcome_id,
        {{ rainbow_road_macros.clean_id('animal_id') }} as animal_id,
        {{ rainbow_road_macros.clean_id('intake_id') }} as intake_id,
        {{ rainbow_road_macros.clean_id('facility_id') }} as facility_id,
        {{ rainbow_road_macros.parse_date('outcome_date') }} as outcome_date,
        {{ rainbow_road_macros.clean_category('outcome_type') }} as outcome_type
    from source

)

select * from final
