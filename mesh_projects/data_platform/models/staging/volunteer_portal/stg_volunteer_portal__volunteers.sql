with

source as (

    select * from {{ source('volunteer_portal', 'volunteers') }}

),

final as (

    select
        {{ clean_id('volunteer_id') }} as volunteer_id,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        lower({{ clean_text('email') }}) as email,
        {{ clean_id('home_facility_id') }} as home_facility_id,
        {{ parse_date('joined_date') }} as joined_date,
        {{ clean_category('status') }} as status,
        {{ parse_boolean('foster_carer') }} as is_foster_carer
    from source

)

select * from final
