with

source as (

    select * from {{ source('ops_reference', 'facilities') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('facility_id') }} as facility_id,
        {{ rainbow_road_macros.clean_text('facility_name') }} as facility_name,
        -- some rows spell it 'Adoption Center'
        replace({{ rainbow_road_macros.clean_category('facility_type') }}, 'center', 'centre') as facility_type,
        {{ rainbow_road_macros.clean_text('city') }} as city,
        {{ rainbow_road_macros.clean_state_code('state') }} as state_code,
        {{ rainbow_road_macros.parse_date('opened_date') }} as opened_date,
        {{ rainbow_road_macros.parse_integer('capacity') }} as capacity,
        {{ rainbow_road_macros.clean_id('partner_id') }} as partner_id
    from source

)

select * from final
