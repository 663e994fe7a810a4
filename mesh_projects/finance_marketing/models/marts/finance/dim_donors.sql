-- Holds names and email addresses: personal data, for the finance team only.
with

donors as (

    select * from {{ ref('data_platform', 'stg_donor_crm__donors') }}

),

states as (

    select * from {{ ref('data_platform', 'stg_ops_reference__states') }}

),

donations as (

    select * from {{ ref('data_platform', 'int_donations_enriched') }}

),

first_gifts as (

    select * from {{ ref('int_donor_first_gifts') }}

),

giving as (

    select
        donor_id,
        cast(count(*) as integer) as donation_count,
        cast(sum(amount_usd) as decimal(14, 2)) as lifetime_amount_usd,
        max(donation_date) as last_donation_date,
        bool_or(is_recurring) as has_recurring_gift

    from donations
    group by donor_id

),

final as (

    select
        donors.donor_id,
        donors.donor_type,
        donors.donor_name,
        donors.email,
        donors.state_code,
        states.region_id,
        donors.created_date,
        first_gifts.first_donation_date,
        first_gifts.first_amount_usd,
        first_gifts.first_campaign_code,
        giving.last_donation_date,
        coalesce(giving.donation_count, 0) as donation_count,
        cast(coalesce(giving.lifetime_amount_usd, 0) as decimal(14, 2)) as lifetime_amount_usd,
        coalesce(giving.has_recurring_gift, false) as has_recurring_gift,
        giving.donor_id is not null as has_donated

    from donors
    left join states
        on donors.state_code = states.state_code
    left join first_gifts
        on donors.donor_id = first_gifts.donor_id
    left join giving
        on donors.donor_id = giving.donor_id

)

select * from final
