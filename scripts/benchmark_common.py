"""What the benchmark scripts share: their options and the way they print a table of timings.

Every benchmark takes `--runs`, `--json` and `--smoke`. `--smoke` runs the smallest case once,
for real (real dbt, real DuckDB, the kit's own code paths), and prints the same table: a test
runs every script that way, so a benchmark that no longer works fails CI instead of waiting to
be found by hand. To keep that quick, dbt builds the models and skips the data and unit tests
(`DBT_EXCLUDE_RESOURCE_TYPES`, which every dbt process the script starts inherits), unless the
script's figures depend on the tests. Smoke figures show that the benchmark works, not how
fast the kit is.

A table row reads `<label>  <median>s  <min>s  <max>s  <ratio>x`, the ratio being the row's
median over the median of the row it is compared with.
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

# What a smoke run leaves out of every dbt build: the tests, most of the nodes of each project.
SMOKE_EXCLUDED = "test unit_test"


def options(doc: str | None, runs: int, smoke_skips_tests: bool = True) -> argparse.Namespace:
    """The command line of a benchmark whose module docstring is `doc`; with `--smoke`, one run
    per figure and (if `smoke_skips_tests`) no dbt tests."""
    parser = argparse.ArgumentParser(description=(doc or "").strip().splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=runs, help=f"runs per figure, median reported (default {runs})"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="one run of the smallest case, to show the benchmark works (sets --runs 1)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.runs = 1
        if smoke_skips_tests:
            os.environ["DBT_EXCLUDE_RESOURCE_TYPES"] = SMOKE_EXCLUDED
    if args.runs < 1:
        parser.error(f"--runs must be 1 or more, not `{args.runs}`")
    return args


def target_line(what: str, median: float, target: float) -> str:
    """Whether a figure's median meets its target, in one line under the table."""
    verdict = "met" if median <= target else "NOT met"
    return f"target: {what} in {target:g} s or less -> {verdict} (median {median:.2f} s)"


def ratio_target_line(what: str, ratio: float, target: float, naive: str) -> str:
    """Whether a figure's median, as a share of the naive way's median, meets its target."""
    verdict = "met" if ratio <= target else "NOT met"
    return f"target: {what} in {target:g}x {naive} or less -> {verdict} ({ratio:.2f}x)"


def table(figures: dict[str, list[float]], compared_with: str, ratio_header: str) -> str:
    """Median, min and max of each row's seconds, and its median's ratio to `compared_with`'s."""
    base = statistics.median(figures[compared_with])
    label_width = max(len(label) for label in figures) + 2
    ratio_width = max(len(ratio_header) + 1, 9)
    lines = [f"{'':{label_width}}{'median':>9}{'min':>9}{'max':>9}{ratio_header:>{ratio_width}}"]
    for label, times in figures.items():
        median = statistics.median(times)
        lines.append(
            f"{label:{label_width}}{median:8.2f}s{min(times):8.2f}s{max(times):8.2f}s"
            f"{median / base:{ratio_width - 1}.2f}x"
        )
    return "\n".join(lines)
