with

source as (

    select * from {{ source('marketing_platform', 'adoption_applications') }}

),

final as (

    select
        {{ rainbow_road_macros.clean_id('application_id') }} as application_id,
        {{ rainbow_road_macros.clean_id('lead_id') }} as lead_id,
        {{ rainbow_road_macros.clean_id('adopter_id') }} as adopter_id,
        {{ rainbow_road_macros.clean_id('animal_id') }} as animal_id,
        {{ rainbow_road_macros.clean_id('facility_id') }} as facility_id,
        {{ rainbow_road_macros.parse_date('submitted_date') }} as submitted_date,
        {{ rainbow_road_macros.clean_category('status') }} as status,
        {{ rainbow_road_macros.parse_date('decided_date') }} as decided_date
    from source

)

select * from final
