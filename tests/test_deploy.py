"""Running the workshop beyond one server: the image's build steps, and the Zero to JupyterHub values.

No container engine and no Kubernetes cluster here, so what can be checked is checked:
`deploy/image/build-steps.sh` (every step of the image) runs into a temporary folder and leaves
a server ready to start; the Dockerfile runs that script; the Helm values parse and name only
settings of the chart (`deploy/helm/chart-keys.txt`, written by `scripts/chart_keys.py` from
the chart's own schema) and of the JupyterHub release the kit installs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib.metadata import entry_points, version
from pathlib import Path

import duckdb
import pytest
import yaml

from mesh_workshop.mesh.layout import load_mesh
from mesh_workshop.paths import HOME_ENV, WORKSHOP_ENV, WORKSPACE_ENV

ROOT = Path(__file__).resolve().parents[1]
IMAGE = ROOT / "deploy" / "image"
HELM = ROOT / "deploy" / "helm"
sys.path.insert(0, str(ROOT / "scripts"))

import chart_keys  # noqa: E402

# Classes a hub's config may name, found through JupyterHub's own entry points.
JUPYTERHUB_PLUGINS = ("jupyterhub.authenticators", "jupyterhub.spawners", "jupyterhub.proxies")


def values(name: str) -> dict:
    return yaml.safe_load((HELM / name).read_text(encoding="utf-8"))


def key_paths(node: dict, path: tuple[str, ...] = ()):
    """Every key path of a values file: each mapping's keys, at every depth (lists are leaves,
    as the chart's schema treats them)."""
    for key, value in node.items():
        here = (*path, str(key))
        yield here
        if isinstance(value, dict):
            yield from key_paths(value, here)


def chart_rules() -> list[tuple[str, ...]]:
    return chart_keys.read_lines((HELM / "chart-keys.txt").read_text().splitlines())


def chart_header() -> str:
    lines = (HELM / "chart-keys.txt").read_text().splitlines()
    return "\n".join(line for line in lines if line.startswith("#"))


# The list of the chart's keys ------------------------------------------------------------------


SMALL_SCHEMA = """
type: object
additionalProperties: false
properties:
  hub:
    type: object
    additionalProperties: false
    properties:
      config:
        type: object
        additionalProperties: false
        patternProperties:
          "^[A-Z].*$":
            type: object
            additionalProperties: true
      labels:
        type: object
        additionalProperties: false
        patternProperties:
          ".*": {type: string}
      extraEnv:
        type: [object, array]
        additionalProperties: true
      image:
        type: object
        additionalProperties: false
        properties:
          name: {type: string}
          tag: {type: string}
  secret:
    type: object
    required: [create]
    additionalProperties: false
    if:
      properties:
        create: {const: true}
    then:
      properties:
        create: {type: boolean}
        password: {type: string}
"""


def test_chart_keys_lists_what_a_schema_allows(tmp_path):
    schema = tmp_path / "values.schema.yaml"
    schema.write_text(SMALL_SCHEMA)
    out = tmp_path / "keys.txt"
    chart_keys.main(
        [str(schema), "--chart", "demo 1.2.3", "--source", "demo/values.schema.yaml"]
        + ["--app-version", "9.9", "-o", str(out)]
    )
    text = out.read_text()
    assert text.startswith("# Key paths the Helm chart demo 1.2.3 allows")
    assert "demo/values.schema.yaml" in text
    rules = chart_keys.read_lines(text.splitlines())
    assert ("hub", "config", "{^[A-Z].*$}", "**") in rules
    assert ("secret", "password") in rules  # a key named only in a `then` branch

    def ok(dotted: str) -> bool:
        return chart_keys.allowed(tuple(dotted.split(".")), rules)

    for path in (
        "hub.image.name",
        "hub.config.JupyterHub",
        "hub.config.JupyterHub.authenticator_class",
        "hub.config.KubeSpawner.environment.A_VARIABLE",
        "hub.labels.team",
        "hub.extraEnv.ANYTHING",
        "secret.create",
    ):
        assert ok(path), path
    for path in (
        "hub.image.registry",  # not in the schema
        "hub.config.jupyterHub",  # the pattern wants a capital first
        "hub.labels.team.more",  # a label is a string: nothing below it
        "hub.imag",
        "singleuser",
    ):
        assert not ok(path), path


