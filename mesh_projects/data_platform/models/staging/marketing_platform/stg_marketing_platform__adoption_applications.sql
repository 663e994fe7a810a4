with

source as (

    select * from {{ source('marketing_platform', 'adoption_applications') }}

),

final as (

    select
        {{ clean_id('application_id') }} as application_id,
        {{ clean_id('lead_id') }} as lead_id,
        {{ clean_id('adopter_id') }} as adopter_id,
        {{ clean_id('animal_id') }} as animal_id,
        {{ clean_id('facility_id') }} as facility_id,
        {{ parse_date('submitted_date') }} as submitted_date,
        {{ clean_category('status') }} as status,
        {{ parse_date('decided_date') }} as decided_date
    from source

)

select * from final
