-- Each donor who has given has exactly one gift flagged as their first.
select
    donor_id,
    count(*) filter (where is_first_gift) as first_gift_count

from {{ ref('fct_donations') }}
group by donor_id
having count(*) filter (where is_first_gift) <> 1
