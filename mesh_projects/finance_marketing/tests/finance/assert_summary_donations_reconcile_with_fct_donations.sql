-- Every gift in fct_donations appears in the monthly summary exactly once:
-- the counts and dollar totals must agree.
with

summary as (

    select
        sum(donation_count) as donation_count,
        sum(donations_usd) as donations_usd

    from {{ ref('finance_monthly_summary') }}

),

donations as (

    select
        count(*) as donation_count,
        coalesce(sum(amount_usd), 0) as donations_usd

    from {{ ref('fct_donations') }}

)

select
    summary.donation_count as summary_donation_count,
    donations.donation_count as fct_donation_count,
    summary.donations_usd as summary_donations_usd,
    donations.donations_usd as fct_donations_usd

from summary
cross join donations
where summary.donation_count <> donations.donation_count
    or summary.donations_usd <> donations.donations_usd
