"""Named errors raised by the core. Each carries a plain-language message and a next step."""

from __future__ import annotations


class KitError(Exception):
    """Base class: `message` says what happened, `hint` says what to do next."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class KitLayoutError(KitError):
    """A folder or file the kit needs is missing."""


class WarehouseLocked(KitError):
    """Another process holds the DuckDB file, so it can be neither read nor rebuilt right now."""


class WarehouseMissing(KitError):
    """The DuckDB file has not been built yet."""


class UnknownQuestion(KitError):
    """A question name that the kit does not know."""
