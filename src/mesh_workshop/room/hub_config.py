"""What the room's JupyterHub is told: read by the config `mesh-workshop hub` writes, inside the
hub's own process.

The generated `jupyterhub_config.py` holds no logic and no secret: it passes one JSON document of
settings (folders, ports, the facilitator's name) to `configure`, which reads the passwords and
the proxy's token from their own files in the hub's folder (readable by their owner only). This
module is kept light on purpose: the hub process imports it, and every megabyte it loads there is
a megabyte less for the room.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

from ..paths import HOME_ENV, WORKSHOP_ENV, WORKSPACE_ENV, HubFolder
from ..workshop.notebooks import copy_notebooks

FIRST_NOTEBOOK = "00_start_here.ipynb"
POOL_SERVICE = "dbt-pool"
POOL_MODULE = "mesh_workshop.dbt.room_pool"
POOL_ENV = "RAINBOW_ROAD_DBT_POOL"
# JupyterLab's news and update checks: a room has no use for them, and the toast asking about
# them would greet every person who logs in.
NOTIFICATIONS = (
    Path(".jupyter/lab/user-settings/@jupyterlab/apputils-extension")
    / "notification.jupyterlab-settings"
)
LOGIN_NOTE = (
    "Rainbow Road workshop: type a name for yourself or your table (for example table-4) and "
    "the password the facilitator gave the room. Log in with the same name again to get back "
    "to your notebooks."
)


def configure(c: Any, settings: dict[str, Any]) -> None:
    """Fill JupyterHub's config object `c` from the settings `mesh-workshop hub` wrote."""
    folder = HubFolder(Path(settings["hub_dir"]))
    passwords = json.loads(folder.passwords.read_text(encoding="utf-8"))

    c.JupyterHub.ip = settings["ip"]
    c.JupyterHub.port = settings["port"]
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = settings["hub_port"]
    c.JupyterHub.db_url = "sqlite:///" + str(folder.database)
    c.JupyterHub.cookie_secret_file = str(folder.cookie_secret)
    c.JupyterHub.pid_file = str(folder.pid_file)
    c.JupyterHub.cleanup_servers = True
    c.JupyterHub.cleanup_proxy = True
    c.JupyterHub.template_vars = {"announcement_login": LOGIN_NOTE}

    c.ConfigurableHTTPProxy.command = [settings["proxy"]]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
    c.ConfigurableHTTPProxy.auth_token = folder.proxy_token.read_text(encoding="utf-8").strip()
    c.ConfigurableHTTPProxy.pid_file = str(folder.root / "proxy.pid")

    # Anyone with the room's password logs in under any name; the facilitator's name needs the
    # facilitator's own, longer password and is the hub's admin.
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = passwords["room"]
    c.SharedPasswordAuthenticator.admin_password = passwords["facilitator"]
    c.Authenticator.admin_users = {settings["facilitator"]}
    c.Authenticator.allow_all = True

    # Every person's server runs as this machine's user, in a home of their own under the hub's
    # folder, with the kit's notebooks copied in before it starts.
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(folder.homes / "{username}")
    c.Spawner.cmd = [settings["singleuser"]]
    c.Spawner.args = ["--allow-root"] if settings["root"] else []
    c.Spawner.default_url = f"/lab/tree/{FIRST_NOTEBOOK}"
    c.Spawner.environment = user_environment(settings)
    c.Spawner.start_timeout = settings["start_timeout"]
    c.Spawner.http_timeout = settings["start_timeout"]
    c.Spawner.pre_spawn_hook = functools.partial(
        prepare_home, folder=folder, tracked=Path(settings["notebooks"])
    )

    c.JupyterHub.services = [pool_service(settings)] if settings["dbt_pool"] else []


def user_environment(settings: dict[str, Any]) -> dict[str, str]:
    """What every person's server (and every kernel it starts) is given: the one built baseline,
    the one shared workshop folder, the kit's commands first on the PATH, and the room's shared
    dbt workers when they run."""
    env = base_environment(settings)
    if settings["dbt_pool"]:
        env[POOL_ENV] = settings["pool_socket"]
    return env


def base_environment(settings: dict[str, Any]) -> dict[str, str]:
    return {
        HOME_ENV: settings["kit"],
        WORKSPACE_ENV: settings["workspace"],
        WORKSHOP_ENV: settings["workshop"],
        "PATH": os.pathsep.join([settings["bin"], os.environ.get("PATH", os.defpath)]),
    }


def pool_service(settings: dict[str, Any]) -> dict[str, Any]:
    """The room's shared dbt workers, as a service JupyterHub starts with the hub, restarts when
    it exits, and stops with the hub."""
    return {
        "name": POOL_SERVICE,
        "command": [
            settings["python"],
            "-m",
            POOL_MODULE,
            "--socket",
            settings["pool_socket"],
        ],
        "environment": base_environment(settings),
        "cwd": settings["hub_dir"],
    }


def prepare_home(spawner: Any, folder: HubFolder, tracked: Path) -> None:
    """Before a person's server starts: their home, with their own copies of the notebooks
    (missing ones copied, unchanged ones updated, edited ones kept)."""
    home = folder.home(spawner.user.name)
    spawner.home_dir = str(home)
    home.mkdir(parents=True, exist_ok=True)
    copy_notebooks(home, tracked)
    settings = home / NOTIFICATIONS
    if not settings.exists():
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
