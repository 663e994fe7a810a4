-- One row per department and pay band with active employees on the reporting date: the gender
-- mix of each band. Cells with fewer than three people are suppressed so no one can be singled out.
with

employees as (

    select * from {{ ref('int_employee_tenure') }}

),

active_employees as (

    select * from employees
    where is_active

),

cells as (

    select
        department,
        pay_band,
        cast(count(*) as integer) as employee_count,
        cast(count(*) filter (where gender = 'woman') as integer) as women_count,
        cast(count(*) filter (where gender = 'man') as integer) as men_count,
        cast(count(*) filter (where gender = 'non_binary') as integer) as non_binary_count,
        cast(count(*) filter (where gender = 'undisclosed') as integer) as undisclosed_count

    from active_employees
    group by department, pay_band

),

suppressed as (

    select
        department || '|' || pay_band as pay_equity_cell_id,
        department,
        pay_band,
        employee_count,
        employee_count < 3 as is_suppressed,
        case when employee_count >= 3 then women_count end as women_count,
        case when employee_count >= 3 then men_count end as men_count,
        case when employee_count >= 3 then non_binary_count end as non_binary_count,
        case when employee_count >= 3 then undisclosed_count end as undisclosed_count

    from cells

),

final as (

    select
        *,
        cast(women_count / employee_count as decimal(5, 4)) as women_share,
        cast(men_count / employee_count as decimal(5, 4)) as men_share

    from suppressed

)

select * from final
