"""Plain-language explanations of the messages a workshop build can print.

Each rule pairs a regular expression over the real message text (dbt 1.11, dbt-loom 0.9.6,
DuckDB 1.5, and the kit's own errors) with a writer that names the models, projects and columns
it found. `explain` picks the first rule that matches, errors before warnings.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..dbt.results import BuildResult


@dataclass(frozen=True)
class Explanation:
    """What a message means for the room: what happened, who is hit, which lever fixes it."""

    code: str
    title: str
    what_happened: str
    who_is_hit: str
    lever: str
    dbt_message: str


_Text = tuple[str, str, str, str]  # title, what happened, who is hit, lever
_Writer = Callable[[re.Match[str], str, str | None], _Text]  # match, message block, project
_RULES: list[tuple[str, re.Pattern[str], _Writer]] = []

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_PREFIX = re.compile(
    r"^(?:\d{2}:\d{2}:\d{2}\.\d+ \[[^\]]*\] \[[^\]]*\]: ?|\d{2}:\d{2}:\d{2}  )?(?:\[WARNING\]: )?",
    re.M,
)
_RECORD = re.compile(r"^\d{2}:\d{2}:\d{2}\.\d+ \[\s*(?P<level>\w+)\s*\] \[[^\]]*\]: ?", re.M)
_UID = r"[a-z_]+\.\w+\.\w+(?:\.v\w+)?"
_NOTEWORTHY = frozenset({"error", "fail", "warn", "runtime error"})


def _rule(code: str, pattern: str) -> Callable[[_Writer], _Writer]:
    def register(writer: _Writer) -> _Writer:
        _RULES.append((code, re.compile(pattern), writer))
        return writer

    return register


def _q(name: str) -> str:
    return f"`{name}`"


def _node(uid: str) -> tuple[str, str]:
    """`model.people_ops.dim_volunteers` -> ('people_ops', 'dim_volunteers'), versions kept."""
    parts = uid.split(".")
    name = parts[2] + (
        f" (version {parts[3][1:]})" if len(parts) > 3 and parts[3][:1] == "v" else ""
    )
    return parts[1], name


def _team(model: str | None, project: str | None) -> str:
    """Who owns `model`: its project's team when the message or the caller names the project."""
    if project:
        return f"The {_q(project)} team"
    return f"The team that owns {_q(model)}" if model else "The owning team"


def _day(stamp: str) -> str:
    return stamp[:10]


def _condition(cond: str) -> str:
    """dbt's `!= 0` or `>5` in words."""
    words = {
        "!=": "anything but",
        ">=": "at least",
        "<=": "at most",
        ">": "more than",
        "<": "under",
    }
    found = re.fullmatch(r"\s*(!=|>=|<=|>|<|=)\s*(\d+)\s*", cond)
    return f"{words.get(found[1], '')} {found[2]}".strip() if found else cond.strip()


_ACCESS = (
    "(Access says who may read a model: private = its own group, protected = its own project, "
    "public = every project.)"
)
_CONTRACT = "a contract (a promise to readers about its column names and types)"


@_rule(
    "locked_database",
    r'Could not set lock on file "(?P<file>[^"]+)": Conflicting lock is held in (?P<holder>.+?) '
    r"\(PID (?P<pid>\d+)\)"
    r"|The warehouse file `(?P<kfile>[^`]+)` is open in another program \(PID (?P<kpid>\d+): `(?P<kholder>[^`]*)`\)",
)
def _locked(m: re.Match[str], block: str, project: str | None) -> _Text:
    file, pid = m["file"] or m["kfile"], m["pid"] or m["kpid"]
    holder = (m["holder"] or m["kholder"]).strip()
    owner = Path(file).stem
    return (
        "A database file is in use by another program",
        f"The build could not open {_q(file)}, the database file of {_q(owner)}: another program "
        f"(PID {pid}, {_q(holder)}) has it open, and DuckDB lets only one program use a file while "
        "it is being written.",
        f"{_q(owner)} does not build, and nothing in it was changed. Builds of projects that read "
        f"{_q(owner)} can hit the same wall until the file is free.",
        "No governance lever: this is about the room, not the rules. Close the program that holds "
        "the file (another notebook's kernel, a DuckDB shell, a database browser) or stop it with "
        f"`kill {pid}`, then build again.",
    )


