"""Reading YAML text safely: bounded depth, bounded alias expansion, located errors.

Two ways in, same result. The fast way, taken when a cheap scan of the text shows nothing
that could hurt it, has libyaml compose the node tree in C (when PyYAML was built with
it) and builds plain values from it directly (`_plain`), falling back to PyYAML's
constructor for tags beyond plain data. Anything else (anchors, aliases, deep nesting)
goes the guarded way: libyaml's events, composed in Python with a depth limit and an
alias-expansion budget, because the C composer recurses without limit (a crash near
50,000 nested brackets) and a merge-key bomb exhausts memory inside `safe_load` itself.
Both ways refuse a key written twice in one mapping. The guarded composer also serves
error reports: it keeps the node tree, whose marks give the line and column of any value.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import yaml
from yaml import YAMLError as YAMLError  # re-exported for load.py
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import Mark as Mark  # re-exported for load.py and stream.py
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError as ReaderError
from yaml.resolver import Resolver
from yaml.scanner import ScannerError

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

try:  # the libyaml binding itself: neither `yaml` nor `yaml.cyaml` exports CParser
    from yaml._yaml import CParser as _Parser

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


_MERGE = "tag:yaml.org,2002:merge"


class _UniqueKeys:
    """Refuses a key written twice in one mapping. YAML forbids it, and PyYAML keeps the
    last silently: a second `date:` pasted into an event would replace the first."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            seen: dict[tuple[str, str], ScalarNode] = {}
            for key, _ in node.value:
                if isinstance(key, ScalarNode) and key.tag != _MERGE:
                    first = seen.setdefault((key.tag, key.value), key)
                    if first is not key:
                        raise _duplicate(key, first)
        return super().construct_mapping(node, deep)  # type: ignore[misc, no-any-return]


_FastBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_UniqueKeys, _FastBase):  # type: ignore[misc]
    """PyYAML's own loader, for documents with tags `_plain` leaves to it."""

    yaml_implicit_resolvers = _RESOLVERS


# -- the fast way: libyaml composes, `_plain` builds ---------------------------------------

_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_NULL, _BOOL, _FLOAT = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float"
_BOOLS = SafeConstructor.bool_values


class _QuickResolver(Resolver):
    """Resolver.resolve for this module's resolvers, which include no wildcard and no path
    resolvers, without the bookkeeping those need: the composer calls it for every node."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _RESOLVERS.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


class _TreeLoader(_Parser, Composer, _QuickResolver):
    """Composes the node tree: in C when libyaml is there (CParser's own composer comes
    first in the MRO), else with PyYAML's Python parser and composer."""

    yaml_implicit_resolvers = _RESOLVERS

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        Composer.__init__(self)
        _QuickResolver.__init__(self)


class _Unusual(Exception):
    """A tag or key `_plain` does not build; PyYAML's constructor will."""


def _plain(node: Node | None) -> Any:
    """The plain value of a node tree without anchors: what SafeConstructor builds, in about
    half the time. Medians, gc paused either way: 1,000 events, 204 ms with the CSafeLoader
    against 130 ms composing with _TreeLoader and building with this; 10,000 events,
    2.36 s against 1.07 s. Keys written twice in one mapping are refused, as by _UniqueKeys."""
    if node is None:
        return None
    tag = node.tag
    if tag == _STR and type(node) is ScalarNode:
        return node.value
    if tag == _MAP and type(node) is MappingNode:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                raise _Unusual  # PyYAML says why a list or mapping cannot be a key
            key = _plain(key_node)
            if key in out:
                first = next(k for k, _ in node.value if _plain(k) == key)
                raise _duplicate(key_node, first)
            out[key] = _plain(value_node)
        return out
    if tag == _SEQ and type(node) is SequenceNode:
        return [_plain(item) for item in node.value]
    if type(node) is ScalarNode:
        if tag == _NULL:
            return None
        if tag == _BOOL and node.value.lower() in _BOOLS:
            return _BOOLS[node.value.lower()]
        if tag == _INT and _DECIMAL.match(node.value) and len(node.value) <= _MAX_DIGITS:
            return int(node.value)
    raise _Unusual  # floats, other integers, timestamps, binary, sets, merge keys, own tags, misfits


