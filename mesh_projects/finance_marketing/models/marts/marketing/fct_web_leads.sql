-- Email addresses stay out of this mart: dashboards count leads, they never contact them.
with

leads as (

    select * from {{ ref('int_leads_attributed') }}

),

final as (

    select
        lead_id,
        created_at,
        lead_date,
        cast(date_trunc('month', lead_date) as date) as month_start,
        channel,
        interest,
        state_code,
        region_id,
        campaign_code,
        campaign_id,
        is_campaign_matched,
        application_count,
        first_application_date,
        adoption_count,
        first_adoption_date,
        has_application,
        has_adoption,
        cast(date_diff('day', lead_date, first_application_date) as integer)
            as days_to_first_application

    from leads

)

select * from final
