with

events as (

    select * from {{ ref('data_platform', 'stg_marketing_platform__adoption_events') }}

),

event_adoptions as (

    select * from {{ ref('int_event_adoptions') }}

),

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

adoptions_by_event as (

    select
        adoption_event_id,
        count(*) as adoption_count,
        count(*) filter (where match_type = 'tagged') as tagged_adoption_count,
        count(*) filter (where match_type = 'same_day') as same_day_adoption_count,
        sum(fee_usd) as adoption_fees_usd

    from event_adoptions
    group by adoption_event_id

),

final as (

    select
        events.adoption_event_id,
        events.event_name,
        events.event_date,
        events.facility_id,
        facilities.facility_name,
        facilities.facility_type,
        facilities.region_id,
        events.campaign_id,
        campaigns.campaign_code,
        events.estimated_attendees,
        cast(coalesce(adoptions_by_event.adoption_count, 0) as integer) as adoption_count,
        cast(coalesce(adoptions_by_event.tagged_adoption_count, 0) as integer)
            as tagged_adoption_count,
        cast(coalesce(adoptions_by_event.same_day_adoption_count, 0) as integer)
            as same_day_adoption_count,
        cast(coalesce(adoptions_by_event.adoption_fees_usd, 0) as decimal(14, 2))
            as adoption_fees_usd,
        round(
            100.0 * coalesce(adoptions_by_event.adoption_count, 0)
            / nullif(events.estimated_attendees, 0),
            2
        ) as adoptions_per_100_attendees

    from events
    left join facilities
        on events.facility_id = facilities.facility_id
    left join campaigns
        on events.campaign_id = campaigns.campaign_id
    left join adoptions_by_event
        on events.adoption_event_id = adoptions_by_event.adoption_event_id

)

select * from final
