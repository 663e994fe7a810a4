{#- Ids are compared as upper-case, trimmed text: ' fac-007 ' becomes 'FAC-007'. -#}
{% macro clean_id(column) -%}
    upper({{ rainbow_road_macros.clean_text(column) }})
{%- endmacro %}
