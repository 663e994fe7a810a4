"""Write docs/proposal.schema.json from the proposal model (a test checks it is current)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mesh_workshop.proposal.model import Proposal

TARGET = Path(__file__).resolve().parents[1] / "docs" / "proposal.schema.json"


def schema_text() -> str:
    schema = Proposal.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Rainbow Road governance proposal (version 1)"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def main() -> int:
    TARGET.write_text(schema_text())
    print(f"wrote {TARGET.relative_to(TARGET.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
