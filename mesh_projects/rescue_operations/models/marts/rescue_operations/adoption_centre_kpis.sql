-- The monthly board each adoption centre manager reviews: adoptions, the
-- volunteer time the centre received, and donations from the centre's region.
-- Donations are not recorded per centre, so each open centre is credited an
-- equal share of its region's donations for the month.
with

facilities as (

    select * from {{ ref('data_platform', 'dim_facilities') }}

),

calendar as (

    select * from {{ ref('data_platform', 'dim_calendar') }}

),

reporting_date as (

    select * from {{ ref('int_rescue_reporting_date') }}

),

adoptions as (

    select * from {{ ref('data_platform', 'int_adoptions_enriched') }}

),

volunteer_hours as (

    select * from {{ ref('data_platform', 'int_volunteer_hours_monthly') }}

),

donations as (

    select * from {{ ref('data_platform', 'int_donations_enriched') }}

),

centre_months as (

    select distinct
        facilities.facility_id,
        facilities.facility_name,
        facilities.region_id,
        calendar.month_start

    from facilities
    cross join reporting_date
    inner join calendar
        on calendar.date_day >= facilities.opened_date
        and calendar.date_day <= reporting_date.reporting_date
    where facilities.facility_type = 'adoption_centre'

),

open_centres_per_region as (

    select
        region_id,
        month_start,
        count(*) as open_centre_count

    from centre_months
    group by region_id, month_start

),

adoptions_per_month as (

    select
        facility_id,
        cast(date_trunc('month', adoption_date) as date) as month_start,
        count(*) as adoption_count,
        count(*) filter (where adoption_event_id is not null) as event_adoption_count,
        sum(fee_usd) as adoption_fees_usd

    from adoptions
    group by 1, 2

),

volunteering_per_month as (

    select
        facility_id,
        month_start,
        count(distinct volunteer_id) as volunteer_count,
        sum(shift_count) as volunteer_shift_count,
        sum(volunteer_hours) as volunteer_hours

    from volunteer_hours
    group by facility_id, month_start

),

donations_per_region_month as (

    select
        region_id,
        cast(date_trunc('month', donation_date) as date) as month_start,
        sum(amount_usd) as region_donations_usd

    from donations
    group by 1, 2

),

final as (

    select
        centre_months.facility_id,
        centre_months.facility_name,
        centre_months.region_id,
        centre_months.month_start,
        cast(coalesce(adoptions_per_month.adoption_count, 0) as integer) as adoption_count,
        cast(coalesce(adoptions_per_month.event_adoption_count, 0) as integer)
            as event_adoption_count,
        cast(coalesce(adoptions_per_month.adoption_fees_usd, 0) as decimal(14, 2))
            as adoption_fees_usd,
        cast(coalesce(volunteering_per_month.volunteer_count, 0) as integer) as volunteer_count,
        cast(coalesce(volunteering_per_month.volunteer_shift_count, 0) as integer)
            as volunteer_shift_count,
        cast(coalesce(volunteering_per_month.volunteer_hours, 0) as decimal(14, 2))
            as volunteer_hours,
        cast(coalesce(donations_per_region_month.region_donations_usd, 0) as decimal(14, 2))
            as region_donations_usd,
        cast(open_centres_per_region.open_centre_count as integer) as region_open_centre_count,
        cast(
            coalesce(donations_per_region_month.region_donations_usd, 0)
            / open_centres_per_region.open_centre_count
            as decimal(14, 2)
        ) as donations_share_usd

    from centre_months
    inner join open_centres_per_region
        on centre_months.region_id = open_centres_per_region.region_id
        and centre_months.month_start = open_centres_per_region.month_start
    left join adoptions_per_month
        on centre_months.facility_id = adoptions_per_month.facility_id
        and centre_months.month_start = adoptions_per_month.month_start
    left join volunteering_per_month
        on centre_months.facility_id = volunteering_per_month.facility_id
        and centre_months.month_start = volunteering_per_month.month_start
    left join donations_per_region_month
        on centre_months.region_id = donations_per_region_month.region_id
        and centre_months.month_start = donations_per_region_month.month_start

)

select * from final
