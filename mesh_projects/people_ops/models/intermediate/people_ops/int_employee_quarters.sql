-- One row per employee per calendar quarter in which they were employed for at least one day,
-- up to the quarter that holds the reporting date. leave_date is the last day worked.
with

calendar as (

    select * from {{ ref('data_platform', 'dim_calendar') }}

),

employees as (

    select * from {{ ref('int_employee_tenure') }}

),

quarters as (

    select
        quarter_start,
        max(date_day) as quarter_end

    from calendar
    group by quarter_start

),

employee_quarters as (

    select
        employees.employee_id,
        quarters.quarter_start,
        quarters.quarter_end,
        employees.department,
        employees.pay_band,
        employees.gender,
        employees.hire_date,
        employees.leave_date

    from employees
    inner join quarters
        on employees.hire_date <= quarters.quarter_end
        and (employees.leave_date is null or employees.leave_date >= quarters.quarter_start)
        and quarters.quarter_start <= employees.as_of_date

),

final as (

    select
        employee_id || '|' || cast(quarter_start as varchar) as employee_quarter_id,
        employee_id,
        quarter_start,
        quarter_end,
        department,
        pay_band,
        gender,
        hire_date < quarter_start as is_employed_at_quarter_start,
        leave_date is null or leave_date > quarter_end as is_employed_at_quarter_end,
        hire_date >= quarter_start as is_hired_in_quarter,
        coalesce(leave_date <= quarter_end, false) as is_leaver_in_quarter

    from employee_quarters

)

select * from final
