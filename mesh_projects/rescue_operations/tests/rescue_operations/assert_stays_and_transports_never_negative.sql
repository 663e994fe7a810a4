-- Shelter stays, foster placements and trips never run backwards in time.
select 'shelter_stay' as record_type, stay_id as record_id
from {{ ref('fct_shelter_stays') }}
where stay_days < 0

union all

select 'foster_placement' as record_type, placement_id as record_id
from {{ ref('fct_foster_placements') }}
where placement_days < 0

union all

select 'transport' as record_type, transport_id as record_id
from {{ ref('fct_transports') }}
where transport_hours < 0
