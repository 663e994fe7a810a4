"""Time the working session's loop: a group changes a decision, presses "Apply & check", reads.

    python scripts/benchmark_click.py [--runs 6] [--smoke]

The scenario app runs as it does in a notebook (no browser; the click handler runs to the end,
with the verdict, explanations and lineage picture drawn). Four figures, each with its target:

- warm click, scenario 1 (target 5 s): after a first click that is not counted, each timed round
  picks the next answer in a cycle a table might try (the tempting wrong answer, then each
  reference solution, then a revert), so every round changes something.
- warm click, structural answers (target 10 s): the same on scenario 3, whose answers split a
  project in two, move models into the hub, or keep one project.
- first click (target 10 s): a new Python process, as a kernel that has just started, opens
  scenario 1 for a new group; its dbt workers start while the group reads (the app starts them
  as it opens; the group is assumed to read for as long as they take), then the group presses
  Apply & check once. The figure is that press's wait; the time from opening the scenario to the
  verdict is printed too.
- `mesh-workshop check` from a terminal (target 15 s, the naive way for the clicks): save the
  same answer and check it with the command line, a new process each time.

The baseline mesh is built in the workspace (`$RAINBOW_ROAD_WORKSPACE`) before any timing, or
found there up to date. `--smoke`: one click (no click to warm up first, so it includes
starting the workers) and one terminal check, to show the benchmark works.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmark_common import options, table, target_line
from mesh_workshop.api import kit
from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.scenario.model import load_scenario
from mesh_workshop.widgets import ScenarioApp
from mesh_workshop.workshop.folders import PROPOSAL_FILE

SCENARIO = "breaking_change"
STRUCTURAL = "growing_mesh"  # answers that split a project, move models, or keep one project
TARGETS = {"click": 5.0, "structural": 10.0, "first": 10.0, "terminal": 15.0}


def answers(scenario_id: str = SCENARIO) -> list[tuple[str, dict]]:
    scenario = load_scenario(scenario_id)
    cycle = [(scenario.wrong_answer.id, scenario.wrong_answer.choices)]
    cycle += [(s.id, s.choices) for s in scenario.solutions]
    if scenario_id == SCENARIO:
        cycle.append(("revert", {**scenario.default_choices(), "ship": "revert"}))
    return cycle


def clicks(
    app: ScenarioApp, runs: int, warm_up: bool = True, scenario_id: str = SCENARIO
) -> list[tuple[str, float, bool]]:
    cycle = answers(scenario_id)
    if warm_up:
        app.form.set_choices(load_scenario(scenario_id).default_choices())
        app.apply_button.click()  # warms the workers up; not counted
    timed = []
    for i in range(runs):
        name, choices = cycle[i % len(cycle)]
        app.form.set_choices(choices)
        started = time.perf_counter()
        app.apply_button.click()
        elapsed = time.perf_counter() - started
        if app.verdict is None:
            sys.exit(f"round {i}: no verdict was shown; the timing means nothing")
        timed.append((name, elapsed, app.verdict.ok))
    return timed


def first_click(folder: Path) -> dict[str, float]:
    """One first click in a new Python process (`--first-click-in FOLDER`, below)."""
    done = subprocess.run(
        [sys.executable, __file__, "--first-click-in", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"The first click failed, so the timing means nothing:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def first_click_here(folder: Path) -> None:
    """Open scenario 1 for a new group as a fresh kernel does, let its workers start while the
    group reads, press Apply & check once; print the seconds as JSON."""
    opened = time.perf_counter()
    app = ScenarioApp(SCENARIO, "First click table", folder)  # starts its dbt workers
    if app.warming:
        app.warming.join(120)  # the group reads the scenario meanwhile
    ready = time.perf_counter()
    scenario = load_scenario(SCENARIO)
    app.form.set_choices(scenario.solutions[0].choices)
    pressed = time.perf_counter()
    app.apply_button.click()
    if not app.wait(300) or app.verdict is None:
        sys.exit("No verdict was shown after the first click.")
    shown = time.perf_counter()
    print(
        json.dumps(
            {"click": shown - pressed, "open_to_verdict": shown - opened, "warm_up": ready - opened}
        )
    )


def cli_checks(folder: Path, runs: int) -> list[float]:
    timed = []
    for i in range(runs):
        _, choices = answers()[i % len(answers())]
        session_app = ScenarioApp(SCENARIO, "Terminal table", folder, background=False)
        session_app.form.set_choices(choices)
        session_app.save_button.click()
        proposal = session_app.session.folder / PROPOSAL_FILE
        started = time.perf_counter()
        done = subprocess.run(
            [str(Path(sys.executable).parent / "mesh-workshop"), "check", str(proposal)],
            capture_output=True,
            text=True,
        )
        timed.append(time.perf_counter() - started)
        # Exit code 1 with a verdict is an answer that does not solve the scenario; no verdict
        # means the check itself broke.
        if done.returncode not in (0, 1) or "Verdict:" not in done.stdout:
            sys.exit(
                f"`mesh-workshop check` gave no verdict, so the timing means nothing:\n"
                f"{(done.stdout + done.stderr)[-3000:]}"
            )
    return timed


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--first-click-in":
        first_click_here(Path(sys.argv[2]))
        return 0
    args = options(__doc__, runs=6, smoke_skips_tests=False)  # tests decide the verdict shown
    few = 1 if args.smoke else max(2, args.runs // 2)
    kit.baseline()  # the baseline mesh is built before any timing

    with tempfile.TemporaryDirectory(prefix="rr-click-bench-") as tmp:
        with DbtWorkerPool() as pool:
            app = ScenarioApp(SCENARIO, "Benchmark table", Path(tmp), pool, background=False)
            warm = clicks(app, args.runs, warm_up=not args.smoke)
            shape = ScenarioApp(STRUCTURAL, "Benchmark table", Path(tmp), pool, background=False)
            structural = clicks(shape, few, warm_up=not args.smoke, scenario_id=STRUCTURAL)
        firsts = [first_click(Path(tmp) / f"first{i}") for i in range(few)]
        naive = cli_checks(Path(tmp), few)

    print(f"Click to result, {os.cpu_count()} cores")
    for label, rounds in (("scenario 1", warm), ("scenario 3", structural)):
        for name, elapsed, ok in rounds:
            print(f"  {label}: {name:36} {elapsed:6.2f}s  {'solved' if ok else 'not solved'}")
    for first in firsts:
        print(
            f"  first click: {first['click']:.2f}s after its workers started in "
            f"{first['warm_up']:.2f}s; {first['open_to_verdict']:.2f}s from opening the scenario"
        )
    figures = {
        "warm click, scenario 1": [t for _, t, _ in warm],
        "warm click, structural answers": [t for _, t, _ in structural],
        "first click, new kernel": [f["click"] for f in firsts],
        "mesh-workshop check (terminal)": naive,
    }
    print(table(figures, "mesh-workshop check (terminal)", "vs terminal"))
    for label, key in (
        ("warm click, scenario 1", "click"),
        ("warm click, structural answers", "structural"),
        ("first click, new kernel", "first"),
        ("mesh-workshop check (terminal)", "terminal"),
    ):
        print(target_line(label, statistics.median(figures[label]), TARGETS[key]))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"warm": warm, "structural": structural, "first": firsts, "naive": naive},
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
