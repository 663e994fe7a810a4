"""Rainbow Road: a workshop kit for governing a dbt Mesh.

The core modules know dbt, DuckDB and manifests; the command line (`cli`) and the notebooks
are thin front ends over the functions in `monolith`.
"""

__version__ = "0.1.0"
