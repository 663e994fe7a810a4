-- Gifts credited to campaigns add up to the gifts that carried a known campaign code.
with

credited as (

    select
        sum(donation_count) as donation_count,
        sum(donations_usd) as donations_usd

    from {{ ref('campaign_attribution') }}

),

donations as (

    select
        count(*) as donation_count,
        coalesce(sum(amount_usd), 0) as donations_usd

    from {{ ref('data_platform', 'int_donations_enriched') }}
    where campaign_id is not null

)

select
    credited.donation_count as credited_donation_count,
    donations.donation_count as coded_donation_count,
    credited.donations_usd as credited_donations_usd,
    donations.donations_usd as coded_donations_usd

from credited
cross join donations
where credited.donation_count <> donations.donation_count
    or credited.donations_usd <> donations.donations_usd
