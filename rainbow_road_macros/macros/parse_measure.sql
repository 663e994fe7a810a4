{#- Measurements typed by hand: '12.5', '12,5' (decimal comma), '12.5 kg', '3h', '2.5 hrs'.
    Takes the first number, reads a comma as the decimal point and drops the unit. -#}
{% macro parse_measure(column) -%}
    try_cast(regexp_extract(replace(trim({{ column }}), ',', '.'), '[0-9]+(\.[0-9]+)?') as double)
{%- endmacro %}
