{#- Dollar amounts arrive as '1250', '1250.00', '1,250.00' or '$1,250.00'.
    Dollar signs, thousands separators and spaces are removed before the cast. -#}
{% macro parse_money(column) -%}
    try_cast(regexp_replace(trim({{ column }}), '[$,\s]', '', 'g') as decimal(12, 2))
{%- endmacro %}
