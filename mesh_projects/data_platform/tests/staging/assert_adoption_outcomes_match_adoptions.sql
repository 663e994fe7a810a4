-- Every adoption outcome has an adoption row for the same intake, on the same day and at the
-- same facility, and every adoption row has an adoption outcome.
-- Returns the intakes where the two records disagree.

with

outcomes as (

    select * from {{ ref('stg_shelter_system__outcomes') }}
    where outcome_type = 'adoption'

),

adoptions as (

    select * from {{ ref('stg_shelter_system__adoptions') }}

),

final as (

    select
        coalesce(outcomes.intake_id, adoptions.intake_id) as intake_id,
        outcomes.outcome_id,
        adoptions.adoption_id,
        outcomes.outcome_date,
        adoptions.adoption_date
    from outcomes
    full outer join adoptions
        on outcomes.intake_id = adoptions.intake_id
    where outcomes.outcome_id is null
        or adoptions.adoption_id is null
        or outcomes.outcome_date != adoptions.adoption_date
        or outcomes.facility_id != adoptions.facility_id

)

select * from final
