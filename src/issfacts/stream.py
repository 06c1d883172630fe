"""A large data file compiled as it is read: libyaml's events, one record composed at a
time, validated and compiled into rows that go to a sink (the SQLite entry) in batches.

Memory holds one batch of rows, the catalogue sections (sources, agencies, people,
spacecraft: small beside the events) and, per event, its id's hash and the place of its
id, so the peak does not grow with the text (benchmarks/bench.py measures it).

Every problem is the one the whole-file path (load.py) reports, at the same line and
column, in the same order; tests/test_stream.py holds the two to it on every bad-input
file and on generated datasets. What that takes:

- the record builders and the reference checks are schema.py's own, run on one record
  at a time, and each finding is located in that record's node tree;
- what precedes what is kept: a byte that is not UTF-8 or a NUL anywhere in the file
  before an empty file, that before invalid YAML anywhere, that before the schema's
  findings; among YAML's own errors the composer's (syntax, depth, aliases) before the
  constructor's, in the order the whole-file path would meet them (`_Pass._value`);
- ids defined later in the file still count: references to the catalogue are checked
  once it is complete. When the events come before a catalogue section, a first pass
  validates and gathers the catalogue, and a second reads the events again for their
  references and rows (`compile_stream`);
- duplicate event ids are found from the ids' hashes, confirmed by the sink.
"""

from __future__ import annotations

import codecs
from array import array
from collections.abc import Callable, Iterable
from typing import IO, Any, NamedTuple, Protocol

from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.error import Mark
from yaml.events import MappingEndEvent, MappingStartEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent
from yaml.nodes import Node, ScalarNode, SequenceNode

from issfacts import schema, yamlio
from issfacts.datafile import decode_problem, os_error
from issfacts.errors import DataError, Problem, did_you_mean
from issfacts.load import dotted, yaml_problem
from issfacts.model import Catalog, Event, Person, Spacecraft
from issfacts.rows import Row, compile_row

CHUNK = 1024 * 1024  # bytes read at a time: fewer calls from libyaml into Python
BATCH = 2000  # rows handed to the sink at a time (see sink_batch in the README's figures)
CATALOG = ("sources", "agencies", "people", "spacecraft")
_BUILDERS: dict[str, Callable[[schema.Fields, object, schema.NodePath], Any]] = {
    "sources": schema.source,
    "agencies": schema.agency,
    "people": schema.person,
    "spacecraft": schema.spacecraft,
    "events": schema.event,
}
_SEQ_TAGS = (None, "!", "tag:yaml.org,2002:seq")
_UNIQUE_NAMES = {"sources": "source", "agencies": "agency", "people": "person", "spacecraft": "spacecraft"}


class Sink(Protocol):
    def add(self, rows: list[Row]) -> None:
        """Keep these rows, numbered on from the last (0, 1, 2, ... in the file's order)."""

    def seqs_of(self, ids: set[str]) -> dict[str, list[int]]:
        """For each of these ids, the numbers of the rows that have it, in order."""


