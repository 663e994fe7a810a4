{#- Dates arrive as '2023-04-05', '04/05/2023' (month first) or '2023/04/05'.
    Anything else, including 'N/A' and empty strings, becomes null. -#}
{% macro parse_date(column) -%}
    cast(try_strptime(trim({{ column }}), ['%Y-%m-%d', '%m/%d/%Y', '%Y/%m/%d']) as date)
{%- endmacro %}
