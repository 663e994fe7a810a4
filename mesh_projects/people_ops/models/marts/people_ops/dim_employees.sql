-- One row per employee (sensitive: names, gender and pay band of individual staff).
with

employees as (

    select * from {{ ref('stg_hr_system__employees') }}

),

tenure as (

    select * from {{ ref('int_employee_tenure') }}

),

trainings as (

    select * from {{ ref('stg_hr_system__employee_trainings') }}

),

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

training_history as (

    select
        employee_id,
        cast(count(*) filter (where is_mandatory) as integer) as mandatory_trainings_completed,
        cast(sum(training_hours) as decimal(10, 2)) as training_hours,
        max(completed_date) as last_training_date

    from trainings
    group by employee_id

),

final as (

    select
        tenure.employee_id,
        employees.first_name,
        employees.last_name,
        tenure.department,
        tenure.job_title,
        tenure.pay_band,
        tenure.facility_id,
        facilities.facility_name,
        facilities.region_id,
        tenure.facility_id is null as is_head_office,
        tenure.gender,
        tenure.hire_date,
        tenure.leave_date,
        tenure.is_active,
        tenure.has_left,
        tenure.tenure_days,
        tenure.tenure_years,
        tenure.is_first_year_leaver,
        coalesce(training_history.mandatory_trainings_completed, 0) as mandatory_trainings_completed,
        coalesce(training_history.training_hours, 0) as training_hours,
        training_history.last_training_date

    from tenure
    inner join employees
        on tenure.employee_id = employees.employee_id
    left join facilities
        on tenure.facility_id = facilities.facility_id
    left join training_history
        on tenure.employee_id = training_history.employee_id

)

select * from final
