"""The words of an explanation: one writer per code turns a finding's named fields into plain
language (what happened, who is hit, which governance lever fixes it).

The fields come from dbt's structured events (`explain.py`) or, where there is only text, from
the regular expressions of `explain_text.py`; the writers do not care which.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

Text = tuple[str, str, str, str]  # title, what happened, who is hit, lever
Fields = dict[str, Any]
Finding = tuple[str, Fields, str]  # code, fields, dbt's message
Writer = Callable[[Fields, str | None], Text]  # fields, the project whose build said it
WRITERS: dict[str, Writer] = {}


def words(code: str, fields: Fields, project: str | None) -> Text:
    """Title, what happened, who is hit and lever for one finding."""
    return WRITERS[code](fields, project)


def _writes(code: str) -> Callable[[Writer], Writer]:
    def register(writer: Writer) -> Writer:
        WRITERS[code] = writer
        return writer

    return register


def q(name: str) -> str:
    return f"`{name}`"


def _node(uid: str) -> tuple[str, str]:
    """`model.people_ops.dim_volunteers` -> ('people_ops', 'dim_volunteers'), versions kept."""
    parts = uid.split(".")
    name = parts[2] + (
        f" (version {parts[3][1:]})" if len(parts) > 3 and parts[3][:1] == "v" else ""
    )
    return parts[1], name


def node_name(uid: str) -> str:
    """The node's name alone: `model.data_platform.dim_regions` -> `dim_regions`."""
    parts = uid.split(".")
    return parts[2] if len(parts) > 2 else uid


def _team(model: str | None, project: str | None) -> str:
    """Who owns `model`: its project's team when the message or the caller names the project."""
    if project:
        return f"The {q(project)} team"
    return f"The team that owns {q(model)}" if model else "The owning team"


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


# --- Writers: named fields in, plain language out ------------------------------------------------


@_writes("disk_full")
def _disk_full(f: Fields, project: str | None) -> Text:
    where = f" while building {q(project)}" if project else ""
    return (
        "The server's disk is full",
        f"dbt could not write a table{where}: there is no space left on the server's disk.",
        "Nothing was judged wrong in your decisions, and what you saved before is kept.",
        "No governance lever: tell the facilitator, who frees some space on the server "
        "(`df -h` shows how much is left), then press Apply & check again.",
    )


@_writes("build_interrupted")
def _interrupted(f: Fields, project: str | None) -> Text:
    name = q(f["project"])
    if f["why"] == "time":
        what = f"dbt stopped building {name} after {f['limit']} seconds, the longest a build may take here."
    elif f["why"] == "room":
        what = (
            f"The server's shared dbt service stopped while it was building {name} (it was "
            "restarted, or the server ran short of memory), so this build has no result."
        )
    else:
        what = f"The dbt process building {name} stopped before it finished, so this build has no result."
    return (
        "The build was interrupted",
        what,
        f"Nothing was judged wrong in {name}, and your saved decisions are untouched; projects "
        f"that read {name} were not built either.",
        "No governance lever: press Apply & check again. A fresh dbt process starts by itself. "
        "If it happens again, tell the facilitator.",
    )


@_writes("locked_database")
def _locked(f: Fields, project: str | None) -> Text:
    file, pid, holder = f["file"], f["pid"], f["holder"]
    owner = Path(file).stem
    return (
        "A database file is in use by another program",
        f"The build could not open {q(file)}, the database file of {q(owner)}: another program "
        f"(PID {pid}, {q(holder)}) has it open, and DuckDB lets only one program use a file while "
        "it is being written.",
        f"{q(owner)} does not build, and nothing in it was changed. Builds of projects that read "
        f"{q(owner)} can hit the same wall until the file is free.",
        "No governance lever: this is about the room, not the rules. Close the program that holds "
        "the file (another notebook's kernel, a DuckDB shell, a database browser) or stop it with "
        f"`kill {pid}`, then build again.",
    )


@_writes("project_cycle")
def _project_cycle(f: Fields, project: str | None) -> Text:
    cycle, refs = f["cycle"], f["refs"]
    reads = ", ".join(f"{q(a)} reads {q(b)}" for a, b in zip(cycle, cycle[1:], strict=False))
    shown = "; ".join(
        f"{q(c)} ({path}) reads {q(p + '.' + model)}" for c, path, p, model in refs[:4]
    )
    members = sorted(set(cycle))
    return (
        "Projects would read each other in a circle",
        f"{reads}: a circle, so none of them can be built first."
        + (f" The refs that close it: {shown}." if shown else ""),
        f"Every project in the circle ({', '.join(map(q, members))}) is stuck: none of them can build.",
        "Moving a model: move the models on one side of the circle into the project they read from "
        "(often the hub), or move the shared model into the hub so both read the hub. A "
        "hub-and-spoke rule (spokes read only the hub) keeps circles out.",
    )


