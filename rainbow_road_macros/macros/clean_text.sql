{#- Trims a free-text value and turns the placeholders staff type for "no value" into null. -#}
{% macro clean_text(column) -%}
    case
        when upper(trim({{ column }})) in ('', 'N/A', 'NULL', 'NONE') then null
        else trim({{ column }})
    end
{%- endmacro %}
