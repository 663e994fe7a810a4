"""Points: what each criterion is worth, a submission's score, and the class's summary.

A scenario's criteria carry their points (`points:` in `scenarios/<id>.yml`, 1 when not given);
a consequence is shown and worth nothing. A proposal that names no scenario of the kit, and a
Mesh Council table's final mesh (its technical policies: the passed ones once the vote closed),
are graded on their build (2 points) and on breaking no governance rule (1 point); a council's
secret missions that the kit can check are shown beside them and never counted, since they pull
against each other by design.
Each governance warning an answer adds to the starting mesh (the committed mesh, which has
warnings of its own) costs `Options.warning_cost` points, never below zero.
"""

from __future__ import annotations

from collections import Counter

from ..scenario.model import load_scenario
from .answers import Outcome, unbuilt_criteria
from .model import (
    CriterionCount,
    CriterionGrade,
    ExplanationEntry,
    Failure,
    FindingEntry,
    Options,
    ProjectEntry,
    Submission,
    Summary,
)
from .source import Found

BUILD_POINTS = 2  # the build, where the kit decides the criteria (no scenario, a council)
OTHER_POINTS = 1


def points_of(found: Found, criterion: dict) -> int:
    if criterion.get("consequence"):
        return 0
    if found.scenario is not None:
        by_id = {c.id: c.points for c in load_scenario(found.scenario).success}
        return by_id.get(criterion["id"], OTHER_POINTS)
    return BUILD_POINTS if criterion["id"] == "builds" else OTHER_POINTS


def graded(
    found: Found,
    outcome: Outcome | None,
    reason: str | None,
    options: Options,
    key: str | None,
    built: str,
    starting: frozenset[tuple[str, str]] = frozenset(),
) -> Submission:
    """`starting`: the (code, model name) of every finding the starting mesh has."""
    """One row of the class: the submission, what its answer's check said, and its points."""
    refused = outcome is None or outcome.refused
    why = reason or (outcome.reason if outcome else None)
    raw = (
        unbuilt_criteria(found.kind, found.scenario, "Refused before building: see the reason.")
        if refused
        else outcome.criteria
    )
    criteria = [
        CriterionGrade(
            id=c["id"],
            says=c["says"],
            passed=bool(c["passed"]),
            points=points_of(found, c),
            earned=points_of(found, c) if c["passed"] else 0,
            detail=c["detail"],
            consequence=bool(c.get("consequence")),
        )
        for c in raw
    ]
    counted = [c for c in criteria if not c.consequence]
    findings = [
        FindingEntry(**f, new=(f["code"], f["model"].split(".")[-1]) not in starting)
        for f in (outcome.findings if outcome else [])
    ]
    warnings = [f for f in findings if f.severity == "warning" and f.new]
    score = max(0, sum(c.earned for c in counted) - options.warning_cost * len(warnings))
    if refused:
        verdict = "refused"
    elif outcome.timed_out or not all(c.passed for c in counted):
        verdict = "fail"
    else:
        verdict = "pass"
    return Submission(
        source=found.source,
        group=found.group,
        scenario=found.scenario,
        kind=found.kind,
        verdict=verdict,
        score=0 if refused else score,
        max_score=sum(c.points for c in counted),
        reason=why,
        criteria=criteria,
        explanations=[ExplanationEntry(**e) for e in (outcome.explanations if outcome else [])],
        findings=findings,
        broken_consumers=list(outcome.broken_consumers) if outcome else [],
        projects=[ProjectEntry(**p) for p in (outcome.projects if outcome else [])],
        circle=list(outcome.circle) if outcome else [],
        answer=key,
        built=built,
        seconds=outcome.seconds if outcome and built == "built" else 0.0,
    )


def summary(rows: list[Submission], built: int, cached: int, seconds: float) -> Summary:
    counts: dict[tuple, list[int]] = {}
    says: dict[tuple, str] = {}
    failures: Counter[str] = Counter()
    for row in rows:
        for c in row.criteria:
            if c.consequence:
                continue
            key = (row.scenario if row.kind != "council" else "council", c.id)
            met_of = counts.setdefault(key, [0, 0])
            met_of[0] += c.passed
            met_of[1] += 1
            says[key] = c.says
            if not c.passed and row.verdict == "fail":
                failures[f"{key[0] or 'no scenario'}: {c.says}"] += 1
    top = failures.most_common(1)
    return Summary(
        submissions=len(rows),
        passed=sum(r.verdict == "pass" for r in rows),
        failed=sum(r.verdict == "fail" for r in rows),
        refused=sum(r.verdict == "refused" for r in rows),
        distinct_answers=len({r.answer for r in rows if r.answer}),
        built=built,
        from_cache=cached,
        seconds=round(seconds, 1),
        criteria=[
            CriterionCount(scenario=k[0], id=k[1], says=says[k], met=v[0], of=v[1])
            for k, v in sorted(counts.items(), key=lambda kv: (str(kv[0][0]), kv[0][1]))
        ],
        most_common_failure=Failure(what=top[0][0], count=top[0][1]) if top else None,
    )
