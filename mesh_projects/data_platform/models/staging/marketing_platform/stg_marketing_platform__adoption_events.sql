with

source as (

    select * from {{ source('marketing_platform', 'adoption_events') }}

),

final as (

    select
        {{ clean_id('event_id') }} as adoption_event_id,
        {{ clean_text('event_name') }} as event_name,
        {{ clean_id('facility_id') }} as facility_id,
        {{ parse_date('event_date') }} as event_date,
        {{ clean_id('campaign_id') }} as campaign_id,
        {{ parse_integer('estimated_attendees') }} as estimated_attendees
    from source

)

select * from final
