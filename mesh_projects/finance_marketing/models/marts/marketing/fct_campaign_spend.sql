with

spend as (

    select * from {{ ref('data_platform', 'stg_marketing_platform__campaign_spend') }}

),

campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

final as (

    select
        spend.spend_id,
        spend.campaign_id,
        campaigns.campaign_code,
        campaigns.goal,
        campaigns.region_id,
        spend.spend_date,
        cast(date_trunc('month', spend.spend_date) as date) as month_start,
        spend.channel,
        spend.amount_usd,
        spend.spend_date between campaigns.start_date and campaigns.end_date
            as is_within_campaign_dates

    from spend
    left join campaigns
        on spend.campaign_id = campaigns.campaign_id

)

select * from final
