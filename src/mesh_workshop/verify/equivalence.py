"""Does `mesh-workshop check` say what plain dbt says? The kit's verdict against plain dbt's.

For each proposal, the kit applies it to a sandbox and checks it, as `mesh-workshop check` does.
Then the same sandbox is copied to a fresh folder and built with plain dbt, the way the README's
"From a terminal" section does it: `RAINBOW_ROAD_MESH_DIR` set to the copy (what `mesh.env.sh`
sets), the shared macros' package copied beside it (where it sits beside `mesh_projects/`), and
`dbt deps` then `dbt build` in each project's folder in dependency order, each in a fresh `dbt`
process, going on after a failure so that every project has its own exit code. Nothing of the
kit runs on the plain side except reading the build order.

The two verdicts are then compared: the verdict on the whole mesh and each project's pass or
fail must agree (the kit's "built" and "up to date" count as pass; exit code 0 is plain dbt's
pass). Where the kit is stricter than plain dbt on purpose, the difference is expected and named
after the kit's finding (`DELIBERATE`); any other difference is a mismatch.

Plain builds are cached by content. A project's plain build outcome (its exit code, its target
folder and its DuckDB file) depends only on its own files, the outputs of the projects it reads,
the raw data, the installed Python packages, the local dbt packages it installs and today's
date (deprecation dates are compared with it). dbt builds are deterministic for identical inputs, so the cache key is a digest of exactly
those: the project folder's bytes, the keys of its upstream projects (each of which stands for
that upstream's inputs, hence for its outputs), the raw data's bytes, the package versions, the
local packages' bytes and the date. On a hit, the cached target folder and DuckDB file are copied into place instead of
building again, which is what the build would have written. The absolute folder a cached build
ran in does not matter: a downstream project reads only its upstream's manifest nodes (names,
relations, access, versions) through dbt-loom and its tables through DuckDB. Only projects that
another project reads keep their target folder and DuckDB file in the cache; for the others the
exit code is all that counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

import yaml
from filelock import FileLock, Timeout
from tabulate import tabulate

from ..dbt.packages import shared_packages
from ..errors import KitError
from ..mesh.layout import read_mesh

MATCH = "match"
EXPECTED = "expected difference"
REFUSED = "refused by both"
MISMATCH = "MISMATCH"

# The kit's findings that fail its verdict where plain dbt builds without complaint, on purpose.
DELIBERATE = {
    "private_violation": (
        "a model reads a private model from outside its group; dbt-loom lets such reads through, "
        "the kit does not"
    ),
    "project_cycle": "projects read each other in a circle, which dbt-loom does not notice",
}
KIT_PASSES = frozenset({"built", "up to date"})
PACKAGES = ("dbt-core", "dbt-duckdb", "dbt-loom", "duckdb")
_LOCKED = "Could not set lock on file"
_TARGET_KEPT = ("manifest.json", "run_results.json", "semantic_manifest.json")


# --- verdicts and how they compare ------------------------------------------------------------


@dataclass(frozen=True)
class ProjectVerdict:
    name: str
    passed: bool
    status: str  # the kit: built | up to date | failed | blocked ...; plain dbt: exit 0, exit 1 ...
    cached: bool = False
    why: str = ""  # for a project that failed: the first lines that say why


@dataclass(frozen=True)
class Outcome:
    """One side's verdict on one proposal."""

    ok: bool = False
    projects: tuple[ProjectVerdict, ...] = ()
    refused: bool = False  # the proposal was refused as invalid (exit code 2), nothing was built
    error_codes: tuple[str, ...] = ()  # the kit's error findings
    problem: str = ""  # why this side could not give a verdict at all
    seconds: float = 0.0

    @property
    def cached(self) -> int:
        return sum(p.cached for p in self.projects)


@dataclass(frozen=True)
class Comparison:
    result: str  # MATCH | EXPECTED | REFUSED | MISMATCH
    name: str = ""  # the expected difference's findings, or the kind of mismatch
    detail: str = ""


