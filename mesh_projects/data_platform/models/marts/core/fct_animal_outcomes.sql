with

outcomes as (

    select * from {{ ref('stg_shelter_system__outcomes') }}

),

intakes as (

    select * from {{ ref('stg_shelter_system__intakes') }}

),

facilities as (

    select * from {{ ref('int_facilities_with_regions') }}

),

outcomes_with_intakes as (

    select
        outcomes.outcome_id,
        outcomes.animal_id,
        outcomes.intake_id,
        outcomes.facility_id,
        facilities.region_id,
        intakes.intake_date,
        outcomes.outcome_date,
        cast(date_diff('day', intakes.intake_date, outcomes.outcome_date) as integer)
            as days_in_care,
        outcomes.outcome_type

    from outcomes
    left join intakes
        on outcomes.intake_id = intakes.intake_id
    left join facilities
        on outcomes.facility_id = facilities.facility_id

),

categorised as (

    select
        *,
        case
            when outcome_type in ('adoption', 'return_to_owner', 'transfer_to_partner') then 'live_release'
            when outcome_type in ('euthanasia', 'died_in_care') then 'non_live'
            when outcome_type = 'lost_in_care' then 'other'
        end as outcome_category

    from outcomes_with_intakes

),

final as (

    select
        outcome_id,
        animal_id,
        intake_id,
        facility_id,
        region_id,
        intake_date,
        outcome_date,
        days_in_care,
        outcome_type,
        outcome_category,
        outcome_category = 'live_release' as is_live_release

    from categorised

)

select * from final
