with

source as (

    select * from {{ source('hr_system', 'employee_trainings') }}

),

final as (

    select
        {{ clean_id('training_id') }} as training_id,
        {{ clean_id('employee_id') }} as employee_id,
        {{ clean_text('course_name') }} as course_name,
        {{ parse_boolean('mandatory') }} as is_mandatory,
        {{ parse_date('completed_date') }} as completed_date,
        cast({{ parse_measure('hours') }} as decimal(5, 2)) as training_hours
    from source

)

select * from final
