"""A Mesh Council table's state on disk: `<workshop>/councils/<table>/state.json`.

Every change holds the table's lock file (`state.lock`, a `filelock.FileLock`), reads the state,
changes it and writes it back under a temporary name that is then renamed over `state.json`. So
two seats saving at the same moment (two threads, two processes, or two users of one JupyterHub
sharing the workshop folder) never lose each other's change, and a reader, who takes no lock,
sees the state before a change or after it, never half of it. The state before the last change
stays beside it as `state.previous.json`, for a facilitator who has to repair a file by hand.

A state file that cannot be read is never written over: the error names it and says how to repair
it. The seat codes are not in `state.json`, which every player can read in a shared folder: it
holds a salted, slow hash of each, and the codes themselves are in `seat_codes.json`, which only
whoever opened the table may read (file mode 600).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from filelock import FileLock, Timeout
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import KitError
from ..paths import Workspace
from ..yaml_input import key_path
from .game import PHASES

STATE_FILE = "state.json"
PREVIOUS_FILE = "state.previous.json"
CODES_FILE = "seat_codes.json"
LOCK_FILE = "state.lock"
MAX_STATE_BYTES = 8 * 1024 * 1024
LOCK_SECONDS = 20
# Seat codes: no 0/O, 1/I/L, 2/Z, 5/S or 8/B, so a code read off a card is typed right.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY3479"
CODE_LENGTH = 5
HASH_ROUNDS = 20_000  # a guess costs milliseconds: trying every code takes hours, not seconds

PHASE_NAMES = {  # as a sentence names them
    "setup": "setup",
    "session_1": "council session 1",
    "emergency": "the emergency",
    "session_2": "council session 2",
    "sidebar": "the cross-council sidebar",
    "session_3": "council session 3",
    "presentations": "the presentations",
}
DEFAULT_MINUTES = {
    "setup": 5,
    "session_1": 10,
    "emergency": 5,
    "session_2": 10,
    "sidebar": 5,
    "session_3": 10,
    "presentations": 15,
}
Choice = Literal["yes", "no", "abstain"]
VoteStatus = Literal["not_open", "open", "closed"]
TieDecision = Literal["passed", "failed"]
MAX_SEAT = 10
MODERATOR_SEATS = (9, 10)  # the Data Leadership team moderates the council


class CouncilStateError(KitError):
    """A council action was refused, or a council's state cannot be read. Nothing was changed."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _utc(value: dt.datetime) -> dt.datetime:
    # A time typed by hand without a zone is read as UTC, the zone the kit writes.
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _known_phase(value: str) -> str:
    if value not in PHASES:
        raise ValueError(f"`{value}` is not a phase of the game ({', '.join(PHASES)})")
    return value


Moment = Annotated[dt.datetime, AfterValidator(_utc)]
Phase = Annotated[str, AfterValidator(_known_phase)]
SeatNumber = Annotated[int, Field(ge=1, le=MAX_SEAT)]


class _Stored(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoredSeat(_Stored):
    code_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    player: str | None = None
    taken_at: Moment | None = None


class StoredPolicy(_Stored):
    id: str = Field(pattern=r"^p[1-9][0-9]{0,5}$")
    seat: SeatNumber
    player: str = ""
    kind: Literal["process", "technical"]
    text: str = Field(min_length=1, max_length=1000)
    governance: dict[str, Any] | None = None
    withdrawn: bool = False
    withdrawn_by: SeatNumber | None = None
    proposed_at: Moment
    edited_at: Moment | None = None
    edited_by: SeatNumber | None = None


MissionId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,59}$")]


class StoredDeclaration(_Stored):
    """The table's word on a secret mission only people can judge, recorded by a moderator."""

    met: bool
    why: str = Field(min_length=1, max_length=300)
    seat: SeatNumber  # the moderator seat that recorded it
    at: Moment


