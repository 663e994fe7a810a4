"""A council's decisions played on the real mesh: its technical policies applied to a copy of the
mesh and built with dbt, its secret missions judged, and its result for the reveal.

The council's technical policies hold proposal fragments (checked when they were proposed); here
they are joined, in the order they were proposed, into one proposal of the usual format, applied
to the council's own sandbox and checked like any group's answer. Before the vote, every active
technical policy is in; once the vote has closed, only the ones that passed.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..dbt.worker import DbtWorkerPool
from ..errors import KitError
from ..mesh.layout import read_mesh
from ..paths import Workspace
from ..proposal.baseline import current_baseline
from ..proposal.validate import proposal_from_data
from ..scenario import answer
from ..verdict.check import CheckResult
from ..workshop.folders import write_atomically
from ..workshop.session import shared_pool
from .game import Game, Mission
from .missions import MeshFacts, MissionCheck, PolicyOutcome, check, mesh_facts
from .state import GOVERNANCE_KEYS, CouncilState, PolicyTally, council_state, tally

SCENARIO = "mesh_council"  # the scenario a council's proposal names (it adds no models)
PROPOSAL_FILE = "final_proposal.yml"  # in the council's folder: what was built, for anyone to read
FINAL_FILE = "final_mesh.json"  # beside it: what the last build of the final mesh said


@dataclass(frozen=True)
class FinalMesh:
    """The council's mesh as its technical policies make it, and what dbt said of it."""

    table: str
    policies: tuple[str, ...]  # the ids of the technical policies it is made of
    check: CheckResult | None  # None when the policies could not be applied together
    error: str | None
    facts: MeshFacts | None  # read from what dbt built; None without a build
    elapsed: float
    circle: tuple[tuple[str, str], ...] = ()

    @property
    def builds(self) -> bool:
        """Every project built and every test passed (governance findings aside)."""
        return self.check is not None and self.check.build.ok

    @property
    def green(self) -> bool:
        """It builds, and the kit's governance checks find no error."""
        return self.check is not None and self.check.ok


@dataclass(frozen=True)
class FinalSummary:
    """What the last build of a council's final mesh said, as every screen reads it back."""

    builds: bool
    green: bool
    policies: tuple[str, ...]
    checked_at: str
    facts: MeshFacts | None = None  # what the mission checks read, when it built


