"""The start-here notebook: set-up checks, the group form and the discussion timer.

The checks are plain functions that return values; the form and the timer are small widgets
with stable CSS classes (`rr-group-form`, `rr-timer` and their parts) for browser tests. The
timer counts down in a background thread, so the notebook's kernel stays free while it runs.
"""

from __future__ import annotations

import html
import importlib.metadata as metadata
import platform
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as w
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from ..api import kit
from ..workshop.folders import GroupNameTaken, current_group, group_record, save_group

KIT = "mesh-workshop"
PACKAGES = ("dbt-core", "dbt-duckdb", "dbt-loom", "duckdb")
REINSTALL = (
    "In a terminal, in the kit's folder, run `.venv/bin/python -m pip install -e .` (it installs "
    "the versions the kit was tested with), then restart this notebook's kernel "
    "(Kernel > Restart Kernel)."
)


# ----------------------------------------------------------------------------- set-up checks


@dataclass(frozen=True)
class SetupCheck:
    """One thing the workshop needs, whether it is there, and what to do if it is not."""

    id: str
    ok: bool
    found: str
    todo: str = ""

    def line(self) -> str:
        return f"OK     {self.found}" if self.ok else f"TO DO  {self.found}\n       {self.todo}"


def _pins() -> dict[str, SpecifierSet]:
    """The kit's own version pins, as installed (so they never drift from pyproject.toml)."""
    pins = {}
    for text in metadata.requires(KIT) or []:
        requirement = Requirement(text)
        if requirement.marker is None:
            pins[requirement.name.lower()] = requirement.specifier
    return pins


def _python_check() -> SetupCheck:
    version = platform.python_version()
    try:
        wanted = SpecifierSet(metadata.metadata(KIT)["Requires-Python"] or "")
    except metadata.PackageNotFoundError:
        wanted = SpecifierSet(">=3.10")
    if version in wanted:
        return SetupCheck("python", True, f"Python {version}")
    return SetupCheck(
        "python",
        False,
        f"Python {version}, but the kit needs Python {wanted}",
        "Install a newer Python, then run `make setup PYTHON=python3.12` in the kit's folder.",
    )


def _package_check(name: str, pins: dict[str, SpecifierSet]) -> SetupCheck:
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:
        return SetupCheck(name, False, f"{name} is not installed", REINSTALL)
    wanted = pins.get(name)
    if wanted is None or version in wanted:
        return SetupCheck(name, True, f"{name} {version}")
    return SetupCheck(
        name, False, f"{name} {version}, but the kit is tested with {name}{wanted}", REINSTALL
    )


def expected_raw_tables() -> list[str]:
    """The raw tables the legacy project's sources read, one CSV file each."""
    names = []
    for path in sorted((kit.workspace.monolith_project / "models").rglob("_*sources.yml")):
        for source in (yaml.safe_load(path.read_text()) or {}).get("sources", []):
            names += [table["name"] for table in source.get("tables", [])]
    return sorted(names)


def _raw_data_check() -> SetupCheck:
    wanted = expected_raw_tables()
    missing = [name for name in wanted if not (kit.workspace.raw_data / f"{name}.csv").is_file()]
    if not missing:
        return SetupCheck("raw-data", True, f"raw data: all {len(wanted)} tables in data/raw/")
    return SetupCheck(
        "raw-data",
        False,
        f"raw data: {len(missing)} of {len(wanted)} tables missing in data/raw/ "
        f"(for example `{missing[0]}.csv`)",
        "In a terminal, in the kit's folder, run `.venv/bin/python scripts/generate_data.py`.",
    )


def _monolith_check() -> SetupCheck:
    if kit.monolith_is_built():
        return SetupCheck("monolith", True, "the legacy project `data_platform` is built")
    return SetupCheck(
        "monolith",
        False,
        "the legacy project `data_platform` is not built yet",
        "`build_what_is_missing()` builds it (the next cell does that for you).",
    )


def _mesh_check() -> SetupCheck:
    missing = kit.unbuilt_projects()
    names = len(kit.mesh().projects)
    if not missing:
        return SetupCheck("mesh", True, f"the mesh is built (all {names} projects)")
    return SetupCheck(
        "mesh",
        False,
        f"the mesh is not built yet ({len(missing)} of {names} projects missing, "
        f"for example `{missing[0]}`)",
        "`build_what_is_missing()` builds it (the next cell does that for you).",
    )


