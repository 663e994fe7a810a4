"""dbt's structured events, recorded in one shape whichever way the kit runs dbt.

dbt fires an event for everything it does (`DeprecatedReference`, `NodeNotFoundOrDisabled`,
`CatchableExceptionOnRun`, ...), each with a name, a level, named fields and a human message. A
`Recorder` passed to `dbtRunner(callbacks=[...])` keeps the ones worth explaining as `DbtEvent`
values, with the exception behind an error event as a `DbtError` (its class names and fields).
The warm workers record in their own process and send the records back; `run_dbt` starts dbt in
a child process through `main` below, which records the same way and writes the records to a
file. Either way they land on `BuildResult.events`, which the explanations read.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any

EVENTS_FILE = "dbt_events.jsonl"  # in a run's log folder, written by `main`
_SRC_DIR = Path(__file__).resolve().parents[2]

# Info-level events that are news to the room (the rest of what is kept is warn or error level).
NEWS_EVENTS = frozenset({"UnpinnedRefNewVersionAvailable"})
# Events dbt fires while it handles an exception: the exception itself is recorded with them.
EXCEPTION_EVENTS = frozenset(
    {
        "MainEncounteredError",  # the run stopped (parse errors, breaking changes, ...)
        "CatchableExceptionOnRun",  # one node failed with a dbt error (debug level)
        "GenericExceptionOnRun",  # one node failed with any other error
        "InternalErrorOnRun",
    }
)
# Error-level events with nothing to explain that would only make the records long.
SKIPPED_EVENTS = frozenset({"MainStackTrace", "LogDebugStackTrace"})
# Event fields left out: the node is kept as its unique id, a traceback is not needed.
_DROPPED_FIELDS = frozenset({"node_info", "exc_info"})
# Values dbt had in hand where it raised an exception but did not keep on it: local variables
# of the dbt function that raised it, read from the exception's traceback. Without them (another
# dbt version) the explanation falls back to the exception's message.
_RAISED_WITH = {
    # DbtRuntimeError.__init__ sets `node` back to None after TargetNotFoundError stored it.
    "TargetNotFoundError": ("node",),
    # The same values dbt puts on `UnversionedBreakingChange` for a model without versions.
    "ContractBreakingChangeError": (
        "contract_enforced_disabled",
        "columns_removed",
        "column_type_changes",
        "enforced_column_constraint_removed",
        "enforced_model_constraint_removed",
        "materialization_changed",
    ),
}


@dataclass(frozen=True)
class DbtError:
    """An exception dbt raised: its class and base classes, its fields, what it was raised from."""

    types: tuple[str, ...]  # most specific first: ('DbtReferenceError', 'ParsingError', ...)
    message: str
    fields: Mapping[str, Any] = field(default_factory=dict, hash=False)
    cause: DbtError | None = None  # e.g. DuckDB's `ConstraintException` under a DbtRuntimeError

    def is_a(self, name: str) -> bool:
        return name in self.types

    @classmethod
    def from_exception(cls, exc: BaseException, depth: int = 0) -> DbtError:
        types = tuple(c.__name__ for c in type(exc).__mro__ if c is not object)
        fields = {
            key: _plain(value)
            for key, value in vars(exc).items()
            if not key.startswith("_") and key not in {"msg", "stack"}
        }
        for key, value in _raised_with(exc, _RAISED_WITH.get(types[0], ())).items():
            if fields.get(key) is None:
                fields[key] = _plain(value)
        cause = exc.__cause__
        return cls(
            types=types,
            message=str(exc),
            fields={k: v for k, v in fields.items() if v is not None},
            cause=cls.from_exception(cause, depth + 1) if cause is not None and depth < 3 else None,
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DbtError:
        cause = data.get("cause")
        return cls(
            types=tuple(data["types"]),
            message=data.get("message", ""),
            fields=dict(data.get("fields") or {}),
            cause=cls.from_dict(cause) if cause else None,
        )


@dataclass(frozen=True)
class DbtEvent:
    """One event dbt fired, as its JSON log line would give it, plus the exception behind it."""

    name: str  # `DeprecatedReference`, `CatchableExceptionOnRun`, ...
    level: str  # debug, info, warn, error
    msg: str  # dbt's human message
    node: str = ""  # the unique id of the node it is about, when dbt says
    data: Mapping[str, Any] = field(default_factory=dict, hash=False)  # the event's fields
    error: DbtError | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data, as a worker sends it and `main` writes it."""
        return json.loads(json.dumps(asdict(self), default=str))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DbtEvent:
        error = data.get("error")
        return cls(
            name=data["name"],
            level=data.get("level", ""),
            msg=data.get("msg", ""),
            node=data.get("node", ""),
            data=dict(data.get("data") or {}),
            error=DbtError.from_dict(error) if error else None,
        )


