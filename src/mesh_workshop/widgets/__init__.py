"""Widgets for the workshop notebooks: thin front ends over the package, built with ipywidgets."""

from .scenario_app import ScenarioApp as ScenarioApp  # the scenario notebooks' app
