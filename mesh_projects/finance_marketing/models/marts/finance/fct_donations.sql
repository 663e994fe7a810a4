with

donations as (

    select * from {{ ref('data_platform', 'int_donations_enriched') }}

),

first_gifts as (

    select * from {{ ref('int_donor_first_gifts') }}

),

final as (

    select
        donations.donation_id,
        donations.donor_id,
        donations.donor_type,
        donations.donated_at,
        donations.donation_date,
        cast(date_trunc('month', donations.donation_date) as date) as month_start,
        donations.amount_usd,
        donations.payment_method,
        donations.is_recurring,
        donations.donation_id = first_gifts.first_donation_id as is_first_gift,
        donations.campaign_code,
        donations.campaign_id,
        donations.region_id

    from donations
    left join first_gifts
        on donations.donor_id = first_gifts.donor_id

)

select * from final
