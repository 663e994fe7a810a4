"""The room's one dbt pool: every group's builds on a few shared workers, verdicts unchanged."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mesh_workshop.dbt.room_pool import POOL_ENV, RoomPool, parse_options, room_workers
from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.grading.practice import practice_answers
from mesh_workshop.workshop.session import GroupSession, shared_pool


@pytest.fixture
def workshop(tmp_path, monkeypatch):
    folder = tmp_path / "workshop"
    monkeypatch.setenv("RAINBOW_ROAD_WORKSHOP_DIR", str(folder))
    return folder


class Service:
    """The pool service as a room's server runs it: its own process, on a Unix socket."""

    def __init__(self, socket_path: Path, workers: int) -> None:
        self.socket_path = socket_path
        self.workers = workers
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Service:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mesh_workshop.dbt.room_pool",
                "--socket",
                str(self.socket_path),
                "--workers",
                str(self.workers),
                "--idle-timeout",
                "60",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while not self.socket_path.exists():
            assert self.proc.poll() is None, self.proc.stdout.read().decode()
            assert time.monotonic() < deadline, "the pool service did not start"
            time.sleep(0.05)
        return self

    def status(self) -> dict:
        return RoomPool(self.socket_path).status()

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=30)
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.fixture
def service(tmp_path, monkeypatch):
    socket_path = tmp_path / "pool" / "dbt.sock"
    running = Service(socket_path, workers=2).start()
    monkeypatch.setenv(POOL_ENV, str(socket_path))
    yield running
    running.stop()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, parent = stat.rsplit(")", 1)[1].split()[:2]
            if int(parent) == pid and state != "Z":
                found.append(int(entry.name))
    return found


def test_the_room_size_follows_cores_and_memory():
    assert room_workers(cores=2, memory_mb=24_000) == 2
    assert room_workers(cores=16, memory_mb=64_000) == 16
    assert room_workers(cores=16, memory_mb=8_000) == 5, "a quarter of 8 GB holds 5 workers"
    assert room_workers(cores=1, memory_mb=1_000) == 2, "never fewer than two"


def test_many_groups_share_a_bounded_pool_and_get_a_fresh_checks_verdicts(
    service, workshop, built_mesh
):
    assert isinstance(shared_pool(), RoomPool), "a kernel on a room's server uses the room's pool"
    right, wrong = practice_answers()[:2]  # a scenario's reference solution and its wrong answer
    answers = [right, wrong, right, wrong]  # four groups, each in its own sandbox
    verdicts: dict[str, object] = {}
    errors: list[BaseException] = []
    peak = {"processes": 0, "busy": 0}
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            status = service.status()
            peak["busy"] = max(peak["busy"], status["busy"])
            # The workers are forks of the service's one fork server, its only child.
            processes = sum(len(_children(server)) for server in _children(service.proc.pid))
            peak["processes"] = max(peak["processes"], processes)
            time.sleep(0.1)

    def check(number: int) -> None:
        try:
            answer = answers[number]
            session = GroupSession(answer.scenario, f"Group {number}")
            session.choices.update(answer.choices)
            verdicts[session.group] = session.apply_and_check()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    groups = [threading.Thread(target=check, args=(n,)) for n in range(len(answers))]
    for thread in groups:
        thread.start()
        time.sleep(0.3)  # a room presses close together, not in one instant
    for thread in groups:
        thread.join(timeout=600)
    done.set()
    watcher.join()
    assert not errors, errors
    status = service.status()
    assert peak["busy"] <= 2 and status["max_workers"] == 2
    assert 1 <= peak["processes"] <= 2, f"{peak['processes']} dbt workers in a pool of two"
    assert status["waits"] > 0, "four groups at once waited for a place in a pool of two"
    assert status["workers"] <= 2

    # The two answers checked on a fresh pool of the kernel's own, one group at a time.
    with DbtWorkerPool(idle_timeout=None) as own:
        for number, answer in enumerate(answers[:2]):
            room = verdicts[f"Group {number}"]
            twin = verdicts[f"Group {number + 2}"]
            assert (twin.ok, twin.broken_models) == (room.ok, room.broken_models)
            fresh_session = GroupSession(answer.scenario, f"Fresh {number}", pool=own)
            fresh_session.choices.update(answer.choices)
            fresh = fresh_session.apply_and_check()
            assert room.group == f"Group {number}"
            assert (room.ok, room.broken_projects, room.broken_models, room.error is None) == (
                fresh.ok,
                fresh.broken_projects,
                fresh.broken_models,
                fresh.error is None,
            ), answer.name
            assert [(c.id, c.passed) for c in room.criteria] == [
                (c.id, c.passed) for c in fresh.criteria
            ], answer.name
    assert {verdicts[f"Group {n}"].ok for n in range(len(answers))} == {True, False}


