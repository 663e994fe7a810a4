"""Results of dbt runs as small frozen values that the CLI prints and the notebooks display."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .events import DbtEvent

FAILING_STATUSES = frozenset({"error", "fail", "runtime error"})


@dataclass(frozen=True)
class NodeResult:
    """What dbt did with one node (a model, a data test, a unit test)."""

    unique_id: str
    status: str
    message: str
    execution_time: float
    failures: int | None = None

    @property
    def name(self) -> str:
        """The node's name: `dim_regions`, `fct_animal_outcomes` (any version), a test's name."""
        parts = self.unique_id.split(".")
        return parts[2] if len(parts) > 2 else parts[-1]

    @property
    def version(self) -> str:
        """`v2` for a versioned model's node, else ''."""
        parts = self.unique_id.split(".")
        return parts[3] if self.resource_type == "model" and len(parts) > 3 else ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.version})" if self.version else self.name

    @property
    def resource_type(self) -> str:
        return self.unique_id.split(".", 1)[0]

    @property
    def failed(self) -> bool:
        return self.status in FAILING_STATUSES


@dataclass(frozen=True)
class BuildResult:
    """The outcome of building one dbt project."""

    project: str
    ok: bool
    elapsed: float
    nodes: tuple[NodeResult, ...] = ()
    error: str = ""
    log_path: str = ""
    command: tuple[str, ...] = field(default=(), compare=False)
    warnings: tuple[str, ...] = ()
    # dbt's structured events of the run; None when they were not recorded (a worker that died
    # mid-run, a result made by hand), and explanations then read dbt's text instead.
    events: tuple[DbtEvent, ...] | None = field(default=None, compare=False)
    # True for a build that did not run: nothing changed since the last one, whose nodes these are.
    up_to_date: bool = False

    def count(self, resource_type: str | None = None) -> Counter:
        """Node statuses, e.g. `Counter({'success': 70})` for models, `{'pass': 150}` for tests."""
        return Counter(
            n.status
            for n in self.nodes
            if resource_type is None or n.resource_type == resource_type
        )

    @property
    def failed_nodes(self) -> tuple[NodeResult, ...]:
        return tuple(n for n in self.nodes if n.failed)

    def summary(self) -> str:
        """One paragraph in plain language."""
        models = self.count("model")
        tests = self.count("test") + self.count("unit_test")
        verdict = "built" if self.ok else "did NOT build"
        done = (
            "is up to date: nothing changed since its last build, which gave"
            if self.up_to_date
            else f"{verdict} in {self.elapsed:.1f} s:"
        )
        lines = [
            f"`{self.project}` {done} "
            f"{sum(models.values())} models ({_statuses(models)}), "
            f"{sum(tests.values())} tests ({_statuses(tests)})."
        ]
        for node in self.failed_nodes[:10]:
            first_line = (node.message or "").strip().splitlines()[:1]
            lines.append(
                f"- {node.resource_type} `{node.name}`: {node.status}. {' '.join(first_line)}"
            )
        if len(self.failed_nodes) > 10:
            lines.append(f"- ... and {len(self.failed_nodes) - 10} more failures.")
        if self.error:
            lines.append(self.error)
        if not self.ok and self.log_path:
            lines.append(f"Full dbt log: {self.log_path}")
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, default=str)


def _statuses(counter: Counter) -> str:
    return ", ".join(f"{n} {status}" for status, n in sorted(counter.items())) or "none"


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plain(text: str) -> str:
    """Text without the terminal colour codes dbt puts in some messages."""
    return ANSI.sub("", text)


def read_run_results(path: Path) -> tuple[NodeResult, ...]:
    """Per-node results from dbt's `run_results.json`."""
    data = json.loads(path.read_text())
    return tuple(
        NodeResult(
            unique_id=r["unique_id"],
            status=str(r["status"]),
            message=plain(r.get("message") or ""),
            execution_time=float(r.get("execution_time") or 0.0),
            failures=r.get("failures"),
        )
        for r in data.get("results", [])
    )
