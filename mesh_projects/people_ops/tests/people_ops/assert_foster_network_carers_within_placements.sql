-- A foster network cannot have more carers looking after animals than open placements.
with

capacity as (

    select * from {{ ref('foster_network_capacity') }}

),

final as (

    select *

    from capacity
    where active_carers > active_placements
        or placements_started > active_placements
        or placements_ended > active_placements

)

select * from final
