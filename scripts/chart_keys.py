"""The settings a Helm chart's values may name, as a list of dotted key paths.

Reads a chart's JSON schema of its values, written in YAML (`values.schema.yaml`, as the
`jupyterhub` chart of Zero to JupyterHub ships it), and writes one key path a line, which
`tests/test_deploy.py` checks `deploy/helm/config.yaml` against:

    python scripts/chart_keys.py values.schema.yaml --chart "jupyterhub 4.4.0" \
        --source "jupyterhub/values.schema.yaml" --app-version 5.5.0 -o deploy/helm/chart-keys.txt

Only key names are kept, never the schema's descriptions. A line is a path of keys joined by
dots; two kinds of segment stand for more than one key:

- `{regex}`: any key the regular expression matches in full (the schema's `patternProperties`);
- `**` (last): anything below, of any depth (an object the schema leaves open).

A path of keys is allowed when some line matches it segment by segment (`allowed`). Lines that
start with `#` are the header: which chart and file the list was derived from.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

ANY_BELOW = "**"
# Keys of a schema whose own `properties` name keys the value may hold. `if` only states a
# condition on keys named elsewhere, so it adds none.
BRANCHES = ("then", "else")
COMBINATIONS = ("allOf", "anyOf", "oneOf")


def key_paths(schema: dict[str, Any]) -> list[str]:
    """Every key path the schema allows, sorted, in the format this module describes."""
    return sorted(set(_walk(schema, ())))


def _walk(node: Any, path: tuple[str, ...]) -> Iterator[str]:
    if not isinstance(node, dict):
        return
    properties: dict[str, Any] = {}
    patterns: dict[str, Any] = {}
    open_ = False
    for part in _parts(node):
        properties.update(part.get("properties") or {})
        patterns.update(part.get("patternProperties") or {})
        open_ = open_ or _is_open(part)
    for key, sub in properties.items():
        if "." in key or key.startswith("{") or key == ANY_BELOW:
            raise ValueError(f"a key this format cannot write: {'.'.join((*path, key))}")
        yield ".".join((*path, key))
        yield from _walk(sub, (*path, key))
    for pattern, sub in patterns.items():
        segment = "{" + pattern + "}"
        yield ".".join((*path, segment))
        yield from _walk(sub, (*path, segment))
    if open_ and path:
        yield ".".join((*path, ANY_BELOW))


def _parts(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The node itself and the subschemas whose keys the same value may hold."""
    yield node
    for branch in BRANCHES:
        if isinstance(node.get(branch), dict):
            yield from _parts(node[branch])
    for combination in COMBINATIONS:
        for sub in node.get(combination) or ():
            if isinstance(sub, dict):
                yield from _parts(sub)


def _is_open(node: dict[str, Any]) -> bool:
    """Whether an object takes keys its schema does not name (JSON Schema's default)."""
    extra = node.get("additionalProperties", None)
    if extra is False:
        return False
    if extra is not None:  # true, or a schema every other key must meet
        return True
    types = node.get("type")
    types = types if isinstance(types, list) else [types]
    return "object" in types or "properties" in node or "patternProperties" in node


def read_lines(lines: Iterable[str]) -> list[tuple[str, ...]]:
    """The key paths of a list this module wrote (header and blank lines skipped)."""
    rules = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append(tuple(_split(line)))
    return rules


def _split(line: str) -> Iterator[str]:
    """A line's segments: split on dots outside `{...}` (a pattern may hold dots)."""
    depth, start = 0, 0
    for i, char in enumerate(line):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == "." and depth == 0:
            yield line[start:i]
            start = i + 1
    yield line[start:]


def allowed(path: tuple[str, ...], rules: Iterable[tuple[str, ...]]) -> bool:
    """Whether some rule matches the key path `path`."""
    return any(_matches(path, rule) for rule in rules)


def _matches(path: tuple[str, ...], rule: tuple[str, ...]) -> bool:
    for i, segment in enumerate(rule):
        if segment == ANY_BELOW and i == len(rule) - 1:
            return len(path) >= i
        if i >= len(path):
            return False
        if segment.startswith("{") and segment.endswith("}"):
            if re.fullmatch(segment[1:-1], path[i]) is None:
                return False
        elif segment != path[i]:
            return False
    return len(path) == len(rule)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("schema", type=Path, help="the chart's values.schema.yaml")
    parser.add_argument("--chart", required=True, help='the chart and its version, "name x.y.z"')
    parser.add_argument(
        "--source", required=True, help="the schema's path in the chart's repository"
    )
    parser.add_argument("--app-version", required=True, help="the chart's appVersion")
    parser.add_argument("-o", "--out", type=Path, help="the list to write (default: print it)")
    args = parser.parse_args(argv)
    schema = yaml.safe_load(args.schema.read_text(encoding="utf-8"))
    header = [
        f"# Key paths the Helm chart {args.chart} allows in its values (appVersion {args.app_version}),",
        f"# derived from the chart's {args.source} by scripts/chart_keys.py.",
        "# `{regex}`: any key the pattern matches; `**` at the end: anything below.",
    ]
    text = "\n".join([*header, *key_paths(schema)]) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