class ListSink:
    """Rows kept in a list (for tests and small files)."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, rows: list[Row]) -> None:
        self.rows.extend(rows)

    def seqs_of(self, ids: set[str]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for seq, row in enumerate(self.rows):
            if row.id in ids:
                out.setdefault(row.id, []).append(seq)
        return out


class Compiled(NamedTuple):
    catalog: Catalog
    events: int
    digest: str


class At:
    """A place in the text, as a yaml Mark gives it (index, 0-based line and column)."""

    __slots__ = ("column", "index", "line")

    def __init__(self, index: int, line: int, column: int) -> None:
        self.index, self.line, self.column = index, line, column


Opener = Callable[[], IO[bytes]]
Progress = Callable[[int, int], None]  # (bytes read, events compiled)


# -- the bytes: read in chunks, checked as datafile.decode checks them ---------------------------


class Reader:
    """The file as libyaml reads it (`read`), checked on the way: a NUL byte or a byte
    that is not UTF-8 stops it (the problem at the same place as datafile.decode puts it),
    and it notes what the whole-file path decides on the whole text: whether it is blank,
    and whether it breaks lines other than by LF (then positions are counted again)."""

    def __init__(self, file: IO[bytes], label: str) -> None:
        from issfacts.cache import Hasher

        self.file, self.label = file, label
        self.offset = 0  # bytes read so far
        self.hasher = Hasher()
        self.blank = True
        self.odd_breaks = False
        self.problem: Problem | None = None
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._lines = 0  # LFs before self.offset
        self._line_start = 0  # offset just after the last LF
        self._utf8: Problem | None = None  # a byte that is not UTF-8; a later NUL still wins
        self.eof = False

    def read(self, size: int = -1) -> bytes:
        if self.problem is not None or self._utf8 is not None or self.eof:
            return b""
        chunk = self._next()
        if self.offset == len(chunk):
            chunk = chunk.removeprefix(b"\xef\xbb\xbf")  # not content (datafile.decode drops it too)
        return b"" if self.problem is not None or self._utf8 is not None else chunk

    def _next(self) -> bytes:
        try:
            chunk = self.file.read(CHUNK)
        except OSError as error:
            raise os_error(self.label, error) from None
        start = self.offset
        self.offset += len(chunk)
        self.hasher.update(chunk)
        nul = chunk.find(b"\0")
        if nul >= 0:
            self.problem = self._problem("nul", chunk, start, nul)
            return chunk
        if self._utf8 is None:
            self._decode(chunk, start)
        if not chunk:
            self.eof = True
            self.problem = self._utf8
        self._lines += chunk.count(b"\n")
        last = chunk.rfind(b"\n")
        if last >= 0:
            self._line_start = start + last + 1
        return chunk

    def _decode(self, chunk: bytes, start: int) -> None:
        pending = len(self._decoder.getstate()[0])
        if not pending and chunk.isascii():  # the usual case: valid as it is
            self.odd_breaks = self.odd_breaks or b"\r" in chunk
            self.blank = self.blank and not chunk.decode("ascii").strip()
            return
        try:
            text = self._decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            self._utf8 = self._problem(error.object[error.start], chunk, start, error.start - pending)
            return
        self.blank = self.blank and not text.strip()
        self.odd_breaks = self.odd_breaks or any(char in text for char in "\r\x85\u2028\u2029")

    def _problem(self, what: str | int, chunk: bytes, start: int, at: int) -> Problem:
        """The problem at byte `start + at` (`at` may be negative: bytes held from the last chunk)."""
        line = self._lines + (chunk.count(b"\n", 0, at) if at > 0 else 0) + 1
        last = chunk.rfind(b"\n", 0, at) if at > 0 else -1
        column = at - last if last >= 0 else start + at - self._line_start + 1
        return decode_problem(self.label, what, line, column)

    def drain(self) -> None:
        """Read the rest, as the whole-file path would have, for a NUL or a non-UTF-8 byte."""
        while self.problem is None and not self.eof:
            self._next()


class InFile:
    """Lines and columns counted over the file, read again (load.InText's counterpart)."""

    def __init__(self, opener: Opener, odd_breaks: bool) -> None:
        self.opener, self.odd_breaks = opener, odd_breaks

    def _text(self) -> Iterable[str]:
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        with self.opener() as file:
            while chunk := file.read(CHUNK):
                yield decoder.decode(chunk)

    def positions(self, indexes: Iterable[int]) -> dict[int, tuple[int, int]]:
        """(line, column) of each character offset, counted by LF alone: one reading."""
        wanted = sorted(set(indexes))
        out: dict[int, tuple[int, int]] = {}
        seen = lines = 0
        line_start = 0
        pos = 0
        for text in self._text():
            end = seen + len(text)
            while pos < len(wanted) and wanted[pos] < end:
                at = wanted[pos] - seen
                last = text.rfind("\n", 0, at)
                start = seen + last + 1 if last >= 0 else line_start
                out[wanted[pos]] = (lines + text.count("\n", 0, at) + 1, wanted[pos] - start + 1)
                pos += 1
            lines += text.count("\n")
            last = text.rfind("\n")
            if last >= 0:
                line_start = seen + last + 1
            seen = end
        for index in wanted[pos:]:
            out[index] = (lines + 1, index - line_start + 1)
        return out

    def position(self, mark: Mark | At) -> tuple[int, int]:
        if not self.odd_breaks:
            return mark.line + 1, mark.column + 1
        return self.positions([max(mark.index, 0)])[max(mark.index, 0)]

    def line_col(self, offset: int) -> tuple[int, int]:
        return self.positions([offset])[offset]

    def char_at(self, index: int) -> str:
        seen = 0
        for text in self._text():
            if index < seen + len(text):
                return text[index - seen] if index >= seen else ""
            seen += len(text)
        return ""


# -- the document, one record at a time --------------------------------------------------


class _Note(NamedTuple):
    at: Mark | At | None
    message: str
    first: Mark | At | None = None


# The YAML errors a file can have, in the order the whole-file path reports them (load.py,
# yamlio.load): the composer's first; then a key written twice met before any node that
# needs PyYAML's constructor; then (the constructor's turn, over the whole tree) a tag
# that does not fit its node, then a top-level key twice, then any other key twice.
_COMPOSER, _PLAIN_DUPLICATE, _MISFIT, _TOP_DUPLICATE, _DUPLICATE = range(5)


class _Pass:
    """One reading of the file. `rows_only`: the second pass, which compiles the events
    against a catalogue gathered by the first and reads nothing else."""

    def __init__(
        self, reader: Reader, sink: Sink, progress: Progress | None, catalog: _Catalogue | None = None
    ) -> None:
        self.reader, self.sink, self.progress = reader, sink, progress
        self.rows_only = catalog is not None
        self.catalogue = catalog or _Catalogue()
        self.notes: list[_Note] = []
        self.yaml_errors: dict[int, Exception] = {}
        self.unusual = False  # a node that needs PyYAML's constructor was met (yamlio.load's fallback)
        self.seen: dict[Any, Node] = {}  # top-level keys
        self.scalar_keys: list[ScalarNode] = []
        self.root: Mark | None = None
        self.deferred = False  # events met before the whole catalogue: compiled by a second pass
        self.events = 0
        self._batch: list[Row] = []
        self._hashes: set[int] = set()
        self._suspects: list[tuple[int, str]] = []
        self._id_at = (array("q"), array("q"), array("q"), array("q"))  # index in the file, mark

    # -- reading

    def run(self) -> None:
        loader = self.loader = yamlio.RecordStream(self.reader)
        try:
            with yamlio.libyaml_limit():
                loader.get_event()
                if loader.check_event(StreamEndEvent):
                    self._whole_document(None)
                else:
                    start = loader.get_event()
                    event = loader.peek_event()
                    if isinstance(event, MappingStartEvent) and event.anchor is None and event.tag in (None, "!"):
                        self._mapping(loader)
                    else:
                        self._whole_document(loader.compose_node(None, None))
                    loader.get_event()
                    if not loader.check_event(StreamEndEvent):
                        raise ComposerError(
                            "expected a single document in the stream",
                            start.start_mark,
                            "but found another document",
                            loader.get_event().start_mark,
                        )
        except yamlio.YAMLError as error:
            self.yaml_errors.setdefault(_COMPOSER, error)
        finally:
            loader.dispose()
        self._flush()

    def _mapping(self, loader: yamlio.RecordStream) -> None:
        start = loader.get_event()
        self.root = start.start_mark
        loader.enter(start.start_mark)
        while not loader.check_event(MappingEndEvent):
            key_node = loader.compose_node(None, None)
            assert key_node is not None  # a key is always there, if only empty
            key = self._key(key_node)
            event = loader.peek_event()
            section = key if isinstance(key, str) and key in schema.SECTIONS and not self.rows_only else None
            if self.rows_only and key == "events":
                section = "events"
            streamable = isinstance(event, SequenceStartEvent) and event.anchor is None and event.tag in _SEQ_TAGS
            if section is not None and streamable:
                self._section(loader, section)
            else:
                node = loader.compose_node(None, None)
                assert node is not None
                if section is not None:
                    self._section_node(section, node)
                else:
                    self._value(node)  # unknown section: only YAML's own checks
        loader.get_event()
        loader.leave()

    def _key(self, node: Node) -> Any:
        if not isinstance(node, ScalarNode):  # a list or a mapping as a key: PyYAML's constructor refuses it
            self.unusual = True
            self._yaml(
                _TOP_DUPLICATE,
                ConstructorError("while constructing a mapping", self.root, "found unhashable key", node.start_mark),
            )
            return None
        key = self._value(node)
        if key in self.seen:
            self._yaml(_TOP_DUPLICATE if self.unusual else _PLAIN_DUPLICATE, yamlio.duplicate(node, self.seen[key]))
        self.seen.setdefault(key, node)
        self.scalar_keys.append(node)
        if not self.rows_only and not self._stopped() and (not isinstance(key, str) or key not in schema.SECTIONS):
            shown = "null" if key is None else repr(key)
            hint = did_you_mean(str(key), schema.SECTIONS)
            message = f"unknown section {shown}; {hint}allowed: {', '.join(schema.SECTIONS)}"
            self._note_top((key,), message)
        return key

    def _section(self, loader: yamlio.RecordStream, section: str) -> None:
        start = loader.get_event()
        loader.enter(start.start_mark)
        self._begin(section)
        index = 0
        while not loader.check_event(SequenceEndEvent):
            try:
                value, events = loader.record()
                self._record(section, index, value, None, events)
            except yamlio.Slow as slow:  # composed, and built as yamlio.load builds it
                loader.replay(slow.args[0])
                node = loader.compose_node(None, index)
                assert node is not None
                self._record(section, index, self._value(node), node)
            index += 1
        loader.get_event()
        loader.leave()

    def _section_node(self, section: str, node: Node) -> None:
        """A section that is not a plain list (null, a scalar, a mapping, a tagged or anchored
        list): composed whole and read as schema.Fields.listing reads it."""
        value = self._value(node)
        self._begin(section)
        if self._stopped() or value is None:
            return
        if not isinstance(value, list):
            if not self.rows_only:
                message = f"expected a list of records, found {schema.describe(value)}"
                self.notes.append(_Note(node.start_mark, f"{section}: {message}"))
            return
        children = node.value if isinstance(node, SequenceNode) else []
        for index, item in enumerate(value):
            self._record(section, index, item, children[index] if index < len(children) else node)

    def _begin(self, section: str) -> None:
        self.catalogue.sections.add(section)
        if section == "events":
            self.deferred = not self.rows_only and not set(CATALOG) <= self.catalogue.sections

    def _stopped(self) -> bool:
        """A YAML error is certain to be reported: nothing else will be."""
        return bool(self.yaml_errors.keys() & {_COMPOSER, _PLAIN_DUPLICATE, _MISFIT})

    def _yaml(self, kind: int, error: Exception) -> None:
        self.yaml_errors.setdefault(kind, error)

    def _value(self, node: Node) -> Any:
        """The node's plain value, as yamlio.load builds it; None after a YAML error (noted)."""
        if self._stopped():
            return None
        try:
            return yamlio.plain(node)
        except ConstructorError as error:  # a key twice
            self._yaml(_DUPLICATE if self.unusual else _PLAIN_DUPLICATE, error)
            return None
        except yamlio.Unusual:
            self.unusual = True
        try:
            yamlio.check_tags(node)
        except ConstructorError as error:
            self._yaml(_MISFIT, error)
            return None
        try:
            return yamlio.construct(node)
        except ConstructorError as error:
            self._yaml(_DUPLICATE, error)
            return None

    # -- one record

    def _record(self, section: str, index: int, value: Any, node: Node | None, events: list[Any] = []) -> None:  # noqa: B006 - never changed
        """One record, read as schema's builders read it; `node` is composed from its
        `events` only when a problem must be located in it."""
        if self._stopped() or self.yaml_errors:
            return
        if self.rows_only and section != "events":
            return
        fields = schema.Fields()
        path = (section, index)
        built = _BUILDERS[section](fields, value, path)
        if fields.found and not self.rows_only:
            node = node or self._compose(events, index)
            self._note_found(fields.found, node)
        if built is None:
            return
        if section != "events":
            self.catalogue.add(section, path, built, node or self._compose(events, index))
        elif not self.deferred:
            self._event(index, built, node, events)

    def _compose(self, events: list[Any], index: int) -> Node:
        self.loader.replay(events)
        node = self.loader.compose_node(None, index)
        assert node is not None
        return node

    def _event(self, index: int, event: Event, node: Node | None, events: list[Any]) -> None:
        path = ("events", index)
        catalog, speakers = self.catalogue.complete(self)
        fields = schema.Fields()
        schema.check_event_references(fields, catalog, speakers, path, event)
        if fields.found:
            node = node or self._compose(events, index)
            self._note_found(fields.found, node)
        seq = self.events
        self.events += 1
        at = yamlio.locate_mark(node, ("id",)) if node is not None else self.loader.id_mark
        assert at is not None
        for column, value in zip(self._id_at, (index, at.index, at.line, at.column), strict=True):
            column.append(value)
        key = hash(event.id)
        if key in self._hashes:
            self._suspects.append((seq, event.id))
        self._hashes.add(key)
        if fields.found:  # the file is refused: the row only carries the id, for duplicate_events
            self._batch.append(Row(event.id, 0, 0, "", "", (), (), (), (), "", {}, "{}"))  # type: ignore[typeddict-item]
        else:
            self._batch.append(compile_row(event, catalog))
        if len(self._batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self.sink.add(self._batch)
            self._batch = []
        if self.progress is not None:
            self.progress(self.reader.offset, self.events)

    # -- notes

    def _note_found(self, found: list[schema.Finding], node: Node) -> None:
        for finding in found:
            at = yamlio.locate_mark(node, finding.path[2:], key=finding.at_key)
            self.notes.append(_Note(at, f"{dotted(finding.path)}: {finding.message}"))

    def _note_top(self, path: schema.NodePath, message: str) -> None:
        """At the top level, placed as yamlio.locate places it: at the first key written
        as the step, else at the top mapping."""
        step = path[0] if path else None
        at = next((k.start_mark for k in self.scalar_keys if path and k.value == step), self.root)
        self.notes.append(_Note(at, f"{dotted(path)}: {message}"))

    def duplicate_events(self) -> None:
        """Each event whose id an earlier one has, as schema.Fields.unique notes it."""
        if not self._suspects:
            return
        where, index, line, column = self._id_at
        for ident, seqs in self.sink.seqs_of({ident for _, ident in self._suspects}).items():
            first = At(index[seqs[0]], line[seqs[0]], column[seqs[0]])
            for seq in seqs[1:]:
                at = At(index[seq], line[seq], column[seq])
                self.notes.append(_Note(at, f"events[{where[seq]}].id: duplicate event id {ident!r}", first))

    # -- a document that is not a mapping of lists

    def _whole_document(self, node: Node | None) -> None:
        """Composed whole and read by schema.dataset, as the whole-file path reads it."""
        value = None if node is None else self._value(node)
        if self._stopped() or self.yaml_errors:
            return
        fields = schema.Fields()
        dataset = schema.dataset(fields, value)
        for finding in fields.found:
            at = yamlio.locate_mark(node, finding.path, key=finding.at_key)
            first = None if finding.first is None else yamlio.locate_mark(node, finding.first)
            self.notes.append(_Note(at, f"{dotted(finding.path)}: {finding.message}", first))
        if dataset is not None:  # a dataset whose events are not a plain list (anchored, tagged)
            self.catalogue.whole = dataset.catalog
            for seq, event in enumerate(dataset.events):
                self._batch.append(compile_row(event, dataset.catalog))
                self.events = seq + 1


class _Catalogue:
    """The catalogue sections as they are read: each record built, with the places of its
    id and of the ids it names; complete (unique ids, references checked) once."""

    def __init__(self) -> None:
        self.sections: set[str] = set()
        self.built: dict[str, list[tuple[schema.NodePath, Any]]] = {section: [] for section in CATALOG}
        self.places: dict[schema.NodePath, Mark | None] = {}
        self.whole: Catalog | None = None
        self._complete: tuple[Catalog, dict[str, object]] | None = None
        self._fields = schema.Fields()

    def add(self, section: str, path: schema.NodePath, item: Any, node: Node) -> None:
        self.built[section].append((path, item))
        wanted: list[tuple[str | int, ...]] = [("id",)]
        if isinstance(item, Person):
            wanted.append(("agency",))
        elif isinstance(item, Spacecraft):
            wanted += [("operators", index) for index in range(len(item.operators))]
        for rest in wanted:
            self.places[path + rest] = yamlio.locate_mark(node, rest)

    def complete(self, run: _Pass | None) -> tuple[Catalog, dict[str, object]]:
        """The catalogue with unique ids, and its speakers; its own findings noted in `run`."""
        if self._complete is None:
            f = self._fields
            catalog = Catalog(
                *(f.unique(_UNIQUE_NAMES[section], self.built[section], lambda item: item.id) for section in CATALOG)
            )
            schema.check_catalog_references(f, catalog, self.built["people"], self.built["spacecraft"])
            self._complete = catalog, schema.speakers_of(catalog)
        if run is not None and not run.rows_only:
            for finding in self._fields.found:
                first = None if finding.first is None else self.places.get(finding.first)
                message = f"{dotted(finding.path)}: {finding.message}"
                run.notes.append(_Note(self.places.get(finding.path), message, first))
            self._fields.found = []
        return self._complete


def compile_stream(opener: Opener, label: str, sink: Sink, progress: Progress | None = None) -> Compiled:
    """Read, validate and compile the file `opener` opens, its rows to `sink`; DataError
    with every problem found, as load.load_text raises it."""
    with opener() as file:
        reader = Reader(file, label)
        first = _Pass(reader, sink, progress)
        try:
            first.run()
        except (RecursionError, MemoryError):  # belt and braces, as in load.load_text
            reader.drain()
            raise _error(reader, label, [Problem(label, 1, 1, "the file is too deeply nested or too large")]) from None
        reader.drain()
    source = InFile(opener, reader.odd_breaks)
    if reader.problem is not None or reader.blank:
        raise _error(reader, label, [])
    if first.yaml_errors:
        error = first.yaml_errors[min(first.yaml_errors)]
        raise DataError(label, [yaml_problem(error, label, source)])
    final = first
    if first.root is not None:  # a mapping of lists, read a record at a time
        if "events" not in first.seen:
            first.notes.append(_Note(first.root, "top level: missing the 'events' section"))
        first.catalogue.complete(first)
    if first.deferred:
        with opener() as file:
            final = _Pass(Reader(file, label), sink, progress, first.catalogue)
            final.run()
    final.duplicate_events()
    if final is not first:
        first.notes += final.notes
    if first.notes:
        raise DataError(label, _problems(first.notes, label, source))
    catalog = first.catalogue.whole or first.catalogue.complete(None)[0]
    return Compiled(catalog, final.events, reader.hasher.hexdigest())


def _error(reader: Reader, label: str, problems: list[Problem]) -> DataError:
    if reader.problem is not None:
        return DataError(label, [reader.problem])
    if reader.blank:
        return DataError(label, [Problem(label, 1, 1, "the file is empty; " + schema.EXPECTED_TOP)])
    return DataError(label, problems)


def _problems(notes: list[_Note], label: str, source: InFile) -> list[Problem]:
    if source.odd_breaks:
        where = source.positions(n.index for note in notes for n in (note.at, note.first) if n is not None)
    problems = []
    for note in notes:
        if note.at is None:
            line, column = 1, 1
        else:
            line, column = where[note.at.index] if source.odd_breaks else (note.at.line + 1, note.at.column + 1)
        message = note.message
        if note.first is not None:
            first = where[note.first.index][0] if source.odd_breaks else note.first.line + 1
            message += f" (first defined on line {first})"
        problems.append(Problem(label, line, column, message))
    problems.sort(key=lambda p: (p.line, p.column))
    return problems