class StoredCouncil(_Stored):
    """Everything `state.json` holds. Keys left out of a hand-edited file take their defaults."""

    format: Literal[1] = 1
    table: str = Field(min_length=1, max_length=80)
    created_at: Moment
    salt: str = Field(pattern=r"^[0-9a-f]{32}$")
    seats: dict[SeatNumber, StoredSeat] = Field(min_length=1)
    minutes: dict[Phase, Annotated[int, Field(ge=1, le=240)]] = Field(default_factory=dict)
    phase: Phase = "setup"
    phase_started_at: Moment
    extra_minutes: int = Field(default=0, ge=0, le=240)
    vote: VoteStatus = "not_open"
    next_policy: int = Field(default=1, ge=1)
    policies: list[StoredPolicy] = Field(default_factory=list)
    votes: dict[str, dict[SeatNumber, Choice]] = Field(default_factory=dict)
    ties: dict[str, TieDecision] = Field(default_factory=dict)
    declared: dict[MissionId, StoredDeclaration] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> StoredCouncil:
        for phase, minutes in DEFAULT_MINUTES.items():
            self.minutes.setdefault(phase, minutes)
        ids = [p.id for p in self.policies]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"the policy `{repeated[0]}` appears twice")
        for policy in self.policies:
            if policy.seat not in self.seats:
                raise ValueError(
                    f"policy `{policy.id}` names seat {policy.seat}, which is not at this table"
                )
        for policy_id in [*self.votes, *self.ties]:
            if policy_id not in ids:
                raise ValueError(f"there are votes on `{policy_id}`, which is not a policy")
        for ballots in self.votes.values():
            unknown = sorted(set(ballots) - set(self.seats))
            if unknown:
                raise ValueError(f"seat {unknown[0]} voted, but it is not at this table")
        # An id is never given twice, even if a hand edit lowered the counter.
        self.next_policy = max([self.next_policy, *(int(i[1:]) + 1 for i in ids)])
        return self

    def policy(self, policy_id: str) -> StoredPolicy | None:
        return next((p for p in self.policies if p.id == policy_id), None)


# Seat codes ----------------------------------------------------------------------------------


def new_salt() -> str:
    return secrets.token_hex(16)


def new_codes(seats: int) -> dict[int, str]:
    """A different random code for each seat, 1 to `seats`."""
    codes: dict[int, str] = {}
    while len(codes) < seats:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in codes.values():
            codes[len(codes) + 1] = code
    return codes


def typed_code(code: str) -> str:
    """A code as a person may type it (`acd-4f`, ` ACD 4F `) in the form the card prints."""
    return "".join(char for char in code.upper() if char.isalnum())


@lru_cache(maxsize=512)
def code_hash(salt: str, seat: int, code: str) -> str:
    return hashlib.pbkdf2_hmac(
        "sha256", code.encode(), f"{salt}:{seat}".encode(), HASH_ROUNDS
    ).hex()


def code_matches(council: StoredCouncil, seat: int, code: str) -> bool:
    expected = council.seats[seat].code_hash
    return hmac.compare_digest(code_hash(council.salt, seat, typed_code(code)), expected)


# Reading ------------------------------------------------------------------------------------


def no_council(table: str) -> CouncilStateError:
    return CouncilStateError(
        f"There is no council table called \u201c{table}\u201d in the workshop folder.",
        "Check the table's name on your table card or with the facilitator; the facilitator "
        "opens each table before the game starts.",
    )


def _damaged(path: Path, problem: str) -> CouncilStateError:
    previous = path.with_name(PREVIOUS_FILE)
    restore = (
        f" or put back the state before the last change by copying `{previous.name}` over it"
        if previous.is_file()
        else ""
    )
    return CouncilStateError(
        f"The council's state file `{path}` is damaged: {problem}.",
        f"Nothing was changed, and the kit will not write over that file. The facilitator can "
        f"repair it in a text editor{restore}, then try again.",
    )


