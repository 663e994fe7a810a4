"""Run dbt on one project, with every output path absolute and outside the committed project.

Two ways, same result value:
- `run_dbt` starts dbt's CLI in a child process. Nothing of dbt (nor dbt-loom's process-wide
  patches, nor DuckDB's file lock) stays in the caller's process: this is what notebooks use.
- `run_dbt_in_process` calls `dbtRunner` inside the current process: faster when warm, used by
  benchmarks and long-lived workers.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import WarehouseLocked
from ..paths import raw_data_dir
from .events import EVENTS_FILE, Recorder, child_command, read_events
from .packages import PACKAGES_ENV, install_shared_packages, packages_dir
from .results import BuildResult, plain, read_run_results

DUCKDB_PATH_ENV = "RAINBOW_ROAD_DUCKDB_PATH"
RAW_DIR_ENV = "RAINBOW_ROAD_RAW_DIR"
RAW_COPY = "raw"  # a mesh build folder's copy of the raw data, beside its projects' folders
_LOCK_RE = re.compile(
    r'Could not set lock on file "(?P<file>[^"]+)": Conflicting lock is held in (?P<holder>.+?) \(PID (?P<pid>\d+)\)'
)


@dataclass(frozen=True)
class ProjectRun:
    """Where one dbt project reads from and writes to."""

    name: str
    project_dir: Path
    work_dir: Path
    extra_env: tuple[tuple[str, str], ...] = ()
    raw_copy: Path | None = None  # a private copy of the raw data this run reads, if any

    def prepare(self) -> None:
        """Make the folders a run needs, install the shared dbt package where `env()` says,
        and put the run's copy of the raw data right."""
        self.work_dir.mkdir(parents=True, exist_ok=True)
        install_shared_packages()
        if self.raw_copy is not None:
            sync_raw_copy(self.raw_copy)

    @property
    def target_dir(self) -> Path:
        return self.work_dir / "target"

    @property
    def log_dir(self) -> Path:
        return self.work_dir / "logs"

    @property
    def warehouse(self) -> Path:
        return self.work_dir / f"{self.name}.duckdb"

    @property
    def manifest_path(self) -> Path:
        return self.target_dir / "manifest.json"

    def env(self) -> dict[str, str]:
        """Environment variables the project's `profiles.yml` and sources read."""
        return {
            DUCKDB_PATH_ENV: str(self.warehouse),
            RAW_DIR_ENV: str(raw_data_dir()),
            PACKAGES_ENV: str(packages_dir()),  # the projects' `packages-install-path`
            # Venue wifi is unreliable and the kit never needs the network: no usage pings.
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_VERSION_CHECK": "false",
            **dict(self.extra_env),
        }

    def cli_args(self, command: str, extra: Sequence[str] = ()) -> list[str]:
        return [
            command,
            "--project-dir",
            str(self.project_dir),
            "--profiles-dir",
            str(self.project_dir),
            "--target-path",
            str(self.target_dir),
            "--log-path",
            str(self.log_dir),
            *extra,
        ]


def sync_raw_copy(copy: Path) -> None:
    """Make `copy` hold the raw data exactly as the kit ships it.

    A mesh build folder reads the raw data from its own copy: SQL in a mesh model may use files
    in the build folder only (`mesh_workshop.dbt.duckdb_wall`), so a model that overwrites a raw
    file spoils its own sandbox's copy, never the data every other group reads, and the copy is
    put right before the next run. Files are compared by size and time, and replaced, never
    written through."""
    copy.mkdir(parents=True, exist_ok=True)
    shipped = {path.name: path for path in raw_data_dir().glob("*.csv")}
    for extra in copy.iterdir():
        if extra.name not in shipped:
            extra.unlink() if extra.is_file() else shutil.rmtree(extra)
    for name, source in shipped.items():
        target = copy / name
        there = target.stat() if target.is_file() else None
        here = source.stat()
        if there is None or (there.st_size, there.st_mtime_ns) != (here.st_size, here.st_mtime_ns):
            target.unlink(missing_ok=True)
            shutil.copy2(source, target)


