with

source as (

    select * from {{ source('shelter_system', 'shelter_stays') }}

),

final as (

    select
        {{ clean_id('stay_id') }} as stay_id,
        {{ clean_id('animal_id') }} as animal_id,
        {{ clean_id('intake_id') }} as intake_id,
        {{ clean_id('facility_id') }} as facility_id,
        {{ parse_date('start_date') }} as start_date,
        {{ parse_date('end_date') }} as end_date,
        {{ clean_id('kennel_code') }} as kennel_code
    from source

)

select * from final
