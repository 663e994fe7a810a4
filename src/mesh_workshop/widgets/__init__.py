"""Widgets for the workshop notebooks: thin front ends over the package, built with ipywidgets."""

from .council_room import CouncilApp as CouncilApp  # the council moderators' notebook's app
from .council_seat import SeatApp as SeatApp  # a council player's notebook's app
from .debrief_app import DebriefApp as DebriefApp  # the facilitator debrief notebook's app
from .grade_app import GradeApp as GradeApp  # the instructor's grading notebook's app
from .scenario_app import ScenarioApp as ScenarioApp  # the scenario notebooks' app
