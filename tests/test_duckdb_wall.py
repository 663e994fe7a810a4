"""SQL in a mesh model stays inside its sandbox: the raw data and the sandbox's own build folder.

Input checks keep most bad SQL out of proposals; this is the wall behind them. A sandbox folder
edited by hand (which `mesh-workshop check <folder>` accepts) gets models that each try one thing
DuckDB could do for them, and real dbt builds them in the sandbox the way a check does.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from mesh_workshop.api import kit
from mesh_workshop.dbt.results import BuildResult
from mesh_workshop.dbt.runner import RAW_COPY, LogTail, ProjectRun, run_dbt, sync_raw_copy
from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.mesh.build import project_run
from mesh_workshop.mesh.layout import read_mesh
from mesh_workshop.paths import raw_data_dir
from mesh_workshop.verdict.check import seed_from_baseline

PROJECT = "people_ops"  # a spoke: it attaches the hub's file
REFUSED_FILE = "file system operations are disabled by configuration"
LOCKED = "the configuration has been locked"


def hook(statement: str, query: str = "select 1 as x") -> str:
    """A model that runs `statement` on dbt's connection before it builds."""
    return f'{{{{ config(pre_hook="{statement}") }}}}\n{query}\n'


# model name -> (a statement run before the model, or its query; what DuckDB's refusal says).
# <outside> is a folder of the test's, <baseline> the baseline hub's warehouse, <others> and
# <others_relative> another group's built hub warehouse.
ATTACKS = {
    "wall_copy_to_tmp": (hook("copy (select 42 as x) to '<outside>/marker.csv'"), REFUSED_FILE),
    "wall_copy_up_and_out": (hook("copy (select 42 as x) to '../../marker.csv'"), REFUSED_FILE),
    "wall_read_tmp_file": ("select * from read_csv('<outside>/secret.csv')", REFUSED_FILE),
    "wall_read_etc_passwd": ("select * from read_csv('/etc/passwd')", REFUSED_FILE),
    "wall_read_project_files": (
        "select * from read_text('../../mesh/*/profiles.yml')",
        REFUSED_FILE,
    ),
    "wall_attach_baseline": (hook("attach '<baseline>' as base (read_only)"), REFUSED_FILE),
    "wall_attach_other_group": (hook("attach '<others>' as theirs (read_only)"), REFUSED_FILE),
    "wall_attach_other_group_relative": (
        hook("attach '<others_relative>' as theirs (read_only)"),
        REFUSED_FILE,
    ),
    "wall_overwrite_shipped_raw_data": (
        hook("copy (select 42 as x) to '<raw>/employees.csv'"),
        REFUSED_FILE,
    ),
    "wall_read_shipped_raw_data": ("select * from read_csv('<raw>/employees.csv')", REFUSED_FILE),
    "wall_install_extension": (hook("install httpfs"), REFUSED_FILE),
    "wall_load_extension": (hook("load httpfs"), "Loading external extensions is disabled"),
    "wall_turn_external_access_on": (hook("set enable_external_access = true"), LOCKED),
    "wall_widen_allowed_directories": (hook("set allowed_directories = ['/']"), LOCKED),
    "wall_reset_allowed_directories": (hook("reset allowed_directories"), LOCKED),
    "wall_unlock_configuration": (hook("set lock_configuration = false"), LOCKED),
}

# The same kinds of statement inside the sandbox work, so the refusals above are the wall's.
ALLOWED = {
    "wall_ok_copy_into_build_folder": hook(
        "copy (select 42 as x) to '../people_ops/inside.csv'",
        "select count(*) as n from {{ ref('data_platform', 'dim_animals') }}",
    ),
    "wall_ok_attach_inside": (
        "{{ config(pre_hook=\"attach '../people_ops/scratch.duckdb' as scratch\", "
        "post_hook='detach scratch') }}\nselect 1 as x\n"
    ),
    "wall_ok_raw_data": "select count(*) as n from {{ source('hr_system', 'employees') }}\n",
    # Spoils the sandbox's own copy of one raw file; the next build puts it right.
    "wall_ok_spoil_own_raw_copy": hook("copy (select 42 as x) to '../raw/donations.csv'"),
}


@dataclass
class Attempt:
    run: ProjectRun
    result: BuildResult
    outside: Path
    sandbox: Path
    others: Path
    log_lines: list[str]

    def node(self, name: str):
        found = [n for n in self.result.nodes if n.name == name]
        assert found, f"{name} did not run:\n{self.result.summary()}"
        return found[0]


