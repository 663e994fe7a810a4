-- Paid channels (print, radio, events) bring spend but no tracked web leads; direct and
-- referral traffic brings leads with no spend. Both still get a row.
with

spend_monthly as (

    select * from {{ ref('int_campaign_spend_monthly') }}

),

leads as (

    select * from {{ ref('int_leads_attributed') }}

),

spend_by_channel as (

    select
        channel,
        month_start,
        sum(spend_usd) as spend_usd

    from spend_monthly
    group by channel, month_start

),

leads_by_channel as (

    select
        channel,
        cast(date_trunc('month', lead_date) as date) as month_start,
        count(*) as lead_count,
        count(*) filter (where is_campaign_matched) as campaign_lead_count,
        count(*) filter (where has_application) as applying_lead_count,
        count(*) filter (where has_adoption) as adopting_lead_count

    from leads
    group by channel, month_start

),

channel_months as (

    select channel, month_start from spend_by_channel
    union
    select channel, month_start from leads_by_channel

),

joined as (

    select
        channel_months.channel,
        channel_months.month_start,
        cast(coalesce(spend_by_channel.spend_usd, 0) as decimal(14, 2)) as spend_usd,
        cast(coalesce(leads_by_channel.lead_count, 0) as integer) as lead_count,
        cast(coalesce(leads_by_channel.campaign_lead_count, 0) as integer) as campaign_lead_count,
        cast(coalesce(leads_by_channel.applying_lead_count, 0) as integer) as applying_lead_count,
        cast(coalesce(leads_by_channel.adopting_lead_count, 0) as integer) as adopting_lead_count

    from channel_months
    left join spend_by_channel
        on channel_months.channel = spend_by_channel.channel
        and channel_months.month_start = spend_by_channel.month_start
    left join leads_by_channel
        on channel_months.channel = leads_by_channel.channel
        and channel_months.month_start = leads_by_channel.month_start

),

final as (

    select
        channel || '|' || strftime(month_start, '%Y-%m') as channel_month_key,
        channel,
        month_start,
        spend_usd,
        lead_count,
        campaign_lead_count,
        applying_lead_count,
        adopting_lead_count,
        cast(spend_usd / nullif(lead_count, 0) as decimal(14, 2)) as cost_per_lead_usd

    from joined

)

select * from final
