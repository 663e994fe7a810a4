with

source as (

    select * from {{ source('shelter_system', 'adopters') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('adopter_id') }} as adopter_id,
        {{ rainbow_road_macros.clean_text('first_name') }} as first_name,
        {{ rainbow_road_macros.clean_text('last_name') }} as last_name,
        lower({{ rainbow_road_macros.clean_text('email') }}) as email,
        -- '(404) 555-0123', '404.555.0123' and '+1 404 555 0123' all become '404-555-0123'
        regexp_replace(
            right(regexp_replace(phone, '[^0-9]', '', 'g'), 10),
            '^([0-9]{3})([0-9]{3})([0-9]{4})$',
            '\1-\2-\3'
        ) as phone,
        {{ rainbow_road_macros.clean_text('city') }} as city,
        {{ rainbow_road_macros.clean_state_code('state') }} as state_code,
        {{ rainbow_road_macros.parse_timestamp('created_at') }} as created_at
    from source

)

select * from final
