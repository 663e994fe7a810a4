"""`mesh-workshop`: the kit on the command line. Exit codes: 0 ok, 1 build failed, 2 bad input."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from pydantic import ValidationError

from .api import kit
from .council.materials import write_materials
from .dbt.worker import DbtWorkerPool
from .errors import KitError
from .grading.model import Options as GradeOptions
from .monolith.questions import QUESTIONS
from .room import hub as room_hub


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

    split = commands.add_parser("split", help="split the monolith into a mesh of projects")
    split.add_argument("--plan", type=Path, help="split plan (default: plans/architect.yml)")
    split.add_argument(
        "--out", type=Path, help="where to write the projects (default: mesh_projects/)"
    )
    split.set_defaults(handler=_split)

    build_mesh = commands.add_parser("build", help="build every project of a mesh, in order")
    build_mesh.add_argument("--mesh", type=Path, help="mesh folder (default: mesh_projects/)")
    build_mesh.add_argument(
        "--full", action="store_true", help="rebuild everything, not only changes"
    )
    build_mesh.add_argument("--json", action="store_true", help="print the result as JSON")
    build_mesh.set_defaults(handler=_build_mesh)

    prep = commands.add_parser(
        "prepare",
        help="build the legacy project and the mesh if missing (waits for a build already running)",
    )
    prep.add_argument(
        "--background",
        action="store_true",
        help="start the build in a process of its own and return at once (as `make lab` does)",
    )
    prep.set_defaults(handler=_prepare)

    notebooks = commands.add_parser(
        "notebooks",
        help="copy the notebooks into a folder of your own, where the room runs them",
        description=(
            "Copy the workshop's notebooks into a folder of your own (my_notebooks/), so running "
            "them never changes the kit's files and `git pull` always works. After an update of "
            "the kit, copies nobody changed get the new version; a changed copy is kept, with the "
            "new version beside it. Delete a copy to get a fresh one."
        ),
    )
    notebooks.add_argument(
        "--to", type=Path, metavar="DIR", help="the folder for the copies (default: my_notebooks/)"
    )
    notebooks.set_defaults(handler=_notebooks)

    hub = commands.add_parser(
        "hub",
        help="run the whole room on this server: JupyterHub, one JupyterLab per person",
        description=(
            "Run a whole room on this server: build the workshop if needed, start JupyterHub "
            "with one JupyterLab per person (each with their own copies of the notebooks, all "
            "saving into one workshop folder) and print the address, the room's password and "
            "the facilitator's login. Stop it with Ctrl+C. docs/run-a-room.md explains it."
        ),
    )
    hub.add_argument(
        "--port",
        type=int,
        default=room_hub.DEFAULT_PORT,
        help=f"the port the room connects to (default {room_hub.DEFAULT_PORT})",
    )
    hub.add_argument(
        "--ip",
        default="0.0.0.0",
        help="the address to listen on (default: every network of this machine)",
    )
    hub.add_argument(
        "--password",
        help=(
            f"the room's password, {room_hub.ROOM_PASSWORD_MIN} characters or more "
            "(default: the one saved at the last start, or a new one)"
        ),
    )
    hub.add_argument(
        "--facilitator",
        default=room_hub.DEFAULT_FACILITATOR,
        metavar="NAME",
        help=f"the facilitator's login name (default {room_hub.DEFAULT_FACILITATOR})",
    )
    hub.add_argument(
        "--workshop",
        type=Path,
        metavar="DIR",
        help="the folder every group's work is saved in (default: the workspace's workshop/)",
    )
    hub.add_argument(
        "--hub-dir",
        type=Path,
        metavar="DIR",
        help="where the hub keeps its config, database and everyone's home (default: <workspace>/hub)",
    )
    hub.add_argument(
        "--no-dbt-pool",
        action="store_true",
        help="no shared dbt workers: each person's checks start dbt workers of their own",
    )
    hub.set_defaults(handler=_hub)

    apply = commands.add_parser("apply", help="apply a group's proposal to a sandbox of the mesh")
    apply.add_argument("proposal", type=Path, help="the proposal file (YAML)")
    apply.add_argument(
        "--out", type=Path, help="sandbox folder (default: the group's folder in the workspace)"
    )
    apply.set_defaults(handler=_apply)

    check = commands.add_parser(
        "check", help="build a proposal's sandbox with dbt and explain the verdict"
    )
    check.add_argument(
        "target", type=Path, help="a proposal file, or a sandbox folder edited by hand"
    )
    check.add_argument("--out", type=Path, help="sandbox folder for a proposal file")
    check.add_argument("--json", action="store_true", help="print the verdict as JSON")
    check.add_argument(
        "--full", action="store_true", help="rebuild everything instead of only what changed"
    )
    check.add_argument(
        "--strict-deprecations",
        action="store_true",
        help="instructors: treat a reference to a deprecated model version as an error",
    )
    check.set_defaults(handler=_check)

    grade = commands.add_parser(
        "grade",
        help="instructors: grade a room's answers (a workshop folder, proposal files, or a zip)",
    )
    grade.add_argument(
        "source",
        type=Path,
        help="a workshop folder, a folder of proposal files, or a zip of either",
    )
    grade.add_argument(
        "--out",
        type=Path,
        help="write grades.json, grades.csv, junit.xml, report.html and the feedback files here",
    )
    grade.add_argument(
        "--strict-deprecations",
        action="store_true",
        help="a reference to a deprecated model version fails the build",
    )
    grade.add_argument(
        "--warning-cost",
        type=int,
        default=0,
        metavar="POINTS",
        help="points taken off for each governance warning (default 0)",
    )
    grade.add_argument(
        "--time-limit",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="seconds one answer's build may take (default 300)",
    )
    grade.add_argument(
        "--scenario", action="append", default=[], help="only this scenario (repeatable)"
    )
    grade.add_argument("--group", action="append", default=[], help="only this group (repeatable)")
    grade.add_argument(
        "--workers", type=int, default=0, help="answers built side by side (default: the cores)"
    )
    grade.add_argument(
        "--no-feedback-beside",
        action="store_true",
        help="write feedback only in --out, not beside each group's saved work",
    )
    grade.add_argument("--json", action="store_true", help="print grades.json instead of a table")
    grade.set_defaults(handler=_grade)

    mono = commands.add_parser("monolith", help="the legacy project `data_platform`")
    mono_commands = mono.add_subparsers(title="monolith commands")

    build = mono_commands.add_parser("build", help="dbt build the monolith into the workspace")
    build.add_argument("--select", nargs="+", default=[], help="dbt node selection")
    build.add_argument(
        "--full", action="store_true", help="build even when nothing changed since the last build"
    )
    build.add_argument("--json", action="store_true", help="print the result as JSON")
    build.set_defaults(handler=_build)

    graph = mono_commands.add_parser("lineage", help="print the lineage as a Mermaid diagram")
    graph.add_argument(
        "--view",
        choices=["domains", "tangles", "models"],
        default="tangles",
        help="one box per team, only the models where teams read each other (default), or all",
    )
    graph.add_argument("--model", help="one model, what it reads and what reads it")
    graph.add_argument("--with-staging", action="store_true", help="include staging models")
    graph.set_defaults(handler=_lineage)

    ask = mono_commands.add_parser("ask", help="answer one of the everyday questions")
    ask.add_argument("question", nargs="?", help="question name (leave out to list them)")
    ask.set_defaults(handler=_ask)

    council = commands.add_parser("council", help="the Mesh Council role-playing game")
    council_commands = council.add_subparsers(title="council commands")

    materials = council_commands.add_parser(
        "materials",
        help="write the printable role sheets, handbook, table cards and run sheet",
        description=(
            "Write the Mesh Council's printable materials as HTML and PDF: role sheets, the "
            "architect's handbook, table cards with each seat's code, and the facilitator's "
            "run sheet."
        ),
    )
    materials.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="the folder to write them to"
    )
    materials.add_argument(
        "--tables", type=int, default=1, metavar="N", help="how many tables (default: 1)"
    )
    materials.add_argument(
        "--variant",
        choices=["short", "long"],
        default="short",
        help="an hour (short, the default) or an afternoon (long)",
    )
    materials.set_defaults(handler=_council_materials)
    return parser


def _split(args: argparse.Namespace) -> int:
    result = kit.split(args.plan, args.out)
    print(result.summary())
    print(f"Report: {result.out_dir / 'SPLIT_REPORT.md'}")
    return 0


def _build_mesh(args: argparse.Namespace) -> int:
    def progress(project: str, status: str) -> None:
        if status == "building":
            print(f"building {project} ...", file=sys.stderr, flush=True)

    result = kit.build_mesh(args.mesh, full=args.full, on_progress=None if args.json else progress)
    print(json.dumps(asdict(result), indent=2, default=str) if args.json else result.table())
    return 0 if result.ok else 1


def _prepare(args: argparse.Namespace) -> int:
    if args.background:
        pid = kit.prepare_in_background()
        log = kit.workspace.prepare_log
        print(f"Building the legacy project and the mesh in the background (process {pid}).")
        print(f"The start-here notebook shows its progress; so does {log}.")
        return 0
    return 0 if kit.prepare().ok else 1


def _notebooks(args: argparse.Namespace) -> int:
    copies = kit.copy_notebooks(args.to)
    for line in copies.lines():
        print(line)
    print(f"Your notebooks are in {_shown(copies.folder)}/ (start with 00_start_here.ipynb).")
    return 0


def _shown(folder: Path) -> str:
    """A folder as a person would type it here: relative to the current folder when inside it."""
    folder = folder.resolve()
    try:
        return str(folder.relative_to(Path.cwd()))
    except ValueError:
        return str(folder)


def _hub(args: argparse.Namespace) -> int:
    settings = room_hub.HubSettings(
        port=args.port,
        ip=args.ip,
        password=args.password,
        facilitator=args.facilitator,
        workshop=args.workshop,
        hub_dir=args.hub_dir,
        dbt_pool=not args.no_dbt_pool,
    )
    return room_hub.run(settings)


def _apply(args: argparse.Namespace) -> int:
    print(kit.apply(args.proposal, args.out).summary())
    return 0


def _check(args: argparse.Namespace) -> int:
    def progress(project: str, status: str) -> None:
        if status == "building":
            print(f"building {project} ...", file=sys.stderr, flush=True)

    # Every project builds in a dbt process forked from one that imported dbt once, instead of
    # a fresh `dbt` per project; the workers stop when the check is done.
    with DbtWorkerPool(idle_timeout=None) as pool:
        result = kit.check(
            args.target,
            args.out,
            strict_deprecations=args.strict_deprecations,
            full=args.full,
            on_progress=None if args.json else progress,
            runner=pool.run,
        )
    print(result.to_json() if args.json else result.summary())
    return result.exit_code


def _grade(args: argparse.Namespace) -> int:
    try:
        options = GradeOptions(
            strict_deprecations=args.strict_deprecations,
            warning_cost=args.warning_cost,
            time_limit=args.time_limit,
            scenarios=args.scenario,
            groups=args.group,
            workers=args.workers,
            feedback=not args.no_feedback_beside,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        option = "--" + str(first["loc"][0]).replace("_", "-")
        raise KitError(f"{option}: {first['msg']}.", "Run `mesh-workshop grade --help`.") from None

    def progress(step) -> None:
        if not args.json:
            print(f"[{step.done}/{step.total}] {step.text}", file=sys.stderr, flush=True)

    grades = kit.grade(args.source, args.out, options, on_progress=progress)
    if args.json:
        print(grades.model_dump_json(indent=2))
    else:
        print(kit.grades_table(grades))
        if args.out:
            print(
                f"\nReports written to {args.out}: report.html, grades.json, grades.csv, junit.xml."
            )
    return 0


def _build(args: argparse.Namespace) -> int:
    result = kit.build_monolith(select=args.select, full=args.full)
    print(result.to_json() if args.json else result.summary())
    return 0 if result.ok else 1


def _lineage(args: argparse.Namespace) -> int:
    print(kit.monolith_lineage(args.view, include_staging=args.with_staging, model=args.model))
    return 0


def _council_materials(args: argparse.Namespace) -> int:
    materials = write_materials(args.out, tables=args.tables, variant=args.variant)
    print(materials.summary())
    if materials.warning:
        print(f"warning: {materials.warning}", file=sys.stderr)
    return 0


def _ask(args: argparse.Namespace) -> int:
    if not args.question:
        for question in QUESTIONS.values():
            print(f"{question.name}: {question.title}")
        return 0
    frame = kit.ask(args.question)
    print(frame.to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
