-- Direct cost of each animal: its vet bills plus a share of transport spending.
-- Each month's transport expenses are shared over that month's trips by miles driven.
with

medical_costs as (

    select * from {{ ref('data_platform', 'int_medical_costs_by_animal') }}

),

transports as (

    select * from {{ ref('data_platform', 'int_transports_routed') }}

),

expenses_monthly as (

    select * from {{ ref('int_expenses_by_facility_month') }}

),

animals as (

    select * from {{ ref('data_platform', 'dim_animals') }}

),

transports_with_month as (

    select
        animal_id,
        distance_miles,
        cast(date_trunc('month', departed_at) as date) as month_start

    from transports

),

transport_spend_by_month as (

    select
        month_start,
        sum(transport_usd) as transport_usd

    from expenses_monthly
    group by month_start

),

miles_by_month as (

    select
        month_start,
        sum(distance_miles) as total_miles

    from transports_with_month
    group by month_start

),

cost_per_mile as (

    select
        miles_by_month.month_start,
        coalesce(transport_spend_by_month.transport_usd, 0)
            / nullif(miles_by_month.total_miles, 0) as usd_per_mile

    from miles_by_month
    left join transport_spend_by_month
        on miles_by_month.month_start = transport_spend_by_month.month_start

),

transport_costs as (

    select
        transports_with_month.animal_id,
        count(*) as transport_count,
        sum(transports_with_month.distance_miles) as transport_miles,
        sum(transports_with_month.distance_miles * coalesce(cost_per_mile.usd_per_mile, 0))
            as transport_cost_usd

    from transports_with_month
    left join cost_per_mile
        on transports_with_month.month_start = cost_per_mile.month_start
    group by transports_with_month.animal_id

),

animals_with_costs as (

    select animal_id from medical_costs
    union
    select animal_id from transport_costs

),

animal_costs as (

    select
        animals_with_costs.animal_id,
        animals.species,
        cast(coalesce(medical_costs.total_medical_cost_usd, 0) as decimal(14, 2))
            as medical_cost_usd,
        cast(coalesce(transport_costs.transport_count, 0) as integer) as transport_count,
        cast(coalesce(transport_costs.transport_miles, 0) as integer) as transport_miles,
        cast(coalesce(transport_costs.transport_cost_usd, 0) as decimal(14, 2))
            as allocated_transport_cost_usd

    from animals_with_costs
    left join animals
        on animals_with_costs.animal_id = animals.animal_id
    left join medical_costs
        on animals_with_costs.animal_id = medical_costs.animal_id
    left join transport_costs
        on animals_with_costs.animal_id = transport_costs.animal_id

),

final as (

    select
        *,
        cast(medical_cost_usd + allocated_transport_cost_usd as decimal(14, 2))
            as total_direct_cost_usd

    from animal_costs

)

select * from final
