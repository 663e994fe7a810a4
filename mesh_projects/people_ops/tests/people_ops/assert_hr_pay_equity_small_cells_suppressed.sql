-- No pay equity cell with fewer than three people may show a gender figure, and every cell of
-- three or more must show them all.
with

pay_equity as (

    select * from {{ ref('hr_pay_equity') }}

),

final as (

    select *

    from pay_equity
    where (
            employee_count < 3
            and (
                not is_suppressed
                or coalesce(women_count, men_count, non_binary_count, undisclosed_count) is not null
                or coalesce(women_share, men_share) is not null
            )
        )
        or (
            employee_count >= 3
            and (
                is_suppressed
                or women_count + men_count + non_binary_count + undisclosed_count != employee_count
            )
        )

)

select * from final
