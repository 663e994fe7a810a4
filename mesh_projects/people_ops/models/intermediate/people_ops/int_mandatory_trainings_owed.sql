-- One row per employee, calendar year and mandatory course the employee owed that year.
-- New starters owe the induction courses, done at any time after hiring. Everyone else owes
-- the year's refreshers, done within the year, except in the year they leave.
with

employee_quarters as (

    select * from {{ ref('int_employee_quarters') }}

),

trainings as (

    select * from {{ ref('stg_hr_system__employee_trainings') }}

),

training_requirements as (

    select * from (
        values
            ('Code of conduct', 'induction', null),
            ('Data protection basics', 'induction', null),
            ('Animal handling safety', 'induction', 'rescue_operations'),
            ('Annual conduct refresher', 'annual', null),
            ('Annual safety refresher', 'annual', 'rescue_operations')
    ) as requirements (course_name, requirement_type, department)

),

employee_years as (

    select
        employee_id,
        department,
        cast(year(quarter_start) as integer) as year_number,
        bool_or(is_hired_in_quarter) as is_hired_in_year,
        bool_or(is_leaver_in_quarter) as is_leaver_in_year

    from employee_quarters
    group by employee_id, department, year_number

),

courses_owed as (

    select
        employee_years.employee_id,
        employee_years.year_number,
        training_requirements.course_name,
        training_requirements.requirement_type

    from employee_years
    inner join training_requirements
        on coalesce(training_requirements.department, employee_years.department)
            = employee_years.department
        and (
            (training_requirements.requirement_type = 'induction' and employee_years.is_hired_in_year)
            or (
                training_requirements.requirement_type = 'annual'
                and not employee_years.is_hired_in_year
                and not employee_years.is_leaver_in_year
            )
        )

),

mandatory_completions as (

    select distinct
        employee_id,
        course_name,
        cast(year(completed_date) as integer) as year_number

    from trainings
    where is_mandatory

),

final as (

    select
        courses_owed.employee_id || '|' || cast(courses_owed.year_number as varchar)
            || '|' || courses_owed.course_name as employee_year_course_id,
        courses_owed.employee_id,
        courses_owed.year_number,
        courses_owed.course_name,
        courses_owed.requirement_type,
        count(mandatory_completions.course_name) > 0 as is_completed

    from courses_owed
    left join mandatory_completions
        on courses_owed.employee_id = mandatory_completions.employee_id
        and courses_owed.course_name = mandatory_completions.course_name
        and (
            courses_owed.requirement_type = 'induction'
            or courses_owed.year_number = mandatory_completions.year_number
        )
    group by all

)

select * from final
