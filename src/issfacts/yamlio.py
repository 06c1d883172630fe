"""Reading YAML text safely: bounded depth, bounded alias expansion, located errors.

Two ways in, same result. The fast way is libyaml's C loader (when PyYAML was built with
it), used when a cheap scan of the text shows nothing that could hurt it. Anything else
(anchors, aliases, deep nesting) goes the guarded way: libyaml's events, composed in
Python with a depth limit and an alias-expansion budget, because the C composer recurses
without limit (a crash near 50,000 nested brackets) and a merge-key bomb exhausts memory
inside `safe_load` itself. The guarded composer also serves error reports: it keeps the
node tree, whose marks give the line and column of any value.
"""

from __future__ import annotations

import gc
import itertools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import yaml
from yaml import YAMLError as YAMLError  # re-exported for load.py
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError as ReaderError
from yaml.resolver import Resolver

MAX_DEPTH = 64
MAX_ALIAS_EXPANSION = 100_000  # nodes reachable through aliases, counted with repeats

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# Dates stay text: the model parses them at their own precision, and PyYAML's own
# timestamp constructor raises a bare ValueError on `2021-02-30`.
_INT = "tag:yaml.org,2002:int"
# Integers are decimal only: YAML 1.1 would read `0x7E5`, `03745` and `33:41` as 2021,
# and a year in a data file should be written as one.
_DECIMAL = re.compile(r"^-?(?:0|[1-9][0-9]*)$")
_RESOLVERS = {
    first: [(_INT, _DECIMAL) if tag == _INT else (tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}

try:
    from yaml import CParser as _Parser  # type: ignore[attr-defined]

    WITH_LIBYAML = True
except ImportError:  # PyYAML built without libyaml
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _PyParser.__init__(self)

    WITH_LIBYAML = False


class LimitError(yaml.MarkedYAMLError):
    """The text is valid YAML but would cost too much to build."""


_FastBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_FastBase):  # type: ignore[misc]
    yaml_implicit_resolvers = _RESOLVERS


class _GuardedComposer(Composer):
    """PyYAML's composer with a depth limit and an alias-expansion budget."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0
        self._expanded = 0
        self._weight = 0  # nodes composed so far, aliases counted at their full size
        self._anchor_weight: dict[str, int] = {}

    # Provided by the parser this is mixed with (_GuardedLoader).
    check_event: Any
    peek_event: Any

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            size = self._anchor_weight.get(event.anchor, 1)
            self._expanded += size
            self._weight += size
            if self._expanded > MAX_ALIAS_EXPANSION:
                raise LimitError(
                    None,
                    None,
                    f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes "
                    "(an alias bomb?); write the values out instead",
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise LimitError(
                None,
                None,
                f"nesting deeper than {MAX_DEPTH} levels; a dataset needs no more than 6",
                self.peek_event().start_mark,
            )
        anchor = getattr(self.peek_event(), "anchor", None)
        before = self._weight
        self._weight += 1
        node = super().compose_node(parent, index)
        if anchor is not None:
            self._anchor_weight[anchor] = self._weight - before
        self._depth -= 1
        return node


class _GuardedLoader(_GuardedComposer, _Parser, SafeConstructor, Resolver):  # type: ignore[misc]
    yaml_implicit_resolvers = _RESOLVERS

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _GuardedComposer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


# A scan for anything that could nest deeply or expand: anchors or aliases where a node
# starts, runs of block indicators on one line (`- - - - ...`), deep indentation, deep
# brackets. Each check starts from a literal, so a 110 MB file is scanned in ~0.1 s
# (one alternation regex took 80 ms a megabyte).
_ANCHOR = re.compile(r"[&*][^\s\]},]")
_NODE_START = frozenset("-?:,[{")
_RUNS = (re.compile(r"-[ \t]+(?:[-?][ \t]+){15}"), re.compile(r"\?[ \t]+(?:[-?][ \t]+){15}"))
_DEEP_INDENT = " " * 128
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _has_anchor(text: str) -> bool:
    if "&" not in text and "*" not in text:
        return False
    for match in _ANCHOR.finditer(text):
        before = text[text.rfind("\n", 0, match.start()) + 1 : match.start()].rstrip(" \t")
        if not before or before[-1] in _NODE_START:
            return True
    return False


def _looks_harmless(text: str) -> bool:
    if text.startswith(_DEEP_INDENT) or "\n" + _DEEP_INDENT in text:
        return False
    if any(run.search(text) for run in _RUNS) or _has_anchor(text):
        return False
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return True
    # Deepest bracket nesting, an upper bound (brackets in quoted text count too): the
    # running depth over the brackets alone, never below 0, so stray closers in a string
    # cannot hide real nesting after them.
    steps = map(_STEP.__getitem__, _NOT_BRACKET.sub("", text))
    depths = itertools.accumulate(steps, lambda depth, step: max(depth + step, 0), initial=0)
    return max(depths) <= MAX_DEPTH


@contextmanager
def _gc_paused() -> Iterator[None]:
    # Loading allocates millions of objects that all survive; the collector's passes over
    # them are wasted work. Measured: ~45% off a 100,000-event load.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(text: str) -> Any:
    """Parse one YAML document. Raises yaml.YAMLError (often a MarkedYAMLError)."""
    with _gc_paused():
        if _looks_harmless(text):
            return yaml.load(text, Loader=_FastLoader)
        loader = _GuardedLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()


def compose(text: str) -> Node | None:
    """The node tree, with marks, through the guarded composer (for locating problems)."""
    loader = _GuardedLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def locate(root: Node | None, path: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
    """1-based (line, column) of the node at `path`, or of its key when `key` is set.

    Stops at the deepest node that exists, so a missing field points at its record.
    """
    node = root
    mark = None if root is None else root.start_mark
    last = len(path) - 1
    for position, step in enumerate(path):
        child: Node | None = None
        key_node: Node | None = None
        if isinstance(node, MappingNode):
            for k, v in node.value:  # the last duplicate wins, as in the loaded data
                if isinstance(k, ScalarNode) and k.value == step:
                    key_node, child = k, v
        elif isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            child = node.value[step]
        if child is None:
            break
        node = child
        at_key = key and position == last and key_node is not None
        mark = key_node.start_mark if at_key and key_node is not None else child.start_mark
    if mark is None:
        return (1, 1)
    return (mark.line + 1, mark.column + 1)
