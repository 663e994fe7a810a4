-- One row per foster network and month from the network's opening: placements open during
-- the month, the carers looking after them, and the foster carers registered with the network.
with

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

calendar as (

    select * from {{ ref('data_platform', 'dim_calendar') }}

),

placements as (

    select * from {{ ref('int_foster_placements_enriched') }}

),

volunteers as (

    select * from {{ ref('data_platform', 'stg_volunteer_portal__volunteers') }}

),

reporting_date as (

    select cast('{{ var("people_ops_as_of_date", "2025-12-31") }}' as date) as as_of_date

),

months as (

    select
        month_start,
        max(date_day) as month_end

    from calendar
    group by month_start

),

network_months as (

    select
        facilities.facility_id,
        facilities.region_id,
        months.month_start,
        months.month_end

    from facilities
    cross join reporting_date
    inner join months
        on months.month_end >= facilities.opened_date
        and months.month_start <= reporting_date.as_of_date
    where facilities.facility_type = 'foster_network'

),

placement_activity as (

    select
        network_months.facility_id,
        network_months.month_start,
        cast(count(placements.placement_id) as integer) as active_placements,
        cast(count(distinct placements.volunteer_id) as integer) as active_carers,
        cast(count(*) filter (where placements.start_date >= network_months.month_start) as integer)
            as placements_started,
        cast(count(*) filter (where placements.end_date <= network_months.month_end) as integer)
            as placements_ended,
        cast(count(*) filter (where placements.is_rural_rescue) as integer)
            as rural_rescue_placements

    from network_months
    inner join placements
        on network_months.facility_id = placements.facility_id
        and placements.start_date <= network_months.month_end
        and coalesce(placements.end_date, network_months.month_end) >= network_months.month_start
    group by network_months.facility_id, network_months.month_start

),

registered_carers as (

    select
        network_months.facility_id,
        network_months.month_start,
        cast(count(*) as integer) as registered_foster_carers

    from network_months
    inner join volunteers
        on network_months.facility_id = volunteers.home_facility_id
        and volunteers.joined_date <= network_months.month_end
    where volunteers.is_foster_carer
    group by network_months.facility_id, network_months.month_start

),

final as (

    select
        network_months.facility_id || '|' || cast(network_months.month_start as varchar)
            as network_month_id,
        network_months.facility_id,
        network_months.region_id,
        network_months.month_start,
        coalesce(placement_activity.active_placements, 0) as active_placements,
        coalesce(placement_activity.active_carers, 0) as active_carers,
        coalesce(placement_activity.placements_started, 0) as placements_started,
        coalesce(placement_activity.placements_ended, 0) as placements_ended,
        coalesce(placement_activity.rural_rescue_placements, 0) as rural_rescue_placements,
        coalesce(registered_carers.registered_foster_carers, 0) as registered_foster_carers,
        cast(
            coalesce(placement_activity.active_carers, 0)
            / nullif(registered_carers.registered_foster_carers, 0)
            as decimal(5, 4)
        ) as carer_utilisation_rate

    from network_months
    left join placement_activity
        on network_months.facility_id = placement_activity.facility_id
        and network_months.month_start = placement_activity.month_start
    left join registered_carers
        on network_months.facility_id = registered_carers.facility_id
        and network_months.month_start = registered_carers.month_start

)

select * from final
