"""Generate the raw operational data of Rainbow Road, a fictional pet-rescue non-profit.

Writes one CSV file per raw table, as the source systems would export them (every value is text),
covering Rainbow Road's operations from 2021-01-01 to 2025-12-31 in five regions.

The data is synthetic and deterministic: a fixed seed, no wall clock and no set iteration, so every
run writes the same bytes. It deliberately carries the data-entry mistakes that the staging models
clean up: ids and categories in mixed case with stray spaces, several date formats, money written
as '$1,250.00', yes/no flags written many ways, 'N/A' and empty strings for missing values, weights
and hours with units or decimal commas, state names instead of codes, and double submissions.

The world is built in a fixed order (each step draws from one shared random stream), then
rendered as text with the messy entries (a second stream), then double submissions are added
(a third). Changing the order of any draw changes the bytes of the committed files.

Usage:
    python -m mesh_workshop.monolith.data            # writes data/raw/*.csv in the kit's checkout
    python -m mesh_workshop.monolith.data --out DIR  # writes somewhere else
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from mesh_workshop.paths import raw_data_dir

from .animals import build_animals, weigh_intakes
from .finance import build_expenses, build_grants
from .fundraising import build_donors
from .marketing import build_adoption_events, build_campaigns
from .noise import Noise
from .staff import build_employees
from .volunteers import build_shifts, build_volunteers
from .world import World, build_reference
from .writer import add_double_submissions, render, write_tables

SEED = 20210101
USAGE = "python -m mesh_workshop.monolith.data [--out DIR]"


def build_world(seed: int = SEED) -> World:
    """Simulate five years of Rainbow Road's operations (the steps' order is the draws' order)."""
    world = World(seed)
    build_reference(world)
    build_campaigns(world)
    build_adoption_events(world)
    build_volunteers(world)
    build_animals(world)
    build_shifts(world)
    build_employees(world)
    build_donors(world)
    build_grants(world)
    build_expenses(world)
    weigh_intakes(world)
    return world


def generate(out_dir: Path) -> list[tuple[str, int, int]]:
    """Write every raw CSV file into `out_dir`; one (table, rows, bytes) entry per file."""
    world = build_world(SEED)
    tables = render(world, Noise(random.Random(SEED + 1)))
    add_double_submissions(tables, random.Random(SEED + 2))
    return write_tables(tables, out_dir)


def main(argv: list[str] | None = None) -> int:
    """Write the raw CSV files and print one line per table; exit code 2 for unknown arguments."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args in (["-h"], ["--help"]):
        print(f"usage: {USAGE}\n\nWrite Rainbow Road's raw CSV files (deterministic, synthetic).")
        print("  --out DIR  output folder (default: data/raw in the kit's checkout)")
        return 0
    if len(args) == 1 and args[0].startswith("--out="):
        args = ["--out", args[0].removeprefix("--out=")]
    if args and (len(args) != 2 or args[0] != "--out" or not args[1]):
        print(f"Unexpected arguments `{' '.join(args)}`.\nUsage: {USAGE}", file=sys.stderr)
        return 2
    out = Path(args[1]) if args else raw_data_dir()
    started = time.perf_counter()
    summary = generate(out)
    total = sum(size for _, _, size in summary)
    for name, rows, size in summary:
        print(f"{name:<24} {rows:>7} rows {size / 1024:>8.1f} KiB")
    print(
        f"{len(summary)} tables, {total / 1024 / 1024:.2f} MiB in {out} ({time.perf_counter() - started:.1f} s)"
    )
    return 0
