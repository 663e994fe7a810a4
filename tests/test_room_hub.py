"""A whole room on one server: a real JupyterHub with its real proxy on localhost, people logging
in with the room's password, their servers starting, two groups checking at the same moment, and
the facilitator's debrief seeing both. Every process the hub started is gone afterwards."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import threading
import time
from pathlib import Path

import pytest
import requests
import yaml
from jupyterhub.authenticators.shared import SharedPasswordAuthenticator
from traitlets.config import Config

from mesh_workshop import cli
from mesh_workshop.paths import WORKSHOP_ENV, WORKSPACE_ENV, Workspace
from mesh_workshop.room import hub as room_hub
from mesh_workshop.room import processes
from mesh_workshop.room.hub import HubProblem, HubSettings, RoomHub, free_port
from mesh_workshop.room.hub_client import (
    HubClient,
    HubClientError,
    group_check_code,
    group_open_code,
)
from mesh_workshop.room.hub_config import POOL_ENV, POOL_SERVICE
from mesh_workshop.scenario.model import load_scenario

SCENARIO = "breaking_change"
RIGHT_GROUP, WRONG_GROUP = "Otters of Table 2", "Badgers, table 5"


@pytest.fixture(scope="module")
def proxy() -> Path:
    """The hub's proxy, installed with npm when missing (as `make test` does first)."""
    try:
        return room_hub.ensure_proxy()
    except HubProblem:
        if shutil.which("npm") is None:
            pytest.skip("the room's hub needs npm (Node.js 20+) to install its proxy")
        raise


@pytest.fixture(scope="module")
def room(built_mesh, proxy, tmp_path_factory):
    """A hub of its own on a free port, over the test run's built baseline, with a hub folder
    and a workshop folder of its own; stopped with every process it started, pass or fail."""
    folder = tmp_path_factory.mktemp("room")
    hub = RoomHub(
        HubSettings(
            port=free_port(),
            ip="127.0.0.1",
            hub_dir=folder / "hub",
            workshop=folder / "workshop",
            dbt_pool=room_hub.pool_available(),
        )
    )
    hub.start()
    seen: set[int] = set()
    try:
        yield hub
    finally:
        seen.update(hub.pids())
        hub.stop()
        time.sleep(0.5)
        left = [pid for pid in seen if processes.alive(pid)]
        processes.stop_all(left, grace=2.0)
        assert not left, f"processes left running after the hub stopped: {left}"


def _person(hub: RoomHub, name: str, password: str | None = None) -> HubClient:
    client = HubClient(hub.local_url, name, password or hub.passwords.room)
    client.login()
    client.new_token(note="test")
    return client