def setup_checks() -> list[SetupCheck]:
    """Everything the workshop needs, checked in the order it matters."""
    checks = [_python_check()]
    try:
        pins = _pins()
    except metadata.PackageNotFoundError:
        pins = {}
        checks.append(SetupCheck("kit", False, f"the kit (`{KIT}`) is not installed", REINSTALL))
    checks += [_package_check(name, pins) for name in PACKAGES]
    checks += [_raw_data_check(), _monolith_check(), _mesh_check()]
    return checks


def report(checks: list[SetupCheck]) -> str:
    lines = [check.line() for check in checks]
    todo = sum(not check.ok for check in checks)
    lines.append("")
    lines.append(
        "All set: everything the workshop needs is here."
        if not todo
        else f"{todo} thing{'s' if todo > 1 else ''} to do before the workshop can start."
    )
    return "\n".join(lines)


def build_what_is_missing(say: Callable[[str], None] = print) -> list[SetupCheck]:
    """Build the legacy project and the mesh if they are not built (or wait for the build
    `make lab` started in the background); return the checks again."""
    checks = {check.id: check for check in setup_checks()}
    software = [c for c in checks.values() if c.id not in {"monolith", "mesh"}]
    if not all(c.ok for c in software):
        say("Fix the items marked TO DO above first; the builds need them.")
        return list(checks.values())
    kit.prepare(say)
    return setup_checks()


# -------------------------------------------------------------------------------- group form


def _members(text: str) -> list[str]:
    return [name.strip() for name in re.split(r"[\n,;]+", text) if name.strip()]


class GroupForm:
    """Name the group and its members; saved with `workshop.save_group` in the workshop folder."""

    def __init__(self) -> None:
        self.name = w.Text(
            description="Group name",
            placeholder="for example: Table 4",
            style={"description_width": "initial"},
        )
        self.members = w.Textarea(
            description="Members",
            placeholder="One name per line",
            rows=3,
            style={"description_width": "initial"},
        )
        self.save_button = w.Button(
            description="Save our group", button_style="primary", icon="check"
        )
        self.status = w.HTML()
        self.folder = w.HTML()
        for widget, css in (
            (self.name, "rr-group-form-name"),
            (self.members, "rr-group-form-members"),
            (self.save_button, "rr-group-form-save"),
            (self.status, "rr-group-form-status"),
            (self.folder, "rr-group-form-folder"),
        ):
            widget.add_class(css)
        self.save_button.on_click(lambda _: self.save())
        self.widget = w.VBox([self.name, self.members, self.save_button, self.status, self.folder])
        self.widget.add_class("rr-group-form")
        self.saved_path: Path | None = None
        self._fill_in_saved()

    def _fill_in_saved(self) -> None:
        self.folder.value = (
            f"Saved answers go to <code>{html.escape(str(kit.workspace.saved))}</code>"
        )
        name = current_group()
        if not name:
            return
        record = group_record(name) or {}
        self.name.value = record.get("group", name)
        self.members.value = "\n".join(record.get("members", []))
        self.status.value = f"This laptop plays as <b>{html.escape(self.name.value)}</b>."

    def save(self) -> Path | None:
        try:
            path = save_group(self.name.value, _members(self.members.value))
        except (ValueError, GroupNameTaken) as problem:
            self.status.value = f"<span style='color:#b71c1c'>{html.escape(str(problem))}</span>"
            return None
        self.saved_path = path
        members = _members(self.members.value)
        who = f" ({', '.join(members)})" if members else ""
        self.status.value = (
            f"Saved: <b>{html.escape(self.name.value.strip())}</b>{html.escape(who)}. "
            "The scenario notebooks will use this name."
        )
        return path


# ------------------------------------------------------------------------------------- timer


