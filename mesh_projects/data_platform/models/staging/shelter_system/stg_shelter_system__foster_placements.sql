with

source as (

    select * from {{ source('shelter_system', 'foster_placements') }}

),

final as (

    select
        {{ clean_id('placement_id') }} as placement_id,
        {{ clean_id('animal_id') }} as animal_id,
        {{ clean_id('intake_id') }} as intake_id,
        {{ clean_id('facility_id') }} as facility_id,
        {{ clean_id('volunteer_id') }} as volunteer_id,
        {{ parse_date('start_date') }} as start_date,
        {{ parse_date('end_date') }} as end_date
    from source

)

select * from final