def test_a_room_checks_at_once_and_the_facilitator_sees_every_group(room: RoomHub):
    scenario = load_scenario(SCENARIO)
    people = {
        RIGHT_GROUP: _person(room, "table-2"),
        WRONG_GROUP: _person(room, "Table 5"),
        "facilitator": _person(room, room.settings.facilitator, room.passwords.facilitator),
    }
    kernels = {}
    try:
        problems = {}

        # Everyone's server starts at the same time, as when a room logs in.
        def arrive(group: str) -> None:
            try:
                people[group].start_server(timeout=180)
                kernel = people[group].start_kernel()
                if group != "facilitator":  # a group opens the scenario and reads the story
                    opened = kernel.execute(group_open_code(SCENARIO, group), timeout=120)
                    assert opened.ok, (opened.error, opened.stderr[-2000:])
                kernels[group] = kernel
            except Exception as problem:
                problems[group] = problem

        threads = [threading.Thread(target=arrive, args=(g,)) for g in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(240)
        assert not problems, problems
        assert set(kernels) == set(people), "not every server and kernel started"

        # Each server opens on its own copies of the notebooks, in its own home.
        for group, client in people.items():
            page = client.get("lab/tree/00_start_here.ipynb")
            assert page.status_code == 200, (group, page.status_code)
            home = room.folder.home(client.name)
            assert (home / "00_start_here.ipynb").is_file()
            assert (home / "03_breaking_change.ipynb").is_file()
        homes = {room.folder.home(c.name) for c in people.values()}
        assert len(homes) == 3

        # Every server has the one baseline, the one workshop folder, and the room's dbt pool.
        shown = kernels[RIGHT_GROUP].execute(
            "import os, json; print(json.dumps({k: os.environ.get(k) for k in "
            f"{[WORKSPACE_ENV, WORKSHOP_ENV, POOL_ENV]!r}}}), os.getcwd())"
        )
        assert shown.ok, shown.error
        env_text, cwd = shown.stdout.strip().rsplit(" ", 1)
        env = json.loads(env_text)
        assert env[WORKSPACE_ENV] == str(Workspace.current().build)
        assert env[WORKSHOP_ENV] == str(room.workshop)
        assert (env[POOL_ENV] is not None) == room.dbt_pool
        assert cwd == str(room.folder.home("table-2"))

        # Two groups press Apply & check at the same moment: one right, one wrong answer.
        answers = {
            RIGHT_GROUP: scenario.solutions[0].choices,
            WRONG_GROUP: scenario.wrong_answer.choices,
        }
        start = threading.Barrier(2)
        runs = {}

        def press(group: str) -> None:
            code = group_check_code(SCENARIO, group, dict(answers[group]), f"{group}'s answer")
            start.wait()
            runs[group] = kernels[group].execute(code, timeout=400)

        threads = [threading.Thread(target=press, args=(g,)) for g in answers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(450)
        verdicts = {}
        for group, run in runs.items():
            assert run.ok, (group, run.error, run.stderr[-2000:])
            (verdicts[group],) = run.json_lines()
        assert set(verdicts) == set(answers)

        right, wrong = verdicts[RIGHT_GROUP], verdicts[WRONG_GROUP]
        assert right["verdict"] and right["ok"] is True, right
        assert wrong["verdict"] and wrong["ok"] is False, wrong
        for criterion in scenario.wrong_answer.failing_criteria:
            assert wrong["criteria"][criterion] is False, (criterion, wrong)
        assert all(right["criteria"].values()), right
        # Each group sees its own verdict, saved in its own folder, holding its own answer.
        space = Workspace.current()
        for group, verdict in verdicts.items():
            assert verdict["group"] == group
            own = space.scenario_folder(group, SCENARIO, room.workshop)
            assert Path(verdict["folder"]) == own
            saved = json.loads((own / "result.json").read_text())
            assert saved["group"] == group and saved["ok"] == verdict["ok"]
            decisions = yaml.safe_load((own / "decisions.yml").read_text())
            assert decisions["group"] == group
            assert decisions["choices"] == dict(answers[group])

        # The facilitator's debrief, in a kernel on the facilitator's own server, sees both.
        debrief = kernels["facilitator"].execute(
            "import json\n"
            "from mesh_workshop.workshop.debrief import collect\n"
            f"found = collect({SCENARIO!r})\n"
            "print(json.dumps({a.group: a.status for a in found.answers}))"
        )
        assert debrief.ok, debrief.error
        statuses = json.loads(debrief.stdout.strip().splitlines()[-1])
        assert statuses == {RIGHT_GROUP: "solved", WRONG_GROUP: "not solved"}

        # The facilitator is the hub's admin; a group is not.
        facilitator, group = people["facilitator"], people[RIGHT_GROUP]
        listing = requests.get(
            f"{room.local_url}/hub/api/users",
            headers={"Authorization": f"token {facilitator.token}"},
            timeout=30,
        )
        assert listing.status_code == 200
        assert {"table-2", "table 5", "facilitator"} <= {u["name"] for u in listing.json()}
        refused = requests.get(
            f"{room.local_url}/hub/api/users",
            headers={"Authorization": f"token {group.token}"},
            timeout=30,
        )
        assert refused.status_code == 403
        # One person's token does not open another person's server.
        other = requests.get(
            f"{people[WRONG_GROUP].server_url}api/status",
            headers={"Authorization": f"token {group.token}"},
            timeout=30,
            allow_redirects=False,
        )
        assert other.status_code in (302, 403), other.status_code
        if room.dbt_pool:
            services = requests.get(
                f"{room.local_url}/hub/api/services",
                headers={"Authorization": f"token {facilitator.token}"},
                timeout=30,
            ).json()
            assert POOL_SERVICE in services
    finally:
        for kernel in kernels.values():
            kernel.shutdown()
        for client in people.values():
            client.close()


def test_the_wrong_password_and_the_room_password_for_the_facilitator_are_refused(room):
    with pytest.raises(HubClientError, match="refused the login"):
        HubClient(room.local_url, "table-9", "not-the-password").login()
    with pytest.raises(HubClientError, match="refused the login"):
        HubClient(room.local_url, room.settings.facilitator, room.passwords.room).login()


def test_the_hubs_files_hold_secrets_apart_and_values_as_json(tmp_path, proxy, monkeypatch):
    odd = tmp_path / "work'shop\"); import os; os.system('false') #"
    hub = RoomHub(HubSettings(hub_dir=tmp_path / "hub", workshop=odd, dbt_pool=False))
    passwords = room_hub.write_secrets(hub.folder)
    room_hub.write_config(hub.folder, hub.config_settings(proxy))
    # The passwords meet JupyterHub's own rules, and are kept from one start to the next.
    assert len(passwords.room) >= SharedPasswordAuthenticator._USER_PASSWORD_MIN_LENGTH
    assert len(passwords.facilitator) >= SharedPasswordAuthenticator._ADMIN_PASSWORD_MIN_LENGTH
    assert room_hub.ROOM_PASSWORD_MIN == SharedPasswordAuthenticator._USER_PASSWORD_MIN_LENGTH
    assert (
        room_hub.FACILITATOR_PASSWORD_MIN == SharedPasswordAuthenticator._ADMIN_PASSWORD_MIN_LENGTH
    )
    assert room_hub.write_secrets(hub.folder) == passwords
    for secret in (
        hub.folder.passwords,
        hub.folder.cookie_secret,
        hub.folder.proxy_token,
        hub.folder.config,
    ):
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600, secret
    text = hub.folder.config.read_text()
    assert passwords.room not in text and passwords.facilitator not in text
    # The config, run as JupyterHub runs it, gives back every value exactly.
    config = Config()
    exec(compile(text, str(hub.folder.config), "exec"), {"c": config})
    assert config.Spawner.environment[WORKSHOP_ENV] == str(odd.resolve())
    assert config.SharedPasswordAuthenticator.user_password == passwords.room
    assert config.Authenticator.admin_users == {"facilitator"}
    assert config.JupyterHub.services == []
    assert config.Spawner.default_url == "/lab/tree/00_start_here.ipynb"
    assert ("--allow-root" in config.Spawner.args) == (os.getuid() == 0)
    # A room password of the room's own choosing, too short for JupyterHub, is refused.
    with pytest.raises(HubProblem, match="at least 8 characters"):
        room_hub.write_secrets(hub.folder, "short")


def test_a_hub_that_cannot_start_says_why_and_what_to_do(tmp_path, monkeypatch, capsys, proxy):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(HubProblem, match=f"Port {port} is in use") as problem:
            room_hub.check_port("127.0.0.1", port)
        assert f"--port {port + 10}" in problem.value.hint
        # The command says the same and stops before building anything.
        assert cli.main(["hub", "--ip", "127.0.0.1", "--port", str(port)]) == 2
        assert f"Port {port} is in use" in capsys.readouterr().err

    # No proxy installed and no npm to install it with.
    monkeypatch.setattr(Workspace, "hub_proxy", property(lambda self: tmp_path / "no-proxy"))
    monkeypatch.setattr(room_hub.shutil, "which", lambda _name: None)
    with pytest.raises(HubProblem, match="npm is not installed") as problem:
        room_hub.ensure_proxy()
    assert "Node.js" in problem.value.hint


def test_a_login_name_becomes_a_home_of_its_own(tmp_path):
    folder = Workspace.current().hub_folder(tmp_path)
    names = ["table-2", "Table 2", "table_2", "../etc", "🐶"]
    homes = [folder.home(name) for name in names]
    assert len(set(homes)) == len(names)
    assert all(home.parent == folder.homes for home in homes)
    assert folder.home("table_2").name == "table_2"
    long = Workspace.current().hub_folder(tmp_path / ("deep" * 40))
    assert len(os.fsencode(long.dbt_pool_socket)) <= 100
