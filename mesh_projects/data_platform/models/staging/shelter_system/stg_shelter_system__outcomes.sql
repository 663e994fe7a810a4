with

source as (

    select * from {{ source('shelter_system', 'outcomes') }}

),

final as (

    select
        {{ clean_id('outcome_id') }} as outcome_id,
        {{ clean_id('animal_id') }} as animal_id,
        {{ clean_id('intake_id') }} as intake_id,
        {{ clean_id('facility_id') }} as facility_id,
        {{ parse_date('outcome_date') }} as outcome_date,
        {{ clean_category('outcome_type') }} as outcome_type
    from source

)

select * from final