@_rule(
    "project_cycle", r"projects (?P<cycle>`\w+`(?: -> `\w+`)+) would read each other in a circle"
)
def _project_cycle(m: re.Match[str], block: str, project: str | None) -> _Text:
    cycle = re.findall(r"`(\w+)`", m["cycle"])
    reads = ", ".join(f"{_q(a)} reads {_q(b)}" for a, b in zip(cycle, cycle[1:], strict=False))
    refs = re.findall(r"^\s*(\w+)\.(\S+) -> ref\('(\w+)', '(\w+)'\)", block, re.M)
    shown = "; ".join(
        f"{_q(c)} ({path}) reads {_q(p + '.' + model)}" for c, path, p, model in refs[:4]
    )
    members = sorted(set(cycle))
    return (
        "Projects would read each other in a circle",
        f"{reads}: a circle, so none of them can be built first."
        + (f" The refs that close it: {shown}." if shown else ""),
        f"Every project in the circle ({', '.join(map(_q, members))}) is stuck: none of them can build.",
        "Moving a model: move the models on one side of the circle into the project they read from "
        "(often the hub), or move the shared model into the hub so both read the hub. A "
        "hub-and-spoke rule (spokes read only the hub) keeps circles out.",
    )


@_rule(
    "protected_ref",
    rf"Node (?P<consumer>{_UID}) attempted to reference node (?P<target>{_UID}), which is not "
    r"allowed because the referenced node is protected to the '(?P<scope>\w+)' package",
)
def _protected(m: re.Match[str], block: str, project: str | None) -> _Text:
    cproj, consumer = _node(m["consumer"])
    tproj, target = _node(m["target"])
    return (
        "A model read another project's protected model",
        f"{_q(consumer)} in {_q(cproj)} reads {_q(target)} from {_q(tproj)}, but {_q(target)} is "
        f"protected: only models inside {_q(m['scope'])} may read it. {_ACCESS}",
        f"{_q(cproj)} cannot build until this is settled. The {_q(tproj)} team is asked whether "
        f"{_q(target)} should be shared.",
        f"Access level: the {_q(tproj)} team makes {_q(target)} public (`access: public` in its "
        "yml file), best with a contract so readers can rely on its columns. Or "
        f"{_q(cproj)} reads a public model instead, or the model that needs it moves into {_q(tproj)}.",
    )


@_rule(
    "private_ref",
    rf"Node (?P<consumer>{_UID}) attempted to reference node (?P<target>{_UID}), which is not "
    r"allowed because the referenced node is private to the '(?P<group>\w+)' group",
)
def _private(m: re.Match[str], block: str, project: str | None) -> _Text:
    cproj, consumer = _node(m["consumer"])
    tproj, target = _node(m["target"])
    group = _q(m["group"])
    where = "" if cproj == tproj else f" from {_q(tproj)}"
    lever = (
        f"Group membership or access level: put {_q(consumer)} in the group {group}, or the "
        f"group's owners widen {_q(target)} to protected (any model of {_q(tproj)}) or public."
        if cproj == tproj
        else f"Access level: the owners of {group} make {_q(target)} public so other projects may "
        f"read it, or {_q(cproj)} reads a public model instead."
    )
    return (
        "A model read a model private to another group",
        f"{_q(consumer)} in {_q(cproj)} reads {_q(target)}{where}, which is private to the group "
        f"{group}: only models of that group may read it. (A group is a team that owns a set of "
        "models.)",
        f"{_q(cproj)} cannot build until this is settled. The owners of {group} decide who may "
        f"read {_q(target)}.",
        lever,
    )


