"""Widgets for the workshop notebooks: thin front ends over the package, built with ipywidgets."""

from .debrief_app import DebriefApp as DebriefApp  # the facilitator debrief notebook's app
from .scenario_app import ScenarioApp as ScenarioApp  # the scenario notebooks' app
