"""`mesh-workshop`: the kit on the command line. Exit codes: 0 ok, 1 build failed, 2 bad input."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import monolith
from .errors import KitError
from .questions import QUESTIONS


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        return args.handler(args)
    except KitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mesh-workshop",
        description="Rainbow Road's dbt Mesh workshop kit.",
    )
    commands = parser.add_subparsers(title="commands")

    mono = commands.add_parser("monolith", help="the legacy project `data_platform`")
    mono_commands = mono.add_subparsers(title="monolith commands")

    build = mono_commands.add_parser("build", help="dbt build the monolith into the workspace")
    build.add_argument("--select", nargs="+", default=[], help="dbt node selection")
    build.add_argument("--json", action="store_true", help="print the result as JSON")
    build.set_defaults(handler=_build)

    graph = mono_commands.add_parser("lineage", help="print the lineage as a Mermaid diagram")
    graph.add_argument("--view", choices=["models", "domains"], default="models")
    graph.add_argument("--with-staging", action="store_true", help="include staging models")
    graph.set_defaults(handler=_lineage)

    ask = mono_commands.add_parser("ask", help="answer one of the everyday questions")
    ask.add_argument("question", nargs="?", help="question name (leave out to list them)")
    ask.set_defaults(handler=_ask)
    return parser


def _build(args: argparse.Namespace) -> int:
    result = monolith.build_monolith(select=args.select)
    print(result.to_json() if args.json else result.summary())
    return 0 if result.ok else 1


def _lineage(args: argparse.Namespace) -> int:
    print(monolith.lineage_markdown(args.view, include_staging=args.with_staging))
    return 0


def _ask(args: argparse.Namespace) -> int:
    if not args.question:
        for question in QUESTIONS.values():
            print(f"{question.name}: {question.title}")
        return 0
    frame = monolith.ask(args.question)
    print(frame.to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
