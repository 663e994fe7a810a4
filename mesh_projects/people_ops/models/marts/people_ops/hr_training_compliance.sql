-- One row per employee per calendar year in which they were employed: mandatory trainings
-- completed that year, and whether every mandatory course they owed that year is done.
with

employee_quarters as (

    select * from {{ ref('int_employee_quarters') }}

),

trainings as (

    select * from {{ ref('stg_hr_system__employee_trainings') }}

),

courses_owed as (

    select * from {{ ref('int_mandatory_trainings_owed') }}

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

trainings_per_year as (

    select
        employee_id,
        cast(year(completed_date) as integer) as year_number,
        cast(count(*) filter (where is_mandatory) as integer) as mandatory_trainings_completed,
        cast(coalesce(sum(training_hours) filter (where is_mandatory), 0) as decimal(10, 2))
            as mandatory_training_hours,
        cast(sum(training_hours) as decimal(10, 2)) as total_training_hours

    from trainings
    group by employee_id, year_number

),

courses_owed_per_year as (

    select
        employee_id,
        year_number,
        cast(count(*) as integer) as mandatory_courses_owed,
        cast(count(*) filter (where is_completed) as integer) as mandatory_courses_completed

    from courses_owed
    group by employee_id, year_number

),

final as (

    select
        employee_years.employee_id || '|' || cast(employee_years.year_number as varchar)
            as employee_year_id,
        employee_years.*,
        coalesce(trainings_per_year.mandatory_trainings_completed, 0)
            as mandatory_trainings_completed,
        coalesce(trainings_per_year.mandatory_training_hours, 0.00) as mandatory_training_hours,
        coalesce(trainings_per_year.total_training_hours, 0.00) as total_training_hours,
        coalesce(courses_owed_per_year.mandatory_courses_owed, 0) as mandatory_courses_owed,
        coalesce(courses_owed_per_year.mandatory_courses_completed, 0)
            as mandatory_courses_completed,
        coalesce(courses_owed_per_year.mandatory_courses_completed, 0)
            = coalesce(courses_owed_per_year.mandatory_courses_owed, 0) as is_compliant

    from employee_years
    left join trainings_per_year
        on employee_years.employee_id = trainings_per_year.employee_id
        and employee_years.year_number = trainings_per_year.year_number
    left join courses_owed_per_year
        on employee_years.employee_id = courses_owed_per_year.employee_id
        and employee_years.year_number = courses_owed_per_year.year_number

)

select * from final
