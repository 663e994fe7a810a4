with

adoptions as (

    select * from {{ ref('stg_shelter_system__adoptions') }}

),

facilities as (

    select * from {{ ref('dim_facilities') }}

),

applications as (

    select * from {{ ref('stg_marketing_platform__adoption_applications') }}

),

web_leads as (

    select * from {{ ref('stg_marketing_platform__web_leads') }}

),

final as (

    select
        adoptions.adoption_id,
        adoptions.animal_id,
        adoptions.intake_id,
        adoptions.adopter_id,
        adoptions.facility_id,
        facilities.region_id,
        adoptions.adoption_date,
        adoptions.fee_usd,
        adoptions.application_id,
        adoptions.adoption_event_id,
        applications.lead_id,
        web_leads.campaign_code as lead_campaign_code

    from adoptions
    left join facilities
        on adoptions.facility_id = facilities.facility_id
    left join applications
        on adoptions.application_id = applications.application_id
    left join web_leads
        on applications.lead_id = web_leads.lead_id

)

select * from final
