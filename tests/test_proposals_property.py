"""Random proposals never crash apply: they apply, or they are refused with a clear message."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesh_workshop.api import kit
from mesh_workshop.errors import KitError
from proposal_strategies import proposals_data


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=proposals_data())
def test_random_proposals_apply_or_are_refused_clearly(built_mesh, tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("random")
    path = folder / "proposal.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    try:
        result = kit.apply(path, folder / "sandbox")
    except KitError as refused:
        assert refused.message and refused.hint is not None
        assert "proposal.yml" in refused.message or "logic change" in refused.message
        assert not (folder / "sandbox").exists()
    else:
        assert (result.sandbox / "proposal.yml").read_text() == path.read_text()


# Text the YAML loader itself turns down or turns into surprises: dates that are not on the
# calendar, tags that force a type, repeated keys, aliases, stray characters.
_DAY = st.tuples(st.integers(1990, 2099), st.integers(0, 14), st.integers(0, 33)).map(
    lambda d: f"{d[0]:04d}-{d[1]:02d}-{d[2]:02d}"
)
_RAW_VALUE = st.one_of(
    _DAY,
    _DAY.map(lambda d: f"!!timestamp {d}"),
    st.sampled_from(["!!int", "!!float", "!!bool", "!!binary", "!!str", "!!null", "!!set"]).flatmap(
        lambda tag: st.text(alphabet="abc123*&!:-.", max_size=8).map(lambda v: f"{tag} {v}")
    ),
    st.just("*nowhere"),
    st.just("!!python/object/apply:os.system ['true']"),
    st.text(alphabet="[]{}:,'\"&*!|>%@`#\t", min_size=1, max_size=6),
)
_RAW_KEY = st.sampled_from(
    ["deprecation_date", "latest_version", "deprecate_version", "access", "group", "rationale"]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=_RAW_KEY, value=_RAW_VALUE, twice=st.booleans())
def test_values_the_yaml_loader_rejects_are_refused_clearly(
    built_mesh, tmp_path_factory, key, value, twice
):
    folder = tmp_path_factory.mktemp("loader")
    path = folder / "proposal.yml"
    lines = [
        "version: 1",
        "group: Table 9",
        "scenario: breaking_change",
        "models:",
        "  - model: data_platform.fct_animal_outcomes",
        "    new_versions: [{version: 2}]",
        f"    {key}: {value}",
    ]
    if twice:
        lines.append(f"    {key}: {value}")
    path.write_text("\n".join(lines) + "\n")
    try:
        kit.apply(path, folder / "sandbox")
    except KitError as refused:
        assert "proposal.yml" in refused.message, refused.message
        assert refused.hint, "every refusal says what to do next"
        assert "Traceback" not in str(refused)
        assert not (folder / "sandbox").exists()
