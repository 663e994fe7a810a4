"""The facilitator's debrief: every group's saved answer to a scenario, side by side.

Answers are read from the workshop folder (`workshop.workshop_dir()`, shared by a whole room
when `RAINBOW_ROAD_WORKSHOP_DIR` points at one folder): each group's `decisions.yml` and, if the
group pressed "Apply & check", its `result.json`. Reading never changes a file, and a file that
cannot be read is named in `Debrief.problems` instead of stopping the debrief.

Groups that pulled every lever the same way share an *approach*. The suggested order follows the
working session's debrief: the approach most groups chose among those that solved the scenario
presents first, approaches that differ from it on few levers build on it, the most different
answer comes last.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import yaml
from tabulate import tabulate

from ..scenario.model import Scenario, list_scenarios, load_scenario
from ..yaml_input import load_text
from .folders import (
    DECISIONS_FILE,
    GROUP_FILE,
    RESULT_FILE,
    saved_answers,
    workshop_dir,
)
from .saved import SavedFileError, SavedResult, read_decisions, read_result

Value = str | tuple[str, ...] | None  # one lever's choice: an option, several, or none

SOLVED = "solved"
NOT_SOLVED = "not solved"
NOT_CHECKED = "not checked yet"


@dataclass(frozen=True)
class Answer:
    """One group's saved answer to the scenario, with the verdict of its last check."""

    group: str
    members: tuple[str, ...]
    folder: Path
    choices: dict[str, Value]  # lever id -> option value(s), as saved
    labels: dict[str, str]  # lever id -> the chosen option label(s), for people
    notes: dict[str, str]  # role title -> the group's note
    summary: str
    saved_at: str | None
    checked: bool  # a readable result.json exists
    ok: bool  # every success criterion met at the last check
    criteria_met: int
    criteria_total: int
    unmet: tuple[str, ...]  # the criteria not met, as the scenario words them
    explanation_titles: tuple[str, ...]
    error: str | None  # why the mesh could not be built, when it could not
    checked_at: str | None
    stale: bool  # the decisions were saved after the last check

    @property
    def key(self) -> tuple[tuple[str, Value], ...]:
        return tuple(sorted(self.choices.items()))

    @property
    def status(self) -> str:
        if not self.checked:
            return NOT_CHECKED
        return SOLVED if self.ok else NOT_SOLVED

    @property
    def verdict(self) -> str:
        """One line: the verdict, how many criteria were met, and whether it is out of date."""
        if not self.checked:
            return "⏳ Not checked yet"
        head = "✅ Solved" if self.ok else "❌ Not solved"
        line = f"{head} ({self.criteria_met} of {self.criteria_total} criteria)"
        if self.stale:
            line += ", but saved again after this check"
        return line

    @property
    def title(self) -> str:
        return f"{self.group} ({', '.join(self.members)})" if self.members else self.group


@dataclass(frozen=True)
class Approach:
    """Every group that pulled the levers the same way, and where it sits in the debrief."""

    letter: str
    choices: dict[str, Value]
    labels: dict[str, str]
    name: str  # the option labels that set it apart from the other approaches
    answers: tuple[Answer, ...]
    matches: str | None  # "reference solution “…”" or "tempting wrong answer “…”"
    is_wrong_answer: bool
    levers_different: tuple[str, ...]  # lever ids where it differs from the first approach
    reason: str  # why it comes at this point of the debrief

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(a.group for a in self.answers)

    @property
    def status(self) -> str:
        """Solved if a current check of it passed; checks made before a later save do not count."""
        current = [a for a in self.answers if a.checked and not a.stale]
        if not current:
            return NOT_CHECKED
        return SOLVED if any(a.ok for a in current) else NOT_SOLVED


