with

donations as (

    select * from {{ ref('data_platform', 'int_donations_enriched') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by donor_id
            order by donated_at, donation_id
        ) as gift_number

    from donations

),

final as (

    select
        donor_id,
        donation_id as first_donation_id,
        donated_at as first_donated_at,
        donation_date as first_donation_date,
        amount_usd as first_amount_usd,
        payment_method as first_payment_method,
        is_recurring as is_first_gift_recurring,
        campaign_code as first_campaign_code,
        campaign_id as first_campaign_id,
        region_id as first_region_id

    from ranked
    where gift_number = 1

)

select * from final
