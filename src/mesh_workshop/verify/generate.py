"""Seeded random proposals for the committed mesh, mostly valid, pulling many levers at once.

`random_proposals(catalog, seed, count)` gives the same proposals for the same seed and mesh.
Each pulls one to three levers (access, groups, contracts with and without types, wrong types,
constraints, new versions with excluded or renamed columns, the latest version, pins,
deprecations, logic changes, moves, new projects, merges) on models that other projects read,
or answers one of the scenarios with random choices. A few are made invalid on purpose, so
that refusals are exercised too.

The catalog of what the mesh holds (projects, models, who reads what, the columns and types the
baseline build produced) comes from the committed mesh and its baseline build.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dbt.warehouse import connect
from ..mesh.layout import read_mesh
from ..proposal.baseline import Baseline
from ..proposal.logic import load_logic_changes
from ..scenario.model import ScenarioError, list_scenarios

SCENARIO = "random_answer"  # not a scenario of the kit: no scenario models are added
FUTURE = "2027-06-30"
PAST = "2024-01-31"
_REF = re.compile(r"""ref\(\s*(?:['"](?P<project>\w+)['"]\s*,\s*)?['"](?P<model>\w+)['"]""")
_NUMERIC = ("integer", "bigint", "hugeint", "double", "decimal", "smallint", "tinyint", "float")
OWNERS = (
    ("audit_team", "Sam Okafor", "sam.okafor@rainbowroad.example"),
    ("data_science_team", "Lena Park", "lena.park@rainbowroad.example"),
    ("grants_team", "Ruth Abara", "ruth.abara@rainbowroad.example"),
)


@dataclass(frozen=True)
class Catalog:
    """What the committed mesh holds, as far as a proposal can name it."""

    hub: str
    owner: dict[str, str]  # model -> project
    refs: dict[str, frozenset[str]]  # model -> the models its SQL refs
    readers: dict[str, frozenset[str]]  # model -> projects other than its own that read it
    columns: dict[str, tuple[tuple[str, str], ...]]  # model -> (column, type) as built
    groups: dict[str, str]  # group -> the project that defines it
    logic: dict[str, str]  # logic change -> the model it changes
    scenarios: tuple = field(default=())

    @classmethod
    def from_baseline(cls, base: Baseline) -> Catalog:
        layout = read_mesh(base.mesh_dir)
        refs: dict[str, set[str]] = {}
        readers: dict[str, set[str]] = {}
        for project in layout.projects:
            folder = project.project_dir
            for path in sorted(folder.rglob("*.sql")):
                if {"target", "logs"} & set(path.relative_to(folder).parts):
                    continue
                for match in _REF.finditer(path.read_text()):
                    model = match["model"]
                    if model not in base.owner:
                        continue
                    if path.relative_to(folder).parts[0] == "models":
                        refs.setdefault(path.stem, set()).add(model)
                    if base.owner[model] != project.name:
                        readers.setdefault(model, set()).add(project.name)
        columns: dict[str, tuple[tuple[str, str], ...]] = {}
        for project in layout.projects:
            warehouse = base.work_root / project.name / f"{project.name}.duckdb"
            if not warehouse.is_file():
                continue
            with connect(warehouse) as con:
                rows = con.execute(
                    "select table_name, column_name, lower(data_type) from "
                    "information_schema.columns where table_catalog = ? "
                    "order by table_name, ordinal_position",
                    [project.name],
                ).fetchall()
            for table, column, data_type in rows:
                if base.owner.get(table) == project.name:
                    columns[table] = (*columns.get(table, ()), (column, data_type))
        return cls(
            hub=base.hub,
            owner=dict(base.owner),
            refs={m: frozenset(r) for m, r in refs.items()},
            readers={m: frozenset(r) for m, r in readers.items()},
            columns=columns,
            groups=dict(base.group_home),
            logic={
                name: change.model.split(".")[1] for name, change in load_logic_changes().items()
            },
            scenarios=tuple(list_scenarios()),
        )

    def projects(self) -> list[str]:
        return sorted(set(self.owner.values()))

    def models_of(self, project: str) -> list[str]:
        return sorted(m for m, p in self.owner.items() if p == project)

    def ref(self, model: str) -> str:
        return f"{self.owner[model]}.{model}"

    def shared(self) -> list[str]:
        """Models that another project reads."""
        return sorted(self.readers)

    def team_of(self, project: str) -> str | None:
        return next((g for g, home in sorted(self.groups.items()) if home == project), None)


class _Draft:
    """A proposal being put together, with model decisions merged by model."""

    def __init__(self, index: int, scenario: str = SCENARIO) -> None:
        self.data: dict[str, Any] = {
            "version": 1,
            "group": f"Random table {index}",
            "scenario": scenario,
        }
        self.levers: list[str] = []

    def decision(self, ref: str) -> dict[str, Any]:
        models = self.data.setdefault("models", [])
        found = next((d for d in models if d["model"] == ref), None)
        if found is None:
            found = {"model": ref}
            models.append(found)
        return found

    def add(self, key: str, entry: dict[str, Any]) -> None:
        self.data.setdefault(key, []).append(entry)

    def team(self, rng: random.Random) -> str:
        name, person, email = rng.choice(OWNERS)
        teams = self.data.setdefault("teams", [])
        if not any(t["name"] == name for t in teams):
            teams.append({"name": name, "owner": {"name": person, "email": email}})
        return name


def random_proposals(catalog: Catalog, seed: int, count: int) -> list[tuple[str, dict]]:
    """`count` different proposals, named `<seed>-<n>`, the same ones for the same seed and
    catalog. A proposal that repeats an earlier one (its table's name aside) is drawn again."""
    rng = random.Random(seed)
    found: list[tuple[str, dict]] = []
    seen: set[str] = set()
    while len(found) < count:
        n = len(found) + 1
        data = random_proposal(rng, catalog, n)
        same = repr({k: v for k, v in data.items() if k not in {"group", "summary"}})
        if same not in seen:
            seen.add(same)
            found.append((f"{seed}-{n:03d}", data))
    return found


def random_proposal(rng: random.Random, catalog: Catalog, index: int) -> dict:
    """One proposal: a random scenario answer (one in eight), else one to three levers pulled;
    one in twelve is then spoilt so that it must be refused."""
    if catalog.scenarios and rng.random() < 0.125:
        answer = _scenario_answer(rng, catalog, index)
        if answer is not None:
            return answer
    draft = _Draft(index)
    levers = _pick(rng, LEVERS, rng.choice([1, 1, 2, 2, 2, 3]))
    for lever in levers:
        lever(rng, catalog, draft)
    if rng.random() < 1 / 12:
        _spoil(rng, catalog, draft)
    if draft.levers:
        draft.data["summary"] = "Levers pulled: " + ", ".join(draft.levers) + "."
    return draft.data


def _pick(rng: random.Random, weighted: Iterable[tuple[Any, int]], count: int) -> list:
    pool = list(weighted)
    chosen = []
    for _ in range(min(count, len(pool))):
        item = rng.choices(pool, weights=[w for _, w in pool])[0]
        pool.remove(item)
        chosen.append(item[0])
    return chosen


# --- models to pull levers on ----------------------------------------------------------------


def _some_model(rng: random.Random, catalog: Catalog) -> str:
    """Mostly a model another project reads; sometimes a hub model nobody else reads, or a
    spoke's own model."""
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(catalog.shared())
    project = catalog.hub if roll < 0.75 else rng.choice(catalog.projects())
    return rng.choice(catalog.models_of(project))


def _columns(catalog: Catalog, model: str) -> list[tuple[str, str]]:
    return list(catalog.columns.get(model, ()))


def _wrong_type(data_type: str) -> str:
    if data_type.startswith(_NUMERIC):
        return "varchar"
    if data_type == "varchar":
        return "integer"
    if data_type.startswith(("date", "timestamp")):
        return "integer" if data_type.startswith("date") else "date"
    return "varchar"


# --- the levers ------------------------------------------------------------------------------


def _access(rng: random.Random, catalog: Catalog, draft: _Draft) -> None:
    model = _some_model(rng, catalog)
    decision = draft.decision(catalog.ref(model))
    decision["access"] = rng.choice(["private", "protected", "public", "public"])
    if decision["access"] == "private" and rng.random() < 0.5:
        home = catalog.team_of(catalog.owner[model])
        decision["group"] = home if (home and rng.random() < 0.6) else draft.team(rng)
    draft.levers.append("access")


def _group(rng: random.Random, catalog: Catalog, draft: _Draft) -> None:
    model = _some_model(rng, catalog)
    decision = draft.decision(catalog.ref(model))
    roll = rng.random()
    if roll < 0.6:
        decision["group"] = draft.team(rng)
    else:  # a team another project defines
        decision["group"] = rng.choice(sorted(catalog.groups))
    if rng.random() < 0.4:
        decision["access"] = rng.choice(["private", "public"])
    draft.levers.append("group")


def _contract(rng: random.Random, catalog: Catalog, draft: _Draft) -> None:
    model = _some_model(rng, catalog)
    columns = _columns(catalog, model)
    if not columns:
        return
    decision = draft.decision(catalog.ref(model))
    contract: dict[str, Any] = {"enforced": rng.random() < 0.9}
    chosen = []
    for name, data_type in rng.sample(columns, k=min(len(columns), rng.choice([0, 1, 1, 2, 3]))):
        column: dict[str, Any] = {"name": name}
        roll = rng.random()
        if roll < 0.35:
            column["data_type"] = data_type
        elif roll < 0.55:
            column["data_type"] = _wrong_type(data_type)
        constraints: list[Any] = []
        if rng.random() < 0.4:
            constraints += rng.sample(
                ["not_null", "unique", "primary_key"], k=rng.choice([1, 1, 2])
            )
        if rng.random() < 0.25:
            if data_type.startswith(_NUMERIC):
                expression = rng.choice([f"{name} >= 0", f"{name} < 0", f"{name} is not null"])
            else:
                expression = rng.choice([f"{name} is not null", f"length({name}) > 0"])
            constraints.append({"type": "check", "expression": expression})
        if constraints:
            column["constraints"] = constraints
        chosen.append(column)
    if chosen:
        contract["columns"] = chosen
    decision["contract"] = contract
    if rng.random() < 0.5:
        decision["access"] = "public"
    draft.levers.append("contract")


def _versions(rng: random.Random, catalog: Catalog, draft: _Draft) -> None:
    candidates = [m for m in catalog.shared() if catalog.owner[m] == catalog.hub]
    logic_models = sorted(set(catalog.logic.values()))
    model = rng.choice(logic_models if logic_models and rng.random() < 0.4 else candidates)
    decision = draft.decision(catalog.ref(model))
    if decision.pop("logic_change", None) and "logic change" in draft.levers:
        draft.levers.remove("logic change")
    columns = [c for c, _ in _columns(catalog, model)]
    new_versions = []
    for number in range(2, rng.choice([3, 3, 3, 4]) + 1):
        version: dict[str, Any] = {"version": number}
        if columns and rng.random() < 0.5:
            version["exclude_columns"] = rng.sample(columns, k=1)
        if columns and rng.random() < 0.3:
            old = rng.choice([c for c in columns if c not in version.get("exclude_columns", [])])
            version["rename_columns"] = {old: f"{old}_renamed"}
        changes = [name for name, target in catalog.logic.items() if target == model]
        if changes and rng.random() < 0.7:
            version["logic_change"] = rng.choice(changes)
        new_versions.append(version)
    decision["new_versions"] = new_versions
    numbers = [1] + [v["version"] for v in new_versions]
    if rng.random() < 0.7:
        decision["latest_version"] = rng.choice(numbers)
    if rng.random() < 0.4:
        decision["deprecate_version"] = rng.choice(numbers[:-1])
        decision["deprecation_date"] = FUTURE if rng.random() < 0.75 else PAST
    readers = sorted(catalog.readers.get(model, ()))
    for consumer in rng.sample(readers, k=min(len(readers), rng.choice([0, 1, 1, 2]))):
        draft.add(
            "pins",
            {"consumer": consumer, "model": catalog.ref(model), "version": rng.choice(numbers)},
        )
    draft.levers.append("versions")


def _pin(rng: random.Random, catalog: Catalog, draft: _Draft) -> None:
    """A pin on a model of the proposal that has versions, or else a model-level pin to
    version 1 of an unversioned model (which dbt refuses)."""
    versioned = [d for d in draft.data.get("models", []) if d.get("new_versions")]
    if versioned:
        decision = rng.choice(versioned)
        model = decision["model"].split(".")[1]
        numbers = [1] + [v["version"] for v in decision["new_versions"]]
    else:
        model = rng.choice(catalog.shared())
        numbers = [1]
    readers = sorted(
        m
        for m, refs in catalog.refs.items()
        if model in refs and catalog.owner.get(m) != catalog.owner[model]
    )
    if not readers:
        return
    reader = rng.choice(readers)
    consumer = f"{catalog.owner[reader]}.{reader}" if rng.random() < 0.5 else catalog.owner[reader]
    draft.add(
        "pins", {"consumer": consumer, "model": catalog.ref(model), "version": rng.choice(numbers)}
    )
    draft.levers.append("pin")


def _deprecate(rng: random.Random, catalog: Catalog, draft: _Draft) -> None:
    model = _some_model(rng, catalog)
    decision = draft.decision(catalog.ref(model))
    if decision.get("new_versions"):
        return
    decision["deprecation_date"] = FUTURE if rng.random() < 0.6 else PAST
    draft.levers.append("deprecation")


def _logic(rng: random.Random, catalog: Catalog, draft: _Draft) -> None:
    if not catalog.logic:
        return
    name = rng.choice(sorted(catalog.logic))
    decision = draft.decision(catalog.ref(catalog.logic[name]))
    if decision.get("new_versions"):
        return
    decision["logic_change"] = name
    draft.levers.append("logic change")


def _move(rng: random.Random, catalog: Catalog, draft: _Draft) -> None:
    """Move a model to another project; nine times in ten to a place that makes no circle."""
    any_place = rng.random() < 0.1
    for _ in range(40):
        model = rng.choice(sorted(catalog.owner))
        to = rng.choice([p for p in catalog.projects() if p != catalog.owner[model]])
        moves = [*draft.data.get("moves", []), {"model": catalog.ref(model), "to": to}]
        if any_place or _without_cycle(catalog, moves, draft.data.get("new_projects", [])):
            draft.data["moves"] = moves
            draft.levers.append("move")
            return


def _new_project(rng: random.Random, catalog: Catalog, draft: _Draft) -> None:
    """Split off a model with everything in its project that reads it, directly or not."""
    if draft.data.get("new_projects"):
        return
    moved = {m["model"].split(".")[1] for m in draft.data.get("moves", [])}
    for _ in range(40):
        project = rng.choice(catalog.projects())
        start = rng.choice(catalog.models_of(project))
        taken = _readers_within(catalog, start, project)
        if len(taken) > 12 or taken & moved:
            continue
        name, person, email = rng.choice(OWNERS)
        new = {
            "name": name.removesuffix("_team"),
            "team": {"name": name, "owner": {"name": person, "email": email}},
            "description": "Split off to try a smaller project.",
            "models": [catalog.ref(m) for m in sorted(taken)],
        }
        draft.data["new_projects"] = [new]
        draft.levers.append("new project")
        return


def _merge(rng: random.Random, catalog: Catalog, draft: _Draft) -> None:
    spokes = [p for p in catalog.projects() if p != catalog.hub]
    project = rng.choice(spokes)
    into = catalog.hub if rng.random() < 0.6 else rng.choice([p for p in spokes if p != project])
    moves = draft.data.get("moves", [])
    if any(m["to"] == project for m in moves):
        return
    draft.add("merges", {"project": project, "into": into})
    draft.levers.append("merge")


LEVERS = (
    (_access, 4),
    (_group, 2),
    (_contract, 4),
    (_versions, 4),
    (_pin, 1),
    (_deprecate, 1),
    (_logic, 1),
    (_move, 2),
    (_new_project, 1),
    (_merge, 1),
)


def _readers_within(catalog: Catalog, model: str, project: str) -> set[str]:
    found = {model}
    todo = [model]
    while todo:
        current = todo.pop()
        for other, refs in catalog.refs.items():
            if current in refs and catalog.owner.get(other) == project and other not in found:
                found.add(other)
                todo.append(other)
    return found


def _without_cycle(catalog: Catalog, moves: list[dict], new_projects: list[dict]) -> bool:
    owner = dict(catalog.owner)
    for new in new_projects:
        for ref in new["models"]:
            owner[ref.split(".")[1]] = new["name"]
    for move in moves:
        owner[move["model"].split(".")[1]] = move["to"]
    reads: dict[str, set[str]] = {}
    for model, refs in catalog.refs.items():
        for read in refs:
            if model in owner and read in owner and owner[model] != owner[read]:
                reads.setdefault(owner[model], set()).add(owner[read])
    done: set[str] = set()

    def cyclic(project: str, path: tuple[str, ...]) -> bool:
        if project in path:
            return True
        if project in done:
            return False
        found = any(cyclic(up, (*path, project)) for up in reads.get(project, ()))
        done.add(project)
        return found

    return not any(cyclic(p, ()) for p in sorted(reads))


# --- scenario answers and spoilt proposals ----------------------------------------------------


def _scenario_answer(rng: random.Random, catalog: Catalog, index: int) -> dict | None:
    scenario = rng.choice(list(catalog.scenarios))
    for _ in range(20):
        choices: dict[str, Any] = {}
        for lever in scenario.levers:
            values = [o.value for o in lever.options]
            if lever.kind == "multi":
                choices[lever.id] = rng.sample(values, k=rng.randint(0, len(values)))
            else:
                choices[lever.id] = rng.choice(values)
        try:
            data = scenario.proposal_dict(choices, f"Random table {index}")
        except ScenarioError:
            continue
        return data
    return None


def _spoil(rng: random.Random, catalog: Catalog, draft: _Draft) -> None:
    """Make the proposal invalid in one of the ways a group might."""
    model = rng.choice(sorted(catalog.owner))
    other = rng.choice([p for p in catalog.projects() if p != catalog.owner[model]])
    spoilers = [
        lambda: draft.decision(f"{catalog.owner[model]}.{model}s"),  # no such model
        lambda: draft.decision(f"{other}.{model}"),  # the model lives elsewhere
        lambda: draft.decision(catalog.ref(model)).update(group="ghost_team"),
        lambda: draft.decision(catalog.ref(model)).update(latest_version=3),
        lambda: draft.decision(catalog.ref(model)).update(
            contract={"enforced": True, "columns": [{"name": "x", "data_type": "intger"}]}
        ),
        lambda: draft.add("pins", {"consumer": other, "model": catalog.ref(model), "version": 4}),
        lambda: draft.add("moves", {"model": catalog.ref(model), "to": "nowhere"}),
        lambda: draft.add("merges", {"project": catalog.hub, "into": other}),
    ]
    rng.choice(spoilers)()
    draft.levers.append("spoilt")


def catalog_for(mesh_dir: Path, work_root: Path) -> Catalog:
    """The catalog of a built mesh folder."""
    return Catalog.from_baseline(Baseline.read(mesh_dir, work_root))
