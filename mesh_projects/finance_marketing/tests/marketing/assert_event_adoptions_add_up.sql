-- Adoptions credited to events add up across the event report, and tagged plus
-- same-day adoptions make up each event's total.
with

event_report as (

    select
        sum(adoption_count) as adoption_count,
        count(*) filter (
            where adoption_count <> tagged_adoption_count + same_day_adoption_count
        ) as inconsistent_event_count

    from {{ ref('adoption_event_performance') }}

),

event_adoptions as (

    select count(*) as adoption_count
    from {{ ref('int_event_adoptions') }}

)

select
    event_report.adoption_count as reported_adoptions,
    event_adoptions.adoption_count as credited_adoptions,
    event_report.inconsistent_event_count

from event_report
cross join event_adoptions
where event_report.adoption_count <> event_adoptions.adoption_count
    or event_report.inconsistent_event_count > 0
