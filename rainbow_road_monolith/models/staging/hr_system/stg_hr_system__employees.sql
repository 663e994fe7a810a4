with

source as (

    select * from {{ source('hr_system', 'employees') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('employee_id') }} as employee_id,
        {{ rainbow_road_macros.clean_text('first_name') }} as first_name,
        {{ rainbow_road_macros.clean_text('last_name') }} as last_name,
        {{ rainbow_road_macros.clean_category('department') }} as department,
        {{ rainbow_road_macros.clean_text('job_title') }} as job_title,
        -- 'b3', ' B3' and 'Band 3' all mean B3
        'B' || regexp_extract(pay_band, '[1-6]') as pay_band,
        {{ rainbow_road_macros.clean_id('facility_id') }} as facility_id,
        {{ rainbow_road_macros.parse_date('hire_date') }} as hire_date,
        {{ rainbow_road_macros.parse_date('leave_date') }} as leave_date,
        case
            when {{ rainbow_road_macros.clean_category('gender') }} in ('woman', 'w', 'f', 'female') then 'woman'
            when {{ rainbow_road_macros.clean_category('gender') }} in ('man', 'm', 'male') then 'man'
            when {{ rainbow_road_macros.clean_category('gender') }} in ('non_binary', 'nonbinary') then 'non_binary'
            else 'undisclosed'
        end as gender
    from source

)

select * from final
