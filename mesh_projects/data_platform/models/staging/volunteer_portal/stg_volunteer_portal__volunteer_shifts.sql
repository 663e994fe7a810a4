with

source as (

    select * from {{ source('volunteer_portal', 'volunteer_shifts') }}

),

cleaned as (

    select
        {{ rainbow_road_macros.clean_id('shift_id') }} as shift_id,
        {{ rainbow_road_macros.clean_id('volunteer_id') }} as volunteer_id,
        {{ rainbow_road_macros.clean_id('facility_id') }} as facility_id,
        {{ rainbow_road_macros.parse_date('shift_date') }} as shift_date,
        cast({{ rainbow_road_macros.parse_measure('hours') }} as decimal(5, 2)) as hours,
        {{ rainbow_road_macros.clean_category('activity') }} as activity
    from source

),

final as (

    -- volunteers sometimes log the same shift twice: the copies are identical, keep one
    select distinct * from cleaned

)

select * from final
