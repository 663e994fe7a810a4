"""The Mesh Council's two apps, driven as players and moderators drive them (type, choose, click),
on real council tables in a workshop folder of the test's own. No dbt runs here: building the
final mesh is tested in tests/test_council_play.py."""

from __future__ import annotations

import html
import re
import threading

import ipywidgets as w
import pytest

from mesh_workshop.council import load_game
from mesh_workshop.council.state import (
    advance,
    close_vote,
    council_state,
    open_council,
    open_vote,
    propose,
    take_seat,
    vote,
)
from mesh_workshop.paths import WORKSHOP_ENV, Workspace
from mesh_workshop.widgets import CouncilApp, SeatApp
from mesh_workshop.widgets.common import markdown_text

TABLE = "Table 3"
GAME = load_game()


@pytest.fixture
def workshop(tmp_path, monkeypatch, workspace):
    folder = tmp_path / "workshop"
    monkeypatch.setenv(WORKSHOP_ENV, str(folder))
    return folder


@pytest.fixture
def codes(workshop) -> dict[int, str]:
    return open_council(TABLE)


@pytest.fixture(autouse=True)
def no_refresh_thread_left():
    yield
    left = [t for t in threading.enumerate() if t.name.startswith("rr-") and "refresh" in t.name]
    assert not left, "a refresh thread outlived its app"


def shown(widget: w.Widget) -> str:
    """Every piece of text a widget and its children show (HTML as the page reads it, Markdown,
    values, options)."""
    parts: list[str] = []
    if isinstance(widget, w.Output):
        parts.append(markdown_text(widget))
    if isinstance(widget, w.HTML):
        parts.append(html.unescape(widget.value))  # as the page reads it
    if isinstance(widget, (w.Label, w.Text, w.Textarea)):
        parts.append(widget.value)
    if isinstance(widget, w.Button):
        parts.append(widget.description)
    if isinstance(widget, (w.Dropdown, w.ToggleButtons)):
        parts += [str(label) for label in widget._options_labels]
    if isinstance(widget, (w.Accordion, w.Tab)):
        parts += [str(title) for title in widget.titles]
    for child in getattr(widget, "children", ()):
        parts.append(shown(child))
    return "\n".join(parts)


def said(widget: w.HTML) -> str:
    """What an HTML widget says, as the page reads it."""
    return html.unescape(widget.value)


def opened(codes, seat: int, name: str | None = None, **kwargs) -> SeatApp:
    app = SeatApp(TABLE, **{"refresh_seconds": None, **kwargs})
    app.seat_number.value = seat
    app.code.value = codes[seat]
    app.player.value = name or f"Player {seat}"
    app.open_button.click()
    return app


def other_missions(seat: int) -> list[str]:
    """What every secret mission that seat `seat` must never see says."""
    own = {m.id for m in GAME.missions_of(seat)}
    return [m.says for m in GAME.missions() if m.id not in own]


# A player's seat ------------------------------------------------------------------------------


def test_a_seat_opened_with_its_code_shows_its_own_secrets_and_no_one_elses(codes):
    app = SeatApp(TABLE, refresh_seconds=None)
    before = shown(app.widget)
    team, own = GAME.missions_of(3)
    assert team.says not in before and own.says not in before
    assert "rr-seat-app" in app.widget._dom_classes

    app.seat_number.value = 3
    app.code.value = codes[3].lower()  # capital letters or not
    app.player.value = "Sam"
    app.open_button.click()

    text = shown(app.widget)
    assert "Welcome, Sam: you sit in seat 3 at Table 3." in text
    assert "Secret: only for you" in text
    secret = next(
        c for c in app.seat_area.children[1].children if "rr-seat-secret" in c._dom_classes
    )
    secret_text = shown(secret)
    assert team.says in secret_text and own.says in secret_text
    assert "shared with your partner in seat 4" in secret_text
    for says in other_missions(3):
        assert says not in text, says
    # The public side of the role sheet, the handbook and the phase are there.
    assert GAME.seat(3).public.priority in text
    assert "Take your seats" in text and "minutes left" in text
    handbook = next(c for c in app.seat_area.children if "The architect's handbook" in shown(c))
    titles = handbook.children[1].titles
    assert titles[:4] == ("History", "The architect's plan", "The roadmap", "The rules")
    assert "```mermaid" in shown(handbook)  # the picture of the mesh beside the plan
    # Hiding the secret for a moment hides it on the page.
    (hide,) = secret.children[-1].children
    hide.value = True
    assert secret.children[1].layout.display == "none"
    hide.value = False
    assert secret.children[1].layout.display is None


