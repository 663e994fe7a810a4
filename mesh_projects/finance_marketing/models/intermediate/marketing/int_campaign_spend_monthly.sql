with

spend as (

    select * from {{ ref('data_platform', 'stg_marketing_platform__campaign_spend') }}

),

spend_with_month as (

    select
        campaign_id,
        channel,
        cast(date_trunc('month', spend_date) as date) as month_start,
        amount_usd

    from spend

),

final as (

    select
        campaign_id,
        channel,
        month_start,
        cast(sum(amount_usd) as decimal(14, 2)) as spend_usd

    from spend_with_month
    group by campaign_id, channel, month_start

)

select * from final
