"""Warm dbt workers build like the CLI, see every change, free the DuckDB file, and never linger."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import psutil  # comes with ipykernel
import pytest

from conftest import holding
from mesh_workshop.api import kit
from mesh_workshop.dbt.runner import ProjectRun, run_dbt
from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.errors import WarehouseLocked
from mesh_workshop.mesh.build import project_run
from mesh_workshop.mesh.layout import read_mesh

HUB_MODEL = ["--select", "dim_regions"]
SPOKE_MODEL = ["--select", "rescue_pipeline_monthly"]  # reads data_platform's dim_regions


@pytest.fixture
def mesh_copy(built_mesh, tmp_path, workspace):
    """A copy of the mesh and of its build folder, to change and rebuild without touching the repo."""
    projects = tmp_path / "mesh"
    shutil.copytree(kit.workspace.committed_mesh, projects)
    work = tmp_path / "work"
    shutil.copytree(workspace / "mesh", work)
    return projects, work


@pytest.fixture
def runs(mesh_copy) -> dict[str, ProjectRun]:
    projects, work = mesh_copy
    layout = read_mesh(projects)
    return {p.name: project_run(p, work) for p in layout.projects}


@pytest.fixture
def pool():
    with DbtWorkerPool(timeout=300) as workers:
        yield workers


def _statuses(result) -> dict[str, str]:
    return {n.unique_id: n.status for n in result.nodes}


def _file_opens_in_another_process(path: Path) -> subprocess.CompletedProcess:
    """Open the DuckDB file read-write from a fresh process, as a notebook or a build would."""
    return subprocess.run(
        [sys.executable, "-c", f"import duckdb; duckdb.connect({str(path)!r}).close()"],
        capture_output=True,
        text=True,
    )


def _process_group(pgid: int) -> list[int]:
    """Live processes of a worker's process group: the worker and whatever it started."""
    found = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) == pgid and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process.pid)
        except (ProcessLookupError, psutil.NoSuchProcess):
            pass
    return found


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_a_warm_worker_gives_the_same_node_statuses_as_the_cli(runs, pool):
    hub = runs["data_platform"]
    cli = run_dbt(hub, "build", HUB_MODEL)
    first = pool.run(hub, "build", HUB_MODEL)
    pid = pool.pid(hub)
    again = pool.run(hub, "build", HUB_MODEL)

    assert cli.ok and first.ok and again.ok, first.summary()
    assert _statuses(first) == _statuses(cli) == _statuses(again)
    assert first.count("model") == {"success": 1} and first.count("test")["pass"] >= 5
    assert pool.pid(hub) == pid, "the second build should reuse the warm worker"
    assert first.log_path == cli.log_path and first.command[:2] == ("dbt", "build")


def test_an_edited_model_and_its_yaml_are_picked_up_by_the_next_request(runs, pool):
    hub = runs["data_platform"]
    assert pool.run(hub, "build", HUB_MODEL).ok
    sql = hub.project_dir / "models/marts/core/dim_regions.sql"
    sql.write_text(
        sql.read_text().replace(
            "regions.region_name,", "regions.region_name,\n        'reviewed' as review_status,"
        )
    )
    yml = hub.project_dir / "models/marts/core/_core__models.yml"
    yml.write_text(yml.read_text().replace("          - WE\n", "", 1))  # region WE now 'invalid'

    result = pool.run(hub, "build", HUB_MODEL)

    assert not result.ok
    failed = {n.name: n.status for n in result.failed_nodes}
    assert list(failed.values()) == ["fail"] and "accepted_values" in next(iter(failed))
    assert result.count("model") == {"success": 1}
    with duckdb.connect(str(hub.warehouse), read_only=True) as con:
        columns = [row[0] for row in con.execute("describe main.dim_regions").fetchall()]
    assert "review_status" in columns


def test_the_warehouse_files_are_free_as_soon_as_a_build_returns(runs, pool):
    hub, spoke = runs["data_platform"], runs["rescue_operations"]
    assert pool.run(spoke, "build", SPOKE_MODEL).ok

    opened = _file_opens_in_another_process(spoke.warehouse)
    assert opened.returncode == 0, opened.stderr
    # The spoke attached the hub's file read-only; the hub's own build needs it back at once.
    assert run_dbt(hub, "build", HUB_MODEL).ok

    model = spoke.project_dir / "models/marts/rescue_operations/rescue_pipeline_monthly.sql"
    model.write_text(model.read_text().replace("select", "selec", 1))
    broken = pool.run(spoke, "build", SPOKE_MODEL)
    assert not broken.ok and broken.count("model") == {"error": 1}
    opened = _file_opens_in_another_process(spoke.warehouse)
    assert opened.returncode == 0, opened.stderr


