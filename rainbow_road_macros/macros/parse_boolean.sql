{#- Yes/no flags arrive as Y/N, yes/no, TRUE/FALSE or 1/0 in any case; anything else is null. -#}
{% macro parse_boolean(column) -%}
    case
        when lower(trim({{ column }})) in ('y', 'yes', 'true', 't', '1') then true
        when lower(trim({{ column }})) in ('n', 'no', 'false', 'f', '0') then false
    end
{%- endmacro %}
