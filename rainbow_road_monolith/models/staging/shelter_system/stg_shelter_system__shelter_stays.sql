with

source as (

    select * from {{ source('shelter_system', 'shelter_stays') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('stay_id') }} as stay_id,
        {{ rainbow_road_macros.clean_id('animal_id') }} as animal_id,
        {{ rainbow_road_macros.clean_id('intake_id') }} as intake_id,
        {{ rainbow_road_macros.clean_id('facility_id') }} as facility_id,
        {{ rainbow_road_macros.parse_date('start_date') }} as start_date,
        {{ rainbow_road_macros.parse_date('end_date') }} as end_date,
        {{ rainbow_road_macros.clean_id('kennel_code') }} as kennel_code
    from source

)

select * from final
