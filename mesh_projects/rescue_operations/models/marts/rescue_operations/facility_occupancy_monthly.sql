-- How full each facility was in each month it was open. Foster networks have
-- no fixed capacity, so their occupancy rate stays empty.
with

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

daily_occupancy as (

    select * from {{ ref('int_facility_daily_occupancy') }}

),

monthly as (

    select
        facility_id,
        month_start,
        count(*) as days_open,
        sum(animals_in_care) as animal_days,
        avg(animals_in_care) as average_animals_in_care,
        max(animals_in_care) as peak_animals_in_care

    from daily_occupancy
    group by facility_id, month_start

),

final as (

    select
        monthly.facility_id,
        facilities.facility_type,
        facilities.region_id,
        monthly.month_start,
        facilities.capacity,
        cast(monthly.days_open as integer) as days_open,
        cast(monthly.animal_days as integer) as animal_days,
        round(monthly.average_animals_in_care, 1) as average_animals_in_care,
        cast(monthly.peak_animals_in_care as integer) as peak_animals_in_care,
        round(monthly.average_animals_in_care / nullif(facilities.capacity, 0), 4)
            as average_occupancy_rate,
        coalesce(monthly.peak_animals_in_care > facilities.capacity, false) as was_over_capacity

    from monthly
    left join facilities
        on monthly.facility_id = facilities.facility_id

)

select * from final
