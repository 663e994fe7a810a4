-- Spreads each grant over the months of its period, in proportion to the days it covers,
-- so grant income can sit beside donations and expenses month by month.
with

grants as (

    select * from {{ ref('data_platform', 'stg_donor_crm__grants') }}

),

calendar as (

    select * from {{ ref('data_platform', 'dim_calendar') }}

),

grant_days as (

    select
        grants.grant_id,
        grants.reporting_region_id,
        grants.amount_usd,
        calendar.month_start,
        calendar.date_day

    from grants
    inner join calendar
        on calendar.date_day between grants.start_date and grants.end_date

),

months as (

    select
        grant_id,
        reporting_region_id,
        amount_usd,
        month_start,
        min(date_day) as period_start_date,
        max(date_day) as period_end_date,
        cast(count(*) as integer) as active_days

    from grant_days
    group by grant_id, reporting_region_id, amount_usd, month_start

),

shares as (

    select
        *,
        cast(row_number() over (partition by grant_id order by month_start) as integer)
            as month_number_in_grant,
        cast(count(*) over (partition by grant_id) as integer) as grant_month_count,
        sum(active_days) over (partition by grant_id) as grant_days_total,
        round(amount_usd * active_days / sum(active_days) over (partition by grant_id), 2)
            as rounded_share_usd

    from months

),

allocated as (

    select
        *,
        -- the last month takes the rounding remainder so the months add up to the award
        case
            when month_number_in_grant = grant_month_count
                then amount_usd - coalesce(
                    sum(rounded_share_usd) over (
                        partition by grant_id
                        order by month_start
                        rows between unbounded preceding and 1 preceding
                    ),
                    0
                )
            else rounded_share_usd
        end as allocated_amount_usd

    from shares

),

final as (

    select
        grant_id || '|' || strftime(month_start, '%Y-%m') as grant_month_key,
        grant_id,
        reporting_region_id,
        month_start,
        month_number_in_grant,
        grant_month_count,
        period_start_date,
        period_end_date,
        active_days,
        cast(allocated_amount_usd as decimal(14, 2)) as allocated_amount_usd

    from allocated

)

select * from final
