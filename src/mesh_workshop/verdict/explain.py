"""Plain-language explanations of what a workshop build reports.

A build's explanations (`explain_result`) come from dbt's structured output: the events dbt fired
(`BuildResult.events`: event names and fields, the class of the exception behind an error), the
node statuses, unique ids and failure counts of `run_results.json`, and the run's manifest. Text
is read only where dbt gives nothing structured, and each such spot says so: the database's own
message inside a node error (which column, which key, which table), exceptions that carry nothing
but a message (dbt's bare `RuntimeError` for a model cycle, dbt-loom's errors), the kit's own
errors, and messages that come as text alone (`explain`), such as a build whose events were not
recorded.

Either way a finding becomes named fields, and one writer per code turns them into words.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..dbt.events import DbtError, DbtEvent
from ..dbt.results import BuildResult, NodeResult
from .explain_text import (
    CONSTRAINT,
    LOCK,
    MISSING,
    MISSING_COLUMN,
    changes_in_words,
    clean,
    from_text,
    home_of,
    log_messages,
)
from .explain_words import Fields, Finding, node_name, q, words

__all__ = [
    "Explanation",
    "explain",
    "explain_all",
    "explain_result",
    "log_messages",
    "messages_of",
]


@dataclass(frozen=True)
class Explanation:
    """What a message means for the room: what happened, who is hit, which lever fixes it."""

    code: str
    title: str
    what_happened: str
    who_is_hit: str
    lever: str
    dbt_message: str


_NOTEWORTHY = frozenset({"error", "fail", "warn", "runtime error"})
# Events dbt fires for one node that failed, with the exception it failed with.
_NODE_ERROR_EVENTS = frozenset(
    {"CatchableExceptionOnRun", "GenericExceptionOnRun", "InternalErrorOnRun"}
)


def _explanation(finding: Finding, project: str | None) -> Explanation:
    code, fields, dbt_message = finding
    return Explanation(code, *words(code, fields, project), dbt_message)


def explain(message: str, project: str | None = None) -> Explanation | None:
    """The best match for one message given as text alone, or None (the first rule that matches,
    errors before warnings). `project`: the project whose build printed it."""
    found = from_text(message)
    return _explanation(found, project) if found else None


def _once(explanations: Iterable[Explanation]) -> list[Explanation]:
    found: dict[tuple[str, ...], Explanation] = {}
    for hit in explanations:
        found.setdefault((hit.code, hit.what_happened, hit.who_is_hit, hit.lever), hit)
    return list(found.values())


def explain_all(messages: Iterable[str], project: str | None = None) -> list[Explanation]:
    """One explanation per distinct finding, in the order the messages came."""
    return _once(e for e in (explain(m, project) for m in messages) if e)


# --- Structure: what dbt recorded about a build --------------------------------------------------


def explain_result(result: BuildResult) -> list[Explanation]:
    """The explanations for one project's build, one per distinct finding: first the nodes that
    failed (in run_results order), then what dbt reported about the run, in the order it did."""
    if result.events is None:  # nothing structured was recorded: dbt's text is all there is
        return explain_all(messages_of(result), result.project)
    return _once(_explanation(f, result.project) for f in _findings(result, result.events))


def _findings(result: BuildResult, events: tuple[DbtEvent, ...]) -> Iterator[Finding]:
    node_errors = {e.node: e for e in events if e.name in _NODE_ERROR_EVENTS and e.node and e.error}
    done = set()
    tests = _Tests(result)
    for node in result.nodes:
        if node.status not in _NOTEWORTHY:
            continue
        if node.resource_type == "test" and node.status in {"fail", "warn"}:
            found = _failed_test(node, tests)
        elif node.unique_id in node_errors:
            done.add(node.unique_id)
            event = node_errors[node.unique_id]
            found = _from_error(event.error, event.node)  # type: ignore[arg-type]
        else:
            # A failed node dbt fired no exception for (a unit test's diff): its message text.
            found = from_text(node.message)
        if found:
            yield found
    for event in events:
        if event.name in _NODE_ERROR_EVENTS and event.node in done:
            continue
        found = _from_error(event.error, event.node) if event.error else _from_event(event)
        if found:
            yield found


def _event_message(event: DbtEvent) -> str:
    return clean(event.msg).strip()


def _resource_title(uid: str) -> str:
    """`Model` or `Test` for a node's unique id, as dbt titles it in its messages."""
    return uid.split(".", 1)[0].replace("_", " ").title()


def _reason(disabled: Any) -> str:
    """dbt's `disabled` (None, True, False, or those as strings in an event) in its own words."""
    disabled = str(disabled)
    if disabled == "True":
        return "is disabled"
    return "was not found" if disabled == "False" else "was not found or is disabled"


