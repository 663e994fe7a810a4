-- Follows each intake from arrival to today: how far the animal travelled,
-- and how long it spent in shelters and in foster homes.
with

intakes as (

    select * from {{ ref('data_platform', 'stg_shelter_system__intakes') }}

),

transports as (

    select * from {{ ref('data_platform', 'int_transports_routed') }}

),

shelter_stays as (

    select * from {{ ref('int_shelter_stays_measured') }}

),

foster_placements as (

    select * from {{ ref('int_foster_placements_measured') }}

),

transports_per_intake as (

    select
        intake_id,
        count(*) as transport_count,
        count(*) filter (where is_rural_to_city) as rural_to_city_transport_count,
        sum(distance_miles) as total_distance_miles

    from transports
    group by intake_id

),

stays_per_intake as (

    select
        intake_id,
        count(*) as shelter_stay_count,
        sum(stay_days) as shelter_days

    from shelter_stays
    group by intake_id

),

placements_per_intake as (

    select
        intake_id,
        count(*) as foster_placement_count,
        sum(placement_days) as foster_days

    from foster_placements
    group by intake_id

),

final as (

    select
        intakes.intake_id,
        intakes.animal_id,
        cast(coalesce(transports_per_intake.transport_count, 0) as integer) as transport_count,
        cast(coalesce(transports_per_intake.rural_to_city_transport_count, 0) as integer)
            as rural_to_city_transport_count,
        cast(coalesce(transports_per_intake.total_distance_miles, 0) as integer)
            as total_distance_miles,
        cast(coalesce(stays_per_intake.shelter_stay_count, 0) as integer) as shelter_stay_count,
        cast(coalesce(stays_per_intake.shelter_days, 0) as integer) as shelter_days,
        cast(coalesce(placements_per_intake.foster_placement_count, 0) as integer)
            as foster_placement_count,
        cast(coalesce(placements_per_intake.foster_days, 0) as integer) as foster_days,
        coalesce(placements_per_intake.foster_placement_count, 0) > 0 as was_fostered

    from intakes
    left join transports_per_intake
        on intakes.intake_id = transports_per_intake.intake_id
    left join stays_per_intake
        on intakes.intake_id = stays_per_intake.intake_id
    left join placements_per_intake
        on intakes.intake_id = placements_per_intake.intake_id

)

select * from final
