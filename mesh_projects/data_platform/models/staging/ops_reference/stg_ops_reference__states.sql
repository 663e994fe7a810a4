with

source as (

    select * from {{ source('ops_reference', 'states') }}

),

final as (

    select
        {{ clean_state_code('state_code') }} as state_code,
        {{ clean_text('state_name') }} as state_name,
        {{ clean_id('region_id') }} as region_id
    from source

)

select * from final
