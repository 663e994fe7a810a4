with

adopters as (

    select * from {{ ref('data_platform', 'stg_shelter_system__adopters') }}

),

states as (

    select * from {{ ref('data_platform', 'stg_ops_reference__states') }}

),

adoptions as (

    select * from {{ ref('data_platform', 'stg_shelter_system__adoptions') }}

),

adoptions_per_adopter as (

    select
        adopter_id,
        count(*) as adoption_count,
        min(adoption_date) as first_adoption_date,
        max(adoption_date) as latest_adoption_date

    from adoptions
    group by adopter_id

),

final as (

    select
        adopters.adopter_id,
        adopters.first_name,
        adopters.last_name,
        adopters.email,
        adopters.phone,
        adopters.city,
        adopters.state_code,
        states.region_id,
        adopters.created_at,
        cast(coalesce(adoptions_per_adopter.adoption_count, 0) as integer) as adoption_count,
        adoptions_per_adopter.first_adoption_date,
        adoptions_per_adopter.latest_adoption_date,
        coalesce(adoptions_per_adopter.adoption_count, 0) > 1 as is_repeat_adopter

    from adopters
    left join states
        on adopters.state_code = states.state_code
    left join adoptions_per_adopter
        on adopters.adopter_id = adoptions_per_adopter.adopter_id

)

select * from final
