with

facilities as (

    select * from {{ ref('stg_ops_reference__facilities') }}

),

states as (

    select * from {{ ref('stg_ops_reference__states') }}

),

regions as (

    select * from {{ ref('stg_ops_reference__regions') }}

),

facilities_with_states as (

    select
        facilities.facility_id,
        facilities.facility_name,
        facilities.facility_type,
        facilities.city,
        facilities.state_code,
        states.state_name,
        states.region_id,
        facilities.capacity,
        facilities.opened_date,
        facilities.partner_id

    from facilities
    left join states
        on facilities.state_code = states.state_code

),

final as (

    select
        facilities_with_states.facility_id,
        facilities_with_states.facility_name,
        facilities_with_states.facility_type,
        facilities_with_states.city,
        facilities_with_states.state_code,
        facilities_with_states.state_name,
        facilities_with_states.region_id,
        regions.region_name,
        facilities_with_states.capacity,
        facilities_with_states.opened_date,
        facilities_with_states.partner_id

    from facilities_with_states
    left join regions
        on facilities_with_states.region_id = regions.region_id

)

select * from final
