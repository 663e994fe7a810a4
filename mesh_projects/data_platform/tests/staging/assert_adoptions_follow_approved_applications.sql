-- When an adoption has an application, it is an approved application from the same adopter for
-- the same animal, submitted and decided on or before the adoption day.
-- Returns every adoption whose application doesn't fit.

with

adoptions as (

    select * from {{ ref('stg_shelter_system__adoptions') }}
    where application_id is not null

),

applications as (

    select * from {{ ref('stg_marketing_platform__adoption_applications') }}

),

final as (

    select
        adoptions.adoption_id,
        adoptions.application_id,
        applications.status,
        applications.submitted_date,
        applications.decided_date,
        adoptions.adoption_date
    from adoptions
    inner join applications
        on adoptions.application_id = applications.application_id
    where applications.status != 'approved'
        or applications.adopter_id != adoptions.adopter_id
        or applications.animal_id != adoptions.animal_id
        or applications.submitted_date > adoptions.adoption_date
        or applications.decided_date > adoptions.adoption_date

)

select * from final
