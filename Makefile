# Rainbow Road dbt Mesh workshop kit. Two commands matter:
#   make lab    set everything up and open the workshop in JupyterLab (the projects build meanwhile)
#   make test   set everything up and run every test
# Both can be run again at any time: they only redo what is missing or out of date.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The room works in its own copies of the notebooks (git-ignored), so `git pull` always works.
MY_NOTEBOOKS ?= my_notebooks
FIRST_NOTEBOOK := $(MY_NOTEBOOKS)/00_start_here.ipynb
# JupyterLab refuses to run as root unless asked explicitly (containers, cloud VMs).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: setup data build lab test lint benchmark verify clean lock proxy hub load-test

setup: $(STAMP) data

# Every venue installs the same versions: the ones in requirements.lock (`make lock` renews it).
# uv installs them in seconds; if uv cannot be installed here, pip installs the same lock, slower.
UV_VERSION := 0.13.9
LOCK := requirements.lock

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "The kit needs Python 3.10 or newer, and $(PYTHON) is " + sys.version.split()[0] + ". Install a newer Python and run: make $(MAKECMDGOALS) PYTHON=python3.12")'
	$(PYTHON) -m venv $(VENV)
	@if $(BIN)/python -m pip install --quiet uv==$(UV_VERSION); then \
		echo "Installing the locked versions with uv"; \
		$(BIN)/uv pip install --quiet --python $(BIN)/python -r $(LOCK) && \
		$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .; \
	else \
		echo "uv could not be installed; installing the locked versions with pip (slower)"; \
		$(BIN)/python -m pip install --quiet -r $(LOCK) && \
		$(BIN)/python -m pip install --quiet --no-deps -e .; \
	fi
	@touch $@

# Renew the lock after changing the dependencies in pyproject.toml (needs the network).
lock: $(STAMP)
	$(BIN)/uv pip compile --quiet --universal --python-version 3.10 pyproject.toml --extra test -o $(LOCK)

# The raw CSV files are committed; regenerate them only if they are missing.
data: $(STAMP)
	@test -f data/raw/animals.csv || $(BIN)/python scripts/generate_data.py

build: setup
	$(BIN)/mesh-workshop monolith build
	$(BIN)/mesh-workshop build

# JupyterLab opens at once; the legacy project and the mesh build in the background meanwhile
# (the start-here notebook shows their progress and waits for them). It opens the room's copies
# of the notebooks in $(MY_NOTEBOOKS)/: missing ones are copied, unchanged ones follow the kit's
# updates, edited ones are kept (with the update beside them). LAB_ARGS go to JupyterLab,
# e.g. `make lab LAB_ARGS="--no-browser --port 9999"`.
lab: setup
	$(BIN)/mesh-workshop prepare --background
	$(BIN)/mesh-workshop notebooks --to "$(MY_NOTEBOOKS)"
	$(BIN)/jupyter lab $(ROOT_FLAG) $(LAB_ARGS) "$(FIRST_NOTEBOOK)"

# A whole room on this server: JupyterHub, one JupyterLab per person, every group saving into
# one folder (docs/run-a-room.md). It prints the address, the room's password and the
# facilitator's login. HUB_ARGS go to `mesh-workshop hub`, e.g.
# `make hub HUB_ARGS="--port 8010 --password otters-and-owls"`.
hub: setup proxy
	$(BIN)/mesh-workshop hub $(HUB_ARGS)

# The proxy JupyterHub puts in front of everyone's server, at the version pinned in
# hub/package-lock.json, installed into hub/node_modules/ only when missing (needs npm).
HUB_PROXY := hub/node_modules/.bin/configurable-http-proxy

proxy: $(HUB_PROXY)

$(HUB_PROXY): hub/package.json hub/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		echo "Installing the hub's proxy with npm"; \
		npm ci --prefix hub --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm is not installed: the room's hub (make hub) and its tests need Node.js 20+ with npm."; \
	fi

# A room of simulated groups on a hub of its own: each logs in, opens a scenario and presses
# Apply & check (half right, half wrong), over a few rounds; it checks every verdict and reports
# click-to-verdict times and the server's memory. Not part of `make test`. For example
# `make load-test LOAD_TEST_ARGS="--groups 30 --rounds 3 --json load.json"`.
LOAD_TEST_ARGS ?= --groups 10

load-test: setup proxy
	$(BIN)/python scripts/load_test.py $(LOAD_TEST_ARGS)

# Test files run in parallel, one file per worker at a time (most tests wait on one dbt
# process, so two workers keep two cores busy). `make test TEST_WORKERS=0` runs them in one.
TEST_WORKERS ?= 2

test: setup proxy
	$(BIN)/python -m ruff check src tests scripts
	$(BIN)/python -m pytest -m "not verify" $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)

# Timings of the kit against plain dbt (long: several full builds each). Any script option
# applies to all of them, e.g. `make benchmark BENCHMARK_ARGS=--smoke` (one quick round each, as
# tests/test_benchmarks.py runs them) or `BENCHMARK_ARGS="--runs 5"`.
benchmark: setup
	$(BIN)/python scripts/benchmark_monolith.py $(BENCHMARK_ARGS)
	$(BIN)/python scripts/benchmark_mesh.py $(BENCHMARK_ARGS)
	$(BIN)/python scripts/benchmark_check.py $(BENCHMARK_ARGS)
	$(BIN)/python scripts/benchmark_click.py $(BENCHMARK_ARGS)
	$(BIN)/python scripts/benchmark_lab.py $(BENCHMARK_ARGS)
	$(BIN)/python scripts/benchmark_council.py $(BENCHMARK_ARGS)
	$(BIN)/python scripts/benchmark_grade.py $(BENCHMARK_ARGS)

# The kit's verdicts against plain dbt's: first the tests that compare a small sample (marked
# `verify`, left out of `make test`), then the examples, every scenario answer and a seeded
# random sample of proposals (over 100 in all; about an hour on two cores, less when cached).
verify: setup
	$(BIN)/python -m pytest -m verify
	$(BIN)/python scripts/equivalence.py

clean:
	rm -rf .workspace rainbow_road_monolith/target rainbow_road_monolith/logs mesh_projects/*/target mesh_projects/*/logs
	rm -rf rainbow_road_monolith/dbt_packages rainbow_road_monolith/package-lock.yml mesh_projects/*/dbt_packages mesh_projects/*/package-lock.yml
