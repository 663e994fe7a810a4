-- The same dollars of campaign spend show up in every marketing mart.
with

totals as (

    select 'fct_campaign_spend' as model_name, sum(amount_usd) as spend_usd
    from {{ ref('fct_campaign_spend') }}

    union all

    select 'int_campaign_spend_monthly', sum(spend_usd)
    from {{ ref('int_campaign_spend_monthly') }}

    union all

    select 'campaign_attribution', sum(spend_usd)
    from {{ ref('campaign_attribution') }}

    union all

    select 'channel_performance', sum(spend_usd)
    from {{ ref('channel_performance') }}

)

select *
from totals
where spend_usd <> (select spend_usd from totals where model_name = 'fct_campaign_spend')