@_writes("protected_ref")
def _protected(f: Fields, project: str | None) -> Text:
    cproj, consumer = _node(f["consumer"])
    tproj, target = _node(f["target"])
    return (
        "A model read another project's protected model",
        f"{q(consumer)} in {q(cproj)} reads {q(target)} from {q(tproj)}, but {q(target)} is "
        f"protected: only models inside {q(f['scope'])} may read it. {_ACCESS}",
        f"{q(cproj)} cannot build until this is settled. The {q(tproj)} team is asked whether "
        f"{q(target)} should be shared.",
        f"Access level: the {q(tproj)} team makes {q(target)} public (`access: public` in its "
        "yml file), best with a contract so readers can rely on its columns. Or "
        f"{q(cproj)} reads a public model instead, or the model that needs it moves into {q(tproj)}.",
    )


@_writes("private_ref")
def _private(f: Fields, project: str | None) -> Text:
    cproj, consumer = _node(f["consumer"])
    tproj, target = _node(f["target"])
    group = q(f["group"])
    where = "" if cproj == tproj else f" from {q(tproj)}"
    lever = (
        f"Group membership or access level: put {q(consumer)} in the group {group}, or the "
        f"group's owners widen {q(target)} to protected (any model of {q(tproj)}) or public."
        if cproj == tproj
        else f"Access level: the owners of {group} make {q(target)} public so other projects may "
        f"read it, or {q(cproj)} reads a public model instead."
    )
    return (
        "A model read a model private to another group",
        f"{q(consumer)} in {q(cproj)} reads {q(target)}{where}, which is private to the group "
        f"{group}: only models of that group may read it. (A group is a team that owns a set of "
        "models.)",
        f"{q(cproj)} cannot build until this is settled. The owners of {group} decide who may "
        f"read {q(target)}.",
        lever,
    )


@_writes("model_not_found")
def _not_found(f: Fields, project: str | None) -> Text:
    nproj, node = _node(f["node"])
    name = f["name"] + (f" (version {f['version']})" if f.get("version") else "")
    package = f.get("package")
    thing = "The test" if f["kind"] == "Test" else "The model"
    if f["reason"] == "is disabled":
        why = "it exists but is switched off (`enabled: false`)."
    elif package:
        why = (
            "the model or project name may be misspelled, the model may have been renamed, moved "
            f"or deleted, or {q(package)} is not a project {q(nproj)} reads from."
        )
    else:
        why = "the name may be misspelled, or the model was renamed, moved or deleted."
    source = f" from {q(package)}" if package else ""
    asked = (
        f" If {q(package)} renamed or removed it, its team is asked to give readers time: a new "
        "version or a deprecation date instead of a sudden change."
        if package
        else ""
    )
    return (
        "A model refers to a model that does not exist" + (f" in {q(package)}" if package else ""),
        f"{thing} {q(node)} in {q(nproj)} reads {q(name)}{source}, but no such model is there: "
        + why,
        f"{q(nproj)} cannot build until the ref is fixed.{asked}",
        "Moving a model, versions, deprecation dates: fix the name in the `ref(...)` that reads it; "
        "if the model moved, point the ref at the project that now owns it (where it must be "
        "public).",
    )


@_writes("source_not_found")
def _source_not_found(f: Fields, project: str | None) -> Text:
    nproj, node = _node(f["node"])
    test = f["kind"] == "Test"
    hit = (
        f"{q(nproj)}: dbt switches this test off, so its check silently does not run."
        if test
        else f"{q(nproj)} cannot build until this is fixed."
    )
    return (
        "A model or test reads raw data its project does not declare",
        f"{'The test' if test else 'The model'} {q(node)} in {q(nproj)} reads the "
        f"raw table {q(f['source'])}, but {q(nproj)} declares no such source. Raw data belongs to "
        "the project that loads it.",
        hit,
        f"Moving a model: move {q(node)} into the project that owns the raw data, or read that "
        "project's public staging model instead of the raw table.",
    )


@_writes("model_cycle")
def _model_cycle(f: Fields, project: str | None) -> Text:
    nodes = [_node(uid) for uid in f["chain"]]
    names = ", ".join(q(name) for _, name in nodes)
    projects = sorted({p for p, _ in nodes})
    return (
        "Models read each other in a circle",
        f"{names} depend on each other in a circle, so none of them can be built first.",
        f"{', '.join(map(q, projects))} cannot build until the circle is broken.",
        "Moving a model: put the logic they share into one model that the others read, so every "
        "ref points one way.",
    )


