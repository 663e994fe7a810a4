"""The Mesh Council game as data: teams, seats, secret missions, the architect's handbook, the
agendas, how to win, and how fewer than ten players share the seats.

The game lives in `council/mesh_council.yml` (`docs/council.md` describes every key). It is read
strictly, in two steps: first its shape (every key known, every value of the right type), then its
rules (ten seats numbered 1 to 10, two per team, the seven phases in order, ...). Either way a
mistake becomes one `CouncilError` whose message names the file and the key, and whose hint says
what to change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import KitError
from ..paths import kit_root
from ..scenario.model import Identifier, scenarios_dir
from ..yaml_input import load_yaml_model

MAX_GAME_BYTES = 256 * 1024
GAME_FILE = "mesh_council.yml"
SEATS = 10
SEATS_PER_TEAM = 2
PHASES = ("setup", "session_1", "emergency", "session_2", "sidebar", "session_3", "presentations")
SHORT_MINUTES = 60
LONG_MINUTES = (120, 180)
FEWER_PLAYERS = (5, 6, 7, 8, 9)
VARIANTS = ("short", "long")

# What the kit can check on its own, against the council's final built mesh or its vote.
CHECK_KINDS = (
    "finance_and_marketing_split",
    "marketing_sources_in_spoke",
    "people_ops_in_hub",
    "rescue_reads_any_project",
    "public_models_documented_and_owned",
    "policies_passed_by_majority",
    "hub_and_spoke_kept",
)

FULL_TABLE_ADVICE = (
    "Everyone plays one seat, and everyone's partner is the other seat of their team."
)
SHAPE_FIX = "Fix that key in the game file; docs/council.md describes every key and its values."


class CouncilError(KitError):
    """The council game's file cannot be used as written, or a seat, team, agenda or player
    count that the game does not have was asked for."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Mission(_Strict):
    """A secret mission: one sentence, and who decides whether it is met. `check` names what
    the kit checks against the council's final mesh or vote (one of `CHECK_KINDS`);
    `judged_by: table` means the table declares it met, with one line saying why."""

    id: Identifier
    says: str
    check: str | None = None
    judged_by: Literal["table"] | None = None


class Team(_Strict):
    """One of the council's teams. `project` is the dbt project it speaks for (null for a team
    with none); the team that `moderates` runs the table. Its mission is shown to both its seats."""

    id: Identifier
    name: str
    project: Identifier | None
    moderates: bool = False
    mission: Mission


class PublicSide(_Strict):
    """What the whole table may read about a seat."""

    about: str
    priority: str
    strengths: list[str] = Field(min_length=2, max_length=3)
    weaknesses: list[str] = Field(min_length=2, max_length=3)


class PrivateSide(_Strict):
    """What stays folded away: the role's own secret mission."""

    mission: Mission


class Seat(_Strict):
    """A numbered seat: the same number plays the same role at every table."""

    number: int
    team: Identifier
    title: str
    public: PublicSide
    private: PrivateSide

    @property
    def mission(self) -> Mission:
        return self.private.mission


class Milestone(_Strict):
    title: str
    says: str


class Handbook(_Strict):
    """The architect's handbook on every table (the picture of the mesh is drawn from the
    projects themselves, so it is not written here)."""

    history: str
    plan: str
    roadmap: list[Milestone] = Field(min_length=1)
    rules: list[str] = Field(min_length=1)


class Phase(_Strict):
    """One part of a council's meeting. `council_does` is a Markdown bullet list; `scenario`
    names the scenario the phase plays, if any (`council_emergency`)."""

    id: Identifier
    title: str
    minutes: int = Field(ge=1)
    council_does: str
    moderator_says: str
    scenario: Identifier | None = None


class Agenda(_Strict):
    title: str
    phases: list[Phase]

    @property
    def minutes(self) -> int:
        return sum(p.minutes for p in self.phases)

    def phase(self, phase_id: str) -> Phase:
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        raise CouncilError(
            f"This agenda has no phase `{phase_id}`.",
            f"Its phases are {_listed(p.id for p in self.phases)}.",
        )


class Agendas(_Strict):
    short: Agenda
    long: Agenda


class WinConditions(_Strict):
    """Markdown: how the council wins together, and how a player wins alone."""

    collective: str
    individual: str


class PlayersPlan(_Strict):
    """How a table of `players` people shares the ten seats: each list in `together` is played
    by one person, the seats in `empty` by nobody, and every other seat by a person of its own."""

    players: int
    together: list[list[int]] = Field(default_factory=list)
    empty: list[int] = Field(default_factory=list)
    advice: str


