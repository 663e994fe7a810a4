"""A class to grade, as a room and a few strangers would hand it in.

Every scenario's reference solutions and wrong answer under two group names (the second writes
its choices in another order), invalid files, hostile inputs, and one Mesh Council table. Each
entry says what its grade must be, so the tests assert every row.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from mesh_workshop.council import state as council
from mesh_workshop.paths import WORKSHOP_ENV, Workspace
from mesh_workshop.scenario.model import list_scenarios


@dataclass(frozen=True)
class Expected:
    source: str  # relative to the class folder
    verdict: str  # pass | fail | refused
    reason: str | None = None  # words the reason must hold (refused rows)
    group: str | None = None


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _decisions(root: Path, folder: str, group: str, scenario: str, choices: dict) -> str:
    rel = f"{folder}/{scenario}/decisions.yml"
    record = {
        "version": 1,
        "group": group,
        "scenario": scenario,
        "choices": choices,
        "summary": f"{group} decided.",
    }
    _write(root / rel, yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
    return rel


def write_class(root: Path) -> list[Expected]:
    expected: list[Expected] = []
    for scenario in list_scenarios():
        answers = [*scenario.solutions, scenario.wrong_answer]
        for n, answer in enumerate(answers):
            verdict = "fail" if answer is scenario.wrong_answer else "pass"
            for copy in (1, 2):
                choices = dict(answer.choices)
                if copy == 2:
                    choices = dict(reversed(list(choices.items())))
                group = f"{scenario.id} table {n}-{copy}"
                folder = group.replace(" ", "_").replace("-", "_")
                rel = _decisions(root, folder, group, scenario.id, choices)
                expected.append(Expected(rel, verdict, group=group))
    first = list_scenarios()[0]
    good = dict(first.solutions[0].choices)
    # A group name full of path tricks and markup: graded like any other, shown as text.
    rel = _decisions(root, "tricky", "../../etc/<script>alert(1)</script>", first.id, good)
    expected.append(Expected(rel, "pass", group="../../etc/<script>alert(1)</script>"))
    # A name a spreadsheet would run as a formula.
    formula = '=HYPERLINK("http://example.invalid","grades")'
    rel = _decisions(root, "formula", formula, first.id, good)
    expected.append(Expected(rel, "pass", group=formula))
    # Invalid files.
    lever = first.levers[0].id
    rel = _decisions(root, "typo", "Typo table", first.id, {**good, lever: "no_such_option"})
    expected.append(Expected(rel, "refused", "no_such_option"))
    _write(root / "broken/breaking_change/decisions.yml", "choices: [unclosed\n")
    expected.append(Expected("broken/breaking_change/decisions.yml", "refused", "not valid YAML"))
    _write(root / "proposals/empty.yml", "")
    expected.append(Expected("proposals/empty.yml", "refused", "not a proposal"))
    _write(
        root / "proposals/unknown_key.yml",
        "version: 1\ngroup: Keys\nscenario: free\ncolour: blue\n",
    )
    expected.append(Expected("proposals/unknown_key.yml", "refused", "colour"))
    # Plain proposal files, graded on build and governance alone.
    _write(
        root / "proposals/publish.yml",
        "version: 1\ngroup: Publishers\nscenario: free_form\nmodels:\n"
        "  - model: data_platform.fct_animal_outcomes\n    access: public\n",
    )
    expected.append(Expected("proposals/publish.yml", "pass", group="Publishers"))
    _write(
        root / "proposals/no_scenario.yml",
        "version: 1\ngroup: Nameless\nmodels:\n"
        "  - model: data_platform.fct_animal_outcomes\n    access: private\n",
    )
    expected.append(Expected("proposals/no_scenario.yml", "fail", group="Nameless"))
    # Hostile text: Jinja and SQL in every kind of field.
    hostile = {
        "jinja_summary.yml": ("summary: \"{{ run_query('select 1') }}\"\n", "curly braces"),
        "jinja_owner.yml": (
            'teams:\n  - name: evil\n    owner: {name: "{% do x %}", email: a@b.org}\n',
            "curly braces",
        ),
        "sql_check.yml": (
            "models:\n  - model: data_platform.fct_animal_outcomes\n    contract:\n"
            "      columns:\n        - name: animal_id\n          constraints:\n"
            '            - type: check\n              expression: "1=1); drop table x; --"\n',
            "expression",
        ),
        "path_model.yml": (
            "models:\n  - model: ../../etc.passwd\n    access: public\n",
            "model reference",
        ),
    }
    for name, (body, words) in hostile.items():
        _write(root / "strangers" / name, f"version: 1\ngroup: Stranger\nscenario: free\n{body}")
        expected.append(Expected(f"strangers/{name}", "refused", words))
    _write(
        root / "strangers/huge.yml",
        "version: 1\ngroup: Huge\nscenario: free\nsummary: " + "x" * 100_000 + "\n",
    )
    expected.append(Expected("strangers/huge.yml", "refused", "KB"))
    _write(root / "strangers/deep.yml", "[" * 3000 + "]" * 3000 + "\n")
    expected.append(Expected("strangers/deep.yml", "refused", "nests too deeply"))
    os.symlink("/etc", root / "strangers" / "escape")
    expected.append(Expected("strangers/escape", "refused", "link"))
    os.symlink("/etc/hostname", root / "strangers" / "secret.yml")
    expected.append(Expected("strangers/secret.yml", "refused", "link"))
    expected.append(_council(root))
    return expected


def _council(root: Path) -> Expected:
    """A Mesh Council table that passed one technical policy: publish the outcomes report."""
    before = os.environ.get(WORKSHOP_ENV)
    os.environ[WORKSHOP_ENV] = str(root)
    try:
        codes = council.open_council("Table North")
        council.take_seat("Table North", 1, codes[1], "Ada")
        council.propose(
            "Table North",
            1,
            codes[1],
            "Publish the outcomes report with a contract.",
            "technical",
            {"models": [{"model": "data_platform.fct_animal_outcomes", "access": "public"}]},
        )
        folder = Workspace.current().council("Table North")
    finally:
        if before is None:
            os.environ.pop(WORKSHOP_ENV)
        else:
            os.environ[WORKSHOP_ENV] = before
    return Expected(
        (folder / "state.json").relative_to(root).as_posix(), "pass", group="Council Table North"
    )
