"""A data file -> a validated Dataset, or a DataError listing every problem with its location.

The happy path reads the YAML once into plain Python values and checks them (schema.py);
only when a problem is found is the text composed again into nodes, to give each problem
its line and column, counted as grep -n counts them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from issfacts import schema, yamlio
from issfacts.datafile import BUNDLED as BUNDLED  # re-exported: the bundled dataset's path
from issfacts.datafile import decode, read_bytes
from issfacts.errors import DataError, Problem
from issfacts.model import Dataset


def read_text(path: Path) -> str:
    return decode(read_bytes(path), str(path))


def load_path(path: Path) -> Dataset:
    return load_text(read_text(path), str(path))


def load_text(text: str, label: str) -> Dataset:
    """Parse and validate; DataError carries every problem found, in file order. `label`
    names the file in the problems."""
    text = text.removeprefix("\ufeff")  # not content; editors do not count it as a column
    if not text.strip():
        raise DataError(label, [Problem(label, 1, 1, "the file is empty; " + schema.EXPECTED_TOP)])
    with gc_paused():
        try:
            raw = yamlio.load(text)
        except yamlio.YAMLError as error:
            raise DataError(label, [yaml_problem(error, label, InText(text))]) from None
        except (RecursionError, MemoryError):  # belt and braces: the guards should stop these first
            raise DataError(label, [Problem(label, 1, 1, "the file is too deeply nested or too large")]) from None
        fields = schema.Fields()
        dataset = schema.dataset(fields, raw)
    if fields.found:
        raise DataError(label, _located(fields.found, text, label))
    assert dataset is not None
    return dataset


@contextmanager
def gc_paused() -> Iterator[None]:
    """Loading allocates millions of objects that all survive; the collector's passes over
    them are wasted work. Measured: ~45% off a 100,000-event load (benchmarks/bench.py)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _located(found: list[schema.Finding], text: str, label: str) -> list[Problem]:
    try:
        root = yamlio.compose(text)
    except yamlio.YAMLError:
        root = None
    problems = []
    for finding in found:
        line, column = yamlio.locate(root, finding.path, key=finding.at_key, text=text)
        message = f"{dotted(finding.path)}: {finding.message}"
        if finding.first is not None:
            message += f" (first defined on line {yamlio.locate(root, finding.first, text=text)[0]})"
        problems.append(Problem(label, line, column, message))
    problems.sort(key=lambda p: (p.line, p.column))
    return problems


def dotted(path: schema.NodePath) -> str:
    out = ""
    for step in path:
        name = "null" if step is None else str(step)  # a YAML key may be null: `? ` alone on a line
        out += f"[{step}]" if isinstance(step, int) else (f".{name}" if out else name)
    return out or "top level"


class InText:
    """Lines and columns counted over the text itself (as grep -n counts them), for
    problems found in it; stream.InFile counts them over a file read again."""

    def __init__(self, text: str) -> None:
        self.text = text

    def position(self, mark: yamlio.Mark) -> tuple[int, int]:
        return yamlio.position(self.text, mark)

    def line_col(self, offset: int) -> tuple[int, int]:
        text = self.text
        return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1

    def char_at(self, index: int) -> str:
        return self.text[index] if 0 <= index < len(self.text) else ""


class TextSource(Protocol):
    def position(self, mark: yamlio.Mark) -> tuple[int, int]: ...
    def line_col(self, offset: int) -> tuple[int, int]: ...
    def char_at(self, index: int) -> str: ...


def yaml_problem(error: Exception, label: str, source: TextSource) -> Problem:
    """The one problem a YAML error makes, located in `source`."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = source.position(mark) if mark is not None else (1, 1)
    problem = getattr(error, "problem", None) or str(error)
    if isinstance(error, yamlio.ReaderError):  # a character YAML does not allow, by offset
        line, column = source.line_col(error.position)
        problem = (
            f"character U+{ord(error.character):04X} is not allowed in YAML"
            if isinstance(error.character, str)
            else error.reason
        )
        problem += "; remove it or write it as an escape in a double-quoted string"
    problem = " ".join(problem.split())  # one line, like every other problem
    context = getattr(error, "context", None)
    message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
    at_tab = mark is not None and source.char_at(mark.index) == "\t"
    if at_tab or "'\\t'" in problem or "tabs" in problem:
        message += "; indent with spaces, not tabs"
    elif "could not determine a constructor" in problem:
        message += "; issfacts reads plain YAML only, remove the tag"
    return Problem(label, line, column, message)