@dataclass(frozen=True)
class Debrief:
    scenario: Scenario
    workshop: Path
    answers: tuple[Answer, ...]  # in debrief order
    approaches: tuple[Approach, ...]  # in debrief order
    problems: tuple[str, ...]  # files that could not be read, named

    def approach_of(self, group: str) -> Approach:
        return next(a for a in self.approaches if group in a.groups)

    def table(self, groups_as_columns: bool = False) -> pd.DataFrame:
        """One row per group: its approach, its option on every lever, and its verdict."""
        columns = ["Approach", *(lever.label for lever in self.scenario.levers), "Verdict"]
        rows = {
            a.group: [
                self.approach_of(a.group).letter,
                *(a.labels[lever.id] for lever in self.scenario.levers),
                a.verdict,
            ]
            for a in self.answers
        }
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
        frame.index.name = "Group"
        return frame.T if groups_as_columns else frame

    def table_markdown(self) -> str:
        if not self.answers:
            return self._nobody()
        return markdown_table(self.table())

    def approaches_markdown(self) -> str:
        if not self.approaches:
            return self._nobody()
        lines = []
        for approach in self.approaches:
            lines.append(
                f"- **Approach {approach.letter}** ({_count(approach.answers)}: "
                f"{', '.join(approach.groups)}): {approach.name}. "
                f"Verdict: {_status_text(approach.status)}."
            )
            if approach.matches:
                lines.append(f"  It is the kit's {approach.matches}.")
        return "\n".join(lines)

    def order_markdown(self) -> str:
        if not self.approaches:
            return self._nobody()
        return "\n".join(
            f"{n}. **Approach {a.letter}** ({', '.join(a.groups)}): {a.reason}"
            for n, a in enumerate(self.approaches, start=1)
        )

    def verdicts_markdown(self) -> str:
        if not self.answers:
            return self._nobody()
        blocks = []
        for a in self.answers:
            lines = [f"#### {a.title}: {a.verdict}", ""]
            when = [f"saved {_clock(a.saved_at)}"] if a.saved_at else []
            when += [f"checked {_clock(a.checked_at)}"] if a.checked_at else []
            lines.append(f"Approach {self.approach_of(a.group).letter}; {', '.join(when)}.")
            if a.summary.strip():
                lines += ["", f"> {_one_line(a.summary)}"]
            if a.error:
                lines += ["", f"The mesh could not be built: {_one_line(a.error)}"]
            if a.unmet:
                lines += ["", "Not met:", *(f"- {says}" for says in a.unmet)]
            if a.explanation_titles:
                lines += [
                    "",
                    "What the check explained:",
                    *(f"- {t}" for t in a.explanation_titles),
                ]
            if a.notes:
                lines += ["", "Notes:"]
                lines += [f"- *{role}*: {_one_line(text)}" for role, text in a.notes.items()]
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    def problems_markdown(self) -> str:
        return "\n".join(f"- ⚠️ {p}" for p in self.problems)

    def markdown(self) -> str:
        """The whole debrief as one Markdown document."""
        head = (
            f"## Debrief: {self.scenario.title}\n\n{_count(self.answers)} saved an answer in "
            f"`{self.workshop}`; {len(self.approaches)} different approach"
            f"{'' if len(self.approaches) == 1 else 'es'}."
        )
        parts = [head]
        if self.problems:
            parts.append("### Files that could not be read\n\n" + self.problems_markdown())
        parts += [
            "### Side by side\n\n" + self.table_markdown(),
            "### Approaches\n\n" + self.approaches_markdown(),
            "### Suggested order\n\n" + self.order_markdown(),
            "### What each group's check said\n\n" + self.verdicts_markdown(),
        ]
        return "\n\n".join(parts) + "\n"

    def _nobody(self) -> str:
        return f"_No group has saved an answer to this scenario in `{self.workshop}` yet._"


# Reading -----------------------------------------------------------------------------------


def collect(scenario: str | Scenario, workshop: Path | None = None) -> Debrief:
    """Every group's saved answer to `scenario`, grouped by approach, in a suggested order."""
    scenario = load_scenario(scenario) if isinstance(scenario, str) else scenario
    root = Path(workshop) if workshop is not None else workshop_dir()
    folders = saved_answers(scenario.id, root)
    answers: list[Answer] = []
    problems: list[str] = []
    for folder in folders:
        try:
            answers.append(_read_answer(scenario, folder, problems))
        except SavedFileError as problem:
            problems.append(str(problem))
    names = [a.group for a in answers]
    answers = [  # two folders claiming one name: tell them apart by folder
        replace(a, group=f"{a.group} ({a.folder.parent.name})") if names.count(a.group) > 1 else a
        for a in answers
    ]
    answers.sort(key=lambda a: (a.saved_at or "", a.group.lower()))
    approaches = _approaches(scenario, answers)
    ordered = tuple(a for approach in approaches for a in approach.answers)
    return Debrief(scenario, root, ordered, approaches, tuple(problems))


