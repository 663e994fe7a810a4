"""Decide which project owns each model: the most specific selector wins.

Specificity: a model's `name` beats any `folder`, a deeper folder beats a shallower one, and any
folder beats a `tag`. Two projects claiming a model with equally specific selectors is an error,
and so is a model that no project claims.
"""

from __future__ import annotations

import difflib

from .index import MonolithIndex
from .plan import PlanError, Selector, SplitPlan


def _specificity(selector: Selector) -> int:
    if selector.kind == "name":
        return 1000
    if selector.kind == "folder":
        return 100 + selector.value.count("/")
    return 10


def _matches(selector: Selector, model) -> bool:
    if selector.kind == "name":
        return model.name == selector.value
    if selector.kind == "folder":
        return model.folder == selector.value or model.folder.startswith(selector.value + "/")
    return selector.value in model.tags


def assign_models(plan: SplitPlan, index: MonolithIndex, plan_file: str) -> dict[str, str]:
    """Model name -> owning project name, or a `PlanError` that says what to change."""
    _check_selectors_exist(plan, index, plan_file)
    best: dict[str, tuple[int, str, Selector]] = {}
    clashes: dict[str, set[str]] = {}
    for project in plan.projects:
        for selector in project.models:
            weight = _specificity(selector)
            for model in index.models.values():
                if not _matches(selector, model):
                    continue
                current = best.get(model.name)
                if current is None or weight > current[0]:
                    best[model.name] = (weight, project.name, selector)
                    clashes.pop(model.name, None)
                elif weight == current[0] and project.name != current[1]:
                    clashes.setdefault(model.name, {current[1]}).add(project.name)
    if clashes:
        name, projects = sorted(clashes.items())[0]
        raise PlanError(
            f"`{plan_file}`: model `{name}` is assigned to {' and '.join(sorted(projects))} "
            f"by equally specific selectors ({len(clashes)} model(s) in all).",
            f"Name it under the one project that should own it (`- name: {name}`), "
            "or narrow the folder or tag selectors so only one project claims it.",
        )
    missing = sorted(set(index.models) - set(best))
    if missing:
        shown = ", ".join(f"`{m}`" for m in missing[:8])
        more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        raise PlanError(
            f"`{plan_file}`: {len(missing)} model(s) belong to no project: {shown}{more}.",
            "Add a `folder`, `tag` or `name` selector for them under the project that should own them.",
        )
    return {name: owner for name, (_, owner, _) in sorted(best.items())}


def _check_selectors_exist(plan: SplitPlan, index: MonolithIndex, plan_file: str) -> None:
    known = {
        "name": set(index.models),
        "folder": {
            "/".join(m.folder.split("/")[: i + 1])
            for m in index.models.values()
            for i in range(m.folder.count("/") + 1)
        },
        "tag": {t for m in index.models.values() for t in m.tags},
    }
    for project in plan.projects:
        for position, selector in enumerate(project.models):
            if selector.value in known[selector.kind]:
                continue
            close = difflib.get_close_matches(selector.value, sorted(known[selector.kind]), n=1)
            hint = (
                f"Did you mean `{close[0]}`?"
                if close
                else f"Known {selector.kind}s include: "
                + ", ".join(f"`{k}`" for k in sorted(known[selector.kind])[:6])
            )
            raise PlanError(
                f"`{plan_file}`, key `projects[{project.name}].models[{position}].{selector.kind}`: "
                f"the monolith has no {selector.kind} `{selector.value}`.",
                hint,
            )