def test_a_stopped_service_fails_the_build_in_plain_words_and_the_kernel_carries_on(
    service, workshop, built_mesh, monkeypatch
):
    answer = practice_answers()[0]
    session = GroupSession(answer.scenario, "Table 1")
    session.choices.update(answer.choices)
    stopped = threading.Event()

    def stop_when_building(progress) -> None:
        if progress.nodes_done > 0 and not stopped.is_set():  # dbt is at work in the service
            stopped.set()
            service.stop(signal.SIGKILL)

    verdict = session.apply_and_check(on_progress=stop_when_building)
    assert stopped.is_set()
    assert not verdict.ok
    interrupted = [e for e in verdict.explanations if e.code == "build_interrupted"]
    assert interrupted, (verdict.explanations, verdict.check.projects if verdict.check else None)
    assert "shared dbt service stopped" in interrupted[0].what_happened
    assert "press Apply & check again" in interrupted[0].lever
    assert GroupSession(answer.scenario, "Table 1").choices == session.choices, "saved work stays"

    # No service at all: the kernel builds with a small pool of its own, and says so in its log.
    pool = shared_pool()
    assert isinstance(pool, RoomPool)
    again = GroupSession(answer.scenario, "Table 1").apply_and_check()
    assert again.ok, again.summary()
    assert pool.fallbacks >= 1

    # The service back (the hub restarts it): the next check goes to it again.
    service.start()
    before = pool.fallbacks
    third = GroupSession(answer.scenario, "Table 1").apply_and_check()
    assert third.ok and pool.fallbacks == before
    pool.close()


def _raw(socket_path: Path, line: bytes) -> dict:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(str(socket_path))
        connection.sendall(line)
        return json.loads(connection.makefile("rb").readline())


def test_the_service_refuses_what_is_not_a_job_and_keeps_serving(service):
    assert "refused" in _raw(service.socket_path, b"not json\n")
    assert "refused" in _raw(service.socket_path, b'{"op": "shell", "cmd": "id"}\n')
    relative = {
        "op": "run",
        "job": {
            "name": "x",
            "project_dir": "a",
            "work_dir": "b",
            "log_dir": "c",
            "command": "build",
            "args": [],
            "env": {},
            "timeout": 5,
        },
    }
    assert "absolute" in _raw(service.socket_path, json.dumps(relative).encode() + b"\n")["refused"]
    assert service.socket_path.stat().st_mode & 0o077 == 0, "only the room's user may connect"
    assert service.status()["max_workers"] == 2


def test_a_second_service_on_the_same_socket_is_refused(service):
    second = subprocess.run(
        [sys.executable, "-m", "mesh_workshop.dbt.room_pool", "--socket", str(service.socket_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode != 0 and "already serves" in second.stderr
    assert service.status()["workers"] >= 0, "the first one still answers"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        ([], "--socket is required"),
        (["--socket"], "--socket needs a value"),
        (["--socket", "/tmp/x", "--workers", "two"], "takes a number, not 'two'"),
        (["--socket", "/tmp/x", "--threads", "2"], "Unknown option '--threads'"),
        (["--socket=/tmp/x", "--timeout=0"], "positive numbers"),
    ],
)
def test_wrong_options_name_the_option_and_show_the_usage(argv, says):
    with pytest.raises(SystemExit) as stopped:
        parse_options(argv)
    assert says in str(stopped.value) and "usage:" in str(stopped.value)
    assert parse_options(["--socket=/tmp/x", "--workers", "3"])["workers"] == 3


def test_a_bounded_pool_serves_the_earliest_press_first(built_mesh, tmp_path):
    from mesh_workshop.mesh.build import project_run
    from mesh_workshop.mesh.layout import read_mesh
    from mesh_workshop.paths import Workspace

    layout = read_mesh(Workspace.current().committed_mesh)
    runs = [project_run(p, tmp_path / "build") for p in layout.projects]
    finished: list[float] = []
    with DbtWorkerPool(idle_timeout=None, max_workers=1) as pool:
        first = threading.Thread(target=pool.run, args=(runs[0], "parse"))
        first.start()  # a cold parse, long enough for the others to queue behind it
        while pool.status()["busy"] == 0:
            time.sleep(0.01)

        def parse(run, priority: float) -> None:
            assert pool.run(run, "parse", priority=priority).ok
            finished.append(priority)

        later = [
            threading.Thread(target=parse, args=(run, priority))
            for run, priority in zip(runs[1:], (30.0, 10.0, 20.0), strict=True)
        ]
        for thread in later:
            thread.start()
            time.sleep(0.05)
        for thread in [first, *later]:
            thread.join(timeout=300)
        assert pool.status()["waits"] == 3
    assert finished == [10.0, 20.0, 30.0], "pressed earlier, served earlier"


def test_the_service_loads_dbt_before_the_room_presses(service):
    deadline = time.monotonic() + 120
    while service.status()["workers"] < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    status = service.status()
    assert status["workers"] == 2 and status["busy"] == 0, status
