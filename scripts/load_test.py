"""A room of simulated groups on one server: does the hub hold them, and is every verdict right?

    python scripts/load_test.py --groups 10 [--spread 20] [--rounds 2] [--time-limit 900]
                                [--scenario breaking_change] [--seed 7] [--json report.json]

It starts a hub of its own (`mesh-workshop hub`'s, on a free port of 127.0.0.1, with a temporary
hub folder and a temporary workshop folder) over the workspace's built baseline
(`$RAINBOW_ROAD_WORKSPACE`, built first if it is missing). Then, as a room would:

1. every group logs in through the login form with the room's password, its server starts, and it
   opens the scenario in a kernel (the app's dbt workers start while the group reads the story);
2. each round, every group presses Apply & check on the scenario at a moment of its own, spread
   at random (a fixed seed) over `--spread` seconds: it sets its choices in the scenario app, as
   the scenario notebook's form does, presses the button and waits for the verdict. Half the
   groups give a reference solution and half the tempting wrong answer, and every group changes
   its answer from one round to the next.

Before the timed part, the verdict each distinct answer should get is worked out once here, with
the kit's own plain check (a `GroupSession` in this process). Afterwards it checks:

- every verdict is the expected one (solved or not, and every success criterion);
- every verdict names the group that asked, and each group's saved `decisions.yml` and
  `result.json` in the workshop folder hold its own name and its own last answer, and nothing
  else is there (no group sees or overwrites another's work);
- no error, and every process the hub started is gone after it stopped.

It reports the click-to-verdict times measured in the kernels (median, 95th percentile, worst),
the time each server took to start, and the memory of the hub's whole process tree (hub, proxy,
servers, kernels, dbt workers), sampled every half second: PSS, which counts memory shared by
forked processes once, and RSS; at the start, after the logins, at its peak, and at the end of
each round (flat means later rounds do not keep growing). It prints a table and, with `--json`,
writes the whole report. The exit code is 1 when a verdict is wrong, work is lost or a group saw
another's, or on any error; 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.paths import Workspace
from mesh_workshop.room import processes
from mesh_workshop.room.hub import HubSettings, RoomHub, free_port
from mesh_workshop.room.hub_client import HubClient, Kernel, group_check_code, group_open_code
from mesh_workshop.room.hub_config import POOL_MODULE
from mesh_workshop.scenario.model import Scenario, load_scenario
from mesh_workshop.workshop import prepare
from mesh_workshop.workshop.session import GroupSession

SAMPLE_EVERY = 0.5  # seconds between two memory samples
MB = 1024 * 1024


@dataclass(frozen=True)
class Answer:
    label: str  # a reference solution's id, or the wrong answer's
    right: bool  # a reference solution (else the tempting wrong answer)
    choices: dict


@dataclass
class Expected:
    ok: bool
    criteria: dict[str, bool]


@dataclass
class Click:
    group: str
    round: int
    answer: str
    right: bool
    at: float  # seconds after the round started, when the group pressed
    verdict: dict | None = None
    expected: dict | None = None
    correct: bool = False
    own_group: bool = False
    error: str | None = None


@dataclass
class Report:
    groups: int
    rounds: int
    spread: float
    scenario: str
    seed: int
    dbt_pool: bool
    clicks: list[Click] = field(default_factory=list)
    server_start: list[float] = field(default_factory=list)
    memory: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    wrong_verdicts: list[str] = field(default_factory=list)
    lost_work: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    leftover_processes: list[int] = field(default_factory=list)
    # processes still running once the hub had stopped, which the load test then stopped
    stopped_after_the_hub: list[int] = field(default_factory=list)
    expected: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            not (
                self.errors
                or self.wrong_verdicts
                or self.lost_work
                or self.leaks
                or self.leftover_processes
            )
            and len(self.clicks) == self.groups * self.rounds
        )

    def to_dict(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        return data


def main(argv: list[str] | None = None) -> int:
    args = _options(argv)
    started = time.monotonic()
    deadline = started + args.time_limit
    scenario = load_scenario(args.scenario)
    answers = _answers(scenario)
    plan = _plan(args.groups, args.rounds, args.spread, args.seed, answers)

    print(f"Baseline: {Workspace.current().build}", flush=True)
    if not prepare.prepare(say=lambda line: print(f"  {line}", flush=True)).ok:
        print("The baseline could not be built; see above.", file=sys.stderr)
        return 1
    report = Report(
        args.groups, args.rounds, args.spread, scenario.id, args.seed, not args.no_dbt_pool
    )
    folder = Path(tempfile.mkdtemp(prefix="rr-load-test-"))
    workshop = folder / "workshop"
    try:
        used = {plan[g][r][1].label for g in range(args.groups) for r in range(args.rounds)}
        # Worked out while the hub starts and the groups log in; ready before the first press.
        expected = Expectations(scenario, [a for a in answers if a.label in used], folder)
        expected.start()
        _run_room(args, scenario, plan, expected, folder, workshop, deadline, report)
        _check_against_scenario(scenario, answers, expected.verdicts, report)
        _check_saved_work(scenario, plan, expected.verdicts, workshop, report)
    except Exception as problem:  # the report still says what happened up to here
        report.errors.append(f"{type(problem).__name__}: {problem}")
    finally:
        report.elapsed = round(time.monotonic() - started, 1)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    _summarise(report)
    print(_table(report))
    if args.json:
        args.json.write_text(json.dumps(report.to_dict(), indent=2, default=str) + "\n")
        print(f"Report written to {args.json}")
    return 0 if report.ok else 1


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=10, help="simulated groups (default 10)")
    parser.add_argument(
        "--spread",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="each round's presses are spread at random over this many seconds (default 20)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="rounds of presses (default 2)")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=900.0,
        metavar="SECONDS",
        help="stop and fail after this many seconds in all (default 900)",
    )
    parser.add_argument("--scenario", default="breaking_change", help="the scenario to play")
    parser.add_argument("--seed", type=int, default=7, help="the random spread's seed")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the report here")
    parser.add_argument(
        "--no-dbt-pool", action="store_true", help="no shared dbt workers: each kernel its own"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary hub and workshop folders"
    )
    args = parser.parse_args(argv)
    if args.groups < 1 or args.rounds < 1 or args.spread < 0:
        parser.error("--groups and --rounds must be 1 or more, --spread 0 or more")
    return args


# The answers and who gives which --------------------------------------------------------------


def _answers(scenario: Scenario) -> list[Answer]:
    """The scenario's reference solutions and its tempting wrong answer."""
    found = [Answer(s.id, True, dict(s.choices)) for s in scenario.solutions]
    wrong = scenario.wrong_answer
    return [*found, Answer(wrong.id, False, dict(wrong.choices))]


