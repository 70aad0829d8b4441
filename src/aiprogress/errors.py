"""Error types shared by every capability.

Library code raises these; the CLI turns them into a one-line message and exit
code 2 (no traceback unless ``--debug``).
"""

from __future__ import annotations

from pathlib import Path


class AiprogressError(Exception):
    """Base class for all errors the CLI reports as bad input (exit code 2)."""


class InputError(AiprogressError):
    """Bad input data: names the file, line and column and what was expected.

    ``line`` is the 1-based line number in the source file (the header is line 1).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.expected = expected
        self.detail = message
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column '{self.column}'")
        msg = ", ".join(where)
        msg = f"{msg}: {self.detail}" if msg else self.detail
        if self.expected:
            msg += f" (expected {self.expected})"
        return msg.replace("\n", " ")


class ParameterError(AiprogressError):
    """A bad parameter value: names the parameter and what was expected."""

    def __init__(self, name: str, message: str, *, expected: str | None = None) -> None:
        self.name = name
        self.expected = expected
        text = f"parameter '{name}': {message}"
        if expected:
            text += f" (expected {expected})"
        super().__init__(text.replace("\n", " "))


class DataNotFoundError(AiprogressError):
    """A required data file or catalog is missing."""
