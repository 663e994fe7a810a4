"""What grading produces, as data: one entry per submission and a summary of the class.

These models are the shape of `grades.json` (`docs/grades.schema.json` is generated from them),
and every other report (the terminal table, the gradebook, JUnit XML, the HTML page, the feedback
files, the grading notebook) reads them. Text in them may come from submissions: every report
escapes it for its own format.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

GRADES_VERSION = 1
Verdict = Literal["pass", "fail", "refused"]
Kind = Literal["decisions", "proposal", "council"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Options(_Data):
    """How a class is graded (the command line's and the notebook's options)."""

    strict_deprecations: bool = Field(
        False,
        description="Reading a deprecated model version fails the build, as with dbt's "
        "`--warn-error-options` for deprecation warnings.",
    )
    warning_cost: int = Field(
        0,
        ge=0,
        le=100,
        description="Points taken off for each governance warning the answer adds to the "
        "starting mesh (0: none).",
    )
    time_limit: float = Field(
        300.0, gt=0, le=3600, description="Seconds one submission's build may take."
    )
    scenarios: list[str] = Field(
        default_factory=list, description="Only these scenarios (empty: all)."
    )
    groups: list[str] = Field(
        default_factory=list, description="Only these groups, by name (empty: all)."
    )
    workers: int = Field(0, ge=0, le=32, description="Answers built side by side (0: the cores).")
    feedback: bool = Field(True, description="Write a feedback file beside each group's work.")


class CriterionGrade(_Data):
    id: str
    says: str
    passed: bool
    points: int = Field(description="What the criterion is worth (0 for a consequence).")
    earned: int
    detail: str
    consequence: bool = Field(False, description="Weighed by the group and shown, never counted.")


class ExplanationEntry(_Data):
    code: str
    title: str
    what_happened: str
    who_is_hit: str
    lever: str


class FindingEntry(_Data):
    code: str
    severity: Literal["error", "warning"]
    model: str
    message: str
    new: bool = Field(
        True, description="False when the starting mesh has the same finding about the model."
    )


class ProjectEntry(_Data):
    """One project of the submission's mesh, for the table and the picture."""

    name: str
    status: str = Field(description="built, up to date, failed, blocked, or not built.")
    reads: list[str] = Field(default_factory=list, description="The projects it reads from.")
    hub: bool = False


class Submission(_Data):
    source: str = Field(description="The submission's path relative to SOURCE, with `/`.")
    group: str
    scenario: str | None = Field(description="The kit's scenario, or null when it names none.")
    kind: Kind
    verdict: Verdict
    score: int
    max_score: int
    reason: str | None = Field(
        None, description="Why it was refused or did not finish, in plain words."
    )
    criteria: list[CriterionGrade] = Field(default_factory=list)
    explanations: list[ExplanationEntry] = Field(default_factory=list)
    findings: list[FindingEntry] = Field(default_factory=list)
    broken_consumers: list[str] = Field(default_factory=list)
    projects: list[ProjectEntry] = Field(default_factory=list)
    circle: list[list[str]] = Field(
        default_factory=list, description="Refs that would close a circle of projects."
    )
    answer: str | None = Field(
        None, description="The answer's key: submissions with the same key gave the same answer."
    )
    built: Literal["built", "same answer", "cached", "not built"] = Field(
        description="How its verdict was reached: built for it, shared with another submission "
        "of the same answer, taken from an earlier grading, or refused before any build."
    )
    seconds: float = Field(description="Build time of its answer (0 when not built here).")
    feedback: str | None = Field(
        None, description="Its feedback file, relative to the report folder."
    )


class CriterionCount(_Data):
    scenario: str | None
    id: str
    says: str
    met: int
    of: int


class Failure(_Data):
    what: str
    count: int


class Summary(_Data):
    submissions: int
    passed: int
    failed: int
    refused: int
    distinct_answers: int
    built: int = Field(description="Answers built with dbt in this run.")
    from_cache: int = Field(description="Answers whose verdict came from an earlier grading.")
    seconds: float
    criteria: list[CriterionCount]
    most_common_failure: Failure | None = Field(
        description="The criterion the answers that failed missed most often (refused answers "
        "are counted in `refused`), or null when none failed."
    )


class Grades(_Data):
    """The whole of `grades.json`."""

    version: Literal[1] = GRADES_VERSION
    graded_at: str
    source: str
    options: Options
    summary: Summary
    submissions: list[Submission]
