-- An animal cannot leave care before it arrived.
select
    outcome_id,
    intake_date,
    outcome_date,
    days_in_care

from {{ ref('fct_animal_outcomes') }}
where days_in_care < 0
