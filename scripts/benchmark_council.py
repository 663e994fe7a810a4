"""How fast the Mesh Council's real-mesh moments are: the emergency's first verdict, and the final
project graph checked after the vote.

    python scripts/benchmark_council.py [--runs 3] [--smoke]

- "emergency: first verdict": a council opens and its emergency starts warming dbt up (as the
  moderator's app does when the table is opened); ten minutes of session 1 later (here: once the
  warm-up is done) the emergency phase starts and the table presses "Apply & check" on the
  situation as it stands. Timed from the press to the verdict. Each run is a new council.
- "final graph: split and merge": a council whose passed policies split marketing into its own
  project and fold people ops back into the hub (tests/council_final_graph.yml) builds its final
  mesh with warm dbt workers. Each run starts from an empty council sandbox, so every run builds
  the new projects for real.
- The naive way, for comparison: the same final graph checked from a terminal with
  `mesh-workshop check`, a fresh dbt process per project.

`--smoke`: one run each (dbt's tests still run: they decide the verdicts).
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

import yaml

from benchmark_common import options, table, target_line
from mesh_workshop.api import kit
from mesh_workshop.council.play import build_final_mesh, council_sandbox
from mesh_workshop.council.state import (
    advance,
    close_vote,
    council_state,
    open_council,
    open_vote,
    propose,
    take_seat,
    vote,
)
from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.paths import WORKSHOP_ENV
from mesh_workshop.scenario import answer
from mesh_workshop.workshop.session import GroupSession

TARGETS = {"emergency": 30.0, "final": 60.0}
FINAL_GRAPH = Path(__file__).resolve().parents[1] / "tests" / "council_final_graph.yml"


def _seated(table: str) -> dict[int, str]:
    codes = open_council(table)
    for seat, code in codes.items():
        take_seat(table, seat, code, f"Player {seat}")
    return codes


def _to(table: str, phase: str, code: str) -> None:
    while council_state(table).phase != phase:
        advance(table, 9, code)


def emergency_first_verdict(table: str, pool: DbtWorkerPool) -> float:
    codes = _seated(table)
    session = GroupSession("council_emergency", f"Council {table}", pool=pool)
    session.warm_up().join()  # started when the council opened; done long before the emergency
    _to(table, "emergency", codes[9])
    started = time.perf_counter()
    verdict = session.apply_and_check()
    seconds = time.perf_counter() - started
    if verdict.check is None:
        raise SystemExit(f"The emergency did not build: {verdict.error}")
    return seconds


def final_graph(table: str, pool: DbtWorkerPool) -> float:
    codes = _seated(table)
    data = yaml.safe_load(FINAL_GRAPH.read_text())
    _to(table, "session_2", codes[9])
    propose(
        table,
        4,
        codes[4],
        "Marketing runs its own project.",
        "technical",
        {
            "new_projects": data["new_projects"],
            "models": data["models"],
        },
    )
    propose(
        table,
        5,
        codes[5],
        "People ops folds back into the hub.",
        "technical",
        {"merges": data["merges"]},
    )
    _to(table, "session_3", codes[9])
    open_vote(table, 9, codes[9])
    for policy in council_state(table).active_policies:
        for seat, code in codes.items():
            vote(table, seat, code, policy.id, "yes")
    close_vote(table, 9, codes[9])
    answer.reset_sandbox(council_sandbox(table))
    started = time.perf_counter()
    final = build_final_mesh(table, pool=pool)
    seconds = time.perf_counter() - started
    if not final.builds:
        raise SystemExit(f"The final graph did not build: {final.error or final.check.summary()}")
    return seconds


def terminal_check(folder: Path) -> float:
    mesh = Path(sys.executable).parent / "mesh-workshop"
    started = time.perf_counter()
    done = subprocess.run(
        [str(mesh), "check", str(FINAL_GRAPH), "--out", str(folder / "mesh")],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"mesh-workshop check failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return seconds


def main() -> int:
    args = options(__doc__, runs=3, smoke_skips_tests=False)
    print("Building the baseline mesh (only what changed) ...", flush=True)
    kit.baseline()
    figures: dict[str, list[float]] = {
        "emergency: first verdict": [],
        "final graph: split and merge": [],
        "final graph, mesh-workshop check (terminal)": [],
    }
    with tempfile.TemporaryDirectory(prefix="council-benchmark-") as scratch:
        os.environ[WORKSHOP_ENV] = str(Path(scratch) / "workshop")
        with DbtWorkerPool() as pool:
            for run in range(args.runs):
                figures["emergency: first verdict"].append(
                    emergency_first_verdict(f"Emergency {run}", pool)
                )
                figures["final graph: split and merge"].append(final_graph(f"Final {run}", pool))
                print(f"round {run + 1} of {args.runs} done", flush=True)
        terminal_runs = 1 if args.smoke else max(1, args.runs // 2)
        for run in range(terminal_runs):
            figures["final graph, mesh-workshop check (terminal)"].append(
                terminal_check(Path(scratch) / f"terminal-{run}")
            )
    print()
    print(table(figures, "final graph, mesh-workshop check (terminal)", "vs terminal"))
    print()
    print(
        target_line(
            "the emergency's first verdict",
            statistics.median(figures["emergency: first verdict"]),
            TARGETS["emergency"],
        )
    )
    print(
        target_line(
            "a final graph with a split and a merge checked",
            statistics.median(figures["final graph: split and merge"]),
            TARGETS["final"],
        )
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
