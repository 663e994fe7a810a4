"""What an instructor hands in, read as submissions: a workshop folder, a folder of proposal
files, a zip of either, or one proposal file.

Submissions come from strangers, so reading them follows a few rules:
- nothing is followed out of the folder: links are refused, and a zip entry whose path is
  absolute or climbs out (`..`) is never extracted;
- a zip is extracted only into the grading folder, entry by entry, with limits on the number of
  entries and on every entry's real size (its header may lie), so a zip bomb stops early;
- every problem becomes a refused row that names the file and the reason, and the batch goes on;
- no name a submission gives ever becomes a path: feedback goes to the folder the file was found
  in, never to one built from a group's name.
"""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from ..council.state_file import STATE_FILE, CouncilStateError, parse_state
from ..errors import KitError
from ..proposal.validate import MAX_PROPOSAL_BYTES
from ..scenario.model import Scenario, ScenarioError, list_scenarios
from ..workshop.folders import DECISIONS_FILE, GROUP_FILE, PROPOSAL_FILE
from ..workshop.saved import SavedFileError, read_decisions
from ..yaml_input import load_text

MAX_FILES = 2000  # submission files read from one SOURCE
MAX_ZIP_ENTRIES = 5000
MAX_ENTRY_BYTES = 2 * 1024 * 1024  # the largest file a zip may unpack to
MAX_ZIP_BYTES = 64 * 1024 * 1024  # all of a zip's files together
READ_SUFFIXES = (".yml", ".yaml", ".json")
# Files the notebooks and the kit write beside a group's answer: never submissions themselves.
NOT_SUBMISSIONS = {GROUP_FILE, "result.json", "feedback.md", "seat_codes.json", "final_mesh.json"}
NO_GROUP = "(no group)"


class SourceError(KitError):
    """SOURCE cannot be read at all (exit 2); a problem with one file is a refused row instead."""


@dataclass(frozen=True)
class Found:
    """One submission as read, before it is built."""

    source: str  # its path relative to SOURCE, with `/`
    group: str
    scenario: str | None  # a scenario of the kit, or None: graded on build and governance
    kind: str  # decisions | proposal | council
    data: object = None  # decisions: the choices; proposal: the parsed YAML; council: the state
    problem: str | None = None  # why it is refused before any build
    folder: Path | None = None  # the folder it was found in, for its feedback (folders only)


def read_source(source: Path, scratch: Path, skip: Path | None = None) -> tuple[Path, list[Found]]:
    """The folder the submissions are read from (SOURCE, or a zip's copy under `scratch`) and
    every submission found in it, refused ones included. `skip`: a folder inside SOURCE that is
    not read (the report folder, when it is written inside the class's folder)."""
    if not source.exists():
        raise SourceError(
            f"`{source}` does not exist.",
            "Give a workshop folder, a folder of proposal files, or a zip of either.",
        )
    if source.is_file() and zipfile.is_zipfile(source):
        root = scratch / "source"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        refused = _unzip(source, root)
        return root, refused + _walk(root, feedback=False)
    if source.is_file():
        if source.suffix not in READ_SUFFIXES:
            raise SourceError(
                f"`{source}` is neither a folder, a zip nor a proposal file (.yml).",
                "Give a workshop folder, a folder of proposal files, or a zip of either.",
            )
        return source.parent, [_read_proposal(source, source.name)]
    if not source.is_dir():
        raise SourceError(f"`{source}` is neither a file nor a folder.", "Give a folder or a zip.")
    try:
        next(os.scandir(source), None)
    except OSError as exc:
        raise SourceError(
            f"`{source}` cannot be read ({exc.strerror or exc}).",
            "Check its permissions, or copy it somewhere this account can read.",
        ) from None
    return source, _walk(source, feedback=True, skip=skip or scratch)


# Zips --------------------------------------------------------------------------------------


