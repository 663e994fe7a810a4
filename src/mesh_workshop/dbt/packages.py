"""The projects' one dbt package, the shared macros, installed for every run without `dbt deps`.

Rainbow Road's cleaning macros live once, in the local package `rainbow_road_macros/` at the
kit's root. The legacy project and every mesh project name it in their `packages.yml`
(`local: ../rainbow_road_macros`, `../../rainbow_road_macros` from a mesh project), and their
models call the macros by the package's name, as a real mesh shares code. In a terminal, `dbt deps`
links the package into the project's `dbt_packages/` and writes `package-lock.yml` (both
git-ignored).

The kit does not run `dbt deps`: it would write into the committed projects, and a sandbox is a
copy of the mesh in another folder, where the relative `local:` path leads nowhere. Every project's
`dbt_project.yml` reads its `packages-install-path` from `$RAINBOW_ROAD_PACKAGES_DIR` (default
`dbt_packages`, what `dbt deps` fills). The kit sets it to one folder per workspace and puts there
what `dbt deps` would: a link to the package. The folder is the same for every run of a workspace,
so dbt's partial parse of the committed mesh still serves the sandboxes seeded from it (dbt parses
from scratch when a variable that `dbt_project.yml` reads changes).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from ..errors import KitLayoutError
from ..paths import HOME_ENV, Workspace, source_fingerprint

PACKAGES_ENV = "RAINBOW_ROAD_PACKAGES_DIR"


def packages_dir() -> Path:
    """The folder the kit's runs install dbt packages into (their `packages-install-path`)."""
    return Workspace.current().dbt_packages


def shared_packages() -> tuple[Path, ...]:
    """The local packages every project of the kit installs."""
    return (Workspace.current().shared_macros,)


def install_shared_packages() -> Path:
    """Link every shared package into the workspace's packages folder, as `dbt deps` does for a
    `local:` package, and return the folder. A link that is already right is left alone, so
    this costs a `stat` and a `readlink` per package on every run."""
    folder = packages_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for package in shared_packages():
        if not (package / "dbt_project.yml").is_file():
            raise KitLayoutError(
                f"The shared macros' dbt package `{package}` is missing, and every project "
                "installs it.",
                f"Restore it (`git checkout -- {package.name}` in the kit's folder), or set "
                f"{HOME_ENV} to a complete checkout of the kit.",
            )
        package = package.resolve()
        link = folder / package.name
        try:
            if os.readlink(link) == str(package):
                continue
        except OSError:
            pass  # missing, or not a link
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)  # a copy, as `dbt deps` makes where links are not allowed
        # A new link made outside the folder (dbt would take it for a second package), then
        # renamed over the old one: a run starting meanwhile sees the old link or the new one.
        temporary = folder.parent / f".{folder.name}-{package.name}-{uuid.uuid4().hex}"
        temporary.symlink_to(package, target_is_directory=True)
        os.replace(temporary, link)
    return folder


def shared_packages_fingerprint() -> str:
    """A digest of the shared packages' files: a project that installs them changes with them."""
    return "".join(source_fingerprint(package) for package in shared_packages())
