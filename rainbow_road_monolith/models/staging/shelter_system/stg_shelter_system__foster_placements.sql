with

source as (

    select * from {{ source('shelter_system', 'foster_placements') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('placement_id') }} as placement_id,
        {{ rainbow_road_macros.clean_id('animal_id') }} as animal_id,
        {{ rainbow_road_macros.clean_id('intake_id') }} as intake_id,
        {{ rainbow_road_macros.clean_id('facility_id') }} as facility_id,
        {{ rainbow_road_macros.clean_id('volunteer_id') }} as volunteer_id,
        {{ rainbow_road_macros.parse_date('start_date') }} as start_date,
        {{ rainbow_road_macros.parse_date('end_date') }} as end_date
    from source

)

select * from final
