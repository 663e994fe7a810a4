with

campaigns as (

    select * from {{ ref('data_platform', 'stg_marketing_platform__campaigns') }}

),

regions as (

    select * from {{ ref('data_platform', 'stg_ops_reference__regions') }}

),

final as (

    select
        campaigns.campaign_id,
        campaigns.campaign_code,
        campaigns.campaign_name,
        campaigns.goal,
        campaigns.region_id,
        coalesce(regions.region_name, 'National') as region_name,
        campaigns.region_id is null as is_national,
        campaigns.start_date,
        campaigns.end_date,
        cast(date_diff('day', campaigns.start_date, campaigns.end_date) + 1 as integer)
            as campaign_days

    from campaigns
    left join regions
        on campaigns.region_id = regions.region_id

)

select * from final
