-- Every date, amount and measurement that staff actually filled in must survive the cleaning.
-- A value that is present in the raw export (not blank and not 'N/A') but null after staging
-- means it was written in a format the cleaning macros don't know yet.
-- Returns one row per lost value, naming the table, column and raw text.

with

raw_intakes as (

    select * from {{ source('shelter_system', 'intakes') }}

),

raw_stays as (

    select * from {{ source('shelter_system', 'shelter_stays') }}

),

raw_medical_events as (

    select * from {{ source('shelter_system', 'medical_events') }}

),

raw_donations as (

    select * from {{ source('donor_crm', 'donations') }}

),

raw_employees as (

    select * from {{ source('hr_system', 'employees') }}

),

intakes as (

    select * from {{ ref('stg_shelter_system__intakes') }}

),

stays as (

    select * from {{ ref('stg_shelter_system__shelter_stays') }}

),

medical_events as (

    select * from {{ ref('stg_shelter_system__medical_events') }}

),

donations as (

    select * from {{ ref('stg_donor_crm__donations') }}

),

employees as (

    select * from {{ ref('stg_hr_system__employees') }}

),

lost_values as (

    select 'intakes.weight' as raw_column, raw_intakes.weight as raw_value
    from raw_intakes
    inner join intakes on {{ rainbow_road_macros.clean_id('raw_intakes.intake_id') }} = intakes.intake_id
    where {{ rainbow_road_macros.clean_text('raw_intakes.weight') }} is not null and intakes.weight_kg is null

    union all

    select 'shelter_stays.end_date', raw_stays.end_date
    from raw_stays
    inner join stays on {{ rainbow_road_macros.clean_id('raw_stays.stay_id') }} = stays.stay_id
    where {{ rainbow_road_macros.clean_text('raw_stays.end_date') }} is not null and stays.end_date is null

    union all

    select 'medical_events.cost', raw_medical_events.cost
    from raw_medical_events
    inner join medical_events on {{ rainbow_road_macros.clean_id('raw_medical_events.medical_event_id') }} = medical_events.medical_event_id
    where {{ rainbow_road_macros.clean_text('raw_medical_events.cost') }} is not null and medical_events.cost_usd is null

    union all

    select 'donations.donated_at', raw_donations.donated_at
    from raw_donations
    inner join donations on {{ rainbow_road_macros.clean_id('raw_donations.donation_id') }} = donations.donation_id
    where {{ rainbow_road_macros.clean_text('raw_donations.donated_at') }} is not null and donations.donated_at is null

    union all

    select 'employees.leave_date', raw_employees.leave_date
    from raw_employees
    inner join employees on {{ rainbow_road_macros.clean_id('raw_employees.employee_id') }} = employees.employee_id
    where {{ rainbow_road_macros.clean_text('raw_employees.leave_date') }} is not null and employees.leave_date is null

),

final as (

    select * from lost_values

)

select * from final
