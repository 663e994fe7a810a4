-- One row per department and quarter: who was employed when the quarter began, who left,
-- and the share of the starting headcount still employed when it ended.
with

employee_quarters as (

    select * from {{ ref('int_employee_quarters') }}

),

tenure as (

    select * from {{ ref('int_employee_tenure') }}

),

quarters_with_tenure as (

    select
        employee_quarters.*,
        tenure.is_first_year_leaver

    from employee_quarters
    inner join tenure
        on employee_quarters.employee_id = tenure.employee_id

),

counts as (

    select
        department,
        quarter_start,
        cast(count(*) filter (where is_employed_at_quarter_start) as integer) as headcount_at_start,
        cast(count(*) filter (where is_hired_in_quarter) as integer) as hires,
        cast(count(*) filter (where is_leaver_in_quarter) as integer) as leavers,
        cast(count(*) filter (where is_leaver_in_quarter and is_first_year_leaver) as integer)
            as first_year_leavers,
        cast(count(*) filter (where is_employed_at_quarter_end) as integer) as headcount_at_end,
        cast(
            count(*) filter (where is_employed_at_quarter_start and is_employed_at_quarter_end)
            as integer
        ) as retained_from_start

    from quarters_with_tenure
    group by department, quarter_start

),

final as (

    select
        department || '|' || cast(quarter_start as varchar) as department_quarter_id,
        *,
        cast(retained_from_start / nullif(headcount_at_start, 0) as decimal(5, 4))
            as retention_rate,
        cast(
            leavers / nullif((headcount_at_start + headcount_at_end) / 2, 0)
            as decimal(5, 4)
        ) as attrition_rate

    from counts

)

select * from final