@_rule(
    "model_not_found",
    rf"(?P<kind>\w+) '(?P<node>{_UID})' \([^)]*\) depends on a node named '(?P<name>[^']+)' "
    r"(?:with version '(?P<version>[^']+)' )?(?:in package or project '(?P<package>[^']+)' )?"
    r"which (?P<reason>was not found or is disabled|was not found|is disabled)",
)
def _not_found(m: re.Match[str], block: str, project: str | None) -> _Text:
    nproj, node = _node(m["node"])
    name = m["name"] + (f" (version {m['version']})" if m["version"] else "")
    package = m["package"]
    thing = "The test" if m["kind"] == "Test" else "The model"
    if m["reason"] == "is disabled":
        why = "it exists but is switched off (`enabled: false`)."
    elif package:
        why = (
            "the model or project name may be misspelled, the model may have been renamed, moved "
            f"or deleted, or {_q(package)} is not a project {_q(nproj)} reads from."
        )
    else:
        why = "the name may be misspelled, or the model was renamed, moved or deleted."
    source = f" from {_q(package)}" if package else ""
    asked = (
        f" If {_q(package)} renamed or removed it, its team is asked to give readers time: a new "
        "version or a deprecation date instead of a sudden change."
        if package
        else ""
    )
    return (
        "A model refers to a model that does not exist" + (f" in {_q(package)}" if package else ""),
        f"{thing} {_q(node)} in {_q(nproj)} reads {_q(name)}{source}, but no such model is there: "
        + why,
        f"{_q(nproj)} cannot build until the ref is fixed.{asked}",
        "Moving a model, versions, deprecation dates: fix the name in the `ref(...)` that reads it; "
        "if the model moved, point the ref at the project that now owns it (where it must be "
        "public).",
    )


@_rule(
    "source_not_found",
    rf"(?P<kind>\w+) '(?P<node>{_UID})' \([^)]*\) depends on a source named '(?P<source>[^']+)' "
    r"in package '[^']*' which was not found",
)
def _source_not_found(m: re.Match[str], block: str, project: str | None) -> _Text:
    nproj, node = _node(m["node"])
    hit = (
        f"{_q(nproj)}: dbt switches this test off, so its check silently does not run."
        if m["kind"] == "Test"
        else f"{_q(nproj)} cannot build until this is fixed."
    )
    return (
        "A model or test reads raw data its project does not declare",
        f"{'The test' if m['kind'] == 'Test' else 'The model'} {_q(node)} in {_q(nproj)} reads the "
        f"raw table {_q(m['source'])}, but {_q(nproj)} declares no such source. Raw data belongs to "
        "the project that loads it.",
        hit,
        f"Moving a model: move {_q(node)} into the project that owns the raw data, or read that "
        "project's public staging model instead of the raw table.",
    )


@_rule("model_cycle", r"Found a cycle: (?P<chain>\S+(?: --> \S+)+)")
def _model_cycle(m: re.Match[str], block: str, project: str | None) -> _Text:
    nodes = [_node(uid) for uid in m["chain"].split(" --> ")]
    names = ", ".join(_q(name) for _, name in nodes)
    projects = sorted({p for p, _ in nodes})
    return (
        "Models read each other in a circle",
        f"{names} depend on each other in a circle, so none of them can be built first.",
        f"{', '.join(map(_q, projects))} cannot build until the circle is broken.",
        "Moving a model: put the logic they share into one model that the others read, so every "
        "ref points one way.",
    )


