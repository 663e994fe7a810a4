-- One row per department and quarter: headcount at quarter end, hires, leavers and the
-- gender mix of the people employed at quarter end.
with

employee_quarters as (

    select * from {{ ref('int_employee_quarters') }}

),

final as (

    select
        department || '|' || cast(quarter_start as varchar) as department_quarter_id,
        department,
        quarter_start,
        cast(count(*) filter (where is_employed_at_quarter_end) as integer) as headcount,
        cast(count(*) filter (where is_hired_in_quarter) as integer) as hires,
        cast(count(*) filter (where is_leaver_in_quarter) as integer) as leavers,
        cast(count(*) filter (where is_employed_at_quarter_end and gender = 'woman') as integer)
            as women_count,
        cast(count(*) filter (where is_employed_at_quarter_end and gender = 'man') as integer)
            as men_count,
        cast(count(*) filter (where is_employed_at_quarter_end and gender = 'non_binary') as integer)
            as non_binary_count,
        cast(count(*) filter (where is_employed_at_quarter_end and gender = 'undisclosed') as integer)
            as undisclosed_count

    from employee_quarters
    group by department, quarter_start

)

select * from final
