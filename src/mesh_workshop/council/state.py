"""A Mesh Council table's shared state: its seats, policies, phase clock and vote.

Each table of the game is one council of up to ten seats, numbered like the roles (1-10). The
facilitator opens the table (`open_council`) and writes each seat's code on its table card. Each
player then opens their own seat, on their laptop or JupyterHub user, with the table's name, the
seat's number and its code; every action names all three, so a seat acts only for itself. The
state lives in the workshop folder, which a JupyterHub shares between users (`state_file.py` says
how it is saved and locked).

The Data Leadership seats (9 and 10) moderate: they move the council through the game's phases,
grant extra minutes, open and close the vote and decide ties.

Every refusal is a `CouncilStateError` that says what was wrong and what to do, and leaves
`state.json` exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..paths import Workspace, group_slug, same_group_name
from .state_file import (
    CODE_LENGTH,
    DEFAULT_MINUTES,
    MAX_SEAT,
    MODERATOR_SEATS,
    PHASE_NAMES,
    PHASES,
    PREVIOUS_FILE,
    STATE_FILE,
    CouncilStateError,
    StoredCouncil,
    StoredDeclaration,
    StoredPolicy,
    StoredSeat,
    code_hash,
    code_matches,
    council_folders,
    locked,
    new_codes,
    new_salt,
    no_council,
    now,
    read_codes,
    read_state,
    write_codes,
    write_state,
)
from .state_input import (
    GOVERNANCE_KEYS,
    KINDS,
    check_governance,
    check_kind,
    check_minutes,
    check_player_name,
    check_policy_text,
    check_table_name,
)
from .state_views import (
    Clock,
    CouncilState,
    Declaration,
    Policy,
    PolicyTally,
    SeatView,
    Vote,
    policy_view,
    seat_view,
    state_view,
    stored_clock,
    tally_of,
)

__all__ = [
    "CHOICES",
    "DEFAULT_MINUTES",
    "GOVERNANCE_KEYS",
    "KINDS",
    "MODERATOR_SEATS",
    "PHASES",
    "Clock",
    "CouncilState",
    "CouncilStateError",
    "Declaration",
    "Policy",
    "PolicyTally",
    "SeatView",
    "Vote",
    "advance",
    "change_vote",
    "clock",
    "close_vote",
    "council_state",
    "declare_mission",
    "edit_policy",
    "extend",
    "leave_seat",
    "list_councils",
    "open_council",
    "open_vote",
    "propose",
    "record_tie",
    "seat_codes",
    "take_seat",
    "tally",
    "vote",
    "withdraw_policy",
]

CHOICES = ("yes", "no", "abstain")
MAX_POLICIES = 200
MAX_EXTRA_MINUTES = 120
T = TypeVar("T")


# Opening a table ------------------------------------------------------------------------------


def open_council(
    table: str, seats: int = 10, minutes: dict[str, int] | None = None
) -> dict[int, str]:
    """Open a council table (if it is not open yet) and return each seat's code, for the table
    cards. Opening it again returns the same codes and changes nothing: `seats` and `minutes`
    count only when the table is created."""
    name = check_table_name(table)
    fewest = max(MODERATOR_SEATS) - 1  # at least one moderator's seat
    if isinstance(seats, bool) or not isinstance(seats, int) or not fewest <= seats <= MAX_SEAT:
        raise CouncilStateError(
            f"A council has 9 or 10 seats, not `{seats}`.",
            "Open all 10 seats and hand out only the cards of the roles your table plays; "
            "seats 9 and 10, Data Leadership, run the council's clock and its vote.",
        )
    planned = check_minutes(minutes)
    folder = Workspace.current().council(name)
    with locked(folder):
        if (folder / STATE_FILE).exists():
            _, council = read_state(folder, name)
            if not same_group_name(council.table, name):
                raise CouncilStateError(
                    f"The name \u201c{name}\u201d is too close to the table \u201c{council.table}\u201d, "
                    f"which already keeps its state in the folder {folder.name}.",
                    f"To print that table's codes again, type exactly \u201c{council.table}\u201d. "
                    "Otherwise choose a name that differs in its letters or digits, for example "
                    "by adding the table's number.",
                )
            return read_codes(folder, council)
        if (folder / PREVIOUS_FILE).exists():
            raise CouncilStateError(
                f"The table \u201c{name}\u201d has lost its state file: `{folder / STATE_FILE}` "
                f"is missing, but `{PREVIOUS_FILE}` beside it still holds an earlier state.",
                f"To carry on, copy `{PREVIOUS_FILE}` to `{STATE_FILE}`. To start this table "
                "afresh with new seat codes, delete its folder first.",
            )
        codes = new_codes(seats)
        salt = new_salt()
        started = now()
        council = StoredCouncil(
            table=name,
            created_at=started,
            salt=salt,
            seats={
                seat: StoredSeat(code_hash=code_hash(salt, seat, code))
                for seat, code in codes.items()
            },
            minutes=planned,
            phase_started_at=started,
        )
        write_codes(folder, name, codes)  # first, so a state never exists without its codes
        write_state(folder, council, previous=None)
        return codes


def seat_codes(table: str) -> dict[int, str]:
    """Each seat's code again, for a facilitator reprinting a lost table card."""
    folder = _existing_folder(table)
    _, council = read_state(folder, table)
    return read_codes(folder, council)


