with

source as (

    select * from {{ source('marketing_platform', 'adoption_events') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('event_id') }} as adoption_event_id,
        {{ rainbow_road_macros.clean_text('event_name') }} as event_name,
        {{ rainbow_road_macros.clean_id('facility_id') }} as facility_id,
        {{ rainbow_road_macros.parse_date('event_date') }} as event_date,
        {{ rainbow_road_macros.clean_id('campaign_id') }} as campaign_id,
        {{ rainbow_road_macros.parse_integer('estimated_attendees') }} as estimated_attendees
    from source

)

select * from final