@_rule(
    "breaking_contract_change",
    r"Breaking change to contracted, unversioned model (?P<umodel>\w+)(?: \([^)\n]*\))?(?:\s*While "
    r"comparing to previous project state, dbt detected a breaking change to an unversioned model\.)?"
    r"|Breaking change to contract Error in model (?P<vmodel>\w+)"
    r"|dbt detected a breaking change to an enforced contract",
)
def _breaking(m: re.Match[str], block: str, project: str | None) -> _Text:
    model = m["umodel"] or m["vmodel"] or "this model"
    changes = []
    removed = re.search(r"Columns were removed:\s*((?:\s*- \w+)+)", block)
    if removed:
        changes.append("columns removed: " + ", ".join(map(_q, re.findall(r"- (\w+)", removed[1]))))
    for column, old, new in re.findall(r"- (\w+) \((\S+) -> (\S+)\)", block):
        changes.append(f"{_q(column)} changed type from {old} to {new}")
    for phrase, said in (
        ("Contract enforcement was removed", "the contract is no longer enforced"),
        ("constraints were removed", "a constraint readers relied on was removed"),
        ("was deleted or renamed", "the model was deleted or renamed"),
        ("was disabled", "the model was switched off"),
        ("Materialization changed", "it is no longer built as a table"),
    ):
        if phrase in block:
            changes.append(said)
    what = f"{_q(model)} has {_CONTRACT}, and this change breaks it" + (
        f": {'; '.join(changes)}." if changes else "."
    )
    what += (
        " Because the model has no versions, dbt only warns; readers find out when their own "
        "builds fail."
        if m["umodel"]
        else " Because the model is versioned, dbt stops the build."
    )
    return (
        "A change breaks a contract that readers rely on",
        what,
        f"Every model that reads {_q(model)}, in any project, may fail on its next build. "
        f"{_team(model, project)} is asked to keep the promise or give readers a way to move.",
        "Contract and version: make the change additive (keep the old column and type), or publish "
        "it as a new version next to the old one, with a deprecation date on the old version so "
        "readers move when they are ready.",
    )


@_rule(
    "contract_mismatch",
    r"(?:Compilation Error in model (?P<model>\w+) \([^)]*\)\s*)?"
    r"This model has an enforced contract that failed",
)
def _contract(m: re.Match[str], block: str, project: str | None) -> _Text:
    model = m["model"] or "this model"
    problems = []
    for col, actual, promised, reason in re.findall(
        r"^\s*\|\s*(\w+)\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|\s*"
        r"(data type mismatch|missing in definition|missing in contract)\s*\|",
        block,
        re.M,
    ):
        problems.append(
            {
                "data type mismatch": f"{_q(col)} comes out as {actual}, the contract says {promised}",
                "missing in definition": f"{_q(col)} is in the contract, but the SQL does not produce it",
                "missing in contract": f"{_q(col)} comes out of the SQL, but the contract does not list it",
            }[reason]
        )
    return (
        "A model does not match its contract",
        f"{_q(model)} has {_CONTRACT}, and its SQL does not keep it"
        + (f": {'; '.join(problems)}." if problems else "."),
        f"{_team(model, project)} cannot build it, and models that read it, in any project, do "
        "not get fresh data until it builds.",
        "Contract: change the SQL (cast or rename the column) or update the contract in the "
        "model's yml. If other projects read the model, a contract change is a breaking change: "
        "agree on it first, or publish a new version.",
    )


@_rule(
    "constraint_violation",
    r"(?:Runtime Error in model (?P<model>\w+) \([^)]*\)\s*)?Constraint Error: (?P<detail>"
    r"NOT NULL constraint failed: (?P<ntable>\w+)\.(?P<column>\w+)"
    r"|(?:PRIMARY KEY or UNIQUE constraint violation: )?[Dd]uplicate key \"(?P<key>[^\"]*)\""
    r"|CHECK constraint failed on table (?P<ctable>\w+) with expression (?P<expr>[^\n]+)"
    r"|[^\n]+)",
)
def _constraint(m: re.Match[str], block: str, project: str | None) -> _Text:
    table = m["ntable"] or m["ctable"] or ""
    model = m["model"] or table.removesuffix("__dbt_tmp") or "this model"
    if m["column"]:
        broke = (
            f"some rows have no value in {_q(m['column'])}, but a not-null constraint says it must "
            "never be empty"
        )
    elif m["key"] is not None:
        broke = (
            f"the key value {_q(m['key'])} appears more than once, but a primary key or unique "
            "constraint allows each value only once"
        )
    elif m["expr"]:
        rule = re.sub(r"^CHECK\((.*)\)$", r"\1", m["expr"].strip())
        broke = f"some rows break the rule {_q(rule)} of a check constraint"
    else:
        broke = f"rows broke a constraint ({m['detail'].strip()})"
    return (
        "Data broke a rule of a contracted table",
        f"While building {_q(model)}, {broke}. (Constraints are rules a contracted table enforces on "
        "every row.)",
        f"{_team(model, project)} cannot build it: the table is not replaced, and models that read "
        "it do not get fresh data.",
        "Contract constraints: fix the data or the SQL (filter, deduplicate, fill in a default), or "
        "drop the constraint if the rule was wrong. Readers may rely on it, so agree first.",
    )


