with

source as (

    select * from {{ source('volunteer_portal', 'volunteers') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('volunteer_id') }} as volunteer_id,
        {{ rainbow_road_macros.clean_text('first_name') }} as first_name,
        {{ rainbow_road_macros.clean_text('last_name') }} as last_name,
        lower({{ rainbow_road_macros.clean_text('email') }}) as email,
        {{ rainbow_road_macros.clean_id('home_facility_id') }} as home_facility_id,
        {{ rainbow_road_macros.parse_date('joined_date') }} as joined_date,
        {{ rainbow_road_macros.clean_category('status') }} as status,
        {{ rainbow_road_macros.parse_boolean('foster_carer') }} as is_foster_carer
    from source

)

select * from final
