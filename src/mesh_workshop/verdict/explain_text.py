"""Reading dbt's text, where there is nothing structured to read.

Each rule pairs a regular expression over the message text (dbt 1.11, dbt-loom 0.9.6, DuckDB 1.5,
and the kit's own errors) with what it reads out of the match and the message block around it.
`explain.explain` uses them for messages that come as text alone (the kit's own errors, a
message someone pasted, a build whose events were not recorded); `explain.explain_result` only
for the parts of a build that dbt gives as text (the database's message inside a node error,
exceptions that carry nothing but a message), each marked where it calls in here.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

from .explain_words import Fields, Finding, q

ANSI = re.compile(r"\x1b\[[0-9;]*m")
_PREFIX = re.compile(
    r"^(?:\d{2}:\d{2}:\d{2}\.\d+ \[[^\]]*\] \[[^\]]*\]: ?|\d{2}:\d{2}:\d{2}  )?(?:\[WARNING\]: )?",
    re.M,
)
_RECORD = re.compile(r"^\d{2}:\d{2}:\d{2}\.\d+ \[\s*(?P<level>\w+)\s*\] \[[^\]]*\]: ?", re.M)
_UID = r"[a-z_]+\.\w+\.\w+(?:\.v\w+)?"


_TextFields = Callable[[re.Match[str], str], Fields]  # match, message block
_TEXT_RULES: list[tuple[str, re.Pattern[str], _TextFields]] = []


def _matches(code: str, pattern: str) -> Callable[[_TextFields], _TextFields]:
    def register(read: _TextFields) -> _TextFields:
        _TEXT_RULES.append((code, re.compile(pattern), read))
        return read

    return register


LOCK = (
    r'Could not set lock on file "(?P<file>[^"]+)": Conflicting lock is held in (?P<holder>.+?) '
    r"\(PID (?P<pid>\d+)\)"
)


@_matches(
    "locked_database",
    LOCK + r"|The warehouse file `(?P<kfile>[^`]+)` is open in another program "
    r"\(PID (?P<kpid>\d+): `(?P<kholder>[^`]*)`\)",
)
def _locked_text(m: re.Match[str], block: str) -> Fields:
    return {
        "file": m["file"] or m["kfile"],
        "pid": m["pid"] or m["kpid"],
        "holder": (m["holder"] or m["kholder"]).strip(),
    }


@_matches("disk_full", r"No space left on device|Disk quota exceeded|[Dd]isk is full")
def _disk_full_text(m: re.Match[str], block: str) -> Fields:
    return {}


@_matches(
    "build_interrupted",
    r"`dbt \w+` for `(?P<project>\w+)` did not finish within (?P<limit>[\d.]+) s"
    r"|The dbt worker for `(?P<wproject>\w+)` stopped during"
    r"|The room's dbt service stopped while `(?P<rproject>\w+)` was building",
)
def _interrupted_text(m: re.Match[str], block: str) -> Fields:
    return {
        "project": m["project"] or m["wproject"] or m["rproject"],
        "why": "time" if m["limit"] else "room" if m["rproject"] else "worker",
        "limit": m["limit"] or "",
    }


@_matches(
    "project_cycle", r"projects (?P<cycle>`\w+`(?: -> `\w+`)+) would read each other in a circle"
)
def _project_cycle_text(m: re.Match[str], block: str) -> Fields:
    return {
        "cycle": re.findall(r"`(\w+)`", m["cycle"]),
        "refs": re.findall(r"^\s*(\w+)\.(\S+) -> ref\('(\w+)', '(\w+)'\)", block, re.M),
    }


@_matches(
    "protected_ref",
    rf"Node (?P<consumer>{_UID}) attempted to reference node (?P<target>{_UID}), which is not "
    r"allowed because the referenced node is protected to the '(?P<scope>\w+)' package",
)
@_matches(
    "private_ref",
    rf"Node (?P<consumer>{_UID}) attempted to reference node (?P<target>{_UID}), which is not "
    r"allowed because the referenced node is private to the '(?P<group>\w+)' group",
)
@_matches(
    "model_not_found",
    rf"(?P<kind>\w+) '(?P<node>{_UID})' \([^)]*\) depends on a node named '(?P<name>[^']+)' "
    r"(?:with version '(?P<version>[^']+)' )?(?:in package or project '(?P<package>[^']+)' )?"
    r"which (?P<reason>was not found or is disabled|was not found|is disabled)",
)
@_matches(
    "source_not_found",
    rf"(?P<kind>\w+) '(?P<node>{_UID})' \([^)]*\) depends on a source named '(?P<source>[^']+)' "
    r"in package '[^']*' which was not found",
)
def _groups(m: re.Match[str], block: str) -> Fields:
    return m.groupdict()


@_matches("model_cycle", r"Found a cycle: (?P<chain>\S+(?: --> \S+)+)")
def _model_cycle_text(m: re.Match[str], block: str) -> Fields:
    return {"chain": m["chain"].split(" --> ")}


@_matches(
    "breaking_contract_change",
    r"Breaking change to contracted, unversioned model (?P<umodel>\w+)(?: \([^)\n]*\))?(?:\s*While "
    r"comparing to previous project state, dbt detected a breaking change to an unversioned model\.)?"
    r"|Breaking change to contract Error in model (?P<vmodel>\w+)"
    r"|dbt detected a breaking change to an enforced contract",
)
def _breaking_text(m: re.Match[str], block: str) -> Fields:
    return {
        "model": m["umodel"] or m["vmodel"],
        "versioned": not m["umodel"],
        "changes": changes_in_words(block),
    }


def changes_in_words(text: str) -> list[str]:
    """The breaking changes dbt lists in words ("Columns were removed: ...")."""
    changes = []
    removed = re.search(r"Columns were removed:\s*((?:\s*- \w+)+)", text)
    if removed:
        changes.append("columns removed: " + ", ".join(map(q, re.findall(r"- (\w+)", removed[1]))))
    for column, old, new in re.findall(r"- (\w+) \((\S+) -> (\S+)\)", text):
        changes.append(f"{q(column)} changed type from {old} to {new}")
    for phrase, said in (
        ("Contract enforcement was removed", "the contract is no longer enforced"),
        ("constraints were removed", "a constraint readers relied on was removed"),
        ("was deleted or renamed", "the model was deleted or renamed"),
        ("was disabled", "the model was switched off"),
        ("Materialization changed", "it is no longer built as a table"),
    ):
        if phrase in text:
            changes.append(said)
    return changes


@_matches(
    "contract_mismatch",
    r"(?:Compilation Error in model (?P<model>\w+) \([^)]*\)\s*)?"
    r"This model has an enforced contract that failed",
)
def _contract_text(m: re.Match[str], block: str) -> Fields:
    problems = re.findall(
        r"^\s*\|\s*(\w+)\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|\s*"
        r"(data type mismatch|missing in definition|missing in contract)\s*\|",
        block,
        re.M,
    )
    return {"model": m["model"], "problems": problems}


CONSTRAINT = (
    r"Constraint Error: (?P<detail>NOT NULL constraint failed: (?P<ntable>\w+)\.(?P<column>\w+)"
    r"|(?:PRIMARY KEY or UNIQUE constraint violation: )?[Dd]uplicate key \"(?P<key>[^\"]*)\""
    r"|CHECK constraint failed on table (?P<ctable>\w+) with expression (?P<expr>[^\n]+)"
    r"|[^\n]+)"
)


@_matches(
    "constraint_violation",
    r"(?:Runtime Error in model (?P<model>\w+) \([^)]*\)\s*)?" + CONSTRAINT,
)
def _constraint_text(m: re.Match[str], block: str) -> Fields:
    table = m["ntable"] or m["ctable"] or ""
    return {**m.groupdict(), "model": m["model"] or table.removesuffix("__dbt_tmp") or None}


MISSING = r"Catalog Error: Table with name (?P<table>\w+) does not exist!"


@_matches(
    "missing_table",
    r"(?:Runtime Error in (?P<kind>model|test) (?P<node>\w+) \([^)]*\)\s*)?" + MISSING,
)
def _missing_table_text(m: re.Match[str], block: str) -> Fields:
    return {**m.groupdict(), "home": home_of(m["table"], block)}


MISSING_COLUMN = (
    r"Binder Error: Referenced column \"(?P<column>[^\"]+)\" not found in FROM clause!"
    r"(?:\s*Candidate bindings: (?P<candidates>[^\n]+))?"
)


@_matches(
    "missing_column",
    r"(?:Runtime Error in (?P<kind>model|test) (?P<node>\w+) \([^)]*\)\s*)?" + MISSING_COLUMN,
)
def _missing_column_text(m: re.Match[str], block: str) -> Fields:
    return m.groupdict()


def home_of(table: str, text: str) -> str | None:
    """The database (project) DuckDB's message shows `table` in: `"hub"."main"."table"`."""
    home = re.search(rf'"(\w+)"\."\w+"\."{table}"', text)
    return home[1] if home else None


