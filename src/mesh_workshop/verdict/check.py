"""Check a sandbox: build it with real dbt, then say in plain language what it means.

The verdict: does every project parse and build, which tests fail, which consumer projects broke
and why; plus the kit's own governance findings from the manifests, and an explanation of every
dbt error or warning the build produced.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..dbt.runner import RAW_COPY, run_dbt
from ..mesh.build import OK_STATUSES, MeshBuildResult, Runner, build_mesh
from ..mesh.layout import read_mesh
from .explain import Explanation, explain, explain_result
from .governance import governance_findings, manifests_for, not_parsed_finding
from .governance_parse import FOLDER as GOVERNANCE_FOLDER
from .governance_parse import relaxed_manifests

# Projects whose upstreams are built go side by side (the three spokes, after the hub). Three at
# once was faster than two even on two cores (median click-to-result 4.6 s against 5.0 s in
# scripts/benchmark_click.py): a small selective build is as much waiting as computing.
PARALLEL_PROJECTS = 3
# Folders of a build folder that are not a project's: the raw data's copy, the governance parse.
NOT_PROJECTS = frozenset({RAW_COPY, GOVERNANCE_FOLDER})
MAX_SHOWN = 8  # explanations printed in the text verdict; the JSON has them all
STRICT_DEPRECATIONS = (
    "--warn-error-options",
    '{"error": ["DeprecatedReference", "UpcomingReferenceDeprecation"]}',
)


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one sandbox."""

    sandbox: Path
    build: MeshBuildResult
    broken_consumers: tuple[str, ...] = ()
    findings: tuple = ()
    explanations: tuple = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when every project builds, no test fails and no access rule is broken."""
        return self.build.ok and not any(f.severity == "error" for f in self.findings)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def summary(self) -> str:
        lines = [
            "Verdict: the mesh builds and every test passes."
            if self.ok
            else "Verdict: the mesh does NOT build cleanly.",
            "",
            self.build.table(),
        ]
        if self.broken_consumers:
            lines += ["", "Consumers that broke:"] + [f"- {b}" for b in self.broken_consumers]
        if self.explanations:
            lines += ["", "What it means:"]
            for e in self.explanations:
                lines += [
                    f"- {e.title}. {e.what_happened}",
                    f"  Who is hit: {e.who_is_hit}",
                    f"  Lever: {e.lever}",
                ]
        if self.findings:
            lines += ["", "Governance findings:"]
            by_code: dict[str, list] = {}
            for finding in self.findings:
                by_code.setdefault(finding.code, []).append(finding)
            for code, found in by_code.items():
                shown = found if found[0].severity == "error" else found[:3]
                lines += [f"- [{f.severity}] {f.message} (lever: {f.lever})" for f in shown]
                if len(found) > len(shown):
                    lines.append(f"  ... and {len(found) - len(shown)} more like this ({code}).")
        return "\n".join(lines)

    def markdown(self) -> str:
        """The verdict as Markdown, for a notebook: a table of the projects, what each kind of
        problem means (with what dbt said), and the rules broken in projects that still built."""
        lines = [
            "### ✅ The mesh builds and every test passes"
            if self.ok
            else "### ❌ The mesh does not build cleanly",
            "",
            "| project | status | models | tests | failures | seconds |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for p in self.build.projects:
            r = p.result
            row = ["-"] * 4
            if r:
                tests = sum(r.count("test").values()) + sum(r.count("unit_test").values())
                models = sum(r.count("model").values())
                row = [models, tests, len(r.failed_nodes), f"{r.elapsed:.1f}"]
            lines.append(f"| `{p.name}` | {p.status} | " + " | ".join(map(str, row)) + " |")
        if self.explanations:
            lines += ["", explanations_markdown(self.explanations)]
        # Where a project failed, dbt's own message says why; the kit's findings add the rules
        # it broke in projects that dbt built anyway.
        failed = {p.name for p in self.build.projects if p.status not in OK_STATUSES}
        let_through = [
            f for f in self.findings if f.severity == "error" and f.project not in failed
        ]
        if let_through:
            lines += ["", "#### Governance findings", ""]
            lines += [f"- {f.message} (lever: {f.lever})" for f in let_through]
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps({"ok": self.ok, **asdict(self)}, indent=2, default=str)


def build_markdown(build: MeshBuildResult) -> list[str]:
    """The build as a Markdown table for the room, a line per node that failed, and no paths
    (the CLI's `table()` names the log files)."""
    lines = [
        "| project | status | what ran | models | tests | failures | seconds |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    failures = []
    for p in build.projects:
        r = p.result
        row = ["-"] * 4
        if r:
            tests = sum(r.count("test").values()) + sum(r.count("unit_test").values())
            row = [sum(r.count("model").values()), tests, len(r.failed_nodes), f"{r.elapsed:.1f}"]
            failures += [
                f"- `{p.name}`: {n.resource_type} `{n.name}` {n.status}" for n in r.failed_nodes[:5]
            ]
            if len(r.failed_nodes) > 5:
                failures.append(f"- `{p.name}`: {len(r.failed_nodes) - 5} more")
        scope = {"everything": "everything", "changes only": "what changed"}.get(p.selection, "-")
        lines.append(f"| `{p.name}` | {p.status} | {scope} | " + " | ".join(map(str, row)) + " |")
    if failures:
        lines += ["", "What failed:", "", *failures]
    if all(p.status == "up to date" for p in build.projects):
        lines += [
            "",
            "Nothing needed building: with these decisions every project is exactly as in the "
            "original mesh.",
        ]
    return lines


def explanations_markdown(explanations: Iterable[Explanation], dbt_messages: bool = True) -> str:
    """Explanations as Markdown, one section per kind of problem: its title and code, what
    happened, who is hit, the lever, and (with `dbt_messages`) what dbt said. Further problems of
    the same kind are counted, not repeated."""
    by_code: dict[str, list[Explanation]] = {}
    for e in explanations:
        by_code.setdefault(e.code, []).append(e)
    sections = []
    for code, (e, *more) in by_code.items():
        lines = [
            f"#### {e.title} (`{code}`)",
            "",
            e.what_happened,
            "",
            f"- **Who is hit:** {e.who_is_hit}",
            f"- **The lever:** {e.lever}",
        ]
        if dbt_messages and e.dbt_message.strip():
            lines += ["", "What dbt said:", "", "```text", e.dbt_message.strip(), "```"]
        if more:
            times = "once more" if len(more) == 1 else f"{len(more)} more times"
            lines += ["", f"dbt said the same kind of thing {times}."]
        sections.append("\n".join(lines))
    return "\n\n".join(sections)


def seed_from_baseline(work: Path, baseline_work: Path) -> None:
    """Start a sandbox's build folder as a copy of the baseline build, so only changes rebuild.

    Done before every check, not just the first: a verdict then depends on the sandbox alone,
    never on what an earlier attempt left behind (dbt compares contracts with the state it is
    given, and a contract added in one attempt and dropped in the next would otherwise count as
    a breaking change). Each project's `logs` folder stays, since a warm dbt worker writes there.
    """
    if not baseline_work.is_dir():
        return
    known = set()
    for project in baseline_work.iterdir():
        if not project.is_dir() or project.name in NOT_PROJECTS:
            continue
        known.add(project.name)
        _empty_except_logs(work / project.name)
        shutil.copytree(
            project,
            work / project.name,
            ignore=shutil.ignore_patterns("logs", "*.wal"),
            dirs_exist_ok=True,
        )
    for extra in work.iterdir() if work.is_dir() else ():
        # A project the baseline does not have (a new project from an earlier attempt) starts
        # from nothing, like any new project.
        if extra.is_dir() and extra.name not in known | NOT_PROJECTS:
            _empty_except_logs(extra)


def _empty_except_logs(folder: Path) -> None:
    for entry in folder.iterdir() if folder.is_dir() else ():
        if entry.name == "logs":
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def check_mesh(
    sandbox: Path,
    work: Path,
    baseline_work: Path,
    strict_deprecations: bool = False,
    full: bool = False,
    on_progress: Callable[[str, str], None] | None = None,
    runner: Runner = run_dbt,
    parallel: int = PARALLEL_PROJECTS,
) -> CheckResult:
    layout = read_mesh(sandbox)
    if not full:
        seed_from_baseline(work, baseline_work)
    build = build_mesh(
        layout,
        work,
        full=full,
        on_progress=on_progress,
        dbt_args=STRICT_DEPRECATIONS if strict_deprecations else (),
        run_every_project=strict_deprecations,
        runner=runner,
        parallel=parallel,
    )
    failed = {p.name for p in build.projects if p.status not in OK_STATUSES}
    broken = []
    for project in layout.projects:
        # A project that reads other projects and fails is a consumer that broke, whether its
        # upstream was rebuilt in this check or in an earlier one.
        if project.name in failed and project.upstreams:
            outcome = next(p for p in build.projects if p.name == project.name)
            reason = outcome.note or (
                outcome.result.failed_nodes[0].label
                if outcome.result and outcome.result.failed_nodes
                else "it did not parse"
            )
            broken.append(f"`{project.name}` (reads {', '.join(project.upstreams)}): {reason}")
    warnings = tuple(w for p in build.projects if p.result for w in p.result.warnings)
    explanations: list[Explanation] = []
    for outcome in build.projects:
        if outcome.result:
            explanations += explain_result(outcome.result)
        elif outcome.note:
            explanations += [e for e in [explain(outcome.note, outcome.name)] if e]
    # Governance reads the manifests this check produced. A project that dbt could not read
    # this time is read again with the access checks off (its old manifest would describe files
    # that are no longer there), so every rule the proposal breaks is reported, and the project
    # that did not parse is itself a finding.
    unparsed = [p for p in build.projects if not p.parsed]
    if unparsed:
        manifests = relaxed_manifests(layout, work, {p.name for p in build.projects if p.parsed})
    else:
        manifests = manifests_for(layout, work, require_all=False)
    hub = layout.hub
    findings: list = governance_findings(manifests, hub) if hub in manifests else []
    explained = {f.project for f in findings if f.severity == "error"}
    findings = [
        not_parsed_finding(p) for p in unparsed if p.status != "blocked" and p.name not in explained
    ] + findings
    return CheckResult(
        sandbox,
        build,
        tuple(broken),
        findings=tuple(findings),
        explanations=tuple(explanations),
        warnings=warnings,
    )
