"""One exception family. The library raises these; only cli.py turns them into messages and exits."""

import enum
from collections.abc import Sequence
from typing import NamedTuple


class ExitStatus(enum.IntEnum):
    OK = 0
    FAILURE = 1  # not found, ambiguous, invalid data
    USAGE = 2
    INTERRUPTED = 130


class Problem(NamedTuple):
    """One thing wrong with a data file, located like a compiler error."""

    path: str
    line: int  # 1-based
    column: int  # 1-based
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class IssfactsError(Exception):
    """Base of every error issfacts reports to a user."""

    exit_status = ExitStatus.FAILURE


class DataError(IssfactsError):
    """A data file cannot be used. Carries every located problem found, in file order."""

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        super().__init__(f"{path}: {len(self.problems)} problem(s)")


class NotFound(IssfactsError):
    def __init__(self, what: str, name: str, suggestions: Sequence[str] = ()) -> None:
        self.what, self.name, self.suggestions = what, name, tuple(suggestions)
        message = f"no {what} matches {name!r}"
        if self.suggestions:
            message += "; did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        else:
            message += f"; list them with `issfacts {_LISTING.get(what, what)}`"
        super().__init__(message)


class Ambiguous(IssfactsError):
    def __init__(self, what: str, name: str, candidates: Sequence[tuple[str, str]]) -> None:
        """`candidates` are (id, display name) pairs."""
        self.what, self.name, self.candidates = what, name, tuple(candidates)
        lines = "\n".join(f"  {ident}  {label}" for ident, label in self.candidates)
        super().__init__(f"{name!r} matches {len(self.candidates)} {what} records; use one of these ids:\n{lines}")


_LISTING = {
    "spacecraft": "spacecraft",
    "person": "people",
    "agency": "events --help",
    "event": "events",
}