@_writes("breaking_contract_change")
def _breaking(f: Fields, project: str | None) -> Text:
    model, changes = f.get("model") or "this model", f["changes"]
    what = f"{q(model)} has {_CONTRACT}, and this change breaks it" + (
        f": {'; '.join(changes)}." if changes else "."
    )
    what += (
        " Because the model is versioned, dbt stops the build."
        if f["versioned"]
        else " Because the model has no versions, dbt only warns; readers find out when their own "
        "builds fail."
    )
    return (
        "A change breaks a contract that readers rely on",
        what,
        f"Every model that reads {q(model)}, in any project, may fail on its next build. "
        f"{_team(model, project)} is asked to keep the promise or give readers a way to move.",
        "Contract and version: make the change additive (keep the old column and type), or publish "
        "it as a new version next to the old one, with a deprecation date on the old version so "
        "readers move when they are ready.",
    )


@_writes("contract_mismatch")
def _contract(f: Fields, project: str | None) -> Text:
    model = f.get("model") or "this model"
    said = {
        "data type mismatch": "{col} comes out as {actual}, the contract says {promised}",
        "missing in definition": "{col} is in the contract, but the SQL does not produce it",
        "missing in contract": "{col} comes out of the SQL, but the contract does not list it",
    }
    problems = [
        said[reason].format(col=q(col), actual=actual, promised=promised)
        for col, actual, promised, reason in f["problems"]
    ]
    return (
        "A model does not match its contract",
        f"{q(model)} has {_CONTRACT}, and its SQL does not keep it"
        + (f": {'; '.join(problems)}." if problems else "."),
        f"{_team(model, project)} cannot build it, and models that read it, in any project, do "
        "not get fresh data until it builds.",
        "Contract: change the SQL (cast or rename the column) or update the contract in the "
        "model's yml. If other projects read the model, a contract change is a breaking change: "
        "agree on it first, or publish a new version.",
    )


@_writes("constraint_violation")
def _constraint(f: Fields, project: str | None) -> Text:
    model = f.get("model") or "this model"
    if f.get("column"):
        broke = (
            f"some rows have no value in {q(f['column'])}, but a not-null constraint says it must "
            "never be empty"
        )
    elif f.get("key") is not None:
        broke = (
            f"the key value {q(f['key'])} appears more than once, but a primary key or unique "
            "constraint allows each value only once"
        )
    elif f.get("expr"):
        rule = re.sub(r"^CHECK\((.*)\)$", r"\1", f["expr"].strip())
        broke = f"some rows break the rule {q(rule)} of a check constraint"
    else:
        broke = f"rows broke a constraint ({f['detail'].strip()})"
    return (
        "Data broke a rule of a contracted table",
        f"While building {q(model)}, {broke}. (Constraints are rules a contracted table enforces on "
        "every row.)",
        f"{_team(model, project)} cannot build it: the table is not replaced, and models that read "
        "it do not get fresh data.",
        "Contract constraints: fix the data or the SQL (filter, deduplicate, fill in a default), or "
        "drop the constraint if the rule was wrong. Readers may rely on it, so agree first.",
    )


@_writes("missing_table")
def _missing_table(f: Fields, project: str | None) -> Text:
    table, kind = f["table"], f.get("kind")
    where = f" in {q(f['home'])}" if f.get("home") else ""
    reader = f"The {kind} {q(f['node'])}" if f.get("node") else "A model or test"
    return (
        "A model or test read a table that has not been built",
        f"{reader} reads the table {q(table)}{where}, but that table is not in the warehouse: the "
        "model that makes it failed, was left out of this build, or belongs to a project that has "
        "not been built yet.",
        f"{q(project) if project else 'This project'}: the {kind or 'node'} fails until "
        f"{q(table)} exists.",
        f"No governance lever: build the model or project that makes {q(table)} first, then "
        "build again.",
    )


@_writes("missing_column")
def _missing_column(f: Fields, project: str | None) -> Text:
    column, kind = f["column"], f.get("kind") or "model or test"
    reader = f"The {kind} {q(f['node'])}" if f.get("node") else "A model or test"
    seen = (f.get("candidates") or "").replace('"', "`").strip()
    there = f" The table it reads has {seen} instead." if seen else ""
    return (
        "A model or test reads a column that is not there",
        f"{reader} reads the column {q(column)}, but the table it reads has no such column, so "
        f"the database refused the query.{there} When a model has versions, dbt sends every `ref` "
        "without `v=` (the owning project's own tests included) to the latest version, and a model "
        "with no `latest_version` treats its highest version as the latest: a column the new "
        "version dropped or renamed is then gone for every one of those readers at once.",
        f"{q(project) if project else 'This project'}: the {kind} fails until what it reads has "
        f"{q(column)} again.",
        "Version pin: pin `v=` in the refs that need the old columns, or set `latest_version` to "
        "the version readers should keep getting (the new one then stays a prerelease that "
        "readers opt into with `v=`); if the column is gone for good, change the SQL.",
    )


