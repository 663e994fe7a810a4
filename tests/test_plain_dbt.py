"""People who prefer a terminal can run plain `dbt build` inside the project folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from mesh_workshop.dbt.runner import DUCKDB_PATH_ENV, RAW_DIR_ENV


def test_plain_dbt_build_in_the_project_folder_works(tmp_path, repo_root):
    # The same layout as a fresh clone: the project beside data/raw, nothing configured.
    shutil.copytree(
        repo_root / "rainbow_road_monolith",
        tmp_path / "rainbow_road_monolith",
        ignore=shutil.ignore_patterns("target", "logs", "*.duckdb"),
    )
    shutil.copytree(repo_root / "data", tmp_path / "data")
    env = {k: v for k, v in os.environ.items() if k not in {DUCKDB_PATH_ENV, RAW_DIR_ENV}}
    project = tmp_path / "rainbow_road_monolith"

    done = subprocess.run(
        [sys.executable, "-c", "from dbt.cli.main import cli; cli()", "build"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )

    assert done.returncode == 0, done.stdout[-3000:]
    assert "Completed successfully" in done.stdout
    assert (project / "data_platform.duckdb").is_file()
