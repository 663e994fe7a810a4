-- Animals are fostered through a foster network, by a volunteer who is a foster carer and had
-- already joined when the placement started.
-- Returns every placement that breaks one of these rules.

with

placements as (

    select * from {{ ref('stg_shelter_system__foster_placements') }}

),

facilities as (

    select * from {{ ref('stg_ops_reference__facilities') }}

),

volunteers as (

    select * from {{ ref('stg_volunteer_portal__volunteers') }}

),

final as (

    select
        placements.placement_id,
        facilities.facility_type,
        volunteers.is_foster_carer,
        volunteers.joined_date,
        placements.start_date
    from placements
    inner join facilities
        on placements.facility_id = facilities.facility_id
    inner join volunteers
        on placements.volunteer_id = volunteers.volunteer_id
    where facilities.facility_type != 'foster_network'
        or not volunteers.is_foster_carer
        or volunteers.joined_date > placements.start_date

)

select * from final
