"""The `mesh-workshop` command: real subprocesses, real exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from mesh_workshop.monolith import project as monolith


def _cli(*args: str, workspace) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mesh_workshop.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "RAINBOW_ROAD_WORKSPACE": str(workspace)},
    )


def test_ask_prints_the_answer_from_the_built_warehouse(built_monolith, workspace):
    done = _cli("monolith", "ask", "average_length_of_stay", workspace=workspace)
    assert done.returncode == 0, done.stderr
    assert "average_days_in_care" in done.stdout
    assert "dog" in done.stdout


def test_an_unknown_question_exits_2_with_did_you_mean(workspace):
    done = _cli("monolith", "ask", "donations_by_campain", workspace=workspace)
    assert done.returncode == 2
    assert "`donations_by_campain`" in done.stderr
    assert "Did you mean `donations_by_campaign`?" in done.stderr


def test_asking_before_building_says_how_to_build(tmp_path):
    done = _cli("monolith", "ask", "average_length_of_stay", workspace=tmp_path)
    assert done.returncode == 2
    assert "has not been built yet" in done.stderr


def test_build_with_json_reports_every_node(built_monolith, workspace):
    done = _cli("monolith", "build", "--select", "dim_regions", "--json", workspace=workspace)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["ok"] is True
    assert any(n["unique_id"] == "model.data_platform.dim_regions" for n in result["nodes"])


def test_a_broken_model_exits_1_and_names_it(built_monolith, tmp_path, repo_root):
    kit = tmp_path / "kit"
    shutil.copytree(
        repo_root / "rainbow_road_monolith",
        kit / "rainbow_road_monolith",
        ignore=shutil.ignore_patterns("target", "logs", "*.duckdb"),
    )
    shutil.copytree(repo_root / "rainbow_road_macros", kit / "rainbow_road_macros")
    shutil.copytree(repo_root / "data", kit / "data")
    model = kit / "rainbow_road_monolith/models/marts/core/dim_regions.sql"
    model.write_text(model.read_text().replace("select", "selec", 1))
    work = tmp_path / "workspace"
    (work / "monolith").mkdir(parents=True)
    shutil.copy2(monolith.monolith_run().warehouse, work / "monolith/data_platform.duckdb")

    done = subprocess.run(
        [sys.executable, "-m", "mesh_workshop.cli", "monolith", "build", "--select", "dim_regions"],
        capture_output=True,
        text=True,
        env={**os.environ, "RAINBOW_ROAD_WORKSPACE": str(work), "MESH_WORKSHOP_HOME": str(kit)},
    )

    assert done.returncode == 1, done.stdout + done.stderr
    assert "did NOT build" in done.stdout
    assert "model `dim_regions`: error" in done.stdout


def test_lineage_prints_a_mermaid_block_with_red_tangles(built_monolith, workspace):
    done = _cli("monolith", "lineage", "--view", "domains", workspace=workspace)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("```mermaid\nflowchart LR")
    assert "linkStyle" in done.stdout and "#d32f2f" in done.stdout


def test_the_tangles_are_every_cross_team_read_and_nothing_else(graph, workspace):
    done = _cli("monolith", "lineage", workspace=workspace)
    assert done.returncode == 0, done.stderr
    arrows = {
        tuple(line.strip().split(" --> ")) for line in done.stdout.splitlines() if " --> " in line
    }
    assert arrows == {(p.name, c.name) for p, c in graph.cross_domain_edges()}
    assert len(arrows) >= 5
    red = next(line for line in done.stdout.splitlines() if "linkStyle" in line)
    assert len(red.split()[1].split(",")) == len(arrows), "every tangle is red"


def test_one_model_is_drawn_among_what_it_reads_and_what_reads_it(built_monolith, workspace):
    done = _cli("monolith", "lineage", "--model", "fct_animal_outcomes", workspace=workspace)
    assert done.returncode == 0, done.stderr
    arrows = [line.strip() for line in done.stdout.splitlines() if " --> " in line]
    assert arrows and all("fct_animal_outcomes" in a for a in arrows)
    assert "fct_animal_outcomes --> grant_outcome_report" in arrows
    missing = _cli("monolith", "lineage", "--model", "no_such_model", workspace=workspace)
    assert missing.returncode == 2
    assert "no model `no_such_model`" in missing.stderr


def test_split_with_a_bad_plan_exits_2_and_writes_nothing(built_monolith, workspace, tmp_path):
    plan = tmp_path / "plan.yml"
    plan.write_text("version: 1\nhub: data_platform\nprojects: []\n")
    out = tmp_path / "mesh"
    done = _cli("split", "--plan", str(plan), "--out", str(out), workspace=workspace)
    assert done.returncode == 2
    assert "plan.yml" in done.stderr and "key `projects`" in done.stderr
    assert not out.exists()


def test_build_of_a_folder_without_projects_exits_2_and_says_what_to_do(workspace, tmp_path):
    done = _cli("build", "--mesh", str(tmp_path), workspace=workspace)
    assert done.returncode == 2
    assert "holds no dbt projects" in done.stderr and "mesh-workshop split" in done.stderr