def _read_answer(scenario: Scenario, folder: Path, problems: list[str]) -> Answer:
    """One group's answer; raises `SavedFileError` when its decisions cannot be used at all.

    A result file that cannot be read, and choices the scenario does not know, are added to
    `problems`; the answer is still shown."""
    decisions_path = folder / DECISIONS_FILE
    record = read_decisions(folder)
    group = record.group or folder.parent.name
    saved = record.choices
    choices: dict[str, Value] = {}
    labels: dict[str, str] = {}
    for lever in scenario.levers:
        value, label, unknown = _choice(lever, saved.get(lever.id))
        choices[lever.id], labels[lever.id] = value, label
        if unknown:
            problems.append(
                f"`{decisions_path}`: `{unknown}` is not an option of '{lever.label}' any more; "
                "it is shown as saved."
            )
    role_titles = {role.id: role.title for role in scenario.roles}
    notes = {role_titles.get(k, k): v for k, v in record.notes.items() if v.strip()}
    saved_at = _text(record.saved_at)

    result_path = folder / RESULT_FILE
    result: SavedResult | None = None
    try:
        result = read_result(folder)
    except SavedFileError as problem:
        problems.append(f"{problem} The answer is shown as not checked yet.")
    criteria = result.criteria if result else []
    required = [c for c in criteria if not c.consequence]
    checked_at = _text(result.checked_at) if result else None
    titles = [e.title for e in (result.explanations if result else []) if e.title]
    return Answer(
        group=group,
        members=_members(folder.parent / GROUP_FILE),
        folder=folder,
        choices=choices,
        labels=labels,
        notes=notes,
        summary=record.summary,
        saved_at=saved_at,
        checked=result is not None,
        ok=bool(result and result.ok),
        criteria_met=sum(1 for c in required if c.passed is True),
        criteria_total=len(required),
        unmet=tuple(c.says or c.id or "?" for c in required if c.passed is not True),
        explanation_titles=tuple(dict.fromkeys(titles)),
        error=_text(result.error) if result else None,
        checked_at=checked_at,
        stale=result is not None
        and _saved_after_check(saved_at, checked_at, decisions_path, result_path),
    )


def _choice(lever, saved) -> tuple[Value, str, str | None]:
    """The saved value(s) for a lever, its label for people, and a value the lever lacks."""
    known = {o.value: o.label for o in lever.options}
    if saved is None or saved == []:
        return None, "(no choice)", None
    values = [str(v) for v in saved] if isinstance(saved, list) else [str(saved)]
    unknown = next((v for v in values if v not in known), None)
    label = "; ".join(known.get(v, f"`{v}` (unknown option)") for v in values)
    if lever.kind == "multi" or isinstance(saved, list):
        return tuple(sorted(values)), label, unknown
    return values[0], label, unknown


def _members(path: Path) -> tuple[str, ...]:
    try:
        record = load_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ()
    members = record.get("members") if isinstance(record, dict) else None
    return tuple(str(m) for m in members) if isinstance(members, list) else ()


def _saved_after_check(
    saved_at: str | None, checked_at: str | None, decisions: Path, result: Path
) -> bool:
    """Were the decisions saved after the check? The saved times decide; in the same second
    (they are stored to the second), the files' modification times do."""
    saved, checked = _time(saved_at), _time(checked_at)
    if saved is not None and checked is not None and saved != checked:
        return saved > checked
    try:
        return decisions.stat().st_mtime_ns > result.stat().st_mtime_ns
    except OSError:
        return False


# Approaches and order ----------------------------------------------------------------------