def compare(kit: Outcome, plain: Outcome) -> Comparison:
    """The kit's verdict against plain dbt's, for one proposal."""
    if kit.refused or plain.refused:
        if kit.refused and plain.refused:
            return Comparison(REFUSED, "refused", _first_line(kit.problem))
        side = "the kit" if kit.refused else "plain dbt"
        return Comparison(MISMATCH, f"refused by {side} only", _first_line(kit.problem))
    if kit.problem:
        return Comparison(MISMATCH, "the kit gave no verdict", _first_line(kit.problem))
    if plain.problem:
        return Comparison(MISMATCH, "plain dbt gave no verdict", _first_line(plain.problem))
    ours = {p.name: p for p in kit.projects}
    theirs = {p.name: p for p in plain.projects}
    if set(ours) != set(theirs):
        return Comparison(
            MISMATCH,
            "different projects",
            f"kit: {', '.join(ours)}; plain dbt: {', '.join(theirs)}",
        )
    differ = [name for name in ours if ours[name].passed != theirs[name].passed]
    if differ:
        kinds = sorted(
            {
                f"kit `{ours[n].status}` where plain dbt "
                + ("passes" if theirs[n].passed else "fails")
                for n in differ
            }
        )
        detail = ", ".join(
            f"{n}: kit {ours[n].status}, plain dbt {theirs[n].status}" for n in differ
        )
        return Comparison(MISMATCH, "; ".join(kinds), detail)
    if kit.ok == plain.ok:
        return Comparison(MATCH)
    if plain.ok:
        unknown = [c for c in kit.error_codes if c not in DELIBERATE]
        if kit.error_codes and not unknown:
            names = ", ".join(kit.error_codes)
            return Comparison(EXPECTED, names, "; ".join(DELIBERATE[c] for c in kit.error_codes))
        if unknown:
            return Comparison(
                MISMATCH,
                f"kit fails on `{'`, `'.join(unknown)}` where plain dbt passes",
                "every project builds in both",
            )
        return Comparison(MISMATCH, "kit fails where plain dbt passes", "no error finding says why")
    return Comparison(MISMATCH, "kit passes where plain dbt fails", "every project passes in both")


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


# --- the proposals ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One proposal to compare."""

    name: str  # examples/<file>, scenarios/<scenario>/<answer>, random/<seed>-<n>
    source: str  # examples | scenarios | random
    text: str  # the proposal file's YAML


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def example_cases(folder: Path) -> list[Case]:
    return [
        Case(f"examples/{path.stem}", "examples", path.read_text())
        for path in sorted(folder.glob("*.yml"))
    ]


def scenario_cases() -> list[Case]:
    """Each scenario's starting point (the form untouched), its reference solutions and its
    wrong answer, as the proposal a group's form writes for them."""
    from ..scenario.model import list_scenarios

    cases = []
    for scenario in list_scenarios():
        answers = [("defaults", scenario.default_choices())]
        answers += [(s.id, s.choices) for s in scenario.solutions]
        answers += [(scenario.wrong_answer.id, scenario.wrong_answer.choices)]
        for answer, choices in answers:
            data = scenario.proposal_dict(dict(choices), "Equivalence table")
            cases.append(Case(f"scenarios/{scenario.id}/{answer}", "scenarios", _dump(data)))
    return cases


def random_cases(catalog, seed: int, count: int) -> list[Case]:
    from .generate import random_proposals

    return [
        Case(f"random/{name}", "random", _dump(data))
        for name, data in random_proposals(catalog, seed, count)
    ]


# --- plain dbt --------------------------------------------------------------------------------


