with

source as (

    select * from {{ source('donor_crm', 'grants') }}

),

final as (

    select
        {{ clean_id('grant_id') }} as grant_id,
        {{ clean_text('funder_name') }} as funder_name,
        {{ parse_date('awarded_date') }} as awarded_date,
        {{ parse_money('amount') }} as amount_usd,
        {{ parse_date('start_date') }} as start_date,
        {{ parse_date('end_date') }} as end_date,
        {{ clean_id('reporting_region') }} as reporting_region_id,
        {{ clean_category('purpose') }} as purpose,
        {{ parse_integer('target_live_releases') }} as target_live_releases
    from source

)

select * from final
