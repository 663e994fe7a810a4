"""Run the generator: `python -m mesh_workshop.monolith.data [--out DIR]`."""

from . import main

raise SystemExit(main())