@pytest.mark.parametrize(
    "problem",
    ["wrong code", "taken seat", "unknown seat", "no seat chosen", "unknown table", "no name"],
)
def test_a_refused_seat_shows_why_and_nothing_of_the_seat(codes, workshop, problem):
    open_council("Table 9", seats=9)
    table, seat, code, name = TABLE, 5, codes[5], "Ana"
    if problem == "wrong code":
        code = codes[6]
    elif problem == "taken seat":
        take_seat(TABLE, 5, codes[5], "Kim")
    elif problem == "unknown seat":
        table, seat = "Table 9", 10
    elif problem == "no seat chosen":
        seat = None
    elif problem == "unknown table":
        table = "Table 99"
    elif problem == "no name":
        name = "  "
    app = SeatApp(table, refresh_seconds=None)
    app.seat_number.value, app.code.value, app.player.value = seat, code, name
    app.open_button.click()

    expected = {
        "wrong code": "That is not the code of seat 5. Type the 5-character code",
        "taken seat": "Seat 5 is taken by \u201cKim\u201d. If you are Kim",
        "unknown seat": "There is no seat <code>10</code> at this table",
        "no seat chosen": "Choose your seat number",
        "unknown table": "Table 99",
        "no name": "Your name is needed to take a seat.",
    }[problem]
    assert expected in said(app.status)
    assert app.seat_area.children == ()
    assert app.seat is None and not app.poller.running
    text = shown(app.widget)
    for mission in GAME.missions():
        assert mission.says not in text


def test_a_refused_second_attempt_hides_the_seat_opened_before(codes):
    app = opened(codes, 3)
    assert GAME.missions_of(3)[1].says in shown(app.widget)
    app.seat_number.value, app.code.value = 4, "WRONG"
    app.open_button.click()
    assert "That is not the code of seat 4" in said(app.status)
    assert GAME.missions_of(3)[1].says not in shown(app.widget)
    assert app.seat_area.children == ()


def test_a_process_policy_proposed_from_the_form_reaches_the_table_as_plain_text(codes):
    app = opened(codes, 3)
    app.policy_text.value = "<script>alert(1)</script> Finance keeps its **spreadsheets**."
    app.propose_button.click()

    policies = council_state(TABLE).active_policies
    assert [(p.id, p.seat, p.kind, p.player) for p in policies] == [
        ("p1", 3, "process", "Player 3")
    ]
    assert "on the table as p1" in said(app.propose_message)
    assert app.policy_text.value == ""
    listed = app.policies.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listed and "<script>" not in listed
    assert "proposed by seat 3, Director of Finance (Player 3)" in listed
    # Another seat's screen shows it at its next refresh.
    other = opened(codes, 7)
    assert "Finance keeps its **spreadsheets**." in other.policies.value

    # An empty policy is refused with the state's words, and nothing is added.
    app.propose_button.click()
    assert "The policy is empty." in said(app.propose_message)
    assert len(council_state(TABLE).policies) == 1


def test_a_technical_policy_carries_its_change_to_the_mesh_written_in_yaml(codes):
    app = opened(codes, 4)
    assert app.change_box.layout.display == "none"
    app.kind.value = "technical"
    assert app.change_box.layout.display is None
    assert "data_platform.fct_animal_outcomes" in shown(app.change_box)  # the example

    app.policy_text.value = "The hub's outcomes are public."
    app.change.value = "models:\n  - model: data_platform.dim_animals\n access: public\n"
    app.propose_button.click()
    assert "not valid YAML near line 3" in said(app.propose_message)
    app.change.value = "- just a list"
    app.propose_button.click()
    assert "starts with one of" in said(app.propose_message)
    app.change.value = "modles: []"
    app.propose_button.click()
    assert "Did you mean <code>models</code>?" in said(app.propose_message)
    assert council_state(TABLE).policies == ()

    app.example_button.click()
    app.propose_button.click()
    (policy,) = council_state(TABLE).policies
    assert policy.kind == "technical"
    assert policy.governance == {
        "models": [{"model": "data_platform.fct_animal_outcomes", "access": "public"}]
    }
    assert "access: public" in app.policies.value


