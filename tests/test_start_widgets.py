"""The start-here notebook's parts: set-up checks, the group form and the discussion timer.

Widgets are driven as a person would (set values, click buttons), in plain Python: no kernel.
"""

from __future__ import annotations

import threading

import pytest
import yaml

from mesh_workshop.paths import WORKSHOP_ENV, WORKSPACE_ENV
from mesh_workshop.widgets import start
from mesh_workshop.workshop.folders import current_group


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """A workspace and a workshop folder of this test's own."""
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path / "workspace"))
    monkeypatch.setenv(WORKSHOP_ENV, str(tmp_path / "shared"))
    return tmp_path


@pytest.fixture(autouse=True)
def no_timer_thread_left():
    yield
    left = [t for t in threading.enumerate() if t.name == "rr-timer"]
    for thread in left:
        thread.join(timeout=5)
    assert not [t for t in left if t.is_alive()], "a timer thread outlived its test"


# ------------------------------------------------------------------------------ set-up checks


def test_the_installed_software_and_raw_data_pass_their_checks():
    checks = {c.id: c for c in start.setup_checks()}
    for name in ("python", "dbt-core", "dbt-duckdb", "dbt-loom", "duckdb", "raw-data"):
        assert checks[name].ok, checks[name].line()
    assert checks["dbt-core"].found.startswith("dbt-core 1.11.")
    assert (
        checks["raw-data"].found
        == f"raw data: all {len(start.expected_raw_tables())} tables in data/raw/"
    )
    assert "animals" in start.expected_raw_tables()


def test_an_empty_workspace_is_reported_as_not_built_with_what_to_do(folders):
    checks = {c.id: c for c in start.setup_checks()}
    assert not checks["monolith"].ok and not checks["mesh"].ok
    assert checks["mesh"].found.startswith("the mesh is not built yet (4 of 4 projects missing")
    text = start.report(list(checks.values()))
    assert "TO DO  the legacy project `data_platform` is not built yet" in text
    assert "the next cell does that for you" in text
    assert text.endswith("2 things to do before the workshop can start.")


def test_a_check_line_says_ok_or_what_to_do():
    assert start.SetupCheck("duckdb", True, "duckdb 1.5.6").line() == "OK     duckdb 1.5.6"
    line = start.SetupCheck("dbt-loom", False, "dbt-loom is not installed", "Install it.").line()
    assert line == "TO DO  dbt-loom is not installed\n       Install it."
    assert start.report([start.SetupCheck("x", True, "x")]).endswith(
        "All set: everything the workshop needs is here."
    )


# -------------------------------------------------------------------------------- group form


def test_saving_the_group_writes_its_name_and_members_to_the_workshop_folder(folders):
    form = start.GroupForm()
    assert "rr-group-form" in form.widget._dom_classes
    assert "rr-group-form-save" in form.save_button._dom_classes
    assert str(folders / "shared") in form.folder.value
    form.name.value = "  Table 4 "
    form.members.value = "Sam\nAna, Noor\n\n"
    form.save_button.click()
    record = yaml.safe_load((folders / "shared" / "table_4" / "group.yml").read_text())
    assert record["group"] == "Table 4"
    assert record["members"] == ["Sam", "Ana", "Noor"]
    assert current_group() == "Table 4"
    assert "Saved: <b>Table 4</b> (Sam, Ana, Noor)" in form.status.value


def test_a_new_form_starts_from_the_group_saved_on_this_laptop(folders):
    first = start.GroupForm()
    first.name.value = "Kestrels"
    first.members.value = "Lee\nMo"
    first.save()
    again = start.GroupForm()
    assert again.name.value == "Kestrels"
    assert again.members.value == "Lee\nMo"
    assert "This laptop plays as <b>Kestrels</b>" in again.status.value


def test_a_group_without_a_name_is_not_saved_and_the_form_says_why(folders):
    form = start.GroupForm()
    form.members.value = "Sam"
    form.save_button.click()
    assert form.saved_path is None
    assert "A group needs a name" in form.status.value
    assert not (folders / "shared").exists()


# ------------------------------------------------------------------------------------- timer


def test_the_timer_shows_the_full_time_until_started():
    timer = start.DiscussionTimer(minutes=10)
    assert "rr-timer" in timer.widget._dom_classes
    assert "10:00" in timer.clock.value
    assert timer.message.value == "Ready."
    assert not timer.running and timer.thread is None
    assert timer.pause_button.disabled and not timer.start_button.disabled
    timer.minutes.value = 5
    assert "05:00" in timer.clock.value


def test_start_runs_one_background_thread_and_pause_stops_it():
    timer = start.DiscussionTimer(minutes=10)
    timer.start_button.click()
    thread = timer.thread
    assert timer.running and thread is not None and thread.is_alive()
    assert thread.daemon
    assert timer.start_button.disabled and not timer.pause_button.disabled
    assert timer.minutes.disabled
    timer.start_button.click()  # a second click never starts a second countdown
    assert timer.thread is thread
    timer.pause_button.click()
    assert not thread.is_alive() and timer.thread is None
    assert not timer.running
    assert 0 < timer.remaining() <= 600
    assert timer.message.value in {"Paused.", "Ready."}
    left = timer.remaining()
    assert timer.remaining() == left  # paused: time stands still


def test_reset_puts_the_full_time_back_and_stops_the_countdown():
    timer = start.DiscussionTimer(minutes=3)
    timer.start()
    thread = timer.thread
    timer.reset_button.click()
    assert not thread.is_alive()
    assert timer.remaining() == 180
    assert "03:00" in timer.clock.value and timer.message.value == "Ready."


def test_when_time_is_up_the_timer_stops_by_itself_and_says_so():
    timer = start.DiscussionTimer(minutes=0.01, tick=0.02)
    timer.start()
    thread = timer.thread
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert not timer.running and timer.remaining() == 0
    assert "00:00" in timer.clock.value
    assert "rr-timer-done" in timer.widget._dom_classes
    assert timer.message.value.startswith("<b>Time is up.</b>")
    assert timer.start_button.disabled
    timer.start()  # nothing left to count until reset
    assert timer.thread is None or not timer.thread.is_alive()
    timer.reset()
    assert "rr-timer-done" not in timer.widget._dom_classes
    assert not timer.start_button.disabled


def test_closing_the_timer_stops_its_thread():
    timer = start.DiscussionTimer(minutes=1)
    timer.start()
    thread = timer.thread
    timer.close()
    assert not thread.is_alive()


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(600, "10:00"), (59.2, "01:00"), (0.4, "00:01"), (0, "00:00"), (-3, "00:00")],
)
def test_the_clock_rounds_up_to_whole_seconds(seconds, shown):
    assert start.clock_text(seconds) == shown


def test_on_a_rooms_hub_each_person_keeps_their_own_current_group(folders, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "table-4")
    form = start.GroupForm()
    form.name.value = "Table 4"
    form.save_button.click()
    assert current_group() == "Table 4"
    monkeypatch.setenv("JUPYTERHUB_USER", "../table 5")
    assert current_group() is None, "another person on the same hub does not get Table 4"
    assert start.GroupForm().name.value != "Table 4"
    monkeypatch.setenv("JUPYTERHUB_USER", "table-4")
    assert start.GroupForm().name.value == "Table 4", "the same person gets it back"
