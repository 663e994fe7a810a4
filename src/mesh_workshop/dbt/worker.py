"""Warm dbt: one long-lived child process per project that runs `dbtRunner` on request.

`run_dbt` starts a fresh `dbt` process for every build and pays ~1.5 s of Python and dbt start-up
plus a cold parse each time. A worker imports dbt once and then serves builds, so a one-model build
comes back in a fraction of that. It keeps what made the fresh process safe:

- One worker per project folder and build folder. dbt-loom patches dbt's access checks for the
  whole process it runs in; here that process only ever builds the project the patch belongs to,
  as the CLI child did. Before each run the worker puts dbt's original functions back, so the
  patch is applied once per run instead of piling up (it would otherwise keep every run's upstream
  manifests in memory).
- After every run, whatever its outcome, the worker closes dbt-duckdb's DuckDB instance *before*
  it answers: when `run` returns, the project's file and the upstream files it attached are free
  for a notebook or the next project's build.
- dbt-loom reads the upstream manifests afresh on every run (dbt sets its plugins up per
  invocation), so a warm spoke worker sees an upstream project that was rebuilt a moment ago.

Workers are forks of one process that imported dbt once (`forkserver.py`), so a group's first
check does not wait for four Python processes to import dbt each.

The worker speaks JSON lines over its stdin and stdout; dbt's own console output goes to
`logs/dbt_worker.log` in the build folder. It exits when its stdin closes, so it never outlives
the process that started it.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import KitError
from . import forkserver
from .events import DbtEvent, Recorder
from .results import BuildResult, read_run_results
from .runner import LogTail, ProjectRun, _error_excerpt, _raise_if_locked, release_duckdb

LOG_NAME = "dbt_worker.log"
# dbt's events for a node that is done, whatever its outcome; each carries the run's node count.
NODE_DONE_EVENTS = {
    "LogModelResult",
    "LogTestResult",
    "LogSeedResult",
    "LogSnapshotResult",
    "LogNodeResult",
    "LogSkipBecauseError",
}
NodeProgress = Callable[[int, int], None]
_SRC_DIR = Path(__file__).resolve().parents[2]  # the folder that holds `mesh_workshop`


class DbtWorkerPool:
    """Warm dbt workers, one per (project folder, build folder), each started on first use.

    `run` is a drop-in for `run_dbt`: the same `BuildResult`, and `WarehouseLocked` when another
    program holds a DuckDB file. A worker that died is replaced on the next request; one that does
    not answer within `timeout` seconds is stopped and the build reported as failed. Workers idle
    for `idle_timeout` seconds stop (None: never); `close()` stops them all.

    With `max_workers`, the pool is bounded: at most that many worker processes exist and at most
    that many builds run at once, whatever the number of projects and sandboxes, and a build waits
    for a free worker. Workers are then shared: each serves any project, in that project's build
    folder and with its environment, putting dbt's functions back before every run as always, so
    every build finds a warm worker instead of starting one (preferably the worker that last built
    the same project). A project's build folder is never built twice at once. A room's server
    runs one such pool for every group (`room_pool.py`); `worker_log` is then the one file the
    workers' own output goes to, instead of the first project's log folder.
    """

    def __init__(
        self,
        timeout: float = 600.0,
        idle_timeout: float | None = 600.0,
        start_timeout: float = 120.0,
        fork: bool = True,
        max_workers: int | None = None,
        worker_log: Path | None = None,
    ) -> None:
        if max_workers is not None and max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self.timeout = timeout
        self.fork = fork
        self.idle_timeout = idle_timeout
        self.start_timeout = start_timeout
        self.max_workers = max_workers
        self.worker_log = worker_log
        # By (project folder, build folder); a bounded pool's by ("slot", n).
        self._workers: dict[Any, _Worker] = {}
        self._lock = threading.Lock()
        self._room = threading.Condition(self._lock)
        self._building: set[tuple[Path, Path]] = set()  # build folders in use (bounded pools)
        self._waiting: list[tuple[float, int, tuple[Path, Path]]] = []  # (priority, n, folder)
        self._tickets = itertools.count()
        self.waits = 0  # builds that had to wait for a free worker, for the room's status
        self._finalizer = weakref.finalize(self, _stop_all, self._workers, self._lock)

    def run(
        self,
        run: ProjectRun,
        command: str = "build",
        extra: Sequence[str] = (),
        on_node: NodeProgress | None = None,
        priority: float | None = None,
    ) -> BuildResult:
        """Run `dbt <command>` for one project in its warm worker and return what happened.

        `on_node(done, total)` hears about every node dbt finishes (built, failed or skipped).
        In a bounded pool, waiting builds get a worker in the order of `priority` (a wall-clock
        time; default: now): a group's check passes its press's time, so the room's checks
        finish in the order they were pressed instead of all slowly together."""
        run.prepare()
        job = WorkerJob.of(run, command, extra, self.timeout, priority)
        watch = RunWatch(run)
        try:
            reply = self.exchange(job, on_node)
        except WorkerFailed as failed:
            return watch.failed(job, failed.why)
        return watch.result(job, reply)

    def exchange(self, job: WorkerJob, on_node: NodeProgress | None = None) -> dict[str, Any]:
        """Run one job in its project's worker and return the worker's answer (dbt's outcome,
        once DuckDB is closed); `WorkerFailed` says, in plain words, why there is none."""
        worker = self._admit(job)
        try:
            return worker.exchange(job, min(job.timeout, self.timeout), on_node)
        finally:
            self._leave(worker, job)

    def start(self, run: ProjectRun) -> int:
        """Start the project's worker now, so the first build does not wait for dbt to import.
        A bounded pool with no stopped or missing worker starts nothing and returns 0."""
        job = WorkerJob.of(run, "start", (), 0)
        if self.max_workers is None:
            return self._worker(_key(run), run.name).start(job)
        return self._start_shared(job)

    def warm(self) -> int:
        """Start every worker of a bounded pool now (a room's pool, when the hub starts), so
        the room's first checks find dbt loaded; returns how many were started."""
        assert self.max_workers is not None, "only a bounded pool's workers are shared"
        folder = (self.worker_log.parent if self.worker_log else Path.cwd()).resolve()
        job = WorkerJob("dbt", folder, folder, folder, "start", (), dict(os.environ), 1.0)
        started = 0
        for _ in range(self.max_workers):
            try:
                started += self._start_shared(job) > 0
            except DbtWorkerError:
                break  # the first build starts one again and reports the problem
        return started

    def _start_shared(self, job: WorkerJob) -> int:
        with self._lock:
            stopped = [w for w in self._workers.values() if not w.in_use and w.pid is None]
            if len(self._workers) < (self.max_workers or 0):
                worker = self._worker_locked(("slot", len(self._workers)), "dbt")
            elif stopped:
                worker = stopped[0]
            else:
                return 0
            worker.in_use += 1
        try:
            return worker.start(job)
        finally:
            with self._room:
                worker.in_use -= 1
                self._room.notify_all()

    def pid(self, run: ProjectRun) -> int | None:
        """The process id of the project's worker, if one is running."""
        with self._lock:
            worker = self._workers.get(_key(run))
        return worker.pid if worker else None

    def pids(self) -> list[int]:
        """The process ids of every worker that is running."""
        with self._lock:
            workers = list(self._workers.values())
        return [pid for pid in (worker.pid for worker in workers) if pid is not None]

    def close(self) -> None:
        """Stop every worker and wait for it to exit."""
        _stop_all(self._workers, self._lock)

    def release(self, work_root: Path) -> int:
        """Stop the workers that build into `work_root` (a sandbox's build folder) and forget
        them; a later run there starts a new one. Returns how many were running."""
        root = work_root.resolve()
        with self._lock:
            leaving = {
                key: worker
                for key, worker in self._workers.items()
                if isinstance(key[1], Path) and key[1].is_relative_to(root) and not worker.in_use
            }
            for key in leaving:
                del self._workers[key]
        running = sum(worker.pid is not None for worker in leaving.values())
        for worker in leaving.values():
            worker.shutdown()
        return running

    def running(self) -> int:
        """How many worker processes are alive."""
        return len(self.pids())

    def status(self) -> dict[str, Any]:
        """What the pool holds now: its bound, its workers and the builds running or waiting."""
        with self._lock:
            return {
                "max_workers": self.max_workers,
                "workers": self._alive(),
                "busy": sum(w.in_use > 0 for w in self._workers.values()),
                "waits": self.waits,
            }

    def __enter__(self) -> DbtWorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _worker(self, key: tuple[Path, Path], name: str) -> _Worker:
        with self._lock:
            return self._worker_locked(key, name)

    def _worker_locked(self, key: Any, name: str) -> _Worker:
        if key not in self._workers:
            self._workers[key] = _Worker(
                name, self.start_timeout, self.idle_timeout, self.fork, self.worker_log
            )
        return self._workers[key]

    def _alive(self) -> int:
        return sum(worker.pid is not None for worker in self._workers.values())

    def _admit(self, job: WorkerJob) -> _Worker:
        """The worker for the job, marked in use (waiting for a free one in a bounded pool)."""
        key = (job.project_dir, job.work_dir)
        with self._room:
            if self.max_workers is None:
                worker = self._worker_locked(key, job.name)
            else:
                ticket = (job.priority, next(self._tickets), key)
                self._waiting.append(ticket)
                try:
                    waited = False
                    while (worker := self._next(ticket)) is None:
                        if not waited:
                            self.waits += 1
                            waited = True
                        self._room.wait()
                finally:
                    self._waiting.remove(ticket)
                self._building.add(key)
                worker.name = job.name
                worker.last_key = key
            worker.in_use += 1
            worker.last_used = time.monotonic()
            return worker

    def _next(self, ticket: tuple[float, int, tuple[Path, Path]]) -> _Worker | None:
        """A worker for the waiting job `ticket` if it is its turn: the earliest waiting job whose
        build folder is not being built (one folder is never built twice at once: DuckDB would
        refuse), and a worker is free."""
        ready = [t for t in self._waiting if t[2] not in self._building]
        if not ready or min(ready) != ticket:
            return None
        return self._free(ticket[2])

    def _free(self, key: tuple[Path, Path]) -> _Worker | None:
        """An idle worker of a bounded pool, or a new one while there are fewer than the bound:
        preferably the one that last built this project, then one that is running."""
        assert self.max_workers is not None
        idle = [worker for worker in self._workers.values() if not worker.in_use]
        if not idle and len(self._workers) < self.max_workers:
            return self._worker_locked(("slot", len(self._workers)), "dbt")
        idle.sort(key=lambda w: (w.last_key != key, w.pid is None, -w.last_used))
        return idle[0] if idle else None

    def _leave(self, worker: _Worker, job: WorkerJob) -> None:
        with self._room:
            worker.in_use -= 1
            worker.last_used = time.monotonic()
            if self.max_workers is not None:
                self._building.discard((job.project_dir, job.work_dir))
                self._room.notify_all()


def _key(run: ProjectRun) -> tuple[Path, Path]:
    return (run.project_dir.resolve(), run.work_dir.resolve())


def _stop_all(workers: dict[tuple[Path, Path], _Worker], lock: threading.Lock) -> None:
    with lock:
        stopping = list(workers.values())
    for worker in stopping:
        worker.shutdown()


class DbtWorkerError(KitError):
    """A dbt worker could not be started."""


class WorkerFailed(Exception):
    """A job got no answer from its worker; `why` says so in plain words."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class _WorkerDown(Exception):
    """The worker died, never answered, or answered nonsense."""

    def __init__(self, reason: str, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.timed_out = timed_out


@dataclass(frozen=True)
class WorkerJob:
    """One dbt run as plain data: what a worker needs, and all a room's dbt pool is sent."""

    name: str
    project_dir: Path
    work_dir: Path
    log_dir: Path
    command: str
    args: tuple[str, ...]
    env: dict[str, str]
    timeout: float
    priority: float = 0.0  # a wall-clock time: a bounded pool serves the earliest first

    @classmethod
    def of(
        cls,
        run: ProjectRun,
        command: str,
        extra: Sequence[str],
        timeout: float,
        priority: float | None = None,
    ) -> WorkerJob:
        # The whole environment, as `run_dbt` gives its child: what the caller set counts too.
        return cls(
            name=run.name,
            project_dir=run.project_dir.resolve(),
            work_dir=run.work_dir.resolve(),
            log_dir=run.log_dir.resolve(),
            command=command,
            args=(*run.cli_args(command, extra), "--quiet"),
            env={**os.environ, **run.env()},
            timeout=timeout,
            priority=time.time() if priority is None else priority,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "project_dir": str(self.project_dir),
            "work_dir": str(self.work_dir),
            "log_dir": str(self.log_dir),
            "command": self.command,
            "args": list(self.args),
            "env": dict(self.env),
            "timeout": self.timeout,
            "priority": self.priority,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WorkerJob:
        """A job read back from JSON; the room's dbt pool refuses anything else."""
        strings = ("name", "project_dir", "work_dir", "log_dir", "command")
        if not all(isinstance(data.get(key), str) for key in strings):
            raise ValueError("a job needs name, project_dir, work_dir, log_dir and command")
        args, env, timeout = data.get("args"), data.get("env"), data.get("timeout")
        if not (isinstance(args, list) and all(isinstance(a, str) for a in args)):
            raise ValueError("a job's args are a list of strings")
        if not (
            isinstance(env, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())
        ):
            raise ValueError("a job's env maps strings to strings")
        if not isinstance(timeout, (int, float)) or timeout <= 0:
            raise ValueError("a job's timeout is a positive number of seconds")
        priority = data.get("priority", time.time())
        if not isinstance(priority, (int, float)):
            raise ValueError("a job's priority is a number (a wall-clock time)")
        paths = [Path(data[key]) for key in ("project_dir", "work_dir", "log_dir")]
        if not all(path.is_absolute() for path in paths):
            raise ValueError("a job's folders are absolute paths")
        return cls(
            data["name"],
            *paths,
            data["command"],
            tuple(args),
            dict(env),
            float(timeout),
            float(priority),
        )


class RunWatch:
    """What one run's result is read from: its results file and the lines dbt logs meanwhile."""

    def __init__(self, run: ProjectRun) -> None:
        self.run = run
        run.work_dir.mkdir(parents=True, exist_ok=True)
        self.results_file = run.target_dir / "run_results.json"
        self.results_file.unlink(missing_ok=True)
        self.log = LogTail(run.log_dir / "dbt.log")
        self.started = time.perf_counter()

    def failed(self, job: WorkerJob, why: str) -> BuildResult:
        return BuildResult(
            project=self.run.name,
            ok=False,
            elapsed=time.perf_counter() - self.started,
            nodes=read_run_results(self.results_file) if self.results_file.exists() else (),
            error=why,
            log_path=str(self.run.log_dir / "dbt.log"),
            command=("dbt", *job.args),
        )

    def result(self, job: WorkerJob, reply: dict[str, Any]) -> BuildResult:
        elapsed = time.perf_counter() - self.started
        output = reply["output"]
        if reply["exception"] and reply["exception"] not in output:
            output += "\nEncountered an error:\n" + reply["exception"]
        _raise_if_locked(output)
        nodes = read_run_results(self.results_file) if self.results_file.exists() else ()
        return BuildResult(
            project=self.run.name,
            ok=bool(reply["success"]),
            elapsed=elapsed,
            nodes=nodes,
            error="" if reply["success"] else _error_excerpt(output, nodes),
            log_path=str(self.run.log_dir / "dbt.log"),
            command=("dbt", *job.args),
            warnings=self.log.warnings(),
            events=tuple(DbtEvent.from_dict(event) for event in reply.get("events", [])),
        )


class _Worker:
    """The parent's handle on one worker process. `lock` keeps one request at a time."""

    def __init__(
        self,
        name: str,
        start_timeout: float,
        idle_timeout: float | None,
        fork: bool = True,
        log_file: Path | None = None,
    ) -> None:
        self.name = name  # the project it builds (a shared worker's: the current job's)
        self.last_key: tuple[Path, Path] | None = None
        self._log_file = log_file
        self._fork = fork
        self.lock = threading.Lock()
        self.in_use = 0  # jobs given to it and not finished (the pool's lock guards it)
        self.last_used = time.monotonic()
        self._start_timeout = start_timeout
        self._idle_timeout = idle_timeout
        self._proc: subprocess.Popen[bytes] | forkserver.ForkedWorker | None = None
        self._buffer = b""
        self._on_node: NodeProgress | None = None
        self._log_path: Path | None = None
        self._idle_timer: threading.Timer | None = None

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def start(self, job: WorkerJob) -> int:
        with self.lock:
            self._cancel_idle_timer()
            try:
                self._ensure_started(job)
            except _WorkerDown as down:
                tail = self._stop(kill=True)
                raise DbtWorkerError(
                    f"The dbt worker for `{self.name}` did not start ({down}).",
                    f"Last lines of {self._log_path}:\n{tail}" if tail else "",
                ) from down
            except BaseException:
                self._stop(kill=True)
                raise
            finally:
                self._arm_idle_timer()
            assert self._proc is not None
            return self._proc.pid

    def exchange(
        self, job: WorkerJob, timeout: float, on_node: NodeProgress | None = None
    ) -> dict[str, Any]:
        """The worker's answer to one job; `WorkerFailed` when it gave none."""
        with self.lock:
            self._cancel_idle_timer()
            self._on_node = on_node
            try:
                job.work_dir.mkdir(parents=True, exist_ok=True)
                request = {"args": list(job.args), "env": job.env, "cwd": str(job.work_dir)}
                reply = self._exchange(job, request, timeout)
            except _WorkerDown as down:
                tail = self._stop(kill=True)
                raise WorkerFailed(self._explain(job.command, down, tail, timeout)) from down
            except BaseException:
                # Interrupted mid-request (Ctrl-C in a notebook): the worker's state is unknown, so
                # it goes, and the next request starts a fresh one.
                self._stop(kill=True)
                raise
            finally:
                self._on_node = None
                self._arm_idle_timer()
            if not reply.get("released", False):
                # The worker could not close DuckDB, so it exits: the OS releases the file.
                self._stop(kill=False)
            return reply

    def shutdown(self) -> None:
        self._cancel_idle_timer()
        if self.lock.acquire(timeout=1.0):
            try:
                self._stop()
            finally:
                self.lock.release()
        else:
            # A request is running in another thread: end the worker; that thread reaps it.
            self._kill_group()

    def _exchange(self, job: WorkerJob, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and return the worker's answer, once it has closed DuckDB."""
        for attempt in (1, 2):
            try:
                self._ensure_started(job)
                deadline = time.monotonic() + timeout  # starting a worker is not the build's time
                self._send(request)
                self._read(deadline, expect="accepted")
                break
            except _WorkerDown as down:
                if attempt == 2 or down.timed_out:
                    raise
                # It died before it took the request (killed while idle): a fresh one, once.
                self._stop(kill=True)
        return self._read(deadline, expect="success")

    def _explain(self, command: str, down: _WorkerDown, log_tail: str, timeout: float) -> str:
        if down.timed_out:
            what = f"`dbt {command}` for `{self.name}` did not finish within {timeout:g} s, so its dbt worker was stopped."
            hint = "Run it again (a fresh worker starts by itself), with a longer `timeout` if it needs one."
        else:
            what = f"The dbt worker for `{self.name}` stopped during `dbt {command}` ({down})."
            hint = "Run it again: a fresh worker starts by itself."
        if log_tail:
            hint += f"\nLast lines of {self._log_path}:\n{log_tail}"
        return f"{what}\n{hint}"

    def _ensure_started(self, job: WorkerJob) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        self._stop(kill=True)
        self._log_path = self._log_file or job.log_dir / LOG_NAME
        self._log_path.parent.mkdir(parents=True, exist_ok=True)
        job.work_dir.mkdir(parents=True, exist_ok=True)
        # A shared worker starts beside its log: a sandbox it builds may be removed later.
        cwd = self._log_path.parent if self._log_file else job.work_dir
        self._proc = None
        if self._fork and forkserver.AVAILABLE:
            try:
                self._proc = forkserver.shared_fork_server().fork(cwd, job.env, self._log_path)
            except forkserver.ForkServerDown:
                self._proc = None  # start it the slow way below
        if self._proc is None:
            self._proc = self._popen(job)
        self._buffer = b""
        try:
            self._read(time.monotonic() + self._start_timeout, expect="ready")
        except _WorkerDown as down:
            if down.timed_out:
                raise _WorkerDown(f"it did not start within {self._start_timeout:.0f} s") from down
            raise

    def _popen(self, job: WorkerJob) -> subprocess.Popen[bytes]:
        """A worker started as a Python process of its own (imports dbt itself)."""
        assert self._log_path is not None
        python_path = os.pathsep.join(filter(None, [str(_SRC_DIR), os.environ.get("PYTHONPATH")]))
        with open(self._log_path, "wb") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "mesh_workshop.dbt.worker"],
                cwd=self._log_path.parent if self._log_file else job.work_dir,
                env={**job.env, "PYTHONPATH": python_path},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,  # its own process group: killed as a whole, no Ctrl-C
                bufsize=0,
            )

    def _send(self, message: dict[str, Any]) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        data = (json.dumps(message) + "\n").encode()
        try:
            while data:
                data = data[self._proc.stdin.write(data) :]
        except (BrokenPipeError, ConnectionResetError) as gone:
            raise _WorkerDown("it was gone") from gone

    def _read(self, deadline: float, expect: str) -> dict[str, Any]:
        """The next answer that says `expect`; progress lines on the way go to `on_node`."""
        while True:
            message = self._read_line(deadline)
            if "progress" not in message:
                break
            if self._on_node is not None:
                self._on_node(message["progress"]["done"], message["progress"]["total"])
        if expect not in message:
            raise _WorkerDown(f"unexpected answer {json.dumps(message)[:200]!r}")
        return message

    def _read_line(self, deadline: float) -> dict[str, Any]:
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _WorkerDown("no answer in time", timed_out=True)
            readable, _, _ = select.select([fd], [], [], remaining)
            if not readable:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                try:
                    code = self._proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    raise _WorkerDown("it closed its output but has not exited") from None
                raise _WorkerDown("it exited" if code == -1 else f"exit code {code}")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return json.loads(line)

    def _stop(self, kill: bool = False) -> str:
        """End the worker (politely unless `kill`), reap it, and return the end of its log."""
        proc = self._proc
        if proc is None:
            return ""
        if proc.poll() is None and not kill:
            try:
                proc.stdin.close()  # type: ignore[union-attr]
                proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if proc.poll() is None:
            _kill_group(proc)
        for pipe in (proc.stdin, proc.stdout):
            try:
                pipe.close()  # type: ignore[union-attr]
            except OSError:
                pass
        self._proc = None
        return self._log_tail()

    def _kill_group(self) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            _kill_group(proc, wait=False)

    def _log_tail(self, lines: int = 15) -> str:
        if self._log_path is None or not self._log_path.is_file():
            return ""
        return "\n".join(self._log_path.read_text(errors="replace").strip().splitlines()[-lines:])

    def _arm_idle_timer(self) -> None:
        if self._idle_timeout is None or self._proc is None:
            return
        self._idle_timer = threading.Timer(self._idle_timeout, self._stop_if_idle)
        self._idle_timer.daemon = True
        self._idle_timer.start()

    def _cancel_idle_timer(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None

    def _stop_if_idle(self) -> None:
        # Busy means a request came in after the timer was set; it sets a new one when done.
        if self.lock.acquire(blocking=False):
            try:
                self._stop()
            finally:
                self.lock.release()


def _kill_group(proc: subprocess.Popen[bytes] | forkserver.ForkedWorker, wait: bool = True) -> None:
    if isinstance(proc, forkserver.ForkedWorker):
        proc.kill_group()
    else:
        # Only while the worker is not reaped yet, so its id cannot belong to another process.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if wait:
        proc.wait(timeout=30)


# --- The worker process ----------------------------------------------------------------------


class _OriginalFunctions:
    """dbt's functions that dbt-loom replaces, as they were before any run, to put back."""

    def __init__(self) -> None:
        import dbt.contracts.graph.manifest
        import dbt.contracts.graph.nodes
        import dbt.parser.manifest
        import dbt.tracking

        owners = [
            (dbt.contracts.graph.manifest.Manifest, "is_invalid_protected_ref"),
            (dbt.contracts.graph.manifest.Manifest, "is_invalid_private_ref"),
            (dbt.parser.manifest.ManifestLoader, "check_valid_group_config_node"),
            (dbt.contracts.graph.nodes.ModelNode, "from_args"),
            (dbt.tracking, "track"),
        ]
        self._saved = [(owner, name, vars(owner).get(name)) for owner, name in owners]

    def restore(self) -> None:
        for owner, name, original in self._saved:
            if original is not None:
                setattr(owner, name, original)
            elif name in vars(owner):
                delattr(owner, name)


def import_dbt() -> Any:
    """Import dbt and the adapter now rather than during the first build; return `dbtRunner`."""
    import dbt.adapters.duckdb  # noqa: F401
    import dbt_loom  # noqa: F401  (the plugin dbt loads by name on every run)
    from dbt.cli.main import dbtRunner

    return dbtRunner


def serve() -> None:
    """The worker's main loop: one JSON request per line on stdin, one answer line per step."""
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # whatever dbt or DuckDB print lands in the worker log, never in the protocol

    speaking = threading.Lock()  # dbt reports progress from its own threads

    def answer(message: dict[str, Any]) -> None:
        with speaking:
            protocol.write(json.dumps(message) + "\n")
            protocol.flush()

    dbtRunner = import_dbt()
    originals = _OriginalFunctions()
    baseline = dict(os.environ)
    answer({"ready": os.getpid()})
    for line in sys.stdin:
        request = json.loads(line)
        answer({"accepted": True})
        reply = _invoke(dbtRunner, request, originals, baseline, answer)
        sys.stdout.flush()
        answer(reply)
        if not reply["released"]:
            break
    # stdin closed (the pool closed, or its process died). DuckDB is already closed; skip the
    # interpreter's slow teardown of dbt's modules, flushing only the log files, and wait for
    # the resource tracker that dbt's multiprocessing started, so that no process is left.
    logging.shutdown()
    _stop_resource_tracker()
    sys.stdout.flush()
    os._exit(0)


def _stop_resource_tracker() -> None:
    from multiprocessing import resource_tracker

    stop = getattr(resource_tracker._resource_tracker, "_stop", None)  # Python 3.11.7+
    if stop is not None:
        try:
            stop()
        except Exception as error:
            print(f"dbt worker: resource tracker not stopped ({error})", flush=True)


def _invoke(
    runner: Any,
    request: dict[str, Any],
    originals: _OriginalFunctions,
    baseline: dict[str, str],
    answer: Callable[[dict[str, Any]], None] = lambda message: None,
) -> dict[str, Any]:
    messages: list[str] = []
    done = 0
    recorder = Recorder()

    def collect(event: Any) -> None:
        nonlocal done
        if event.info.name in NODE_DONE_EVENTS:
            done += 1
            total = getattr(event.data, "total", 0) or getattr(event.data, "num_models", 0)
            answer({"progress": {"done": done, "total": max(total, done)}})
        if event.info.level in ("info", "warn", "error"):
            messages.append(event.info.msg)

    originals.restore()
    os.environ.clear()
    os.environ.update(request["env"])
    if request.get("cwd"):
        os.chdir(request["cwd"])  # where the project's build runs (its relative paths start there)
    released = True
    try:
        outcome = runner(callbacks=[collect, recorder]).invoke(request["args"])
        success, exception = bool(outcome.success), outcome.exception
    except BaseException as error:  # invoke() catches nearly everything; never die mid-request
        success, exception = False, error
    finally:
        try:
            release_duckdb()
        except Exception as error:
            print(f"dbt worker: could not close DuckDB ({error}); exiting", flush=True)
            released = False
        os.environ.clear()
        os.environ.update(baseline)
    return {
        "success": success,
        "exception": "" if exception is None else str(exception) or type(exception).__name__,
        "output": "\n".join(messages),
        "events": [event.to_dict() for event in recorder.finish(exception)],
        "released": released,
    }


if __name__ == "__main__":
    serve()