@_rule(
    "missing_table",
    r"(?:Runtime Error in (?P<kind>model|test) (?P<node>\w+) \([^)]*\)\s*)?"
    r"Catalog Error: Table with name (?P<table>\w+) does not exist!",
)
def _missing_table(m: re.Match[str], block: str, project: str | None) -> _Text:
    table = m["table"]
    home = re.search(rf'"(\w+)"\."\w+"\."{table}"', block)
    where = f" in {_q(home[1])}" if home else ""
    reader = f"The {m['kind']} {_q(m['node'])}" if m["node"] else "A model or test"
    return (
        "A model or test read a table that has not been built",
        f"{reader} reads the table {_q(table)}{where}, but that table is not in the warehouse: the "
        "model that makes it failed, was left out of this build, or belongs to a project that has "
        "not been built yet.",
        f"{_q(project) if project else 'This project'}: the {m['kind'] or 'node'} fails until "
        f"{_q(table)} exists.",
        f"No governance lever: build the model or project that makes {_q(table)} first, then "
        "build again.",
    )


@_rule(
    "test_failure",
    r"(?:(?:Failure|Warning) in test (?P<test>\w+)(?: \([^)]*\))?\s*)?"
    r"Got (?P<count>\d+) results?, configured to (?P<mode>fail|warn) if (?P<cond>[^\n]+)",
)
def _test_failure(m: re.Match[str], block: str, project: str | None) -> _Text:
    tested = re.search(r"tests model\.(\w+)\.(\w+)", block)
    test = _q(m["test"]) if m["test"] else "A data test"
    target = _q(tested[2]) if tested else "the model it checks"
    rows = f"{m['count']} row{'' if m['count'] == '1' else 's'}"
    if m["mode"] == "fail":
        owner = _team(tested[2], tested[1]) if tested else _team(None, project)
        who = (
            f"{owner}: models that read {target if tested else 'it'} are skipped in this build "
            "until the test passes. The table itself was already rebuilt, so other projects that "
            "read it see the rows the test flagged."
        )
    else:
        who = f"Nobody is blocked; the owners of {target} should look at the rows."
    return (
        "A data test found rows that break its rule",
        f"{test}{' on ' + target if tested else ''} found {rows} breaking its rule. (A data test "
        "is a query that should return no rows; this one is set to "
        f"{m['mode']} if the count is {_condition(m['cond'])}.)",
        who,
        "Tests and ownership: fix the data or the model's SQL; if the rule itself is wrong, change "
        "the test (or lower it to a warning) after agreeing with the teams that rely on it.",
    )


@_rule(
    "deprecated_reference",
    r"While compiling '(?P<consumer>\w+)': Found a reference to (?P<ref>[\w.]+), which was "
    r"deprecated on '(?P<date>[^']+)'\.(?: A new version of '\w+' is available\. Migrate now: "
    r"(?P<hint>\{\{.*?\}\}))?",
)
def _deprecated_ref(m: re.Match[str], block: str, project: str | None) -> _Text:
    name, _, version = m["ref"].partition(".v")
    shown = _q(name) + (f" (version {version})" if version else "")
    switch = f" ({m['hint']})" if m["hint"] else ""
    return (
        "A model still reads a model past its deprecation date",
        f"{_q(m['consumer'])} reads {shown}, which its owners marked for retirement on "
        f"{_day(m['date'])} (a deprecation date: the day after which a model may be removed). It "
        "still builds today, but it can disappear at any time.",
        f"{_team(m['consumer'], project)} should switch to something else soon; the owners of "
        f"{_q(name)} are asked what replaces it.",
        f"Deprecation date and version pin: point the ref at the newer version{switch} or at the "
        "replacement model. The owners can move the date if readers need more time.",
    )