def test_a_seat_votes_from_its_buttons_during_the_vote_and_can_change_its_mind(codes):
    for seat in (9, 3):
        take_seat(TABLE, seat, codes[seat], f"Player {seat}")
    propose(TABLE, 3, codes[3], "Every public model has an owner.", "process")
    propose(TABLE, 9, codes[9], "The council meets every quarter.", "process")
    app = opened(codes, 6)
    assert app.votes.children == ()
    assert "The vote has not opened yet" in said(app.vote_status)

    while council_state(TABLE).phase != "session_3":
        advance(TABLE, 9, codes[9])
    open_vote(TABLE, 9, codes[9])
    app.refresh_button.click()
    rows = app.votes.children
    assert [r._dom_classes[-1] for r in rows] == ["rr-seat-vote-p1", "rr-seat-vote-p2"]
    assert app.propose_button.disabled

    yes = next(b for b in rows[0].children if "rr-seat-vote-yes" in b._dom_classes)
    no = next(b for b in rows[0].children if "rr-seat-vote-no" in b._dom_classes)
    abstain = next(b for b in rows[1].children if "rr-seat-vote-abstain" in b._dom_classes)
    yes.click()
    abstain.click()
    assert {(v.policy_id, v.choice) for v in council_state(TABLE).votes} == {
        ("p1", "yes"),
        ("p2", "abstain"),
    }
    assert yes.button_style == "success" and no.button_style == ""
    no.click()  # a second press changes the vote
    assert {(v.policy_id, v.choice) for v in council_state(TABLE).votes} == {
        ("p1", "no"),
        ("p2", "abstain"),
    }
    assert no.button_style == "danger" and yes.button_style == ""
    assert "Your vote on p1: no." in said(app.vote_message)
    assert "<td>0</td><td>1</td><td>0</td>" in app.tally.value  # p1: 0 yes, 1 no, 0 abstain

    close_vote(TABLE, 9, codes[9])
    yes.click()
    assert "Voting has closed" in said(app.vote_message)
    assert app.votes.children == ()
    assert "The vote is closed" in said(app.vote_status)


def test_the_seat_refreshes_itself_in_the_background_until_it_is_closed(codes):
    app = opened(codes, 2, refresh_seconds=None)
    app.poller.seconds = 0.05
    app.poller.start()
    take_seat(TABLE, 9, codes[9], "Mo")
    propose(TABLE, 9, codes[9], "Decisions are written down.", "process")
    for _ in range(200):
        if "Decisions are written down." in app.policies.value:
            break
        threading.Event().wait(0.05)
    assert "Decisions are written down." in app.policies.value
    thread = app.poller.thread
    assert thread is not None and thread.is_alive()
    app.widget.close()  # closing the widget, as a notebook does, stops the thread
    thread.join(5)
    assert not thread.is_alive()


# The moderators' and facilitator's app ---------------------------------------------------------


def moderated(table: str = TABLE) -> tuple[CouncilApp, dict[int, str]]:
    app = CouncilApp(refresh_seconds=None, background=False)
    app.table_name.value = table
    app.open_table_button.click()
    codes = {
        int(seat): code
        for seat, code in re.findall(
            r"<tr><td>(\d+)</td><td>[^<]*</td><td class='rr-council-code'[^>]*>(\w+)</td>",
            app.codes.value,
        )
    }
    return app, codes