def test_the_committed_list_says_where_it_came_from():
    header = chart_header()
    assert "jupyterhub 4.4.0" in header
    assert "jupyterhub/values.schema.yaml" in header
    assert "scripts/chart_keys.py" in header
    rules = chart_rules()
    assert len(rules) > 300
    assert ("singleuser", "image", "name") in rules


# The Helm values -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["config.yaml", "passwords.example.yaml"])
def test_helm_values_name_only_settings_the_chart_has(name):
    rules = chart_rules()
    unknown = [".".join(p) for p in key_paths(values(name)) if not chart_keys.allowed(p, rules)]
    assert not unknown, f"{name} names settings the chart does not have: {unknown}"


def jupyterhub_classes() -> dict[str, type]:
    """Every configurable class of the installed JupyterHub a hub's config may name."""
    from jupyterhub.app import JupyterHub
    from traitlets.config import Configurable

    found: dict[str, type] = {}
    roots: list[type] = [JupyterHub]
    for group in JUPYTERHUB_PLUGINS:
        for point in entry_points(group=group):
            try:
                roots.append(point.load())
            except ImportError:  # a plugin whose own dependencies are not installed
                continue
    for root in roots:
        for cls in root.__mro__:
            if isinstance(cls, type) and issubclass(cls, Configurable):
                found.setdefault(cls.__name__, cls)
    return found


def test_hub_config_names_classes_and_traits_of_the_installed_jupyterhub():
    """`hub.config` is passed to JupyterHub as it is, so the chart cannot check it: JupyterHub
    itself (the version the kit's lock installs) says which classes and settings exist."""
    classes = jupyterhub_classes()
    for name in ("config.yaml", "passwords.example.yaml"):
        for class_name, traits in values(name)["hub"]["config"].items():
            assert class_name in classes, f"{name}: JupyterHub has no class {class_name}"
            known = classes[class_name].class_traits(config=True)
            for trait in traits:
                assert trait in known, f"{name}: {class_name} has no setting {trait}"
    hub = values("config.yaml")["hub"]["config"]
    authenticator = hub["JupyterHub"]["authenticator_class"]
    names = {point.name for point in entry_points(group="jupyterhub.authenticators")}
    assert authenticator in names
    assert authenticator == "shared-password"


def test_the_image_runs_the_jupyterhub_release_of_the_chart():
    """The user servers' JupyterHub (from requirements.lock) is the hub's own minor release."""
    app_version = re.search(r"appVersion (\d+)\.(\d+)\.", chart_header())
    assert app_version, "the header names the chart's appVersion"
    lock = (ROOT / "requirements.lock").read_text()
    locked = re.search(r"^jupyterhub==(\d+)\.(\d+)\.", lock, re.MULTILINE)
    assert locked, "requirements.lock pins jupyterhub (the image's jupyterhub-singleuser)"
    assert locked.groups() == app_version.groups()
    assert version("jupyterhub").split(".")[:2] == list(locked.groups())


def test_helm_values_fit_the_kit_and_the_image():
    config = values("config.yaml")
    single = config["singleuser"]
    # The shared workshop folder: the claim the volume file creates, mounted where the kit looks.
    volume_docs = list(yaml.safe_load_all((HELM / "workshop-volume.yaml").read_text()))
    claim = next(d for d in volume_docs if d["kind"] == "PersistentVolumeClaim")
    pod = next(d for d in volume_docs if d["kind"] == "Pod")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    (volume,) = single["storage"]["extraVolumes"]
    assert volume["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"]
    (mount,) = single["storage"]["extraVolumeMounts"]
    assert mount["name"] == volume["name"]
    shared = single["extraEnv"][WORKSHOP_ENV]
    assert shared.startswith(mount["mountPath"] + "/")
    # Each pod runs its own small pool of dbt workers; a pool for the whole room is one machine's.
    assert "RAINBOW_ROAD_DBT_POOL" not in single["extraEnv"]
    # The organiser's pod: the same image, the same folder.
    image = f"{single['image']['name']}:{single['image']['tag']}"
    for container in pod["spec"]["initContainers"] + pod["spec"]["containers"]:
        assert container["image"] == image
        assert any(m["mountPath"] == mount["mountPath"] for m in container["volumeMounts"])
    (files,) = pod["spec"]["containers"]
    assert {"name": WORKSHOP_ENV, "value": shared} in files["env"]
    # The start notebook the hub opens is where the image's entry point copies the notebooks.
    start = (IMAGE / "start.sh").read_text()
    folder = re.search(r"RAINBOW_ROAD_NOTEBOOKS:-\$HOME/([\w-]+)", start).group(1)
    prefix, notebook = single["defaultUrl"].rsplit("/", 1)
    assert prefix == f"/lab/tree/{folder}"
    assert (ROOT / "notebooks" / notebook).is_file()
    assert single["cmd"] == "jupyterhub-singleuser"
    # The image's user.
    dockerfile = (IMAGE / "Dockerfile").read_text()
    assert single["uid"] == int(re.search(r"ARG NB_UID=(\d+)", dockerfile).group(1))
    assert single["fsGid"] == int(re.search(r"ARG NB_GID=(\d+)", dockerfile).group(1))
    # Resources: a limit never below its guarantee; about a gigabyte per user.
    assert single["cpu"]["limit"] >= single["cpu"]["guarantee"] > 0
    assert _bytes(single["memory"]["limit"]) >= _bytes(single["memory"]["guarantee"])
    assert 0.6e9 <= _bytes(single["memory"]["guarantee"]) <= 2e9
    assert config["cull"]["enabled"] is True and config["cull"]["timeout"] > 0


