"""Hypothesis strategies for proposals: mostly malformed or half-right input, as a group might type.

Used by the property test of `apply` (random proposals apply, or are refused with a clear
message). For mostly valid proposals that pull many levers at once, see
`mesh_workshop.verify.generate`.
"""

from __future__ import annotations

from hypothesis import strategies as st

NAMES = st.sampled_from(
    [
        "fct_animal_outcomes",
        "dim_regions",
        "int_intakes_enriched",
        "volunteer_impact",
        "no_such_model",
        "Bad Name",
        "../x",
        "",
    ]
)
PROJECTS = st.sampled_from(
    ["data_platform", "people_ops", "finance_marketing", "nowhere", "Data-Platform"]
)
TEXT = st.one_of(st.text(max_size=40), st.just("{{ danger }}"), st.just("{% x %}"))
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-3, 5), TEXT, st.dates().map(str))


@st.composite
def model_refs(draw) -> str:
    return f"{draw(PROJECTS)}.{draw(NAMES)}"


@st.composite
def decisions(draw) -> dict:
    decision = {"model": draw(st.one_of(model_refs(), SCALAR))}
    optional = {
        "access": st.one_of(st.sampled_from(["private", "protected", "public", "open"]), SCALAR),
        "group": st.one_of(
            st.sampled_from(["data_platform_team", "people_ops_team", "ghost_team"]), SCALAR
        ),
        "contract": st.one_of(
            st.fixed_dictionaries(
                {"enforced": st.booleans()},
                optional={
                    "columns": st.lists(
                        st.fixed_dictionaries(
                            {
                                "name": st.sampled_from(
                                    ["outcome_id", "days_in_care", "nope", "Bad"]
                                )
                            },
                            optional={
                                "data_type": st.sampled_from(
                                    ["varchar", "integer", "intger", "decimal(14, 2)", "x;y"]
                                ),
                                "constraints": st.lists(
                                    st.sampled_from(
                                        ["not_null", "unique", "primary_key", "nonsense"]
                                    ),
                                    max_size=3,
                                ),
                            },
                        ),
                        max_size=3,
                    )
                },
            ),
            SCALAR,
        ),
        "new_versions": st.lists(
            st.fixed_dictionaries(
                {"version": st.integers(0, 4)},
                optional={
                    "exclude_columns": st.lists(
                        st.sampled_from(["intake_date", "region_id", "nope"]), max_size=2
                    ),
                    "logic_change": st.sampled_from(
                        [
                            "transfers_counted_separately",
                            "lost_animals_counted_as_non_live",
                            "unknown",
                        ]
                    ),
                },
            ),
            max_size=2,
        ),
        "latest_version": st.integers(0, 4),
        "deprecate_version": st.integers(0, 3),
        "deprecation_date": st.one_of(st.dates().map(str), TEXT),
        "logic_change": st.sampled_from(["transfers_counted_separately", "unknown_change"]),
        "rationale": TEXT,
        "unexpected": SCALAR,
    }
    for key, strategy in optional.items():
        if draw(st.booleans()) and draw(st.booleans()):
            decision[key] = draw(strategy)
    return decision


@st.composite
def proposals_data(draw) -> dict:
    data = {
        "version": draw(st.sampled_from([1, 1, 1, 2, "1"])),
        "group": draw(st.one_of(st.just("Table 1"), TEXT)),
        "scenario": draw(st.sampled_from(["breaking_change", "Bad Scenario", "x"])),
        "models": draw(st.lists(decisions(), max_size=3)),
    }
    if draw(st.booleans()):
        data["pins"] = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "consumer": st.one_of(PROJECTS, model_refs()),
                        "model": model_refs(),
                        "version": st.integers(0, 3),
                    }
                ),
                max_size=2,
            )
        )
    return data
