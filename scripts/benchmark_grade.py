"""How fast an instructor's class is graded: `mesh-workshop grade` on a practice class, against
the naive way of checking every submission with its own `mesh-workshop check`.

    python scripts/benchmark_grade.py [--runs 3] [--smoke]

- "kit: 30 submissions, 10 distinct answers": a practice class (as the notebooks save it) in
  which groups share answers, their choices written in another order; graded with reports
  written (`kit.grade(folder, out)`), from an empty grading cache every run.
- "kit: 30 distinct answers": every group answers differently.
- "kit: graded again, 3 groups changed": the 30-distinct class graded once more after three
  groups changed their answers: only those are built.
- The naive way: a fresh `mesh-workshop check` of each submission's proposal from a terminal,
  one after another. Timing all 30 would take a quarter of an hour per run, so a sample of
  submissions is timed and its mean multiplied by 30 (the label says how many were timed).
  The naive checks' verdicts (builds or not) are compared with the grading's for the same
  answers, and the line under the table says how many agree.

`--smoke`: one run of a 4-submission class with 2 distinct answers (dbt's tests still run: they
decide the verdicts), one naive check.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmark_common import options, table, target_line
from mesh_workshop.api import kit
from mesh_workshop.grading.practice import practice_answers, write_practice_class
from mesh_workshop.paths import Workspace
from mesh_workshop.scenario.model import load_scenario

TARGETS = {"shared": 60.0, "distinct": 150.0}
BUILDS = ("mesh_builds", "builds")


def fresh_cache() -> None:
    shutil.rmtree(Workspace.current().grading_cache, ignore_errors=True)


def graded(folder: Path, out: Path) -> tuple[float, object]:
    started = time.perf_counter()
    grades = kit.grade(folder, out)
    return time.perf_counter() - started, grades


def change_answers(folder: Path, groups: int, distinct: int, how_many: int) -> None:
    """`how_many` groups of a practice class answer something no group answered before."""
    answers = practice_answers()
    space = Workspace.current()
    for n in range(how_many):
        name = f"Practice table {n + 1}"
        for old in space.group_folder(name, folder).glob("*/decisions.yml"):
            old.unlink()
        new = answers[(distinct + n) % len(answers)]
        target = space.scenario_folder(name, new.scenario, folder)
        target.mkdir(parents=True, exist_ok=True)
        record = {"version": 1, "group": name, "scenario": new.scenario, "choices": new.choices}
        (target / "decisions.yml").write_text(yaml.safe_dump(record))


def naive_check(decisions: Path, scratch: Path) -> tuple[float, bool]:
    """One submission checked the naive way: its proposal, a fresh `mesh-workshop check`."""
    record = yaml.safe_load(decisions.read_text())
    scenario = load_scenario(record["scenario"])
    proposal = scratch / "proposal.yml"
    proposal.write_text(yaml.safe_dump(scenario.proposal_dict(record["choices"], record["group"])))
    command = Path(sys.executable).parent / "mesh-workshop"
    started = time.perf_counter()
    done = subprocess.run(
        [str(command), "check", str(proposal), "--out", str(scratch / "mesh"), "--json"],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"mesh-workshop check failed:\n{done.stderr[-2000:]}")
    return seconds, bool(json.loads(done.stdout)["ok"])


def main() -> int:
    args = options(__doc__, runs=3, smoke_skips_tests=False)
    groups, shared, distinct, sample = (4, 2, 3, 1) if args.smoke else (30, 10, 30, 5)
    print("Building the baseline mesh (only what changed) ...", flush=True)
    kit.baseline()
    labels = {
        "shared": f"kit: {groups} submissions, {shared} distinct answers",
        "distinct": f"kit: {distinct} distinct answers",
        "again": "kit: graded again, 3 groups changed",
        "naive": f"naive: {groups} x mesh-workshop check (mean of {sample} timed)",
    }
    figures: dict[str, list[float]] = {label: [] for label in labels.values()}
    agree = compared = 0
    with tempfile.TemporaryDirectory(prefix="grade-benchmark-") as scratch:
        root = Path(scratch)
        for run in range(args.runs):
            one = root / f"run-{run}"
            write_practice_class(one / "shared", groups, shared)
            write_practice_class(one / "distinct", distinct, distinct)
            fresh_cache()
            seconds, shared_grades = graded(one / "shared", one / "shared-out")
            figures[labels["shared"]].append(seconds)
            fresh_cache()
            seconds, _ = graded(one / "distinct", one / "distinct-out")
            figures[labels["distinct"]].append(seconds)
            change_answers(one / "distinct", distinct, distinct, min(3, distinct))
            seconds, again = graded(one / "distinct", one / "again-out")
            figures[labels["again"]].append(seconds)
            if again.summary.built > 3:
                raise SystemExit(f"grading again built {again.summary.built} answers, not 3")
            naive: list[float] = []
            rows = shared_grades.submissions
            for n, row in enumerate(rows[:sample]):
                place = one / f"naive-{n}"
                place.mkdir()
                seconds, ok = naive_check(one / "shared" / row.source, place)
                naive.append(seconds)
                builds = next(c.passed for c in row.criteria if c.id in BUILDS)
                compared += 1
                agree += builds == ok
            figures[labels["naive"]].append(statistics.mean(naive) * groups)
            print(f"round {run + 1} of {args.runs} done", flush=True)
    print()
    print(table(figures, labels["naive"], "vs naive"))
    print()
    print(
        target_line(
            labels["shared"], statistics.median(figures[labels["shared"]]), TARGETS["shared"]
        )
    )
    print(
        target_line(
            labels["distinct"], statistics.median(figures[labels["distinct"]]), TARGETS["distinct"]
        )
    )
    print(f"verdicts: {agree} of {compared} naive checks say what the grading says")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0 if agree == compared else 1


if __name__ == "__main__":
    sys.exit(main())
