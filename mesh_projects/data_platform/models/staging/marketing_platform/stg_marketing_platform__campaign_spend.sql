with

source as (

    select * from {{ source('marketing_platform', 'campaign_spend') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('spend_id') }} as spend_id,
        {{ rainbow_road_macros.clean_id('campaign_id') }} as campaign_id,
        {{ rainbow_road_macros.parse_date('spend_date') }} as spend_date,
        {{ rainbow_road_macros.clean_category('channel') }} as channel,
        {{ rainbow_road_macros.parse_money('amount') }} as amount_usd
    from source

)

select * from final