class Game(_Strict):
    """The whole game. Read it with `load_game()`, which also checks the game's rules."""

    title: str
    teams: list[Team]
    seats: list[Seat]
    handbook: Handbook
    agendas: Agendas
    win_conditions: WinConditions
    fewer_players: list[PlayersPlan]

    def seat(self, number: int) -> Seat:
        for seat in self.seats:
            if seat.number == number:
                return seat
        raise CouncilError(
            f"The council has no seat {number}.",
            f"Its seats are numbered 1 to {len(self.seats)}.",
        )

    def team(self, team_id: str) -> Team:
        for team in self.teams:
            if team.id == team_id:
                return team
        raise CouncilError(
            f"The council has no team `{team_id}`.",
            f"Its teams are {_listed(t.id for t in self.teams)}.",
        )

    def seats_of(self, team_id: str) -> tuple[Seat, ...]:
        """The team's seats, lowest number first."""
        team = self.team(team_id)
        return tuple(sorted((s for s in self.seats if s.team == team.id), key=lambda s: s.number))

    @property
    def moderators(self) -> Team:
        """The team that moderates, records, tallies the vote and presents."""
        return next(t for t in self.teams if t.moderates)

    def missions_of(self, seat: int | Seat) -> tuple[Mission, Mission]:
        """A seat's two secret missions: its team's first, then its role's own."""
        seat = self.seat(seat) if isinstance(seat, int) else seat
        return self.team(seat.team).mission, seat.mission

    def missions(self) -> tuple[Mission, ...]:
        """Every mission of the game: the teams' in team order, then the seats' in seat order."""
        seats = sorted(self.seats, key=lambda s: s.number)
        return (*(t.mission for t in self.teams), *(s.mission for s in seats))

    def mission(self, mission_id: str) -> Mission:
        for mission in self.missions():
            if mission.id == mission_id:
                return mission
        raise CouncilError(
            f"The council has no mission `{mission_id}`.",
            f"Its missions are {_listed(m.id for m in self.missions())}.",
        )

    def agenda(self, variant: str) -> Agenda:
        if variant not in VARIANTS:
            raise CouncilError(
                f"There is no `{variant}` agenda.",
                "Choose `short` (about an hour) or `long` (two to three hours).",
            )
        return getattr(self.agendas, variant)

    def players_plan(self, count: int) -> PlayersPlan:
        """How `count` people (5 to 10) share the seats."""
        if count == len(self.seats):
            return PlayersPlan(players=count, advice=FULL_TABLE_ADVICE)
        for plan in self.fewer_players:
            if plan.players == count:
                return plan
        if count > len(self.seats):
            raise CouncilError(
                f"A council has {len(self.seats)} seats, not {count}.",
                "Start a second table for the others; the sidebar brings the tables together.",
            )
        least = min(p.players for p in self.fewer_players)
        raise CouncilError(
            f"A council needs at least {least} people, and this table has {count}.",
            "Join another table: a council needs at least one person for each team.",
        )

    def hands(self, count: int) -> list[tuple[int, ...]]:
        """What each of `count` people plays: one tuple of seat numbers per person, in seat
        order (empty seats left out)."""
        plan = self.players_plan(count)
        grouped = {n for group in plan.together for n in group}
        hands = [tuple(sorted(g)) for g in plan.together]
        hands += [(s.number,) for s in self.seats if s.number not in grouped | set(plan.empty)]
        return sorted(hands)


def council_dir() -> Path:
    return kit_root() / "council"


def load_game(path: Path | str | None = None) -> Game:
    """The Mesh Council game (`council/mesh_council.yml` unless `path` names another file),
    checked for its shape and its rules. Read once per version of the file."""
    path = Path(path) if path is not None else council_dir() / GAME_FILE
    if not path.is_file():
        raise CouncilError(
            f"There is no council game at `{path}`.",
            f"Check the path; the kit's own game is `council/{GAME_FILE}`.",
        )
    stat = path.stat()
    return _load(path.resolve(), stat.st_mtime_ns, stat.st_size)


@cache
def _load(path: Path, _mtime: int, _size: int) -> Game:
    game = load_yaml_model(path, Game, CouncilError, "council game", MAX_GAME_BYTES, SHAPE_FIX)
    problem = next(_problems(game), None)
    if problem:
        key, message, hint = problem
        raise CouncilError(f"`{path}`, key `{key}`: {message}", hint)
    return game


# The game's rules: each problem is (key, message, hint), the first one found is reported.
Problem = tuple[str, str, str]


def _problems(game: Game) -> Iterator[Problem]:
    yield from _team_problems(game)
    yield from _seat_problems(game)
    yield from _mission_problems(game)
    for variant in VARIANTS:
        yield from _agenda_problems(variant, game.agenda(variant))
    yield from _players_problems(game)


