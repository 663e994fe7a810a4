{#- Ids are compared as upper-case, trimmed text: ' fac-007 ' becomes 'FAC-007'. -#}
{% macro clean_id(column) -%}
    upper({{ clean_text(column) }})
{%- endmacro %}
