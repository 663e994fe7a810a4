-- Adoptions credited across all campaigns equal the distinct adoptions whose lead
-- carried a known campaign code: none is counted twice, none is lost.
with

credited as (

    select sum(adoption_count) as adoption_count
    from {{ ref('campaign_attribution') }}

),

adoptions_with_a_campaign as (

    select count(distinct adoptions.adoption_id) as adoption_count
    from {{ ref('data_platform', 'int_adoptions_enriched') }} as adoptions
    inner join {{ ref('dim_campaigns') }} as campaigns
        on upper(trim(adoptions.lead_campaign_code)) = campaigns.campaign_code

)

select
    credited.adoption_count as credited_adoptions,
    adoptions_with_a_campaign.adoption_count as adoptions_with_a_campaign

from credited
cross join adoptions_with_a_campaign
where credited.adoption_count <> adoptions_with_a_campaign.adoption_count