# Seats ---------------------------------------------------------------------------------------


def take_seat(table: str, seat: int, code: str, player_name: str) -> SeatView:
    """Sit in a seat with its code. The same player opening their seat again is welcome; a seat
    taken by someone else is refused."""
    name = check_player_name(player_name)

    def act(council: StoredCouncil) -> SeatView:
        number, chair = _check_code(council, seat, code)
        if chair.player is not None and not same_group_name(chair.player, name):
            raise CouncilStateError(
                f"Seat {number} is taken by \u201c{chair.player}\u201d.",
                f"If you are {chair.player}, type your name exactly as before. If not, check the "
                f"seat number on your card; if {chair.player} has left the table, they (or the "
                "facilitator, with the seat's code) can leave the seat first.",
            )
        if chair.player is None:
            chair.player, chair.taken_at = name, now()
        return seat_view(council, number)

    return _change(table, act)


def leave_seat(table: str, seat: int, code: str) -> SeatView:
    """Free a seat, so another player can take it. A policy keeps the name of who proposed it."""

    def act(council: StoredCouncil) -> SeatView:
        number, chair = _check_code(council, seat, code)
        chair.player, chair.taken_at = None, None
        return seat_view(council, number)

    return _change(table, act)


# Policies ------------------------------------------------------------------------------------


def propose(
    table: str,
    seat: int,
    code: str,
    text: str,
    kind: str,
    governance: dict[str, Any] | None = None,
) -> Policy:
    """Put a policy to the council. A `process` policy is text only; a `technical` one also
    carries the changes to the mesh it stands for, as proposal-format fragments in `governance`."""
    words = check_policy_text(text)
    kind = check_kind(kind)
    fragment = check_governance(kind, governance)

    def act(council: StoredCouncil) -> Policy:
        number, chair = _sitting(council, seat, code)
        _before_the_vote(council, "new policies")
        if len(council.policies) >= MAX_POLICIES:
            raise CouncilStateError(
                f"This table already holds {MAX_POLICIES} policies, the most a council keeps.",
                "Edit or withdraw a policy instead of adding another.",
            )
        policy = StoredPolicy(
            id=f"p{council.next_policy}",
            seat=number,
            player=chair.player or "",
            kind=kind,
            text=words,
            governance=fragment,
            proposed_at=now(),
        )
        council.next_policy += 1
        council.policies.append(policy)
        return policy_view(policy)

    return _change(table, act)


def edit_policy(
    table: str,
    seat: int,
    code: str,
    policy_id: str,
    text: str | None = None,
    governance: dict[str, Any] | None = None,
) -> Policy:
    """Change a policy's text, its governance (technical policies), or both: only the seat that
    proposed it, or a moderator, and only before the vote opens."""
    if text is None and governance is None:
        raise CouncilStateError(
            "Nothing to change: give the policy's new text, its new changes to the mesh, or both.",
            "Type the new wording and save again.",
        )
    words = None if text is None else check_policy_text(text)

    def act(council: StoredCouncil) -> Policy:
        number, _ = _sitting(council, seat, code)
        policy = _own_policy(council, number, policy_id, "edit")
        _before_the_vote(council, "changes to policies")
        fragment = None if governance is None else check_governance(policy.kind, governance)
        changed = False
        if words is not None and words != policy.text:
            policy.text, changed = words, True
        if fragment is not None and fragment != policy.governance:
            policy.governance, changed = fragment, True
        if changed:
            policy.edited_at, policy.edited_by = now(), number
        return policy_view(policy)

    return _change(table, act)


def withdraw_policy(table: str, seat: int, code: str, policy_id: str) -> Policy:
    """Take a policy off the table (it stays in the list, marked withdrawn, and is not voted on):
    only the seat that proposed it, or a moderator, and only before the vote opens."""

    def act(council: StoredCouncil) -> Policy:
        number, _ = _sitting(council, seat, code)
        policy = _find_policy(council, policy_id)
        if policy.withdrawn:
            return policy_view(policy)
        policy = _own_policy(council, number, policy_id, "withdraw")
        _before_the_vote(council, "withdrawals")
        policy.withdrawn, policy.withdrawn_by = True, number
        return policy_view(policy)

    return _change(table, act)