def last_final(table: str) -> FinalSummary | None:
    """The last final mesh built for this table on any screen, or None (never built, or a file
    that does not read as one). The file sits in a shared folder: every value is checked."""
    path = Workspace.current().council(table) / FINAL_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        policies = tuple(p for p in data["policies"] if isinstance(p, str))
        facts = _facts_from(data.get("facts")) if data["builds"] is True else None
        return FinalSummary(
            data["builds"] is True, data["green"] is True, policies, str(data["checked_at"]), facts
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _facts_from(data: object) -> MeshFacts | None:
    if not isinstance(data, dict):
        return None

    def names(value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("not a list of names")
        return tuple(value)

    def mapping(value: object) -> dict[str, str]:
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise ValueError("not a mapping of names")
        return dict(value)

    public = data["public"]
    if not isinstance(public, dict):
        raise ValueError("not a mapping")
    return MeshFacts(
        projects=names(data["projects"]),
        hub=str(data["hub"]),
        homes=mapping(data["homes"]),
        domains=mapping(data["domains"]),
        reads=frozenset(tuple(names(pair)) for pair in data["reads"] if len(pair) == 2),
        public={str(k): (v[0] is True, v[1] is True) for k, v in public.items()},
    )


def _save_final(final: FinalMesh) -> None:
    facts = final.facts
    summary = {
        "builds": final.builds,
        "green": final.green,
        "policies": list(final.policies),
        "checked_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "error": final.error,
        "facts": None
        if facts is None
        else {
            "projects": list(facts.projects),
            "hub": facts.hub,
            "homes": dict(facts.homes),
            "domains": dict(facts.domains),
            "reads": sorted(list(pair) for pair in facts.reads),
            "public": {k: list(v) for k, v in facts.public.items()},
        },
    }
    write_atomically(
        Workspace.current().council(final.table) / FINAL_FILE, json.dumps(summary, indent=2)
    )


@dataclass(frozen=True)
class MissionResult:
    mission: Mission
    seats: tuple[int, ...]  # who holds it: both seats of a team, or one seat
    how: str  # "checked" by the kit, "declared" by the table, or "waiting" for the table's word
    met: bool | None
    detail: str


@dataclass(frozen=True)
class CouncilResult:
    """Everything the reveal and the presentation page show."""

    state: CouncilState
    final: FinalMesh | None
    missions: tuple[MissionResult, ...]
    policies_passed: bool  # every active policy was voted on and passed
    collective_win: bool
    outcomes: tuple[PolicyOutcome, ...] = field(default=())


def council_sandbox(table: str) -> Path:
    """The council's own copy of the mesh, beside the groups' copies in the build folder."""
    return Workspace.current().sandbox(f"council {table}", SCENARIO)


def council_proposal(
    state: CouncilState, only_passed: bool, tallies: list[PolicyTally] | None = None
) -> tuple[dict, tuple[str, ...]]:
    """The council's technical policies joined into one proposal (as data), and their ids.
    `tallies`: the vote's counts, when the state was not read from the workshop folder."""
    counts = tally(state.table) if tallies is None and only_passed else tallies or []
    passed = {t.policy_id for t in counts if t.passed} if only_passed else None
    chosen = [
        p
        for p in state.active_policies
        if p.kind == "technical" and p.governance and (passed is None or p.id in passed)
    ]
    data: dict = {
        "version": 1,
        "group": f"Council {state.table}",
        "scenario": SCENARIO,
        "summary": "; ".join(f"{p.id}: {p.text}" for p in chosen)[:2000] or "No technical policy.",
    }
    for key in GOVERNANCE_KEYS:
        entries = [entry for p in chosen for entry in (p.governance or {}).get(key, [])]
        if entries:
            data[key] = entries
    return data, tuple(p.id for p in chosen)


def build_final_mesh(
    table: str,
    only_passed: bool | None = None,
    pool: DbtWorkerPool | None = None,
    on_progress: Callable[[str, str], None] | None = None,
) -> FinalMesh:
    """Apply the council's technical policies to its own copy of the mesh and build it with dbt.

    `only_passed`: only the policies the vote passed (default: once the vote has closed)."""
    started = time.perf_counter()
    state = council_state(table)
    if only_passed is None:
        only_passed = state.vote_status == "closed"
    data, ids = council_proposal(state, only_passed)
    space = Workspace.current()
    source = space.council(table) / PROPOSAL_FILE
    sandbox = council_sandbox(table)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    try:
        proposal = proposal_from_data(data, source)
        baseline = current_baseline()
        write_atomically(source, text)
        answer.apply(proposal, text, source, sandbox, baseline)
        result = answer.check(
            sandbox,
            on_progress=on_progress,
            runner=(pool or shared_pool()).run,
            baseline=baseline,
        )
    except KitError as problem:
        circle = tuple(b.edge for b in getattr(problem, "circle", ()))
        message = problem.message + (f" {problem.hint}" if problem.hint else "")
        final = FinalMesh(
            table, ids, None, message, None, time.perf_counter() - started, circle=circle
        )
        _save_final(final)
        return final
    layout = read_mesh(sandbox)
    facts = mesh_facts(layout, space.mesh_build(sandbox)) if result.build.ok else None
    final = FinalMesh(table, ids, result, None, facts, time.perf_counter() - started)
    _save_final(final)
    return final


def judge(game: Game, table: str, final: FinalMesh | None) -> CouncilResult:
    """Every seat's missions, judged: the kit checks what is a statement about the final mesh or
    the vote; the table's declared word counts for the rest. Without a final mesh built here, the
    last one built for the table on any screen is judged."""
    state = council_state(table)
    closed = state.vote_status == "closed"
    outcomes = tuple(PolicyOutcome(t.policy_id, t.passed if closed else None) for t in tally(table))
    saved = last_final(table) if final is None else None
    if final is not None:
        facts = final.facts if final.builds else None
    else:
        facts = saved.facts if saved is not None and saved.builds else None
    results: list[MissionResult] = []
    for team in game.teams:
        seats = tuple(s.number for s in game.seats_of(team.id))
        results.append(_judged(team.mission, seats, state, facts, final, outcomes))
    for seat in game.seats:
        results.append(_judged(seat.mission, (seat.number,), state, facts, final, outcomes))
    passed = bool(outcomes) and all(o.passed for o in outcomes)
    green = final.green if final is not None else saved is not None and saved.green
    return CouncilResult(state, final, tuple(results), passed, passed and green, outcomes)


def _judged(
    mission: Mission,
    seats: tuple[int, ...],
    state: CouncilState,
    facts: MeshFacts | None,
    final: FinalMesh | None,
    outcomes: tuple[PolicyOutcome, ...],
) -> MissionResult:
    if mission.check:
        found: MissionCheck = check(mission.check, facts, outcomes)
        detail = found.detail
        if facts is None and mission.check != "policies_passed_by_majority" and final is not None:
            detail = (
                "The council's final mesh does not build, so this cannot be met: "
                + (final.error or "see the build above.")
            )[:400]
        return MissionResult(mission, seats, "checked", found.met, detail)
    word = state.declared.get(mission.id)
    if word is None:
        return MissionResult(mission, seats, "waiting", None, "The table has not given its word.")
    return MissionResult(mission, seats, "declared", word.met, word.why)
