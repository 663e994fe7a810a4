with

source as (

    select * from {{ source('marketing_platform', 'campaign_spend') }}

),

final as (

    select
        {{ clean_id('spend_id') }} as spend_id,
        {{ clean_id('campaign_id') }} as campaign_id,
        {{ parse_date('spend_date') }} as spend_date,
        {{ clean_category('channel') }} as channel,
        {{ parse_money('amount') }} as amount_usd
    from source

)

select * from final