# The phase clock -----------------------------------------------------------------------------


def advance(table: str, seat: int, code: str, from_phase: str | None = None) -> Clock:
    """Move the council to the next phase (moderators). With `from_phase`, only if the council
    is still in that phase, so two moderators pressing at once move it one phase, not two."""

    def act(council: StoredCouncil) -> Clock:
        _moderator(council, seat, code, "move the council to the next phase")
        if from_phase is not None and from_phase not in PHASES:
            raise CouncilStateError(
                f"`{from_phase}` is not a phase of the game.", f"Its phases: {', '.join(PHASES)}."
            )
        if from_phase is not None and from_phase != council.phase:
            raise CouncilStateError(
                f"The council has already moved on to {PHASE_NAMES[council.phase]}.",
                "Nothing was changed; the clock shows the current phase.",
            )
        index = PHASES.index(council.phase)
        if index + 1 == len(PHASES):
            raise CouncilStateError(
                "The council is in its last phase, the presentations; there is no next phase.",
                "The game ends when every table has presented.",
            )
        if council.vote == "open":
            raise CouncilStateError(
                "The vote is still open.",
                "Close the vote first, so every seat knows voting has ended, then move on.",
            )
        council.phase = PHASES[index + 1]
        council.phase_started_at, council.extra_minutes = now(), 0
        return stored_clock(council, None)

    return _change(table, act)


