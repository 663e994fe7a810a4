with

source as (

    select * from {{ source('shelter_system', 'animals') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('animal_id') }} as animal_id,
        {{ rainbow_road_macros.clean_text('name') }} as animal_name,
        {{ rainbow_road_macros.clean_category('species') }} as species,
        {{ rainbow_road_macros.clean_text('breed') }} as breed,
        case {{ rainbow_road_macros.clean_category('sex') }}
            when 'm' then 'male'
            when 'male' then 'male'
            when 'f' then 'female'
            when 'female' then 'female'
            else 'unknown'
        end as sex,
        {{ rainbow_road_macros.parse_date('estimated_birth_date') }} as estimated_birth_date,
        lower({{ rainbow_road_macros.clean_text('colour') }}) as colour,
        {{ rainbow_road_macros.clean_id('microchip_number') }} as microchip_id,
        {{ rainbow_road_macros.parse_timestamp('created_at') }} as created_at
    from source

)

select * from final
