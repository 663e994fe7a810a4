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


class _PlainLoader(yaml.SafeLoader):
    """YAML as people write it by hand, read without surprises.

    Dates stay text, so the model that reads them says which key holds an impossible date
    (`2027-02-30`) instead of the loader failing without a key. A key written twice is refused
    (PyYAML would silently keep the last one), and so are aliases (`*name`), which can make a
    small file expand into a huge one."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                f"uses the alias `*{event.anchor}`; write the value out in full instead",
                event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (yaml.YAMLError, RecursionError):
            raise
        except Exception as exc:  # noqa: BLE001 - PyYAML fails differently for every tag
            # An explicit tag the value does not fit (`!!int` with nothing after it, `!!bool x`,
            # `!!timestamp soon`): PyYAML raises KeyError, IndexError, ValueError and more. Only
            # a ValueError's words say something to a person ("day is out of range for month").
            why = f" ({exc})" if isinstance(exc, ValueError) and str(exc) else ""
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"has a value that is not the `{node.tag.rsplit(':', 1)[-1]}` its tag says{why}; "
                "remove the `!!` tag and write the value plainly",
                node.start_mark,
            ) from None

    def construct_mapping(self, node, deep=False):
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                continue  # refused later as a key that is not text
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"has the key `{key}` twice in one place; keep one and delete the other",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_text(text: str):
    """Parse YAML that a person or a saved file wrote: dates as text, no aliases, no repeated
    keys. Raises `yaml.YAMLError` for anything it cannot read, and never anything else."""
    try:
        return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        raise
    except RecursionError:
        raise yaml.YAMLError("nests too deeply; these files need only a few levels") from None
    except Exception as exc:  # noqa: BLE001 - the loader's own failures vary by tag
        # What `construct_object` cannot catch: values built in a second step (`!!set 3`).
        problem = "a value does not fit its `!!` tag; remove the tag and write the value plainly"
        raise yaml.YAMLError(problem) from exc


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
        data = load_text(path.read_text(encoding="utf-8"))
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
    return model_from_data(data, path, model, error, fix)


def model_from_data(
    data: object, path: Path | str, model: type[M], error: type[KitError], fix: str
) -> M:
    """Check data already read (from `path`, or about to be written there) as `model`, with the
    same messages as `load_yaml_model`."""
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
    kind, value = error["type"], error.get("input")
    shown = f"`{value}`" if isinstance(value, str | int | float) else "this value"
    if kind == "extra_forbidden":
        return "is not a known key (check its spelling)"
    if kind == "missing":
        return "is required but missing"
    if kind.startswith(("date_", "datetime_")):
        return f"{shown} is not a date on the calendar; write a real date as YYYY-MM-DD, for example `2027-06-30`"
    if kind in {"int_parsing", "int_from_float", "int_type"}:
        return f"{shown} is not a whole number; write digits only, for example `2`"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        words = {"ge": "at least", "le": "at most", "gt": "more than", "lt": "less than"}
        bounds = ", ".join(f"{words.get(k, k)} {v}" for k, v in error.get("ctx", {}).items())
        return f"{shown} is out of range (it must be {bounds})"
    if kind == "bool_parsing":
        return f"{shown} is neither true nor false; write `true` or `false`"
    if kind == "string_type":
        return f"{shown} should be text; put it in quotes"
    if kind == "literal_error":
        return f"{shown} is not allowed here: {error['msg'].removeprefix('Input should be ')[:1].lower()}{error['msg'].removeprefix('Input should be ')[1:]}"
    return error["msg"].removeprefix("Value error, ")
