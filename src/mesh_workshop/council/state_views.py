"""What a council's state looks like to callers: frozen values built from the stored state."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..paths import Workspace
from .state_file import MODERATOR_SEATS, PHASES, StoredCouncil, StoredPolicy, now

# What callers get back -----------------------------------------------------------------------


@dataclass(frozen=True)
class SeatView:
    """One seat of a table and who sits in it (`player` is None while it is free)."""

    table: str
    seat: int
    player: str | None
    moderator: bool
    taken_at: dt.datetime | None


@dataclass(frozen=True)
class Policy:
    """A policy put to the council. `governance` (technical policies only) holds proposal-format
    fragments: some of `teams`, `models`, `pins`, `moves`, `new_projects`, `merges`."""

    id: str
    seat: int
    player: str
    kind: str
    text: str
    governance: dict[str, Any] | None
    withdrawn: bool
    withdrawn_by: int | None
    proposed_at: dt.datetime
    edited_at: dt.datetime | None
    edited_by: int | None


@dataclass(frozen=True)
class Vote:
    policy_id: str
    seat: int
    choice: str


@dataclass(frozen=True)
class Clock:
    """Where the council is in the game. `seconds_left` goes below zero in overtime."""

    phase: str
    minutes: int  # planned for this phase, extra minutes included
    extra_minutes: int
    started_at: dt.datetime
    seconds_left: float
    next_phase: str | None

    @property
    def overtime(self) -> bool:
        return self.seconds_left < 0


@dataclass(frozen=True)
class PolicyTally:
    """The votes on one policy. A policy passes with more yes than no votes (abstentions are not
    cast); on a tie the moderators' recorded decision counts, and `passed` is None until then."""

    policy_id: str
    text: str
    kind: str
    yes: int
    no: int
    abstain: int
    tie: bool
    tie_decision: str | None
    passed: bool | None


@dataclass(frozen=True)
class Declaration:
    """The table's word on a secret mission only people can judge."""

    mission_id: str
    met: bool
    why: str
    seat: int


@dataclass(frozen=True)
class CouncilState:
    """Everything the table shares, as read at one moment."""

    table: str
    folder: Path
    seat_count: int
    seats: tuple[SeatView, ...]  # the taken seats, by number
    policies: tuple[Policy, ...]  # every policy, withdrawn ones included, by id
    votes: tuple[Vote, ...]
    phase: str
    phase_started_at: dt.datetime
    extra_minutes: int
    minutes: dict[str, int]  # planned minutes of every phase
    vote_status: str  # not_open | open | closed
    ties: dict[str, str]  # policy id -> passed | failed, as the moderators recorded
    declared: dict[str, Declaration] = field(default_factory=dict)  # mission id -> the table's word

    def clock(self, at: dt.datetime | None = None) -> Clock:
        return make_clock(self.phase, self.minutes, self.extra_minutes, self.phase_started_at, at)

    @property
    def active_policies(self) -> tuple[Policy, ...]:
        return tuple(p for p in self.policies if not p.withdrawn)


def tally_of(council: StoredCouncil, policy: StoredPolicy) -> PolicyTally:
    ballots = list(council.votes.get(policy.id, {}).values())
    yes, no = ballots.count("yes"), ballots.count("no")
    tie = yes == no
    decision = council.ties.get(policy.id) if tie else None
    passed = (decision == "passed" if decision else None) if tie else yes > no
    return PolicyTally(
        policy.id,
        policy.text,
        policy.kind,
        yes,
        no,
        ballots.count("abstain"),
        tie,
        decision,
        passed,
    )


def make_clock(
    phase: str,
    minutes: dict[str, int],
    extra: int,
    started: dt.datetime,
    at: dt.datetime | None,
) -> Clock:
    moment = at or now()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    planned = minutes[phase] + extra
    index = PHASES.index(phase)
    return Clock(
        phase=phase,
        minutes=planned,
        extra_minutes=extra,
        started_at=started,
        seconds_left=planned * 60 - (moment - started).total_seconds(),
        next_phase=PHASES[index + 1] if index + 1 < len(PHASES) else None,
    )


def stored_clock(council: StoredCouncil, at: dt.datetime | None) -> Clock:
    return make_clock(
        council.phase, council.minutes, council.extra_minutes, council.phase_started_at, at
    )


def seat_view(council: StoredCouncil, number: int) -> SeatView:
    chair = council.seats[number]
    return SeatView(council.table, number, chair.player, number in MODERATOR_SEATS, chair.taken_at)


def policy_view(policy: StoredPolicy) -> Policy:
    governance = json.loads(json.dumps(policy.governance)) if policy.governance else None
    return Policy(
        id=policy.id,
        seat=policy.seat,
        player=policy.player,
        kind=policy.kind,
        text=policy.text,
        governance=governance,
        withdrawn=policy.withdrawn,
        withdrawn_by=policy.withdrawn_by,
        proposed_at=policy.proposed_at,
        edited_at=policy.edited_at,
        edited_by=policy.edited_by,
    )


def state_view(council: StoredCouncil, table: str) -> CouncilState:
    return CouncilState(
        table=council.table,
        folder=Workspace.current().council(table),
        seat_count=len(council.seats),
        seats=tuple(
            seat_view(council, n) for n in sorted(council.seats) if council.seats[n].player
        ),
        policies=tuple(
            policy_view(p) for p in sorted(council.policies, key=lambda p: int(p.id[1:]))
        ),
        votes=tuple(
            Vote(policy_id, seat, choice)
            for policy_id, ballots in sorted(council.votes.items(), key=lambda v: int(v[0][1:]))
            for seat, choice in sorted(ballots.items())
        ),
        phase=council.phase,
        phase_started_at=council.phase_started_at,
        extra_minutes=council.extra_minutes,
        minutes=dict(council.minutes),
        vote_status=council.vote,
        ties=dict(council.ties),
        declared={
            mission: Declaration(mission, d.met, d.why, d.seat)
            for mission, d in sorted(council.declared.items())
        },
    )
