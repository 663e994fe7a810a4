"""Ready dbt workers in a fraction of a second: one process imports dbt, the workers are forks of it.

Importing dbt, dbt-duckdb and dbt-loom takes a few seconds of CPU; a group's first check needs a
worker per project, and a test session or a room starts dozens. So the first worker request
starts a *fork server*: a child process that imports all of dbt once, never runs it, and then
waits. Each worker after that is a fork of the fork server, ready as soon as it exists, sharing
the imported code's memory with its siblings until either writes to it.

The fork server never runs dbt, so no dbt-loom patch, DuckDB file or dbt thread is ever copied
into a worker. A forked worker is set up exactly as a started one would be: its own session
(process group), its working folder, its environment, its stdin and stdout pipes to the pool and
its log file, all handed over through a Unix socket. It then runs the same `serve` loop.

Where forking is not available (no `os.pidfd_open`, or the fork server cannot start), the pool
starts each worker as its own Python process, as before: slower, same results.
"""

from __future__ import annotations

import gc
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

AVAILABLE = hasattr(os, "pidfd_open") and hasattr(socket, "send_fds") and os.name == "posix"
_SRC_DIR = Path(__file__).resolve().parents[2]  # the folder that holds `mesh_workshop`


class ForkServerDown(Exception):
    """The fork server could not start or stopped answering."""


class ForkedWorker:
    """A forked worker, with the parts of `subprocess.Popen` the pool uses.

    The fork server is the worker's parent and reaps it, so its exit code is not known here:
    `poll()` and `wait()` say only that it ended (-1). A pidfd follows the process, so a process
    id reused after the worker ended is never signalled."""

    def __init__(self, pid: int, stdin: int, stdout: int) -> None:
        self.pid = pid
        self.stdin: IO[bytes] = os.fdopen(stdin, "wb", buffering=0)
        self.stdout: IO[bytes] = os.fdopen(stdout, "rb", buffering=0)
        self.returncode: int | None = None
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:  # it already ended
            self._pidfd = None
            self.returncode = -1

    def poll(self) -> int | None:
        if self.returncode is None and self._pidfd is not None:
            if select.select([self._pidfd], [], [], 0)[0]:
                self._ended()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.poll() is None:
            assert self._pidfd is not None
            if not select.select([self._pidfd], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(f"dbt worker {self.pid}", timeout or 0)
            self._ended()
        assert self.returncode is not None
        return self.returncode

    def kill_group(self) -> None:
        """SIGKILL the worker and every process it started (its session), if it still runs."""
        if self.poll() is None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _ended(self) -> None:
        self.returncode = -1
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None

    def __del__(self) -> None:
        if self._pidfd is not None:
            os.close(self._pidfd)


class ForkServer:
    """The parent's handle on the fork server; `fork(...)` is safe from several threads."""

    def __init__(self, start_timeout: float = 120.0) -> None:
        self._lock = threading.Lock()
        self._start_timeout = start_timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self._socket: socket.socket | None = None

    def fork(self, cwd: Path, env: dict[str, str], log_path: Path) -> ForkedWorker:
        """A new worker running `serve` in `cwd` with `env`, its stderr going to `log_path`."""
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        with open(log_path, "wb") as log, self._lock:
            try:
                self._ensure_started()
                assert self._socket is not None
                request = json.dumps({"cwd": str(cwd), "env": env}).encode()
                socket.send_fds(self._socket, [request], [stdin_r, stdout_w, log.fileno()])
                reply = self._read_reply(time.monotonic() + self._start_timeout)
            except (OSError, ForkServerDown) as down:
                for fd in (stdin_r, stdin_w, stdout_r, stdout_w):
                    os.close(fd)
                self._stop()
                raise ForkServerDown(str(down)) from down
            os.close(stdin_r)
            os.close(stdout_w)
        return ForkedWorker(reply["pid"], stdin_w, stdout_r)

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _ensure_started(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        self._stop()
        # Datagram-like: every request and reply arrives whole, with its descriptors.
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        python_path = os.pathsep.join(filter(None, [str(_SRC_DIR), os.environ.get("PYTHONPATH")]))
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "mesh_workshop.dbt.forkserver", str(theirs.fileno())],
                env={**os.environ, "PYTHONPATH": python_path},
                stdin=subprocess.DEVNULL,
                pass_fds=[theirs.fileno()],
                start_new_session=True,  # no Ctrl-C from a notebook reaches it
            )
        finally:
            theirs.close()
        self._socket = ours

    def _read_reply(self, deadline: float) -> dict[str, Any]:
        assert self._socket is not None
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([self._socket], [], [], remaining)[0]:
            raise ForkServerDown("the fork server did not answer in time")
        data = self._socket.recv(4096)
        if not data:
            raise ForkServerDown("the fork server stopped")
        reply = json.loads(data)
        if "pid" not in reply:
            raise ForkServerDown(reply.get("error", "the fork server could not fork"))
        return reply

    def _stop(self) -> None:
        if self._socket is not None:
            self._socket.close()  # the fork server exits when its socket closes
            self._socket = None
        if self._proc is not None:
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None


_shared: ForkServer | None = None
_shared_lock = threading.Lock()


def shared_fork_server() -> ForkServer:
    """This process's fork server (one for every pool: the workers it forks stay separate)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ForkServer()
        return _shared


# --- The fork server process -----------------------------------------------------------------


def main(fd: int) -> None:
    """Import dbt, then fork one worker per request until the socket closes."""
    channel = socket.socket(fileno=fd)
    from . import worker

    worker.import_dbt()
    # Children are reaped by the kernel (the pool follows them by pidfd); no zombies pile up.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    gc.collect()
    gc.freeze()  # what was imported stays shared with the forks instead of being copied by gc
    while True:
        try:
            message, fds, _flags, _addr = socket.recv_fds(channel, 1 << 20, 3)
        except OSError:
            break
        if not message:
            break
        request = json.loads(message)
        if len(fds) != 3:
            for descriptor in fds:
                os.close(descriptor)
            channel.sendall(json.dumps({"error": "a request came without its pipes"}).encode())
            continue
        server = os.getpid()
        pid = os.fork()
        if pid == 0:
            _become_worker(channel, request, fds, worker, server)  # never returns
        for descriptor in fds:
            os.close(descriptor)
        channel.sendall(json.dumps({"pid": pid}).encode())
    os._exit(0)


def _become_worker(
    channel: socket.socket, request: dict[str, Any], fds: list[int], worker: Any, server: int
) -> None:
    try:
        channel.close()
        _die_with_parent(server)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # dbt and DuckDB wait for their own children
        gc.unfreeze()
        os.setsid()  # its own process group: killed as a whole, no Ctrl-C
        for target, descriptor in enumerate(fds):
            os.dup2(descriptor, target)
            os.close(descriptor)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        worker.serve()
    except BaseException as error:  # noqa: BLE001 - a fork must never return into the server's loop
        print(f"dbt worker: could not start ({error!r})", file=sys.stderr, flush=True)
    finally:
        os._exit(1)


def _die_with_parent(server: int) -> None:
    """Have the kernel end this worker when the fork server ends. The fork server ends as soon
    as the process that uses it does (its socket closes), so a notebook kernel that is killed
    mid-build takes its dbt workers with it, instead of leaving them holding the sandbox's
    DuckDB files while the next kernel starts the next check."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return  # not Linux: the worker ends when its stdin closes, after the current build
    if os.getppid() != server:  # the fork server had already ended
        os._exit(1)


if __name__ == "__main__":
    main(int(sys.argv[1]))
