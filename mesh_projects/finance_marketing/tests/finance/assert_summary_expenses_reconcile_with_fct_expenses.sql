-- Operating expenses in the monthly summary are every accounting expense except
-- marketing, which the summary takes from the campaign platform instead.
with

summary as (

    select sum(operating_expenses_usd) as operating_expenses_usd
    from {{ ref('finance_monthly_summary') }}

),

expenses as (

    select coalesce(sum(amount_usd), 0) as operating_expenses_usd
    from {{ ref('fct_expenses') }}
    where category <> 'marketing'

)

select
    summary.operating_expenses_usd as summary_operating_expenses_usd,
    expenses.operating_expenses_usd as fct_operating_expenses_usd

from summary
cross join expenses
where summary.operating_expenses_usd <> expenses.operating_expenses_usd
