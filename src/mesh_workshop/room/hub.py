"""A whole room on one server: JupyterHub in front of one JupyterLab per person.

`mesh-workshop hub` (and `make hub`) builds the workshop's baseline if it is missing, installs the
proxy JupyterHub needs if it is missing (`npm ci` in the kit's `hub/` folder, the version pinned
there), writes the hub's config and secrets into the workspace's `hub/` folder, starts JupyterHub,
and says what to tell the room: the address, the room's password and the facilitator's login.

Everyone logs in with any name and the room's password; the facilitator's name needs a password
of its own and makes them the hub's admin. Each person gets a JupyterLab of their own, in a home
under the hub's folder holding their own copies of the notebooks, opened on the start-here
notebook. Every server reads the same built baseline and saves into one shared workshop folder,
so the facilitator's debrief sees every group. The room's shared dbt workers run as a service of
the hub, which JupyterHub starts with it, restarts if it stops, and stops with it.

`RoomHub` is the same hub as an object, for the tests and the load test: started on the ports
and folders they choose, stopped with every process it started.
"""

from __future__ import annotations

import errno
import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock

from ..errors import KitError
from ..paths import HubFolder, Workspace
from . import processes
from .hub_config import POOL_MODULE

Say = Callable[[str], None]

DEFAULT_PORT = 8000
DEFAULT_FACILITATOR = "facilitator"
# JupyterHub's SharedPasswordAuthenticator refuses shorter passwords (a test keeps these equal
# to the installed JupyterHub's own limits).
ROOM_PASSWORD_MIN = 8
FACILITATOR_PASSWORD_MIN = 32
EVERY_NETWORK = ("0.0.0.0", "", "::")
START_TIMEOUT = 120  # seconds a person's server may take to start when the whole room logs in
WORDS = (
    "otter maple fern cedar robin beagle tabby heron willow comet pebble meadow harbor "
    "lantern thistle puffin walnut clover badger sparrow river canyon orchid falcon "
    "juniper marble poppy spruce tulip bramble coral ember"
).split()


class HubProblem(KitError):
    """The room's hub cannot start, or stopped: the message says why, the hint what to do."""


@dataclass(frozen=True)
class HubSettings:
    """How the room's hub runs. Everything has a default that suits one room on one server."""

    port: int = DEFAULT_PORT
    ip: str = "0.0.0.0"  # every network interface: the room's laptops reach it over the network
    password: str | None = None  # the room's password (default: the saved one, or a new one)
    facilitator: str = DEFAULT_FACILITATOR
    workshop: Path | None = None  # the shared workshop folder (default: the workspace's)
    hub_dir: Path | None = None  # the hub's own files (default: the workspace's hub/)
    dbt_pool: bool = True  # start the room's shared dbt workers (when the kit has them)
    start_timeout: int = START_TIMEOUT


@dataclass(frozen=True)
class Passwords:
    room: str
    facilitator: str


