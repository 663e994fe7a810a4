with

source as (

    select * from {{ source('ops_reference', 'regions') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('region_id') }} as region_id,
        {{ rainbow_road_macros.clean_text('region_name') }} as region_name
    from source

)

select * from final
