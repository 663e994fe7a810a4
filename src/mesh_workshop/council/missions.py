"""Secret missions that are statements about the mesh or the vote, checked against the council's
final, built mesh and its tally.

A check reads three things and nothing a player typed: which project holds each model (the SQL
files of the council's mesh), which project reads which (its cross-project refs), and what dbt
wrote about each model when it last parsed the mesh (access, description, group and owner). Which
team a model belongs to comes from the folder it had in the legacy project (`marts/finance/...`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..dbt.artifacts import read_manifest
from ..mesh.layout import Mesh
from ..monolith.project import load_graph
from ..proposal.inject import model_homes
from ..verdict.governance import manifests_for

# The plan in the architect's handbook: the hub and its three spokes.
PLAN_HUB = "data_platform"
PLAN_PROJECTS = frozenset({PLAN_HUB, "rescue_operations", "people_ops", "finance_marketing"})
MARKETING_SOURCES = "stg_marketing_platform__"
HR_SOURCES = "stg_hr_system__"


@dataclass(frozen=True)
class MeshFacts:
    """What the mission checks read from a council's built mesh."""

    projects: tuple[str, ...]
    hub: str
    homes: Mapping[str, str]  # model -> the project that holds it
    domains: Mapping[str, str]  # model -> its team folder in the legacy project, or "staging"
    reads: frozenset[tuple[str, str]]  # (reading project, project read), across projects only
    public: Mapping[str, tuple[bool, bool]]  # "project.model" -> (described, owned by someone)


@dataclass(frozen=True)
class MissionCheck:
    kind: str
    met: bool
    detail: str  # one sentence saying why, for the reveal


@dataclass(frozen=True)
class PolicyOutcome:
    """A policy's result in the council's vote: passed, failed, or not voted on (None)."""

    policy: str
    passed: bool | None


def mesh_facts(layout: Mesh, work_root: Path) -> MeshFacts:
    """The facts of a council's mesh, built (or at least parsed) into `work_root`."""
    graph = load_graph()
    domains = {m.name: m.domain for m in graph.models.values()}
    public: dict[str, tuple[bool, bool]] = {}
    for project, path in manifests_for(layout, work_root, require_all=False).items():
        manifest = read_manifest(path)
        owners = {
            g.name: bool((g.owner or {}).get("name") or (g.owner or {}).get("email"))
            for g in manifest.groups.values()
            if g.package_name in (None, project)
        }
        for node in manifest.models(project):
            if node.own_access == "public":
                group = node.own_group
                public[f"{project}.{node.name}"] = (
                    bool((node.description or "").strip()),
                    bool(group and owners.get(group)),
                )
    return MeshFacts(
        projects=tuple(p.name for p in layout.projects),
        hub=layout.hub or PLAN_HUB,
        homes=model_homes(layout.root),
        domains=domains,
        reads=frozenset((b.consumer, b.producer) for b in layout.boundaries),
        public=public,
    )


def check(
    kind: str, facts: MeshFacts | None, outcomes: Iterable[PolicyOutcome] = ()
) -> MissionCheck:
    """Whether the mission of this kind is met. `facts` is None when the council has no built
    mesh yet: every mesh mission is then not met, and says so."""
    if kind == "policies_passed_by_majority":
        return _policies_passed(list(outcomes))
    if kind not in MESH_CHECKS:
        raise ValueError(f"unknown mission check `{kind}`")
    if facts is None:
        return MissionCheck(kind, False, "The council has no built mesh to check yet.")
    met, detail = MESH_CHECKS[kind](facts)
    return MissionCheck(kind, met, detail)


def _home_of_team(facts: MeshFacts, domain: str) -> tuple[str | None, list[str]]:
    """The project that holds most of a team's models, and every project holding some."""
    homes = Counter(
        facts.homes[m] for m, d in facts.domains.items() if d == domain and m in facts.homes
    )
    if not homes:
        return None, []
    return homes.most_common(1)[0][0], sorted(homes)


