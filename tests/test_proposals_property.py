"""Random proposals never crash apply: they apply, or they are refused with a clear message."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings

from mesh_workshop import proposals
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
        result = proposals.apply_proposal(path, folder / "sandbox")
    except KitError as refused:
        assert refused.message and refused.hint is not None
        assert "proposal.yml" in refused.message or "logic change" in refused.message
        assert not (folder / "sandbox").exists()
    else:
        assert (result.sandbox / "proposal.yml").read_text() == path.read_text()
