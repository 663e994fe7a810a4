"""What people type at a council table, checked before anything is saved: table and player
names, a policy's text and kind, its changes to the mesh (checked by the proposal format), and
the minutes of the game's phases."""

from __future__ import annotations

import difflib
import json
import unicodedata
from typing import Any

from ..proposal.validate import ProposalError, proposal_from_data
from .state_file import DEFAULT_MINUTES, PHASE_NAMES, PHASES, CouncilStateError

KINDS = ("process", "technical")
GOVERNANCE_KEYS = ("teams", "models", "pins", "moves", "new_projects", "merges")
MAX_TEXT = 1000
MAX_NAME = 60
MAX_TABLE = 80
MAX_GOVERNANCE_BYTES = 16 * 1024
EXAMPLE_GOVERNANCE = (
    '{"models": [{"model": "data_platform.fct_animal_outcomes", "access": "public"}]}'
)

# Checking what people type -------------------------------------------------------------------


def _plain(value: str) -> bool:
    """No control characters other than line breaks and tabs."""
    return not any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value)


def check_table_name(table: object) -> str:
    name = table.strip() if isinstance(table, str) else ""
    if not name:
        raise CouncilStateError(
            "A council table needs a name.", "Type a name such as \u201cTable 4\u201d."
        )
    if len(name) > MAX_TABLE or not _plain(name) or "\n" in name or "\t" in name:
        raise CouncilStateError(
            f"A table's name is one line of at most {MAX_TABLE} characters, without invisible "
            "control characters.",
            "Type a short name such as \u201cTable 4\u201d.",
        )
    return name


def check_player_name(player: object) -> str:
    name = " ".join(player.split()) if isinstance(player, str) else ""
    if not name:
        raise CouncilStateError(
            "Your name is needed to take a seat.",
            "Type the name the table knows you by, such as \u201cSam\u201d.",
        )
    if len(name) > MAX_NAME or not _plain(name):
        raise CouncilStateError(
            f"A player's name is at most {MAX_NAME} characters, without invisible control "
            "characters.",
            "Type a shorter name, such as your first name.",
        )
    return name


def check_policy_text(text: object) -> str:
    words = text.replace("\r\n", "\n").replace("\r", "\n").strip() if isinstance(text, str) else ""
    if not words:
        raise CouncilStateError(
            "The policy is empty.",
            "Write the policy in a sentence or two, for example \u201cEvery public model has an "
            "owner and a description.\u201d",
        )
    if len(words) > MAX_TEXT:
        raise CouncilStateError(
            f"The policy is {len(words):,} characters long; a policy is at most {MAX_TEXT:,}.",
            "Shorten it, or split it into two policies.",
        )
    if not _plain(words):
        raise CouncilStateError(
            "The policy holds invisible control characters.",
            "Type it again, or paste it as plain text.",
        )
    return words


def check_kind(kind: object) -> str:
    picked = kind.strip().lower() if isinstance(kind, str) else None
    if picked not in KINDS:
        raise CouncilStateError(
            f"`{kind}` is not a kind of policy.",
            "Choose `process` (how the council and the teams work) or `technical` (a change to "
            "the mesh itself).",
        )
    return picked


def check_governance(kind: str, governance: object) -> dict[str, Any] | None:
    """The governance of a policy, checked by the proposal format and kept in its own words."""
    if kind == "process":
        if governance:
            raise CouncilStateError(
                "A process policy is about how people work, so it carries no changes to the mesh.",
                "Propose it as a technical policy, or leave the changes out.",
            )
        return None
    example = f"For example: {EXAMPLE_GOVERNANCE}."
    if not isinstance(governance, dict) or not governance:
        raise CouncilStateError(
            "A technical policy changes the mesh, so it needs those changes, written like a "
            f"proposal's {', '.join(GOVERNANCE_KEYS)}.",
            example,
        )
    for key in governance:
        if key not in GOVERNANCE_KEYS:
            close = difflib.get_close_matches(str(key), GOVERNANCE_KEYS, n=1)
            raise CouncilStateError(
                f"`{key}` is not part of a policy's changes to the mesh: a policy holds only "
                f"{', '.join(GOVERNANCE_KEYS)}.",
                f"Did you mean `{close[0]}`?" if close else example,
            )
    data = {"version": 1, "group": "Mesh Council", "scenario": "mesh_council", **governance}
    try:
        proposal = proposal_from_data(data, "governance")
    except ProposalError as exc:
        raise CouncilStateError(
            exc.message,
            "Fix that part of the policy's changes to the mesh and try again; nothing was saved.",
        ) from None
    kept = proposal.model_dump(mode="json", include=set(governance), exclude_unset=True)
    kept = {key: value for key, value in kept.items() if value}
    if not kept:
        raise CouncilStateError("The policy's changes to the mesh are all empty lists.", example)
    if len(json.dumps(kept)) > MAX_GOVERNANCE_BYTES:
        raise CouncilStateError(
            f"The policy's changes to the mesh are longer than {MAX_GOVERNANCE_BYTES // 1024} KiB.",
            "Split them into several policies.",
        )
    return kept


def check_minutes(minutes: object) -> dict[str, int]:
    planned = dict(DEFAULT_MINUTES)
    if minutes is None:
        return planned
    if not isinstance(minutes, dict):
        raise CouncilStateError(
            "The phases' minutes are given as phase names and whole numbers.",
            'For example {"setup": 5, "session_1": 10}.',
        )
    for phase, value in minutes.items():
        if phase not in PHASES:
            raise CouncilStateError(
                f"`{phase}` is not a phase of the game.", f"Its phases: {', '.join(PHASES)}."
            )
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 240:
            raise CouncilStateError(
                f"`{value}` minutes for {PHASE_NAMES[phase]} is not a whole number from 1 to 240.",
                "Give each phase a whole number of minutes.",
            )
        planned[phase] = value
    return planned
