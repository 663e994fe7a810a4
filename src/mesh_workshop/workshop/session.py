"""A group playing one scenario: its choices and notes, saved; its sandbox, applied and checked.

This is what the notebook widgets drive, and it is plain Python so it can be tested without a
browser. The rules it keeps:

- Saved work comes first. "Apply & check" saves the group's decisions before anything else, and
  nothing that happens afterwards (a bad choice, a failed build, a crash) touches them.
- One check at a time per group and scenario: a second press while one runs is refused at once,
  in this process and in any other one on the machine (a lock file beside the sandbox).
- Every group and scenario has its own sandbox and build folder, so two groups pressing the
  button together never share a DuckDB file. They share only the baseline build, which is read,
  and built at most once at a time.
- dbt stays warm: sessions in one notebook kernel share a pool of dbt worker processes.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from filelock import FileLock, Timeout

from ..dbt.artifacts import read_manifest
from ..dbt.room_pool import POOL_ENV, RoomPool
from ..dbt.worker import DbtWorkerPool
from ..errors import KitError
from ..mesh.build import OK_STATUSES, project_run
from ..mesh.layout import Mesh, read_mesh
from ..paths import Workspace
from ..proposal.baseline import Baseline, current_baseline
from ..proposal.inject import model_homes
from ..proposal.validate import proposal_from_data
from ..scenario import answer
from ..scenario.judge import CriterionResult, judge
from ..scenario.model import Choices, Scenario, ScenarioError, load_scenario
from ..verdict.check import CheckResult, build_markdown
from ..verdict.explain import Explanation, explain
from .folders import (
    PROPOSAL_FILE,
    check_group_name,
    now,
    scenario_folder,
)
from .saved import (
    DECISIONS_VERSION,
    SavedDecisions,
    SavedFileError,
    SavedResult,
    read_decisions,
    read_result,
    write_decisions,
    write_proposal,
    write_result,
)

MAX_NOTE_CHARS = 5000


class SessionBusy(KitError):
    """A check of this group's scenario is already running."""


@dataclass(frozen=True)
class Progress:
    stage: str  # saving | applying | building | judging | done
    text: str
    projects_done: int = 0
    projects_total: int = 0
    nodes_done: int = 0
    nodes_total: int = 0


@dataclass(frozen=True)
class Verdict:
    scenario: str
    group: str
    ok: bool
    criteria: tuple[CriterionResult, ...]
    check: CheckResult | None
    error: str | None
    explanations: tuple[Explanation, ...]
    changed_models: tuple[str, ...]
    broken_models: tuple[str, ...]
    broken_projects: tuple[str, ...]
    elapsed: float
    checked_at: str = field(default_factory=now)
    # When projects would read each other: the refs that close the circle, each as
    # ("project.model" read, "project.model" reading it), for the picture.
    circle: tuple[tuple[str, str], ...] = ()

    def summary(self) -> str:
        """The verdict as Markdown, for the results panel and the debrief."""
        required = [c for c in self.criteria if not c.consequence]
        met = sum(c.passed for c in required)
        head = (
            f"### Solved: all {len(required)} success criteria are met"
            if self.ok
            else f"### Not solved yet: {met} of {len(required)} success criteria met"
        )
        lines = [head, ""]
        if self.error:
            lines += [f"**The mesh could not be built.** {self.error}", ""]
        lines += [
            f"- {'✓ **met**' if c.passed else '✗ **not met**'}: {c.says} _{c.detail}_"
            for c in required
        ]
        lines += consequence_lines(self.criteria)
        if not self.explanations and self.check is not None and self.check.ok:
            lines += [
                "",
                "#### What happened, in plain words",
                "",
                "Every project dbt had to build built, and every test it ran passed.",
            ]
        if self.explanations:
            lines += ["", "#### What happened, in plain words"]
            for e, more in _grouped(self.explanations):
                lines += [
                    "",
                    f"**{e.title}.** {e.what_happened}",
                    "",
                    f"- Who is hit: {e.who_is_hit}",
                    f"- The lever: {e.lever}",
                ]
                if more:
                    lines.append(f"- And {more} more like this (same cause, other models).")
        if self.check is not None:
            lines += ["", "#### The build", "", *build_markdown(self.check.build)]
        lines += ["", f"_Checked in {self.elapsed:.1f} s._"]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "scenario": self.scenario,
            "group": self.group,
            "checked_at": self.checked_at,
            "elapsed": round(self.elapsed, 2),
            "criteria": [c.to_dict() for c in self.criteria],
            "broken_consumers": list(self.check.broken_consumers) if self.check else [],
            "explanations": [
                {
                    "code": e.code,
                    "title": e.title,
                    "what_happened": e.what_happened,
                    "who_is_hit": e.who_is_hit,
                    "lever": e.lever,
                }
                for e in self.explanations
            ],
            "error": self.error,
            "changed_models": list(self.changed_models),
            "broken_models": list(self.broken_models),
            "broken_projects": list(self.broken_projects),
            "circle": [list(edge) for edge in self.circle],
        }


