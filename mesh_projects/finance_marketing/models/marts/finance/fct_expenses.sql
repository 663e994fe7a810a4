with

expenses as (

    select * from {{ ref('stg_accounting__expenses') }}

),

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

final as (

    select
        expenses.expense_id,
        expenses.expense_date,
        cast(date_trunc('month', expenses.expense_date) as date) as month_start,
        expenses.facility_id,
        expenses.facility_id is null as is_head_office,
        facilities.facility_type,
        facilities.region_id,
        expenses.category,
        expenses.amount_usd,
        expenses.vendor_name,
        expenses.grant_id,
        expenses.grant_id is not null as is_grant_funded

    from expenses
    left join facilities
        on expenses.facility_id = facilities.facility_id

)

select * from final
