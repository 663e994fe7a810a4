-- The board pack's monthly view. Money with no single region (head office costs,
-- national campaigns, undesignated gifts from donors without a region) sits in a
-- 'national' row with an empty region_id.
with

donations as (

    select * from {{ ref('data_platform', 'int_donations_enriched') }}

),

expenses_monthly as (

    select * from {{ ref('int_expenses_by_facility_month') }}

),

campaign_spend_monthly as (

    select * from {{ ref('int_campaign_spend_monthly') }}

),

campaigns as (

    select * from {{ ref('data_platform', 'stg_marketing_platform__campaigns') }}

),

grant_months as (

    select * from {{ ref('int_grant_months') }}

),

regions as (

    select * from {{ ref('data_platform', 'stg_ops_reference__regions') }}

),

donations_by_month as (

    select
        region_id,
        cast(date_trunc('month', donation_date) as date) as month_start,
        count(*) as donation_count,
        sum(amount_usd) as donations_usd

    from donations
    group by region_id, month_start

),

grants_by_month as (

    select
        reporting_region_id as region_id,
        month_start,
        sum(allocated_amount_usd) as grant_income_usd

    from grant_months
    group by region_id, month_start

),

-- marketing is counted once, from the campaign platform, not again from accounting
expenses_by_month as (

    select
        region_id,
        month_start,
        sum(total_usd - marketing_usd) as operating_expenses_usd

    from expenses_monthly
    group by region_id, month_start

),

spend_by_month as (

    select
        campaigns.region_id,
        campaign_spend_monthly.month_start,
        sum(campaign_spend_monthly.spend_usd) as marketing_spend_usd

    from campaign_spend_monthly
    inner join campaigns
        on campaign_spend_monthly.campaign_id = campaigns.campaign_id
    group by region_id, month_start

),

region_months as (

    select region_id, month_start from donations_by_month
    union
    select region_id, month_start from grants_by_month
    union
    select region_id, month_start from expenses_by_month
    union
    select region_id, month_start from spend_by_month

),

joined as (

    select
        region_months.region_id,
        region_months.month_start,
        cast(coalesce(donations_by_month.donation_count, 0) as integer) as donation_count,
        cast(coalesce(donations_by_month.donations_usd, 0) as decimal(14, 2)) as donations_usd,
        cast(coalesce(grants_by_month.grant_income_usd, 0) as decimal(14, 2)) as grant_income_usd,
        cast(coalesce(expenses_by_month.operating_expenses_usd, 0) as decimal(14, 2))
            as operating_expenses_usd,
        cast(coalesce(spend_by_month.marketing_spend_usd, 0) as decimal(14, 2))
            as marketing_spend_usd

    from region_months
    left join donations_by_month
        on region_months.region_id is not distinct from donations_by_month.region_id
        and region_months.month_start = donations_by_month.month_start
    left join grants_by_month
        on region_months.region_id is not distinct from grants_by_month.region_id
        and region_months.month_start = grants_by_month.month_start
    left join expenses_by_month
        on region_months.region_id is not distinct from expenses_by_month.region_id
        and region_months.month_start = expenses_by_month.month_start
    left join spend_by_month
        on region_months.region_id is not distinct from spend_by_month.region_id
        and region_months.month_start = spend_by_month.month_start

),

final as (

    select
        coalesce(joined.region_id, 'NATIONAL')
            || '|' || strftime(joined.month_start, '%Y-%m') as region_month_key,
        joined.region_id,
        coalesce(regions.region_name, 'National') as region_name,
        joined.month_start,
        joined.donation_count,
        joined.donations_usd,
        joined.grant_income_usd,
        joined.operating_expenses_usd,
        joined.marketing_spend_usd,
        cast(
            joined.donations_usd
            + joined.grant_income_usd
            - joined.operating_expenses_usd
            - joined.marketing_spend_usd
            as decimal(14, 2)
        ) as net_usd

    from joined
    left join regions
        on joined.region_id = regions.region_id

)

select * from final
