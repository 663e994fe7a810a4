-- An animal can only be adopted after it was taken in.
-- Returns every adoption dated before the intake it ends.

with

adoptions as (

    select * from {{ ref('stg_shelter_system__adoptions') }}

),

intakes as (

    select * from {{ ref('stg_shelter_system__intakes') }}

),

final as (

    select
        adoptions.adoption_id,
        adoptions.intake_id,
        intakes.intake_date,
        adoptions.adoption_date
    from adoptions
    inner join intakes
        on adoptions.intake_id = intakes.intake_id
    where adoptions.adoption_date < intakes.intake_date

)

select * from final
