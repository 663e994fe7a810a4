with

donations as (

    select * from {{ ref('stg_donor_crm__donations') }}

),

donors as (

    select * from {{ ref('stg_donor_crm__donors') }}

),

states as (

    select * from {{ ref('stg_ops_reference__states') }}

),

campaigns as (

    select * from {{ ref('stg_marketing_platform__campaigns') }}

),

donors_with_region as (

    select
        donors.donor_id,
        donors.donor_type,
        states.region_id as donor_region_id

    from donors
    left join states
        on donors.state_code = states.state_code

),

final as (

    select
        donations.donation_id,
        donations.donor_id,
        donors_with_region.donor_type,
        donations.donated_at,
        cast(donations.donated_at as date) as donation_date,
        donations.amount_usd,
        donations.payment_method,
        donations.is_recurring,
        donations.campaign_code,
        campaigns.campaign_id,
        -- money given for one region stays there; otherwise it counts where the donor lives
        coalesce(
            donations.designated_region_id,
            donors_with_region.donor_region_id
        ) as region_id

    from donations
    left join donors_with_region
        on donations.donor_id = donors_with_region.donor_id
    left join campaigns
        on donations.campaign_code = campaigns.campaign_code

)

select * from final