def parse_state(raw: bytes, path: Path) -> StoredCouncil:
    """`state.json`'s bytes as a council, or an error that names the file and its problem."""
    if len(raw) > MAX_STATE_BYTES:
        raise _damaged(path, f"it is {len(raw) // 1024} KiB, far more than a council writes")
    try:
        data = json.loads(raw.decode("utf-8-sig"))  # a byte-order mark from a text editor is fine
    except UnicodeDecodeError:
        raise _damaged(path, "it is not a UTF-8 text file") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        problem = (
            "it is empty" if not raw.strip() else f"it is not valid JSON ({exc.msg} at {where})"
        )
        raise _damaged(path, problem) from None
    if not isinstance(data, dict):
        raise _damaged(path, "it should hold one JSON object (`{...}`)")
    try:
        return StoredCouncil.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = f"the key `{key_path(first['loc'], data)}`: " if first["loc"] else ""
        raise _damaged(path, where + first["msg"].removeprefix("Value error, ")) from None


def read_state(folder: Path, table: str) -> tuple[bytes, StoredCouncil]:
    """The bytes of a table's `state.json` and the council they hold."""
    path = folder / STATE_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise no_council(table) from None
    except OSError as exc:
        raise CouncilStateError(
            f"The council's state file `{path}` cannot be read: {exc.strerror or exc}.",
            "Check that this computer can reach the workshop folder, then try again.",
        ) from None
    return raw, parse_state(raw, path)


def council_folders() -> list[Path]:
    """Every table's folder in the workshop folder, whether its state can be read or not."""
    root = Workspace.current().councils
    if not root.is_dir():
        return []
    return sorted(path.parent for path in root.glob(f"*/{STATE_FILE}"))


# Writing ------------------------------------------------------------------------------------


def _write_atomically(path: Path, data: bytes, mode: int = 0o666) -> None:
    """`data` into `path` through a temporary file renamed over it: all of it, or nothing."""
    # One temporary name per thread and process, so two writers never share one.
    name = f".{path.name}.{os.getpid()}.{threading.get_ident()}.{secrets.token_hex(4)}.tmp"
    temporary = path.with_name(name)
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise CouncilStateError(
            f"The council's state could not be saved in `{path.parent}`: {exc.strerror or exc}.",
            "Nothing was changed. Check that the workshop folder has free space and that you may "
            "write to it, then try again.",
        ) from None


def state_bytes(council: StoredCouncil) -> bytes:
    data = council.model_dump(mode="json")
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_state(folder: Path, council: StoredCouncil, previous: bytes | None) -> None:
    """Save `council` (holding the lock), keeping the state it replaces as `state.previous.json`."""
    if previous is not None:
        _write_atomically(folder / PREVIOUS_FILE, previous)
    _write_atomically(folder / STATE_FILE, state_bytes(council))


def write_codes(folder: Path, table: str, codes: dict[int, str]) -> None:
    data = {"table": table, "codes": {str(seat): code for seat, code in codes.items()}}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    _write_atomically(folder / CODES_FILE, text.encode("utf-8"), mode=0o600)


def read_codes(folder: Path, council: StoredCouncil) -> dict[int, str]:
    """The seat codes as printed on the table cards, checked against the state's hashes."""
    path = folder / CODES_FILE
    cannot = CouncilStateError(
        f"The seat codes of \u201c{council.table}\u201d cannot be printed from here: `{path}` "
        "is missing, unreadable or does not match the table.",
        "Only whoever opened the table (on the same computer or JupyterHub user) can print its "
        "codes again. Players can still sit with the codes on their cards.",
    )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        codes = {int(seat): str(code) for seat, code in data["codes"].items()}
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError):
        raise cannot from None
    if set(codes) != set(council.seats) or not all(
        code_matches(council, seat, code) for seat, code in codes.items()
    ):
        raise cannot
    return dict(sorted(codes.items()))


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the table's lock: one change at a time, across threads, processes and users."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CouncilStateError(
            f"The council's folder `{folder}` cannot be created: {exc.strerror or exc}.",
            "Check that you may write to the workshop folder, then try again.",
        ) from None
    lock = FileLock(folder / LOCK_FILE, timeout=LOCK_SECONDS)
    try:
        lock.acquire()
    except Timeout:
        raise CouncilStateError(
            f"The council's state is busy: another seat has been saving a change for more than "
            f"{LOCK_SECONDS} seconds.",
            "Nothing was changed. Try again in a moment.",
        ) from None
    try:
        yield
    finally:
        lock.release()
