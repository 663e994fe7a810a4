"""Split the monolith into a mesh of dbt projects from a split plan."""

from ..mesh.graph import Boundary, Finding, ProjectCycleError
from .engine import SplitResult, plan_split, split_monolith
from .index import MonolithIndex
from .plan import PlanError, SplitPlan, load_plan

__all__ = [
    "Boundary",
    "Finding",
    "MonolithIndex",
    "PlanError",
    "ProjectCycleError",
    "SplitPlan",
    "SplitResult",
    "load_plan",
    "plan_split",
    "split_monolith",
]
