"""The kit's verdict agrees with plain dbt's: a small sample of the equivalence harness
(`scripts/equivalence.py`), and the comparison it rests on.

`make test` compares one proposal (about a minute: plain dbt builds every project once) and runs
the comparison's own tests. The sample of five proposals (ten minutes on two cores) runs with
`make verify`, before the full set."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
import yaml

from mesh_workshop.api import kit
from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.paths import raw_data_dir
from mesh_workshop.verify.equivalence import (
    EXPECTED,
    MATCH,
    MISMATCH,
    REFUSED,
    Harness,
    KitChecker,
    Outcome,
    PlainDbt,
    ProjectVerdict,
    compare,
    example_cases,
    format_row,
    random_cases,
    scenario_cases,
)
from mesh_workshop.verify.generate import Catalog

SEED = 1
HUB = "data_platform"


def _quick_to_build(case) -> bool:
    """A valid random proposal that pulls two levers or more and changes no file of the hub, so
    that plain dbt's hub build is shared (pins of hub models change the readers' files only).
    Moves, new projects and merges are left to `make verify`."""
    data = yaml.safe_load(case.text)
    names = [d["model"] for d in data.get("models", [])]
    return (
        data["scenario"] == "random_answer"
        and not {"moves", "new_projects", "merges"} & set(data)
        and "spoilt" not in data.get("summary", "")
        and data.get("summary", "").count(",") >= 1
        and all(name.split(".")[0] != HUB for name in names)
    )


def _harness(work: Path, pool: DbtWorkerPool) -> Harness:
    plain = PlainDbt(
        Path(sys.executable).parent / "dbt", raw_data_dir(), work / "plain", cache=work / "cache"
    )
    return Harness(
        KitChecker(work / "kit", pool.run), plain, mismatches=work / "mismatches", report=print
    )


@pytest.mark.verify  # a clean plain-dbt build of every project: over three minutes
def test_the_kit_says_what_plain_dbt_says_on_one_example(built_mesh, repo_root, tmp_path):
    """The smallest real comparison, run by `make test`: an example that plain dbt fails in
    the spokes, checked by the kit and built by plain dbt in every project."""
    cases = [
        c
        for c in example_cases(repo_root / "proposals" / "examples")
        if c.name == "examples/hide_the_intermediate"
    ]
    with DbtWorkerPool() as pool:
        [row] = _harness(tmp_path, pool).run(cases)
    assert row.comparison.result == MATCH, format_row(row)
    assert not row.kit.ok and not row.plain.ok
    # Plain dbt built the hub and failed where the hidden model is read.
    assert row.plain.projects[0].name == HUB and row.plain.projects[0].passed
    assert not all(p.passed for p in row.plain.projects)
    assert {p.name: p.passed for p in row.kit.projects} == {
        p.name: p.passed for p in row.plain.projects
    }


@pytest.fixture(scope="module")
def rows(built_mesh, repo_root, tmp_path_factory):
    """Two seeded random proposals, one scenario solution and two examples, each checked by the
    kit and built by plain dbt. The proposals that leave the hub alone go first, so that plain
    dbt builds the unchanged projects once and copies them from its cache afterwards."""
    work = tmp_path_factory.mktemp("equivalence")
    catalog = Catalog.from_baseline(kit.baseline())
    cases = [c for c in random_cases(catalog, SEED, 85) if _quick_to_build(c)][:2]
    cases += [
        c for c in scenario_cases() if c.name == "scenarios/growing_mesh/two_teams_one_project"
    ]
    cases += [
        c
        for c in example_cases(repo_root / "proposals" / "examples")
        if c.name in {"examples/hide_the_intermediate", "examples/wrong_contract_type"}
    ]
    assert len(cases) == 5
    with DbtWorkerPool() as pool:
        return _harness(work, pool).run(cases)


@pytest.mark.verify
def test_the_kit_says_what_plain_dbt_says_on_a_small_sample(rows):
    mismatched = [format_row(r) for r in rows if r.comparison.result == MISMATCH]
    assert not mismatched, "\n\n".join(mismatched)
    assert all(r.comparison.result in {MATCH, EXPECTED} for r in rows)
    # Plain dbt really ran in every project, and failed where the examples say it fails.
    hidden = next(r for r in rows if r.case.name == "examples/hide_the_intermediate")
    assert not hidden.plain.ok and hidden.plain.projects[0].passed
    # The second proposal that leaves the hub alone reuses the first one's hub build.
    assert rows[1].plain.projects[0].cached


@pytest.mark.verify
def test_a_kit_verdict_that_differs_from_plain_dbt_is_reported_as_a_mismatch(rows):
    real = next(r for r in rows if r.plain.projects and not r.plain.projects[-1].passed)
    last = real.kit.projects[-1]
    # The kit says the last project is up to date, where plain dbt's build of it failed.
    wrong = dataclasses.replace(
        real.kit,
        projects=(
            *real.kit.projects[:-1],
            dataclasses.replace(last, passed=True, status="up to date"),
        ),
        ok=all(p.passed for p in real.kit.projects[:-1]),
    )
    found = compare(wrong, real.plain)
    assert found.result == MISMATCH
    assert found.name == "kit `up to date` where plain dbt fails"
    assert last.name in found.detail


# --- the comparison on its own -------------------------------------------------------------


def _outcome(ok_by_project: dict[str, bool], kit: bool, codes: tuple[str, ...] = ()) -> Outcome:
    if kit:
        statuses = {True: "built", False: "failed"}
    else:
        statuses = {True: "exit 0", False: "exit 1"}
    projects = tuple(ProjectVerdict(n, ok, statuses[ok]) for n, ok in ok_by_project.items())
    ok = all(ok_by_project.values()) and not codes
    return Outcome(ok=ok, projects=projects, error_codes=codes)


def test_the_same_verdicts_match():
    verdicts = {HUB: True, "people_ops": False}
    assert compare(_outcome(verdicts, True), _outcome(verdicts, False)).result == MATCH


def test_a_project_that_passes_on_one_side_only_is_a_mismatch():
    found = compare(
        _outcome({HUB: True, "people_ops": True}, True),
        _outcome({HUB: True, "people_ops": False}, False),
    )
    assert found.result == MISMATCH
    assert found.name == "kit `built` where plain dbt fails"
    assert "people_ops" in found.detail


def test_a_deliberately_stricter_kit_is_an_expected_named_difference():
    everything = {HUB: True, "people_ops": True}
    found = compare(_outcome(everything, True, ("private_violation",)), _outcome(everything, False))
    assert (found.result, found.name) == (EXPECTED, "private_violation")
    unlisted = compare(_outcome(everything, True, ("made_up",)), _outcome(everything, False))
    assert unlisted.result == MISMATCH and "made_up" in unlisted.name


def test_a_refused_proposal_is_refused_by_both_and_a_missing_verdict_is_a_mismatch():
    refused = Outcome(refused=True, problem="`p.yml`, key `models`: no such model.")
    assert compare(refused, Outcome(refused=True)).result == REFUSED
    assert compare(refused, _outcome({HUB: True}, False)).result == MISMATCH
    crashed = Outcome(problem="the check stopped with ValueError: boom")
    assert compare(crashed, _outcome({HUB: True}, False)).result == MISMATCH


# --- the plain side's cache, with a stand-in for dbt ---------------------------------------

FAKE_DBT = """#!{python}
import os, pathlib, sys
here = pathlib.Path.cwd()
with open(os.environ["FAKE_DBT_LOG"], "a") as log:
    log.write(here.name + "\\n")