def run_dbt(run: ProjectRun, command: str = "build", extra: Sequence[str] = ()) -> BuildResult:
    """Run `dbt <command>` for one project in a child process and return what happened."""
    run.prepare()
    results_file = run.target_dir / "run_results.json"
    results_file.unlink(missing_ok=True)
    args = run.cli_args(command, extra)
    log = LogTail(run.log_dir / "dbt.log")
    events_file = run.log_dir / EVENTS_FILE
    events_file.unlink(missing_ok=True)
    started = time.perf_counter()
    proc = subprocess.run(
        child_command(args, events_file),  # dbt's command line, recording dbt's events
        cwd=run.work_dir,
        env={**os.environ, **run.env()},
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    output = proc.stdout + proc.stderr
    _raise_if_locked(output)
    nodes = read_run_results(results_file) if results_file.exists() else ()
    error = "" if proc.returncode == 0 else _error_excerpt(output, nodes)
    return BuildResult(
        project=run.name,
        ok=proc.returncode == 0,
        elapsed=elapsed,
        nodes=nodes,
        error=error,
        log_path=str(run.log_dir / "dbt.log"),
        command=("dbt", *args),
        warnings=log.warnings(),
        events=read_events(events_file),
    )


class LogTail:
    """The lines dbt appends to its log file (`logs/dbt.log`) during one run."""

    WARNING = re.compile(r"\[warn\s*\]\s*\[[^\]]*\]:\s*(?:\[WARNING\]:\s*)?(?P<message>.*)")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = path.stat().st_size if path.is_file() else 0

    def lines(self) -> list[str]:
        if not self.path.is_file():
            return []
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            return plain(handle.read().decode("utf-8", "replace")).splitlines()

    def warnings(self) -> tuple[str, ...]:
        """Warning messages, without repeats, in the order dbt logged them."""
        found: list[str] = []
        for line in self.lines():
            match = self.WARNING.search(line)
            if match and match["message"].strip() and match["message"].strip() not in found:
                found.append(match["message"].strip())
        return tuple(found)


def run_dbt_in_process(
    run: ProjectRun, command: str = "build", extra: Sequence[str] = ()
) -> BuildResult:
    """Run dbt inside this process with `dbtRunner`, then release the DuckDB file."""
    from dbt.cli.main import dbtRunner

    run.prepare()
    args = [*run.cli_args(command, extra), "--quiet"]
    started = time.perf_counter()
    recorder = Recorder()
    with _environment(run.env(), run.work_dir):
        try:
            outcome = dbtRunner(callbacks=[recorder]).invoke(args)
        finally:
            release_duckdb()
    elapsed = time.perf_counter() - started
    error = ""
    if outcome.exception is not None:
        error = str(outcome.exception)
        _raise_if_locked(error)
    results_file = run.target_dir / "run_results.json"
    nodes = (
        read_run_results(results_file)
        if outcome.result is not None and results_file.exists()
        else ()
    )
    return BuildResult(
        project=run.name,
        ok=bool(outcome.success),
        elapsed=elapsed,
        nodes=nodes,
        error=error,
        log_path=str(run.log_dir / "dbt.log"),
        command=("dbt", *args),
        events=tuple(recorder.finish(outcome.exception)),
    )


def release_duckdb() -> None:
    """Close dbt-duckdb's process-wide DuckDB instance so the file lock is released."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    env = getattr(DuckDBConnectionManager, "_ENV", None)
    if env is not None:
        env.close()
        DuckDBConnectionManager._ENV = None


@contextmanager
def _environment(values: dict[str, str], cwd: Path) -> Iterator[None]:
    """The run's environment variables and working folder (the build folder, where the CLI
    child and the warm workers run too, so relative paths in profiles resolve the same way)."""
    saved = {key: os.environ.get(key) for key in values}
    saved_cwd = os.getcwd()
    os.environ.update(values)
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _raise_if_locked(output: str) -> None:
    match = _LOCK_RE.search(output)
    if match:
        raise locked_error(match["file"], match["holder"], match["pid"])


def locked_error(file: str, holder: str, pid: str) -> WarehouseLocked:
    """The plain-language error for a DuckDB file held by another process."""
    return WarehouseLocked(
        f"The warehouse file `{file}` is open in another program (PID {pid}: `{holder.strip()}`), "
        "and DuckDB lets only one program use a file while it is being written.",
        "Close whatever holds it (another notebook's kernel: Kernel > Shut Down Kernel; a DuckDB "
        f"shell or a database browser), or stop it with `kill {pid}`, then try again.",
    )


def _error_excerpt(output: str, nodes: Sequence) -> str:
    """The lines of dbt's output that say why it stopped, when no node result says it."""
    if any(n.failed for n in nodes):
        return ""
    interesting = [
        line.strip()
        for line in output.splitlines()
        if re.search(r"error|Error|not found|not allowed|Exception", line)
    ]
    return "\n".join(interesting[-12:]) or output.strip()[-2000:]
