-- One row per employee with tenure and leaver flags, measured on the reporting date.
-- The reporting date is the var `people_ops_as_of_date` (default: the last day of 2025).
with

employees as (

    select * from {{ ref('stg_hr_system__employees') }}

),

reporting_date as (

    select cast('{{ var("people_ops_as_of_date", "2025-12-31") }}' as date) as as_of_date

),

status_on_reporting_date as (

    select
        employees.*,
        reporting_date.as_of_date,
        coalesce(employees.leave_date <= reporting_date.as_of_date, false) as has_left,
        employees.hire_date <= reporting_date.as_of_date
            and coalesce(employees.leave_date > reporting_date.as_of_date, true) as is_active

    from employees
    cross join reporting_date

),

tenure as (

    select
        *,
        cast(
            greatest(
                date_diff('day', hire_date, least(coalesce(leave_date, as_of_date), as_of_date)),
                0
            ) as integer
        ) as tenure_days

    from status_on_reporting_date

),

final as (

    select
        employee_id,
        department,
        job_title,
        pay_band,
        facility_id,
        gender,
        hire_date,
        leave_date,
        as_of_date,
        is_active,
        has_left,
        tenure_days,
        cast(round(tenure_days / 365.25, 2) as decimal(6, 2)) as tenure_years,
        has_left and tenure_days < 365 as is_first_year_leaver,
        cast(date_trunc('quarter', hire_date) as date) as hire_quarter_start,
        cast(date_trunc('quarter', leave_date) as date) as leave_quarter_start

    from tenure

)

select * from final
