-- Every outcome recorded as an adoption is backed by a signed adoption for the same intake.
with

adoption_outcomes as (

    select * from {{ ref('data_platform', 'fct_animal_outcomes') }}
    where outcome_type = 'adoption'

),

adoptions as (

    select * from {{ ref('fct_adoptions') }}

)

select
    adoption_outcomes.outcome_id,
    adoption_outcomes.intake_id

from adoption_outcomes
left join adoptions
    on adoption_outcomes.intake_id = adoptions.intake_id
where adoptions.adoption_id is null
