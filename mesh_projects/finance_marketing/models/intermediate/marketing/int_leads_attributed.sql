-- Follows each web lead to the campaign whose code it carried, and on to any
-- adoption application and adoption that came from it.
with

leads as (

    select * from {{ ref('data_platform', 'stg_marketing_platform__web_leads') }}

),

campaigns as (

    select * from {{ ref('data_platform', 'stg_marketing_platform__campaigns') }}

),

applications as (

    select * from {{ ref('data_platform', 'stg_marketing_platform__adoption_applications') }}

),

adoptions as (

    select * from {{ ref('data_platform', 'stg_shelter_system__adoptions') }}

),

states as (

    select * from {{ ref('data_platform', 'stg_ops_reference__states') }}

),

applications_by_lead as (

    select
        applications.lead_id,
        count(distinct applications.application_id) as application_count,
        min(applications.submitted_date) as first_application_date,
        count(distinct adoptions.adoption_id) as adoption_count,
        min(adoptions.adoption_date) as first_adoption_date

    from applications
    left join adoptions
        on applications.application_id = adoptions.application_id
    where applications.lead_id is not null
    group by applications.lead_id

),

final as (

    select
        leads.lead_id,
        leads.created_at,
        cast(leads.created_at as date) as lead_date,
        leads.channel,
        leads.interest,
        leads.state_code,
        states.region_id,
        leads.campaign_code,
        campaigns.campaign_id,
        campaigns.campaign_id is not null as is_campaign_matched,
        cast(coalesce(applications_by_lead.application_count, 0) as integer) as application_count,
        applications_by_lead.first_application_date,
        cast(coalesce(applications_by_lead.adoption_count, 0) as integer) as adoption_count,
        applications_by_lead.first_adoption_date,
        coalesce(applications_by_lead.application_count, 0) > 0 as has_application,
        coalesce(applications_by_lead.adoption_count, 0) > 0 as has_adoption

    from leads
    left join campaigns
        on upper(trim(leads.campaign_code)) = campaigns.campaign_code
    left join states
        on leads.state_code = states.state_code
    left join applications_by_lead
        on leads.lead_id = applications_by_lead.lead_id

)

select * from final