@pytest.fixture(scope="module")
def attempt(built_mesh, workspace, repo_root, tmp_path_factory) -> Attempt:
    baseline_work = kit.workspace.mesh_build()
    # A baseline copied from another test process (tests/conftest.py's shared builds) was parsed
    # with that process's packages folder; parse it here, as one built here would have been.
    committed = read_mesh(kit.workspace.committed_mesh)
    parsed = run_dbt(project_run(committed.project(PROJECT), baseline_work), "parse")
    assert parsed.ok, parsed.summary()
    baseline = baseline_work / "data_platform" / "data_platform.duckdb"
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.csv").write_text("secret\n42\n")
    # Another group's sandbox, built: its hub's warehouse file.
    others = kit.workspace.sandboxes / "other_group" / "attack" / "build" / "data_platform"
    others.mkdir(parents=True)
    shutil.copy2(baseline, others / "data_platform.duckdb")
    others = others / "data_platform.duckdb"

    sandbox = kit.workspace.sandboxes / "wall_test" / "attack" / "mesh"
    shutil.copytree(repo_root / "mesh_projects", sandbox)
    work = kit.workspace.mesh_build(sandbox)
    assert work == sandbox.parent / "build"
    seed_from_baseline(work, baseline_work)
    sync_raw_copy(work / RAW_COPY)
    models = sandbox / PROJECT / "models" / "wall"
    models.mkdir()
    places = {
        "<outside>": str(outside),
        "<baseline>": str(baseline),
        "<others_relative>": "../../../../" + str(others.relative_to(kit.workspace.sandboxes)),
        "<others>": str(others),
        "<raw>": str(raw_data_dir()),
    }
    for name, (sql, _) in ATTACKS.items():
        for mark, place in places.items():
            sql = sql.replace(mark, place)
        (models / f"{name}.sql").write_text(sql.rstrip() + "\n")
    for name, sql in ALLOWED.items():
        (models / f"{name}.sql").write_text(sql)

    run = project_run(read_mesh(sandbox).project(PROJECT), work)
    log = LogTail(run.log_dir / "dbt.log")
    result = run_dbt(run, "build", ["--select", "path:models/wall"])
    return Attempt(
        run,
        result,
        outside,
        sandbox,
        others,
        log.lines(),
    )


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_each_statement_reaching_outside_the_sandbox_fails_the_build(attempt, name):
    node = attempt.node(name)
    assert node.status == "error", f"{name}: {node.status} {node.message}"
    assert ATTACKS[name][1] in node.message, node.message
    assert not attempt.result.ok


def test_nothing_is_written_outside_the_sandbox(attempt):
    assert sorted(p.name for p in attempt.outside.iterdir()) == ["secret.csv"]
    assert not (attempt.sandbox.parent / "marker.csv").exists()
    assert not list(attempt.sandbox.parent.parent.parent.rglob("marker.csv"))


def test_the_same_statements_inside_the_sandbox_and_the_raw_data_work(attempt):
    for name in ALLOWED:
        node = attempt.node(name)
        assert node.status == "success", f"{name}: {node.message}"
    assert (attempt.run.work_dir / "inside.csv").read_text().split() == ["x", "42"]


def test_a_spoiled_raw_copy_stays_in_the_sandbox_and_is_put_right(attempt):
    shipped = raw_data_dir() / "donations.csv"
    copy = attempt.run.work_dir.parent / RAW_COPY / "donations.csv"
    assert copy.read_text().split() == ["x", "42"]  # the sandbox spoiled its own copy...
    assert shipped.read_text() != copy.read_text()  # ...not the data every group reads
    sync_raw_copy(copy.parent)  # what every run does first
    assert copy.read_bytes() == shipped.read_bytes()


def test_the_sandbox_reuses_the_baseline_parse(attempt):
    """The wall is part of the profile, which renders the same in every sandbox (relative
    folders), so dbt keeps the parse that the sandbox's build folder was seeded with."""
    assert attempt.log_lines, "dbt wrote no log"
    assert not [line for line in attempt.log_lines if "Unable to do partial parsing" in line]


def test_a_warm_worker_keeps_the_wall_on_every_run(attempt):
    """A worker reopens DuckDB for each run: the second run is walled in as the first was."""
    select = ["--select", "wall_turn_external_access_on", "wall_copy_to_tmp", "wall_ok_raw_data"]
    with DbtWorkerPool() as pool:
        for _ in range(2):
            result = pool.run(attempt.run, "build", select)
            statuses = {n.name: n.status for n in result.nodes}
            assert statuses == {
                "wall_turn_external_access_on": "error",
                "wall_copy_to_tmp": "error",
                "wall_ok_raw_data": "success",
            }, result.summary()
    assert not (attempt.outside / "marker.csv").exists()
