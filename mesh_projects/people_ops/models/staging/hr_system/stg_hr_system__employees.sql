with

source as (

    select * from {{ source('hr_system', 'employees') }}

),

final as (

    select
        {{ clean_id('employee_id') }} as employee_id,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_category('department') }} as department,
        {{ clean_text('job_title') }} as job_title,
        -- 'b3', ' B3' and 'Band 3' all mean B3
        'B' || regexp_extract(pay_band, '[1-6]') as pay_band,
        {{ clean_id('facility_id') }} as facility_id,
        {{ parse_date('hire_date') }} as hire_date,
        {{ parse_date('leave_date') }} as leave_date,
        case
            when {{ clean_category('gender') }} in ('woman', 'w', 'f', 'female') then 'woman'
            when {{ clean_category('gender') }} in ('man', 'm', 'male') then 'man'
            when {{ clean_category('gender') }} in ('non_binary', 'nonbinary') then 'non_binary'
            else 'undisclosed'
        end as gender
    from source

)

select * from final
