-- Head-office expenses have no facility; they get their own row per month.
with

expenses as (

    select * from {{ ref('stg_accounting__expenses') }}

),

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

expenses_with_month as (

    select
        facility_id,
        cast(date_trunc('month', expense_date) as date) as month_start,
        category,
        amount_usd,
        grant_id

    from expenses

),

monthly as (

    select
        facility_id,
        month_start,
        count(*) as expense_count,
        sum(amount_usd) filter (where category = 'medical') as medical_usd,
        sum(amount_usd) filter (where category = 'transport') as transport_usd,
        sum(amount_usd) filter (where category = 'animal_food') as animal_food_usd,
        sum(amount_usd) filter (where category = 'payroll') as payroll_usd,
        sum(amount_usd) filter (where category = 'marketing') as marketing_usd,
        sum(amount_usd) filter (where category = 'facilities') as facilities_usd,
        sum(amount_usd) filter (where category = 'admin') as admin_usd,
        sum(amount_usd) filter (where grant_id is not null) as grant_funded_usd,
        sum(amount_usd) as total_usd

    from expenses_with_month
    group by facility_id, month_start

),

final as (

    select
        coalesce(monthly.facility_id, 'HEAD-OFFICE')
            || '|' || strftime(monthly.month_start, '%Y-%m') as facility_month_key,
        monthly.facility_id,
        monthly.facility_id is null as is_head_office,
        facilities.region_id,
        monthly.month_start,
        cast(monthly.expense_count as integer) as expense_count,
        cast(coalesce(monthly.medical_usd, 0) as decimal(14, 2)) as medical_usd,
        cast(coalesce(monthly.transport_usd, 0) as decimal(14, 2)) as transport_usd,
        cast(coalesce(monthly.animal_food_usd, 0) as decimal(14, 2)) as animal_food_usd,
        cast(coalesce(monthly.payroll_usd, 0) as decimal(14, 2)) as payroll_usd,
        cast(coalesce(monthly.marketing_usd, 0) as decimal(14, 2)) as marketing_usd,
        cast(coalesce(monthly.facilities_usd, 0) as decimal(14, 2)) as facilities_usd,
        cast(coalesce(monthly.admin_usd, 0) as decimal(14, 2)) as admin_usd,
        cast(coalesce(monthly.grant_funded_usd, 0) as decimal(14, 2)) as grant_funded_usd,
        cast(monthly.total_usd as decimal(14, 2)) as total_usd

    from monthly
    left join facilities
        on monthly.facility_id = facilities.facility_id

)

select * from final
