"""One bounded set of dbt workers for a whole room, served to every notebook on the server.

On a laptop each notebook kernel keeps its own warm dbt workers, one per project of the group's
sandbox. On a shared server that would be four worker processes per group, each holding
150-200 MB while it waits: thirty groups would keep gigabytes of idle dbt. So a room's server
runs this service once (`mesh-workshop hub` starts it as a JupyterHub service) and every kernel
sends its dbt runs here instead, through a Unix socket named by `RAINBOW_ROAD_DBT_POOL`.

The service holds one bounded `DbtWorkerPool` (`room_workers()`: one worker per core while memory
allows). A build waits for a free worker; every worker serves any group's project, in that
project's own build folder and with its environment, so each build finds dbt warm instead of
starting it. The workers start with the service, so the room's first checks find dbt loaded; idle
ones stop after `--idle-timeout` seconds (ten minutes) and come back as forks of a process that
keeps dbt loaded. Each group's sandbox, build folder and DuckDB files stay its own; only the
processes are shared.

The kernel keeps everything that reads or prepares files (`RoomPool.run` prepares the run, the
service only runs dbt), and what comes back is the worker's own answer. If the service cannot be
reached the kernel builds with a small pool of its own, so a check still works; if the service
stops during a build, that build fails with a message saying so, and the next one works again.

Protocol: one connection per request. The client sends one JSON line, `{"op": "run", "job":
{...}}`, `{"op": "status"}` or `{"op": "release", "work_root": "..."}`; the service answers with
JSON lines, `{"progress": ...}` while dbt works, then one final line.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .results import BuildResult
from .runner import ProjectRun
from .worker import DbtWorkerPool, NodeProgress, RunWatch, WorkerFailed, WorkerJob

POOL_ENV = "RAINBOW_ROAD_DBT_POOL"
WORKER_MB = 350  # a dbt worker's memory at its largest, measured on the kit's projects, with room
_MAX_REQUEST = 4 << 20  # a job is a few KB (mostly the environment)
_log = logging.getLogger(__name__)


def room_workers(cores: int | None = None, memory_mb: int | None = None) -> int:
    """How many dbt workers a room's server runs: one per core, at least two, and no more than
    a quarter of the server's memory holds."""
    cores = cores or os.cpu_count() or 2
    memory_mb = memory_mb if memory_mb is not None else _memory_mb()
    by_memory = max(1, memory_mb // 4 // WORKER_MB) if memory_mb else cores
    return max(2, min(cores, by_memory))


def _memory_mb() -> int:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return 0
    return pages * size // (1 << 20)


# --- The client, in each notebook's kernel -------------------------------------------------


class RoomPool:
    """A stand-in for `DbtWorkerPool` that sends every run to the room's dbt pool service.

    `run` returns the same `BuildResult` a local pool would. Workers are the service's, so
    `start`, `pid` and `close` do nothing here."""

    def __init__(self, socket_path: str | Path, timeout: float = 600.0) -> None:
        self.socket_path = Path(socket_path)
        self.timeout = timeout
        self.fallbacks = 0  # runs built by the kernel itself because the service was not there
        self._local: DbtWorkerPool | None = None
        self._lock = threading.Lock()

    def run(
        self,
        run: ProjectRun,
        command: str = "build",
        extra: Sequence[str] = (),
        on_node: NodeProgress | None = None,
        priority: float | None = None,
    ) -> BuildResult:
        run.prepare()
        job = WorkerJob.of(run, command, extra, self.timeout, priority)
        watch = RunWatch(run)
        try:
            connection = self._connect()
        except OSError as unreachable:
            _log.warning(
                "The room's dbt pool at %s is not answering (%s)", self.socket_path, unreachable
            )
            with self._lock:
                self.fallbacks += 1
            return self._local_pool().run(run, command, extra, on_node, priority)
        with connection:
            try:
                final = _ask(connection, {"op": "run", "job": job.to_dict()}, on_node)
            except (OSError, ValueError) as lost:
                return watch.failed(
                    job,
                    f"The room's dbt service stopped while `{run.name}` was building ({lost}). "
                    "Nothing you saved is lost: press the button again, and the check starts afresh.",
                )
        if "failed" in final:
            return watch.failed(job, str(final["failed"]))
        if "refused" in final:
            return watch.failed(
                job, f"The room's dbt service refused the build: {final['refused']}"
            )
        return watch.result(job, final["reply"])

    def start(self, run: ProjectRun) -> int:
        return 0  # the service starts workers when builds need them

    def pid(self, run: ProjectRun) -> int | None:
        return None

    def release(self, work_root: Path) -> int:
        """Stop the service's idle workers for `work_root`; 0 when the service is not there."""
        try:
            with self._connect() as connection:
                return int(
                    _ask(connection, {"op": "release", "work_root": str(work_root)}).get(
                        "released", 0
                    )
                )
        except (OSError, ValueError):
            return 0

    def status(self) -> dict[str, Any]:
        """The service's pool: its bound, its workers, the builds running and waiting."""
        with self._connect() as connection:
            return _ask(connection, {"op": "status"})

    def running(self) -> int:
        try:
            return int(self.status().get("workers", 0))
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        if self._local is not None:
            self._local.close()

    def _connect(self) -> socket.socket:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(5.0)
        try:
            connection.connect(str(self.socket_path))
        except OSError:
            connection.close()
            raise
        connection.settimeout(None)
        return connection

    def _local_pool(self) -> DbtWorkerPool:
        with self._lock:
            if self._local is None:
                self._local = DbtWorkerPool(timeout=self.timeout, idle_timeout=120.0, max_workers=2)
            return self._local


def _ask(
    connection: socket.socket, message: dict[str, Any], on_node: NodeProgress | None = None
) -> dict[str, Any]:
    connection.sendall((json.dumps(message) + "\n").encode())
    lines = connection.makefile("rb")
    while True:
        line = lines.readline(_MAX_REQUEST)
        if not line:
            raise ValueError("the service closed the connection")
        answer = json.loads(line)
        if "progress" in answer:
            if on_node is not None:
                on_node(int(answer["progress"]["done"]), int(answer["progress"]["total"]))
            continue
        return answer


# --- The service ---------------------------------------------------------------------------


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        line = self.rfile.readline(_MAX_REQUEST)
        if not line:
            return
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise ValueError("a request is a JSON object")
            answer = self._answer(request)
        except (ValueError, KeyError, TypeError) as refused:
            answer = {"refused": str(refused)}
        self._say(answer)

    def _answer(self, request: dict[str, Any]) -> dict[str, Any]:
        pool = self.server.pool
        op = request.get("op")
        if op == "status":
            return {**pool.status(), "pid": os.getpid(), "pids": pool.pids()}
        if op == "release":
            return {"released": pool.release(Path(str(request["work_root"])))}
        if op != "run":
            raise ValueError(f"unknown op {op!r}")
        job = WorkerJob.from_dict(request["job"])

        def progress(done: int, total: int) -> None:
            self._say({"progress": {"done": done, "total": total}})

        try:
            return {"reply": pool.exchange(job, progress)}
        except WorkerFailed as failed:
            return {"failed": failed.why}

    def _say(self, message: dict[str, Any]) -> None:
        try:
            self.wfile.write((json.dumps(message) + "\n").encode())
            self.wfile.flush()
        except OSError:
            pass  # the notebook went away (its kernel stopped); the build still finishes


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    request_queue_size = 256  # a whole room may press within the same second
    pool: DbtWorkerPool


def serve(
    socket_path: Path,
    workers: int,
    idle_timeout: float = 600.0,
    timeout: float = 600.0,
    ready: threading.Event | None = None,
) -> None:
    """Serve the room's dbt runs on `socket_path` until SIGTERM or SIGINT."""
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    _clear_stale(socket_path)
    pool = DbtWorkerPool(
        timeout=timeout,
        idle_timeout=idle_timeout,
        max_workers=workers,
        worker_log=socket_path.parent / "dbt_workers.log",
    )
    old_mask = os.umask(0o077)  # only the room's own user may connect
    try:
        server = _Server(str(socket_path), _Handler)
    finally:
        os.umask(old_mask)
    server.pool = pool
    # dbt is loaded before the room arrives; later, a worker that idled out comes back as a
    # fork of the fork server, which stays loaded.
    threading.Thread(target=pool.warm, name="rr-warm", daemon=True).start()

    def stop(*_: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
    print(
        f"The room's dbt pool serves {socket_path} with at most {workers} dbt workers "
        f"(idle ones stop after {idle_timeout:g} s).",
        flush=True,
    )
    if ready is not None:
        ready.set()
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        server.server_close()
        pool.close()
        socket_path.unlink(missing_ok=True)


def _clear_stale(socket_path: Path) -> None:
    """Remove a socket a stopped service left; refuse to start beside a running one."""
    if not socket_path.exists():
        return
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(socket_path))
    except OSError:
        socket_path.unlink()
        return
    finally:
        probe.close()
    raise SystemExit(
        f"A dbt pool already serves {socket_path}; stop it first, or give another --socket."
    )


_USAGE = """usage: python -m mesh_workshop.dbt.room_pool --socket PATH [--workers N]
       [--idle-timeout SECONDS] [--timeout SECONDS]

Serve one bounded set of dbt workers to every notebook of a room's server.
  --socket PATH           the Unix socket to listen on (required)
  --workers N             most dbt workers at once (default: one per core, as memory allows)
  --idle-timeout SECONDS  an idle worker stops after this long (default 600)
  --timeout SECONDS       the longest one dbt run may take (default 600)"""


def parse_options(argv: Sequence[str]) -> dict[str, Any]:
    """The service's options; `SystemExit` with the usage for anything else."""
    options: dict[str, Any] = {
        "socket": None,
        "workers": 0,
        "idle-timeout": 600.0,
        "timeout": 600.0,
    }
    words = list(argv)
    while words:
        word = words.pop(0)
        name, _, value = word.removeprefix("--").partition("=")
        if word in ("-h", "--help"):
            raise SystemExit(_USAGE)
        if not word.startswith("--") or name not in options:
            raise SystemExit(f"Unknown option {word!r}.\n\n{_USAGE}")
        if not value:
            if not words:
                raise SystemExit(f"--{name} needs a value.\n\n{_USAGE}")
            value = words.pop(0)
        try:
            options[name] = Path(value) if name == "socket" else type(options[name])(value)
        except ValueError:
            raise SystemExit(f"--{name} takes a number, not {value!r}.\n\n{_USAGE}") from None
    if options["socket"] is None:
        raise SystemExit(f"--socket is required.\n\n{_USAGE}")
    if options["workers"] < 0 or options["idle-timeout"] <= 0 or options["timeout"] <= 0:
        raise SystemExit(
            f"--workers, --idle-timeout and --timeout are positive numbers.\n\n{_USAGE}"
        )
    return options


def main(argv: Sequence[str] | None = None) -> None:
    options = parse_options(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s dbt-pool %(message)s")
    started = time.monotonic()
    serve(
        options["socket"].resolve(),
        options["workers"] or room_workers(),
        options["idle-timeout"],
        options["timeout"],
    )
    print(f"The room's dbt pool stopped after {time.monotonic() - started:.0f} s.", file=sys.stderr)


if __name__ == "__main__":
    main()
