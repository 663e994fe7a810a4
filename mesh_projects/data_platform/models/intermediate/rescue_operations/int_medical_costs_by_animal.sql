with

medical_events as (

    select * from {{ ref('stg_shelter_system__medical_events') }}

),

final as (

    select
        animal_id,
        cast(count(*) filter (where event_type = 'vaccination') as integer) as vaccination_count,
        cast(count(*) filter (where event_type = 'treatment') as integer) as treatment_count,
        cast(count(*) filter (where event_type = 'exam') as integer) as exam_count,
        count(*) filter (where event_type = 'spay_neuter') > 0 as is_spayed_neutered,
        cast(sum(cost_usd) as decimal(14, 2)) as total_medical_cost_usd

    from medical_events
    group by animal_id

)

select * from final