_pool: DbtWorkerPool | RoomPool | None = None
_pool_lock = threading.Lock()
_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[+-]\d\d:\d\d|Z)?")
_running: set[tuple[str, str]] = set()
_running_lock = threading.Lock()


def shared_pool() -> DbtWorkerPool | RoomPool:
    """The warm dbt workers that every session in this process uses: on a room's server
    (`RAINBOW_ROAD_DBT_POOL` set) the room's one bounded pool, shared by every group."""
    global _pool
    with _pool_lock:
        room = os.environ.get(POOL_ENV, "").strip()
        if room and not (isinstance(_pool, RoomPool) and str(_pool.socket_path) == room):
            _pool = RoomPool(room)
        elif not room and not isinstance(_pool, DbtWorkerPool):
            _pool = DbtWorkerPool(idle_timeout=1800.0)
        return _pool


CHECK_LOCK = ".check.lock"  # beside a sandbox: held by the one check of it running now
RUNNING_MARK = ".check.running"  # beside a sandbox while its check runs; left by a check cut short
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


class DiskFull(KitError):
    """The server's disk is full: nothing was overwritten, what was saved before stays."""


def _full(error: OSError) -> bool:
    """Whether the disk was full (a folder copy reports each file that did not fit)."""
    if error.errno in _DISK_FULL:
        return True
    entries = error.args[0] if isinstance(error, shutil.Error) and error.args else ()
    return any(
        isinstance(entry, tuple) and f"[Errno {errno.ENOSPC}]" in str(entry[-1])
        for entry in entries
    )


def disk_full(what: str) -> DiskFull:
    return DiskFull(
        f"The server's disk is full, so {what}.",
        "Everything saved before is kept as it was. Tell the facilitator, who frees some space on "
        "the server (`df -h` shows how much is left), then press Apply & check again.",
    )


class ChoicesRefused(ScenarioError):
    """The group's choices cannot go together: refused before anything is applied or built,
    and no verdict is recorded (the group's last verdict stays)."""


