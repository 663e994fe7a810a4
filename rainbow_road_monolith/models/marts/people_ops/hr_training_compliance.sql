-- One row per employee per calendar year in which they were employed: the mandatory courses
-- they completed that year against the mandatory courses Rainbow Road ran that year.
with

employee_quarters as (

    select * from {{ ref('int_employee_quarters') }}

),

trainings as (

    select * from {{ ref('stg_hr_system__employee_trainings') }}

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

trainings_with_year as (

    select
        *,
        cast(year(completed_date) as integer) as year_number

    from trainings

),

mandatory_courses_per_year as (

    select
        year_number,
        cast(count(distinct course_name) as integer) as mandatory_courses_required

    from trainings_with_year
    where is_mandatory
    group by year_number

),

trainings_per_employee_year as (

    select
        employee_id,
        year_number,
        cast(count(distinct course_name) filter (where is_mandatory) as integer)
            as mandatory_courses_completed,
        cast(sum(training_hours) filter (where is_mandatory) as decimal(10, 2))
            as mandatory_training_hours,
        cast(sum(training_hours) as decimal(10, 2)) as total_training_hours

    from trainings_with_year
    group by employee_id, year_number

),

final as (

    select
        employee_years.employee_id || '|' || cast(employee_years.year_number as varchar)
            as employee_year_id,
        employee_years.employee_id,
        employee_years.department,
        employee_years.year_number,
        employee_years.is_hired_in_year,
        employee_years.is_leaver_in_year,
        coalesce(mandatory_courses_per_year.mandatory_courses_required, 0)
            as mandatory_courses_required,
        coalesce(trainings_per_employee_year.mandatory_courses_completed, 0)
            as mandatory_courses_completed,
        coalesce(trainings_per_employee_year.mandatory_training_hours, 0)
            as mandatory_training_hours,
        coalesce(trainings_per_employee_year.total_training_hours, 0) as total_training_hours,
        coalesce(trainings_per_employee_year.mandatory_courses_completed, 0)
            >= coalesce(mandatory_courses_per_year.mandatory_courses_required, 0) as is_compliant

    from employee_years
    left join mandatory_courses_per_year
        on employee_years.year_number = mandatory_courses_per_year.year_number
    left join trainings_per_employee_year
        on employee_years.employee_id = trainings_per_employee_year.employee_id
        and employee_years.year_number = trainings_per_employee_year.year_number

)

select * from final