def _names(items: Iterable[str]) -> str:
    items = [f"`{i}`" for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _finance_and_marketing_split(facts: MeshFacts) -> tuple[bool, str]:
    finance, _ = _home_of_team(facts, "finance")
    marketing, _ = _home_of_team(facts, "marketing")
    if finance is None or marketing is None:
        return False, "The finance or the marketing models are missing from the mesh."
    if finance == marketing:
        return False, f"Finance and marketing still share one project, `{finance}`."
    if facts.hub in (finance, marketing):
        return False, f"One of the two teams' models live in the hub, `{facts.hub}`."
    if (finance, marketing) in facts.reads or (marketing, finance) in facts.reads:
        return True, (
            f"Finance works in `{finance}` and marketing in `{marketing}`, and data passes "
            "between the two projects."
        )
    return False, (
        f"Finance works in `{finance}` and marketing in `{marketing}`, but neither project reads "
        "the other."
    )


def _marketing_sources_in_spoke(facts: MeshFacts) -> tuple[bool, str]:
    marketing, _ = _home_of_team(facts, "marketing")
    sources = sorted(m for m in facts.homes if m.startswith(MARKETING_SOURCES))
    if marketing is None or not sources:
        return False, "The marketing models or their sources are missing from the mesh."
    elsewhere = [m for m in sources if facts.homes[m] != marketing]
    if marketing == facts.hub:
        return False, f"The marketing models themselves live in the hub, `{facts.hub}`."
    if elsewhere:
        return False, (
            f"{len(elsewhere)} of the {len(sources)} marketing source models are not in "
            f"`{marketing}`, where the marketing models are: {_names(elsewhere)}."
        )
    return True, f"Every marketing source model is managed in `{marketing}`."


def _people_ops_in_hub(facts: MeshFacts) -> tuple[bool, str]:
    if "people_ops" in facts.projects:
        return False, "The `people_ops` project is still there."
    models = sorted(
        m for m in facts.homes if facts.domains.get(m) == "people_ops" or m.startswith(HR_SOURCES)
    )
    outside = [m for m in models if facts.homes[m] != facts.hub]
    if outside:
        return False, f"{len(outside)} people ops models live outside the hub: {_names(outside)}."
    return True, f"There is no `people_ops` project; its {len(models)} models live in the hub."


def _rescue_reads_any_project(facts: MeshFacts) -> tuple[bool, str]:
    rescue, _ = _home_of_team(facts, "rescue_operations")
    if rescue is None or rescue == facts.hub:
        return False, "Rescue operations has no project of its own."
    others = sorted(p for r, p in facts.reads if r == rescue and p not in (facts.hub, rescue))
    given_away = sorted(
        m
        for m, d in facts.domains.items()
        if d == "rescue_operations" and facts.homes.get(m) not in (None, facts.hub, rescue)
    )
    if given_away:
        return False, f"Rescue operations' own models moved to other spokes: {_names(given_away)}."
    if others:
        return True, f"`{rescue}` reads models of {_names(others)} as well as the hub."
    return False, f"`{rescue}` reads the hub only."


def _hub_and_spoke_kept(facts: MeshFacts) -> tuple[bool, str]:
    projects = set(facts.projects)
    if projects != PLAN_PROJECTS:
        added, gone = sorted(projects - PLAN_PROJECTS), sorted(PLAN_PROJECTS - projects)
        changes = ([f"added {_names(added)}"] if added else []) + (
            [f"removed {_names(gone)}"] if gone else []
        )
        return False, f"The plan's four projects changed: {' and '.join(changes)}."
    spokes = sorted(f"`{r}` reads `{p}`" for r, p in facts.reads if p != facts.hub)
    if spokes:
        return False, f"A spoke reads another spoke: {', '.join(spokes)}."
    return True, "The plan's four projects, and every spoke reads the hub only."


def _public_models_documented_and_owned(facts: MeshFacts) -> tuple[bool, str]:
    if not facts.public:
        return False, "No model is public, so there is nothing in the catalogue to find."
    undocumented = sorted(m for m, (described, _) in facts.public.items() if not described)
    unowned = sorted(m for m, (_, owned) in facts.public.items() if not owned)
    if not undocumented and not unowned:
        return True, f"All {len(facts.public)} public models are described and owned."
    parts = []
    if undocumented:
        parts.append(f"{len(undocumented)} have no description (e.g. `{undocumented[0]}`)")
    if unowned:
        parts.append(f"{len(unowned)} belong to no group with an owner (e.g. `{unowned[0]}`)")
    return False, f"Of {len(facts.public)} public models, {' and '.join(parts)}."


def _policies_passed(outcomes: list[PolicyOutcome]) -> MissionCheck:
    kind = "policies_passed_by_majority"
    if not outcomes:
        return MissionCheck(kind, False, "The council has documented no policy.")
    unvoted = [o.policy for o in outcomes if o.passed is None]
    failed = [o.policy for o in outcomes if o.passed is False]
    if unvoted:
        return MissionCheck(kind, False, f"Not voted on: {_names(unvoted)}.")
    if failed:
        return MissionCheck(kind, False, f"The vote rejected {_names(failed)}.")
    return MissionCheck(kind, True, f"All {len(outcomes)} policies passed by majority.")


MESH_CHECKS = {
    "finance_and_marketing_split": _finance_and_marketing_split,
    "marketing_sources_in_spoke": _marketing_sources_in_spoke,
    "people_ops_in_hub": _people_ops_in_hub,
    "rescue_reads_any_project": _rescue_reads_any_project,
    "hub_and_spoke_kept": _hub_and_spoke_kept,
    "public_models_documented_and_owned": _public_models_documented_and_owned,
}
CHECK_KINDS = frozenset({*MESH_CHECKS, "policies_passed_by_majority"})
