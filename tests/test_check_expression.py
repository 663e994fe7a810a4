"""A contract's `check` condition is read by the kit and written again by it; nothing else runs."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesh_workshop.api import kit
from mesh_workshop.proposal import ProposalError
from mesh_workshop.proposal.baseline import Baseline
from mesh_workshop.proposal.check_expression import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    CheckExpressionError,
    canonical_check,
    parse_check,
    render,
)
from mesh_workshop.proposal.logic import load_logic_changes
from mesh_workshop.proposal.validate import validate

# The columns of data_platform.fct_animal_outcomes, with types like the ones its build gives.
COLUMNS = {
    "outcome_id": "varchar",
    "animal_id": "varchar",
    "intake_id": "varchar",
    "facility_id": "varchar",
    "region_id": "varchar",
    "intake_date": "date",
    "outcome_date": "date",
    "days_in_care": "integer",
    "outcome_type": "varchar",
    "outcome_category": "varchar",
    "is_live_release": "boolean",
}
BREAK_OUT = (
    "x or not x)); copy (select 42) to '/tmp/marker.csv'; "
    "create temp table t (a integer check (true"
)


def _table(con: duckdb.DuckDBPyConnection, check: str, name: str = "t") -> None:
    columns = ", ".join(f"{n} {t}" for n, t in COLUMNS.items())
    sql = f"create or replace temp table {name} ({columns}, check ({check}))"
    assert len(duckdb.extract_statements(sql)) == 1
    con.execute(sql)


# ------------------------------------------------------------------- accepted


ACCEPTED = [
    ("days_in_care >= 0", "days_in_care >= 0"),
    ("DAYS_IN_CARE>=0", "days_in_care >= 0"),
    ('"days_in_care" >= 0', "days_in_care >= 0"),
    ("days_in_care != 0", "days_in_care <> 0"),
    ("outcome_date >= intake_date OR intake_date IS NULL", None),
    ("outcome_id is not null and days_in_care between 0 and 3650", None),
    ("days_in_care not between 0 and 10", None),
    ("outcome_type in ('adoption', 'transfer_to_partner')", None),
    ("outcome_type not in ('it''s', 'a\\b')", None),
    ("outcome_type like 'adopt%'", None),
    ("outcome_type not like '%_care'", None),
    ("not days_in_care < 0", None),
    ("not (days_in_care < 0 or days_in_care > 9000)", None),
    ("(days_in_care >= 0 or outcome_id is null) and outcome_id is not null", None),
    ("days_in_care>=0 or outcome_id is null and outcome_id is not null", None),
    ("days_in_care in (-1, 0, 2.5, null)", "days_in_care in (-1, 0, 2.5, null)"),
    ("days_in_care - (days_in_care - 1) = 1", None),
    ("(days_in_care - days_in_care) - 1 = -1", "days_in_care - days_in_care - 1 = -1"),
    ("days_in_care * (2 + 3) / 4 >= .5", "days_in_care * (2 + 3) / 4 >= 0.5"),
    ("- -days_in_care >= 0", "-(-days_in_care) >= 0"),
    ("-(days_in_care + 1) < 0", None),
    ("007.50 > 1.", "7.50 > 1.0"),
    ("intake_date >= DATE '2020-02-29'", "intake_date >= date '2020-02-29'"),
    ("date_diff('day', intake_date, outcome_date) = days_in_care", None),
    ("year(intake_date) >= 2020 and month(intake_date) between 1 and 12", None),
    ("length(trim(lower(outcome_type))) > 0", None),
    ("coalesce(days_in_care, 0) >= 0", None),
    ("round(days_in_care / 7, 1) >= 0", None),
    ("upper(outcome_category) <> 'OTHER'", None),
    ("ceil(days_in_care / 7) >= floor(days_in_care / 7)", None),
    ("abs(days_in_care) = days_in_care", None),
    ("nullif(ltrim(rtrim(outcome_type)), '') is not null", None),
    ("greatest(days_in_care, 0) = least(days_in_care, 9999)", None),
    ("day(outcome_date) between 1 and 31", None),
    ("is_live_release", None),
    ("not is_live_release or outcome_category = 'live_release'", None),
    ("(outcome_category = 'live_release') = is_live_release", None),
    ("true", None),
    ("(((days_in_care))) >= 0", "days_in_care >= 0"),
    ("days_in_care\n  >= 0\tand outcome_id is not null", None),
    ("outcome_type = 'Zürich ☃'", None),  # any visible character inside quoted text
]


@pytest.mark.parametrize(("text", "canonical"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_accepted_checks_render_canonically_and_idempotently(text, canonical):
    sql = canonical_check(text, COLUMNS)
    if canonical is not None:
        assert sql == canonical
    assert canonical_check(sql, COLUMNS) == sql


def test_every_accepted_check_is_one_valid_duckdb_condition():
    con = duckdb.connect()
    for text, _ in ACCEPTED:
        _table(con, canonical_check(text, COLUMNS))


def test_every_function_a_check_may_use_is_accepted_by_duckdb_and_in_the_docs(repo_root):
    used = {name for text, _ in ACCEPTED for name in FUNCTIONS if f"{name}(" in text}
    assert used == set(FUNCTIONS)
    docs = (repo_root / "docs" / "proposals.md").read_text()
    assert all(f"`{name}`" in docs for name in FUNCTIONS)


def test_the_check_duckdb_gets_is_enforced():
    con = duckdb.connect()
    _table(con, canonical_check("days_in_care >= 0", COLUMNS))
    con.execute("insert into t (days_in_care) values (3)")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("insert into t (days_in_care) values (-1)")


def test_a_column_named_like_a_keyword_is_written_in_double_quotes():
    columns = {"year": "integer", "date": "date", "select": "varchar"}
    assert canonical_check('"year" >= 2000', columns) == '"year" >= 2000'
    assert canonical_check("year >= 2000", columns) == '"year" >= 2000'
    assert canonical_check('year("date") = "year"', columns) == 'year("date") = "year"'
    assert canonical_check('"select" is null', columns) == '"select" is null'
    with pytest.raises(CheckExpressionError) as info:
        canonical_check("date is null", columns)
    assert '`"date"`' in info.value.hint


# ------------------------------------------------------------------- refused

REFUSED = [
    # breaking out of `check ( ... )` into more statements
    ("statement break-out", BREAK_OUT, "`;` ends one SQL statement"),
    ("closing bracket", "days_in_care >= 0) , check (true", "`)` closes a bracket"),
    ("closing bracket, then a command", "true) ) ; drop table x", "`;`"),
    ("bracket break-out", "true)) copy (select 42) to 'x' (", "`)` closes a bracket"),
    ("semicolon", "days_in_care >= 0;", "`;` ends one SQL statement"),
    ("semicolon in the middle", "days_in_care >= 0; select 1", "`;`"),
    ("semicolon in quoted text", "outcome_type <> 'a;b'", "not even inside quoted text"),
    ("unclosed bracket", "(days_in_care >= 0", "must be closed with `)`"),
    ("line comment", "days_in_care >= 0 -- and more", "`--` starts a comment"),
    ("line comment glued", "days_in_care>=0--", "`--` starts a comment"),
    ("block comment", "days_in_care >= 0 /* x */", "`/*` starts a comment"),
    ("copy", "copy (select 42) to '/tmp/marker.csv'", "`copy`"),
    ("attach", "attach '/tmp/x.duckdb' as x", "`attach`"),
    ("install", "install httpfs", "`install`"),
    ("load", "load httpfs", "`load`"),
    ("pragma", "pragma version", "`pragma`"),
    ("set", "set enable_external_access = true", "`set`"),
    ("call", "call pragma_version()", "`call`"),
    ("subquery", "days_in_care >= (select max(x) from y)", "`select` starts a query"),
    ("exists", "exists (select 1)", "`exists`"),
    ("cast", "cast(days_in_care as varchar) = '1'", "`cast`"),
    ("case", "case when true then 1 end = 1", "`case`"),
    ("read_csv", "(select count(*) from read_csv('/etc/passwd')) > 0", "`select`"),
    ("read_csv call", "read_csv('/etc/passwd') is null", "`read_csv` is not one of the functions"),
    ("getenv", "getenv('HOME') = 'x'", "`getenv` is not one of the functions"),
    ("current_setting", "current_setting('threads') = 1", "`current_setting`"),
    ("unknown function", "sqrt(days_in_care) > 1", "`sqrt` is not one of the functions"),
    ("jinja expression", "days_in_care >= {{ var('x') }}", "`{{`"),
    ("jinja statement", "{% do run_query('x') %} true", "`{%`"),
    ("fullwidth semicolon", "days_in_care >= 0；select 1", "U+FF1B"),
    ("fullwidth bracket", "days_in_care >= 0）", "U+FF09"),
    ("fullwidth comparison", "days_in_care ＞ 0", "looks like `>`"),
    ("cyrillic letter in a column", "dаys_in_care >= 0", "cyrillic small letter a"),
    ("greek letter in a keyword", "days_in_care >= 0 οr true", "greek small letter omicron"),
    ("no-break space", "days_in_care\u00a0>= 0", "U+00A0"),
    ("zero-width space", "days_in_care\u200b>= 0", "U+200B"),
    ("control character", "days_in_care >= 0\x00", "control character"),
    ("control character in text", "outcome_type = 'a\x1b[0m'", "control character"),
    ("right-to-left override in text", "outcome_type = 'a\u202eb'", "control character"),
    ("quote escape break-out", "outcome_type = 'a'' ) or (true", "never ends"),
    ("quote escape with a statement", "outcome_type = 'a'' ); drop table x; --", "`;`"),
    ("quote then break-out", "outcome_type = 'a''' ) or (true", "`)` closes a bracket"),
    ("escape string", "outcome_type = e'\\x27'", "a kind of value a check does not accept"),
    ("dollar quoting", "outcome_type = $$x$$", "`$`"),
    ("unclosed double quote", 'days_in_care >= "0', "not a column name"),
    ("quoted name with a bracket", '"a) ; drop" >= 0', "not a column name"),
    ("unknown column", "days_in_cares >= 0", "not a column of this model"),
    ("column of another model", "volunteer_hours >= 0", "not a column of this model"),
    ("table-qualified column", "t.days_in_care >= 0", "`.`"),
    ("cast operator", "days_in_care::varchar = '1'", "`::`"),
    ("concatenation", "outcome_type || 'x' = 'a'", "`|`"),
    ("parameter", "days_in_care >= ?", "`?`"),
    ("not a condition", "days_in_care + 1", "is a value, but a check must be a condition"),
    ("function value", "abs(days_in_care)", "must be a condition"),
    ("null", "null", "must be a condition"),
    ("value under not", "not days_in_care", "what follows `not`"),
    ("value under and", "days_in_care and true", "each side of `and`"),
    ("trailing tokens", "days_in_care >= 0 days_in_care", "but `days_in_care` follows"),
    ("chained comparison", "0 <= days_in_care <= 10", "but `<=` follows"),
    ("empty", "   ", "empty"),
    ("too many arguments", "abs(days_in_care, 1) > 0", "takes 1 argument, not 2"),
    ("too few arguments", "coalesce(days_in_care) > 0", "takes 2 to 10 arguments"),
    ("not a date", "intake_date > date '2023-02-29'", "not a calendar date"),
    ("odd date", "intake_date > date '2023-1-2'", "not a calendar date"),
    ("timestamp literal", "intake_date > timestamp '2023-01-01'", "does not accept"),
    ("exponent", "days_in_care < 1e9", "`1e9` is not a number"),
    ("hex number", "days_in_care < 0x10", "`0x10` is not a number"),
    ("huge number", "days_in_care < " + "9" * 40, "more than 38 digits"),
    ("like with a column", "outcome_type like outcome_id", "pattern in single quotes"),
    ("in with a column", "outcome_type in (outcome_id)", "only fixed values"),
    ("is true", "is_live_release is true", "followed by `null`"),
    ("no table functions", "(from read_csv('x')) is null", "`from` starts a query"),
    ("backslash outside text", "days_in_care >= 0 \\", "`\\` has no meaning"),
]


@pytest.mark.parametrize(("case", "text", "fragment"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_checks_say_what_and_how_to_fix(case, text, fragment):
    with pytest.raises(CheckExpressionError) as info:
        canonical_check(text, COLUMNS)
    assert fragment in info.value.message, f"{case}: {info.value.message!r}"
    assert info.value.hint, "every refusal says what to write instead"


def test_the_semicolon_refusal_says_what_a_check_is():
    with pytest.raises(CheckExpressionError) as info:
        canonical_check("days_in_care >= 0; select 1", COLUMNS)
    assert info.value.message == "`;` ends one SQL statement and starts another."
    assert "one condition on this model's columns, such as `days_in_care >= 0`" in info.value.hint


def test_an_unknown_column_suggests_the_closest_or_lists_them():
    with pytest.raises(CheckExpressionError) as info:
        canonical_check("days_in_cares >= 0", COLUMNS)
    assert info.value.hint == "Did you mean `days_in_care`?"
    with pytest.raises(CheckExpressionError) as info:
        canonical_check("zzz >= 0", COLUMNS)
    assert "Its columns: animal_id, days_in_care" in info.value.hint


def test_only_boolean_columns_stand_alone_and_names_without_types_need_a_comparison():
    assert canonical_check("is_live_release", COLUMNS) == "is_live_release"
    with pytest.raises(CheckExpressionError, match="must be a condition"):
        canonical_check("outcome_type", COLUMNS)
    with pytest.raises(CheckExpressionError, match="must be a condition"):
        canonical_check("is_live_release", list(COLUMNS))
    assert canonical_check("is_live_release = true", list(COLUMNS)) == "is_live_release = true"


def test_long_and_deeply_nested_checks_are_refused():
    longest = "days_in_care >= 0" + " " * (MAX_LENGTH - len("days_in_care >= 0"))
    assert canonical_check(longest, COLUMNS) == "days_in_care >= 0"
    with pytest.raises(CheckExpressionError, match="characters long"):
        canonical_check(longest + " ", COLUMNS)
    for opener, closer in (("(", ")"), ("not (", ")"), ("abs(", ")")):
        deep = opener * (MAX_DEPTH + 1) + "days_in_care" + closer * (MAX_DEPTH + 1)
        with pytest.raises(CheckExpressionError, match="deep"):
            canonical_check(deep + " > 0", COLUMNS)
    with pytest.raises(CheckExpressionError, match="deep"):
        canonical_check("not " * (MAX_DEPTH + 1) + "true", COLUMNS)
    with pytest.raises(CheckExpressionError, match="deep"):
        canonical_check("-" + " -" * MAX_DEPTH + "1 < days_in_care", COLUMNS)


def test_the_longest_flat_chains_render_without_trouble():
    chain = "1" + "+1" * ((MAX_LENGTH - 5) // 2) + " > 0"
    assert len(chain) <= MAX_LENGTH
    assert canonical_check(chain, COLUMNS) == chain.replace("+", " + ")
    ors = " or ".join(["true"] * (MAX_LENGTH // 8))
    assert canonical_check(ors, COLUMNS) == ors


# ------------------------------------------------------------------- properties

NUMBERS = st.sampled_from(["0", "1", "2", "3.5", "10"])
VALUES = st.one_of(NUMBERS, st.sampled_from(["days_in_care", "null"]))


def _values() -> st.SearchStrategy[str]:
    return st.recursive(
        VALUES,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(" ".join),
            inner.map(lambda v: f"-{v}" if not v.startswith("-") else f"-({v})"),
            inner.map(lambda v: f"({v})"),
            st.tuples(inner, inner).map(lambda p: f"coalesce({p[0]}, {p[1]})"),
            inner.map(lambda v: f"abs({v})"),
        ),
        max_leaves=6,
    )


def _conditions() -> st.SearchStrategy[str]:
    values = _values()
    atoms = st.one_of(
        st.tuples(values, st.sampled_from(["=", "<>", "<", ">=", "!="]), values).map(" ".join),
        values.map(lambda v: f"{v} is null"),
        st.tuples(values, NUMBERS, NUMBERS).map(lambda t: f"{t[0]} not between {t[1]} and {t[2]}"),
        st.tuples(values, st.lists(NUMBERS, min_size=1, max_size=3)).map(
            lambda t: f"{t[0]} in ({', '.join(t[1])})"
        ),
        st.sampled_from(["true", "false", "is_live_release", "outcome_type like 'a%'"]),
    )
    return st.recursive(
        atoms,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(" ".join),
            inner.map(lambda c: f"not {c}"),
            inner.map(lambda c: f"({c})"),
            st.tuples(inner, inner).map(lambda p: f"({p[0]}) = ({p[1]})"),
        ),
        max_leaves=6,
    )


# fmt: off
TOKENS = st.sampled_from(
    [
        "days_in_care", "outcome_type", "is_live_release", '"days_in_care"', "intake_date",
        "0", "1", "2.5", ".5", "'a'", "'it''s'", "''", "date '2024-01-31'", "true", "false",
        "null", "=", "<>", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "(", ")", ",",
        "and", "or", "not", "is", "in", "between", "like", "abs", "coalesce", "round", "year",
        ";", "--", "/*", "*/", "'", '"', "select", "copy", "from", "read_csv", "{{", "}}",
        "；", "（", "dаys", ".", "::", "\\", "\n", "é", "$", "e'x'",
    ]
)
# fmt: on
TEXTS = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="days_incre ()'\";-+*/<>=!.,0123456789aotnulb", max_size=60),
    st.lists(TOKENS, max_size=14).map(" ".join),
    st.lists(TOKENS, max_size=14).map("".join),
    _conditions(),
    # a well-formed condition with one token slipped in somewhere
    st.tuples(_conditions(), st.integers(0, 200), TOKENS).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[1] :]
    ),
)


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_any_text_is_refused_or_rendered_as_one_safe_condition(text):
    try:
        sql = canonical_check(text, COLUMNS)
    except CheckExpressionError as refused:
        assert refused.message and refused.hint
        return
    assert canonical_check(sql, COLUMNS) == sql
    assert ";" not in sql
    for marker in ("--", "/*", "{{", "{%", "{#"):
        assert marker not in _outside_quotes(sql)
    assert len(duckdb.extract_statements(f"select 1 where ({sql})")) == 1


def _outside_quotes(sql: str) -> str:
    return "".join(part for i, part in enumerate(sql.split("'")) if i % 2 == 0)


ROWS = [
    (-2, "adoption", True),
    (0, "other", False),
    (None, None, None),
    (7, "alpha", None),
]


@pytest.fixture(scope="module")
def rows():
    con = duckdb.connect()
    con.execute(
        "create table r (days_in_care integer, outcome_type varchar, is_live_release boolean)"
    )
    con.executemany("insert into r values (?, ?, ?)", ROWS)
    return con


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_conditions())
def test_well_formed_conditions_are_accepted_and_mean_what_the_kit_read(rows, text):
    """DuckDB groups the kit's rendering exactly as the kit read it: the same answer for every
    row as the same tree with brackets around every part."""
    node = parse_check(text, COLUMNS)
    sql, bracketed = render(node), render(node, all_brackets=True)
    assert canonical_check(sql, COLUMNS) == sql
    assert parse_check(bracketed, COLUMNS) == node
    try:
        differ = rows.execute(
            f"select count(*) from r where ({sql}) is distinct from ({bracketed})"
        ).fetchone()[0]
    except duckdb.Error:  # e.g. an overflow: then the bracketed form fails the same way
        with pytest.raises(duckdb.Error):
            rows.execute(f"select ({bracketed}) from r").fetchall()
        return
    assert differ == 0, (sql, bracketed)


# ------------------------------------------------------------------- through a proposal

BASE = {"version": 1, "group": "Table 9", "scenario": "breaking_change"}


def _proposal(tmp_path: Path, *constraints: str) -> Path:
    data = {
        **BASE,
        "models": [
            {
                "model": "data_platform.fct_animal_outcomes",
                "contract": {
                    "columns": [
                        {"name": "outcome_id", "constraints": ["not_null"]},
                        {
                            "name": "days_in_care",
                            "constraints": [
                                {"type": "check", "expression": e} for e in constraints
                            ],
                        },
                    ]
                },
            }
        ],
    }
    path = tmp_path / "group_proposal.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_a_break_out_in_a_proposal_is_refused_with_the_key_and_the_fix(built_mesh, tmp_path):
    path = _proposal(tmp_path, "days_in_care >= 0", BREAK_OUT)
    baseline = Baseline.read(kit.workspace.committed_mesh, kit.workspace.mesh_build())
    with pytest.raises(ProposalError) as info:
        validate(kit.load_proposal(path), baseline, load_logic_changes(), str(path))
    message = str(info.value)
    assert (
        "key `models[data_platform.fct_animal_outcomes].contract.columns[days_in_care]"
        ".constraints[1].expression`" in message
    )
    assert "group_proposal.yml" in message
    assert "`;` ends one SQL statement and starts another." in message
    assert "A check holds one condition on this model's columns" in info.value.hint


def test_an_accepted_check_reaches_the_sandbox_in_the_kits_own_form(built_mesh, tmp_path):
    path = _proposal(
        tmp_path, "DAYS_IN_CARE>=0 AND (outcome_date>=intake_date OR outcome_date IS NULL)"
    )
    result = kit.apply(path, tmp_path / "sandbox")
    models = result.sandbox / "data_platform/models/marts/core/_core__models.yml"
    entry = next(
        m
        for m in yaml.safe_load(models.read_text())["models"]
        if m["name"] == "fct_animal_outcomes"
    )
    column = next(c for c in entry["columns"] if c["name"] == "days_in_care")
    assert column["constraints"] == [
        {
            "type": "check",
            "expression": "days_in_care >= 0 and (outcome_date >= intake_date or outcome_date is null)",
        }
    ]