def _approaches(scenario: Scenario, answers: list[Answer]) -> tuple[Approach, ...]:
    by_key: dict[tuple, list[Answer]] = {}
    for answer in answers:
        by_key.setdefault(answer.key, []).append(answer)
    if not by_key:
        return ()
    drafts = [
        Approach(
            "", dict(group[0].choices), dict(group[0].labels), "", tuple(group), None, False, (), ""
        )
        for group in by_key.values()
    ]
    solved = [d for d in drafts if d.status == SOLVED]
    first = max(solved or drafts, key=lambda d: len(d.answers))  # ties: saved first wins

    def different(d: Approach) -> tuple[str, ...]:
        return tuple(
            lever.id for lever in scenario.levers if d.choices[lever.id] != first.choices[lever.id]
        )

    rank = {SOLVED: 0, NOT_CHECKED: 1, NOT_SOLVED: 2}
    rest = sorted(
        (d for d in drafts if d is not first),
        key=lambda d: (len(different(d)), -len(d.answers), rank[d.status]),
    )
    ordered = [first, *rest]
    distinguishing = [
        lever for lever in scenario.levers if len({repr(d.choices[lever.id]) for d in drafts}) > 1
    ] or list(scenario.levers)
    references = [(s.choices, f"reference solution “{s.title}”", False) for s in scenario.solutions]
    references.append(
        (
            scenario.wrong_answer.choices,
            f"tempting wrong answer “{scenario.wrong_answer.title}”",
            True,
        )
    )
    approaches = []
    for position, draft in enumerate(ordered):
        match = next(
            (
                (text, wrong)
                for choices, text, wrong in references
                if _same(scenario, choices, draft.choices)
            ),
            (None, False),
        )
        approach = Approach(
            letter=_letter(position),
            choices=draft.choices,
            labels=draft.labels,
            name=" · ".join(f"“{draft.labels[lever.id]}”" for lever in distinguishing),
            answers=draft.answers,
            matches=match[0],
            is_wrong_answer=match[1],
            levers_different=different(draft),
            reason="",
        )
        reason = _reason(scenario, approach, position, len(ordered), len(answers))
        approaches.append(replace(approach, reason=reason))
    return tuple(approaches)


def _same(scenario: Scenario, reference: dict, choices: dict[str, Value]) -> bool:
    for lever in scenario.levers:
        want = reference.get(lever.id)
        want = tuple(sorted(want)) if isinstance(want, list) else want
        if want != choices.get(lever.id):
            return False
    return True


def _reason(scenario: Scenario, approach: Approach, position: int, count: int, groups: int) -> str:
    chose = f"{len(approach.answers)} of {groups} groups chose it"
    if position == 0:
        if approach.status == SOLVED:
            reason = (
                f"Start here: {chose} and it solves the scenario, a working answer to build on."
            )
        elif approach.status == NOT_SOLVED:
            reason = f"Start here: no approach solves the scenario yet, and {chose}."
        else:
            reason = f"Start here: nothing has been checked yet, and {chose}."
        if approach.is_wrong_answer:
            reason += " It is the tempting wrong answer, so ask what made it feel right."
        return reason
    levers = [scenario.lever(lever_id) for lever_id in approach.levers_different]
    changes = "; ".join(f"{lever.label} “{approach.labels[lever.id]}”" for lever in levers)
    verdict = {
        SOLVED: "it solves the scenario too: what made them choose differently?",
        NOT_SOLVED: "it does not solve the scenario: what did the difference cost?",
        NOT_CHECKED: "it has not been checked yet: what do they expect it to do?",
    }[approach.status]
    if position == count - 1 and count >= 3:
        return (
            f"The most different answer, last: {len(levers)} of {len(scenario.levers)} levers differ "
            f"from approach A ({changes}); {verdict}"
        )
    return f"Builds on approach A, differing on {len(levers)} lever{'s' * (len(levers) != 1)} ({changes}); {verdict}"


