"""Submissions turned into answers, and each distinct answer built once with real dbt.

An answer is what would be built: the proposal a group's choices add up to, a proposal file, or
a council's passed technical policies joined into one. Two submissions give the same answer when
their proposals are equal once the group's name, free-text rationale, order where order means
nothing, and spacing are set aside; the answer's key says so, and one build serves them all.

Each answer is applied to a fresh sandbox of its own (`Workspace.grading_sandbox`) and checked
exactly as a group's "Apply & check" is, with warm dbt workers; what the check said is kept as an
`Outcome`, which is plain data, cached by key for the next grading of the class.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..council.game import load_game
from ..council.missions import MESH_CHECKS, check, mesh_facts
from ..council.play import council_proposal
from ..council.state_file import StoredCouncil
from ..council.state_views import state_view, tally_of
from ..dbt.worker import DbtWorkerPool
from ..errors import KitError
from ..mesh.build import OK_STATUSES
from ..mesh.layout import Mesh, read_mesh
from ..paths import Workspace, raw_fingerprint, source_fingerprint
from ..proposal.baseline import Baseline
from ..proposal.logic import LogicChange
from ..proposal.validate import proposal_from_data, validate
from ..scenario import answer as scenario_answer
from ..scenario.judge import judge
from ..scenario.model import ScenarioError, load_scenario, scenarios_dir
from ..verdict.check import check_mesh
from ..verdict.explain import Explanation, explain
from .source import Found

GRADED_GROUP = "Graded answer"  # the group every answer is built as: names never reach dbt
NO_SCENARIO = "no_scenario"  # what a proposal file that names no scenario is built as
CACHE_FORMAT = 1
# The criteria the kit sets where no scenario does: (a proposal, a council).
BUILDS_SAYS = (
    "Every project builds and every test passes.",
    "The council's final mesh builds and every test passes.",
)
GOVERNANCE_SAYS = "No governance rule is broken."
# The kit's code a verdict depends on (a change elsewhere, in a report or a widget, keeps the
# cached verdicts): the stages from the scenarios down, and what grading and the council add.
VERDICT_STAGES = ("scenario", "verdict", "proposal", "split", "monolith", "mesh", "dbt")
VERDICT_FILES = (
    "paths.py",
    "yaml_input.py",
    "grading/answers.py",
    "council/game.py",
    "council/missions.py",
    "council/play.py",
)
# Keys whose text is commentary: it never changes what dbt builds.
COMMENTARY = {"group", "summary", "rationale"}
# Lists whose entries are named, and whose order means nothing to the build (by their name key).
UNORDERED = {
    "teams": "name",
    "models": "model",
    "new_projects": "name",
    "constraints": None,
    "exclude_columns": None,
    "new_versions": "version",
    "columns": "name",
}


@dataclass(frozen=True)
class Answer:
    key: str
    kind: str
    scenario: str | None
    data: dict  # the proposal, with GRADED_GROUP as its group
    label: str  # the first submission's path: messages name it, and are renamed for the others


@dataclass
class Outcome:
    """What checking one answer said, as plain data (cached as JSON)."""

    refused: bool = False
    reason: str | None = None
    timed_out: bool = False
    build_ok: bool = False
    criteria: list[dict] = field(default_factory=list)  # id, says, passed, detail, consequence
    explanations: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)  # code, severity, model, message
    broken_consumers: list[str] = field(default_factory=list)
    projects: list[dict] = field(default_factory=list)  # name, status, reads, hub
    circle: list[list[str]] = field(default_factory=list)
    seconds: float = 0.0
    label: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Outcome:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def answer_of(found: Found, baseline: Baseline, logic: dict[str, LogicChange]) -> Answer | str:
    """The answer a submission gives, or why it is refused (checked against the mesh's names
    first, which takes no build)."""
    if found.problem:
        return found.problem
    if found.kind == "decisions":
        scenario = load_scenario(found.scenario)
        try:
            data = scenario.proposal_dict(found.data, GRADED_GROUP)
        except ScenarioError as problem:
            return f"`{found.source}`: {problem.message}"
    elif found.kind == "council":
        data = _council_data(found.data)
    else:
        data = copy.deepcopy(found.data)
        data.setdefault("scenario", NO_SCENARIO)
        if not isinstance(data.get("group"), str) or not data["group"].strip():
            data["group"] = GRADED_GROUP
    try:
        proposal = proposal_from_data(data, found.source)
        validate(proposal, baseline, logic, found.source)
    except KitError as problem:
        return problem.message + (f" {problem.hint}" if problem.hint else "")
    data = proposal.model_dump(mode="json", exclude_defaults=True)
    data["group"] = GRADED_GROUP
    key = _key(found.kind, found.scenario, data)
    return Answer(key, found.kind, found.scenario, data, found.source)


def _council_data(council: StoredCouncil) -> dict:
    state = state_view(council, council.table)
    closed = council.vote == "closed"
    tallies = [tally_of(council, p) for p in council.policies if not p.withdrawn]
    data, _ = council_proposal(state, closed, tallies)
    return data


def _key(kind: str, scenario: str | None, data: dict) -> str:
    normal = {"kind": kind, "scenario": scenario, "answer": normalised(data)}
    text = json.dumps(normal, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def normalised(value, key: str | None = None):
    """The answer with commentary dropped, spacing collapsed and unordered lists sorted."""
    if isinstance(value, dict):
        return {k: normalised(v, k) for k, v in value.items() if k not in COMMENTARY}
    if isinstance(value, list):
        items = [normalised(v) for v in value]
        if key in UNORDERED:
            by = UNORDERED[key]
            return sorted(
                items,
                key=lambda v: json.dumps(
                    v.get(by) if by and isinstance(v, dict) else v, sort_keys=True
                ),
            )
        return items
    if isinstance(value, str):
        return re.sub(r"\s+", " ", value).strip()
    return value


def context_key(baseline: Baseline, strict: bool) -> str:
    """What else a verdict depends on: the baseline mesh, the raw data, the scenarios, the
    council's game and the kit itself. A cached verdict is used only when all are unchanged."""
    parts = [str(CACHE_FORMAT), str(strict), raw_fingerprint()]
    parts += [source_fingerprint(p.project_dir) for p in baseline.mesh.projects]
    for folder in (scenarios_dir(), Workspace.current().kit / "council"):
        parts += [hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.yml"))]
    package = Path(__file__).resolve().parents[1]
    code = [p for stage in VERDICT_STAGES for p in sorted((package / stage).rglob("*.py"))]
    code += [package / name for name in VERDICT_FILES]
    parts += [hashlib.sha256(p.read_bytes()).hexdigest() for p in code]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def build(
    answer: Answer,
    baseline: Baseline,
    pool: DbtWorkerPool,
    strict: bool,
    time_limit: float,
    sandbox: Path,
) -> Outcome:
    """Apply the answer to `sandbox`, build it with dbt, judge it.

    The sandbox is one of the grading's slots, used by one answer after another so that its dbt
    workers stay warm. That changes nothing in the verdict: applying writes the sandbox afresh,
    and every check starts its build folder again from the baseline's."""
    work = Workspace.current().mesh_build(sandbox)
    started = time.perf_counter()
    text = json.dumps(answer.data)
    try:
        proposal = proposal_from_data(answer.data, answer.label)
        scenario_answer.apply(proposal, text, Path(answer.label), sandbox, baseline)
        layout = read_mesh(sandbox)
    except KitError as problem:
        circle = [list(b.edge) for b in getattr(problem, "circle", ())]
        reason = problem.message + (f" {problem.hint}" if problem.hint else "")
        seconds = round(time.perf_counter() - started, 2)
        if not circle:  # the kit cannot apply it at all: not an answer dbt could judge
            return Outcome(refused=True, reason=reason, label=answer.label, seconds=seconds)
        # Projects that would read each other: a real answer, which dbt cannot build.
        explained = explain(problem.message, None)
        return Outcome(
            reason=reason,
            circle=circle,
            label=answer.label,
            seconds=seconds,
            explanations=[_explanation(explained)] if explained else [],
            criteria=unbuilt_criteria(
                answer.kind,
                answer.scenario,
                "The mesh could not be built: its projects would read each other in a circle.",
            ),
        )
    result = check_mesh(
        sandbox, work, baseline.work_root, strict_deprecations=strict, runner=pool.run
    )
    seconds = time.perf_counter() - started
    outcome = Outcome(
        build_ok=result.build.ok,
        explanations=[_explanation(e) for e in result.explanations],
        findings=[
            {"code": f.code, "severity": f.severity, "model": f.model, "message": f.message}
            for f in result.findings
        ],
        broken_consumers=list(result.broken_consumers),
        projects=_projects(layout, {o.name: o.status for o in result.build.projects}),
        seconds=round(seconds, 2),
        label=answer.label,
    )
    if seconds >= time_limit:
        outcome.timed_out = True
        outcome.reason = (
            f"Its build took longer than the time limit of {time_limit:g} s, so it was "
            "stopped and counts as not built."
        )
    outcome.criteria = _criteria(answer, result, layout, work, outcome)
    return outcome


def _explanation(e: Explanation) -> dict:
    return {k: getattr(e, k) for k in ("code", "title", "what_happened", "who_is_hit", "lever")}


def unbuilt_criteria(kind: str, scenario: str | None, why: str) -> list[dict]:
    """Every criterion of an answer whose mesh was never built, not met."""
    if scenario is not None and kind != "council":
        return [
            {
                "id": c.id,
                "says": c.says,
                "passed": False,
                "detail": why,
                "consequence": c.consequence,
            }
            for c in load_scenario(scenario).success
        ]
    found = [
        {
            "id": "builds",
            "says": BUILDS_SAYS[kind == "council"],
            "passed": False,
            "detail": why,
            "consequence": False,
        }
    ]
    found.append(
        {
            "id": "governance",
            "says": GOVERNANCE_SAYS,
            "passed": False,
            "detail": why,
            "consequence": False,
        }
    )
    return found


def _projects(layout: Mesh, statuses: dict[str, str]) -> list[dict]:
    return [
        {
            "name": p.name,
            "status": statuses.get(p.name, "not built"),
            "reads": sorted(p.upstreams),
            "hub": p.name == layout.hub,
        }
        for p in layout.projects
    ]


def _criteria(answer: Answer, result, layout: Mesh, work: Path, outcome: Outcome) -> list[dict]:
    built_ok = result.build.ok and not outcome.timed_out
    if answer.scenario is None or answer.kind == "council":
        found = _build_criteria(answer.kind, result, built_ok, outcome)
        if answer.kind == "council":
            found += _council_missions(layout, work, built_ok)
        return found
    scenario = load_scenario(answer.scenario)
    judged = judge(
        scenario,
        result if not outcome.timed_out else None,
        layout if not outcome.timed_out else None,
        work,
    )
    return [c.to_dict() for c in judged]


def _build_criteria(kind: str, result, built_ok: bool, outcome: Outcome) -> list[dict]:
    """Where no scenario sets the criteria: the build, and no governance rule broken."""
    errors = [f for f in result.findings if f.severity == "error"]
    failed = [o.name for o in result.build.projects if o.status not in OK_STATUSES]
    if built_ok:
        detail = "Every project built and every test passed."
    elif failed:
        detail = f"Did not build: {', '.join(failed)}."
    else:
        detail = outcome.reason or "A test failed."
    return [
        {
            "id": "builds",
            "says": BUILDS_SAYS[kind == "council"],
            "passed": built_ok,
            "consequence": False,
            "detail": detail,
        },
        {
            "id": "governance",
            "says": GOVERNANCE_SAYS,
            "passed": not errors,
            "consequence": False,
            "detail": errors[0].message if errors else "None broken.",
        },
    ]


def _council_missions(layout: Mesh, work: Path, built_ok: bool) -> list[dict]:
    """Every secret mission the kit can check on the council's mesh: shown, never counted.
    The missions pull against each other by design, so no council meets them all."""
    game = load_game()
    facts = mesh_facts(layout, work) if built_ok else None
    found = []
    for mission in [t.mission for t in game.teams] + [s.mission for s in game.seats]:
        if mission.check not in MESH_CHECKS:
            continue
        verdict = check(mission.check, facts)
        found.append(
            {
                "id": mission.id,
                "says": mission.says,
                "passed": verdict.met,
                "detail": verdict.detail,
                "consequence": True,
            }
        )
    return found


def copy_outcome(outcome: Outcome, label: str) -> Outcome:
    """The outcome of an answer as another submission of it reads it: its own file named where
    the first submission's was."""
    text = json.dumps(outcome.to_dict())
    if outcome.label:
        text = text.replace(json.dumps(outcome.label)[1:-1], json.dumps(label)[1:-1])
    return Outcome.from_dict(json.loads(text))
