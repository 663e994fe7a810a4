{#- Categories become lower_snake_case: ' Owner Surrender', 'OWNER-SURRENDER' and 'Spay/Neuter'
    become 'owner_surrender' and 'spay_neuter'. -#}
{% macro clean_category(column) -%}
    regexp_replace(lower({{ rainbow_road_macros.clean_text(column) }}), '[\s/-]+', '_', 'g')
{%- endmacro %}