@_writes("test_failure")
def _test_failure(f: Fields, project: str | None) -> Text:
    tested = f.get("tested")  # (project, model) of the model the test checks, when known
    test = q(f["test"]) if f.get("test") else "A data test"
    target = q(tested[1]) if tested else "the model it checks"
    count = int(f["count"])
    rows = f"{count} row{'' if count == 1 else 's'}"
    if f["mode"] == "fail":
        owner = _team(tested[1], tested[0]) if tested else _team(None, project)
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
        f"{f['mode']} if the count is {_condition(f['cond'])}.)",
        who,
        "Tests and ownership: fix the data or the model's SQL; if the rule itself is wrong, change "
        "the test (or lower it to a warning) after agreeing with the teams that rely on it.",
    )


def _shown(f: Fields) -> str:
    return q(f["name"]) + (f" (version {f['version']})" if f.get("version") else "")


@_writes("deprecated_reference")
def _deprecated_ref(f: Fields, project: str | None) -> Text:
    switch = f" ({f['hint']})" if f.get("hint") else ""
    return (
        "A model still reads a model past its deprecation date",
        f"{q(f['consumer'])} reads {_shown(f)}, which its owners marked for retirement on "
        f"{_day(f['date'])} (a deprecation date: the day after which a model may be removed). It "
        "still builds today, but it can disappear at any time.",
        f"{_team(f['consumer'], project)} should switch to something else soon; the owners of "
        f"{q(f['name'])} are asked what replaces it.",
        f"Deprecation date and version pin: point the ref at the newer version{switch} or at the "
        "replacement model. The owners can move the date if readers need more time.",
    )


@_writes("upcoming_deprecation")
def _upcoming(f: Fields, project: str | None) -> Text:
    return (
        "A model reads a model that is due to be retired",
        f"{q(f['consumer'])} reads {_shown(f)}, which its owners plan to retire on "
        f"{_day(f['date'])} (its deprecation date). Nothing breaks yet.",
        f"{_team(f['consumer'], project)} has until {_day(f['date'])} to switch; the owners of "
        f"{q(f['name'])} are asked what replaces it.",
        "Deprecation date and version pin: move the ref to the newer version or the replacement "
        "model before the date, or ask the owners for a later date.",
    )


@_writes("deprecated_model")
def _deprecated_model(f: Fields, project: str | None) -> Text:
    return (
        "A model is past its deprecation date",
        f"{_shown(f)} was due to be retired on {_day(f['date'])} (its deprecation date), but it is "
        "still there, so every project that reads it gets a warning on each build.",
        f"The team that owns {q(f['name'])} is asked to remove or switch it off once nobody reads "
        "it; teams still reading it should move off it.",
        "Deprecation date: remove the old model or version, or set a later date if readers need "
        "more time.",
    )


@_writes("prerelease_version")
def _prerelease(f: Fields, project: str | None) -> Text:
    consumer, model, source, latest_v = (
        f.get(k) for k in ("consumer", "model", "project", "latest")
    )
    reader = q(consumer) if consumer else None
    shown = q(model) if model else "a versioned model"
    latest = f" (v{latest_v})" if latest_v else ""
    team = _team(consumer, project) if reader or project else "Readers"
    owners = f"the {q(source)} team is" if source else "its owners are"
    pin = (
        f"`{{{{ ref('{source}', '{model}', v={latest_v}) }}}}` stays on v{latest_v}"
        if model
        else "naming the version read today in the ref (`v=...`) stays on it"
    )
    return (
        "A newer, unreleased version of a model is available",
        f"{reader or 'A model'} reads {shown}{f' from {q(source)}' if source else ''} without "
        f"naming a version, so it gets the version marked latest{latest}. Version {f['pre']} is a "
        f"prerelease (published, not yet marked latest): when the owners mark it latest, "
        f"{reader or 'the reader'} switches to it on its next build.",
        f"Nobody yet: nothing breaks today. {team} should pin a version to avoid a surprise; "
        f"{owners} asked to announce when version {f['pre']} becomes latest.",
        f"Version pin: {pin}; `v={f['pre']}` tries the new version now.",
    )
