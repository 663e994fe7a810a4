"""Check that `mesh-workshop check` says what plain dbt says, proposal by proposal.

    python scripts/equivalence.py [--sample 85] [--seed 1] [--only examples|scenarios|random]
                                  [--json PATH] [--mismatches DIR] [--work DIR]
    python scripts/equivalence.py --proposal FILE [--proposal FILE ...]   # these proposals only

The proposals: the examples in proposals/examples/, every scenario's starting point, reference
solutions and wrong answer, and a seeded random sample of proposals that pull many levers at
once. Each is applied and checked by the kit (with dbt kept warm), then its sandbox is copied to
a fresh folder and built with plain `dbt build` in each project, as in the README's "From a
terminal" section. The verdicts on the mesh and on each project must agree, except where the
kit is stricter on purpose (named in the table). Exit code 1 if any proposal mismatches.

Plain builds are cached by content under the work folder (default: `<workspace>/equivalence`),
so a second run, or a proposal that leaves a project as another one left it, copies that
project's build instead of building it again.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from mesh_workshop.api import kit
from mesh_workshop.dbt.runner import run_dbt
from mesh_workshop.dbt.worker import DbtWorkerPool
from mesh_workshop.errors import KitError
from mesh_workshop.paths import Workspace, kit_root, raw_data_dir
from mesh_workshop.verify import equivalence
from mesh_workshop.verify.generate import Catalog

SOURCES = ("examples", "scenarios", "random")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=85, help="random proposals (default 85)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random sample")
    parser.add_argument(
        "--only", choices=SOURCES, action="append", help="only these proposals (repeatable)"
    )
    parser.add_argument(
        "--proposal",
        type=Path,
        action="append",
        help="compare this proposal file only (repeatable), e.g. a saved mismatch",
    )
    parser.add_argument("--json", type=Path, help="write every verdict and the totals here")
    parser.add_argument("--mismatches", type=Path, help="save mismatching proposals here")
    parser.add_argument("--work", type=Path, help="work folder (default: <workspace>/equivalence)")
    parser.add_argument("--no-cache", action="store_true", help="build every plain project afresh")
    parser.add_argument(
        "--fresh-dbt",
        action="store_true",
        help="check with a fresh dbt process per project, as `mesh-workshop check` does, "
        "instead of warm dbt workers",
    )
    args = parser.parse_args()
    work = (args.work or Workspace.current().equivalence).resolve()
    only = set(args.only or SOURCES)
    dbt = Path(sys.executable).parent / "dbt"
    if not dbt.is_file():
        sys.exit(f"No `dbt` beside {sys.executable}: run this with the kit's .venv/bin/python.")

    try:
        with equivalence.HarnessLock(work):
            started = time.perf_counter()
            print("Building the baseline mesh (only what changed) ...", flush=True)
            base = kit.baseline()
            cases = [
                equivalence.Case(f"files/{path.stem}", "files", path.read_text())
                for path in args.proposal or []
            ]
            if args.proposal:
                only = set()
            if "examples" in only:
                cases += equivalence.example_cases(kit_root() / "proposals" / "examples")
            if "scenarios" in only:
                cases += equivalence.scenario_cases()
            if "random" in only and args.sample > 0:
                cases += equivalence.random_cases(
                    Catalog.from_baseline(base), args.seed, args.sample
                )
            print(
                f"{len(cases)} proposals; the baseline is `{kit.workspace.committed_mesh}`.\n",
                flush=True,
            )
            plain = equivalence.PlainDbt(
                dbt,
                raw_data_dir(),
                scratch=work / "plain",
                cache=None if args.no_cache else work / "plain-cache",
            )
            with DbtWorkerPool() as pool:
                harness = equivalence.Harness(
                    equivalence.KitChecker(work / "kit", run_dbt if args.fresh_dbt else pool.run),
                    plain,
                    mismatches=args.mismatches or work / "mismatches",
                    report=lambda text: print(text, flush=True),
                )
                rows = harness.run(cases)
    except KitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    summary = equivalence.totals(rows)
    print()
    print(equivalence.format_totals(summary))
    print(f"Wall time: {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(equivalence.to_json(rows))
        print(f"Every verdict: {args.json}")
    return 1 if summary["mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())