_MAX_DIGITS = 4300  # Python's own limit for int(str) (sys.get_int_max_str_digits)
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "binary")
)
_NODE_KIND = {
    _MAP: MappingNode,
    "tag:yaml.org,2002:set": MappingNode,
    _SEQ: SequenceNode,
    "tag:yaml.org,2002:omap": SequenceNode,
    "tag:yaml.org,2002:pairs": SequenceNode,
}
_KIND_NAME = {ScalarNode: "a plain value", MappingNode: "a mapping", SequenceNode: "a list"}


class _NodeConstructor(_UniqueKeys, SafeConstructor):
    """PyYAML's safe constructor, for a node tree composed already."""


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _misfit(node: Node, constructor: SafeConstructor) -> ConstructorError | None:
    """Why PyYAML's constructor would fail on this one node (raising a bare ValueError,
    KeyError or AttributeError, unlocated), or None."""
    tag = node.tag
    kind = _NODE_KIND.get(tag) or (ScalarNode if tag in _SCALAR_TAGS else None)
    if kind is not None and type(node) is not kind:
        found = _KIND_NAME.get(type(node), "this node")
        problem = f"the tag {_tag_name(tag)} needs {_KIND_NAME[kind]}, not {found}; remove the tag"
        return ConstructorError(None, None, problem, node.start_mark)
    if type(node) is not ScalarNode or tag not in _SCALAR_TAGS or tag in (_STR, _NULL):
        return None
    value = node.value
    shown = repr(value if len(value) <= 40 else value[:37] + "...")
    if tag == _INT and len(value) > _MAX_DIGITS:
        problem = f"a number of {len(value):,} digits is too long to read; put it in quotes if it is text"
        return ConstructorError(None, None, problem, node.start_mark)
    try:
        constructor.construct_object(node)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as error:
        reason = f" ({error})" if tag == _TIMESTAMP and isinstance(error, ValueError) else ""
        problem = f"{shown} is not a valid {_tag_name(tag)}{reason}; fix the value or remove the tag"
        return ConstructorError(None, None, problem, node.start_mark)
    return None


def _check_tags(root: Node | None) -> None:
    """Raise a located ConstructorError for the first node PyYAML cannot construct: a tag
    on the wrong kind of node (`!!map x`, `!!str {a: 1}`), or a value its tag cannot hold
    (`!!int abc`, `!!bool maybe`, `!!timestamp 2021-02-30`, 5,000 digits)."""
    constructor = _NodeConstructor()
    pending = [] if root is None else [root]
    seen: set[int] = set()  # aliases share nodes
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        problem = _misfit(node, constructor)
        if problem is not None:
            raise problem
        if type(node) is MappingNode:
            for key, value in reversed(node.value):
                pending += [value, key]
        elif type(node) is SequenceNode:
            pending += reversed(node.value)


def _construct(root: Node | None) -> Any:
    _check_tags(root)
    return _NodeConstructor().construct_document(root) if root is not None else None


def _duplicate(key: ScalarNode, first: Node) -> ConstructorError:
    shown = key.value if len(key.value) <= 40 else key.value[:37] + "..."
    return ConstructorError(
        None,
        None,
        f"the key {shown!r} appears twice in one mapping (first on line {first.start_mark.line + 1}); keep one",
        key.start_mark,
    )


def _too_deep(mark: Mark | None) -> LimitError:
    return LimitError(None, None, f"nesting deeper than {MAX_DEPTH} levels; a dataset needs no more than 6", mark)


@contextmanager
def libyaml_limit() -> Iterator[None]:
    """libyaml 0.2.6 (PyYAML >= 6.0.4) stops at 1,000 levels in its scanner, which reads
    ahead of the composer's own limit in flow collections: the same refusal, in our words."""
    try:
        yield
    except ScannerError as error:
        if error.problem != "exceeded maximum nesting depth":
            raise
        raise _too_deep(error.problem_mark) from None


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

    def compose_node(self, parent: Node | None, index: int | None) -> Node | None:
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
            return super().compose_node(parent, index)  # type: ignore[arg-type]  # PyYAML passes None too
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _too_deep(self.peek_event().start_mark)
        anchor = getattr(self.peek_event(), "anchor", None)
        before = self._weight
        self._weight += 1
        node = super().compose_node(parent, index)  # type: ignore[arg-type]
        if anchor is not None:
            self._anchor_weight[anchor] = self._weight - before
        self._depth -= 1
        return node


