with

source as (

    select * from {{ source('ops_reference', 'partner_organisations') }}

),

final as (

    select
        {{ clean_id('partner_id') }} as partner_id,
        {{ clean_text('partner_name') }} as partner_name,
        {{ clean_category('partner_type') }} as partner_type,
        {{ clean_state_code('state') }} as state_code,
        {{ parse_date('agreement_start_date') }} as agreement_start_date,
        lower({{ clean_text('contact_email') }}) as contact_email
    from source

)

select * from final
