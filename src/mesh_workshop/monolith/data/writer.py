"""The export: render the world as text, add double submissions, write one CSV file per table."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from .noise import Noise
from .tables_office import office_tables
from .tables_rescue import rescue_tables
from .world import World


def render(w: World, nz: Noise) -> dict:
    """One (header, rows) pair per raw table; the rescue tables draw their noise first."""
    t = rescue_tables(w, nz)
    t.update(office_tables(w, nz))
    return t


# Tables where people submitted the same form twice; a few rows appear twice in the export.
DOUBLE_SUBMISSIONS = {
    "intakes": 0.006,
    "medical_events": 0.005,
    "volunteer_shifts": 0.008,
    "donations": 0.007,
    "web_leads": 0.01,
}


def add_double_submissions(tables: dict, rng: random.Random) -> None:
    for name, rate in DOUBLE_SUBMISSIONS.items():
        header, rows = tables[name]
        out = []
        for row in rows:
            out.append(row)
            if rng.random() < rate:
                out.append(list(row))
        tables[name] = (header, out)


def write_tables(tables: dict, out_dir: Path) -> list:
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = []
    for name in sorted(tables):
        header, rows = tables[name]
        path = out_dir / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
        summary.append((name, len(rows), path.stat().st_size))
    return summary
