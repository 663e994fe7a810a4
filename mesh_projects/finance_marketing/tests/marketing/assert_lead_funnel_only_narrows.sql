-- Along the funnel, each step can only hold fewer people than the one before:
-- leads, then leads who applied, then leads who adopted.
select
    channel_month_key,
    lead_count,
    applying_lead_count,
    adopting_lead_count

from {{ ref('channel_performance') }}
where applying_lead_count > lead_count
    or adopting_lead_count > applying_lead_count
