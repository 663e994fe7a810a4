with

source as (

    select * from {{ source('ops_reference', 'partner_organisations') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('partner_id') }} as partner_id,
        {{ rainbow_road_macros.clean_text('partner_name') }} as partner_name,
        {{ rainbow_road_macros.clean_category('partner_type') }} as partner_type,
        {{ rainbow_road_macros.clean_state_code('state') }} as state_code,
        {{ rainbow_road_macros.parse_date('agreement_start_date') }} as agreement_start_date,
        lower({{ rainbow_road_macros.clean_text('contact_email') }}) as contact_email
    from source

)

select * from final