@_matches(
    "test_failure",
    r"(?:(?:Failure|Warning) in test (?P<test>\w+)(?: \([^)]*\))?\s*)?"
    r"Got (?P<count>\d+) results?, configured to (?P<mode>fail|warn) if (?P<cond>[^\n]+)",
)
def _test_failure_text(m: re.Match[str], block: str) -> Fields:
    tested = re.search(r"tests model\.(\w+)\.(\w+)", block)
    return {**m.groupdict(), "tested": (tested[1], tested[2]) if tested else None}


def _ref_fields(m: re.Match[str]) -> Fields:
    name, _, version = m["ref"].partition(".v")
    return {**m.groupdict(), "name": name, "version": version}


@_matches(
    "deprecated_reference",
    r"While compiling '(?P<consumer>\w+)': Found a reference to (?P<ref>[\w.]+), which was "
    r"deprecated on '(?P<date>[^']+)'\.(?: A new version of '\w+' is available\. Migrate now: "
    r"(?P<hint>\{\{.*?\}\}))?",
)
@_matches(
    "upcoming_deprecation",
    r"While compiling '(?P<consumer>\w+)': Found a reference to (?P<ref>[\w.]+), which is slated "
    r"for deprecation on '(?P<date>[^']+)'",
)
def _reference_text(m: re.Match[str], block: str) -> Fields:
    return _ref_fields(m)


