-- A shelter stay or foster placement can't end before it starts.
-- Returns every stay or placement whose end date is earlier than its start date.

with

stays as (

    select * from {{ ref('stg_shelter_system__shelter_stays') }}

),

placements as (

    select * from {{ ref('stg_shelter_system__foster_placements') }}

),

final as (

    select 'shelter_stay' as record_type, stay_id as record_id, start_date, end_date
    from stays
    where end_date < start_date

    union all

    select 'foster_placement' as record_type, placement_id as record_id, start_date, end_date
    from placements
    where end_date < start_date

)

select * from final
