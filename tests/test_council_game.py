"""The Mesh Council game as data: the shipped game keeps the council's shape (ten numbered seats
in five teams of two, the seven phases, an hour or an afternoon), and a game file that breaks a
rule is refused with a message naming the file and the key, and a hint saying what to do."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from mesh_workshop.council import CHECK_KINDS, PHASES, CouncilError, council_dir, load_game

TEAMS = {
    "data_platform": (1, 2),
    "finance_marketing": (3, 4),
    "people_ops": (5, 6),
    "rescue_operations": (7, 8),
    "data_leadership": (9, 10),
}


@pytest.fixture(scope="module")
def game():
    return load_game()


@pytest.fixture(scope="module")
def data() -> dict:
    return yaml.safe_load((council_dir() / "mesh_council.yml").read_text(encoding="utf-8"))


def test_the_shipped_game_loads_from_the_council_folder(game):
    assert council_dir().name == "council"
    assert load_game() is game, "read once per version of the file"
    assert load_game(council_dir() / "mesh_council.yml") == game


def test_ten_seats_in_five_teams_of_two_numbered_as_in_the_facts(game):
    assert sorted(s.number for s in game.seats) == list(range(1, 11))
    assert [t.id for t in game.teams] == list(TEAMS)
    for team, numbers in TEAMS.items():
        assert tuple(s.number for s in game.seats_of(team)) == numbers
    assert game.team("data_leadership").project is None
    assert {t.project for t in game.teams} - {None} == set(TEAMS) - {"data_leadership"}
    assert game.moderators.id == "data_leadership"
    assert game.seat(4).title == "Lead Marketing Analyst"
    for seat in game.seats:
        assert 2 <= len(seat.public.strengths) <= 3 and 2 <= len(seat.public.weaknesses) <= 3


def test_a_seat_has_its_team_mission_first_then_its_own(game):
    team_mission, role_mission = game.missions_of(4)
    assert team_mission.check == "finance_and_marketing_split"
    assert role_mission.check == "marketing_sources_in_spoke"
    assert game.missions_of(game.seat(3))[0] == team_mission, "partners share the team mission"
    assert game.mission("stick_to_the_plan").check == "hub_and_spoke_kept"


def test_every_mission_has_one_judge_and_every_check_is_known(game):
    missions = game.missions()
    assert len(missions) == 15
    assert len({m.id for m in missions}) == 15
    for mission in missions:
        assert (mission.check is None) != (mission.judged_by is None), mission.id
        assert mission.check is None or mission.check in CHECK_KINDS
    assert sorted(m.check for m in missions if m.check) == sorted(CHECK_KINDS)
    by_table = {m.id for m in missions if m.judged_by == "table"}
    assert game.team("data_platform").mission.id in by_table
    assert {game.seat(n).mission.id for n in (1, 2, 3, 5, 7, 8, 9)} <= by_table


def test_the_short_agenda_is_an_hour_in_seven_phases(game):
    short = game.agenda("short")
    assert [(p.id, p.minutes) for p in short.phases] == [
        ("setup", 5),
        ("session_1", 10),
        ("emergency", 5),
        ("session_2", 10),
        ("sidebar", 5),
        ("session_3", 10),
        ("presentations", 15),
    ]
    assert short.minutes == 60
    assert short.phase("emergency").scenario == "council_emergency"
    for phase in short.phases:
        assert phase.council_does.lstrip().startswith("- ")
        assert phase.title and phase.moderator_says


def test_the_long_agenda_has_the_same_phases_and_two_to_three_hours(game):
    long = game.agenda("long")
    assert tuple(p.id for p in long.phases) == PHASES
    assert 120 <= long.minutes <= 180
    short = game.agenda("short")
    for phase in long.phases:
        assert phase.minutes >= short.phase(phase.id).minutes
    with pytest.raises(CouncilError, match="no `medium` agenda") as refused:
        game.agenda("medium")
    assert "`short`" in refused.value.hint


def test_tables_of_five_to_nine_keep_every_team_and_both_moderator_seats(game):
    for count in range(5, 11):
        hands = game.hands(count)
        assert len(hands) == count
        played = [n for hand in hands for n in hand]
        assert len(played) == len(set(played))
        for team, numbers in TEAMS.items():
            assert set(numbers) & set(played), f"{team} has nobody at a table of {count}"
        assert {9, 10} <= set(played)
        for hand in hands:
            assert len({game.seat(n).team for n in hand}) == 1
        assert game.players_plan(count).advice
    assert game.hands(5)[-1] == (9, 10)
    with pytest.raises(CouncilError, match="at least 5 people") as refused:
        game.players_plan(4)
    assert "each team" in refused.value.hint
    with pytest.raises(CouncilError, match="10 seats, not 11"):
        game.players_plan(11)


def test_the_handbook_has_the_history_the_plan_three_milestones_and_the_rules(game):
    handbook = game.handbook
    assert len(handbook.history.split("\n\n")) >= 3
    for project in ("data_platform", "rescue_operations", "people_ops", "finance_marketing"):
        assert f"`{project}`" in handbook.plan
    assert len(handbook.roadmap) == 3
    assert any("seats 9 and 10" in rule for rule in handbook.rules)
    assert "majority" in game.win_conditions.collective
    assert "table" in game.win_conditions.individual


def test_unknown_seats_and_teams_are_refused_with_the_ones_there_are(game):
    with pytest.raises(CouncilError, match="no seat 11") as refused:
        game.seat(11)
    assert "1 to 10" in refused.value.hint
    with pytest.raises(CouncilError, match="no team `marketing`") as refused:
        game.team("marketing")
    assert "`finance_marketing`" in refused.value.hint


# Bad game files: each variant of the shipped game breaks one rule.


def _unknown_key(d):
    d["seats"][2]["public"]["favourite_colour"] = "green"


def _missing_seat(d):
    del d["seats"][6]


def _unknown_team(d):
    d["seats"][3]["team"] = "marketing"


def _three_in_one_team(d):
    d["seats"][4]["team"] = "rescue_operations"


def _unknown_check(d):
    d["seats"][5]["private"]["mission"]["check"] = "catalogue_is_tidy"


def _both_check_and_judge(d):
    d["teams"][1]["mission"]["judged_by"] = "table"


def _short_agenda_of_55(d):
    d["agendas"]["short"]["phases"][6]["minutes"] = 10


def _phase_missing(d):
    del d["agendas"]["long"]["phases"][4]


def _no_plan_for_seven(d):
    d["fewer_players"] = [p for p in d["fewer_players"] if p["players"] != 7]


def _nobody_for_a_team(d):
    d["fewer_players"][4]["empty"] = [2, 3, 4, 5]


def _plan_seat_missing(d):
    d["fewer_players"][0]["together"] = [[1, 12]]


BAD_FILES = {
    "unknown key": (
        _unknown_key,
        "seats[2].public.favourite_colour",
        "not a known key",
        "docs/council.md",
    ),
    "missing seat": (_missing_seat, "seats", "seat 7 is missing", "Add seat 7"),
    "seat in an unknown team": (
        _unknown_team,
        "seats[3].team",
        "team `marketing`, which is not in `teams`",
        "`finance_marketing`",
    ),
    "three seats in one team": (
        _three_in_one_team,
        "seats[7].team",
        "seat 8 is the third seat of `rescue_operations`",
        "to `people_ops`, which is short of a seat",
    ),
    "unknown check kind": (
        _unknown_check,
        "seats[5].private.mission.check",
        "`catalogue_is_tidy` is not a check the kit knows; the checks are "
        "`finance_and_marketing_split`, ",
        "judged_by: table",
    ),
    "mission with both judges": (
        _both_check_and_judge,
        "teams[1].mission",
        "exactly one of `check` and `judged_by`",
        "`judged_by: table` if the table decides",
    ),
    "short agenda of 55 minutes": (
        _short_agenda_of_55,
        "agendas.short.phases",
        "add up to 55",
        "add up to 60",
    ),
    "phase missing": (
        _phase_missing,
        "agendas.long.phases",
        "the phase `sidebar` is missing",
        "in this order: `setup`, `session_1`",
    ),
    "no plan for seven players": (
        _no_plan_for_seven,
        "fewer_players",
        "no plan for 7 players",
        "`players: 7`",
    ),
    "a team with nobody": (
        _nobody_for_a_team,
        "fewer_players[4].empty",
        "nobody plays for `finance_marketing`",
        "at least one person",
    ),
    "a plan naming a seat that is not there": (
        _plan_seat_missing,
        "fewer_players[0].together",
        "there is no seat 12",
        "1 to 10",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_game_file_that_breaks_a_rule_is_refused_naming_file_key_and_fix(
    case, data, tmp_path: Path
):
    change, key, words, fix = BAD_FILES[case]
    broken = copy.deepcopy(data)
    change(broken)
    path = tmp_path / "my_council.yml"
    path.write_text(yaml.safe_dump(broken, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CouncilError) as refused:
        load_game(path)
    message = refused.value.message
    assert message.startswith(f"`{path.resolve()}`, key `{key}`: "), message
    assert words in message
    assert fix in refused.value.hint


def test_a_game_file_that_is_not_there_is_named(tmp_path: Path):
    with pytest.raises(CouncilError, match="no council game at") as refused:
        load_game(tmp_path / "nowhere.yml")
    assert "council/mesh_council.yml" in refused.value.hint


def test_a_fixed_file_is_read_again(data, tmp_path: Path):
    path = tmp_path / "council.yml"
    broken = copy.deepcopy(data)
    _missing_seat(broken)
    path.write_text(yaml.safe_dump(broken, sort_keys=False), encoding="utf-8")
    with pytest.raises(CouncilError):
        load_game(path)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert len(load_game(path).seats) == 10