def _missing_target(node: str, kind: str, data: dict[str, Any]) -> tuple[str, Fields]:
    """A ref or source dbt could not find: TargetNotFoundError or NodeNotFoundOrDisabled."""
    if data.get("target_kind") == "source":
        return "source_not_found", {"kind": kind, "node": node, "source": data["target_name"]}
    return "model_not_found", {
        "kind": kind,
        "node": node,
        "name": data["target_name"],
        "version": data.get("target_version"),
        "package": data.get("target_package") or None,
        "reason": _reason(data.get("disabled")),
    }


def _reference(d: dict[str, Any], *, hint: bool) -> Fields:
    """DeprecatedReference / UpcomingReferenceDeprecation fields."""
    version, latest = d.get("ref_model_version") or "", d.get("ref_model_latest_version")
    newer = hint and version and version != latest
    return {
        "consumer": d["model_name"],
        "name": d["ref_model_name"],
        "version": version,
        "date": d["ref_model_deprecation_date"],
        "hint": f"{{{{ ref('{d['ref_model_package']}', '{d['ref_model_name']}', v='{latest}') }}}}"
        if newer
        else None,
    }


def _breaking_changes(values: dict[str, Any], sentences: list[str]) -> list[str]:
    """The breaking changes dbt found, from the values it computed them from."""
    changes = []
    if values.get("columns_removed"):
        changes.append("columns removed: " + ", ".join(map(q, values["columns_removed"])))
    for change in values.get("column_type_changes") or []:
        changes.append(
            f"{q(change['column_name'])} changed type from {change['previous_column_type']} "
            f"to {change['current_column_type']}"
        )
    if values.get("contract_enforced_disabled"):
        changes.append("the contract is no longer enforced")
    if values.get("enforced_column_constraint_removed") or values.get(
        "enforced_model_constraint_removed"
    ):
        changes.append("a constraint readers relied on was removed")
    if values.get("materialization_changed"):
        changes.append("it is no longer built as a table")
    # A contracted model that was deleted, renamed or switched off (or values this dbt version
    # did not leave where `dbt/events.py` looks): dbt says so only in its sentences.
    return changes or changes_in_words("\n".join(sentences))


def _from_event(event: DbtEvent) -> Finding | None:
    """A warning or news event, by its name and fields."""
    d, name = dict(event.data), event.name
    if name == "DeprecatedModel":
        fields = {
            "name": d["model_name"],
            "version": d.get("model_version"),
            "date": d["deprecation_date"],
        }
        code = "deprecated_model"
    elif name == "DeprecatedReference":
        code, fields = "deprecated_reference", _reference(d, hint=True)
    elif name == "UpcomingReferenceDeprecation":
        code, fields = "upcoming_deprecation", _reference(d, hint=False)
    elif name == "UnpinnedRefNewVersionAvailable":
        code, fields = (
            "prerelease_version",
            {
                "consumer": node_name(event.node) if event.node else None,
                "model": d["ref_node_name"],
                "project": d["ref_node_package"],
                "latest": d["ref_node_version"],
                "pre": d["ref_max_version"],
            },
        )
    elif name in {"NodeNotFoundOrDisabled", "InvalidDisabledTargetInTestNode"}:
        if name == "InvalidDisabledTargetInTestNode":
            d["disabled"] = True
        code, fields = _missing_target(d["unique_id"], d["resource_type_title"], d)
    elif name == "UnversionedBreakingChange":
        code, fields = (
            "breaking_contract_change",
            {
                "model": d["model_name"],
                "versioned": False,
                "changes": _breaking_changes(d, d.get("breaking_changes") or []),
            },
        )
    else:
        return None
    return code, fields, _event_message(event)


def _from_error(error: DbtError, node: str) -> Finding | None:
    """An exception dbt raised, by its class and fields; `node`: the node it failed, if any."""
    f, message = dict(error.fields), textwrap.dedent(clean(error.message)).strip()
    cause = error.cause
    if error.is_a("DbtReferenceError"):
        access = f["access"]
        scope = "scope" if access == "protected" else "group"
        code = "protected_ref" if access == "protected" else "private_ref"
        return (
            code,
            {"consumer": f["unique_id"], "target": f["ref_unique_id"], scope: f["scope"]},
            message,
        )
    if error.is_a("TargetNotFoundError") and f.get("node"):
        return (*_missing_target(f["node"], _resource_title(f["node"]), f), message)
    if error.is_a("ContractBreakingChangeError") and f.get("node"):
        changes = _breaking_changes(f, f.get("breaking_changes") or [])
        model = node_name(f["node"])
        return (
            "breaking_contract_change",
            {"model": model, "versioned": True, "changes": changes},
            message,
        )
    if error.is_a("ContractError") and "yaml_columns" in f:
        return (
            "contract_mismatch",
            {"model": node_name(node) if node else None, "problems": _mismatches(f)},
            message,
        )
    if error.is_a("EventCompilationError") and f.get("event"):
        return None  # a warning made an error: explained from the warning's own record
    database = cause if cause is not None else error
    if database.is_a("ConstraintException"):
        # DuckDB says which column, key or rule only in its message.
        found = re.search(CONSTRAINT, database.message)
        if found:
            fields = {**found.groupdict(), "model": node_name(node) if node else None}
            return "constraint_violation", fields, message
    if database.is_a("CatalogException"):
        # DuckDB names the missing table (and where the query looked) only in its message.
        found = re.search(MISSING, database.message)
        if found:
            kind = node.split(".", 1)[0] if node else None
            fields = {
                "kind": kind,
                "node": node_name(node) if node else None,
                "table": found["table"],
                "home": home_of(found["table"], database.message),
            }
            return "missing_table", fields, message
    if database.is_a("BinderException"):
        # DuckDB names the column it could not find only in its message.
        found = re.search(MISSING_COLUMN, database.message)
        if found:
            fields = {
                **found.groupdict(),
                "kind": node.split(".", 1)[0] if node else None,
                "node": node_name(node) if node else None,
            }
            return "missing_column", fields, message
    if database.is_a("IOException"):
        # DuckDB names the file and the program holding it only in its message.
        found = re.search(LOCK, database.message)
        if found:
            fields = {"file": found["file"], "pid": found["pid"], "holder": found["holder"].strip()}
            return "locked_database", fields, message
    # Nothing structured to go on: a bare RuntimeError (dbt's "Found a cycle"), dbt-loom's
    # exceptions, or a dbt error without the fields above. Its message is all there is.
    return from_text(error.message)


