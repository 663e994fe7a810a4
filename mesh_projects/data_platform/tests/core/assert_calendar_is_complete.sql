-- The calendar covers every day from 2021 to 2025 once, with no gaps.
with

calendar_summary as (

    select
        count(*) as day_count,
        count(distinct date_day) as distinct_day_count,
        min(date_day) as first_day,
        max(date_day) as last_day

    from {{ ref('dim_calendar') }}

)

select * from calendar_summary
where day_count != 1826
    or distinct_day_count != day_count
    or first_day != date '2021-01-01'
    or last_day != date '2025-12-31'