@dataclass
class RoomHub:
    """The room's JupyterHub as a process of this one: `start()`, `stop()`, or `with RoomHub(...)`."""

    settings: HubSettings = field(default_factory=HubSettings)
    log_to_file: bool = True  # False: JupyterHub logs to this process's terminal

    def __post_init__(self) -> None:
        space = Workspace.current()
        self.space = space
        self.folder: HubFolder = space.hub_folder(self.settings.hub_dir)
        self.workshop = (
            Path(self.settings.workshop).expanduser().resolve()
            if self.settings.workshop
            else space.saved
        )
        self.process: subprocess.Popen | None = None
        self.passwords: Passwords | None = None
        self.dbt_pool = self.settings.dbt_pool and pool_available()
        self._log = None

    # Where people find it -------------------------------------------------------------------

    @property
    def local_url(self) -> str:
        """The hub's address from this machine."""
        host = "127.0.0.1" if self.settings.ip in EVERY_NETWORK else self.settings.ip
        return f"http://{_host(host)}:{self.settings.port}"

    @property
    def room_url(self) -> str:
        """The hub's address as the room's laptops type it."""
        host = network_address() if self.settings.ip in EVERY_NETWORK else self.settings.ip
        return f"http://{_host(host)}:{self.settings.port}/"

    # Starting and stopping ------------------------------------------------------------------

    def start(self, say: Say | None = None, timeout: float = 60.0) -> None:
        """Check what the hub needs, write its config and start it; return once it answers."""
        say = say or (lambda _text: None)
        proxy = ensure_proxy(say)
        check_port(self.settings.ip, self.settings.port)
        self._check_not_running()
        self.passwords = write_secrets(self.folder, self.settings.password)
        self.workshop.mkdir(parents=True, exist_ok=True)
        self.folder.homes.mkdir(parents=True, exist_ok=True)
        write_config(self.folder, self.config_settings(proxy))
        if self.settings.dbt_pool and not self.dbt_pool:
            say(
                "The room's shared dbt workers are not part of this version of the kit: "
                "each person's checks use dbt workers of their own."
            )
        if self.log_to_file:
            self._log = open(self.folder.log, "ab")  # noqa: SIM115 - kept open while it runs
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(self.folder.config)],
            cwd=self.folder.root,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT if self._log else None,
            start_new_session=True,  # its own process group, stopped as one
        )
        try:
            self._wait_until_up(timeout)
        except BaseException:
            self.stop()
            raise

    def config_settings(self, proxy: Path) -> dict:
        """The settings the generated config passes to `hub_config.configure`, as JSON."""
        bin_dir = Path(sys.executable).parent
        return {
            "hub_dir": str(self.folder.root),
            "ip": self.settings.ip,
            "port": self.settings.port,
            "hub_port": free_port(),
            "proxy_api_port": free_port(),
            "proxy": str(proxy),
            "facilitator": self.settings.facilitator,
            "singleuser": str(bin_dir / "jupyterhub-singleuser"),
            "python": sys.executable,
            "bin": str(bin_dir),
            "root": hasattr(os, "getuid") and os.getuid() == 0,
            "kit": str(self.space.kit),
            "workspace": str(self.space.build),
            "workshop": str(self.workshop),
            "notebooks": str(self.space.tracked_notebooks),
            "dbt_pool": self.dbt_pool,
            "pool_socket": str(self.folder.dbt_pool_socket),
            "start_timeout": self.settings.start_timeout,
        }

    def pids(self) -> list[int]:
        """The hub and every process it started that still runs (proxy, servers, kernels,
        services, dbt workers)."""
        return processes.tree(self.process.pid) if self.process else []

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait(self) -> int:
        """Wait until the hub exits; its exit code."""
        return self.process.wait() if self.process else 0

    def stop(self, grace: float = 30.0) -> list[int]:
        """Stop the hub, which stops everything it started; then stop whatever is left. The
        processes that were left (none when the hub stopped everything itself)."""
        if self.process is None:
            return []
        started = self.pids()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        left = [pid for pid in dict.fromkeys([*started, *self.pids()]) if processes.alive(pid)]
        processes.stop_all(left, grace=5.0)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            pass
        if self._log:
            self._log.close()
            self._log = None
        return left

    def __enter__(self) -> RoomHub:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.folder.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HubProblem(
                    f"JupyterHub stopped as it started (exit code {self.process.returncode})."
                    + (f" The end of its log:\n{self.log_tail()}" if self.log_to_file else ""),
                    "The lines above name the problem. "
                    + (f"The whole log is in {self.folder.log}." if self.log_to_file else ""),
                )
            try:
                with urllib.request.urlopen(f"{self.local_url}/hub/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.25)
        raise HubProblem(
            f"JupyterHub did not answer at {self.local_url} within {timeout:.0f} seconds.",
            f"Its log says what it is doing: {self.folder.log}.",
        )

    def _check_not_running(self) -> None:
        try:
            pid = int(self.folder.pid_file.read_text().strip())
        except (OSError, ValueError):
            return
        if processes.alive(pid) and _is_jupyterhub(pid):
            raise HubProblem(
                f"A hub from this folder ({self.folder.root}) is running already (process {pid}).",
                f"Use that one, or stop it first with `kill {pid}`.",
            )


# What the hub needs -------------------------------------------------------------------------


def _host(address: str) -> str:
    """An address as a URL writes it (an IPv6 address in brackets)."""
    return f"[{address}]" if ":" in address else address


def pool_available() -> bool:
    """The kit has the room's shared dbt workers (the module the hub runs as a service)."""
    try:
        return importlib.util.find_spec(POOL_MODULE) is not None
    except ModuleNotFoundError:
        return False


def ensure_proxy(say: Say | None = None) -> Path:
    """The proxy JupyterHub runs, installed with `npm ci` from the kit's `hub/` folder if it is
    not installed yet (the version is pinned in `hub/package-lock.json`)."""
    space = Workspace.current()
    proxy = space.hub_proxy
    if proxy.exists():
        return proxy
    with FileLock(space.hub_npm / ".install.lock"):  # two tests, or two terminals, at once
        return proxy if proxy.exists() else _install_proxy(space, proxy, say)


def _install_proxy(space: Workspace, proxy: Path, say: Say | None) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise HubProblem(
            "The hub needs its proxy (configurable-http-proxy, installed with npm), and npm is "
            "not installed on this machine.",
            "Install Node.js 20 or newer with npm (on Debian or Ubuntu: `sudo apt-get install "
            "nodejs npm`), then start the hub again; it installs the proxy itself.",
        )
    if say:
        say("Installing the hub's proxy (configurable-http-proxy) with npm ...")
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(space.hub_npm)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not proxy.exists():
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-12:])
        raise HubProblem(
            f"npm could not install the hub's proxy into {space.hub_npm / 'node_modules'}:\n{tail}",
            "Check that this machine can reach the npm registry, then run "
            f"`npm ci --prefix {space.hub_npm}` and start the hub again.",
        )
    return proxy


