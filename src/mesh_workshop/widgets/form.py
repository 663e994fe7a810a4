"""The decision form, generated from a scenario's levers: one widget per lever, plus a summary."""

from __future__ import annotations

import ipywidgets as w
import traitlets

from ..errors import KitError
from ..scenario.model import Choices, Lever, Scenario
from .common import classed, plain_html, plain_text

MAX_RADIO_OPTIONS = 5


class Checkboxes(w.VBox):
    """One checkbox per option; `value` is the tuple of checked option values, in option order."""

    value = traitlets.Tuple()

    def __init__(self, options: list[tuple[str, str]], value=(), **kwargs) -> None:
        self.options = list(options)
        self.boxes = {
            option: classed(
                w.Checkbox(value=option in value, description=label, indent=False),
                f"rr-option-{option}",
            )
            for label, option in self.options
        }
        super().__init__(children=list(self.boxes.values()), **kwargs)
        self._syncing = False
        self.value = self._checked()
        for box in self.boxes.values():
            box.observe(self._from_boxes, "value")
        self.observe(self._to_boxes, "value")

    def _checked(self) -> tuple[str, ...]:
        return tuple(option for option, box in self.boxes.items() if box.value)

    def _from_boxes(self, _change) -> None:
        if not self._syncing:
            self.value = self._checked()

    def _to_boxes(self, change) -> None:
        unknown = [v for v in change["new"] if v not in self.boxes]
        if unknown:
            self.value = change["old"]
            raise traitlets.TraitError(f"`{unknown[0]}` is not one of the options")
        self._syncing = True
        try:
            for option, box in self.boxes.items():
                box.value = option in change["new"]
        finally:
            self._syncing = False
        if tuple(change["new"]) != self._checked():
            self.value = self._checked()  # keep option order


def lever_widget(lever: Lever) -> w.DOMWidget:
    """RadioButtons (or a Dropdown for long lists) for a choice, checkboxes for a multi lever."""
    options = [(plain_text(option.label), option.value) for option in lever.options]
    layout = w.Layout(width="auto")
    if lever.kind == "multi":
        default = lever.default if isinstance(lever.default, list) else [lever.default]
        widget = Checkboxes(options, value=tuple(default), layout=layout)
    elif len(options) <= MAX_RADIO_OPTIONS:
        widget = w.RadioButtons(options=options, value=lever.default, layout=layout)
    else:
        widget = w.Dropdown(options=options, value=lever.default, layout=layout)
    return classed(widget, "rr-lever", f"rr-lever-{lever.id}")


def _options_help(lever: Lever) -> str:
    items = [
        f"<li><b>{plain_html(option.label)}</b>: {plain_html(option.help)}</li>"
        for option in lever.options
        if option.help.strip()
    ]
    return f"<ul style='margin:0.2em 0'>{''.join(items)}</ul>" if items else ""


class DecisionForm:
    """`levers` maps each lever id to its widget; `choices()` reads them, `set_choices` fills them."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.levers: dict[str, w.DOMWidget] = {}
        sections = []
        for lever in scenario.levers:
            widget = lever_widget(lever)
            self.levers[lever.id] = widget
            widget.observe(self._check, "value")
            intro = f"<b>{plain_html(lever.label)}</b>"
            if lever.help.strip():
                intro += f"<br><span style='color:#555'>{plain_html(lever.help)}</span>"
            if lever.kind == "multi":
                intro += "<br><i>Tick every option that is part of your answer.</i>"
            parts = [w.HTML(intro), widget]
            if _options_help(lever):
                parts.append(classed(w.HTML(_options_help(lever)), "rr-option-help"))
            sections.append(classed(w.VBox(parts), "rr-lever-section"))
        self.summary = classed(
            w.Textarea(
                placeholder="What you agreed, in a sentence.",
                layout=w.Layout(width="100%", height="4em"),
            ),
            "rr-summary",
        )
        self.problem = classed(w.HTML(), "rr-form-problem")
        self.widget = classed(
            w.VBox(
                [
                    *sections,
                    w.HTML("<b>What you agreed, in a sentence</b>"),
                    self.summary,
                    self.problem,
                ]
            ),
            "rr-decision-form",
        )

    def choices(self) -> Choices:
        return {
            lever.id: list(self.levers[lever.id].value)
            if lever.kind == "multi"
            else self.levers[lever.id].value
            for lever in self.scenario.levers
        }

    def set_choices(self, choices: Choices) -> None:
        for lever in self.scenario.levers:
            if lever.id in choices:
                value = choices[lever.id]
                self.levers[lever.id].value = tuple(value) if lever.kind == "multi" else value
        self._check()

    def _check(self, _change=None) -> None:
        """Say at once when two choices do not go together (the check would refuse them)."""
        try:
            self.scenario.check_choices(self.choices(), "These choices")
        except KitError as problem:
            self.problem.value = f"<span style='color:#b71c1c'>{plain_html(problem.message)}</span>"
        else:
            self.problem.value = ""
