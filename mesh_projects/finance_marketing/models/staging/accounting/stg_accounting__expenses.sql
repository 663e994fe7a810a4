with

source as (

    select * from {{ source('accounting', 'expenses') }}

),

final as (

    select
        {{ clean_id('expense_id') }} as expense_id,
        {{ parse_date('expense_date') }} as expense_date,
        {{ clean_id('facility_id') }} as facility_id,
        {{ clean_category('category') }} as category,
        {{ parse_money('amount') }} as amount_usd,
        {{ clean_text('vendor') }} as vendor_name,
        {{ clean_id('grant_id') }} as grant_id
    from source

)

select * from final
