"""A person in the room, as the hub sees them: log in, start a server, run code in a kernel.

`HubClient` talks only to a local hub (the tests' and the load test's own) the way a browser
does: the login form (with its `_xsrf` field), the hub's API for the person's server and an API
token, then the person's JupyterLab server through the proxy for kernels, and the kernel's
websocket for running code (Jupyter's JSON messages). `group_check_code` is the code a group's
scenario notebook runs when the group presses Apply & check, ending with the verdict printed as
one JSON line.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from ..errors import KitError

VERDICT_MARK = "RR-VERDICT "
XSRF_FIELD = re.compile(r"""name=["']_xsrf["']\s+value=["']([^"']+)["']""")


class HubClientError(KitError):
    """The hub or a person's server did not do what was asked."""


@dataclass
class Execution:
    """What running one piece of code in a kernel gave."""

    stdout: str = ""
    stderr: str = ""
    error: str | None = None  # "Name: value" of an exception the code raised
    traceback: list[str] = field(default_factory=list)
    status: str | None = None  # the execute_reply's status: ok | error | aborted
    results: list[str] = field(default_factory=list)  # text/plain of results and displays

    @property
    def ok(self) -> bool:
        return self.status == "ok" and self.error is None

    def json_lines(self, mark: str = VERDICT_MARK) -> list[dict]:
        """Every line of the output that starts with `mark`, read as JSON."""
        return [
            json.loads(line[len(mark) :])
            for line in self.stdout.splitlines()
            if line.startswith(mark)
        ]


class HubClient:
    """One person logged in to the hub at `base_url` (e.g. `http://127.0.0.1:8000`)."""

    def __init__(self, base_url: str, name: str, password: str, timeout: float = 30.0) -> None:
        self.base = base_url.rstrip("/")
        self.name = name.lower()  # JupyterHub's login lowercases names
        self.password = password
        self.timeout = timeout
        self.http = requests.Session()
        self.token: str | None = None

    # The hub --------------------------------------------------------------------------------

    def login(self) -> None:
        """Log in through the hub's login form, as a browser does."""
        page = self.http.get(f"{self.base}/hub/login", timeout=self.timeout)
        page.raise_for_status()
        found = XSRF_FIELD.search(page.text)
        form = {"username": self.name, "password": self.password}
        if found:
            form["_xsrf"] = found.group(1)
        answer = self.http.post(
            f"{self.base}/hub/login", data=form, allow_redirects=False, timeout=self.timeout
        )
        if answer.status_code not in (302, 303):
            raise HubClientError(
                f"The hub refused the login of `{self.name}` (HTTP {answer.status_code}).",
                "Check the name and the room's password.",
            )

    def new_token(self, note: str = "room test", expires_in: int = 4 * 3600) -> str:
        """An API token for this person, asked for with the login cookie (and its xsrf check)."""
        xsrf = self.http.cookies.get("_xsrf", path="/hub/") or self.http.cookies.get("_xsrf")
        answer = self.http.post(
            f"{self.base}/hub/api/users/{quote(self.name)}/tokens",
            json={"note": note, "expires_in": expires_in},
            headers={"X-XSRFToken": xsrf or "", "Referer": f"{self.base}/hub/"},
            timeout=self.timeout,
        )
        self._expect(answer, (200, 201), "an API token")
        self.token = answer.json()["token"]
        return self.token

    def start_server(self, timeout: float = 180.0) -> float:
        """Start this person's server (nothing to do if it runs) and wait until it answers;
        the seconds it took."""
        started = time.monotonic()
        answer = self.http.post(
            f"{self.base}/hub/api/users/{quote(self.name)}/server",
            headers=self._auth(),
            timeout=self.timeout,
        )
        if answer.status_code not in (201, 202, 400):  # 400: it runs already
            self._expect(answer, (201, 202), "the server started")
        deadline = started + timeout
        while time.monotonic() < deadline:
            try:
                status = self.http.get(
                    f"{self.server_url}api/status", headers=self._auth(), timeout=self.timeout
                )
                if status.status_code == 200:
                    return time.monotonic() - started
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise HubClientError(
            f"The server of `{self.name}` did not start within {timeout:.0f} seconds.",
            "The hub's log says why.",
        )

    def stop_server(self) -> None:
        answer = self.http.delete(
            f"{self.base}/hub/api/users/{quote(self.name)}/server",
            headers=self._auth(),
            timeout=self.timeout,
        )
        if answer.status_code not in (202, 204, 400):
            self._expect(answer, (202, 204), "the server stopped")

    @property
    def server_url(self) -> str:
        return f"{self.base}/user/{quote(self.name)}/"

    def get(self, path: str) -> requests.Response:
        """A page or API path on this person's server, e.g. `lab/tree/00_start_here.ipynb`."""
        return self.http.get(f"{self.server_url}{path}", headers=self._auth(), timeout=self.timeout)

    # Kernels --------------------------------------------------------------------------------

    def start_kernel(self, name: str = "python3") -> Kernel:
        answer = self.http.post(
            f"{self.server_url}api/kernels",
            json={"name": name},
            headers=self._auth(),
            timeout=self.timeout,
        )
        self._expect(answer, (200, 201), "a kernel")
        return Kernel(self, answer.json()["id"])

    def close(self) -> None:
        self.http.close()

    def _auth(self) -> dict[str, str]:
        if self.token is None:
            raise HubClientError("No API token yet.", "Call login() and new_token() first.")
        return {"Authorization": f"token {self.token}"}

    def _expect(self, answer: requests.Response, codes: tuple[int, ...], what: str) -> None:
        if answer.status_code not in codes:
            raise HubClientError(
                f"The hub did not give `{self.name}` {what}: HTTP {answer.status_code} "
                f"{answer.text[:300]}",
                "The hub's log says why.",
            )


class Kernel:
    """A kernel on a person's server, running code sent over its websocket."""

    def __init__(self, client: HubClient, kernel_id: str) -> None:
        self.client = client
        self.id = kernel_id
        self.session = uuid.uuid4().hex

    def execute(self, code: str, timeout: float = 300.0) -> Execution:
        """Run `code` and collect its output until the kernel is idle again."""
        return asyncio.run(self._execute(code, timeout))

    def shutdown(self) -> None:
        try:
            self.client.http.delete(
                f"{self.client.server_url}api/kernels/{self.id}",
                headers=self.client._auth(),
                timeout=self.client.timeout,
            )
        except requests.RequestException:
            pass  # the server is gone, and its kernels with it

    async def _execute(self, code: str, timeout: float) -> Execution:
        url = self.client.server_url.replace("http", "ws", 1)
        request = HTTPRequest(
            f"{url}api/kernels/{self.id}/channels?session_id={self.session}",
            headers=self.client._auth(),
            request_timeout=self.client.timeout,
        )
        socket = await websocket_connect(request)
        try:
            message_id = uuid.uuid4().hex
            await socket.write_message(json.dumps(self._request(message_id, code)))
            return await asyncio.wait_for(self._collect(socket, message_id), timeout)
        except asyncio.TimeoutError:
            raise HubClientError(
                f"The code did not finish within {timeout:.0f} seconds in the kernel of "
                f"`{self.client.name}`.",
                "The kernel may be stuck; the hub's log and the server's say more.",
            ) from None
        finally:
            socket.close()

    def _request(self, message_id: str, code: str) -> dict[str, Any]:
        return {
            "channel": "shell",
            "header": {
                "msg_id": message_id,
                "msg_type": "execute_request",
                "username": self.client.name,
                "session": self.session,
                "date": dt.datetime.now(dt.timezone.utc).isoformat(),
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": {},
            "content": {
                "code": code,
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
            "buffers": [],
        }

    @staticmethod
    async def _collect(socket, message_id: str) -> Execution:
        result = Execution()
        replied = idle = False
        while not (replied and idle):
            raw = await socket.read_message()
            if raw is None:
                raise HubClientError(
                    "The kernel's connection closed before the code finished.",
                    "The kernel may have died (out of memory?); the server's log says more.",
                )
            if isinstance(raw, bytes):
                continue  # binary frames carry widget buffers, never our replies
            message = json.loads(raw)
            if message.get("parent_header", {}).get("msg_id") != message_id:
                continue
            kind = message["msg_type"]
            content = message.get("content", {})
            if kind == "stream":
                if content.get("name") == "stderr":
                    result.stderr += content.get("text", "")
                else:
                    result.stdout += content.get("text", "")
            elif kind == "error":
                result.error = f"{content.get('ename')}: {content.get('evalue')}"
                result.traceback = content.get("traceback", [])
            elif kind in ("execute_result", "display_data"):
                text = content.get("data", {}).get("text/plain")
                if text:
                    result.results.append(text)
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
            elif kind == "execute_reply":
                replied = True
                result.status = content.get("status")
                if result.status == "error" and result.error is None:
                    result.error = f"{content.get('ename')}: {content.get('evalue')}"
        return result


def group_open_code(scenario: str, group: str) -> str:
    """The code of a scenario notebook's cell that opens the app for the group: its dbt workers
    start while the group reads the story. `group_check_code` opens it too when it is not open."""
    return _open_app(json.dumps({"scenario": scenario, "group": group})) + "\n"


def _open_app(given: str) -> str:
    return f"""\
import json as _rr_json, time as _rr_time
_rr_given = _rr_json.loads({given!r})
if "_rr_apps" not in globals():
    _rr_apps = {{}}
if _rr_given["scenario"] not in _rr_apps:
    from mesh_workshop.widgets import ScenarioApp
    _rr_apps[_rr_given["scenario"]] = ScenarioApp(_rr_given["scenario"], group=_rr_given["group"])
_rr_app = _rr_apps[_rr_given["scenario"]]"""


def group_check_code(
    scenario: str,
    group: str,
    choices: dict[str, Any],
    summary: str = "",
    timeout: float = 600.0,
    label: str = "",
) -> str:
    """The code a group's scenario notebook runs, as one cell: open the scenario app for the
    group (once per kernel, as the notebook does), set the group's choices and summary, press
    Apply & check, wait for the verdict, and print it as one JSON line starting with
    `VERDICT_MARK` (the time from the click to the verdict measured here, in the kernel).
    Every value reaches the kernel as JSON, never pasted into the code."""
    given = json.dumps(
        {
            "scenario": scenario,
            "group": group,
            "choices": choices,
            "summary": summary,
            "timeout": timeout,
            "label": label,
            "mark": VERDICT_MARK,
        }
    )
    return f"""\
{_open_app(given)}
_rr_app.form.set_choices(_rr_given["choices"])
_rr_app.form.summary.value = _rr_given["summary"]
_rr_seen = len(_rr_app.history)
_rr_clicked = _rr_time.monotonic()
_rr_app.apply_button.click()
_rr_finished = _rr_app.wait(_rr_given["timeout"])
_rr_elapsed = _rr_time.monotonic() - _rr_clicked
_rr_verdict = _rr_app.verdict if len(_rr_app.history) > _rr_seen else None
print(_rr_given["mark"] + _rr_json.dumps({{
    "label": _rr_given["label"],
    "scenario": _rr_given["scenario"],
    "asked_group": _rr_given["group"],
    "group": _rr_verdict.group if _rr_verdict else _rr_app.session.group,
    "verdict": _rr_verdict is not None,
    "finished": _rr_finished,
    "ok": _rr_verdict.ok if _rr_verdict else None,
    "criteria": {{c.id: c.passed for c in _rr_verdict.criteria}} if _rr_verdict else {{}},
    "error": _rr_verdict.error if _rr_verdict else None,
    "status": _rr_app.status.value,
    "click_to_verdict": round(_rr_elapsed, 3),
    "check_elapsed": round(_rr_verdict.elapsed, 3) if _rr_verdict else None,
    "folder": str(_rr_app.session.folder),
}}), flush=True)
"""
