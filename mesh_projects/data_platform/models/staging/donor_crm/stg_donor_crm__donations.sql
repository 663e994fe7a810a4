with

source as (

    select * from {{ source('donor_crm', 'donations') }}

),

cleaned as (

    select
        {{ clean_id('donation_id') }} as donation_id,
        {{ clean_id('donor_id') }} as donor_id,
        {{ parse_timestamp('donated_at') }} as donated_at,
        {{ parse_money('amount') }} as amount_usd,
        case {{ clean_category('payment_method') }}
            when 'credit_card' then 'card'
            when 'cheque' then 'check'
            when 'wire' then 'bank_transfer'
            else {{ clean_category('payment_method') }}
        end as payment_method,
        {{ clean_id('campaign_code') }} as campaign_code,
        {{ parse_boolean('recurring') }} as is_recurring,
        {{ clean_id('designated_region') }} as designated_region_id
    from source

),

final as (

    -- the same gift is sometimes recorded twice: the copies are identical, keep one
    select distinct * from cleaned

)

select * from final