def _letter(position: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[position % 26] + (str(position // 26 + 1) if position >= 26 else "")


def reference_markdown(scenario: str | Scenario) -> str:
    """The kit's reference solutions and its tempting wrong answer, to close the debrief with."""
    scenario = load_scenario(scenario) if isinstance(scenario, str) else scenario

    def options(choices: dict) -> str:
        picked = [_choice(scenario.lever(k), v)[1] for k, v in choices.items()]
        return " · ".join(f"“{label}”" for label in picked)

    lines = []
    for solution in scenario.solutions:
        lines += [
            f"- ✅ **{solution.title}**: {options(solution.choices)}.",
            f"  {_one_line(solution.why)}",
        ]
    wrong = scenario.wrong_answer
    lines += [
        f"- ❌ **{wrong.title}** (the tempting wrong answer): {options(wrong.choices)}.",
        f"  Why it tempts: {_one_line(wrong.why)} Why it fails: {_one_line(wrong.fails_because)}",
    ]
    return "\n".join(lines)


# Across scenarios --------------------------------------------------------------------------


def overview(workshop: Path | None = None) -> pd.DataFrame:
    """One row per group and one column per scenario: what each group has saved and checked."""
    root = Path(workshop) if workshop is not None else workshop_dir()
    scenarios = {s.id: f"{s.number}. {s.title}" for s in list_scenarios()}
    groups = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    rows: dict[str, list[str]] = {}
    for folder in groups:
        name = _group_name(folder)
        if name is None:
            continue
        rows[name] = [_scenario_status(folder / scenario_id) for scenario_id in scenarios]
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(scenarios.values()))
    frame.index.name = "Group"
    return frame


def overview_markdown(workshop: Path | None = None) -> str:
    frame = overview(workshop)
    if frame.empty:
        root = Path(workshop) if workshop is not None else workshop_dir()
        return f"_No group has saved anything in `{root}` yet._"
    return markdown_table(frame)


def _group_name(folder: Path) -> str | None:
    """The group's own name, or None for a folder that holds no group's work."""
    try:
        record = load_text((folder / GROUP_FILE).read_text(encoding="utf-8"))
        if isinstance(record, dict) and record.get("group"):
            return str(record["group"])
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        pass
    for decisions in sorted(folder.glob(f"*/{DECISIONS_FILE}")):
        try:
            record = load_text(decisions.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return folder.name
        if isinstance(record, dict) and record.get("group"):
            return str(record["group"])
        return folder.name
    return None


def _scenario_status(folder: Path) -> str:
    decisions, result = folder / DECISIONS_FILE, folder / RESULT_FILE
    if not decisions.is_file():
        return ""
    try:
        record = read_decisions(folder)
    except SavedFileError:
        return "⚠️ saved, unreadable"
    if not result.is_file():
        return "⏳ saved, not checked"
    try:
        verdict = read_result(folder)
    except SavedFileError:
        return "⚠️ saved, result unreadable"
    text = "✅ solved" if verdict.ok else "❌ not solved"
    if _saved_after_check(_text(record.saved_at), _text(verdict.checked_at), decisions, result):
        text += ", changed since"
    return text


# Small helpers -----------------------------------------------------------------------------


def markdown_table(frame: pd.DataFrame) -> str:
    """A DataFrame as a Markdown table (index first), cells kept on one line."""
    header = [_cell(h) for h in [frame.index.name or "", *map(str, frame.columns)]]
    rows = [[_cell(v) for v in [index, *row.tolist()]] for index, row in frame.iterrows()]
    return tabulate(rows, header, tablefmt="github", disable_numparse=True)


def _cell(value) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return _one_line(text).replace("|", "\\|")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _text(value) -> str | None:
    return str(value) if value not in (None, "") else None


def _time(value: str | None) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment


def _clock(value: str | None) -> str:
    moment = _time(value)
    return moment.astimezone().strftime("%d %b %H:%M") if moment else str(value)


def _count(answers) -> str:
    return f"{len(answers)} group{'' if len(answers) == 1 else 's'}"


def _status_text(status: str) -> str:
    return {SOLVED: "✅ solved", NOT_SOLVED: "❌ not solved", NOT_CHECKED: "⏳ not checked yet"}[
        status
    ]
