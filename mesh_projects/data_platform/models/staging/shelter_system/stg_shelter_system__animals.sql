with

source as (

    select * from {{ source('shelter_system', 'animals') }}

),

final as (

    select
        {{ clean_id('animal_id') }} as animal_id,
        {{ clean_text('name') }} as animal_name,
        {{ clean_category('species') }} as species,
        {{ clean_text('breed') }} as breed,
        case {{ clean_category('sex') }}
            when 'm' then 'male'
            when 'male' then 'male'
            when 'f' then 'female'
            when 'female' then 'female'
            else 'unknown'
        end as sex,
        {{ parse_date('estimated_birth_date') }} as estimated_birth_date,
        lower({{ clean_text('colour') }}) as colour,
        {{ clean_id('microchip_number') }} as microchip_id,
        {{ parse_timestamp('created_at') }} as created_at
    from source

)

select * from final
