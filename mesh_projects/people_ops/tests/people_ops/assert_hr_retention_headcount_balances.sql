-- Headcount must balance: each quarter's end headcount equals its start headcount plus hires
-- minus leavers, and each quarter starts with the headcount the previous quarter ended with.
with

retention as (

    select * from {{ ref('hr_retention_quarterly') }}

),

with_previous as (

    select
        *,
        lag(headcount_at_end) over (partition by department order by quarter_start)
            as previous_headcount_at_end,
        lag(quarter_start) over (partition by department order by quarter_start)
            as previous_quarter_start

    from retention

),

final as (

    select *

    from with_previous
    where headcount_at_end != headcount_at_start + hires - leavers
        or (
            previous_quarter_start = quarter_start - interval 3 month
            and headcount_at_start != previous_headcount_at_end
        )

)

select * from final
