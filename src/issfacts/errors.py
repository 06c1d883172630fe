"""One exception family, the exit statuses, and the few message helpers errors share.

The library raises these; entry.py, the one boundary, turns them into `Error: ...` on
stderr (`report`) and the exit status each carries.
"""

import enum
from collections.abc import Iterable, Sequence
from typing import NamedTuple


class ExitStatus(enum.IntEnum):
    OK = 0
    FAILURE = 1  # not found, ambiguous, invalid data, output that cannot be written, a bug
    USAGE = 2  # raised by typer (click) itself for bad options; issfacts only names the value
    INTERRUPTED = 130
    TERMINATED = 143  # SIGTERM (128 + 15), as `timeout` sends it: stopped as cleanly as by Ctrl-C


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


def did_you_mean(word: str, options: Iterable[str], *, ending: str = "? ") -> str:
    """`did you mean 'x'? ` for the closest option, or nothing when none is close."""
    import difflib

    close = difflib.get_close_matches(word, list(options), n=1)
    return f"did you mean {close[0]!r}{ending}" if close else ""


MAX_PROBLEMS_SHOWN = 5  # by commands other than `validate`, which lists them all


def report(error: IssfactsError) -> list[str]:
    """The lines that tell a user about `error`: for a data file, its first few problems."""
    if not isinstance(error, DataError):
        return [f"Error: {error}"]
    shown = error.problems[:MAX_PROBLEMS_SHOWN]
    lines = [f"Error: cannot use the dataset {error.path}:", *(f"  {problem}" for problem in shown)]
    rest = len(error.problems) - len(shown)
    if rest > 0:
        lines.append(f"  ... and {rest} more; run `issfacts validate {error.path}` to see them all")
    return lines
