with

source as (

    select * from {{ source('donor_crm', 'grants') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('grant_id') }} as grant_id,
        {{ rainbow_road_macros.clean_text('funder_name') }} as funder_name,
        {{ rainbow_road_macros.parse_date('awarded_date') }} as awarded_date,
        {{ rainbow_road_macros.parse_money('amount') }} as amount_usd,
        {{ rainbow_road_macros.parse_date('start_date') }} as start_date,
        {{ rainbow_road_macros.parse_date('end_date') }} as end_date,
        {{ rainbow_road_macros.clean_id('reporting_region') }} as reporting_region_id,
        {{ rainbow_road_macros.clean_category('purpose') }} as purpose,
        {{ rainbow_road_macros.parse_integer('target_live_releases') }} as target_live_releases
    from source

)

select * from final
