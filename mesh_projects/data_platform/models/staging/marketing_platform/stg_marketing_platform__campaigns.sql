with

source as (

    select * from {{ source('marketing_platform', 'campaigns') }}

),

final as (

    select
        {{ clean_id('campaign_id') }} as campaign_id,
        {{ clean_id('campaign_code') }} as campaign_code,
        {{ clean_text('campaign_name') }} as campaign_name,
        {{ clean_category('goal') }} as goal,
        {{ clean_id('region_id') }} as region_id,
        {{ parse_date('start_date') }} as start_date,
        {{ parse_date('end_date') }} as end_date
    from source

)

select * from final
