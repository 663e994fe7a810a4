"""A class graded in one call: read SOURCE, build each distinct answer once, score, report.

    grades = grade(Path("workshop"), Path("grades"), Options(strict_deprecations=True))

Distinct answers are built side by side (one per core by default), each in its own sandbox, with
warm dbt workers from one pool whose processes are stopped as each answer finishes. A verdict is
kept in the workspace's grading cache under its answer's key and everything else it depends on,
so grading the class again builds only the answers that changed. One submission's problem (an
unreadable file, a hostile value, a build that never ends, a crash in the kit) becomes its own row
and never stops the batch.
"""

from __future__ import annotations

import json
import os
import queue
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..dbt.worker import DbtWorkerPool
from ..paths import Workspace, same_group_name
from ..proposal.baseline import Baseline, current_baseline
from ..proposal.logic import load_logic_changes
from ..scenario.answer import reset_sandbox
from ..verdict.governance import governance_findings, manifests_for
from ..workshop.folders import now, write_atomically
from . import answers, reports
from .answers import Answer, Outcome
from .model import Grades, Options, Submission
from .rubric import graded, summary
from .source import Found, read_source

SCRATCH = ".grading"  # in the report folder: a zip's unpacked copy


@dataclass(frozen=True)
class GradeProgress:
    done: int  # answers checked so far (built or from the cache)
    total: int  # distinct answers to check
    text: str


def grade(
    source: Path,
    out: Path | None = None,
    options: Options | None = None,
    on_progress: Callable[[GradeProgress], None] | None = None,
    pool: DbtWorkerPool | None = None,
) -> Grades:
    """Grade every submission in `source`; with `out`, write every report there."""
    options = options or Options()
    tell = on_progress or (lambda progress: None)
    started = time.perf_counter()
    source = source.expanduser().resolve()
    with tempfile.TemporaryDirectory(prefix="rr-grade-") as spare:
        scratch = (out.resolve() / SCRATCH) if out is not None else Path(spare)
        root, found = read_source(source, scratch, out.resolve() if out is not None else None)
        found = [f for f in found if _wanted(f, options)]
        tell(GradeProgress(0, 0, f"Read {len(found)} submissions"))
        baseline = current_baseline()
        logic = load_logic_changes()
        given: dict[int, Answer | str] = {}
        for i, f in enumerate(found):
            try:
                given[i] = answers.answer_of(f, baseline, logic)
            except Exception as exc:  # noqa: BLE001 - one bad submission never stops the batch
                given[i] = f"`{f.source}`: the kit could not read it ({exc.__class__.__name__})."
        starting = _starting_findings(baseline)
        distinct: dict[str, Answer] = {}
        for a in given.values():
            if isinstance(a, Answer):
                distinct.setdefault(a.key, a)
        outcomes, built_here, cached = _check_all(distinct, baseline, options, tell, pool)
        rows: list[Submission] = []
        first_of: set[str] = set()
        for i, f in enumerate(found):
            given_i = given[i]
            if isinstance(given_i, str):
                rows.append(graded(f, None, given_i, options, None, "not built", starting))
                continue
            outcome = outcomes[given_i.key]
            how = (
                "cached"
                if given_i.key not in built_here
                else ("same answer" if given_i.key in first_of else "built")
            )
            first_of.add(given_i.key)
            mine = answers.copy_outcome(outcome, f.source)
            rows.append(graded(f, mine, None, options, given_i.key, how, starting))
        result = Grades(
            graded_at=now(),
            source=str(source),
            options=options,
            summary=summary(rows, len(built_here), cached, time.perf_counter() - started),
            submissions=rows,
        )
        if out is not None:
            result = reports.write_all(result, out.resolve(), root, found, options.feedback)
        return result


def _starting_findings(baseline: Baseline) -> frozenset[tuple[str, str]]:
    """What the committed mesh is already told about governance: (code, model name)."""
    found = governance_findings(manifests_for(baseline.mesh, baseline.work_root), baseline.hub)
    return frozenset((f.code, f.model.split(".")[-1]) for f in found)


def _wanted(found: Found, options: Options) -> bool:
    if options.scenarios and (found.scenario or "") not in options.scenarios:
        return False
    if options.groups and not any(same_group_name(found.group, g) for g in options.groups):
        return False
    return True


def _check_all(
    distinct: dict[str, Answer],
    baseline,
    options: Options,
    tell: Callable[[GradeProgress], None],
    pool: DbtWorkerPool | None,
) -> tuple[dict[str, Outcome], set[str], int]:
    """Every distinct answer's outcome: from the cache, or built side by side."""
    context = answers.context_key(baseline, options.strict_deprecations)
    cache = Workspace.current().grading_cache / context
    outcomes: dict[str, Outcome] = {}
    todo: list[Answer] = []
    for key, answer in distinct.items():
        kept = _cached(cache / f"{key}.json")
        if kept is not None:
            outcomes[key] = kept
        else:
            todo.append(answer)
    cached = len(outcomes)
    total = len(distinct)
    tell(GradeProgress(cached, total, f"{cached} of {total} answers known from an earlier grading"))
    if not todo:
        return outcomes, set(), cached
    own_pool = pool is None
    pool = pool or DbtWorkerPool(timeout=options.time_limit, idle_timeout=120.0)
    workers = min(len(todo), options.workers or max(1, os.cpu_count() or 1))
    space = Workspace.current()
    # One sandbox per answer built at a time, reused answer after answer: its workers stay warm.
    # Their names are this grading's own, so two gradings in one workspace never share one.
    run_id = uuid.uuid4().hex[:8]
    slot_sandboxes = [space.grading_sandbox(f"{run_id}_{n}") for n in range(workers)]
    slots: queue.Queue[Path] = queue.Queue()
    for sandbox in slot_sandboxes:
        slots.put(sandbox)
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rr-grade") as run:
            futures = {run.submit(_build_one, a, baseline, pool, options, slots): a for a in todo}
            for future in as_completed(futures):
                answer = futures[future]
                outcome = future.result()
                outcomes[answer.key] = outcome
                if not outcome.timed_out:
                    _keep(cache / f"{answer.key}.json", outcome)
                done = len(outcomes)  # read here, in the one thread that writes it
                what = (
                    "refused"
                    if outcome.refused
                    else ("builds" if outcome.build_ok else "does not build")
                )
                tell(
                    GradeProgress(done, total, f"{answer.label}: {what} ({outcome.seconds:.1f} s)")
                )
    finally:
        for sandbox in slot_sandboxes:
            pool.release(space.mesh_build(sandbox))
            reset_sandbox(sandbox)
            _remove_empty(sandbox.parent)
        if own_pool:
            pool.close()
    return outcomes, {a.key for a in todo}, cached


def _remove_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty: something else is there, and it stays


def _build_one(
    answer: Answer, baseline, pool: DbtWorkerPool, options: Options, slots: queue.Queue[Path]
) -> Outcome:
    sandbox = slots.get()
    try:
        return answers.build(
            answer, baseline, pool, options.strict_deprecations, options.time_limit, sandbox
        )
    except Exception as exc:  # noqa: BLE001 - the batch goes on; the row says what happened
        return Outcome(
            refused=True,
            reason=f"The kit could not check this answer ({exc.__class__.__name__}: "
            f"{str(exc)[:200]}).",
            label=answer.label,
        )
    finally:
        slots.put(sandbox)


def _cached(path: Path) -> Outcome | None:
    try:
        return Outcome.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _keep(path: Path, outcome: Outcome) -> None:
    write_atomically(path, json.dumps(outcome.to_dict()))