def test_a_spoke_worker_sees_an_upstream_model_added_after_it_started(runs, pool):
    hub, spoke = runs["data_platform"], runs["rescue_operations"]
    assert pool.run(spoke, "build", SPOKE_MODEL).ok
    pid = pool.pid(spoke)
    reader = spoke.project_dir / "models/marts/rescue_operations/region_roll_call.sql"
    reader.write_text("select region_id from {{ ref('data_platform', 'dim_region_codes') }}\n")

    missing = pool.run(spoke, "build", ["--select", "region_roll_call"])
    assert not missing.ok
    assert "'dim_region_codes' in package or project 'data_platform' which was not found" in (
        missing.error
    )

    core = hub.project_dir / "models/marts/core"
    (core / "dim_region_codes.sql").write_text("select region_id from {{ ref('dim_regions') }}\n")
    (core / "_region_codes.yml").write_text(
        textwrap.dedent(
            """\
            models:
              - name: dim_region_codes
                description: One row per region code.
                config:
                  access: public
            """
        )
    )
    assert pool.run(hub, "build", ["--select", "dim_region_codes"]).ok

    found = pool.run(spoke, "build", ["--select", "region_roll_call"])

    assert found.ok, found.summary()
    assert pool.pid(spoke) == pid, "the same warm worker read the new upstream manifest"
    with duckdb.connect(str(spoke.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from main.region_roll_call").fetchone()[0] == 5


def test_a_parse_error_is_reported_like_the_cli_reports_it(runs, pool):
    spoke = runs["people_ops"]
    model = spoke.project_dir / "models/marts/people_ops/dim_volunteers.sql"
    model.write_text(
        model.read_text().replace("select", "select {{ ref('data_platform', 'nope') }},", 1)
    )
    select = ["--select", "dim_volunteers"]

    worker, cli = pool.run(spoke, "build", select), run_dbt(spoke, "build", select)

    assert not worker.ok and not cli.ok
    assert worker.nodes == cli.nodes == ()
    line = (
        "depends on a node named 'nope' in package or project 'data_platform' which was not found"
    )
    assert line in worker.error and line in cli.error


def test_each_request_runs_with_the_environment_of_its_project_run(runs, pool, tmp_path):
    spoke = runs["rescue_operations"]
    without_loom = dataclasses.replace(
        spoke, extra_env=(*spoke.extra_env, ("DBT_LOOM_CONFIG", str(tmp_path / "none.yml")))
    )
    assert pool.run(spoke, "build", SPOKE_MODEL).ok
    pid = pool.pid(spoke)

    unresolved = pool.run(without_loom, "build", SPOKE_MODEL)
    assert not unresolved.ok and "which was not found" in unresolved.error

    assert pool.run(spoke, "build", SPOKE_MODEL).ok, "the environment was put back"
    assert pool.pid(spoke) == pid


def test_a_locked_file_raises_warehouse_locked_naming_the_holder(runs, pool):
    spoke = runs["people_ops"]
    pid = pool.start(spoke)
    with holding(spoke.warehouse) as holder:
        with pytest.raises(WarehouseLocked) as info:
            pool.run(spoke, "build", ["--select", "dim_volunteers"])
        assert f"PID {holder.pid}" in str(info.value) and f"kill {holder.pid}" in str(info.value)
        assert "people_ops.duckdb" in str(info.value)
    assert pool.run(spoke, "build", ["--select", "dim_volunteers"]).ok
    assert pool.pid(spoke) == pid, "a locked file is not the worker's fault: it stays"


def test_a_killed_worker_is_replaced_by_the_next_request(runs, pool):
    spoke = runs["rescue_operations"]
    pid = pool.start(spoke)
    os.kill(pid, signal.SIGKILL)

    result = pool.run(spoke, "build", SPOKE_MODEL)

    assert result.ok, result.summary()
    assert pool.pid(spoke) not in (None, pid)


def test_a_build_that_overruns_the_timeout_stops_its_worker_and_the_next_one_starts(runs):
    hub = runs["data_platform"]
    with DbtWorkerPool(timeout=0.3) as workers:
        pid = workers.start(hub)
        result = workers.run(hub, "build")
        assert not result.ok
        assert "did not finish within 0.3 s, so its dbt worker was stopped" in result.error
        assert _gone(pid) and workers.pid(hub) is None

        workers.timeout = 300
        assert workers.run(hub, "build", HUB_MODEL).ok


def test_two_threads_never_share_a_worker_at_the_same_time(runs, pool):
    hub = runs["data_platform"]
    results = []

    def build() -> None:
        results.append(pool.run(hub, "build", HUB_MODEL))

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(results) == 2 and all(r.ok for r in results)
    assert _statuses(results[0]) == _statuses(results[1])


def test_closing_the_pool_leaves_no_process_behind(runs):
    workers = DbtWorkerPool()
    hub, spoke = runs["data_platform"], runs["people_ops"]
    assert workers.run(hub, "build", HUB_MODEL).ok
    assert workers.run(spoke, "build", ["--select", "dim_volunteers"]).ok
    pids = [workers.pid(hub), workers.pid(spoke)]
    assert set(pids) <= {c.pid for c in psutil.Process().children(recursive=True)}
    assert all(len(_process_group(pid)) >= 1 for pid in pids)

    workers.close()

    assert all(_gone(pid) for pid in pids)
    # Nor anything a worker started (dbt's multiprocessing starts a resource tracker).
    assert [_process_group(pid) for pid in pids] == [[], []]
    assert workers.pid(hub) is None


def test_an_idle_worker_stops_by_itself(runs):
    with DbtWorkerPool(idle_timeout=0.5) as workers:
        pid = workers.start(runs["people_ops"])
        deadline = time.monotonic() + 20
        while workers.pid(runs["people_ops"]) is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert workers.pid(runs["people_ops"]) is None and _gone(pid)


def test_a_worker_exits_when_the_process_that_started_it_dies(runs):
    spoke = runs["people_ops"]
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""\
                import sys
                from pathlib import Path
                from mesh_workshop.dbt.runner import ProjectRun
                from mesh_workshop.dbt.worker import DbtWorkerPool
                run = ProjectRun({spoke.name!r}, Path({str(spoke.project_dir)!r}),
                                 Path({str(spoke.work_dir)!r}), {spoke.extra_env!r})
                pool = DbtWorkerPool()
                print(pool.start(run), flush=True)
                sys.stdin.readline()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        worker = int(parent.stdout.readline())
        assert not _gone(worker)
    finally:
        parent.kill()  # no chance to clean up: the worker must notice on its own
        parent.wait(timeout=30)
    deadline = time.monotonic() + 30
    while not _gone(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(worker)


def test_memory_stays_flat_over_many_requests_because_dbt_loom_patches_do_not_pile_up(runs, pool):
    spoke = runs["rescue_operations"]
    for _ in range(3):
        assert pool.run(spoke, "ls", SPOKE_MODEL).ok
    process = psutil.Process(pool.pid(spoke))
    before = process.memory_info().rss
    for _ in range(12):
        assert pool.run(spoke, "ls", SPOKE_MODEL).ok
    grown = (process.memory_info().rss - before) / 2**20
    # Piled-up patches keep every run's copy of the hub manifest: ~5 MB more per request.
    assert grown < 25, f"the worker grew by {grown:.0f} MB over 12 requests"


def test_workers_are_forks_of_one_process_that_imported_dbt_once(runs, pool):
    hub, spoke = runs["data_platform"], runs["rescue_operations"]
    pids = [pool.start(hub), pool.start(spoke)]
    parents = {psutil.Process(pid).ppid() for pid in pids}
    assert len(parents) == 1 and os.getpid() not in parents  # one fork server, not this process
    assert "mesh_workshop.dbt.forkserver" in " ".join(psutil.Process(parents.pop()).cmdline())
    assert pool.run(hub, "build", HUB_MODEL).ok
    assert pool.run(spoke, "build", SPOKE_MODEL).ok


def test_a_pool_that_does_not_fork_starts_each_worker_itself_with_the_same_result(runs):
    hub = runs["data_platform"]
    with DbtWorkerPool(timeout=300, fork=False) as started:
        pid = started.start(hub)
        assert psutil.Process(pid).ppid() == os.getpid()
        result = started.run(hub, "build", HUB_MODEL)
    assert result.ok and _statuses(result)
    assert _gone(pid)
