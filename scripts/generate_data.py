#!/usr/bin/env python3
"""Write Rainbow Road's raw CSV files: `python scripts/generate_data.py [--out DIR]`.

The generator is the package `mesh_workshop.monolith.data` (`python -m mesh_workshop.monolith.data`).
"""

from mesh_workshop.monolith.data import main

if __name__ == "__main__":
    raise SystemExit(main())