def _team_problems(game: Game) -> Iterator[Problem]:
    seen: set[str] = set()
    projects: dict[str, str] = {}
    for i, team in enumerate(game.teams):
        if team.id in seen:
            yield (
                f"teams[{i}].id",
                f"the team `{team.id}` is listed twice.",
                ("Give every team its own id, or delete the second one."),
            )
        seen.add(team.id)
        if team.project and team.project in projects:
            yield (
                f"teams[{i}].project",
                f"`{team.id}` and `{projects[team.project]}` both speak for `{team.project}`.",
                "Give each project one team, or write `project: null` for a team with none.",
            )
        projects.setdefault(team.project or "", team.id)
    moderating = [t.id for t in game.teams if t.moderates]
    if len(moderating) != 1:
        found = f"{_listed(moderating)} moderate" if moderating else "no team moderates"
        yield (
            "teams",
            f"{found}; exactly one team runs the table.",
            (
                "Write `moderates: true` on the one team that moderates, records and tallies the vote."
            ),
        )


def _seat_problems(game: Game) -> Iterator[Problem]:
    teams = [t.id for t in game.teams]
    numbers: set[int] = set()
    per_team: Counter[str] = Counter()
    short = [t for t in teams if sum(s.team == t for s in game.seats) < SEATS_PER_TEAM]
    move_to = f"`{short[0]}`, which is short of a seat" if short else "a team that is short"
    for i, seat in enumerate(game.seats):
        if seat.team not in teams:
            yield (
                f"seats[{i}].team",
                f"seat {seat.number} is in the team `{seat.team}`, which is not in `teams`.",
                f"Use one of the teams: {_listed(teams)}.",
            )
        if not 1 <= seat.number <= SEATS:
            yield (
                f"seats[{i}].number",
                f"there is no seat {seat.number}; the seats are numbered 1 to {SEATS}.",
                f"Number the seats 1 to {SEATS}, each once.",
            )
        if seat.number in numbers:
            yield (
                f"seats[{i}].number",
                f"seat {seat.number} is listed twice.",
                (f"Number the seats 1 to {SEATS}, each once."),
            )
        numbers.add(seat.number)
        per_team[seat.team] += 1
        if per_team[seat.team] > SEATS_PER_TEAM:
            yield (
                f"seats[{i}].team",
                f"seat {seat.number} is the {_ordinal(per_team[seat.team])} seat of "
                f"`{seat.team}`; every team has exactly {SEATS_PER_TEAM}.",
                f"Move one of the seats of `{seat.team}` to {move_to}.",
            )
    missing = [n for n in range(1, SEATS + 1) if n not in numbers]
    if missing:
        yield (
            "seats",
            f"seat {missing[0]} is missing; a council has {SEATS} seats, 1 to {SEATS}.",
            (f"Add seat {missing[0]}, with its team, title, public side and private side."),
        )
    for team in teams:
        if per_team[team] < SEATS_PER_TEAM:
            yield (
                "seats",
                f"the team `{team}` has {per_team[team]} seat(s); every team has exactly "
                f"{SEATS_PER_TEAM}.",
                f"Give `{team}` {SEATS_PER_TEAM} seats, so every player has a partner.",
            )


def _mission_problems(game: Game) -> Iterator[Problem]:
    places = [(f"teams[{i}].mission", t.mission) for i, t in enumerate(game.teams)]
    places += [(f"seats[{i}].private.mission", s.mission) for i, s in enumerate(game.seats)]
    seen: set[str] = set()
    for key, mission in places:
        if mission.id in seen:
            yield (
                f"{key}.id",
                f"the mission id `{mission.id}` is used twice.",
                ("Give every mission, team or role, an id of its own."),
            )
        seen.add(mission.id)
        if (mission.check is None) == (mission.judged_by is None):
            yield (
                key,
                f"the mission `{mission.id}` needs exactly one of `check` and `judged_by`.",
                "Write `check: <kind>` if the kit checks it against the mesh or the vote, or "
                "`judged_by: table` if the table decides.",
            )
        elif mission.check is not None and mission.check not in CHECK_KINDS:
            yield (
                f"{key}.check",
                f"`{mission.check}` is not a check the kit knows; the checks are "
                f"{_listed(CHECK_KINDS)}.",
                "Use one of those checks, or write `judged_by: table` instead of `check` if the "
                "table decides whether the mission is met.",
            )


