"""People who prefer a terminal can run plain `dbt deps` and `dbt build` inside the project folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from mesh_workshop.dbt.packages import PACKAGES_ENV
from mesh_workshop.dbt.runner import DUCKDB_PATH_ENV, RAW_DIR_ENV


@pytest.mark.verify  # plain dbt from scratch: a slow comparison
def test_plain_dbt_build_in_the_project_folder_works_after_dbt_deps(tmp_path, repo_root):
    # The same layout as a fresh clone: the project beside the shared macros' package and
    # data/raw, nothing configured.
    for folder in ("rainbow_road_monolith", "rainbow_road_macros", "data"):
        shutil.copytree(
            repo_root / folder,
            tmp_path / folder,
            ignore=shutil.ignore_patterns(
                "target", "logs", "*.duckdb", "dbt_packages", "package-lock.yml"
            ),
        )
    env = {
        k: v for k, v in os.environ.items() if k not in {DUCKDB_PATH_ENV, RAW_DIR_ENV, PACKAGES_ENV}
    }
    project = tmp_path / "rainbow_road_monolith"

    def dbt(command: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", "from dbt.cli.main import cli; cli()", command],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
        )

    # Without `dbt deps` the shared macros are missing, and dbt says what to run.
    refused = dbt("build")
    assert refused.returncode != 0
    assert 'Run "dbt deps"' in refused.stdout

    installed = dbt("deps")
    assert installed.returncode == 0, installed.stdout[-3000:]
    assert (project / "dbt_packages" / "rainbow_road_macros" / "dbt_project.yml").is_file()

    done = dbt("build")
    assert done.returncode == 0, done.stdout[-3000:]
    assert "Completed successfully" in done.stdout
    assert (project / "data_platform.duckdb").is_file()
