"""The scenario card: the story, the fault in the group's copy, a tab per role, prompts, hints."""

from __future__ import annotations

import ipywidgets as w

from ..scenario.model import Role, Scenario
from .common import classed, heading, markdown_output

NOTES_PLACEHOLDER = "What this role wants, what it will not accept, what it could live with."


def role_markdown(role: Role) -> str:
    lines = [
        f"**{role.title}**, team `{role.team}`",
        "",
        role.brief.strip(),
        "",
        "**What you want**",
        "",
    ]
    lines += [f"- {item}" for item in role.interests]
    lines += ["", "**What is pressing on you**", ""]
    lines += [f"- {item}" for item in role.pressures]
    return "\n".join(lines)


def tab_title(role: Role) -> str:
    """A role's title without what follows it in brackets (the tab's brief shows it whole), so
    that every role's tab fits side by side."""
    return role.title.split(" (")[0]


class ScenarioCard:
    """Everything a group reads before deciding. `notes` maps each role id to its Textarea."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.story = markdown_output(scenario.story, "rr-story")
        self.fault = markdown_output(
            f"**{scenario.fault.title}.** {scenario.fault.description.strip()}", "rr-fault"
        )
        self.notes: dict[str, w.Textarea] = {}
        pages = []
        for role in scenario.roles:
            notes = classed(
                w.Textarea(
                    placeholder=NOTES_PLACEHOLDER,
                    layout=w.Layout(width="100%", height="6em"),
                ),
                "rr-notes",
                f"rr-notes-{role.id}",
            )
            self.notes[role.id] = notes
            pages.append(
                w.VBox(
                    [
                        markdown_output(role_markdown(role), "rr-role-brief"),
                        w.HTML("<b>Notes for this role</b> (saved with your decision)"),
                        notes,
                    ]
                )
            )
        self.roles = classed(
            w.Tab(children=pages, titles=[tab_title(role) for role in scenario.roles]),
            "rr-role-tabs",
        )
        self.prompts = markdown_output(
            "\n".join(f"{i}. {prompt}" for i, prompt in enumerate(scenario.prompts, 1)),
            "rr-prompts",
        )
        self.hints = classed(
            w.Accordion(
                children=[markdown_output(hint) for hint in scenario.hints],
                titles=[f"Hint {i}" for i in range(1, len(scenario.hints) + 1)],
                selected_index=None,
            ),
            "rr-hints",
        )
        self.widget = classed(
            w.VBox(
                [
                    heading("The story"),
                    self.story,
                    heading("Already broken in your copy of the mesh"),
                    self.fault,
                    heading("Your roles: one each, read your own tab"),
                    self.roles,
                    heading("Talk it through"),
                    self.prompts,
                    heading("Stuck? Open one hint at a time"),
                    self.hints,
                ]
            ),
            "rr-scenario-card",
        )
