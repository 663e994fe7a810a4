"""The raw data is deterministic, committed as generated, small, and covers what the story needs."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest

from mesh_workshop.dbt.warehouse import query
from mesh_workshop.monolith import data
from mesh_workshop.monolith import project as monolith


@pytest.mark.parametrize(
    "command",
    [["scripts/generate_data.py"], ["-m", "mesh_workshop.monolith.data"]],
    ids=["script", "package"],
)
def test_the_generator_writes_exactly_the_committed_files(tmp_path, repo_root, command):
    out = tmp_path / "raw"
    subprocess.run(
        [sys.executable, *command, "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=repo_root,
    )
    committed = repo_root / "data/raw"
    names = sorted(p.name for p in committed.glob("*.csv"))
    assert names == sorted(p.name for p in out.glob("*.csv"))
    assert len(names) >= 20
    _, mismatch, errors = filecmp.cmpfiles(committed, out, names, shallow=False)
    assert mismatch == [] and errors == []


def test_the_generator_refuses_unknown_arguments(capsys):
    assert data.main(["--outt", "x"]) == 2
    assert "Unexpected arguments `--outt x`." in capsys.readouterr().err


def test_the_raw_data_is_small_enough_to_commit(repo_root):
    total = sum(p.stat().st_size for p in (repo_root / "data/raw").glob("*.csv"))
    assert total < 10 * 1024 * 1024


def test_the_raw_data_holds_the_messy_entries_staging_cleans(repo_root):
    raw = repo_root / "data/raw"
    text = "".join(p.read_text() for p in sorted(raw.glob("*.csv")))
    assert "$" in text  # money typed as '$1,250.00'
    assert any(ch in text for ch in ("/2021", "/2022", "/2023"))  # US-style dates beside ISO dates
    assert "N/A" in text


def _one(sql: str):
    return query(monolith.monolith_run().warehouse, sql).iloc[0, 0]


def test_the_data_covers_four_years_five_regions_ten_states_and_25_facilities(built_monolith):
    assert _one("select count(*) from dim_regions") >= 4
    assert _one("select count(distinct state_code) from dim_facilities") >= 10
    assert _one("select count(*) from dim_facilities") >= 25
    assert _one("select count(distinct facility_type) from dim_facilities") == 4
    days = _one("select max(intake_date) - min(intake_date) from fct_intakes")
    assert days >= 4 * 365


def test_double_submitted_shifts_are_kept_once_in_staging(built_monolith, repo_root):
    import csv

    with open(repo_root / "data/raw/volunteer_shifts.csv", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    distinct_shifts = {row[0].strip().upper() for row in rows}
    assert len(distinct_shifts) < len(rows)  # the raw export does hold double submissions
    assert _one("select count(*) from stg_volunteer_portal__volunteer_shifts") == len(
        distinct_shifts
    )


def test_generated_files_are_utf8_with_unix_line_endings(repo_root):
    for path in (repo_root / "data/raw").glob("*.csv"):
        data = path.read_bytes()
        assert b"\r\n" not in data, path.name
        data.decode("utf-8")


def test_raw_folder_has_only_csv(repo_root):
    assert {p.suffix for p in Path(repo_root / "data/raw").iterdir()} == {".csv"}