class _GuardedLoader(_GuardedComposer, _Parser, _UniqueKeys, SafeConstructor, Resolver):
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


_OTHER_BREAKS = re.compile("\r\n?|[\x85\u2028\u2029]")  # YAML 1.1 line breaks besides \n


def _looks_harmless(text: str) -> bool:
    if any(char in text for char in "\r\x85\u2028\u2029"):
        text = _OTHER_BREAKS.sub("\n", text)  # so that a line starts where YAML says it does
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


def load(text: str) -> Any:
    """Parse one YAML document. Raises yaml.YAMLError (often a MarkedYAMLError)."""
    with libyaml_limit():
        if _looks_harmless(text):
            composer = _TreeLoader(text)
            try:
                root = composer.get_single_node()
                try:
                    return _plain(root)
                except _Unusual:
                    return _construct(root)
            finally:
                composer.dispose()
        loader = _GuardedLoader(text)
        try:
            return _construct(loader.get_single_node())
        finally:
            loader.dispose()


def compose(text: str) -> Node | None:
    """The node tree, with marks, through the guarded composer (for locating problems)."""
    loader = _GuardedLoader(text)
    try:
        with libyaml_limit():
            return loader.get_single_node()
    finally:
        loader.dispose()


def position(text: str, mark: Mark) -> tuple[int, int]:
    """1-based (line, column) of `mark` as grep -n and editors count lines: by `\n` alone.
    YAML also breaks lines at a lone CR, NEL, U+2028 and U+2029, and its marks count
    those; the character offset they carry does not depend on it."""
    if not any(char in text for char in "\r\x85\u2028\u2029"):
        return mark.line + 1, mark.column + 1
    index = min(max(mark.index, 0), len(text))
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def locate(
    root: Node | None, path: Sequence[str | int], *, key: bool = False, text: str | None = None
) -> tuple[int, int]:
    """1-based (line, column) of the node at `path`, or of its key when `key` is set
    (counted as `position` does when the text is given).

    Stops at the deepest node that exists, so a missing field points at its record.
    """
    mark = locate_mark(root, path, key=key)
    if mark is None:
        return (1, 1)
    return position(text, mark) if text is not None else (mark.line + 1, mark.column + 1)


def locate_mark(root: Node | None, path: Sequence[str | int], *, key: bool = False) -> Mark | None:
    """The mark `locate` counts from (None without a root)."""
    node = root
    mark = None if root is None else root.start_mark
    last = len(path) - 1
    for depth, step in enumerate(path):
        child: Node | None = None
        key_node: Node | None = None
        if isinstance(node, MappingNode):
            for k, v in node.value:  # keys are unique once loaded (_UniqueKeys)
                if isinstance(k, ScalarNode) and k.value == step:
                    key_node, child = k, v
        elif isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            child = node.value[step]
        if child is None:
            break
        node = child
        at_key = key and depth == last and key_node is not None
        mark = key_node.start_mark if at_key and key_node is not None else child.start_mark
    return mark


# -- one record at a time (stream.py) --------------------------------------------------------

Unusual = _Unusual
plain = _plain
check_tags = _check_tags
duplicate = _duplicate


def construct(node: Node) -> Any:
    """PyYAML's safe constructor over one node composed already (its tags checked first
    by `check_tags`); keys written twice are refused."""
    return _NodeConstructor().construct_document(node)


class _Slow(Exception):
    """A record `RecordStream.record` leaves to the composer: an anchor or an alias, a tag,
    a key that is not a plain scalar or is written twice, a value `_plain` does not build."""


Slow = _Slow


