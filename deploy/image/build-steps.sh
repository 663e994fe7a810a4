#!/usr/bin/env bash
# The workshop server's build steps, in one script: the image (deploy/image/Dockerfile) runs it,
# and so can any machine without a container engine (tests/test_deploy.py runs it in CI).
#
#   deploy/image/build-steps.sh PREFIX [NOTEBOOKS_DIR]
#
# leaves everything a user's server needs under PREFIX, ready to start:
#
#   PREFIX/kit/        a copy of the kit's checkout (projects, raw data, scenarios, notebooks, src)
#   PREFIX/venv/       a virtual environment with the versions pinned in requirements.lock
#                      (jupyterhub-singleuser included) and the kit installed from PREFIX/kit
#                      (editable, as `make setup` does)
#   PREFIX/workspace/  the legacy project and the mesh, built with dbt (RAINBOW_ROAD_WORKSPACE)
#   PREFIX/env.sh      the environment a server needs, for `source` or an image's ENV lines
#   PREFIX/bin/rainbow-road-start   the server's entry point (copies the notebooks, then runs
#                      the command it is given)
#   NOTEBOOKS_DIR      the room's copies of the notebooks (default: PREFIX/notebooks)
#
# Options, from the environment:
#   RAINBOW_ROAD_REUSE_VENV=DIR  use this existing environment instead of creating PREFIX/venv
#                                (the test does, to save reinstalling every package); the image
#                                never sets it, so it always installs from requirements.lock.
#   PYTHON=python3               the interpreter that creates PREFIX/venv.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 PREFIX [NOTEBOOKS_DIR]" >&2
    exit 2
fi
mkdir -p "$1"
PREFIX="$(cd "$1" && pwd)"
NOTEBOOKS_DIR="${2:-$PREFIX/notebooks}"
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KIT="$PREFIX/kit"
WORKSPACE="$PREFIX/workspace"
PYTHON="${PYTHON:-python3}"
UV_VERSION=0.13.9 # the same uv as the Makefile's

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step "Copying the kit from $SOURCE to $KIT"
if [ "$SOURCE" != "$KIT" ]; then
    # Everything the kit reads at run time; never a local build, environment or room's copies.
    rm -rf "$KIT"
    mkdir -p "$KIT"
    tar -C "$SOURCE" -cf - \
        --exclude=./.git --exclude=./.venv --exclude=./.workspace --exclude=./my_notebooks \
        --exclude=__pycache__ --exclude='*.egg-info' --exclude=.pytest_cache \
        --exclude=.ruff_cache --exclude=.hypothesis --exclude=target --exclude=logs \
        --exclude=dbt_packages --exclude=node_modules --exclude='*.duckdb' --exclude='*.duckdb.wal' \
        --exclude=./test-artifacts --exclude=./tests --exclude=./.ci \
        . | tar -C "$KIT" -xf -
else
    echo "The kit is already in place."
fi
test -f "$KIT/rainbow_road_monolith/dbt_project.yml"
test -f "$KIT/requirements.lock"

if [ -n "${RAINBOW_ROAD_REUSE_VENV:-}" ]; then
    step "Reusing the environment $RAINBOW_ROAD_REUSE_VENV (nothing installed)"
    VENV="$(cd "$RAINBOW_ROAD_REUSE_VENV" && pwd)"
else
    step "Installing the locked versions into $PREFIX/venv"
    VENV="$PREFIX/venv"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --no-cache-dir "uv==$UV_VERSION"
    "$VENV/bin/uv" pip install --quiet --no-cache --python "$VENV/bin/python" \
        -r "$KIT/requirements.lock"
    # As `make setup` installs it: the package runs from the kit's copy, beside its projects.
    "$VENV/bin/uv" pip install --quiet --no-cache --python "$VENV/bin/python" --no-deps -e "$KIT"
    "$VENV/bin/python" -m pip uninstall --quiet --yes uv
fi
for tool in mesh-workshop jupyter jupyterhub-singleuser; do
    if [ ! -x "$VENV/bin/$tool" ]; then
        echo "$VENV/bin/$tool is missing: the environment must hold requirements.lock's versions." >&2
        exit 1
    fi
done

step "Writing $PREFIX/env.sh"
cat >"$PREFIX/env.sh" <<EOF
# The Rainbow Road workshop server's environment (written by deploy/image/build-steps.sh).
export MESH_WORKSHOP_HOME="$KIT"
export RAINBOW_ROAD_WORKSPACE="$WORKSPACE"
export PATH="$VENV/bin:\$PATH"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
EOF
# shellcheck source=/dev/null
source "$PREFIX/env.sh"

step "Building the legacy project with dbt into $WORKSPACE"
mesh-workshop monolith build

step "Building the mesh with dbt"
mesh-workshop build

step "Checking that nothing is left to build"
mesh-workshop prepare

step "Copying the notebooks into $NOTEBOOKS_DIR"
mesh-workshop notebooks --to "$NOTEBOOKS_DIR"

step "Installing the server's entry point"
mkdir -p "$PREFIX/bin"
install -m 0755 "$SOURCE/deploy/image/start.sh" "$PREFIX/bin/rainbow-road-start"
# The entry point finds the environment beside it.
sed -i "s|@PREFIX@|$PREFIX|" "$PREFIX/bin/rainbow-road-start"

# Built folders are read by every server started from this build: no DuckDB file may still be
# open, and nothing of dbt's temporary state is worth keeping.
rm -f "$WORKSPACE/prepare.lock"
step "Done: $PREFIX is ready"