class Recorder:
    """A dbtRunner callback that keeps the events worth explaining, in the order dbt fired them."""

    def __init__(self) -> None:
        self.events: list[DbtEvent] = []
        self._seen: list[BaseException] = []  # exceptions already recorded

    def __call__(self, event: Any) -> None:
        name, level = event.info.name, event.info.level
        if name in SKIPPED_EVENTS:
            return
        in_flight = sys.exc_info()[1] if name in EXCEPTION_EVENTS else None
        if in_flight is None and level not in {"warn", "error"} and name not in NEWS_EVENTS:
            return
        try:
            from dbt_common.events.functions import msg_to_dict

            data = msg_to_dict(event).get("data", {})
            node = (data.get("node_info") or {}).get("unique_id", "")
            error = self._error(in_flight) if in_flight is not None else None
            recorded = DbtEvent(
                name=name,
                level=level,
                msg=event.info.msg,
                node=node or _node_of(error),
                data={k: v for k, v in data.items() if k not in _DROPPED_FIELDS},
                error=error,
            )
        except Exception:  # a callback that raises would stop dbt's run: keep what is sure
            recorded = DbtEvent(name, level, event.info.msg)
        self.events.append(recorded)

    def finish(self, exception: BaseException | None) -> list[DbtEvent]:
        """The records, with the exception a run ended with if no event carried it."""
        if exception is not None and not self.recorded(exception):
            error = self._error(exception)
            # Not a dbt event: dbtRunner returned an exception dbt fired nothing for.
            self.events.append(
                DbtEvent("RunnerException", "error", error.message, _node_of(error), error=error)
            )
        return self.events

    def recorded(self, exc: BaseException) -> bool:
        return any(seen is exc for seen in self._seen)

    def _error(self, exc: BaseException) -> DbtError:
        self._seen.append(exc)
        error = DbtError.from_exception(exc)
        # `--warn-error-options` makes dbt raise this error in place of firing a warning; the
        # warning is the `e` of the dbt function that raised it (see `_RAISED_WITH`).
        warning = (
            _raised_with(exc, ("e",)).get("e") if error.is_a("EventCompilationError") else None
        )
        if warning is not None and hasattr(warning, "to_dict"):
            # The warning itself, as it would have been fired, now at error level.
            error = replace(error, fields={**error.fields, "event": type(warning).__name__})
            self.events.append(
                DbtEvent(
                    name=type(warning).__name__,
                    level="error",
                    msg=warning.message(),
                    node=_node_of(error),
                    data={k: v for k, v in warning.to_dict().items() if k not in _DROPPED_FIELDS},
                )
            )
        return error


def write_events(path: Path, events: Iterable[DbtEvent]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(event.to_dict()) for event in events]
    path.write_text("".join(line + "\n" for line in lines))


def read_events(path: Path) -> tuple[DbtEvent, ...] | None:
    """The records `main` wrote, or None when it wrote none (the child died before the end)."""
    if not path.is_file():
        return None
    lines = path.read_text().splitlines()
    return tuple(DbtEvent.from_dict(json.loads(line)) for line in lines if line.strip())


def child_command(args: Sequence[str], record_to: Path) -> list[str]:
    """The command line that runs `dbt <args>` in a child process and records its events."""
    code = f"import sys; sys.path.insert(0, {str(_SRC_DIR)!r}); from {__name__} import main; main()"
    return [sys.executable, "-c", code, str(record_to), *args]


def main() -> None:
    """`python -c ... <events file> <dbt args>`: dbt's command line, with its events recorded.

    Prints what `dbt` prints and exits as `dbt` does: 0 when the run succeeded, 1 when some node
    failed, 2 when dbt stopped with an error."""
    record_to, args = Path(sys.argv[1]), sys.argv[2:]
    record_to.unlink(missing_ok=True)
    from dbt.cli.main import dbtRunner

    recorder = Recorder()
    try:
        outcome = dbtRunner(callbacks=[recorder]).invoke(args)
        success, exception = bool(outcome.success), outcome.exception
    except BaseException as error:  # invoke() catches nearly everything
        success, exception = False, error
    reported = exception is None or recorder.recorded(exception)
    write_events(record_to, recorder.finish(exception))
    if not reported:
        print(f"Encountered an error:\n{exception}", file=sys.stderr)
    sys.stdout.flush()
    sys.exit(0 if success else 2 if exception is not None else 1)


def _raised_with(exc: BaseException, names: Sequence[str]) -> dict[str, Any]:
    """Local variables of the function that raised `exc` (the innermost frame of its traceback)."""
    if not names or exc.__traceback__ is None:
        return {}
    frame = list(traceback.walk_tb(exc.__traceback__))[-1][0]
    return {name: frame.f_locals[name] for name in names if name in frame.f_locals}


def _node_of(error: DbtError | None) -> str:
    node = error.fields.get("node") if error else None
    return node if isinstance(node, str) else ""


def _plain(value: Any, depth: int = 0) -> Any:
    """A JSON value for what an exception carries: a node as its unique id, an enum as its value;
    None for anything else that is not plain data."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Enum):
        return _plain(value.value, depth)
    if depth > 4:
        return None
    if isinstance(value, Mapping):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v, depth + 1) for v in value]
    unique_id = getattr(value, "unique_id", None)
    return unique_id if isinstance(unique_id, str) else None
