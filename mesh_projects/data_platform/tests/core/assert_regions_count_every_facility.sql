-- Facility counts per region add up to the number of facilities.
with

region_total as (

    select sum(facility_count) as facility_count from {{ ref('dim_regions') }}

),

facility_total as (

    select count(*) as facility_count from {{ ref('dim_facilities') }}

)

select *
from region_total
cross join facility_total
where region_total.facility_count != facility_total.facility_count
