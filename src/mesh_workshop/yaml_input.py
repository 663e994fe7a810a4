"""Read a YAML file that people write by hand into a strict pydantic model.

Every problem becomes one error that names the file, the key and what to change.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import KitError

M = TypeVar("M", bound=BaseModel)


def load_yaml_model(
    path: Path, model: type[M], error: type[KitError], what: str, max_bytes: int, fix: str
) -> M:
    """Parse `path` as `model`, raising `error` with a plain message on any problem."""
    if not path.is_file():
        raise error(f"There is no {what} at `{path}`.", "Check the path and try again.")
    size = path.stat().st_size
    if size > max_bytes:
        raise error(
            f"`{path}` is {size // 1024} KiB; a {what} is at most {max_bytes // 1024} KiB.",
            "Keep one file per scenario and select models by folder or name, not one by one.",
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise error(
            f"`{path}` is not a UTF-8 text file.", "Save it as plain text (UTF-8)."
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise error(
            f"`{path}` is not valid YAML{where}: {getattr(exc, 'problem', exc)}.",
            "Check the indentation and quotes around that line.",
        ) from None
    if not isinstance(data, dict):
        raise error(
            f"`{path}` should hold a mapping of keys (like `version: 1`), not {type(data).__name__}.",
            "Start from one of the examples and change it.",
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = f", key `{key_path(first['loc'], data)}`" if first["loc"] else ""
        reason = _reason(first)
        end = "" if reason.endswith(("?", ".")) else "."
        raise error(f"`{path}`{where}: {reason}{end}", fix) from None


def key_path(loc: tuple, data: object) -> str:
    """A readable key path, e.g. `projects[people_ops].models[2].folder`."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int) and parts:
            entry = node[item] if isinstance(node, list) and item < len(node) else None
            label = entry.get("name") or entry.get("model") if isinstance(entry, dict) else None
            parts[-1] = f"{parts[-1]}[{label if isinstance(label, str) else item}]"
            node = entry
        else:
            parts.append(str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return ".".join(parts)


def _reason(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        return "is not a known key (check its spelling)"
    if error["type"] == "missing":
        return "is required but missing"
    return error["msg"].removeprefix("Value error, ")
