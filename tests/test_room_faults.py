"""Faults in a room: a kernel killed mid-check, a full disk. Saved work survives, the next check
works, and the group reads what happened in plain words.

(The room's dbt service stopping mid-build is in test_room_pool.py; two tabs of one group are in
test_session.py: the second press is refused at once, in this process or another.)"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from mesh_workshop.grading.practice import practice_answers
from mesh_workshop.paths import Workspace
from mesh_workshop.widgets.scenario_app import ScenarioApp
from mesh_workshop.workshop.folders import DECISIONS_FILE
from mesh_workshop.workshop.session import DiskFull, GroupSession


@pytest.fixture
def workshop(tmp_path, monkeypatch):
    folder = tmp_path / "workshop"
    monkeypatch.setenv("RAINBOW_ROAD_WORKSHOP_DIR", str(folder))
    monkeypatch.delenv("RAINBOW_ROAD_DBT_POOL", raising=False)
    return folder


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                state, parent = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:2]
            except OSError:
                continue
            if int(parent) == pid and state != "Z":
                found.append(int(entry.name))
    return found


def _tree(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        for child in _children(todo.pop()):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


KERNEL = textwrap.dedent(
    """
    import json, sys, time
    from mesh_workshop.workshop.session import GroupSession

    session = GroupSession(sys.argv[1], sys.argv[2])
    session.choices.update(json.loads(sys.argv[3]))

    def tell(progress):
        if progress.nodes_done > 0:
            print("building", flush=True)
            time.sleep(600)  # dbt is at work: the test kills this kernel now

    session.apply_and_check(on_progress=tell)
    """
)


def test_a_kernel_killed_mid_check_loses_nothing_and_the_next_check_works(
    workshop, built_mesh, tmp_path
):
    answer = practice_answers()[0]
    script = tmp_path / "kernel.py"
    script.write_text(KERNEL)
    kernel = subprocess.Popen(
        [sys.executable, str(script), answer.scenario, "Table K", json.dumps(answer.choices)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert kernel.stdout.readline().strip() == "building", "the check reached dbt"
        dbt = _tree(kernel.pid)  # the fork server and its dbt workers
        assert dbt, "dbt runs in processes of the kernel's own"
        kernel.send_signal(signal.SIGKILL)  # what "Kernel > Restart" does to a busy kernel
        kernel.wait(timeout=30)
    finally:
        if kernel.poll() is None:
            kernel.kill()
        kernel.stdout.close()
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in dbt) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in dbt if _alive(pid)], "the kernel's dbt workers end with it"

    # The next kernel: the saved decisions are there, and the group is told what happened.
    session = GroupSession(answer.scenario, "Table K")
    assert session.load() and session.choices == {**session.choices, **answer.choices}
    assert session.interrupted_check() is not None
    app = ScenarioApp(answer.scenario, group="Table K", background=False)
    shown = app.result.outputs[0]["data"]["text/markdown"] if app.result.outputs else ""
    assert "did not finish" in shown and "Nothing you saved is lost" in shown, shown

    verdict = session.apply_and_check()
    assert verdict.ok, verdict.summary()
    assert session.interrupted_check() is None, "a finished check clears the notice"


@pytest.fixture
def small_disks():
    """Mount small disks (tmpfs) on folders; all are unmounted at the end, whatever happens."""
    mounted: list[Path] = []

    def mount(folder: Path, size: str) -> None:
        _mount_small_disk(folder, size)
        mounted.append(folder)

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", "--lazy", str(folder)], capture_output=True)


def _mount_small_disk(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"a small disk cannot be mounted here ({mounted.stderr.strip()})")


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return filler


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small disk needs root")
def test_a_full_disk_keeps_the_saved_work_and_says_so(workshop, built_mesh, small_disks):
    right, wrong = practice_answers()[:2]
    small_disks(workshop, "1m")
    sandboxes = Workspace.current().sandbox("Table F", right.scenario).parent
    small_disks(sandboxes, "64k")
    session = GroupSession(right.scenario, "Table F")
    session.choices.update(wrong.choices)
    session.save()
    saved = (session.folder / DECISIONS_FILE).read_text()
    filler = _fill(workshop)

    # The decisions cannot be written: the check stops before a verdict, the old file stays.
    session.choices.update(right.choices)
    with pytest.raises(DiskFull) as full:
        session.apply_and_check()
    assert "disk is full" in full.value.message and "facilitator" in full.value.hint
    assert (session.folder / DECISIONS_FILE).read_text() == saved
    assert not [p for p in session.folder.iterdir() if p.name.endswith(".tmp")]
    filler.unlink()

    # The sandbox cannot be written: the verdict says so, and the decisions are saved.
    verdict = session.apply_and_check()
    assert not verdict.ok and "disk is full" in (verdict.error or ""), verdict.summary()
    assert GroupSession(right.scenario, "Table F").choices == session.choices

    # Space again: the same decisions check as they should.
    subprocess.run(["umount", str(sandboxes)], check=True)
    verdict = session.apply_and_check()
    assert verdict.ok, verdict.summary()
