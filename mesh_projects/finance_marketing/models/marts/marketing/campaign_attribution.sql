-- Credits each campaign with what carried its code: web leads and their applications,
-- adoptions whose application came from such a lead (rescue operations' adoptions),
-- and donations given under the code (finance's donations).
with

campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

spend_monthly as (

    select * from {{ ref('int_campaign_spend_monthly') }}

),

leads as (

    select * from {{ ref('int_leads_attributed') }}

),

adoptions as (

    select * from {{ ref('data_platform', 'int_adoptions_enriched') }}

),

donations as (

    select * from {{ ref('data_platform', 'int_donations_enriched') }}

),

spend_by_campaign as (

    select
        campaign_id,
        sum(spend_usd) as spend_usd

    from spend_monthly
    group by campaign_id

),

leads_by_campaign as (

    select
        campaign_id,
        count(*) as lead_count,
        sum(application_count) as application_count

    from leads
    where campaign_id is not null
    group by campaign_id

),

adoptions_by_campaign as (

    select
        campaigns.campaign_id,
        count(distinct adoptions.adoption_id) as adoption_count

    from adoptions
    inner join campaigns
        on upper(trim(adoptions.lead_campaign_code)) = campaigns.campaign_code
    group by campaigns.campaign_id

),

donations_by_campaign as (

    select
        campaign_id,
        count(*) as donation_count,
        sum(amount_usd) as donations_usd

    from donations
    where campaign_id is not null
    group by campaign_id

),

joined as (

    select
        campaigns.campaign_id,
        campaigns.campaign_code,
        campaigns.campaign_name,
        campaigns.goal,
        campaigns.region_id,
        cast(coalesce(spend_by_campaign.spend_usd, 0) as decimal(14, 2)) as spend_usd,
        cast(coalesce(leads_by_campaign.lead_count, 0) as integer) as lead_count,
        cast(coalesce(leads_by_campaign.application_count, 0) as integer) as application_count,
        cast(coalesce(adoptions_by_campaign.adoption_count, 0) as integer) as adoption_count,
        cast(coalesce(donations_by_campaign.donation_count, 0) as integer) as donation_count,
        cast(coalesce(donations_by_campaign.donations_usd, 0) as decimal(14, 2)) as donations_usd

    from campaigns
    left join spend_by_campaign
        on campaigns.campaign_id = spend_by_campaign.campaign_id
    left join leads_by_campaign
        on campaigns.campaign_id = leads_by_campaign.campaign_id
    left join adoptions_by_campaign
        on campaigns.campaign_id = adoptions_by_campaign.campaign_id
    left join donations_by_campaign
        on campaigns.campaign_id = donations_by_campaign.campaign_id

),

final as (

    select
        *,
        cast(spend_usd / nullif(lead_count, 0) as decimal(14, 2)) as cost_per_lead_usd,
        cast(spend_usd / nullif(adoption_count, 0) as decimal(14, 2)) as cost_per_adoption_usd,
        round(donations_usd / nullif(spend_usd, 0), 2) as donations_per_spend_dollar

    from joined

)

select * from final