def _unzip(archive: Path, root: Path) -> list[Found]:
    """Extract the files grading reads; a refused row for each entry that may not be."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"`{archive}` is not a zip that can be opened ({exc}).", "") from None
    refused: list[Found] = []
    total = 0
    with zf:
        entries = zf.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise SourceError(
                f"`{archive}` holds {len(entries)} entries, more than the "
                f"{MAX_ZIP_ENTRIES} a class's answers need.",
                "Zip only the workshop folder or the proposal files.",
            )
        for info in entries:
            name = info.filename.replace("\\", "/")
            parts = PurePosixPath(name).parts
            shown = name[:200]
            if name.startswith("/") or (parts and ":" in parts[0]) or ".." in parts:
                refused.append(
                    _refused(shown, "its path leaves the zip's folder, so it was not unpacked.")
                )
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                refused.append(_refused(shown, "it is a link; links are not followed."))
                continue
            if info.is_dir() or not name.endswith(READ_SUFFIXES) or _hidden(parts):
                continue
            if info.file_size > MAX_ENTRY_BYTES or total + info.file_size > MAX_ZIP_BYTES:
                refused.append(_refused(shown, _too_big(info.file_size)))
                continue
            target = root.joinpath(*parts)
            try:
                written = _extract(zf, info, target, MAX_ENTRY_BYTES)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                refused.append(
                    _refused(shown, f"it could not be unpacked ({exc.__class__.__name__}).")
                )
                continue
            if written is None:
                target.unlink(missing_ok=True)
                refused.append(_refused(shown, _too_big(MAX_ENTRY_BYTES + 1)))
                continue
            total += written
    return refused


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int) -> int | None:
    """Unpack one entry, reading at most `limit` bytes whatever its header claims; None when it
    holds more."""
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with zf.open(info) as data, open(target, "wb") as out:
        while chunk := data.read(64 * 1024):
            written += len(chunk)
            if written > limit:
                return None
            out.write(chunk)
    return written


def _too_big(size: int) -> str:
    return (
        f"it unpacks to more than {MAX_ENTRY_BYTES // (1024 * 1024)} MB"
        if size > MAX_ENTRY_BYTES
        else f"the zip unpacks to more than {MAX_ZIP_BYTES // (1024 * 1024)} MB in all"
    ) + ", far more than an answer; it was not unpacked."


# Folders -----------------------------------------------------------------------------------


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


def _walk(root: Path, feedback: bool, skip: Path | None = None) -> list[Found]:
    found: list[Found] = []
    skip_at = skip.resolve() if skip is not None else None
    scenarios = {s.id: s for s in list_scenarios()}
    for here, dirs, files in os.walk(root, followlinks=False):
        folder = Path(here)
        if skip_at is not None and folder.resolve() == skip_at:
            dirs[:] = []
            continue
        for name in sorted(dirs):
            if (folder / name).is_symlink():
                found.append(
                    _refused(
                        _rel(folder / name, root),
                        "it is a link to another folder; links are not followed.",
                    )
                )
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (folder / d).is_symlink())
        names = set(files)
        for name in sorted(files):
            path = folder / name
            rel = _rel(path, root)
            if name.startswith(".") or name in NOT_SUBMISSIONS or not name.endswith(READ_SUFFIXES):
                continue
            if path.is_symlink():
                found.append(_refused(rel, "it is a link; links are not followed."))
                continue
            if len(found) >= MAX_FILES:
                raise SourceError(
                    f"`{root}` holds more than {MAX_FILES} answer files.",
                    "Grade the class in parts, with --group or --scenario, or a smaller folder.",
                )
            in_councils = "councils" in Path(rel).parts[:-1]
            try:
                if name == DECISIONS_FILE:
                    found.append(_read_decisions(path, rel, root, scenarios, feedback))
                elif name == STATE_FILE and in_councils:
                    found.append(_read_council(path, rel))
                elif in_councils or (name == PROPOSAL_FILE and DECISIONS_FILE in names):
                    continue  # a council's own files; a proposal the decisions beside it wrote
                elif name.endswith((".yml", ".yaml")):
                    found.append(_read_proposal(path, rel, folder if feedback else None))
            except RecursionError:
                found.append(_refused(rel, "its YAML is nested too deeply to be an answer."))
    return found


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _refused(rel: str, why: str, group: str | None = None) -> Found:
    parts = PurePosixPath(rel).parts
    guess = group or (parts[0] if len(parts) > 1 else NO_GROUP)
    return Found(rel, guess, None, "proposal", problem=f"`{rel}`: {why}")


def _read_decisions(
    path: Path, rel: str, root: Path, scenarios: dict[str, Scenario], feedback: bool
) -> Found:
    folder = path.parent
    parts = PurePosixPath(rel).parts
    folder_group = parts[-3] if len(parts) >= 3 else NO_GROUP
    try:
        decisions = read_decisions(folder)
    except SavedFileError as problem:
        why = str(problem).replace(f"`{path}`", "the file")
        scenario = folder.name if folder.name in scenarios else None
        return Found(rel, folder_group, scenario, "decisions", problem=f"`{rel}`: {why}")
    group = (decisions.group or _group_file_name(folder.parent) or folder_group).strip()[:80]
    scenario = next((s for s in (decisions.scenario, folder.name) if s in scenarios), None)
    at = folder if feedback else None
    if scenario is None:
        named = decisions.scenario or folder.name
        return Found(
            rel,
            group,
            None,
            "decisions",
            problem=f"`{rel}`: it answers `{named[:60]}`, which is not a scenario of this kit.",
            folder=at,
        )
    choices = decisions.choices
    try:
        scenarios[scenario].check_choices(choices, f"`{rel}`")
    except ScenarioError as problem:
        return Found(rel, group, scenario, "decisions", problem=problem.message, folder=at)
    return Found(rel, group, scenario, "decisions", data=choices, folder=at)


def _group_file_name(folder: Path) -> str | None:
    try:
        record = load_text((folder / GROUP_FILE).read_text(encoding="utf-8")[: 64 * 1024])
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return None
    name = record.get("group") if isinstance(record, dict) else None
    return name if isinstance(name, str) and name.strip() else None


def _read_proposal(path: Path, rel: str, folder: Path | None = None) -> Found:
    stem = PurePosixPath(rel).parts
    fallback = stem[0] if len(stem) > 1 else Path(rel).stem
    try:
        size = path.stat().st_size
        if size > MAX_PROPOSAL_BYTES:
            return _refused(
                rel,
                f"it is {size // 1024} KB; a proposal is at most {MAX_PROPOSAL_BYTES // 1024} KB.",
            )
        data = load_text(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return _refused(rel, "it is not a UTF-8 text file.")
    except OSError as exc:
        return _refused(rel, f"it could not be read ({exc.strerror or exc}).")
    except yaml.YAMLError as exc:
        where = str(exc).splitlines()[0] if str(exc) else "not valid YAML"
        return _refused(rel, f"it is not valid YAML ({where}).")
    if not isinstance(data, dict):
        return _refused(
            rel,
            "it is not a proposal (a proposal is a YAML mapping with `version`, "
            "`group` and `scenario`).",
        )
    group = data.get("group")
    group = group.strip()[:80] if isinstance(group, str) and group.strip() else fallback
    scenario = data.get("scenario")
    known = {s.id for s in list_scenarios()}
    scenario = scenario if isinstance(scenario, str) and scenario in known else None
    return Found(rel, group, scenario, "proposal", data=data, folder=folder)


def _read_council(path: Path, rel: str) -> Found:
    table = PurePosixPath(rel).parts[-2]
    try:
        council = parse_state(path.read_bytes(), Path(rel))
    except CouncilStateError as problem:
        return _refused(rel, problem.message.replace(f"`{rel}`", "the file"), f"Council {table}")
    except OSError as exc:
        return _refused(rel, f"it could not be read ({exc.strerror or exc}).", f"Council {table}")
    return Found(rel, f"Council {council.table}", None, "council", data=council)
