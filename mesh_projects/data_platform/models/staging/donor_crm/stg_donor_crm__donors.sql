with

source as (

    select * from {{ source('donor_crm', 'donors') }}

),

final as (

    select
        {{ clean_id('donor_id') }} as donor_id,
        {{ clean_category('donor_type') }} as donor_type,
        {{ clean_text('donor_name') }} as donor_name,
        lower({{ clean_text('email') }}) as email,
        {{ clean_state_code('state') }} as state_code,
        {{ parse_date('created_date') }} as created_date
    from source

)

select * from final
