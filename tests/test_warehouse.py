"""Reading the warehouse: plain messages when it is missing or held by another program."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from mesh_workshop.dbt.runner import run_dbt
from mesh_workshop.dbt.warehouse import query
from mesh_workshop.errors import WarehouseLocked, WarehouseMissing
from mesh_workshop.monolith import project as monolith


def test_reading_a_warehouse_that_was_never_built_says_how_to_build_it(tmp_path):
    with pytest.raises(WarehouseMissing, match="has not been built yet") as info:
        query(tmp_path / "nothing.duckdb", "select 1")
    assert "mesh-workshop monolith build" in info.value.hint


@pytest.fixture
def holder(monolith_copy):
    """Another process that keeps the copied warehouse open for writing."""
    script = textwrap.dedent(
        f"""
        import duckdb, sys, time
        con = duckdb.connect({str(monolith_copy.warehouse)!r})
        print("holding", flush=True)
        sys.stdin.readline()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "holding"
    yield proc
    proc.communicate("done\n", timeout=30)


def test_a_locked_warehouse_names_the_process_that_holds_it(monolith_copy, holder):
    with pytest.raises(WarehouseLocked) as info:
        query(monolith_copy.warehouse, "select 1")
    assert f"PID {holder.pid}" in info.value.message
    assert f"kill {holder.pid}" in info.value.hint


def test_a_build_against_a_locked_warehouse_names_the_holder_instead_of_a_traceback(
    monolith_copy, holder
):
    with pytest.raises(WarehouseLocked) as info:
        run_dbt(monolith_copy, "build", ["--select", "dim_regions"])
    assert f"PID {holder.pid}" in info.value.message


def test_the_kits_own_reads_never_block_the_next_build(built_monolith):
    assert len(monolith.ask("adoptions_by_region_and_year")) >= 4
    result = monolith.build_monolith(select=["dim_regions"])
    assert result.ok, result.summary()


def test_answers_are_shown_with_dollars_separators_and_a_dash_for_no_value(built_monolith):
    raw = monolith.ask("donations_by_campaign")
    assert raw["goal"].isna().any(), "the campaign-less donations have no goal"
    shown = monolith.answer_table("donations_by_campaign").to_html()
    assert "nan" not in shown.lower() and "\u2014" in shown
    biggest = raw["total_usd"].astype(float).max()
    assert f"${biggest:,.2f}" in shown
    counts = monolith.answer_table("average_length_of_stay").to_html()
    outcomes = int(monolith.ask("average_length_of_stay")["outcomes"].max())
    assert f"{outcomes:,}" in counts