def test_no_password_is_committed():
    hub = values("config.yaml")["hub"]["config"]
    assert "user_password" not in hub.get("SharedPasswordAuthenticator", {})
    assert "admin_password" not in hub.get("SharedPasswordAuthenticator", {})
    example = values("passwords.example.yaml")["hub"]["config"]["SharedPasswordAuthenticator"]
    assert example == {"user_password": "", "admin_password": ""}


def _bytes(quantity: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([KMGT]i?)?", str(quantity)).groups()
    scale = {"K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    return float(number) * scale.get(unit or "", 1)


def test_the_docs_install_the_chart_version_the_keys_came_from():
    guide = (ROOT / "docs" / "run-a-conference.md").read_text()
    assert "--version 4.4.0" in guide
    assert "--repo https://hub.jupyter.org/helm-chart/" in guide


# The image -------------------------------------------------------------------------------------


def test_the_dockerfile_runs_the_build_steps_as_the_servers_user():
    dockerfile = (IMAGE / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.MULTILINE)
    prefix = re.search(r"^ARG PREFIX=(\S+)$", dockerfile, re.MULTILINE).group(1)
    run = re.search(r"^RUN .*deploy/image/build-steps\.sh .*$", dockerfile, re.MULTILINE)
    assert run, "the image's build is the script the tests run"
    user = dockerfile.index("USER ${NB_UID}:${NB_GID}")
    assert user < run.start(), "the build steps run as uid 1000, not as root"
    # The image installs from the lock: the test's shortcut is never taken there.
    assert "RAINBOW_ROAD_REUSE_VENV" not in dockerfile
    # The same environment the script writes to env.sh.
    assert f"{WORKSPACE_ENV}=${{PREFIX}}/workspace" in dockerfile
    assert f"{HOME_ENV}=${{PREFIX}}/kit" in dockerfile
    assert f'ENTRYPOINT ["{prefix}/bin/rainbow-road-start"]' in dockerfile
    steps = (IMAGE / "build-steps.sh").read_text()
    assert '-r "$KIT/requirements.lock"' in steps
    assert "mesh-workshop monolith build" in steps and "mesh-workshop build" in steps
    assert os.access(IMAGE / "build-steps.sh", os.X_OK) and os.access(IMAGE / "start.sh", os.X_OK)


@pytest.fixture(scope="module")
def built_prefix(tmp_path_factory) -> Path:
    """The image's build steps run into a temporary folder, as the Dockerfile runs them, but
    with this test's own environment instead of a fresh install from the lock."""
    prefix = tmp_path_factory.mktemp("image") / "rainbow-road"
    env = _clean_env()
    env["RAINBOW_ROAD_REUSE_VENV"] = sys.prefix
    done = subprocess.run(
        ["bash", str(IMAGE / "build-steps.sh"), str(prefix)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return prefix


def _clean_env() -> dict[str, str]:
    """This process's environment without any of the kit's folders (the script sets its own)."""
    env = dict(os.environ)
    for name in (HOME_ENV, WORKSPACE_ENV, WORKSHOP_ENV, "RAINBOW_ROAD_DBT_POOL"):
        env.pop(name, None)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    return env


def _in_prefix(prefix: Path, command: str, **env: str) -> subprocess.CompletedProcess:
    """`command` in bash with the prefix's env.sh sourced, as the image's environment."""
    return subprocess.run(
        ["bash", "-c", f'source "{prefix}/env.sh" && {command}'],
        env={**_clean_env(), **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def built_files(workspace: Path) -> dict[str, float]:
    """The baseline's built files and when each was last written."""
    return {
        str(p): p.stat().st_mtime
        for folder in ("monolith", "mesh")
        for p in (workspace / folder).rglob("*")
        if p.is_file()
    }


@pytest.mark.slow
def test_the_build_steps_leave_a_server_ready_to_start(built_prefix):
    kit, workspace = built_prefix / "kit", built_prefix / "workspace"
    assert (kit / "rainbow_road_monolith" / "dbt_project.yml").is_file()
    assert not (kit / ".git").exists() and not (kit / ".venv").exists()
    # The baseline is built: the legacy project's and every mesh project's warehouse.
    assert (workspace / "monolith" / "data_platform.duckdb").is_file()
    projects = [p.name for p in load_mesh(kit / "mesh_projects").projects]
    assert len(projects) == 4
    for project in projects:
        warehouse = workspace / "mesh" / project / f"{project}.duckdb"
        with duckdb.connect(str(warehouse), read_only=True) as con:
            (tables,) = con.execute("select count(*) from information_schema.tables").fetchone()
        assert tables > 5, project
    # The notebooks are in place.
    shipped = sorted(p.name for p in (kit / "notebooks").glob("*.ipynb"))
    assert (
        shipped and sorted(p.name for p in (built_prefix / "notebooks").glob("*.ipynb")) == shipped
    )
    # The environment a server gets.
    env = (built_prefix / "env.sh").read_text()
    assert f'export {WORKSPACE_ENV}="{workspace}"' in env
    assert f'export {HOME_ENV}="{kit}"' in env
    # Nothing is left to build: `prepare` finds it all and builds nothing.
    before = built_files(workspace)
    done = _in_prefix(built_prefix, "mesh-workshop prepare")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Everything is built." in done.stdout
    assert "Building" not in done.stdout
    assert built_files(workspace) == before


@pytest.mark.verify
def test_a_check_in_the_built_server_starts_from_the_baseline(built_prefix, tmp_path):
    """A group's first check builds only what its proposal changes, on the baseline the image
    holds, and never writes to that baseline. (Left to `make verify`: with the build steps it
    would take this file past two minutes of a CI run.)"""
    workspace = built_prefix / "workspace"
    before = built_files(workspace)
    proposal = built_prefix / "kit" / "proposals" / "examples" / "hide_the_intermediate.yml"
    done = _in_prefix(
        built_prefix,
        f'mesh-workshop check "{proposal}" --out "{tmp_path / "sandbox"}" --json',
        **{WORKSHOP_ENV: str(tmp_path / "shared")},
    )
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    verdict = json.loads(done.stdout)
    hub = next(p for p in verdict["build"]["projects"] if p["name"] == "data_platform")
    assert hub["selection"] == "changes only", hub
    assert {f["code"] for f in verdict["findings"]} >= {"protected_violation"}
    assert built_files(workspace) == before


@pytest.mark.slow
def test_the_entry_point_copies_the_notebooks_then_runs_the_server(built_prefix, tmp_path):
    """On Kubernetes the home folder is a volume of its own: the entry point fills it, then
    hands over to the command JupyterHub gives it."""
    home = tmp_path / "home"
    home.mkdir()
    show = "import os; print(os.environ['RAINBOW_ROAD_WORKSPACE'], os.getcwd())"
    done = subprocess.run(
        [str(built_prefix / "bin" / "rainbow-road-start"), "python", "-c", show],
        env={**_clean_env(), "HOME": str(home)},
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1].split() == [str(built_prefix / "workspace"), str(home)]
    assert any(line.startswith("Copied 00_start_here.ipynb") for line in lines)
    copies = sorted(p.name for p in (home / "rainbow-road").glob("*.ipynb"))
    assert copies == sorted(p.name for p in (built_prefix / "kit" / "notebooks").glob("*.ipynb"))
