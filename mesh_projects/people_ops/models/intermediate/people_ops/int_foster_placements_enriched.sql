-- One row per foster placement, with the foster carer and the animal's intake attached.
-- The intake details come from rescue operations' int_intakes_enriched.
with

placements as (

    select * from {{ ref('data_platform', 'stg_shelter_system__foster_placements') }}

),

volunteers as (

    select * from {{ ref('data_platform', 'stg_volunteer_portal__volunteers') }}

),

intakes as (

    select * from {{ ref('data_platform', 'int_intakes_enriched') }}

),

reporting_date as (

    select cast('{{ var("people_ops_as_of_date", "2025-12-31") }}' as date) as as_of_date

),

placements_joined as (

    select
        placements.placement_id,
        placements.animal_id,
        placements.intake_id,
        placements.facility_id,
        placements.volunteer_id,
        placements.start_date,
        placements.end_date,
        volunteers.home_facility_id as carer_home_facility_id,
        volunteers.is_foster_carer as is_registered_foster_carer,
        intakes.species,
        intakes.intake_date,
        intakes.intake_type,
        intakes.intake_condition,
        intakes.facility_id as intake_facility_id,
        intakes.region_id as intake_region_id,
        intakes.is_rural_rescue,
        reporting_date.as_of_date

    from placements
    left join volunteers
        on placements.volunteer_id = volunteers.volunteer_id
    left join intakes
        on placements.intake_id = intakes.intake_id
    cross join reporting_date

),

final as (

    select
        placement_id,
        animal_id,
        intake_id,
        facility_id,
        volunteer_id,
        start_date,
        end_date,
        end_date is null as is_open_placement,
        cast(
            date_diff('day', start_date, least(coalesce(end_date, as_of_date), as_of_date))
            as integer
        ) as placement_days,
        carer_home_facility_id,
        is_registered_foster_carer,
        species,
        intake_date,
        intake_type,
        intake_condition,
        intake_facility_id,
        intake_region_id,
        is_rural_rescue,
        cast(date_diff('day', intake_date, start_date) as integer) as days_from_intake_to_placement

    from placements_joined

)

select * from final
