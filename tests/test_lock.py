"""requirements.lock, which `make lab` and `make test` install, pins every dependency pyproject.toml
names to a version pyproject.toml allows (so a venue never installs something the kit was not
tested with, and a changed dependency without `make lock` fails here)."""

from __future__ import annotations

import re
import sys

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # the lock installs tomli on Python 3.10
    import tomli as tomllib

PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;]+)(?:\s*;\s*(?P<marker>.+))?$"
)


def _pins(text: str) -> dict[str, list[tuple[str, str | None]]]:
    pins: dict[str, list[tuple[str, str | None]]] = {}
    for line in text.splitlines():
        found = PIN.match(line.strip())
        if found:
            pins.setdefault(canonicalize_name(found["name"]), []).append(
                (found["version"], found["marker"])
            )
    return pins


def _declared(repo_root) -> list[Requirement]:
    project = tomllib.loads((repo_root / "pyproject.toml").read_text())["project"]
    names = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    return [Requirement(text) for text in names]


def test_every_dependency_is_pinned_to_an_allowed_version(repo_root):
    pins = _pins((repo_root / "requirements.lock").read_text())
    assert len(pins) > 50, "the lock should pin the whole tree, not only the direct dependencies"
    for requirement in _declared(repo_root):
        name = canonicalize_name(requirement.name)
        assert name in pins, (
            f"{name} is in pyproject.toml but not in requirements.lock: run `make lock`"
        )
        for version, marker in pins[name]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"requirements.lock pins {name}=={version}, which pyproject.toml's "
                f"`{requirement}` does not allow: run `make lock`"
            )
            if marker:
                Marker(marker)  # a marker pip and uv can read


def test_this_environment_runs_the_locked_versions(repo_root):
    from importlib.metadata import version

    pins = _pins((repo_root / "requirements.lock").read_text())
    for requirement in _declared(repo_root):
        name = canonicalize_name(requirement.name)
        here = [v for v, marker in pins[name] if marker is None or Marker(marker).evaluate()]
        assert here == [version(name)], f"{name}: installed {version(name)}, locked {here}"