class GroupSession:
    """One group's work on one scenario."""

    def __init__(
        self,
        scenario: str | Scenario,
        group: str,
        workshop: Path | None = None,
        pool: DbtWorkerPool | None = None,
    ) -> None:
        self.scenario = load_scenario(scenario) if isinstance(scenario, str) else scenario
        group = group.strip()
        if not group:
            raise ScenarioError("A group needs a name.", "Type your group's name, e.g. Table 4.")
        check_group_name(group, workshop)
        self.group = group
        self.workshop = workshop
        self.pool = pool
        self.choices: Choices = self.scenario.default_choices()
        self.notes: dict[str, str] = {role.id: "" for role in self.scenario.roles}
        self.summary = ""
        self._proposal: dict | None = None  # the proposal last saved, and its text
        self._proposal_text = ""
        self.load()

    @property
    def folder(self) -> Path:
        return scenario_folder(self.group, self.scenario.id, self.workshop)

    @property
    def sandbox(self) -> Path:
        return Workspace.current().sandbox(self.group, self.scenario.id)

    @property
    def busy(self) -> bool:
        with _running_lock:
            return self._key in _running

    @property
    def _key(self) -> tuple[str, str]:
        return (str(self.sandbox), self.scenario.id)

    # Saved work -----------------------------------------------------------------------------

    def save(self) -> Path:
        """Write the decisions (always) and the proposal they add up to (when it is valid)."""
        notes = {k: v[:MAX_NOTE_CHARS] for k, v in self.notes.items() if v.strip()}
        decisions = SavedDecisions(
            version=DECISIONS_VERSION,
            group=self.group,
            scenario=self.scenario.id,
            choices=self.choices,
            notes=notes,
            summary=self.summary[:MAX_NOTE_CHARS],
            saved_at=now(),
        )
        path = write_decisions(self.folder, decisions)
        try:
            self._proposal = self.scenario.proposal_dict(self.choices, self.group, self.summary)
        except ScenarioError:
            self._proposal = None
            return path  # the decisions are kept; the check says what to change
        header = (
            f"# {self.group}'s answer to '{self.scenario.title}', written from the notebook's form.\n"
            f"# Check it from a terminal with: mesh-workshop check {self.folder / PROPOSAL_FILE}\n"
        )
        self._proposal_text = write_proposal(self.folder, header, self._proposal)
        return path

    def load(self) -> bool:
        """Take the saved decisions, if there are any; unknown levers or options are dropped."""
        try:
            record = read_decisions(self.folder)
        except SavedFileError:
            return False
        choices = self.scenario.default_choices()
        for lever in self.scenario.levers:
            saved = record.choices.get(lever.id)
            values = {o.value for o in lever.options}
            if lever.kind == "multi" and isinstance(saved, list):
                choices[lever.id] = [v for v in saved if v in values]
            elif lever.kind == "choice" and saved in values:
                choices[lever.id] = saved
        self.choices = choices
        self.notes = {r.id: record.notes.get(r.id, "") for r in self.scenario.roles}
        self.summary = record.summary
        return True

    def interrupted_check(self) -> str | None:
        """When this group's last check of the scenario never finished (its notebook's kernel
        stopped, or the server restarted, while it ran): the time it started. None otherwise,
        and while a check is running now."""
        mark = self.sandbox.parent / RUNNING_MARK
        if not mark.is_file():
            return None
        with _running_lock:
            if self._key in _running:
                return None
        lock = FileLock(self.sandbox.parent / CHECK_LOCK)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return None  # another notebook is checking this group right now
        lock.release()
        try:
            started = json.loads(mark.read_text(encoding="utf-8")).get("started_at")
            return started if isinstance(started, str) and _ISO_TIME.fullmatch(started) else now()
        except (OSError, ValueError, AttributeError):
            return now()

    def last_result(self) -> SavedResult | None:
        try:
            return read_result(self.folder)
        except SavedFileError:
            return None

    # Apply and check ------------------------------------------------------------------------

    def apply_and_check(self, on_progress: Callable[[Progress], None] | None = None) -> Verdict:
        """Save, apply the choices to the sandbox, build it with real dbt, judge the result."""
        tell = on_progress or (lambda progress: None)
        with self._exclusive():
            started = time.perf_counter()
            tell(Progress("saving", "Saving your decisions"))
            try:
                self.save()
            except OSError as error:
                if _full(error):
                    raise disk_full("your latest decisions could not be saved") from None
                raise
            try:
                self.scenario.check_choices(self.choices, "Your choices")
            except ScenarioError as problem:
                # Not a verdict: nothing is applied or built, and the last verdict stays.
                raise ChoicesRefused(problem.message, problem.hint) from None
            tell(Progress("applying", "Writing your decisions into your copy of the mesh"))
            try:
                # The proposal just saved, applied as it is in memory (not read back from disk).
                source = self.folder / PROPOSAL_FILE
                proposal = proposal_from_data(self._proposal, source)
                baseline = current_baseline()  # built once per check, for applying and building
                answer.apply(proposal, self._proposal_text, source, self.sandbox, baseline)
                layout = read_mesh(self.sandbox)
            except KitError as problem:
                return self._finish(self._failed(problem, started), tell)
            except OSError as error:
                if not _full(error):
                    raise
                problem = disk_full("your copy of the mesh could not be written")
                return self._finish(self._failed(problem, started), tell)
            work = Workspace.current().mesh_build(self.sandbox)
            check = self._check(layout, tell, baseline)
            if isinstance(check, KitError):
                return self._finish(self._failed(check, started), tell)
            tell(Progress("judging", "Comparing the result with the success criteria"))
            verdict = Verdict(
                scenario=self.scenario.id,
                group=self.group,
                ok=False,
                criteria=judge(self.scenario, check, layout, work),
                check=check,
                error=None,
                explanations=check.explanations,
                changed_models=self._changed_models(),
                broken_models=_broken_models(check, layout, work),
                broken_projects=tuple(
                    o.name for o in check.build.projects if o.status not in OK_STATUSES
                ),
                elapsed=time.perf_counter() - started,
            )
            verdict = _with_ok(verdict)
            return self._finish(verdict, tell)

    def reset(self) -> None:
        """Throw the sandbox and its build away; the saved decisions stay."""
        with self._exclusive():
            answer.reset_sandbox(self.sandbox)

    def warm_up(self) -> threading.Thread:
        """Start dbt in the background for each project of this group's sandbox, so that the
        first press of "Apply & check" does not wait for dbt to load. Safe to call repeatedly."""
        pool = self.pool or shared_pool()
        layout = self.mesh_layout()
        work = Workspace.current().mesh_build(self.sandbox)
        runs = [
            project_run(replace(p, project_dir=self.sandbox / p.name), work)
            for p in (layout.projects if layout else ())
        ]

        def start_all() -> None:
            for run in runs:
                try:
                    pool.start(run)
                except KitError:
                    return  # the first check starts them again and reports any problem

        thread = threading.Thread(target=start_all, name="rr-warm-up", daemon=True)
        thread.start()
        return thread

    def release_workers(self) -> int:
        """Stop the dbt workers of this group's sandbox (the app moved on to another group);
        returns how many were running. The sandbox and saved work stay."""
        pool = self.pool or shared_pool()
        return pool.release(Workspace.current().mesh_build(self.sandbox))

    def mesh_layout(self) -> Mesh | None:
        """The projects of the group's sandbox (the committed mesh before the first check)."""
        for folder in (self.sandbox, Workspace.current().committed_mesh):
            try:
                return read_mesh(folder)
            except KitError:
                continue
        return None

    # Inside ---------------------------------------------------------------------------------

    @contextmanager
    def _exclusive(self):
        with _running_lock:
            if self._key in _running:
                raise SessionBusy(
                    f"`{self.group}` is already checking '{self.scenario.title}'.",
                    "Wait for the result; it appears below in a few seconds.",
                )
            _running.add(self._key)
        lock_path = self.sandbox.parent / CHECK_LOCK
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(lock_path)
        try:
            try:
                lock.acquire(timeout=0)
            except Timeout:
                raise SessionBusy(
                    f"Another notebook is checking `{self.group}`'s '{self.scenario.title}' right now.",
                    "Wait for it to finish, or give this group another name.",
                ) from None
            mark = self.sandbox.parent / RUNNING_MARK
            try:
                mark.write_text(json.dumps({"started_at": now()}), encoding="utf-8")
            except OSError:
                pass  # only a courtesy for the next notebook; a full disk says so elsewhere
            try:
                yield
            finally:
                mark.unlink(missing_ok=True)
        finally:
            if lock.is_locked:
                lock.release()
            with _running_lock:
                _running.discard(self._key)

    def _check(
        self, layout: Mesh, tell: Callable[[Progress], None], baseline: Baseline
    ) -> CheckResult | KitError:
        total = len(layout.projects)
        lock = threading.Lock()
        finished: list[str] = []
        building: dict[str, tuple[int, int]] = {}  # project -> (nodes done, nodes in its run)
        nodes_before = [0, 0]  # nodes done and counted in projects that finished

        def report(text: str) -> None:
            done = nodes_before[0] + sum(d for d, _ in building.values())
            nodes = nodes_before[1] + sum(n for _, n in building.values())
            tell(Progress("building", text, len(finished), total, done, nodes))

        def on_project(project: str, status: str) -> None:
            with lock:
                if status == "building":
                    building[project] = (0, 0)
                    report("Building " + ", ".join(building))
                    return
                done, nodes = building.pop(project, (0, 0))
                nodes_before[0] += done
                nodes_before[1] += nodes
                finished.append(project)
                report(f"{project}: {status}")

        pool = self.pool or shared_pool()
        pressed = time.time()  # on a room's server, checks are served in the order pressed

        def runner(run, command="build", extra=()):
            def on_node(done: int, nodes: int) -> None:
                with lock:
                    building[run.name] = (done, nodes)
                    report(f"Building {run.name}: {done} of {nodes} steps")

            return pool.run(run, command, extra, on_node=on_node, priority=pressed)

        try:
            return answer.check(
                self.sandbox, on_progress=on_project, runner=runner, baseline=baseline
            )
        except KitError as problem:
            return problem
        except OSError as error:
            if not _full(error):
                raise
            return disk_full("dbt could not write your copy's build")

    def _failed(self, problem: KitError, started: float) -> Verdict:
        text = problem.message + (f" {problem.hint}" if problem.hint else "")
        explained = explain(problem.message, None)
        return Verdict(
            scenario=self.scenario.id,
            group=self.group,
            ok=False,
            criteria=judge(self.scenario, None, None, Path()),
            check=None,
            error=text,
            explanations=(explained,) if explained else (),
            changed_models=self._changed_models(),
            broken_models=(),
            broken_projects=(),
            elapsed=time.perf_counter() - started,
            circle=tuple(b.edge for b in getattr(problem, "circle", ())),
        )

    def _finish(self, verdict: Verdict, tell: Callable[[Progress], None]) -> Verdict:
        try:
            write_result(self.folder, verdict.to_dict())
        except OSError as error:
            if not _full(error):
                raise
            # The verdict is still shown; the last one saved stays as it was.
        tell(Progress("done", "Solved!" if verdict.ok else "Checked: not solved yet"))
        return verdict

    def _changed_models(self) -> tuple[str, ...]:
        """`project.model` for every model the group's choices or the scenario touch."""
        try:
            proposal = self.scenario.proposal_dict(self.choices, self.group)
        except ScenarioError:
            return ()
        homes = model_homes(self.sandbox) if self.sandbox.is_dir() else {}
        names = [d["model"].split(".")[1] for d in proposal.get("models", [])]
        names += [m["model"].split(".")[1] for m in proposal.get("moves", [])]
        names += [r.split(".")[1] for p in proposal.get("new_projects", []) for r in p["models"]]
        names += [m.name for m in self.scenario.fault.add_models]
        seen = dict.fromkeys(names)
        return tuple(f"{homes[n]}.{n}" if n in homes else n for n in seen)


