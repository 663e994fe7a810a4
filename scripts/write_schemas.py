"""Write the JSON Schemas in docs/ from the kit's models (a test checks they are current):
docs/proposal.schema.json (a group's proposal) and docs/grades.schema.json (grading's grades.json)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from mesh_workshop.grading.model import Grades
from mesh_workshop.proposal.model import Proposal

DOCS = Path(__file__).resolve().parents[1] / "docs"
SCHEMAS = {
    "proposal.schema.json": (Proposal, "Rainbow Road governance proposal (version 1)"),
    "grades.schema.json": (Grades, "Rainbow Road graded class: grades.json (version 1)"),
}


def schema_text(model: type[BaseModel], title: str) -> str:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def schemas() -> dict[Path, str]:
    """Each schema file and the text it should hold."""
    return {DOCS / name: schema_text(model, title) for name, (model, title) in SCHEMAS.items()}


def main() -> int:
    for path, text in schemas().items():
        path.write_text(text)
        print(f"wrote {path.relative_to(DOCS.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
