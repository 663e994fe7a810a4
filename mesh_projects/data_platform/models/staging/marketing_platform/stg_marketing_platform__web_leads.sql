with

source as (

    select * from {{ source('marketing_platform', 'web_leads') }}

),

cleaned as (

    select
        {{ rainbow_road_macros.clean_id('lead_id') }} as lead_id,
        {{ rainbow_road_macros.parse_timestamp('created_at') }} as created_at,
        lower({{ rainbow_road_macros.clean_text('email') }}) as email,
        {{ rainbow_road_macros.clean_id('campaign_code') }} as campaign_code,
        {{ rainbow_road_macros.clean_category('channel') }} as channel,
        {{ rainbow_road_macros.clean_category('interest') }} as interest,
        {{ rainbow_road_macros.clean_state_code('state') }} as state_code
    from source

),

final as (

    -- visitors sometimes send the same web form twice: the copies are identical, keep one
    select distinct * from cleaned

)

select * from final
