with

source as (

    select * from {{ source('ops_reference', 'states') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_state_code('state_code') }} as state_code,
        {{ rainbow_road_macros.clean_text('state_name') }} as state_name,
        {{ rainbow_road_macros.clean_id('region_id') }} as region_id
    from source

)

select * from final
