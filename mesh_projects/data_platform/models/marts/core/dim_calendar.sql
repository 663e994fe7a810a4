-- Every day Rainbow Road reports on, built from a date range rather than a seed file.
with

days as (

    select cast(range as date) as date_day
    from range(date '2021-01-01', date '2026-01-01', interval 1 day)

),

final as (

    select
        date_day,
        cast(date_trunc('month', date_day) as date) as month_start,
        cast(date_trunc('quarter', date_day) as date) as quarter_start,
        cast(year(date_day) as integer) as year_number,
        cast(month(date_day) as integer) as month_number,
        cast(quarter(date_day) as integer) as quarter_number,
        dayname(date_day) as day_of_week_name,
        isodow(date_day) in (6, 7) as is_weekend

    from days

)

select * from final