def _mismatches(f: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """ContractError's columns compared the way dbt compares them for its table, by name."""
    sql = {c["name"]: c["data_type"] for c in f.get("sql_columns") or []}
    yaml = {c["name"]: c["data_type"] for c in f.get("yaml_columns") or []}
    rows = []
    for name, actual in sql.items():
        if name not in yaml:
            rows.append((name, actual, "", "missing in contract"))
        elif yaml[name] != actual:
            rows.append((name, actual, yaml[name], "data type mismatch"))
    rows += [
        (name, "", promised, "missing in definition")
        for name, promised in yaml.items()
        if name not in sql
    ]
    return sorted(rows)


class _Tests:
    """The data tests of a build's manifest: where each is defined, what it tests, its limits."""

    def __init__(self, result: BuildResult) -> None:
        self._log = Path(result.log_path) if result.log_path else None
        self._tests: dict[str, dict[str, Any]] | None = None

    def get(self, uid: str) -> dict[str, Any]:
        if self._tests is None:
            # The run's own target folder, beside its log folder.
            manifest = self._log.parent.parent / "target" / "manifest.json" if self._log else None
            self._tests = _manifest_tests(manifest) if manifest else {}
        return self._tests.get(uid, {})


def _failed_test(node: NodeResult, tests: _Tests) -> Finding | None:
    """A data test that found rows: its status and failure count, its limits from the manifest."""
    test = tests.get(node.unique_id)
    mode = "fail" if node.status == "fail" else "warn"
    word = "Failure" if mode == "fail" else "Warning"
    path = test.get("path", "")
    shown = f"{word} in test {node.name}{f' ({path})' if path else ''}\n  {node.message}"
    cond = test.get("error_if" if mode == "fail" else "warn_if")
    if node.failures is None or not cond:
        # Not in the manifest (or no count): dbt's sentence "Got 4 results, configured to ...".
        return from_text(shown + (f"\n  tests {test['model']}" if test.get("model") else ""))
    model = test.get("model", "")
    fields = {
        "test": node.name,
        "count": node.failures,
        "mode": mode,
        "cond": cond,
        "tested": tuple(model.split(".")[1:3]) if model.startswith("model.") else None,
    }
    return "test_failure", fields, shown


def _manifest_tests(manifest: Path) -> dict[str, dict[str, Any]]:
    """Test id -> file it is defined in, the model it tests, its warn_if / error_if."""
    if not manifest.is_file():
        return {}
    nodes = json.loads(manifest.read_text()).get("nodes", {})
    tests = {}
    for uid, node in nodes.items():
        if node.get("resource_type") != "test":
            continue
        models = [n for n in node.get("depends_on", {}).get("nodes", []) if n.startswith("model.")]
        config = node.get("config") or {}
        tests[uid] = {
            "path": node.get("original_file_path", ""),
            "model": node.get("attached_node") or (models[0] if len(models) == 1 else ""),
            "error_if": config.get("error_if"),
            "warn_if": config.get("warn_if"),
        }
    return tests


def messages_of(result: BuildResult) -> list[str]:
    """Everything a build said that may need explaining, as text: failed nodes, its log's
    warnings and errors. For a build whose events were not recorded."""
    log = Path(result.log_path) if result.log_path else None
    tests = _Tests(result)
    found = []
    for node in result.nodes:
        if node.status not in _NOTEWORTHY:
            continue
        if node.resource_type == "test" and node.status in {"fail", "warn"}:
            test = tests.get(node.unique_id)
            path, model = test.get("path", ""), test.get("model", "")
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
    elif result.error and (from_text(result.error) or ("",))[0] == "build_interrupted":
        # The log holds what dbt said before the run was cut short; the cut comes first.
        found.insert(0, result.error)
    return found