def clock_text(seconds: float) -> str:
    """Whole seconds left as `mm:ss`, rounded up, so `00:00` means time is really up."""
    whole = max(0, int(-(-seconds // 1)))
    return f"{whole // 60:02d}:{whole % 60:02d}"


class DiscussionTimer:
    """A countdown for a discussion: start, pause, reset; minutes set in the form.

    A background thread refreshes the display every `tick` seconds and stops itself when time is
    up; pause, reset and close stop it and wait for it, so no thread outlives the timer's use.
    """

    def __init__(self, minutes: float = 10, tick: float = 1.0) -> None:
        self.tick = tick
        self.minutes = w.BoundedFloatText(
            value=minutes,
            min=0.01,
            max=180,
            step=1,
            description="Minutes",
            layout={"width": "160px"},
        )
        self.clock = w.HTML()
        self.bar = w.FloatProgress(value=0.0, min=0.0, max=1.0, layout={"width": "260px"})
        self.start_button = w.Button(description="Start", icon="play", button_style="success")
        self.pause_button = w.Button(description="Pause", icon="pause")
        self.reset_button = w.Button(description="Reset", icon="undo")
        self.message = w.HTML()
        for widget, css in (
            (self.minutes, "rr-timer-minutes"),
            (self.clock, "rr-timer-clock"),
            (self.bar, "rr-timer-bar"),
            (self.start_button, "rr-timer-start"),
            (self.pause_button, "rr-timer-pause"),
            (self.reset_button, "rr-timer-reset"),
            (self.message, "rr-timer-message"),
        ):
            widget.add_class(css)
        self.start_button.on_click(lambda _: self.start())
        self.pause_button.on_click(lambda _: self.pause())
        self.reset_button.on_click(lambda _: self.reset())
        self.minutes.observe(self._minutes_changed, "value")
        self.widget = w.VBox(
            [
                w.HBox([self.clock, self.bar]),
                w.HBox([self.minutes, self.start_button, self.pause_button, self.reset_button]),
                self.message,
            ]
        )
        self.widget.add_class("rr-timer")
        self._lock = threading.Lock()
        self._used = 0.0  # seconds counted before the current run
        self._started_at: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._refresh()

    @property
    def duration(self) -> float:
        return float(self.minutes.value) * 60

    @property
    def running(self) -> bool:
        return self._started_at is not None

    @property
    def thread(self) -> threading.Thread | None:
        return self._thread

    def remaining(self) -> float:
        with self._lock:
            used = self._used + (time.monotonic() - self._started_at if self._started_at else 0.0)
        return max(0.0, self.duration - used)

    def start(self) -> None:
        with self._lock:
            if self._started_at is not None or self._used >= self.duration:
                return
            self._started_at = time.monotonic()
            self._stop = threading.Event()
            self._thread = threading.Thread(
                target=self._count_down, args=(self._stop,), name="rr-timer", daemon=True
            )
        self._thread.start()
        self._refresh()

    def pause(self) -> None:
        with self._lock:
            if self._started_at is not None:
                self._used += time.monotonic() - self._started_at
                self._started_at = None
        self._stop_thread()
        self._refresh()

    def reset(self) -> None:
        self._stop_thread()
        with self._lock:
            self._started_at = None
            self._used = 0.0
        self._refresh()

    def close(self) -> None:
        """Stop the countdown and remove the widget."""
        self.reset()
        self.widget.close()

    def _stop_thread(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self._thread = None

    def _count_down(self, stop: threading.Event) -> None:
        while not stop.wait(self.tick):
            if self.remaining() <= 0:
                with self._lock:
                    if self._started_at is not None:
                        self._used = self.duration
                        self._started_at = None
                self._refresh()
                return
            self._refresh()

    def _minutes_changed(self, change: dict) -> None:
        self._refresh()

    def _refresh(self) -> None:
        left = self.remaining()
        running = self.running
        done = left <= 0
        self.clock.value = (
            f"<span style='font-size:2.2em;font-family:monospace'>{clock_text(left)}</span>"
        )
        self.bar.value = 1 - left / self.duration if self.duration else 1.0
        self.start_button.disabled = running or done
        self.pause_button.disabled = not running
        self.minutes.disabled = running
        if done:
            self.widget.add_class("rr-timer-done")
            self.message.value = "<b>Time is up.</b> Finish the sentence you are on, then write down what you agreed."
        else:
            self.widget.remove_class("rr-timer-done")
            self.message.value = (
                "Counting down." if running else ("Paused." if left < self.duration else "Ready.")
            )
