{#- Whole numbers typed by hand: '120', '1,200', '245 mi', '80 places'.
    Thousands separators and units are dropped. -#}
{% macro parse_integer(column) -%}
    try_cast(regexp_extract(replace(trim({{ column }}), ',', ''), '[0-9]+') as integer)
{%- endmacro %}
