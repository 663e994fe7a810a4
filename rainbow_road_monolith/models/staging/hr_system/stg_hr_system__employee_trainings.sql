with

source as (

    select * from {{ source('hr_system', 'employee_trainings') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('training_id') }} as training_id,
        {{ rainbow_road_macros.clean_id('employee_id') }} as employee_id,
        {{ rainbow_road_macros.clean_text('course_name') }} as course_name,
        {{ rainbow_road_macros.parse_boolean('mandatory') }} as is_mandatory,
        {{ rainbow_road_macros.parse_date('completed_date') }} as completed_date,
        cast({{ rainbow_road_macros.parse_measure('hours') }} as decimal(5, 2)) as training_hours
    from source

)

select * from final
