with

source as (

    select * from {{ source('accounting', 'expenses') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('expense_id') }} as expense_id,
        {{ rainbow_road_macros.parse_date('expense_date') }} as expense_date,
        {{ rainbow_road_macros.clean_id('facility_id') }} as facility_id,
        {{ rainbow_road_macros.clean_category('category') }} as category,
        {{ rainbow_road_macros.parse_money('amount') }} as amount_usd,
        {{ rainbow_road_macros.clean_text('vendor') }} as vendor_name,
        {{ rainbow_road_macros.clean_id('grant_id') }} as grant_id
    from source

)

select * from final
