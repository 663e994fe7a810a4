with

source as (

    select * from {{ source('ops_reference', 'facilities') }}

),

final as (

    select
        {{ clean_id('facility_id') }} as facility_id,
        {{ clean_text('facility_name') }} as facility_name,
        -- some rows spell it 'Adoption Center'
        replace({{ clean_category('facility_type') }}, 'center', 'centre') as facility_type,
        {{ clean_text('city') }} as city,
        {{ clean_state_code('state') }} as state_code,
        {{ parse_date('opened_date') }} as opened_date,
        {{ parse_integer('capacity') }} as capacity,
        {{ clean_id('partner_id') }} as partner_id
    from source

)

select * from final