def extend(table: str, seat: int, code: str, minutes: int) -> Clock:
    """Give the current phase extra minutes (moderators)."""

    def act(council: StoredCouncil) -> Clock:
        _moderator(council, seat, code, "give the council extra minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
            raise CouncilStateError(
                f"`{minutes}` is not a number of extra minutes.",
                "Give a whole number of minutes, such as 2.",
            )
        if council.extra_minutes + minutes > MAX_EXTRA_MINUTES:
            raise CouncilStateError(
                f"{PHASE_NAMES[council.phase].capitalize()} already has {council.extra_minutes} "
                f"extra minutes; one phase gets at most {MAX_EXTRA_MINUTES}.",
                "Move on to the next phase instead.",
            )
        council.extra_minutes += minutes
        return stored_clock(council, None)

    return _change(table, act)


def clock(table: str, now: dt.datetime | None = None) -> Clock:
    """The council's phase and the time left in it at `now` (default: the present moment; a time
    without a time zone is read as UTC)."""
    return council_state(table).clock(now)


# The vote ------------------------------------------------------------------------------------


def open_vote(table: str, seat: int, code: str) -> CouncilState:
    """Open the final vote (moderators, during council session 3). Policies are fixed from now."""

    def act(council: StoredCouncil) -> CouncilState:
        _moderator(council, seat, code, "open the vote")
        if council.vote == "open":
            return state_view(council, table)
        if council.vote == "closed":
            raise CouncilStateError(
                "The vote has already been held and closed; a council votes once.",
                "The tally shows the result.",
            )
        if council.phase != "session_3":
            raise CouncilStateError(
                f"The vote opens in council session 3; the council is in "
                f"{PHASE_NAMES[council.phase]}.",
                "Move the council on to session 3 first.",
            )
        if not any(not p.withdrawn for p in council.policies):
            raise CouncilStateError(
                "There is no policy to vote on yet.",
                "Propose the council's policies first, then open the vote.",
            )
        council.vote = "open"
        return state_view(council, table)

    return _change(table, act)


def vote(table: str, seat: int, code: str, policy_id: str, choice: str) -> Vote:
    """Cast this seat's vote on one policy: yes, no or abstain. Each seat votes once per policy."""
    return _cast(table, seat, code, policy_id, choice, change=False)


def change_vote(table: str, seat: int, code: str, policy_id: str, choice: str) -> Vote:
    """Change this seat's vote on a policy, while the vote is open."""
    return _cast(table, seat, code, policy_id, choice, change=True)


def close_vote(table: str, seat: int, code: str) -> CouncilState:
    """Close the vote (moderators): no vote can be cast or changed after this."""

    def act(council: StoredCouncil) -> CouncilState:
        _moderator(council, seat, code, "close the vote")
        if council.vote == "not_open":
            raise CouncilStateError(
                "The vote has not been opened, so there is nothing to close.",
                "Open the vote during council session 3 first.",
            )
        council.vote = "closed"
        return state_view(council, table)

    return _change(table, act)


def record_tie(table: str, seat: int, code: str, policy_id: str, decision: str) -> PolicyTally:
    """Record how a tied policy is decided (moderators, after the vote closed): passed or failed."""
    decided = {"passed": "passed", "pass": "passed", "failed": "failed", "fail": "failed"}.get(
        decision.strip().lower() if isinstance(decision, str) else ""
    )
    if decided is None:
        raise CouncilStateError(
            f"`{decision}` is not a decision on a tie.", "Record either `passed` or `failed`."
        )

    def act(council: StoredCouncil) -> PolicyTally:
        _moderator(council, seat, code, "decide a tie")
        if council.vote != "closed":
            raise CouncilStateError(
                "Ties are decided once the vote has closed.",
                "Close the vote first; the tally then shows which policies are tied.",
            )
        policy = _votable(council, policy_id)
        counts = tally_of(council, policy)
        if not counts.tie:
            result = "passed" if counts.passed else "failed"
            raise CouncilStateError(
                f"{policy.id} is not a tie: {counts.yes} yes and {counts.no} no, so it {result}.",
                "Only a policy with as many yes as no votes needs the moderators' decision.",
            )
        council.ties[policy.id] = decided
        return tally_of(council, policy)

    return _change(table, act)


MISSION_ID = re.compile(r"[a-z][a-z0-9_]{0,59}")


def declare_mission(
    table: str, seat: int, code: str, mission_id: str, met: bool, why: str
) -> Declaration:
    """Record the table's word on a secret mission that only people can judge (moderators, at
    the reveal): met or not, with one line of justification. Declaring again replaces it."""
    reason = " ".join(why.split()) if isinstance(why, str) else ""
    if not reason or len(reason) > 300 or not isinstance(met, bool):
        raise CouncilStateError(
            "A declared mission needs met or not met, and one line saying why (at most 300 "
            "characters).",
            "Write the table's reason in one sentence, such as \u201cThe hiring policy passed.\u201d",
        )
    if not isinstance(mission_id, str) or not MISSION_ID.fullmatch(mission_id):
        raise CouncilStateError(
            f"`{mission_id}` is not a mission's id.",
            "Use the id shown beside the mission in the reveal, such as `more_data_engineers`.",
        )

    def act(council: StoredCouncil) -> Declaration:
        moderator = _moderator(council, seat, code, "record the table's word on a mission")
        council.declared[mission_id] = StoredDeclaration(
            met=met, why=reason, seat=moderator, at=now()
        )
        return Declaration(mission_id, met, reason, moderator)

    return _change(table, act)


def tally(table: str) -> list[PolicyTally]:
    """The votes on every policy not withdrawn, by id (live while the vote is open)."""
    folder = _existing_folder(table)
    _, council = read_state(folder, table)
    return [tally_of(council, p) for p in council.policies if not p.withdrawn]


# Reading -------------------------------------------------------------------------------------


def council_state(table: str) -> CouncilState:
    """Everything the table shares. Raises `CouncilStateError` naming the file if it is damaged."""
    folder = _existing_folder(table)
    _, council = read_state(folder, table)
    return state_view(council, table)


def list_councils() -> list[str]:
    """The name of every council table in the workshop folder, in alphabetical order. A table
    whose state cannot be read is listed by its folder's name (opening it says what is wrong)."""
    names = []
    for folder in council_folders():
        try:
            _, council = read_state(folder, folder.name)
            name = council.table if group_slug(council.table) == folder.name else folder.name
        except CouncilStateError:
            name = folder.name
        names.append(name)
    return sorted(names, key=str.casefold)


# Inside --------------------------------------------------------------------------------------


def _existing_folder(table: str) -> Path:
    if not isinstance(table, str) or not table.strip():
        raise CouncilStateError(
            "A table's name is needed.", "Type the table's name as it is on your table card."
        )
    folder = Workspace.current().council(table)
    if not (folder / STATE_FILE).exists():
        raise no_council(table.strip())
    return folder


def _change(table: str, act: Callable[[StoredCouncil], T]) -> T:
    """Run `act` on the council's state under its lock; save the state if `act` changed it. A
    refusal raised by `act` leaves `state.json` as it was."""
    folder = _existing_folder(table)
    with locked(folder):
        raw, council = read_state(folder, table.strip())
        work = council.model_copy(deep=True)
        result = act(work)
        if work != council:
            write_state(folder, work, previous=raw)
        return result


def _seat_number(council: StoredCouncil, seat: object) -> int:
    number = seat.strip() if isinstance(seat, str) else seat
    if isinstance(number, str) and number.isdecimal() and len(number) <= 2:
        number = int(number)
    if isinstance(number, bool) or not isinstance(number, int) or number not in council.seats:
        last = max(council.seats)
        raise CouncilStateError(
            f"There is no seat `{seat}` at this table: its seats are numbered 1 to {last}.",
            "Use the seat number on your table card.",
        )
    return number


def _check_code(council: StoredCouncil, seat: object, code: object) -> tuple[int, StoredSeat]:
    number = _seat_number(council, seat)
    if not isinstance(code, str) or not code_matches(council, number, code):
        raise CouncilStateError(
            f"That is not the code of seat {number}.",
            f"Type the {CODE_LENGTH}-character code printed on seat {number}'s table card "
            "(capital letters or not, spaces do not matter). If the card is lost, the "
            "facilitator can print it again.",
        )
    return number, council.seats[number]


def _sitting(council: StoredCouncil, seat: object, code: object) -> tuple[int, StoredSeat]:
    number, chair = _check_code(council, seat, code)
    if chair.player is None:
        raise CouncilStateError(
            f"Seat {number} is free: nobody has taken it yet.",
            "Take your seat first, with your name and the seat's code, then try again.",
        )
    return number, chair


def _moderator(council: StoredCouncil, seat: object, code: object, action: str) -> int:
    number, _ = _sitting(council, seat, code)
    if number not in MODERATOR_SEATS:
        raise CouncilStateError(
            f"Only the moderators, seats 9 and 10 (Data Leadership), can {action}; this is "
            f"seat {number}.",
            "Ask seat 9 or 10 to do it.",
        )
    return number


def _find_policy(council: StoredCouncil, policy_id: object) -> StoredPolicy:
    wanted = policy_id.strip().lower() if isinstance(policy_id, str) else policy_id
    policy = council.policy(wanted) if isinstance(wanted, str) else None
    if policy is None:
        known = [p.id for p in council.policies if not p.withdrawn]
        listed = f"Its policies: {', '.join(known)}." if known else "It has no policies yet."
        raise CouncilStateError(f"There is no policy `{policy_id}` at this table.", listed)
    return policy


def _votable(council: StoredCouncil, policy_id: object) -> StoredPolicy:
    policy = _find_policy(council, policy_id)
    if policy.withdrawn:
        raise CouncilStateError(
            f"Policy {policy.id} was withdrawn, so it is not voted on.",
            "Vote on the policies still on the table.",
        )
    return policy


def _own_policy(council: StoredCouncil, seat: int, policy_id: object, verb: str) -> StoredPolicy:
    policy = _votable(council, policy_id)
    if seat != policy.seat and seat not in MODERATOR_SEATS:
        raise CouncilStateError(
            f"Policy {policy.id} was proposed by seat {policy.seat}; only that seat or a "
            f"moderator (seat 9 or 10) can {verb} it.",
            f"Ask seat {policy.seat} or a moderator, or propose a policy of your own.",
        )
    return policy


def _before_the_vote(council: StoredCouncil, what: str) -> None:
    if council.vote != "not_open":
        held = "is open" if council.vote == "open" else "has been held"
        raise CouncilStateError(
            f"The vote {held}, so the policies are fixed: no more {what}.",
            "Vote on the policies as they are.",
        )


def _cast(table: str, seat: int, code: str, policy_id: str, choice: str, change: bool) -> Vote:
    picked = choice.strip().lower() if isinstance(choice, str) else None
    if picked not in CHOICES:
        raise CouncilStateError(f"`{choice}` is not a vote.", "Vote `yes`, `no` or `abstain`.")

    def act(council: StoredCouncil) -> Vote:
        number, _ = _sitting(council, seat, code)
        if council.vote == "not_open":
            raise CouncilStateError(
                "Voting has not opened yet.",
                "The moderators (seats 9 and 10) open the vote during council session 3.",
            )
        if council.vote == "closed":
            raise CouncilStateError(
                "Voting has closed: votes can no longer be cast or changed.",
                "The tally shows the result.",
            )
        policy = _votable(council, policy_id)
        ballots = council.votes.setdefault(policy.id, {})
        before = ballots.get(number)
        if before is not None and not change:
            raise CouncilStateError(
                f"Seat {number} has already voted {before} on {policy.id}; each seat votes once "
                "on each policy.",
                "To change your vote while voting is open, choose to change it (`change_vote`).",
            )
        if before is None and change:
            raise CouncilStateError(
                f"Seat {number} has not voted on {policy.id} yet, so there is no vote to change.",
                "Cast your vote instead.",
            )
        ballots[number] = picked
        return Vote(policy.id, number, picked)

    return _change(table, act)