def _agenda_problems(variant: str, agenda: Agenda) -> Iterator[Problem]:
    key = f"agendas.{variant}.phases"
    ids = [p.id for p in agenda.phases]
    wanted = f"Give the agenda exactly these phases, in this order: {_listed(PHASES)}."
    for phase_id in PHASES:
        if phase_id not in ids:
            yield key, f"the phase `{phase_id}` is missing.", wanted
    for phase_id in ids:
        if phase_id not in PHASES:
            yield key, f"`{phase_id}` is not a phase of the council.", wanted
        elif ids.count(phase_id) > 1:
            yield key, f"the phase `{phase_id}` is listed {ids.count(phase_id)} times.", wanted
    if ids != list(PHASES):
        yield key, f"the phases are out of order ({_listed(ids)}).", wanted
    total = agenda.minutes
    if variant == "short" and total != SHORT_MINUTES:
        yield (
            key,
            f"the phases' minutes add up to {total}; the short agenda lasts exactly "
            f"{SHORT_MINUTES} minutes.",
            f"Change the phases' `minutes` so they add up to {SHORT_MINUTES}.",
        )
    low, high = LONG_MINUTES
    if variant == "long" and not low <= total <= high:
        yield (
            key,
            f"the phases' minutes add up to {total}; the long agenda lasts {low} to {high} minutes.",
            f"Change the phases' `minutes` so they add up to between {low} and {high}.",
        )
    for i, phase in enumerate(agenda.phases):
        if phase.scenario and not (scenarios_dir() / f"{phase.scenario}.yml").is_file():
            yield (
                f"{key}[{i}].scenario",
                f"there is no scenario `{phase.scenario}`.",
                "Name a scenario in `scenarios/` (without `.yml`), or leave `scenario` out.",
            )


def _players_problems(game: Game) -> Iterator[Problem]:
    seats = {s.number: s for s in game.seats}
    teams = [t.id for t in game.teams]
    moderators = [t.id for t in game.teams if t.moderates]
    counts = [p.players for p in game.fewer_players]
    for i, plan in enumerate(game.fewer_players):
        key = f"fewer_players[{i}]"
        if plan.players not in FEWER_PLAYERS:
            yield (
                f"{key}.players",
                f"there is no plan for {plan.players} players here.",
                (
                    f"Write one plan for each table size from {FEWER_PLAYERS[0]} to "
                    f"{FEWER_PLAYERS[-1]} players."
                ),
            )
        if counts.count(plan.players) > 1:
            yield (
                f"{key}.players",
                f"there are two plans for {plan.players} players.",
                ("Keep one plan per number of players."),
            )
        yield from _plan_problems(key, plan, seats, teams, moderators)
    for count in FEWER_PLAYERS:
        if count not in counts:
            yield (
                "fewer_players",
                f"there is no plan for {count} players.",
                (
                    f"Add a plan with `players: {count}`, saying which seats are played together "
                    "or left empty."
                ),
            )


def _plan_problems(key, plan: PlayersPlan, seats, teams, moderators) -> Iterator[Problem]:
    listed = [("together", n) for group in plan.together for n in group]
    listed += [("empty", n) for n in plan.empty]
    used: set[int] = set()
    for where, number in listed:
        if number not in seats:
            yield (
                f"{key}.{where}",
                f"there is no seat {number}.",
                (f"List seats numbered 1 to {len(seats)}."),
            )
            return
        if number in used:
            yield (
                f"{key}.{where}",
                f"seat {number} is listed more than once.",
                ("List each seat at most once: played together with others, or empty."),
            )
            return
        used.add(number)
    for group in plan.together:
        if len(group) < 2:
            yield (
                f"{key}.together",
                "one person plays fewer than two seats in this list.",
                ("List two or more seats that one person plays, or leave the list out."),
            )
        elif len({seats[n].team for n in group}) > 1:
            yield (
                f"{key}.together",
                f"seats {_listed(group, '')} belong to different teams.",
                ("One person plays seats of one team only; pair a seat with its partner."),
            )
    for number in plan.empty:
        if seats[number].team in moderators:
            yield (
                f"{key}.empty",
                f"seat {number} moderates the table and cannot stay empty.",
                ("Keep the moderating seats: have one person play them together instead."),
            )
    for team in teams:
        if all(s.number in plan.empty for s in seats.values() if s.team == team):
            yield (
                f"{key}.empty",
                f"nobody plays for `{team}`.",
                ("Every team keeps at least one person: play its seats together instead."),
            )
    people = len(seats) - len(plan.empty) - sum(len(g) - 1 for g in plan.together)
    if people != plan.players:
        yield (
            key,
            f"this plan seats {people} people, not {plan.players}.",
            "Leave more seats empty or play more seats together until the count matches.",
        )


def _listed(items, quote: str = "`") -> str:
    names = [f"{quote}{i}{quote}" for i in items]
    if len(names) < 2:
        return "".join(names) or "none"
    return ", ".join(names[:-1]) + " and " + names[-1]


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth"}.get(n, f"{n}th")
