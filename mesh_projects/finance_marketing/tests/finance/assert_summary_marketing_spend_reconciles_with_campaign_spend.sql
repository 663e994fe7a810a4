-- No campaign spend is lost on its way into the finance summary
-- (for example spend on a campaign missing from the campaign list).
with

summary as (

    select sum(marketing_spend_usd) as marketing_spend_usd
    from {{ ref('finance_monthly_summary') }}

),

spend as (

    select coalesce(sum(spend_usd), 0) as marketing_spend_usd
    from {{ ref('int_campaign_spend_monthly') }}

)

select
    summary.marketing_spend_usd as summary_marketing_spend_usd,
    spend.marketing_spend_usd as campaign_spend_usd

from summary
cross join spend
where summary.marketing_spend_usd <> spend.marketing_spend_usd