@_rule(
    "upcoming_deprecation",
    r"While compiling '(?P<consumer>\w+)': Found a reference to (?P<ref>[\w.]+), which is slated "
    r"for deprecation on '(?P<date>[^']+)'",
)
def _upcoming(m: re.Match[str], block: str, project: str | None) -> _Text:
    name, _, version = m["ref"].partition(".v")
    shown = _q(name) + (f" (version {version})" if version else "")
    return (
        "A model reads a model that is due to be retired",
        f"{_q(m['consumer'])} reads {shown}, which its owners plan to retire on {_day(m['date'])} "
        "(its deprecation date). Nothing breaks yet.",
        f"{_team(m['consumer'], project)} has until {_day(m['date'])} to switch; the owners of "
        f"{_q(name)} are asked what replaces it.",
        "Deprecation date and version pin: move the ref to the newer version or the replacement "
        "model before the date, or ask the owners for a later date.",
    )


@_rule(
    "deprecated_model",
    r"Model (?P<name>\w+)(?:\.v(?P<version>\w+))? has passed its deprecation date of (?P<date>\S+?)\.",
)
def _deprecated_model(m: re.Match[str], block: str, project: str | None) -> _Text:
    shown = _q(m["name"]) + (f" (version {m['version']})" if m["version"] else "")
    return (
        "A model is past its deprecation date",
        f"{shown} was due to be retired on {_day(m['date'])} (its deprecation date), but it is still "
        "there, so every project that reads it gets a warning on each build.",
        f"The team that owns {_q(m['name'])} is asked to remove or switch it off once nobody reads it; "
        "teams still reading it should move off it.",
        "Deprecation date: remove the old model or version, or set a later date if readers need "
        "more time.",
    )


@_rule(
    "prerelease_version",
    r"(?:While compiling '(?P<consumer>\w+)':\s*Found an unpinned reference to versioned model "
    r"'(?P<model>\w+)' in project '(?P<project>\w+)'\.\s*Resolving to latest version: "
    r"\w+\.v(?P<latest>\w+)\s*)?A prerelease version (?P<pre>\w+) is available",
)
def _prerelease(m: re.Match[str], block: str, project: str | None) -> _Text:
    reader = _q(m["consumer"]) if m["consumer"] else None
    model = _q(m["model"]) if m["model"] else "a versioned model"
    source = f" from {_q(m['project'])}" if m["project"] else ""
    latest = f" (v{m['latest']})" if m["latest"] else ""
    team = _team(m["consumer"], project) if reader or project else "Readers"
    owners = f"the {_q(m['project'])} team is" if m["project"] else "its owners are"
    pin = (
        f"`{{{{ ref('{m['project']}', '{m['model']}', v={m['latest']}) }}}}` stays on v{m['latest']}"
        if m["model"]
        else "naming the version read today in the ref (`v=...`) stays on it"
    )
    return (
        "A newer, unreleased version of a model is available",
        f"{reader or 'A model'} reads {model}{source} without naming a version, so it gets the "
        f"version marked latest{latest}. Version {m['pre']} is a prerelease (published, not yet "
        f"marked latest): when the owners mark it latest, {reader or 'the reader'} switches to it "
        "on its next build.",
        f"Nobody yet: nothing breaks today. {team} should pin a version to avoid a surprise; "
        f"{owners} asked to announce when version {m['pre']} becomes latest.",
        f"Version pin: {pin}; `v={m['pre']}` tries the new version now.",
    )


def _clean(message: str) -> str:
    return _PREFIX.sub("", _ANSI.sub("", message))


def _block(text: str, match: re.Match[str]) -> str:
    """The lines of the message the match sits in, with the indented lines that belong to it."""
    start = text.rfind("\n", 0, match.start()) + 1
    lines = text[start:].split("\n")
    end = text[start : match.end()].count("\n") + 1
    while end < len(lines) and lines[end][:1] in {" ", "\t", "|", "-", ""}:
        if not lines[end].strip() and not any(line.strip() for line in lines[end : end + 3]):
            break
        end += 1
    kept = [line.rstrip() for line in lines[:end] if not line.lstrip().startswith(">")]
    return textwrap.dedent("\n".join(kept)).strip("\n")


