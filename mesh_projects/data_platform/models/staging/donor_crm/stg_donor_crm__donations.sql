with

source as (

    select * from {{ source('donor_crm', 'donations') }}

),

cleaned as (

    select
        {{ rainbow_road_macros.clean_id('donation_id') }} as donation_id,
        {{ rainbow_road_macros.clean_id('donor_id') }} as donor_id,
        {{ rainbow_road_macros.parse_timestamp('donated_at') }} as donated_at,
        {{ rainbow_road_macros.parse_money('amount') }} as amount_usd,
        case {{ rainbow_road_macros.clean_category('payment_method') }}
            when 'credit_card' then 'card'
            when 'cheque' then 'check'
            when 'wire' then 'bank_transfer'
            else {{ rainbow_road_macros.clean_category('payment_method') }}
        end as payment_method,
        {{ rainbow_road_macros.clean_id('campaign_code') }} as campaign_code,
        {{ rainbow_road_macros.parse_boolean('recurring') }} as is_recurring,
        {{ rainbow_road_macros.clean_id('designated_region') }} as designated_region_id
    from source

),

final as (

    -- the same gift is sometimes recorded twice: the copies are identical, keep one
    select distinct * from cleaned

)

select * from final
