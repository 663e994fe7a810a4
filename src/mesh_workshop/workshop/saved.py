"""A group's saved files for one scenario, typed, read and written in one place.

- `decisions.yml`: the group's choices, role notes and summary (written on every Save);
- `proposal.yml`: the proposal those choices add up to (plain proposal format, for the terminal);
- `result.json`: the verdict of the last "Apply & check".

Saved files may be old, edited by hand or half-broken in a shared folder, so reading is tolerant:
a field of the wrong kind reads as missing, and only a file that is not YAML/JSON at all, or too
big, is refused (`SavedFileError`, naming the file).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..yaml_input import load_text
from .folders import DECISIONS_FILE, PROPOSAL_FILE, RESULT_FILE, write_atomically

DECISIONS_VERSION = 1
MAX_FILE_BYTES = 1024 * 1024
# A model as a verdict names it: `model`, `project.model` (ASCII names, as dbt's own).
MODEL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}")


class SavedFileError(Exception):
    """A saved file exists but cannot be used; the message names it."""


class _Saved(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _text_or_none(value: Any) -> str | None:
    return None if value is None or isinstance(value, dict | list) else str(value)


class SavedDecisions(_Saved):
    version: int | None = None
    group: str | None = None
    scenario: str | None = None
    choices: dict[str, Any] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)
    summary: str = ""
    saved_at: str | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _whole(cls, value: Any) -> int | None:
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @field_validator("group", "scenario", "saved_at", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str | None:
        return _text_or_none(value)

    @field_validator("summary", mode="before")
    @classmethod
    def _summary(cls, value: Any) -> str:
        return _text_or_none(value) or ""

    @field_validator("choices", mode="before")
    @classmethod
    def _choices(cls, value: Any) -> dict:
        return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}

    @field_validator("notes", mode="before")
    @classmethod
    def _notes(cls, value: Any) -> dict:
        if not isinstance(value, dict):
            return {}
        return {str(k): str(v) for k, v in value.items() if v is not None}


class SavedCriterion(_Saved):
    id: str | None = None
    says: str | None = None
    passed: bool | None = None
    detail: str | None = None
    consequence: bool = False

    @field_validator("consequence", mode="before")
    @classmethod
    def _weighed(cls, value: Any) -> bool:
        return value is True

    @field_validator("id", "says", "detail", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str | None:
        return _text_or_none(value)

    @field_validator("passed", mode="before")
    @classmethod
    def _flag(cls, value: Any) -> bool | None:
        return value if isinstance(value, bool) else None


class SavedExplanation(_Saved):
    code: str | None = None
    title: str | None = None

    @field_validator("code", "title", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str | None:
        return _text_or_none(value)


class SavedResult(_Saved):
    ok: bool = False
    scenario: str | None = None
    group: str | None = None
    checked_at: str | None = None
    criteria: list[SavedCriterion] = Field(default_factory=list)
    explanations: list[SavedExplanation] = Field(default_factory=list)
    error: str | None = None
    changed_models: tuple[str, ...] = ()
    broken_models: tuple[str, ...] = ()
    circle: tuple[tuple[str, str], ...] = ()

    @field_validator("changed_models", "broken_models", mode="before")
    @classmethod
    def _names(cls, value: Any) -> tuple:
        # Drawn in the mesh picture: only names that are model names, nothing else.
        if not isinstance(value, list | tuple):
            return ()
        return tuple(v for v in value if isinstance(v, str) and MODEL_NAME.fullmatch(v))

    @field_validator("circle", mode="before")
    @classmethod
    def _edges(cls, value: Any) -> tuple:
        if not isinstance(value, list | tuple):
            return ()
        return tuple(
            (edge[0], edge[1])
            for edge in value
            if isinstance(edge, list | tuple)
            and len(edge) == 2
            and all(isinstance(v, str) and MODEL_NAME.fullmatch(v) for v in edge)
        )

    @field_validator("ok", mode="before")
    @classmethod
    def _ok(cls, value: Any) -> bool:
        return value is True

    @field_validator("scenario", "group", "checked_at", "error", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str | None:
        return _text_or_none(value)

    @field_validator("criteria", "explanations", mode="before")
    @classmethod
    def _entries(cls, value: Any) -> list:
        return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _read(path: Path, parse, kind: str) -> Any:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SavedFileError(
                f"`{path}` is larger than {MAX_FILE_BYTES // 1024} KB, too big to be a saved answer."
            )
        return parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SavedFileError(f"`{path}` could not be read ({exc.__class__.__name__}).") from None
    except (yaml.YAMLError, ValueError) as exc:
        where = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise SavedFileError(f"`{path}` is not valid {kind} ({where}).") from None


def read_decisions(folder: Path) -> SavedDecisions:
    """The decisions saved in `folder`; `SavedFileError` when the file is missing or unusable."""
    path = folder / DECISIONS_FILE
    record = _read(path, load_text, "YAML")
    if not isinstance(record, dict) or not isinstance(record.get("choices") or {}, dict):
        raise SavedFileError(
            f"`{path}` is not a saved answer (it has no `choices`). "
            "The group can press Save in its notebook to write it again."
        )
    return SavedDecisions.model_validate(record)


def read_result(folder: Path) -> SavedResult | None:
    """The last check's verdict saved in `folder`, None when there is none yet;
    `SavedFileError` when the file is there but unusable."""
    path = folder / RESULT_FILE
    if not path.is_file():
        return None
    loaded = _read(path, json.loads, "JSON")
    if not isinstance(loaded, dict) or not isinstance(loaded.get("criteria", []), list):
        raise SavedFileError(f"`{path}` is not a check result.")
    return SavedResult.model_validate(loaded)


def write_decisions(folder: Path, decisions: SavedDecisions) -> Path:
    path = folder / DECISIONS_FILE
    record = decisions.model_dump()
    write_atomically(path, yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
    return path


def write_proposal(folder: Path, header: str, proposal: dict) -> str:
    """Save the proposal a group's choices add up to; returns the text written."""
    text = header + yaml.safe_dump(proposal, sort_keys=False, allow_unicode=True)
    write_atomically(folder / PROPOSAL_FILE, text)
    return text


def write_result(folder: Path, verdict: dict) -> Path:
    """Save a verdict (`Verdict.to_dict()`); every key is kept, the readers take what they know."""
    path = folder / RESULT_FILE
    write_atomically(path, json.dumps(verdict, indent=2) + "\n")
    return path
