with

source as (

    select * from {{ source('donor_crm', 'donors') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('donor_id') }} as donor_id,
        {{ rainbow_road_macros.clean_category('donor_type') }} as donor_type,
        {{ rainbow_road_macros.clean_text('donor_name') }} as donor_name,
        lower({{ rainbow_road_macros.clean_text('email') }}) as email,
        {{ rainbow_road_macros.clean_state_code('state') }} as state_code,
        {{ rainbow_road_macros.parse_date('created_date') }} as created_date
    from source

)

select * from final
