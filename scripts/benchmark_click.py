"""Time the working session's loop: a group changes a decision, presses "Apply & check", reads.

    python scripts/benchmark_click.py [--runs 6] [--smoke]

The scenario app for scenario 1 runs as it does in a notebook (no browser; the click handler
runs to the end, with the verdict, explanations and lineage picture drawn). The first click
starts the warm dbt workers and is not counted. Each timed round picks the next answer in a cycle
a table might try (the tempting wrong answer, then each reference solution, then a revert), so
every round changes something.

The naive way for comparison: save the same answer and run `mesh-workshop check` on it from a
terminal, which starts a fresh dbt process for every project.

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


def answers() -> list[tuple[str, dict]]:
    scenario = load_scenario(SCENARIO)
    cycle = [(scenario.wrong_answer.id, scenario.wrong_answer.choices)]
    cycle += [(s.id, s.choices) for s in scenario.solutions]
    cycle.append(("revert", {**scenario.default_choices(), "ship": "revert"}))
    return cycle


def clicks(app: ScenarioApp, runs: int, warm_up: bool = True) -> list[tuple[str, float, bool]]:
    cycle = answers()
    if warm_up:
        app.form.set_choices(load_scenario(SCENARIO).default_choices())
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
    args = options(__doc__, runs=6, smoke_skips_tests=False)  # tests decide the verdict shown
    naive_runs = 1 if args.smoke else max(2, args.runs // 2)
    kit.baseline()  # the baseline mesh is built before any timing

    with tempfile.TemporaryDirectory(prefix="rr-click-bench-") as tmp:
        with DbtWorkerPool() as pool:
            app = ScenarioApp(SCENARIO, "Benchmark table", Path(tmp), pool, background=False)
            warm = clicks(app, args.runs, warm_up=not args.smoke)
        naive = cli_checks(Path(tmp), naive_runs)

    warm_times = [t for _, t, _ in warm]
    median = statistics.median(warm_times)
    print(f"Scenario 1, click to result, {os.cpu_count()} cores")
    for name, elapsed, ok in warm:
        print(f"  {name:28} {elapsed:6.2f}s  {'solved' if ok else 'not solved'}")
    figures = {"warm click (app)": warm_times, "mesh-workshop check (CLI)": naive}
    print(table(figures, "mesh-workshop check (CLI)", "vs naive"))
    print(target_line("a click", median, 5))
    if args.json:
        args.json.write_text(json.dumps({"warm": warm, "naive": naive}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
