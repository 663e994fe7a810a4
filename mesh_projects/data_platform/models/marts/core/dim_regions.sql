with

regions as (

    select * from {{ ref('stg_ops_reference__regions') }}

),

states as (

    select * from {{ ref('stg_ops_reference__states') }}

),

facilities as (

    select * from {{ ref('int_facilities_with_regions') }}

),

states_per_region as (

    select
        region_id,
        count(*) as state_count

    from states
    group by region_id

),

facilities_per_region as (

    select
        region_id,
        count(*) as facility_count

    from facilities
    group by region_id

),

final as (

    select
        regions.region_id,
        regions.region_name,
        cast(coalesce(states_per_region.state_count, 0) as integer) as state_count,
        cast(coalesce(facilities_per_region.facility_count, 0) as integer) as facility_count

    from regions
    left join states_per_region
        on regions.region_id = states_per_region.region_id
    left join facilities_per_region
        on regions.region_id = facilities_per_region.region_id

)

select * from final
