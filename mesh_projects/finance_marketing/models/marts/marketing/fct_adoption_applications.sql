with

applications as (

    select * from {{ ref('data_platform', 'stg_marketing_platform__adoption_applications') }}

),

leads as (

    select * from {{ ref('int_leads_attributed') }}

),

adoptions as (

    select * from {{ ref('data_platform', 'stg_shelter_system__adoptions') }}

),

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

final as (

    select
        applications.application_id,
        applications.lead_id,
        applications.adopter_id,
        applications.animal_id,
        applications.facility_id,
        facilities.region_id,
        applications.submitted_date,
        applications.status,
        applications.decided_date,
        cast(date_diff('day', applications.submitted_date, applications.decided_date) as integer)
            as days_to_decision,
        leads.channel as lead_channel,
        leads.campaign_code,
        leads.campaign_id,
        adoptions.adoption_id,
        adoptions.adoption_id is not null as is_adopted

    from applications
    left join leads
        on applications.lead_id = leads.lead_id
    left join adoptions
        on applications.application_id = adoptions.application_id
    left join facilities
        on applications.facility_id = facilities.facility_id

)

select * from final
