with

facilities as (

    select * from {{ ref('int_facilities_with_regions') }}

),

final as (

    select
        facility_id,
        facility_name,
        facility_type,
        city,
        state_code,
        state_name,
        region_id,
        region_name,
        capacity,
        opened_date,
        partner_id

    from facilities

)

select * from final