class RecordStream(_GuardedComposer, _Parser, _QuickResolver):
    """libyaml's events, read from a file a chunk at a time, composed one node at a time
    (`compose_node`) with the guarded composer's depth limit and alias budget: the caller
    walks the top of the document itself and composes one record at a time."""

    yaml_implicit_resolvers = _RESOLVERS

    def __init__(self, stream: Any) -> None:
        _Parser.__init__(self, stream)
        _GuardedComposer.__init__(self)
        _QuickResolver.__init__(self)
        self._replay: list[Any] = []  # events read by `record`, for the composer to read again
        self._slow = False  # an anchor was met: from then on every record is composed
        self.id_mark: Mark | None = None

    def get_event(self) -> Any:
        if self._replay:
            return self._replay.pop()
        return _Parser.get_event(self)

    def peek_event(self) -> Any:
        if self._replay:
            return self._replay[-1]
        return _Parser.peek_event(self)

    def check_event(self, *choices: Any) -> bool:
        if self._replay:
            return not choices or isinstance(self._replay[-1], choices)
        return bool(_Parser.check_event(self, *choices))

    def replay(self, events: list[Any]) -> None:
        """Have the composer read these events (in order) before the parser's next ones."""
        self._replay = events[::-1]

    def record(self) -> tuple[Any, list[Any]]:
        """The next node's plain value, built from the events without composing a node
        tree (what `_plain` builds, in about a third of the time), and the events read.
        Raises _Slow, with the events read so far to `replay`, for anything else; `id_mark`
        is where the value of the record's first key written `id` starts."""
        events: list[Any] = []
        self.id_mark = None
        if self._slow:
            raise _Slow(events)
        get = _Parser.get_event
        stack: list[Any] = []  # the open collections
        keys: list[Any] = []  # for each: _IN_LIST, or its mapping's pending key (or _NO_KEY)
        depth = self._depth
        resolvers = _RESOLVERS
        while True:
            event: Any = get(self)
            events.append(event)
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is not None:
                    self._slow = True
                    raise _Slow(events)
                if depth + len(stack) + 1 > MAX_DEPTH:
                    raise _too_deep(event.start_mark)
                text, tag = event.value, event.tag
                if tag is None or tag == "!":
                    tag = _STR
                    if event.implicit[0]:
                        for candidate, regexp in resolvers.get(text[:1], ()):
                            if regexp.match(text):
                                tag = candidate
                                break
                if tag == _STR:
                    value: Any = text
                elif tag == _NULL:
                    value = None
                elif tag == _BOOL and text.lower() in _BOOLS:
                    value = _BOOLS[text.lower()]
                elif tag == _INT and _DECIMAL.match(text) and len(text) <= _MAX_DIGITS:
                    value = int(text)
                else:
                    raise _Slow(events)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None:
                    self._slow = True
                    raise _Slow(events)
                if event.tag not in (None, "!", _MAP if kind is MappingStartEvent else _SEQ):
                    raise _Slow(events)
                if depth + len(stack) + 1 > MAX_DEPTH:
                    raise _too_deep(event.start_mark)
                if kind is MappingStartEvent:
                    stack.append({})
                    keys.append(_NO_KEY)
                else:
                    stack.append([])
                    keys.append(_IN_LIST)
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value = stack.pop()
                keys.pop()
            else:  # an alias
                self._slow = True
                raise _Slow(events)
            if not stack:
                return value, events
            key = keys[-1]
            if key is _IN_LIST:
                stack[-1].append(value)
            elif key is _NO_KEY:
                if kind is not ScalarEvent or value in stack[-1]:
                    raise _Slow(events)  # a key that is not plain text, or written twice
                keys[-1] = value
                if len(stack) == 1 and self.id_mark is None and event.value == "id":
                    self.id_mark = _ID_NEXT
            else:
                stack[-1][key] = value
                keys[-1] = _NO_KEY
                if self.id_mark is _ID_NEXT and len(stack) == 1:
                    self.id_mark = _start_of(events, kind)

    def enter(self, mark: Mark | None) -> None:
        """A collection the caller opens itself counts towards the depth, as it would composed."""
        self._depth += 1
        self._weight += 1
        if self._depth > MAX_DEPTH:
            raise _too_deep(mark)

    def leave(self) -> None:
        self._depth -= 1


_NO_KEY = object()
_IN_LIST = object()
_ID_NEXT: Any = object()


def _start_of(events: list[Any], kind: type) -> Mark:
    """Where the value whose last event is events[-1] starts."""
    if kind is ScalarEvent:
        return events[-1].start_mark  # type: ignore[no-any-return]
    depth = 0
    for event in reversed(events):
        if type(event) in (MappingEndEvent, SequenceEndEvent):
            depth += 1
        elif type(event) in (MappingStartEvent, SequenceStartEvent):
            depth -= 1
            if depth == 0:
                return event.start_mark  # type: ignore[no-any-return]
    raise AssertionError("unbalanced events")
