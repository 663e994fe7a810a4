-- In every month with trips, the transport spending shared out to animals adds up
-- to the month's transport expenses. Allowing half a cent of rounding per animal.
with

shared as (

    select
        sum(allocated_transport_cost_usd) as allocated_usd,
        count(*) as animal_count

    from {{ ref('cost_per_animal') }}

),

months_with_trips as (

    select distinct cast(date_trunc('month', departed_at) as date) as month_start
    from {{ ref('data_platform', 'int_transports_routed') }}
    where distance_miles > 0

),

spending as (

    select coalesce(sum(expenses.transport_usd), 0) as transport_usd
    from {{ ref('int_expenses_by_facility_month') }} as expenses
    inner join months_with_trips
        on expenses.month_start = months_with_trips.month_start

)

select
    shared.allocated_usd,
    spending.transport_usd

from shared
cross join spending
where abs(shared.allocated_usd - spending.transport_usd) > 0.005 * shared.animal_count