sql = "".join(p.read_text() for p in sorted((here / "models").glob("*.sql")))
if "ref('hub'" in sql and not (here.parent / "hub" / "target" / "manifest.json").is_file():
    sys.exit(2)  # like dbt-loom without the upstream manifest
(here / "target").mkdir(exist_ok=True)
(here / "target" / "manifest.json").write_text(sql)
(here / (here.name + ".duckdb")).write_text(sql)
sys.exit(1 if "fail" in sql else 0)
"""


def _tiny_mesh(root: Path, hub_sql: str, spoke_sql: str) -> Path:
    for name, sql in (("hub", hub_sql), ("spoke", spoke_sql)):
        (root / name / "models").mkdir(parents=True, exist_ok=True)
        (root / name / "dbt_project.yml").write_text(f"name: {name}\n")
        (root / name / "models" / "m.sql").write_text(sql)
    return root


def test_plain_builds_are_cached_by_the_bytes_of_a_project_and_its_upstreams(tmp_path, monkeypatch):
    dbt = tmp_path / "bin" / "dbt"
    dbt.parent.mkdir()
    dbt.write_text(FAKE_DBT.format(python=sys.executable))
    dbt.chmod(0o755)
    log = tmp_path / "log"
    monkeypatch.setenv("FAKE_DBT_LOG", str(log))
    plain = PlainDbt(dbt, tmp_path / "raw", tmp_path / "scratch", cache=tmp_path / "cache")
    (tmp_path / "raw").mkdir()

    def build(hub_sql: str, spoke_sql: str) -> tuple[list[str], list[str]]:
        log.write_text("")
        mesh = _tiny_mesh(tmp_path / "mesh", hub_sql, spoke_sql)
        outcome = plain.build(mesh)
        built = log.read_text().split()
        return built, [
            f"{p.name} {p.status}{' cached' if p.cached else ''}" for p in outcome.projects
        ]

    spoke = "select * from {{ ref('hub', 'm') }}"
    assert build("select 1", spoke) == (["hub", "spoke"], ["hub exit 0", "spoke exit 0"])
    # Nothing changed: both come from the cache, and the spoke's verdict is the same.
    assert build("select 1", spoke) == ([], ["hub exit 0 cached", "spoke exit 0 cached"])
    # The spoke changed: only the spoke builds, reading the hub's manifest copied from the cache.
    assert build("select 1", spoke + " -- fail") == (
        ["spoke"],
        ["hub exit 0 cached", "spoke exit 1"],
    )
    # The hub changed: both build again, since the spoke's key holds the hub's.
    assert build("select 2", spoke) == (["hub", "spoke"], ["hub exit 0", "spoke exit 0"])
