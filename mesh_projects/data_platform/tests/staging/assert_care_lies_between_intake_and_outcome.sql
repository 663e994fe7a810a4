-- Stays, foster placements and transports belong to one intake and happen between the intake
-- date and the outcome date (or while the animal is still in care, when there is no outcome).
-- Returns every record that starts before its intake or ends after its outcome.

with

intakes as (

    select * from {{ ref('stg_shelter_system__intakes') }}

),

outcomes as (

    select * from {{ ref('stg_shelter_system__outcomes') }}

),

stays as (

    select * from {{ ref('stg_shelter_system__shelter_stays') }}

),

placements as (

    select * from {{ ref('stg_shelter_system__foster_placements') }}

),

transports as (

    select * from {{ ref('stg_shelter_system__transports') }}

),

care_periods as (

    select 'shelter_stay' as record_type, stay_id as record_id, intake_id, animal_id, start_date, end_date
    from stays

    union all

    select 'foster_placement', placement_id, intake_id, animal_id, start_date, end_date
    from placements

    union all

    select 'transport', transport_id, intake_id, animal_id, cast(departed_at as date), cast(arrived_at as date)
    from transports

),

final as (

    select
        care_periods.*,
        intakes.intake_date,
        outcomes.outcome_date
    from care_periods
    inner join intakes
        on care_periods.intake_id = intakes.intake_id
    left join outcomes
        on care_periods.intake_id = outcomes.intake_id
    where care_periods.animal_id != intakes.animal_id
        or care_periods.start_date < intakes.intake_date
        or care_periods.end_date > outcomes.outcome_date
        or (outcomes.outcome_id is not null and care_periods.end_date is null)

)

select * from final