def _digest_folder(folder: Path, digest) -> None:
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or {"target", "logs", "dbt_packages"} & set(relative.parts):
            continue
        if path.name == "package-lock.yml":  # written by `dbt deps`
            continue
        if path.suffix in {".duckdb", ".wal"}:
            continue
        digest.update(str(relative).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def environment_key(
    raw_dir: Path, today: dt.date | None = None, packages: Sequence[Path] = ()
) -> str:
    """What every plain build depends on besides the projects' own files: the Python packages,
    the date, the raw data and the local dbt packages the projects install."""
    digest = hashlib.sha256()
    for package in PACKAGES:
        try:
            digest.update(f"{package}=={metadata.version(package)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} missing\n".encode())
    digest.update(str(today or dt.date.today()).encode())
    _digest_folder(raw_dir, digest)
    for package in packages:
        digest.update(f"dbt package {package.name}\n".encode())
        _digest_folder(package, digest)
    return digest.hexdigest()


class PlainDbt:
    """Builds a copy of a mesh folder with plain `dbt deps` and `dbt build` per project, caching
    by content.

    `packages` are the local dbt packages the projects' `packages.yml` name (default: the kit's
    shared macros). Each copy gets its own copy of them beside the mesh folder, where they sit
    beside `mesh_projects/` in the kit, so the projects' relative `local:` paths find them."""

    def __init__(
        self,
        dbt: Path,
        raw_dir: Path,
        scratch: Path,
        cache: Path | None = None,
        parallel: int = 2,
        timeout: float = 1800.0,
        packages: Sequence[Path] | None = None,
    ) -> None:
        self.dbt = Path(dbt)
        self.raw_dir = Path(raw_dir)
        self.scratch = Path(scratch)
        self.cache = Path(cache) if cache else None
        self.parallel = max(1, parallel)
        self.timeout = timeout
        self.packages = tuple(
            Path(p) for p in (shared_packages() if packages is None else packages)
        )
        self.environment = environment_key(self.raw_dir, packages=self.packages)
        self._one_at_a_time = threading.Lock()

    def copy(self, mesh_dir: Path) -> Path:
        """A fresh copy of the mesh folder and of the local packages, with nothing built in it."""
        self.scratch.mkdir(parents=True, exist_ok=True)
        copy = Path(tempfile.mkdtemp(prefix="plain-", dir=self.scratch)) / "mesh"
        output = shutil.ignore_patterns(
            "target", "logs", "*.duckdb", "*.wal", "dbt_packages", "package-lock.yml"
        )
        shutil.copytree(mesh_dir, copy, ignore=output)
        for package in self.packages:
            shutil.copytree(package, copy.parent / package.name, ignore=output)
        return copy

    def build(self, mesh_dir: Path, keep: bool = False) -> Outcome:
        """Copy `mesh_dir` and build the copy; the copy is removed afterwards unless `keep`."""
        return self.build_copy(self.copy(mesh_dir), keep)

    def build_copy(self, copy: Path, keep: bool = False) -> Outcome:
        started = time.perf_counter()
        try:
            try:
                layout = read_mesh(copy)  # the build order; the only kit code on this side
            except KitError as exc:
                return Outcome(problem=str(exc), seconds=time.perf_counter() - started)
            return self._build_all(layout, started)
        except Exception as exc:  # a crash here must not end a long run
            problem = f"the plain build stopped with {type(exc).__name__}: {exc}"
            return Outcome(problem=problem, seconds=time.perf_counter() - started)
        finally:
            if not keep:
                shutil.rmtree(copy.parent, ignore_errors=True)

    def _build_all(self, layout, started: float) -> Outcome:
        """Every project in dependency order; side by side when they do not read each other."""
        keys: dict[str, str] = {}
        done: dict[str, ProjectVerdict] = {}
        waiting = list(layout.projects)
        read = {u for p in layout.projects for u in p.upstreams}  # their outputs are needed
        with ThreadPoolExecutor(max_workers=self.parallel) as threads:
            while waiting:
                wave = [p for p in waiting if all(u in done for u in p.upstreams)]
                wave = wave[: self.parallel]
                for project in wave:
                    keys[project.name] = self.key(
                        project.name, project.project_dir, [keys[u] for u in project.upstreams]
                    )
                built = threads.map(
                    lambda p: self._project(p.name, p.project_dir, keys[p.name], p.name in read),
                    wave,
                )
                for project, verdict in zip(wave, built, strict=True):
                    done[project.name] = verdict
                waiting = [p for p in waiting if p.name not in done]
        projects = tuple(done[p.name] for p in layout.projects)
        return Outcome(
            ok=all(p.passed for p in projects),
            projects=projects,
            seconds=time.perf_counter() - started,
        )

    def key(self, name: str, folder: Path, upstream_keys: Sequence[str]) -> str:
        digest = hashlib.sha256()
        digest.update(f"{self.environment}\n{name}\n".encode())
        for upstream in upstream_keys:
            digest.update(f"upstream {upstream}\n".encode())
        _digest_folder(folder, digest)
        return digest.hexdigest()

    def env(self, mesh_dir: Path) -> dict[str, str]:
        """The terminal of README's "From a terminal": the venv activated, `mesh.env.sh` sourced."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DBT_", "RAINBOW_ROAD_", "MESH_WORKSHOP_"))
        }
        venv_bin = str(self.dbt.parent)
        env["PATH"] = os.pathsep.join([venv_bin, env.get("PATH", "")])
        env["VIRTUAL_ENV"] = str(self.dbt.parent.parent)
        env["RAINBOW_ROAD_MESH_DIR"] = str(mesh_dir)
        env["RAINBOW_ROAD_RAW_DIR"] = str(self.raw_dir)
        env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
        return env

    def _project(self, name: str, folder: Path, key: str, read: bool) -> ProjectVerdict:
        """Build one project, or take its outcome from the cache. Only a project that another
        project reads needs its target folder and DuckDB file; a project nobody reads is cached
        with its exit code and output alone, and built again if it is read some other time."""
        cached = self._restore(key, folder, read)
        if cached is not None:
            output = (self.cache / key / "output.txt").read_text() if cached else ""
            return ProjectVerdict(name, cached == 0, f"exit {cached}", True, _why(output))
        code, output = self._dbt_build(folder)
        if _LOCKED in output:
            # Another build in this copy held a DuckDB file: build this one again on its own, from
            # a clean folder, as the sequential loop in the README would have.
            with self._one_at_a_time:
                _clean(folder)
                code, output = self._dbt_build(folder)
        self._store(key, folder, code, output, read)
        return ProjectVerdict(name, code == 0, f"exit {code}", why=_why(output) if code else "")

    def _dbt_build(self, folder: Path) -> tuple[int, str]:
        """`dbt deps` (when the project names packages), then `dbt build`, as the README says."""
        output = ""
        for command in ("deps", "build"):
            if command == "deps" and not (folder / "packages.yml").is_file():
                continue
            try:
                proc = subprocess.run(
                    [str(self.dbt), command],
                    cwd=folder,
                    env=self.env(folder.parent),
                    capture_output=True,
                    text=True,
                    timeout=self.timeout,
                )
            except subprocess.TimeoutExpired as exc:
                return 124, output + f"dbt {command} did not finish within {exc.timeout:g} s"
            output += proc.stdout + proc.stderr
            if proc.returncode:
                return proc.returncode, output
        return 0, output

    def _restore(self, key: str, folder: Path, outputs: bool) -> int | None:
        if self.cache is None:
            return None
        entry = self.cache / key
        result = entry / "result.json"
        if not result.is_file():
            return None
        recorded = json.loads(result.read_text())
        if outputs and not recorded.get("outputs", True):
            return None
        code = recorded["exit_code"]
        if not outputs:
            return code
        if (entry / "target").is_dir():
            shutil.copytree(entry / "target", folder / "target", dirs_exist_ok=True)
        for warehouse in entry.glob("*.duckdb"):
            shutil.copy2(warehouse, folder / warehouse.name)
        return code

    def _store(self, key: str, folder: Path, code: int, output: str, outputs: bool) -> None:
        if self.cache is None:
            return
        self.cache.mkdir(parents=True, exist_ok=True)
        entry = self.cache / key
        if (entry / "result.json").is_file():
            if not outputs or json.loads((entry / "result.json").read_text()).get("outputs", True):
                return
        staging = Path(tempfile.mkdtemp(prefix=".entry-", dir=self.cache))
        try:
            target = folder / "target"
            for name in _TARGET_KEPT if outputs else ():
                if (target / name).is_file():
                    (staging / "target").mkdir(exist_ok=True)
                    shutil.copy2(target / name, staging / "target" / name)
            for warehouse in folder.glob("*.duckdb") if outputs else ():
                shutil.copy2(warehouse, staging / warehouse.name)
            (staging / "output.txt").write_text(output[-20000:])
            (staging / "result.json").write_text(
                json.dumps({"exit_code": code, "outputs": outputs})
            )
            if entry.exists():  # an entry without outputs, now that they are needed
                shutil.rmtree(entry)
            os.replace(staging, entry)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)


def _why(output: str, lines: int = 6) -> str:
    """The lines of dbt's output that say what failed."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)
    found = [
        line.strip()
        for line in plain.splitlines()
        if re.search(r"Error|error|FAIL|not found|not allowed|does not exist", line)
        and "Completed with" not in line
    ]
    return "\n".join(found[:lines])[:1500]


def _clean(folder: Path) -> None:
    for name in ("target", "logs"):
        shutil.rmtree(folder / name, ignore_errors=True)
    for path in [*folder.glob("*.duckdb"), *folder.glob("*.wal")]:
        path.unlink(missing_ok=True)


# --- the kit ----------------------------------------------------------------------------------


def kit_outcome(result, seconds: float = 0.0) -> Outcome:
    """A `check.CheckResult` as an `Outcome`."""
    projects = tuple(
        ProjectVerdict(
            p.name,
            p.status in KIT_PASSES,
            p.status,
            why="" if p.status in KIT_PASSES else _kit_why(p),
        )
        for p in result.build.projects
    )
    codes = tuple(sorted({f.code for f in result.findings if f.severity == "error"}))
    return Outcome(ok=result.ok, projects=projects, error_codes=codes, seconds=seconds)


def _kit_why(outcome) -> str:
    """Why the kit says a project (a `mesh_build.ProjectOutcome`) did not pass."""
    result = outcome.result
    failed = [n.label for n in result.failed_nodes] if result else []
    said = _why("\n".join(filter(None, [outcome.note, result.error if result else ""])))
    lines = [f"failed: {', '.join(failed[:6])}"] if failed else []
    return "\n".join(filter(None, [*lines, said or _first_line(outcome.note)]))


class KitChecker:
    """Applies and checks proposals the way `mesh-workshop check` does, in one sandbox."""

    def __init__(self, folder: Path, runner=None) -> None:
        self.folder = Path(folder)
        self.runner = runner

    @property
    def sandbox(self) -> Path:
        return self.folder / "mesh"

    def check(self, case: Case) -> Outcome:
        from ..dbt.runner import run_dbt
        from ..proposal.baseline import current_baseline
        from ..scenario import answer

        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / "proposal.yml"
        path.write_text(case.text)
        started = time.perf_counter()
        try:
            baseline = current_baseline()
            answer.apply_proposal(path, self.sandbox, baseline)
        except KitError as exc:
            return Outcome(refused=True, problem=str(exc), seconds=time.perf_counter() - started)
        except Exception as exc:
            problem = f"applying stopped with {type(exc).__name__}: {exc}"
            return Outcome(problem=problem, seconds=time.perf_counter() - started)
        try:
            result = answer.check(self.sandbox, runner=self.runner or run_dbt, baseline=baseline)
        except KitError as exc:
            return Outcome(problem=str(exc), seconds=time.perf_counter() - started)
        except Exception as exc:  # a crash is a verdict too: the kit had nothing to say
            problem = f"the check stopped with {type(exc).__name__}: {exc}"
            return Outcome(problem=problem, seconds=time.perf_counter() - started)
        return kit_outcome(result, time.perf_counter() - started)


# --- running and reporting --------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    case: Case
    kit: Outcome
    plain: Outcome
    comparison: Comparison
    saved_as: str = ""


@dataclass
class Harness:
    """Runs cases through the kit and plain dbt, one after another, and says how they compare."""

    kit: KitChecker
    plain: PlainDbt
    mismatches: Path | None = None  # where mismatching proposals are saved
    overlap: bool = True
    report: Callable[[str], None] = print
    rows: list[Row] = field(default_factory=list)

    def run(self, cases: Iterable[Case]) -> list[Row]:
        """Compare each case. With `overlap`, plain dbt builds one proposal's copy while the kit
        checks the next one (plain dbt builds the hub alone, which leaves a core free)."""
        cases = list(cases)
        pending: tuple[int, Case, Outcome, Future] | None = None
        with ThreadPoolExecutor(max_workers=1) as background:
            for number, case in enumerate(cases, start=1):
                kit = self.kit.check(case)
                if kit.refused or kit.problem:
                    # Nothing was written (or the kit stopped): nothing for plain dbt to build.
                    plain: Future = Future()
                    plain.set_result(
                        Outcome(refused=True) if kit.refused else Outcome(problem="not built")
                    )
                else:
                    copy = self.plain.copy(self.kit.sandbox)
                    plain = background.submit(self.plain.build_copy, copy)
                if pending:
                    self._finish(*pending, len(cases))
                pending = (number, case, kit, plain)
                if not self.overlap:
                    self._finish(*pending, len(cases))
                    pending = None
            if pending:
                self._finish(*pending, len(cases))
        return self.rows

    def _finish(
        self, number: int, case: Case, kit: Outcome, plain_done: Future, total: int
    ) -> None:
        plain = plain_done.result()
        comparison = compare(kit, plain)
        row = Row(case, kit, plain, comparison, self._save(case, kit, plain, comparison))
        self.rows.append(row)
        self.report(f"[{number}/{total}] " + format_row(row))

    def _save(self, case: Case, kit: Outcome, plain: Outcome, comparison: Comparison) -> str:
        if comparison.result != MISMATCH or self.mismatches is None:
            return ""
        self.mismatches.mkdir(parents=True, exist_ok=True)
        path = self.mismatches / (case.name.replace("/", "__") + ".yml")
        header = [f"# Mismatch: {comparison.name}"]
        header += [f"# {comparison.detail}"] if comparison.detail else []
        header += [f"# {line}" for line in _project_table(kit, plain).splitlines()]
        for side, outcome in (("kit", kit), ("plain dbt", plain)):
            for project in outcome.projects:
                header += [f"# {side}, {project.name}: {line}" for line in project.why.splitlines()]
        path.write_text("\n".join(header) + "\n" + case.text)
        return str(path)


def _verdict(outcome: Outcome) -> str:
    if outcome.refused:
        return "refused"
    if outcome.problem:
        return "no verdict"
    return "passes" if outcome.ok else "fails"


def _project_table(kit: Outcome, plain: Outcome) -> str:
    theirs = {p.name: p for p in plain.projects}
    rows = []
    for ours in kit.projects:
        other = theirs.get(ours.name)
        shown = "-"
        if other:
            shown = ("passes" if other.passed else "fails") + f" ({other.status}"
            shown += ", cached)" if other.cached else ")"
        rows.append((ours.name, ours.status, shown))
    for name in theirs.keys() - {p.name for p in kit.projects}:
        rows.append((name, "-", theirs[name].status))
    codes = f" [{', '.join(kit.error_codes)}]" if kit.error_codes else ""
    rows.append(("verdict", _verdict(kit) + codes, _verdict(plain)))
    header = ("project", "kit", "plain dbt")
    return tabulate(rows, header, tablefmt="plain", disable_numparse=True)


def format_row(row: Row) -> str:
    """One proposal's comparison, as the harness prints it."""
    c = row.comparison
    title = f"{row.case.name}: {c.result}" + (
        f" ({c.name})" if c.name and c.result != MATCH else ""
    )
    if c.result == REFUSED:
        return f"{title}\n    {c.detail}"
    lines = [title]
    if c.result == MISMATCH and c.detail:
        lines.append(f"    {c.detail}")
        for side, outcome in (("kit", row.kit), ("plain dbt", row.plain)):
            for project in outcome.projects:
                lines += [f"    {side}, {project.name}: {w}" for w in project.why.splitlines()]
    if row.kit.projects or row.plain.projects:
        lines += [f"    {line}" for line in _project_table(row.kit, row.plain).splitlines()]
    elif row.kit.problem or row.plain.problem:
        lines.append(f"    {_first_line(row.kit.problem or row.plain.problem)}")
    projects = len(row.plain.projects)
    lines.append(
        f"    kit {row.kit.seconds:.1f} s, plain dbt {row.plain.seconds:.1f} s"
        + (f" ({row.plain.cached} of {projects} projects from the cache)" if projects else "")
    )
    if row.saved_as:
        lines.append(f"    saved as {row.saved_as}")
    return "\n".join(lines)


def totals(rows: Sequence[Row]) -> dict:
    by_result = Counter(r.comparison.result for r in rows)
    expected = Counter(r.comparison.name for r in rows if r.comparison.result == EXPECTED)
    mismatches: dict[str, list[str]] = {}
    for r in rows:
        if r.comparison.result == MISMATCH:
            mismatches.setdefault(r.comparison.name, []).append(r.case.name)
    built = [r for r in rows if not r.kit.refused]
    kit_times = [r.kit.seconds for r in built if not r.kit.problem]
    plain_fresh = [r.plain.seconds for r in built if r.plain.projects and not r.plain.cached]
    return {
        "proposals": len(rows),
        "by_source": dict(Counter(r.case.source for r in rows)),
        "matching": by_result[MATCH],
        "expected_differences": dict(expected),
        "refused_by_both": by_result[REFUSED],
        "mismatches": sum(len(v) for v in mismatches.values()),
        "mismatch_kinds": mismatches,
        "kit_seconds_median": statistics.median(kit_times) if kit_times else None,
        "plain_seconds_median_uncached": statistics.median(plain_fresh) if plain_fresh else None,
        "plain_seconds_total": sum(r.plain.seconds for r in rows),
        "kit_seconds_total": sum(r.kit.seconds for r in rows),
        "plain_projects_built": sum(len(r.plain.projects) for r in rows),
        "plain_projects_from_cache": sum(r.plain.cached for r in rows),
    }


def format_totals(summary: dict) -> str:
    sources = ", ".join(f"{k} {v}" for k, v in summary["by_source"].items())
    lines = [
        f"Proposals: {summary['proposals']} ({sources})",
        f"  same verdict:          {summary['matching']}",
        f"  expected differences:  {sum(summary['expected_differences'].values())}",
    ]
    for name, count in sorted(summary["expected_differences"].items()):
        lines.append(
            f"    {name}: {count} ({'; '.join(DELIBERATE.get(c, c) for c in name.split(', '))})"
        )
    lines += [
        f"  refused by both:       {summary['refused_by_both']}",
        f"  MISMATCHES:            {summary['mismatches']}",
    ]
    for kind, names in sorted(summary["mismatch_kinds"].items()):
        lines.append(f"    {kind}: {len(names)} (for example {names[0]})")
    kit, plain = summary["kit_seconds_median"], summary["plain_seconds_median_uncached"]
    lines.append(
        "Time: kit "
        + (f"median {kit:.1f} s" if kit is not None else "-")
        + f" (total {summary['kit_seconds_total']:.0f} s), plain dbt "
        + (f"median {plain:.1f} s with nothing cached" if plain is not None else "-")
        + f" (total {summary['plain_seconds_total']:.0f} s); "
        + f"{summary['plain_projects_from_cache']} of {summary['plain_projects_built']} "
        + "plain project builds came from the cache."
    )
    return "\n".join(lines)


def to_json(rows: Sequence[Row]) -> str:
    return json.dumps(
        {"totals": totals(rows), "proposals": [asdict(r) for r in rows]}, indent=2, default=str
    )


@dataclass
class HarnessLock:
    """One harness at a time per work folder: they share the kit's sandbox and the cache."""

    folder: Path
    _handle: object = None

    def __enter__(self) -> HarnessLock:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._handle = FileLock(self.folder / ".lock")
        try:
            self._handle.acquire(timeout=0)
        except Timeout:
            raise KitError(
                f"Another equivalence run is using `{self.folder}`.",
                "Wait for it to finish, or give this run another folder with --work.",
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.release()
