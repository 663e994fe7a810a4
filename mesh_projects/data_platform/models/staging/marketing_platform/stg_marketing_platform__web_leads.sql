with

source as (

    select * from {{ source('marketing_platform', 'web_leads') }}

),

cleaned as (

    select
        {{ clean_id('lead_id') }} as lead_id,
        {{ parse_timestamp('created_at') }} as created_at,
        lower({{ clean_text('email') }}) as email,
        {{ clean_id('campaign_code') }} as campaign_code,
        {{ clean_category('channel') }} as channel,
        {{ clean_category('interest') }} as interest,
        {{ clean_state_code('state') }} as state_code
    from source

),

final as (

    -- visitors sometimes send the same web form twice: the copies are identical, keep one
    select distinct * from cleaned

)

select * from final
