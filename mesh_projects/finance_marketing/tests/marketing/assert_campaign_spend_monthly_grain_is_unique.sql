-- int_campaign_spend_monthly has one row per campaign, channel and month.
select
    campaign_id,
    channel,
    month_start,
    count(*) as row_count

from {{ ref('int_campaign_spend_monthly') }}
group by campaign_id, channel, month_start
having count(*) > 1
