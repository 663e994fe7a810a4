"""Real-browser tests: an isolated JupyterLab server, Debian's chromium, and the waits that matter.

Everything here is real: `jupyter lab` runs as its own process (own port, token, config, data and
runtime folders, working on a copy of the notebooks), and Playwright drives `/usr/bin/chromium`
(installed with apt by `.ci/run`; `playwright install` is never used).

The one known source of flakiness is pressing "Run All" before the notebook's kernel is connected:
JupyterLab then silently runs nothing. `open_notebook` therefore waits until the status bar reads
`Python 3 (ipykernel) | Idle` before it returns.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
KERNEL_IDLE = "Python 3 (ipykernel) | Idle"
VIEWPORT = {"width": 1440, "height": 1000}
# How an error output reads (a SyntaxError shows no "Traceback" line, only its name).
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\s*\w*(Error|Exception)\b", re.M)

# Waits, in milliseconds (Playwright's unit). Generous: CI machines have two cores.
KERNEL_TIMEOUT_MS = 120_000
RUN_ALL_TIMEOUT_MS = 600_000
SELECTOR_TIMEOUT_MS = 60_000
SERVER_START_SECONDS = 90.0
SERVER_STOP_SECONDS = 20.0

# JupyterLab user settings that keep the page quiet and predictable for a test.
USER_SETTINGS = {
    # No "would you like to receive news?" toast over the notebook.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # Never write the test's outputs back to disk behind its back.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # Every cell in the DOM, so selectors see the whole notebook, not only what is scrolled into view.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


def artifacts_dir() -> Path:
    """`test-artifacts/` at the repository root (ignored by git), where screenshots are kept."""
    path = repo_root() / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


# --------------------------------------------------------------------------- the JupyterLab server


@dataclass
class JupyterLab:
    """A running JupyterLab server started by `jupyter_lab()`."""

    base_url: str  # e.g. "http://127.0.0.1:40123"
    token: str
    root_dir: Path  # the folder the server shows (a copy of notebooks/)
    log_path: Path
    env: dict[str, str]  # what the caller added to the server's (and its kernels') environment
    process: subprocess.Popen = field(repr=False)

    def url(self, path: str) -> str:
        """`base_url/path?token=...` (path without a leading slash, e.g. "lab/tree/x.ipynb")."""
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{sep}token={self.token}"

    def notebook_url(self, name: str) -> str:
        """The notebook alone in a fresh layout (`reset`: no tabs left over from an earlier page)."""
        return self.url(f"lab/tree/{name}?reset")

    def api(self, method: str, path: str, timeout: float = 10.0):
        """Call the server's REST API (`path` like "api/sessions"); the decoded JSON, or None."""
        request = urllib.request.Request(
            f"{self.base_url}/{path.lstrip('/')}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
            data=b"" if method in ("POST", "PUT", "PATCH") else None,
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def kernels(self) -> list[dict]:
        return self.api("GET", "api/kernels")

    def shut_down_kernels(self) -> None:
        """End every session and kernel (the server keeps running)."""
        for session in self.api("GET", "api/sessions"):
            self.api("DELETE", f"api/sessions/{session['id']}", timeout=30)
        for kernel in self.api("GET", "api/kernels"):
            self.api("DELETE", f"api/kernels/{kernel['id']}", timeout=30)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_user_settings(settings_dir: Path, settings: Mapping[str, dict] = USER_SETTINGS) -> None:
    for plugin, values in settings.items():
        package_and_plugin = plugin.rsplit("/", 1)
        path = settings_dir / package_and_plugin[0] / f"{package_and_plugin[1]}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2))


@contextmanager
def jupyter_lab(
    home: Path,
    notebooks: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[JupyterLab]:
    """Start an isolated JupyterLab under `home` (a fresh temp folder), stop it and its kernels after.

    `notebooks` (default: the repository's `notebooks/`) is copied to `home/notebooks`, which becomes
    the server's root folder, so nothing a test runs or saves touches the committed notebooks.
    `env` is added to this process's environment for the server and its kernels (for example
    RAINBOW_ROAD_WORKSPACE and RAINBOW_ROAD_WORKSHOP_DIR).
    """
    home.mkdir(parents=True, exist_ok=True)
    root_dir = home / "notebooks"
    shutil.copytree(notebooks or repo_root() / "notebooks", root_dir)
    config_dir, data_dir, runtime_dir = (home / name for name in ("config", "data", "runtime"))
    write_user_settings(config_dir / "lab" / "user-settings")

    server_env = dict(os.environ)
    server_env.update(
        JUPYTER_CONFIG_DIR=str(config_dir),
        JUPYTER_DATA_DIR=str(data_dir),
        JUPYTER_RUNTIME_DIR=str(runtime_dir),
        JUPYTERLAB_SETTINGS_DIR=str(config_dir / "lab" / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(config_dir / "lab" / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
        JUPYTER_PLATFORM_DIRS="1",
        PYTHONUNBUFFERED="1",
    )
    extra_env = dict(env or {})
    server_env.update(extra_env)

    last_error = ""
    for _attempt in range(3):  # a free port can be taken by someone else before the server binds it
        port, token = free_port(), secrets.token_hex(16)
        log_path = home / f"jupyter-{port}.log"
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root_dir}",
            "--LabApp.news_url=None",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                command,
                cwd=root_dir,
                env=server_env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        lab = JupyterLab(f"http://127.0.0.1:{port}", token, root_dir, log_path, extra_env, process)
        try:
            if _wait_until_up(lab):
                break
            last_error = lab.log()
        except BaseException:
            stop(lab)
            raise
        stop(lab)
    else:
        raise RuntimeError(f"JupyterLab did not start. Its last log:\n{last_error}")

    try:
        yield lab
    finally:
        stop(lab)


def _wait_until_up(lab: JupyterLab) -> bool:
    """True once /api/status answers; False if the server exited; raises if it never answers."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if lab.process.poll() is not None:
            return False
        try:
            lab.api("GET", "api/status", timeout=2)
            return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(
        f"JupyterLab did not answer within {SERVER_START_SECONDS:.0f} s. Its log:\n{lab.log()}"
    )


def stop(lab: JupyterLab) -> None:
    """Shut down every session and kernel, then the server; kill whatever is left of any of them."""
    try:
        server = psutil.Process(lab.process.pid)
        descendants = server.children(recursive=True)  # kernels and anything they started
    except psutil.Error:
        descendants = []
    if lab.process.poll() is None:
        _shut_down_politely(lab)
        try:
            lab.process.wait(timeout=SERVER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            _killpg(lab.process.pid, signal.SIGTERM)
            try:
                lab.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                _killpg(lab.process.pid, signal.SIGKILL)
                lab.process.wait(timeout=5)
    # Kernels run in their own process groups, so the server's group does not cover them.
    _, alive = psutil.wait_procs(descendants, timeout=5)
    for process in alive:
        try:
            process.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=5)


def _shut_down_politely(lab: JupyterLab) -> None:
    try:
        lab.shut_down_kernels()
        lab.api("POST", "api/shutdown")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        pass  # the fallback below still stops everything


def _killpg(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass


# --------------------------------------------------------------------------------------- the browser


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's headless chromium, driven by Playwright."""
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"{CHROMIUM} is missing. Install Debian's chromium: apt-get install -y chromium"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


# ---------------------------------------------------------------------------- helpers for one page


def open_notebook(page: Page, lab: JupyterLab, name: str) -> Locator:
    """Open notebook `name` (relative to the server's root) and wait until its kernel is idle.

    Returns the notebook panel, for selectors that should stay inside it.
    """
    page.goto(lab.notebook_url(name))
    panel = page.locator(".jp-NotebookPanel").first
    panel.wait_for(state="visible", timeout=SELECTOR_TIMEOUT_MS)
    wait_for_kernel_idle(page)
    return panel


def wait_for_kernel_idle(page: Page, timeout_ms: int = KERNEL_TIMEOUT_MS) -> None:
    """Wait for the status bar to read `Python 3 (ipykernel) | Idle` (the toolbar's idle flag lies)."""
    expect(page.locator("#jp-main-statusbar")).to_contain_text(KERNEL_IDLE, timeout=timeout_ms)


def run_menu_item(page: Page, menu: str, item: str) -> None:
    """Click `item` in the main menu `menu`, both found by their visible labels."""
    page.locator("#jp-MainMenu").get_by_role("menuitem", name=menu, exact=True).click()
    page.locator(".lm-Menu").get_by_role("menuitem", name=item, exact=True).click()


def run_all(page: Page, timeout_ms: int = RUN_ALL_TIMEOUT_MS) -> None:
    """Run > Run All Cells, then wait until every code cell has run (none queued or running)."""
    run_menu_item(page, "Run", "Run All Cells")
    wait_for_all_cells_run(page, timeout_ms)


def wait_for_all_cells_run(page: Page, timeout_ms: int = RUN_ALL_TIMEOUT_MS) -> None:
    """Wait until every code cell of the open notebook shows an execution count like `[7]:`."""
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=timeout_ms,
        polling=250,
    )
    wait_for_kernel_idle(page)


def error_outputs(page: Page) -> list[str]:
    """The text of every output that shows a Python traceback (empty when every cell succeeded)."""
    texts = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    return [t for t in texts.all_inner_texts() if TRACEBACK.search(t)]


def wait_for(
    page: Page | Locator,
    selector: str,
    timeout_ms: int = SELECTOR_TIMEOUT_MS,
    has_text: str | re.Pattern | None = None,
    state: str = "visible",
) -> Locator:
    """Wait for the first element matching `selector` (and `has_text`) to reach `state`; return it."""
    locator = page.locator(selector)
    if has_text is not None:
        locator = locator.filter(has_text=has_text)
    locator = locator.first
    locator.wait_for(state=state, timeout=timeout_ms)
    return locator


def mermaid_svgs(scope: Page | Locator) -> list[str]:
    """The SVG text of every rendered Mermaid diagram in `scope` (JupyterLab shows each as an
    `<img>` whose source is the SVG); a diagram Mermaid could not draw is not in the list."""
    sources = scope.locator(".jp-RenderedMermaid img").evaluate_all(
        "imgs => imgs.filter(i => i.complete && i.naturalWidth > 0).map(i => i.src)"
    )
    svgs = []
    for source in sources:
        header, _, data = source.partition(",")
        if header == "data:image/svg+xml;base64":
            svgs.append(base64.b64decode(data).decode())
        elif header == "data:image/svg+xml":
            svgs.append(urllib.parse.unquote(data))
    return svgs


def screenshot(page: Page, name: str) -> Path:
    """Save a screenshot of the page to `test-artifacts/<name>.png` and return its path."""
    path = artifacts_dir() / f"{name}.png"
    page.screenshot(path=str(path))
    return path