def _grouped(explanations: tuple[Explanation, ...]) -> list[tuple[Explanation, int]]:
    """The first explanation of each kind, with how many more of that kind there are."""
    first: dict[str, Explanation] = {}
    count: dict[str, int] = {}
    for e in explanations:
        first.setdefault(e.code, e)
        count[e.code] = count.get(e.code, 0) + 1
    return [(e, count[code] - 1) for code, e in first.items()]


def consequence_lines(criteria) -> list[str]:
    """What a decision means for each team, where a scenario weighs consequences (Markdown)."""
    weighed = [c for c in criteria if c.consequence]
    if not weighed:
        return []
    lines = ["", "#### What your decision means (weighed by the table, not counted)", ""]
    return lines + [f"- {'✓ yes' if c.passed else '✗ no'}: {c.says} _{c.detail}_" for c in weighed]


def _with_ok(verdict: Verdict) -> Verdict:
    required = [c for c in verdict.criteria if not c.consequence]
    return replace(verdict, ok=bool(required) and all(c.passed for c in required))


def _broken_models(check: CheckResult, layout: Mesh, work: Path) -> tuple[str, ...]:
    """`project.model` for each model that failed, was skipped, or has a failing test."""
    broken: list[str] = []
    for outcome in check.build.projects:
        if not outcome.result or not outcome.result.failed_nodes:
            continue
        manifest_path = project_run(layout.project(outcome.name), work).manifest_path
        nodes = read_manifest(manifest_path).nodes if manifest_path.is_file() else {}
        for node in outcome.result.failed_nodes:
            if node.resource_type == "model":
                broken.append(f"{outcome.name}.{node.name}")
                continue
            known = nodes.get(node.unique_id)
            for parent in known.depends_on.nodes if known else ():
                parts = parent.split(".")
                if parts[0] == "model" and parts[1] == outcome.name:
                    broken.append(f"{outcome.name}.{parts[2]}")
    return tuple(dict.fromkeys(broken))
