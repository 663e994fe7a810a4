{#- Timestamps arrive as '2023-04-05 14:30:00', '2023-04-05T14:30:00', '04/05/2023 14:30'
    or '2023/04/05 14:30:00'; a bare date means midnight. -#}
{% macro parse_timestamp(column) -%}
    try_strptime(
        trim({{ column }}),
        ['%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%m/%d/%Y %H:%M', '%Y/%m/%d %H:%M:%S', '%Y-%m-%d']
    )
{%- endmacro %}