def test_the_moderator_creates_a_table_runs_the_clock_and_holds_the_vote(workshop):
    app, codes = moderated("Table 8")
    assert "rr-council-app" in app.widget._dom_classes
    assert "Table 8 is new" in said(app.status)
    assert sorted(codes) == list(range(1, 11))
    assert codes == open_council("Table 8")  # the codes shown are the table's
    app.hide_codes_button.click()
    assert app.codes.value == ""
    app.show_codes_button.click()  # a lost table card
    assert all(code in app.codes.value for code in codes.values())

    # Nothing moves without a moderator's seat.
    app.next_button.click()
    assert "Open a moderator's seat first" in said(app.clock_message)
    app.seat_number.value, app.code.value, app.player.value = 10, codes[9], "Mo"
    app.sit_button.click()
    assert "That is not the code of seat 10" in said(app.status)
    app.seat_number.value, app.code.value = 9, codes[9]
    app.sit_button.click()
    assert "Mo moderates Table 8 from seat 9" in said(app.status)

    # The clock and the run sheet.
    short = GAME.agenda("short")
    assert short.phases[0].title in said(app.clock)
    assert re.search(r"[45]:\d\d left", said(app.clock))
    assert f"Next: {short.phases[1].title}" in said(app.clock)
    assert "\u25b6 **Now:** 1. Take your seats" in markdown_text(app.run_sheet)
    assert short.phases[0].moderator_says in said(app.says)
    app.next_button.click()
    assert f"moves on to {short.phases[1].title}" in said(app.clock_message)
    assert short.phases[1].title in said(app.clock)
    assert "\u25b6 **Now:** 2. Council session 1" in markdown_text(app.run_sheet)
    app.extend_button.click()
    assert "2 more minutes" in said(app.clock_message)
    assert "of 12 minutes (with 2 extra)" in said(app.clock)

    # The vote opens only in session 3, on policies.
    app.open_vote_button.click()
    assert "The vote opens in council session 3" in said(app.vote_message)
    for seat, code in codes.items():
        if seat != 9:
            take_seat("Table 8", seat, code, f"Player {seat}")
    propose("Table 8", 3, codes[3], "Budgets stay flat.", "process")
    propose("Table 8", 5, codes[5], "HR approves new duties.", "process")
    while council_state("Table 8").phase != "session_3":
        app.next_button.click()
    app.open_vote_button.click()
    assert "The vote is open" in said(app.vote_message)
    assert app.open_vote_button.disabled and not app.close_vote_button.disabled
    for seat, code in codes.items():
        vote("Table 8", seat, code, "p1", "yes" if seat <= 7 else "no")
        vote("Table 8", seat, code, "p2", "yes" if seat % 2 else "no")
    app.vote_refresh.click()
    assert "Every seat at the table has voted on every policy." in app.tally.value
    assert "<td>7</td><td>3</td><td>0</td><td>voting is open</td>" in app.tally.value
    app.close_vote_button.click()
    assert "<td>7</td><td>3</td><td>0</td><td>passed</td>" in app.tally.value
    assert "<td>5</td><td>5</td><td>0</td><td>a tie: the moderators decide</td>" in app.tally.value

    # The tie, decided with a button.
    (tie,) = app.ties.children
    assert "rr-council-tie-p2" in tie._dom_classes
    fails = next(
        b for b in tie.children if "rr-council-tie-failed" in getattr(b, "_dom_classes", ())
    )
    fails.click()
    assert "Recorded: p2 failed." in said(app.vote_message)
    assert "a tie, failed by the moderators" in app.tally.value
    app.close()


def test_the_reveal_waits_for_the_vote_then_shows_every_mission_and_the_tables_word(workshop):
    app, codes = moderated()
    for seat, code in codes.items():
        take_seat(TABLE, seat, code, f"Player {seat}")
    app.code.value, app.player.value = codes[10], "Player 10"
    app.seat_number.value = 10
    app.sit_button.click()
    reveal = app.reveal_panel
    reveal.button.click()
    assert "The reveal comes after the vote." in said(reveal.message)
    assert reveal.result.value == ""

    propose(TABLE, 1, codes[1], "We hire two data engineers.", "process")
    while council_state(TABLE).phase != "session_3":
        advance(TABLE, 10, codes[10])
    open_vote(TABLE, 10, codes[10])
    for seat, code in codes.items():
        vote(TABLE, seat, code, "p1", "yes")
    close_vote(TABLE, 10, codes[10])
    reveal.button.click()
    shown_missions = re.findall(r"data-mission='(\w+)'", reveal.result.value)
    assert sorted(shown_missions) == sorted(m.id for m in GAME.missions())
    assert "No final mesh has been built on this screen yet" in reveal.result.value

    reveal.mission.value = "more_data_engineers"
    reveal.met.value = True
    reveal.why.value = "Policy <p1> hires two."
    reveal.declare_button.click()
    assert "is recorded" in said(reveal.declare_message)
    assert council_state(TABLE).declared["more_data_engineers"].why == "Policy <p1> hires two."
    row = re.search(r"<tr data-mission='more_data_engineers'>.*?</tr>", reveal.result.value)
    assert "the table&#x27;s word" in row.group(0) and "&#10004; met" in row.group(0)
    assert "Policy &lt;p1&gt; hires two." in row.group(0)

    # The council's printable page, from the reveal; the table's words are escaped on it.
    reveal.page_button.click()
    assert "page is written" in said(reveal.page_message), said(reveal.page_message)
    page = (Workspace.current().council(TABLE) / "presentation.html").read_text()
    assert "We hire two data engineers." in page and "Policy &lt;p1&gt; hires two." in page


