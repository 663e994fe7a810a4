"""A council table's shared state: seats, policies, the phase clock and the vote, in real files of
a shared workshop folder, with seats acting at the same moment from threads and processes."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import stat
import threading

import pytest

from mesh_workshop.council import load_game
from mesh_workshop.council.state import (
    DEFAULT_MINUTES,
    MODERATOR_SEATS,
    PHASES,
    CouncilStateError,
    advance,
    change_vote,
    clock,
    close_vote,
    council_state,
    declare_mission,
    edit_policy,
    extend,
    leave_seat,
    list_councils,
    open_council,
    open_vote,
    propose,
    record_tie,
    seat_codes,
    take_seat,
    tally,
    vote,
    withdraw_policy,
)
from mesh_workshop.council.state_file import CODE_ALPHABET
from mesh_workshop.paths import WORKSHOP_ENV, Workspace

TABLE = "Table 4"
PUBLIC_OUTCOMES = {"models": [{"model": "data_platform.fct_animal_outcomes", "access": "public"}]}


@pytest.fixture
def workshop(tmp_path, monkeypatch):
    folder = tmp_path / "shared workshop"
    monkeypatch.setenv(WORKSHOP_ENV, str(folder))
    return folder


@pytest.fixture
def codes(workshop):
    """Table 4 opened, with every seat taken by a player of its own."""
    codes = open_council(TABLE)
    for seat, code in codes.items():
        take_seat(TABLE, seat, code, f"Player {seat}")
    return codes


def state_file(table: str = TABLE):
    return Workspace.current().council(table) / "state.json"


def refused(call, *words: str) -> CouncilStateError:
    """`call` is refused with a message holding `words` and a hint, and state.json is unchanged."""
    before = state_file().read_bytes()
    with pytest.raises(CouncilStateError) as caught:
        call()
    assert state_file().read_bytes() == before, "a refusal changed state.json"
    for word in words:
        assert word in str(caught.value)
    assert caught.value.hint
    return caught.value


def to_session_3(codes) -> None:
    while council_state(TABLE).phase != "session_3":
        advance(TABLE, 9, codes[9])


# Opening a table and its seat codes ------------------------------------------------------------


def test_a_table_opens_with_a_short_unambiguous_code_per_seat_and_reopens_with_the_same(workshop):
    codes = open_council(TABLE)
    assert sorted(codes) == list(range(1, 11))
    assert len(set(codes.values())) == 10
    for code in codes.values():
        assert 4 <= len(code) <= 5
        assert set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("0O1I")
    assert open_council(TABLE) == codes
    assert open_council("  table 4 ") == codes, "the same name typed with other case and spaces"
    assert seat_codes(TABLE) == codes

    folder = workshop / "councils" / "table_4"
    assert state_file() == folder / "state.json"
    text = (folder / "state.json").read_text()
    assert not any(code in text for code in codes.values()), "state.json shows a seat code"
    assert stat.S_IMODE((folder / "seat_codes.json").stat().st_mode) == 0o600

    state = council_state(TABLE)
    assert (state.table, state.seat_count, state.seats, state.policies) == (TABLE, 10, (), ())
    assert (state.phase, state.vote_status, state.minutes) == ("setup", "not_open", DEFAULT_MINUTES)


def test_a_name_that_would_share_another_tables_folder_is_refused(workshop):
    codes = open_council(TABLE)
    refused(lambda: open_council("Table-4!"), "too close to the table", TABLE)
    assert seat_codes(TABLE) == codes


def test_the_default_game_is_the_short_agenda_and_data_leadership_moderates():
    game = load_game()
    assert PHASES == tuple(p.id for p in game.agenda("short").phases)
    assert DEFAULT_MINUTES == {p.id: p.minutes for p in game.agenda("short").phases}
    assert MODERATOR_SEATS == tuple(s.number for s in game.seats_of(game.moderators.id))


def test_a_table_can_be_opened_with_the_minutes_of_another_agenda(workshop):
    open_council(TABLE, minutes={"session_1": 30, "session_3": 25})
    assert council_state(TABLE).minutes == {**DEFAULT_MINUTES, "session_1": 30, "session_3": 25}
    with pytest.raises(CouncilStateError, match="`lunch` is not a phase"):
        open_council("Table 5", minutes={"lunch": 30})
    with pytest.raises(CouncilStateError, match="9 or 10 seats"):
        open_council("Table 6", seats=4)
    assert list_councils() == [TABLE]


# Seats -----------------------------------------------------------------------------------------


def test_a_player_takes_a_seat_and_can_open_it_again(workshop):
    codes = open_council(TABLE)
    seat = take_seat(TABLE, 3, codes[3], "Sam")
    assert (seat.seat, seat.player, seat.moderator) == (3, "Sam", False)
    again = take_seat(TABLE, 3, f" {codes[3].lower()} ", "sam")
    assert again.player == "Sam", "the same player, typing the code in lower case"
    assert take_seat(TABLE, 9, codes[9], "Ana").moderator
    assert [(s.seat, s.player) for s in council_state(TABLE).seats] == [(3, "Sam"), (9, "Ana")]

    refused(lambda: take_seat(TABLE, 3, codes[3], "Kim"), "Seat 3 is taken by \u201cSam\u201d")
    leave_seat(TABLE, 3, codes[3])
    assert take_seat(TABLE, 3, codes[3], "Kim").player == "Kim"


def test_a_wrong_code_an_unknown_seat_and_a_taken_seat_are_refused(codes):
    wrong = next(c for c in codes.values() if c != codes[2])
    refused(lambda: take_seat(TABLE, 2, wrong, "Player 2"), "not the code of seat 2")
    refused(lambda: take_seat(TABLE, 11, codes[2], "Kim"), "no seat `11`", "1 to 10")
    refused(lambda: take_seat(TABLE, 0, codes[2], "Kim"), "no seat `0`")
    refused(lambda: take_seat(TABLE, 2, codes[2], "Kim"), "taken by \u201cPlayer 2\u201d")
    refused(lambda: take_seat(TABLE, 2, codes[2], "   "), "name is needed")
    refused(lambda: propose(TABLE, 2, wrong, "A rule.", "process"), "not the code of seat 2")


# Policies --------------------------------------------------------------------------------------


def test_process_and_technical_policies_are_proposed_edited_and_withdrawn(codes):
    first = propose(TABLE, 1, codes[1], "  The council meets every month.  ", "process")
    assert (first.id, first.seat, first.player, first.kind) == ("p1", 1, "Player 1", "process")
    assert first.text == "The council meets every month." and first.governance is None
    second = propose(TABLE, 7, codes[7], "Outcomes are public.", "technical", PUBLIC_OUTCOMES)
    assert second.id == "p2"
    assert second.governance == PUBLIC_OUTCOMES

    edited = edit_policy(TABLE, 1, codes[1], "p1", text="The council meets every fortnight.")
    assert edited.text == "The council meets every fortnight." and edited.edited_by == 1
    refused(lambda: edit_policy(TABLE, 2, codes[2], "p1", text="Mine now."), "seat 1")
    assert edit_policy(TABLE, 10, codes[10], "P1", text="Monthly after all.").edited_by == 10
    refused(lambda: withdraw_policy(TABLE, 3, codes[3], "p2"), "proposed by seat 7")
    assert withdraw_policy(TABLE, 7, codes[7], "p2").withdrawn
    third = propose(TABLE, 7, codes[7], "Outcomes stay protected.", "process")
    assert third.id == "p3", "an id is never given twice"

    state = council_state(TABLE)
    assert [(p.id, p.withdrawn) for p in state.policies] == [
        ("p1", False),
        ("p2", True),
        ("p3", False),
    ]
    assert [p.id for p in state.active_policies] == ["p1", "p3"]


def test_policy_text_and_changes_to_the_mesh_are_checked_before_anything_is_saved(codes):
    propose(TABLE, 1, codes[1], "A first policy.", "process")
    refused(lambda: propose(TABLE, 1, codes[1], "  \n ", "process"), "The policy is empty")
    refused(lambda: propose(TABLE, 1, codes[1], "x" * 1001, "process"), "1,001 characters")
    refused(lambda: propose(TABLE, 1, codes[1], "A rule.", "social"), "`social`")
    refused(
        lambda: propose(
            TABLE,
            1,
            codes[1],
            "Make it open.",
            "technical",
            {"models": [{"model": "data_platform.fct_animal_outcomes", "access": "open"}]},
        ),
        "key `models[data_platform.fct_animal_outcomes].access`",
        "`open` is not allowed here",
    )
    refused(
        lambda: propose(TABLE, 1, codes[1], "Version two.", "technical", {"version": 2}),
        "`version` is not part of a policy's changes",
    )
    error = refused(
        lambda: propose(TABLE, 1, codes[1], "Typo.", "technical", {"model": []}), "`model`"
    )
    assert "Did you mean `models`?" in error.hint
    refused(lambda: propose(TABLE, 1, codes[1], "Nothing.", "technical"), "needs those changes")
    refused(
        lambda: propose(TABLE, 1, codes[1], "Rule.", "process", PUBLIC_OUTCOMES),
        "carries no changes to the mesh",
    )
    refused(
        lambda: propose(
            TABLE,
            1,
            codes[1],
            "{{ run_me() }}",
            "technical",
            {"teams": [{"name": "council", "owner": {"name": "{{ x }}", "email": "a@b.example"}}]},
        ),
        "curly braces",
    )
    assert len(council_state(TABLE).policies) == 1


def test_policy_text_is_kept_as_plain_text(codes):
    text = "Robert'); DROP TABLE animals;-- {{ env_var('X') }} $(rm -rf /) ../../etc"
    assert propose(TABLE, 4, codes[4], text, "process").text == text
    assert council_state(TABLE).policies[0].text == text


# The phase clock -------------------------------------------------------------------------------


def test_moderators_move_the_council_through_its_phases_on_the_clock(codes):
    start = clock(TABLE)
    assert (start.phase, start.minutes, start.next_phase) == ("setup", 5, "session_1")

    refused(lambda: advance(TABLE, 3, codes[3]), "Only the moderators", "seat 3")
    refused(lambda: extend(TABLE, 3, codes[3], 2), "Only the moderators")
    moved = advance(TABLE, 9, codes[9], from_phase="setup")
    assert (moved.phase, moved.minutes, moved.next_phase) == ("session_1", 10, "emergency")
    refused(lambda: advance(TABLE, 10, codes[10], from_phase="setup"), "already moved on")
    refused(lambda: advance(TABLE, 10, codes[10], from_phase="lunch"), "`lunch` is not a phase")

    later = clock(TABLE, now=moved.started_at + dt.timedelta(minutes=3))
    assert later.seconds_left == pytest.approx(7 * 60)
    extended = extend(TABLE, 10, codes[10], 2)
    assert (extended.minutes, extended.extra_minutes) == (12, 2)
    overtime = clock(TABLE, now=moved.started_at + dt.timedelta(minutes=13))
    assert overtime.seconds_left == pytest.approx(-60) and overtime.overtime
    refused(lambda: extend(TABLE, 9, codes[9], 0), "`0` is not a number of extra minutes")

    assert advance(TABLE, 9, codes[9]).extra_minutes == 0, "extra minutes belong to one phase"
    for _ in range(4):
        advance(TABLE, 10, codes[10])
    assert clock(TABLE).phase == "presentations" and clock(TABLE).next_phase is None
    refused(lambda: advance(TABLE, 9, codes[9]), "last phase")


# The vote --------------------------------------------------------------------------------------


def test_the_vote_passes_one_policy_fails_one_and_the_moderators_decide_a_tie(codes):
    propose(TABLE, 1, codes[1], "The council keeps meeting after the game.", "process")
    propose(TABLE, 3, codes[3], "Finance and marketing split.", "process")
    propose(TABLE, 7, codes[7], "Outcomes are public.", "technical", PUBLIC_OUTCOMES)
    refused(lambda: open_vote(TABLE, 9, codes[9]), "opens in council session 3")
    to_session_3(codes)
    refused(lambda: open_vote(TABLE, 1, codes[1]), "Only the moderators")
    assert open_vote(TABLE, 9, codes[9]).vote_status == "open"
    refused(lambda: propose(TABLE, 1, codes[1], "Late idea.", "process"), "policies are fixed")

    ballots = {"p1": "yyyyyynnaa", "p2": "yynnnnnnay", "p3": "yyyynnnnaa"}
    for policy_id, choices in ballots.items():
        for seat, letter in enumerate(choices, start=1):
            choice = {"y": "yes", "n": "no", "a": "abstain"}[letter]
            assert vote(TABLE, seat, codes[seat], policy_id, choice).choice == choice
    refused(lambda: record_tie(TABLE, 9, codes[9], "p3", "passed"), "once the vote has closed")
    refused(lambda: advance(TABLE, 9, codes[9]), "The vote is still open")
    close_vote(TABLE, 10, codes[10])
    refused(lambda: record_tie(TABLE, 9, codes[9], "p1", "failed"), "p1 is not a tie")
    refused(lambda: record_tie(TABLE, 4, codes[4], "p3", "passed"), "Only the moderators")

    before = {t.policy_id: t for t in tally(TABLE)}
    assert (before["p3"].tie, before["p3"].passed) == (True, None)
    assert record_tie(TABLE, 9, codes[9], "p3", "passed").passed

    result = {t.policy_id: (t.yes, t.no, t.abstain, t.passed) for t in tally(TABLE)}
    assert result == {"p1": (6, 2, 2, True), "p2": (3, 6, 1, False), "p3": (4, 4, 2, True)}
    state = council_state(TABLE)
    assert state.vote_status == "closed" and state.ties == {"p3": "passed"}
    assert len(state.votes) == 30


def test_a_vote_is_refused_before_the_vote_opens_after_it_closes_twice_and_on_no_policy(codes):
    propose(TABLE, 1, codes[1], "Keep meeting.", "process")
    propose(TABLE, 2, codes[2], "Withdrawn soon.", "process")
    withdraw_policy(TABLE, 2, codes[2], "p2")
    refused(lambda: vote(TABLE, 1, codes[1], "p1", "yes"), "Voting has not opened yet")
    to_session_3(codes)
    open_vote(TABLE, 9, codes[9])

    refused(lambda: vote(TABLE, 1, codes[1], "p9", "yes"), "no policy `p9`", "Its policies: p1")
    refused(lambda: vote(TABLE, 1, codes[1], "p2", "yes"), "p2 was withdrawn")
    refused(lambda: vote(TABLE, 1, codes[1], "p1", "maybe"), "`maybe` is not a vote")
    vote(TABLE, 1, codes[1], "p1", "yes")
    error = refused(lambda: vote(TABLE, 1, codes[1], "p1", "no"), "already voted yes on p1")
    assert "change_vote" in error.hint
    assert change_vote(TABLE, 1, codes[1], "p1", "no").choice == "no"
    refused(lambda: change_vote(TABLE, 2, codes[2], "p1", "no"), "has not voted on p1")

    close_vote(TABLE, 9, codes[9])
    refused(lambda: vote(TABLE, 2, codes[2], "p1", "yes"), "Voting has closed")
    refused(lambda: change_vote(TABLE, 1, codes[1], "p1", "yes"), "Voting has closed")
    refused(lambda: open_vote(TABLE, 9, codes[9]), "a council votes once")
    assert [(t.yes, t.no) for t in tally(TABLE)] == [(0, 1)]


def test_a_seat_nobody_has_taken_cannot_act(workshop):
    codes = open_council(TABLE)
    refused(lambda: propose(TABLE, 5, codes[5], "A rule.", "process"), "Seat 5 is free")


# Seats acting at the same moment ---------------------------------------------------------------


def test_eight_seats_proposing_at_once_from_threads_lose_nothing(codes):
    start = threading.Barrier(8)
    errors = []

    def seat_proposes(seat: int) -> None:
        try:
            start.wait()
            for n in range(10):
                propose(TABLE, seat, codes[seat], f"Seat {seat}, policy {n}.", "process")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=seat_proposes, args=(s,)) for s in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    policies = council_state(TABLE).policies
    assert len(policies) == 80
    assert len({p.id for p in policies}) == 80
    assert {p.text for p in policies} == {
        f"Seat {s}, policy {n}." for s in range(1, 9) for n in range(10)
    }


def _process_proposes(table: str, seat: int, code: str, start) -> None:
    start.wait()
    for n in range(10):
        propose(table, seat, code, f"Seat {seat}, policy {n}.", "process")


def test_four_processes_proposing_at_once_lose_nothing(codes):
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(4)
    processes = [
        spawn.Process(target=_process_proposes, args=(TABLE, s, codes[s], start))
        for s in range(1, 5)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    policies = council_state(TABLE).policies
    assert len(policies) == 40
    assert len({p.id for p in policies}) == 40
    assert {p.text for p in policies} == {
        f"Seat {s}, policy {n}." for s in range(1, 5) for n in range(10)
    }


# Tables, names and files -----------------------------------------------------------------------


@pytest.mark.parametrize("hostile", ["../../etc", "/tmp/x", "..", "🐶 Table", "a/../../b"])
def test_no_table_name_leaves_the_workshop_folder(hostile, workshop, tmp_path):
    codes = open_council(hostile)
    folder = Workspace.current().council(hostile)
    assert folder.parent == workshop / "councils"
    assert (folder / "state.json").is_file()
    assert take_seat(hostile, 1, codes[1], "Sam").table == hostile
    assert list_councils() == [hostile]
    outside = {p for p in tmp_path.rglob("*") if workshop not in (p, *p.parents)}
    assert outside == set(), "a table wrote outside the workshop folder"


def test_a_table_name_with_a_control_character_is_refused_and_writes_nothing(workshop):
    assert Workspace.current().council("x\x00y").parent == workshop / "councils"
    with pytest.raises(CouncilStateError, match="control characters"):
        open_council("x\x00y")
    assert not workshop.exists() or not any(workshop.rglob("*"))


def test_two_tables_in_one_workshop_folder_do_not_see_each_others_state(workshop):
    one, two = open_council("Table 1"), open_council("Table 2")
    take_seat("Table 1", 1, one[1], "Sam")
    propose("Table 1", 1, one[1], "Only at table one.", "process")
    assert council_state("Table 2").policies == ()
    assert council_state("Table 2").seats == ()
    if one[1] != two[1]:
        with pytest.raises(CouncilStateError, match="not the code of seat 1"):
            take_seat("Table 2", 1, one[1], "Sam")
    assert list_councils() == ["Table 1", "Table 2"]
    with pytest.raises(CouncilStateError, match="no council table called \u201cTable 3\u201d"):
        council_state("Table 3")
    assert not (workshop / "councils" / "table_3").exists(), "asking about a table creates none"


def test_a_damaged_state_file_is_named_and_never_written_over(codes):
    propose(TABLE, 1, codes[1], "Keep meeting.", "process")
    path = state_file()
    assert (path.parent / "state.previous.json").is_file()
    for damage in (b"", b'{"table": "Table 4", "seats": ', b"[1, 2]"):
        path.write_bytes(damage)
        with pytest.raises(CouncilStateError) as caught:
            council_state(TABLE)
        assert f"`{path}` is damaged" in caught.value.message
        assert "state.previous.json" in caught.value.hint
        for write in (
            lambda: propose(TABLE, 1, codes[1], "Another.", "process"),
            lambda: open_council(TABLE),
            lambda: advance(TABLE, 9, codes[9]),
        ):
            with pytest.raises(CouncilStateError, match="is damaged"):
                write()
            assert path.read_bytes() == damage
    assert list_councils() == ["table_4"], "a damaged table is still listed, by its folder"


def test_a_hand_edited_state_file_is_read_where_that_is_safe(codes):
    propose(TABLE, 1, codes[1], "Keep meeting.", "process")
    path = state_file()
    data = json.loads(path.read_text())
    del data["votes"], data["ties"], data["minutes"]["presentations"]
    data["next_policy"] = 1  # lowered by hand: ids still never repeat
    path.write_text("\ufeff" + json.dumps(data), encoding="utf-8")
    state = council_state(TABLE)
    assert state.minutes["presentations"] == 15 and state.votes == ()
    assert propose(TABLE, 2, codes[2], "Another.", "process").id == "p2"

    data = json.loads(path.read_text())
    data["phase"] = "lunch"
    path.write_text(json.dumps(data))
    with pytest.raises(CouncilStateError, match="the key `phase`: .*`lunch` is not a phase"):
        council_state(TABLE)


def test_a_lost_state_file_is_not_replaced_by_a_new_table_while_its_earlier_state_remains(codes):
    propose(TABLE, 1, codes[1], "Keep meeting.", "process")
    state_file().unlink()
    with pytest.raises(CouncilStateError, match="lost its state file") as caught:
        open_council(TABLE)
    assert "copy `state.previous.json` to `state.json`" in caught.value.hint
    assert not state_file().exists()
    previous = state_file().with_name("state.previous.json")
    state_file().write_bytes(previous.read_bytes())
    assert open_council(TABLE) == codes, "the earlier state, with its seat codes, is back"


def test_the_table_declares_missions_only_people_can_judge_through_a_moderator(codes):
    declared = declare_mission(
        TABLE, 9, codes[9], "more_data_engineers", False, "No hiring  passed."
    )
    assert (declared.met, declared.why, declared.seat) == (False, "No hiring passed.", 9)
    # Declaring again replaces the table's word.
    declare_mission(TABLE, 10, codes[10], "more_data_engineers", True, "Policy p2 hires two.")
    word = council_state(TABLE).declared["more_data_engineers"]
    assert (word.met, word.why, word.seat) == (True, "Policy p2 hires two.", 10)
    refused(
        lambda: declare_mission(TABLE, 3, codes[3], "no_new_spending", True, "Yes."),
        "Only the moderators",
    )
    refused(lambda: declare_mission(TABLE, 9, codes[9], "no_new_spending", True, "  "), "one line")
    refused(lambda: declare_mission(TABLE, 9, codes[9], "../x", True, "Yes."), "not a mission")