def check_port(ip: str, port: int) -> None:
    """Refuse a port something else listens on, naming the fix."""
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((ip, port))
        except OSError as problem:
            if problem.errno == errno.EADDRINUSE:
                raise HubProblem(
                    f"Port {port} is in use on this machine: another hub, a JupyterLab or a web "
                    "server is listening on it.",
                    "Stop that program, or start the hub on another port: "
                    f"`mesh-workshop hub --port {port + 10}` "
                    f'(with make: `make hub HUB_ARGS="--port {port + 10}"`).',
                ) from None
            if problem.errno == errno.EACCES:
                raise HubProblem(
                    f"This user may not listen on port {port} (ports below 1024 need root).",
                    f"Start the hub on a port above 1024: `mesh-workshop hub --port {DEFAULT_PORT}`.",
                ) from None
            raise HubProblem(
                f"The hub cannot listen on {ip}:{port}: {problem.strerror}.",
                "Check the address given with --ip, or leave it out to listen on every network.",
            ) from None


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def network_address() -> str:
    """This machine's address on its network (what the room's laptops connect to). No packet
    is sent: connecting a UDP socket only picks the interface a packet would leave from."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))
            return probe.getsockname()[0]
        except OSError:
            return socket.gethostname() or "127.0.0.1"


# The hub's files ----------------------------------------------------------------------------


def write_secrets(folder: HubFolder, room_password: str | None = None) -> Passwords:
    """The room's and the facilitator's passwords (kept from the last start unless a room
    password is given), the cookie secret and the proxy's token, each readable by its owner
    only."""
    folder.root.mkdir(parents=True, exist_ok=True)
    saved: dict = {}
    try:
        saved = json.loads(folder.passwords.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    room = room_password or saved.get("room") or new_room_password()
    if len(room) < ROOM_PASSWORD_MIN:
        raise HubProblem(
            f"The room's password must be at least {ROOM_PASSWORD_MIN} characters long "
            f"(JupyterHub's rule); `{room}` has {len(room)}.",
            "Choose a longer one, or leave --password out to get one made up for you.",
        )
    facilitator = saved.get("facilitator") or ""
    if len(facilitator) < FACILITATOR_PASSWORD_MIN or facilitator == room:
        facilitator = secrets.token_urlsafe(24)  # 32 characters
    passwords = Passwords(room, facilitator)
    _write_private(
        folder.passwords,
        json.dumps({"room": room, "facilitator": facilitator}, indent=2) + "\n",
    )
    if not folder.cookie_secret.exists():
        _write_private(folder.cookie_secret, secrets.token_hex(32) + "\n")
    if not folder.proxy_token.exists():
        _write_private(folder.proxy_token, secrets.token_hex(32) + "\n")
    return passwords


def new_room_password() -> str:
    """Easy to read out to a room and to type: three words and two digits."""
    words = secrets.SystemRandom().sample(WORDS, 3)
    return "-".join([*words, f"{secrets.randbelow(90) + 10}"])


def write_config(folder: HubFolder, settings: dict) -> Path:
    """The hub's `jupyterhub_config.py`: the settings as one JSON document, handed to
    `hub_config.configure`. Written afresh at every start; it holds no password."""
    text = json.dumps(settings, indent=2, sort_keys=True)
    config = (
        "# The room's JupyterHub config, written by `mesh-workshop hub` at every start: edits\n"
        "# here are lost. The settings are one JSON document; the passwords and the proxy's\n"
        "# token are read from their own files beside this one.\n"
        "import json\n\n"
        "from mesh_workshop.room.hub_config import configure\n\n"
        f"SETTINGS = json.loads({text!r})\n"
        "configure(c, SETTINGS)  # noqa: F821 - `c` is JupyterHub's config object\n"
    )
    _write_private(folder.config, config)
    return folder.config


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner may read, replacing it whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def _is_jupyterhub(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc to ask: assume the pid file is right
    return b"jupyterhub" in command


# The command ---------------------------------------------------------------------------------


def run(settings: HubSettings, say: Say = print) -> int:
    """`mesh-workshop hub`: the first builds, then the hub until Ctrl+C."""
    from ..workshop import prepare  # the builds need dbt; the hub's own process does not

    space = Workspace.current()
    ensure_proxy(say)
    check_port(settings.ip, settings.port)
    say(f"Checking the workshop's baseline build in {space.build} ...")
    prepared = prepare.prepare(say)
    if not prepared.ok:
        raise HubProblem(
            f"The workshop's baseline is not built: {', '.join(prepared.missing)}.",
            "The lines above say what dbt reported; fix that and start the hub again.",
        )
    hub = RoomHub(settings)
    say("Starting JupyterHub ...")
    hub.start(say)
    say(banner(hub))
    # Ctrl+C, and `kill`, stop the hub and everything it started (even where the shell that
    # started this command left Ctrl+C ignored, as a background job's is).
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, _interrupt)
    try:
        code = hub.wait()
        say(f"JupyterHub stopped (exit code {code}). The end of its log:\n{hub.log_tail()}")
        return 1
    except KeyboardInterrupt:
        say("Stopping the hub and everyone's servers ...")
        return 0
    finally:
        hub.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def banner(hub: RoomHub) -> str:
    passwords = hub.passwords
    pool = (
        "on (one set of dbt workers for the whole room)"
        if hub.dbt_pool
        else "off (each person's checks start dbt workers of their own)"
    )
    return "\n".join(
        [
            "",
            "The room's hub is running. Tell the room:",
            f"  Address:   {hub.room_url}",
            f"  Password:  {passwords.room}",
            "  Name:      any name, one per person or per table (for example table-4);",
            "             each group types its group's name in the start-here notebook.",
            "",
            "The facilitator logs in with:",
            f"  Name:      {hub.settings.facilitator}",
            f"  Password:  {passwords.facilitator}",
            "  and runs 07_facilitator_debrief to see every group's answers.",
            "",
            f"Every group's saved work: {hub.workshop}",
            f"Shared dbt workers:       {pool}",
            f"Passwords and the hub's log: {hub.folder.passwords}, {hub.folder.log}",
            "Stop the hub (and everyone's servers) with Ctrl+C.",
            "",
        ]
    )