def explain(message: str, project: str | None = None) -> Explanation | None:
    """The best match for one message, or None. `project`: the project whose build printed it."""
    text = _clean(message)
    for code, pattern, writer in _RULES:
        match = pattern.search(text)
        if match:
            block = _block(text, match)
            return Explanation(code, *writer(match, block, project), block)
    return None


def explain_all(messages: Iterable[str], project: str | None = None) -> list[Explanation]:
    """One explanation per distinct finding, in the order the messages came."""
    found: dict[tuple[str, ...], Explanation] = {}
    for message in messages:
        hit = explain(message, project)
        if hit:
            found.setdefault((hit.code, hit.what_happened, hit.who_is_hit, hit.lever), hit)
    return list(found.values())


def log_messages(log: Path) -> list[str]:
    """The warnings and errors of the last dbt run in a `dbt.log` (default text format), one each."""
    text = _ANSI.sub("", log.read_text(errors="replace"))
    marks = list(_RECORD.finditer(text))
    records = [
        (m["level"], text[m.end() : nxt.start() if nxt else len(text)].rstrip())
        for m, nxt in zip(marks, [*marks[1:], None], strict=True)
    ]
    starts = [i for i, (_, body) in enumerate(records) if body.startswith("Running with dbt=")]
    messages: list[str] = []
    for level, body in records[starts[-1] if starts else 0 :]:
        # A newer prerelease version is only news (info), but it is news to the room.
        news = level == "info" and "Found an unpinned reference to versioned model" in body
        if (level not in {"warn", "error"} and not news) or body.startswith("Traceback"):
            continue
        body = body.removeprefix("[WARNING]: ")
        if (
            messages
            and body.startswith(" ")
            and messages[-1].startswith(("Failure in ", "Warning in "))
        ):
            messages[-1] += "\n" + body
        else:
            messages.append(body)
    return messages


def messages_of(result: BuildResult) -> list[str]:
    """Everything a build said that may need explaining: failed nodes, its log's warnings, errors."""
    log = Path(result.log_path) if result.log_path else None
    tests: dict[str, tuple[str, str]] = {}
    if log and any(
        n.resource_type == "test" and n.status in {"fail", "warn"} for n in result.nodes
    ):
        tests = _tests(log.parent.parent / "target" / "manifest.json")  # the run's own target
    found = []
    for node in result.nodes:
        if node.status not in _NOTEWORTHY:
            continue
        if node.resource_type == "test" and node.status in {"fail", "warn"}:
            path, model = tests.get(node.unique_id, ("", ""))
            word = "Failure" if node.status == "fail" else "Warning"
            found.append(
                f"{word} in test {node.name}{f' ({path})' if path else ''}\n  {node.message}"
                + (f"\n  tests {model}" if model else "")
            )
        else:
            found.append(node.message)
    from_log = log_messages(log) if log and log.is_file() else []
    found += [m for m in from_log if not m.startswith(("Failure in ", "Warning in "))]
    if result.error and not from_log:
        found.append(result.error)
    return found


def explain_result(result: BuildResult) -> list[Explanation]:
    """The explanations for one project's build."""
    return explain_all(messages_of(result), result.project)


def _tests(manifest: Path) -> dict[str, tuple[str, str]]:
    """Test id -> (file it is defined in, the model it tests) from a manifest, if there is one."""
    if not manifest.is_file():
        return {}
    nodes = json.loads(manifest.read_text()).get("nodes", {})
    tests = {}
    for uid, node in nodes.items():
        if node.get("resource_type") != "test":
            continue
        models = [n for n in node.get("depends_on", {}).get("nodes", []) if n.startswith("model.")]
        model = node.get("attached_node") or (models[0] if len(models) == 1 else "")
        tests[uid] = (node.get("original_file_path", ""), model or "")
    return tests