def test_the_emergency_opens_the_scenario_for_the_councils_own_group(workshop):
    app, _ = moderated("Table 6")
    assert app.emergency_area.children == ()
    app.emergency_button.click()
    (scenario,) = app.emergency_area.children
    assert "rr-scenario-app" in scenario._dom_classes
    assert app.emergency.session.group == "Council Table 6"
    assert app.emergency.scenario.id == "council_emergency"


def test_the_sidebar_lists_every_councils_seats_by_role_number(workshop):
    first, second = open_council("Table 1"), open_council("Table 2")
    take_seat("Table 1", 4, first[4], "Ana <b>")
    take_seat("Table 2", 4, second[4], "Ben")
    take_seat("Table 2", 7, second[7], "Cy")
    propose("Table 2", 7, second[7], "Shelter forms get a <i>schema</i>.", "process")

    app = CouncilApp(refresh_seconds=None, background=False)
    assert "rr-council-sidebar" in app.sidebar_box._dom_classes
    sidebar = app.sidebar.value
    cards = dict(re.findall(r"data-seat='(\d+)'.*?<ul>(.*?)</ul>", sidebar))
    assert sorted(int(n) for n in cards) == list(range(1, 11))
    assert cards["4"] == "<li>Table 1: Ana &lt;b&gt;</li><li>Table 2: Ben</li>"
    assert (
        "<li>Table 1: <span class='rr-muted'>nobody yet</span></li><li>Table 2: Cy</li>"
        == (cards["7"])
    )
    assert "Seat 4: Lead Marketing Analyst" in sidebar
    # Each council's active policies, as plain text.
    assert "Shelter forms get a &lt;i&gt;schema&lt;/i&gt;." in sidebar
    assert "<i>schema</i>" not in sidebar

    # The wall: every council side by side.
    wall = app.wall.value
    assert re.findall(r"rr-wall-card' data-table='([^']+)'", wall) == ["Table 1", "Table 2"]
    assert "1 policy, not voted yet" in wall and "0 policies, not voted yet" in wall
    assert "Final mesh: <span class='rr-muted'>not built yet</span>" in wall

    # A third council appears at the next refresh.
    take_seat("Table 3", 4, open_council("Table 3")[4], "Dee")
    app.wall_refresh.click()
    assert "Table 3: Dee" in app.sidebar.value and "data-table='Table 3'" in app.wall.value


def test_a_moderator_who_did_not_open_the_table_still_runs_it(workshop, codes):
    """On a JupyterHub only whoever opened a table can read its codes; another user's app opens
    the table all the same, and says why it cannot show the codes."""
    (council_state(TABLE).folder / "seat_codes.json").unlink()
    app = CouncilApp(refresh_seconds=None, background=False)
    app.table_name.value = "table 3"
    app.open_table_button.click()
    assert "Table 3 is open. Its seat codes stay hidden" in said(app.status)
    assert app.codes.value == ""
    app.show_codes_button.click()
    assert "cannot be printed from here" in said(app.status)
    assert app.codes.value == ""
    app.code.value, app.player.value = codes[9], "Mo"
    app.sit_button.click()
    app.next_button.click()
    assert council_state(TABLE).phase == "session_1"
