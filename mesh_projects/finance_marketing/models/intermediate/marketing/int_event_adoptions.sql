-- Links adoptions to adoption events. A tag on the adoption wins; an untagged adoption
-- counts for an event held at the same facility on the same day. No adoption is
-- linked to more than one event.
with

adoptions as (

    select * from {{ ref('data_platform', 'stg_shelter_system__adoptions') }}

),

events as (

    select * from {{ ref('data_platform', 'stg_marketing_platform__adoption_events') }}

),

tagged as (

    select
        adoptions.adoption_id,
        events.adoption_event_id,
        'tagged' as match_type,
        1 as match_priority

    from adoptions
    inner join events
        on adoptions.adoption_event_id = events.adoption_event_id

),

same_day as (

    select
        adoptions.adoption_id,
        events.adoption_event_id,
        'same_day' as match_type,
        2 as match_priority

    from adoptions
    inner join events
        on adoptions.facility_id = events.facility_id
        and adoptions.adoption_date = events.event_date
    where adoptions.adoption_event_id is null

),

candidates as (

    select * from tagged
    union all
    select * from same_day

),

ranked as (

    select
        *,
        row_number() over (
            partition by adoption_id
            order by match_priority, adoption_event_id
        ) as match_rank

    from candidates

),

final as (

    select
        ranked.adoption_id,
        ranked.adoption_event_id,
        ranked.match_type,
        adoptions.animal_id,
        adoptions.facility_id,
        adoptions.adoption_date,
        adoptions.fee_usd

    from ranked
    inner join adoptions
        on ranked.adoption_id = adoptions.adoption_id
    where ranked.match_rank = 1

)

select * from final
