-- Each grant has one row for every month its period touches, and the monthly
-- shares add up to the amount awarded, to the cent.
with

grants as (

    select * from {{ ref('data_platform', 'stg_donor_crm__grants') }}

),

grant_months as (

    select
        grant_id,
        count(*) as month_count,
        sum(allocated_amount_usd) as allocated_usd

    from {{ ref('int_grant_months') }}
    group by grant_id

)

select
    grants.grant_id,
    grants.start_date,
    grants.end_date,
    grants.amount_usd,
    grant_months.month_count,
    grant_months.allocated_usd

from grants
left join grant_months
    on grants.grant_id = grant_months.grant_id
where grant_months.grant_id is null
    or grant_months.month_count
        <> date_diff('month', grants.start_date, grants.end_date) + 1
    or grant_months.allocated_usd <> grants.amount_usd