@_matches(
    "deprecated_model",
    r"Model (?P<name>\w+)(?:\.v(?P<version>\w+))? has passed its deprecation date of (?P<date>\S+?)\.",
)
@_matches(
    "prerelease_version",
    r"(?:While compiling '(?P<consumer>\w+)':\s*Found an unpinned reference to versioned model "
    r"'(?P<model>\w+)' in project '(?P<project>\w+)'\.\s*Resolving to latest version: "
    r"\w+\.v(?P<latest>\w+)\s*)?A prerelease version (?P<pre>\w+) is available",
)
def _more_groups(m: re.Match[str], block: str) -> Fields:
    return m.groupdict()


# Stacked decorators register bottom-up; the rules are tried in the order the codes appear here,
# errors before warnings.
_ORDER = [
    "locked_database",
    "build_interrupted",
    "disk_full",
    "project_cycle",
    "protected_ref",
    "private_ref",
    "model_not_found",
    "source_not_found",
    "model_cycle",
    "breaking_contract_change",
    "contract_mismatch",
    "constraint_violation",
    "missing_table",
    "missing_column",
    "test_failure",
    "deprecated_reference",
    "upcoming_deprecation",
    "deprecated_model",
    "prerelease_version",
]
_TEXT_RULES.sort(key=lambda rule: _ORDER.index(rule[0]))


def clean(message: str) -> str:
    return _PREFIX.sub("", ANSI.sub("", message))


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


def from_text(message: str) -> Finding | None:
    text = clean(message)
    for code, pattern, read in _TEXT_RULES:
        match = pattern.search(text)
        if match:
            block = _block(text, match)
            return code, read(match, block), block
    return None


def log_messages(log: Path) -> list[str]:
    """The warnings and errors of the last dbt run in a `dbt.log` (default text format), one each."""
    text = ANSI.sub("", log.read_text(errors="replace"))
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
