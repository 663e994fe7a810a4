with

source as (

    select * from {{ source('marketing_platform', 'campaigns') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('campaign_id') }} as campaign_id,
        {{ rainbow_road_macros.clean_id('campaign_code') }} as campaign_code,
        {{ rainbow_road_macros.clean_text('campaign_name') }} as campaign_name,
        {{ rainbow_road_macros.clean_category('goal') }} as goal,
        {{ rainbow_road_macros.clean_id('region_id') }} as region_id,
        {{ rainbow_road_macros.parse_date('start_date') }} as start_date,
        {{ rainbow_road_macros.parse_date('end_date') }} as end_date
    from source

)

select * from final
