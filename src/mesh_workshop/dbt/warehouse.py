"""Read query results from a built DuckDB warehouse without ever holding its lock for long."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from ..errors import WarehouseMissing
from .runner import locked_error

_HOLDER_RE = re.compile(r"Conflicting lock is held in (?P<holder>.+?) \(PID (?P<pid>\d+)\)")


@contextmanager
def connect(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, closed on exit, so the next build can take the file."""
    if not path.is_file():
        raise WarehouseMissing(
            f"The warehouse `{path}` has not been built yet.",
            "Build it first: run the build cell above, or `mesh-workshop monolith build`.",
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        match = _HOLDER_RE.search(str(exc))
        if match:
            raise locked_error(str(path), match["holder"], match["pid"]) from None
        raise
    try:
        yield con
    finally:
        con.close()


def attach(con: duckdb.DuckDBPyConnection, path: Path, alias: str) -> None:
    """Attach another project's warehouse read-only, under its project name."""
    if not path.is_file():
        raise WarehouseMissing(
            f"The warehouse `{path}` has not been built yet.",
            "Build the mesh first: `mesh-workshop build`.",
        )
    try:
        con.execute(f"attach '{path}' as {alias} (read_only)")
    except duckdb.IOException as exc:
        match = _HOLDER_RE.search(str(exc))
        if match:
            raise locked_error(str(path), match["holder"], match["pid"]) from None
        raise


def query(path: Path, sql: str) -> pd.DataFrame:
    """Run one query and return its rows as a table."""
    with connect(path) as con:
        return con.execute(sql).df()