def _plan(
    groups: int, rounds: int, spread: float, seed: int, answers: list[Answer]
) -> list[list[tuple[float, Answer]]]:
    """For each group and round: when it presses (seconds into the round) and its answer. Half
    the groups are right in each round, and every group changes its answer each round."""
    rights = [a for a in answers if a.right]
    wrong = next(a for a in answers if not a.right)
    chance = random.Random(seed)
    plan = []
    for group in range(groups):
        turns = []
        for round_ in range(rounds):
            right = (group + round_) % 2 == 0
            answer = rights[(group // 4 + round_ // 2) % len(rights)] if right else wrong
            turns.append((round(chance.uniform(0, spread), 2), answer))
        plan.append(turns)
    return plan


def _group_name(index: int) -> str:
    return f"Load table {index + 1}"


def _login_name(index: int) -> str:
    return f"load-table-{index + 1}"


class Expectations(threading.Thread):
    """The verdict of each answer from the kit's plain check (a `GroupSession` in this
    process, with dbt workers of its own), worked out in the background."""

    def __init__(self, scenario: Scenario, answers: list[Answer], folder: Path) -> None:
        super().__init__(name="expected-verdicts", daemon=True)
        self.scenario = scenario
        self.answers = answers
        self.folder = folder
        self.verdicts: dict[str, Expected] = {}
        self.problem: BaseException | None = None
        self.elapsed = 0.0

    def run(self) -> None:
        started = time.monotonic()
        try:
            with DbtWorkerPool(idle_timeout=None) as pool:
                for answer in self.answers:
                    session = GroupSession(
                        self.scenario,
                        f"Expected {answer.label}",
                        workshop=self.folder / "expected",
                        pool=pool,
                    )
                    session.choices = dict(answer.choices)
                    verdict = session.apply_and_check()
                    self.verdicts[answer.label] = Expected(
                        verdict.ok, {c.id: c.passed for c in verdict.criteria}
                    )
                    print(
                        f"  expected verdict of {answer.label}: "
                        f"{'solved' if verdict.ok else 'not solved'} ({verdict.elapsed:.1f} s)",
                        flush=True,
                    )
        except BaseException as problem:
            self.problem = problem
        finally:
            self.elapsed = time.monotonic() - started

    def ready(self, timeout: float) -> dict[str, Expected]:
        """Every expected verdict, waiting for them if need be."""
        self.join(max(0.0, timeout))
        if self.is_alive():
            raise TimeoutError("the expected verdicts were not ready within the time limit")
        if self.problem is not None:
            raise RuntimeError(f"the plain check of an answer failed: {self.problem}")
        return self.verdicts


def _check_against_scenario(
    scenario: Scenario, answers: list[Answer], expected: dict[str, Expected], report: Report
) -> None:
    """The plain check agrees with what the scenario says of its own answers."""
    for answer in answers:
        if answer.label not in expected:
            continue
        if expected[answer.label].ok != answer.right:
            report.wrong_verdicts.append(
                f"the plain check calls {answer.label} {'solved' if expected[answer.label].ok else 'not solved'}, "
                f"but scenarios/{scenario.id}.yml calls it {'right' if answer.right else 'wrong'}"
            )


# The room ---------------------------------------------------------------------------------------


class Sampler(threading.Thread):
    """The memory of the hub's process tree every half second, with named marks; the room's
    shared dbt workers (the pool service and the workers it started) also on their own."""

    def __init__(self, pid: int) -> None:
        super().__init__(name="memory-sampler", daemon=True)
        self.pid = pid
        self.started = time.monotonic()
        # (seconds, pss, rss, processes, pss of the dbt pool)
        self.samples: list[tuple[float, int, int, int, int]] = []
        self.marks: dict[str, dict] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.sample()
            self.stopping.wait(SAMPLE_EVERY)

    def sample(self) -> tuple[float, int, int, int, int]:
        members = processes.tree(self.pid)
        pool = next((pid for pid in members if POOL_MODULE in processes.command(pid)), None)
        in_pool = set(processes.tree(pool)) if pool else set()
        pss = rss = count = pool_pss = 0
        for member in members:
            one_pss, one_rss = processes.memory(member)
            if one_rss:
                pss, rss, count = pss + one_pss, rss + one_rss, count + 1
                pool_pss += one_pss if member in in_pool else 0
        taken = (round(time.monotonic() - self.started, 2), pss, rss, count, pool_pss)
        if count:
            self.samples.append(taken)
        return taken

    def mark(self, name: str) -> None:
        at, pss, rss, count, pool = self.sample()
        self.marks[name] = {
            "at": at,
            "pss_mb": _mb(pss),
            "rss_mb": _mb(rss),
            "processes": count,
            "dbt_pool_pss_mb": _mb(pool),
        }

    def summary(self, groups: int) -> dict:
        peak = max(self.samples, key=lambda s: s[1], default=(0, 0, 0, 0, 0))
        found = {
            "marks": self.marks,
            "peak": {
                "at": peak[0],
                "pss_mb": _mb(peak[1]),
                "rss_mb": _mb(peak[2]),
                "processes": peak[3],
                "dbt_pool_pss_mb": _mb(peak[4]),
            },
            "dbt_pool_peak_pss_mb": _mb(max((s[4] for s in self.samples), default=0)),
            "samples": [[at, _mb(a), _mb(b), n, _mb(c)] for at, a, b, n, c in self.samples],
        }
        rounds = [m for name, m in self.marks.items() if name.startswith("end of round")]
        if "start" in self.marks and "after logins" in self.marks and rounds:
            start, logged_in, last = self.marks["start"], self.marks["after logins"], rounds[-1]
            found["per_group"] = {
                # a person's JupyterLab and kernel, before any check
                "logged_in_pss_mb": round((logged_in["pss_mb"] - start["pss_mb"]) / groups, 1),
                # the same after the rounds, the shared dbt workers left out
                "after_checks_pss_mb": round(
                    (last["pss_mb"] - last["dbt_pool_pss_mb"] - start["pss_mb"]) / groups, 1
                ),
            }
            # flat: later rounds do not keep growing
            found["growth_after_round_1_pss_mb"] = round(last["pss_mb"] - rounds[0]["pss_mb"], 1)
        return found


def _mb(value: int) -> float:
    return round(value / MB, 1)


def _run_room(args, scenario, plan, expected, folder, workshop, deadline, report) -> None:
    settings = HubSettings(
        port=free_port(),
        ip="127.0.0.1",
        workshop=workshop,
        hub_dir=folder / "hub",
        dbt_pool=not args.no_dbt_pool,
    )
    hub = RoomHub(settings)
    t = time.monotonic()
    hub.start(say=lambda line: print(f"  {line}", flush=True))
    report.timings["hub_start"] = round(time.monotonic() - t, 1)
    report.dbt_pool = hub.dbt_pool
    print(f"Hub at {hub.local_url} ({'with' if hub.dbt_pool else 'without'} shared dbt workers)")
    sampler = Sampler(hub.process.pid)
    sampler.mark("start")
    sampler.start()
    clients: list[HubClient | None] = [None] * args.groups
    kernels: list[Kernel | None] = [None] * args.groups
    try:
        t = time.monotonic()
        _side_by_side(
            args.groups,
            lambda g: _arrive(g, hub, scenario, clients, kernels, report, deadline),
            report,
        )
        report.timings["logins"] = round(time.monotonic() - t, 1)
        sampler.mark("after logins")
        print(
            f"{sum(k is not None for k in kernels)} of {args.groups} groups logged in", flush=True
        )
        verdicts = expected.ready(deadline - time.monotonic())
        report.timings["expected_verdicts"] = round(expected.elapsed, 1)
        report.expected = {label: asdict(e) for label, e in verdicts.items()}
        for round_ in range(args.rounds):
            if time.monotonic() > deadline:
                report.errors.append(f"the time limit ran out before round {round_ + 1}")
                break
            t = time.monotonic()
            _side_by_side(
                args.groups,
                lambda g, r=round_, s=t: _press(
                    g, r, s, plan, scenario, kernels, verdicts, workshop, report, deadline
                ),
                report,
            )
            report.timings[f"round {round_ + 1}"] = round(time.monotonic() - t, 1)
            sampler.mark(f"end of round {round_ + 1}")
            print(f"Round {round_ + 1} done in {time.monotonic() - t:.0f} s", flush=True)
    finally:
        for kernel in kernels:
            if kernel is not None:
                kernel.shutdown()
        for client in clients:
            if client is not None:
                client.close()
        sampler.stopping.set()
        sampler.join(5)
        report.memory = sampler.summary(args.groups)
        started = hub.pids()
        t = time.monotonic()
        report.stopped_after_the_hub = hub.stop()
        report.timings["hub_stop"] = round(time.monotonic() - t, 1)
        time.sleep(0.5)
        report.leftover_processes = [pid for pid in started if processes.alive(pid)]
        processes.stop_all(report.leftover_processes, grace=2.0)


def _side_by_side(count: int, work, report: Report) -> None:
    """`work(index)` for every group, each in a thread of its own; errors are recorded."""

    def guarded(index: int) -> None:
        try:
            work(index)
        except Exception as problem:
            report.errors.append(f"{_group_name(index)}: {type(problem).__name__}: {problem}")

    threads = [threading.Thread(target=guarded, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _arrive(index, hub, scenario, clients, kernels, report, deadline) -> None:
    client = HubClient(hub.local_url, _login_name(index), hub.passwords.room)
    clients[index] = client
    client.login()
    client.new_token(note="load test")
    report.server_start.append(round(client.start_server(timeout=deadline - time.monotonic()), 2))
    kernel = client.start_kernel()
    # The group opens the scenario, as its notebook's first cell does, and reads the story.
    opened = kernel.execute(
        group_open_code(scenario.id, _group_name(index)),
        timeout=max(1.0, deadline - time.monotonic()),
    )
    if not opened.ok:
        raise RuntimeError(f"the scenario did not open: {opened.error} {opened.stderr[-500:]}")
    kernels[index] = kernel


def _press(
    index, round_, round_started, plan, scenario, kernels, expected, workshop, report, deadline
):
    at, answer = plan[index][round_]
    kernel = kernels[index]
    if kernel is None:
        return  # the group never got in; its login error is recorded
    time.sleep(max(0.0, round_started + at - time.monotonic()))
    group = _group_name(index)
    click = Click(group, round_ + 1, answer.label, answer.right, at)
    report.clicks.append(click)
    code = group_check_code(
        scenario.id,
        group,
        answer.choices,
        summary=f"{group}, round {round_ + 1}: {answer.label}",
        timeout=max(1.0, deadline - time.monotonic()),
        label=answer.label,
    )
    run = kernel.execute(code, timeout=max(1.0, deadline - time.monotonic() + 5))
    lines = run.json_lines()
    if run.error or not lines:
        click.error = run.error or f"no verdict printed (stderr: {run.stderr[-500:]})"
        report.errors.append(f"{group}, round {round_ + 1}: {click.error}")
        return
    verdict = click.verdict = lines[-1]
    want = expected[answer.label]
    click.expected = asdict(want)
    own_folder = Workspace.current().scenario_folder(group, scenario.id, workshop)
    click.own_group = verdict["group"] == group and Path(verdict["folder"]) == own_folder
    if not verdict["verdict"]:
        click.error = f"no verdict: {verdict['status']}"
        report.errors.append(f"{group}, round {round_ + 1}: {click.error}")
        return
    click.correct = verdict["ok"] == want.ok and verdict["criteria"] == want.criteria
    if not click.correct:
        report.wrong_verdicts.append(
            f"{group}, round {round_ + 1}, {answer.label}: got ok={verdict['ok']} "
            f"{verdict['criteria']}, expected ok={want.ok} {want.criteria}"
        )
    if not click.own_group:
        report.leaks.append(
            f"{group}, round {round_ + 1}: the verdict names {verdict['group']}, saved in "
            f"{verdict['folder']}"
        )


# After the rounds -------------------------------------------------------------------------------


def _check_saved_work(scenario, plan, expected, workshop: Path, report: Report) -> None:
    """Each group's saved files hold its own name and its own last answer, and nothing else is
    in the workshop folder."""
    space = Workspace.current()
    pressed = {(c.group, c.round) for c in report.clicks if c.verdict}
    groups = sorted({c.group for c in report.clicks}, key=lambda g: int(g.split()[-1]))
    for group in groups:
        index = int(group.split()[-1]) - 1
        last = max((r for g, r in pressed if g == group), default=None)
        if last is None:
            continue
        answer = plan[index][last - 1][1]
        where = space.scenario_folder(group, scenario.id, workshop)
        try:
            decisions = yaml.safe_load((where / "decisions.yml").read_text())
            result = json.loads((where / "result.json").read_text())
        except (OSError, ValueError) as problem:
            report.lost_work.append(f"{group}: its saved work cannot be read ({problem})")
            continue
        if decisions.get("group") != group or result.get("group") != group:
            report.leaks.append(
                f"{group}: its folder holds the work of {decisions.get('group')} / "
                f"{result.get('group')}"
            )
        if decisions.get("choices") != answer.choices:
            report.lost_work.append(
                f"{group}: decisions.yml holds {decisions.get('choices')}, not its last answer "
                f"{answer.choices}"
            )
        if result.get("ok") != expected[answer.label].ok:
            report.lost_work.append(
                f"{group}: result.json says ok={result.get('ok')}, its last check gave "
                f"ok={expected[answer.label].ok}"
            )
    others = (
        sorted(
            p.name
            for p in workshop.iterdir()
            if p.is_dir() and p.name not in {space.group_folder(g, workshop).name for g in groups}
        )
        if workshop.is_dir()
        else []
    )
    if others:
        report.leaks.append(f"folders no group of the test saved: {others}")


# The report -------------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def _summarise(report: Report) -> None:
    """The click-to-verdict figures, in the report's timings."""
    times = [c.verdict["click_to_verdict"] for c in report.clicks if c.verdict]
    by_round = {}
    for click in report.clicks:
        if click.verdict:
            by_round.setdefault(click.round, []).append(click.verdict["click_to_verdict"])
    report.timings["click_to_verdict"] = {
        "median": round(statistics.median(times), 2) if times else None,
        "p95": round(_percentile(times, 0.95), 2) if times else None,
        "worst": round(max(times), 2) if times else None,
        "by_round": {
            r: {"median": round(statistics.median(v), 2), "worst": round(max(v), 2)}
            for r, v in sorted(by_round.items())
        },
    }


def _table(report: Report) -> str:
    clicks = report.timings["click_to_verdict"]
    memory = report.memory or {}
    lines = [
        "",
        f"Load test: {report.groups} groups, {report.rounds} rounds, presses spread over "
        f"{report.spread:.0f} s, scenario {report.scenario}, shared dbt workers "
        f"{'on' if report.dbt_pool else 'off'}",
        "",
        f"  verdicts                {sum(c.correct for c in report.clicks)} right of "
        f"{report.groups * report.rounds} presses",
        f"  click to verdict        median {clicks['median']} s, 95th percentile "
        f"{clicks['p95']} s, worst {clicks['worst']} s",
    ]
    for round_, figures in clicks["by_round"].items():
        lines.append(
            f"    round {round_}               median {figures['median']} s, worst {figures['worst']} s"
        )
    if report.server_start:
        lines.append(
            f"  a server's start        median {statistics.median(report.server_start):.1f} s, "
            f"worst {max(report.server_start):.1f} s"
        )
    for name, mark in memory.get("marks", {}).items():
        lines.append(
            f"  memory, {name:<15} PSS {mark['pss_mb']:>7.0f} MB, RSS {mark['rss_mb']:>7.0f} MB, "
            f"{mark['processes']} processes"
        )
    if memory.get("per_group"):
        per = memory["per_group"]
        lines.append(
            f"  memory per group        PSS {per['logged_in_pss_mb']:.0f} MB logged in, "
            f"{per['after_checks_pss_mb']:.0f} MB after its checks (shared dbt workers apart)"
        )
    if "growth_after_round_1_pss_mb" in memory:
        lines.append(
            f"  growth after round 1    PSS {memory['growth_after_round_1_pss_mb']:+.0f} MB "
            "(about 0: flat)"
        )
    if report.dbt_pool:
        lines.append(
            f"  shared dbt workers      PSS {memory.get('dbt_pool_peak_pss_mb', 0):.0f} MB at most"
        )
    if memory.get("peak"):
        peak = memory["peak"]
        lines.append(
            f"  memory, peak            PSS {peak['pss_mb']:>7.0f} MB, RSS {peak['rss_mb']:>7.0f} MB, "
            f"{peak['processes']} processes (at {peak['at']:.0f} s)"
        )
    lines.append(
        f"  timings                 {', '.join(f'{k} {v} s' for k, v in report.timings.items() if not isinstance(v, dict))}"
    )
    for title, found in (
        ("errors", report.errors),
        ("wrong verdicts", report.wrong_verdicts),
        ("lost work", report.lost_work),
        ("one group saw another's", report.leaks),
        ("processes left running", report.leftover_processes),
    ):
        lines.append(f"  {title:<23} {len(found) or 'none'}")
        lines += [f"    - {item}" for item in found[:20]]
    if report.stopped_after_the_hub:
        lines.append(
            f"  note: {len(report.stopped_after_the_hub)} processes still ran after the hub "
            "stopped, and were stopped by the load test"
        )
    lines += ["", "PASSED" if report.ok else "FAILED", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
