"""The SQLite backend, for large files: the entry's layout, how rows go in, how they come
out, and the queries that answer from it, all in this one module.

A selective query reads only the rows it selects: indexes on the date bounds and on the
ids each event names, and an FTS5 trigram index over the search text. The answers are
exactly the in-memory engine's (tests/test_cache.py, tests/test_properties.py,
tests/test_on.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
import os
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from issfacts import cache, query
from issfacts.errors import NotFound
from issfacts.model import OPEN_END, OPEN_START, Catalog
from issfacts.rows import REF_FIELDS, LazyCatalog, RefField, Row, refs

if TYPE_CHECKING:
    import subprocess  # a warm query never starts a writer: 2 ms of imports spared

SQLITE_MAX_INT = 2**63 - 1
# The dataset's order (model.Event.sort_key). Rows are numbered as written, in the file's
# order when streamed (stream.py), so the order is the index's, not the row numbers'.
_ORDER = "first, last, id"
_ORDER_DESC = "first DESC, last DESC, id DESC"

_SCHEMA = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE events(
    seq INTEGER PRIMARY KEY,  -- the order rows were written in; the dataset's is (first, last, id)
    id TEXT NOT NULL,
    first INTEGER NOT NULL,
    last INTEGER NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    row BLOB NOT NULL,  -- _encode: the Row's other fields
    line TEXT NOT NULL  -- the record as JSON: printed as it is, and the record parsed from it
);
-- its own index: kept in order as the rows come, where a table and an index built after
-- them took twice the room and 1.0 s of the end of a 100,000-event compile
CREATE TABLE refs(field TEXT NOT NULL, ref TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (field, ref, seq))
    WITHOUT ROWID;
CREATE TABLE haystack(seq INTEGER PRIMARY KEY, text TEXT NOT NULL);
"""
# Built once the rows are in. For 10,000 events the inserts took 0.65 s with the indexes
# in place, 0.40 s without them, and building them afterwards 0.15 s (time.perf_counter
# around write_entry, benchmarks/gen.py 10000).
_INDEXES = """
CREATE UNIQUE INDEX events_id ON events(id);
CREATE INDEX events_first ON events(first, last, id);
CREATE INDEX events_last ON events(last);
"""
# The haystack is casefolded already, so a case-sensitive trigram index gives exactly
# the in-memory engine's substring semantics.
_FTS = (
    "CREATE VIRTUAL TABLE search USING fts5("
    "text, content='haystack', content_rowid='seq', tokenize='trigram case_sensitive 1', detail=none)"
)


# -- a row, in and out ---------------------------------------------------------------------


def _encode(row: Row) -> bytes:
    """The Row's fields but the three stored apart: the haystack (its own table), the
    record and the line (the `line` column, the record parsed back from it)."""
    return marshal.dumps((row.id, row.first, row.last, row.kind, row.status, *row[5:9]))


def _decode(blob: bytes, line: str) -> Row:
    """`_encode`'s inverse. The record is parsed from its stored JSON: 7.0 ms for 735 rows,
    where unmarshalling a stored record and encoding it again took 19.8 (time.perf_counter,
    a 10,000-event entry, `--since 2021`)."""
    import json

    ident, first, last, kind, status, spacecraft, agencies, people, sources = marshal.loads(blob)
    return Row(ident, first, last, kind, status, spacecraft, agencies, people, sources, "", json.loads(line), line)


# -- writing an entry ----------------------------------------------------------------------


def write_entry(directory: Path, key: str, stamp: cache.EntryStamp, catalog: LazyCatalog, rows: list[Row]) -> None:
    def write(tmp: Path) -> None:
        writer = EntryWriter(tmp)
        try:
            writer.add(rows)
            writer.finish(key, stamp, catalog)
        finally:
            writer.close()

    cache.atomic_write(directory, directory / f"{key}.sqlite", write, (OSError, sqlite3.Error))


BESIDE_FROM_ROWS = 1000  # a first batch this large (stream.BATCH is 2000): more are coming
# One batch of rows as the entry's tables take them: (events, refs, haystack) parameters.
Batch = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _batch(rows: Sequence[Row], start: int) -> Batch:
    """The rows, numbered from `start`, as the parameters of each table's INSERT."""
    numbered = list(enumerate(rows, start))
    return (
        [(seq, r.id, r.first, r.last, r.kind, r.status, _encode(r), r.line) for seq, r in numbered],
        [(field, ref, seq) for seq, r in numbered for field in REF_FIELDS for ref in refs(r, field)],
        [(seq, r.haystack) for seq, r in numbered],
    )


class EntryWriter:
    """An entry written a batch of rows at a time (stream.Sink), in one transaction, by
    an `EntryFile` here or, with `beside`, in a process of its own (`ChildFile`), so that
    SQLite's work overlaps the parsing and validating of the next rows. The search index
    and the other indexes are built once, after the last row, unless built as the rows
    come (beside: that work is the other process's, in parallel).

    The file is opened at the first batch, in a child only when that batch is a large
    one: a file refused before its first rows, or small enough for one batch, starts none.
    For 100,000 events (benchmarks/gen.py 100000 --seed 1) the compile took 25.8 s here
    and 18.4 s beside, of which the end (indexes, search index) 5.5 s and 1.9 s: the
    parse alone, rows thrown away, takes 14.0 s (time.perf_counter around
    stream.compile_stream and finish, one run each)."""

    def __init__(self, path: Path, *, beside: bool = False) -> None:
        self.path, self.beside = path, beside
        self._file: EntryFile | ChildFile | None = None
        self.count = 0
        self.span = 0  # the longest a closed date lasts: bounds a window's scan

    def _open(self, rows: int = 0) -> EntryFile | ChildFile:
        if self._file is None:
            if self.beside and rows >= BESIDE_FROM_ROWS and sys.executable:
                with contextlib.suppress(OSError):  # no interpreter to start (a frozen build): written here
                    self._file = ChildFile.start(self.path)
            if self._file is None:
                self._file = EntryFile(self.path)
        return self._file

    def add(self, rows: list[Row]) -> None:
        self._open(len(rows)).insert(_batch(rows, self.count))
        closed = (r.last - r.first for r in rows if r.first != OPEN_START and r.last != OPEN_END)
        self.span = max(self.span, *closed, 0) if rows else self.span
        self.count += len(rows)

    def seqs_of(self, ids: set[str]) -> dict[str, list[int]]:
        return self._open().seqs_of(ids)

    def finish(self, key: str, stamp: cache.EntryStamp, catalog: LazyCatalog) -> None:
        self._open().finish(_meta(key, stamp, catalog, self.span))

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class EntryFile:
    """The entry's SQLite file being written: rows in, then its indexes and meta."""

    def __init__(self, path: Path, *, search_as_added: bool = False) -> None:
        self.db = sqlite3.connect(path)
        # 64 MiB of page cache (SQLite's default is 2): the index builds sort in it
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;" + _SCHEMA)
        self.fts = _create_search(self.db)
        # Indexing each batch as it comes costs 4.6 s for 100,000 events where one rebuild
        # at the end costs 3.7 s: worth it only where it runs beside the parse (ChildFile).
        self.search_as_added = search_as_added and self.fts

    def insert(self, batch: Batch) -> None:
        events, references, haystacks = batch
        db = self.db
        db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", events)
        db.executemany("INSERT INTO refs VALUES (?, ?, ?)", references)
        db.executemany("INSERT INTO haystack VALUES (?, ?)", haystacks)
        if self.search_as_added:
            db.executemany("INSERT INTO search(rowid, text) VALUES (?, ?)", haystacks)

    def seqs_of(self, ids: set[str]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        wanted = sorted(ids)
        for start in range(0, len(wanted), 500):  # within SQLite's limit on parameters
            part = wanted[start : start + 500]
            sql = f"SELECT id, seq FROM events WHERE id IN ({','.join('?' * len(part))}) ORDER BY seq"
            for ident, seq in self.db.execute(sql, part):
                out.setdefault(ident, []).append(seq)
        return out

    def finish(self, meta: list[tuple[str, Any]]) -> None:
        db = self.db
        db.executemany("INSERT INTO meta VALUES (?, ?)", [*meta, ("fts", int(self.fts))])
        if self.fts and not self.search_as_added:
            db.execute("INSERT INTO search(search) VALUES ('rebuild')")
        db.executescript(_INDEXES)
        db.commit()

    def close(self) -> None:
        self.db.close()


# -- the entry written in a process of its own ------------------------------------------------
#
# The parent sends each message as 8 bytes of length and a marshal blob: ("insert", batch),
# which is not answered, so the parent goes on parsing; ("seqs", ids) and ("finish", meta),
# answered ("ok", value) or ("error", message). A failure ends the child, and the parent
# learns it at its next message (a broken pipe, or the error as the answer).


class ChildFile:
    """An EntryFile run by a child process (`serve`), with the same methods. SQLite
    releases the GIL, but a thread of this process could not use that: each row's insert
    would wait for the parsing thread to hand the GIL back (5 ms a switch)."""

    CLOSE_WAIT_S = 5.0  # for the child to finish its last statement once its pipe is closed

    def __init__(self, child: subprocess.Popen[bytes]) -> None:
        self.child = child
        assert child.stdin is not None and child.stdout is not None
        self.to_child, self.from_child = child.stdin, child.stdout

    @classmethod
    def start(cls, path: Path) -> ChildFile:
        # The package's own directory first: a directory named issfacts in the working
        # directory (where -c looks first) must not be imported instead.
        import subprocess

        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        code = f"import sys; sys.path.insert(0, {package!r}); import issfacts.sqlite_store as s; s.serve(sys.argv[1])"
        child = subprocess.Popen(
            [sys.executable, "-c", code, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # it reports through its answers; nothing of it reaches the user
        )
        return cls(child)

    def _send(self, message: tuple[Any, ...]) -> None:
        self.to_child.write(_framed(message))

    def _ask(self, message: tuple[Any, ...]) -> Any:
        self._send(message)
        self.to_child.flush()
        answer = _receive(self.from_child)
        if answer is None:
            raise OSError("the cache writer stopped")
        if answer[0] != "ok":
            raise sqlite3.OperationalError(answer[1])
        return answer[1]

    def insert(self, batch: Batch) -> None:
        self._send(("insert", batch))

    def seqs_of(self, ids: set[str]) -> dict[str, list[int]]:
        return dict(self._ask(("seqs", sorted(ids))))

    def finish(self, meta: list[tuple[str, Any]]) -> None:
        self._ask(("finish", meta))

    def close(self) -> None:
        """Ends the child, done or not: its pipe closed, it stops at the end of what it is
        doing, and is killed if that takes longer than CLOSE_WAIT_S (it ignores Ctrl-C,
        which is the parent's to handle)."""
        import subprocess

        with contextlib.suppress(OSError):  # it is gone already, with what was still buffered for it
            self.to_child.close()
        try:
            self.child.wait(timeout=self.CLOSE_WAIT_S)
        except subprocess.TimeoutExpired:
            self.child.kill()
            self.child.wait()
        finally:
            self.from_child.close()


def _receive(stream: IO[bytes]) -> Any:
    """The next message on `stream`; None at its end (or a message cut short)."""
    header = stream.read(8)
    if len(header) < 8:
        return None
    size = int.from_bytes(header, "little")
    blob = stream.read(size)
    return marshal.loads(blob) if len(blob) == size else None


def serve(path: str) -> None:
    """The child's side of ChildFile: write the entry at `path` as the messages say,
    until its parent closes the pipe."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    incoming, outgoing = sys.stdin.buffer, sys.stdout.buffer
    file = EntryFile(Path(path), search_as_added=True)
    try:
        while (message := _receive(incoming)) is not None:
            try:
                if message[0] == "insert":
                    file.insert(message[1])
                    continue
                value: Any = None
                if message[0] == "seqs":
                    value = file.seqs_of(set(message[1]))
                else:
                    file.finish(message[1])
            except (sqlite3.Error, OSError, MemoryError) as error:
                outgoing.write(_framed(("error", f"{type(error).__name__}: {error}")))
                outgoing.flush()
                return
            outgoing.write(_framed(("ok", value)))
            outgoing.flush()
    finally:
        file.close()


def _framed(message: tuple[Any, ...]) -> bytes:
    """A message as it goes down a pipe: 8 bytes of length, then its marshal blob."""
    blob = marshal.dumps(message)
    return len(blob).to_bytes(8, "little") + blob


def _create_search(db: sqlite3.Connection) -> bool:
    try:
        db.execute(_FTS)
    except sqlite3.OperationalError:  # SQLite without FTS5 or trigram: scan instead
        return False
    return True


def _meta(key: str, stamp: cache.EntryStamp, catalog: LazyCatalog, span: int) -> list[tuple[str, Any]]:
    """The meta rows but `fts`, which the file adds (EntryFile.finish)."""
    return [
        ("magic", cache.MAGIC),
        ("format", cache.FORMAT),
        ("key", key),
        ("digest", stamp.digest),
        ("built_at", stamp.built_at),
        ("catalog", marshal.dumps(catalog.plain())),
        ("span", span),
    ]


# -- reading an entry ----------------------------------------------------------------------


def open_entry(path: Path, key: str) -> tuple[cache.EntryStamp, SqliteStore] | None:
    """A read-only store over the entry if it is one of ours for `key`; None otherwise."""
    try:
        if not path.is_file():
            return None
    except OSError:  # an unreadable directory, a path too long: no entry
        return None
    try:
        # immutable: entries are replaced whole, never changed in place, so no locking
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    try:
        # The sort of a large answer in memory, not in a temporary file: `--since 2021-03
        # --until 2021-04` (8,603 events of a million) took 55 ms with the default, 33 ms
        # so (time.perf_counter around the SELECT, best of 3).
        db.execute("PRAGMA temp_store=MEMORY")
        meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
        if (meta.get("magic"), meta.get("format"), meta.get("key")) != (cache.MAGIC, cache.FORMAT, key):
            raise ValueError("not this file's entry")
        catalog = LazyCatalog(plain=marshal.loads(meta["catalog"]))
        stamp = cache.EntryStamp(str(meta["digest"]), int(meta["built_at"]))
        return stamp, SqliteStore(db, catalog, fts=bool(meta["fts"]), span=int(meta["span"]))
    except (sqlite3.Error, ValueError, EOFError, TypeError, KeyError, MemoryError, RecursionError):
        db.close()
        return None


class SqliteStore:
    """Answers from a cache entry in SQLite, reading only the rows a query selects."""

    def __init__(self, db: sqlite3.Connection, catalog: LazyCatalog, *, fts: bool, span: int) -> None:
        self.db, self.lazy_catalog, self.fts, self.span = db, catalog, fts, span

    @property
    def catalog(self) -> Catalog:
        return self.lazy_catalog.catalog

    def close(self) -> None:
        self.db.close()

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        return [_decode(blob, line) for blob, line in self.db.execute(sql, params)]

    def select(self, q: query.Query) -> list[Row]:
        found = self._select("row, line", q)
        return [] if found is None else [_decode(blob, line) for blob, line in found]

    def lines(self, q: query.Query) -> list[bytes]:
        # The text's own bytes: SQLite stores it as UTF-8, and CAST hands them over as they are.
        found = self._select("CAST(line AS BLOB)", q)
        return [] if found is None else [line for (line,) in found]

    def _select(self, columns: str, q: query.Query) -> sqlite3.Cursor | None:
        """The events `q` selects, their `columns` in the dataset's order; None for an empty window."""
        bounds = query.window(q)
        if bounds is None:
            return None
        where: list[str] = []
        params: list[object] = []
        for clause, values in self._conditions(q, *bounds):
            where.append(clause)
            params.extend(values)
        sql = f"SELECT {columns} FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY " + (_ORDER_DESC if q.reverse else _ORDER)
        if q.limit is not None:
            sql += " LIMIT ?"
            params.append(min(q.limit, SQLITE_MAX_INT))  # SQLite integers are 64-bit
        return self.db.execute(sql, params)

    def _conditions(self, q: query.Query, since: int | None, until: int | None) -> Iterator[tuple[str, list[object]]]:
        """The WHERE clauses of `q`, each with its parameters; the same rules as query.select."""
        if q.within:
            if since is not None:
                yield "first >= ?", [since]
            if until is not None:
                yield "last <= ?", [until]
        else:
            if since is not None:
                # `last >= since` alone would scan the table: bound the indexed `first` too. A
                # closed date lasts at most `span` days; open ones are found by their own index.
                yield (
                    "last >= ? AND (first >= ? OR first = ? OR last = ?)",
                    [
                        since,
                        since - self.span,
                        OPEN_START,
                        OPEN_END,
                    ],
                )
            if until is not None:
                yield "first <= ?", [until]
        for column, values in (("kind", q.kinds), ("status", q.statuses)):
            if values:
                yield f"{column} IN ({','.join('?' * len(values))})", [v.value for v in values]
        for field, ids in (("spacecraft", q.spacecraft), ("agencies", q.agencies), ("people", q.people)):
            if ids:
                marks = ",".join("?" * len(ids))
                yield f"seq IN (SELECT seq FROM refs WHERE field = ? AND ref IN ({marks}))", [field, *sorted(ids)]
        if q.on is not None:
            yield self._on(q.on)
        if q.search:
            yield self._search(q.search)

    def _on(self, on: query.MonthDay) -> tuple[str, list[object]]:
        """`--on` through the index on `first`: the ranges of ordinals `on` names in each
        year the dated starts span (query.on_ranges), each looked up in the index, where
        a scan would read every row of the table and compute each one's date. For 10,000
        events (benchmarks/gen.py 10000 --seed 1): `--on 07-29` 0.6 ms, `--on 07` 4.9 ms;
        a scan with strftime over the ordinals, 15.4 and 18.0 ms (time.perf_counter
        around the SELECT). No column is added, so the entry layout stays as it was."""
        low, high = self.db.execute(
            "SELECT (SELECT min(first) FROM events WHERE first > ?), (SELECT max(first) FROM events)", [OPEN_START]
        ).fetchone()
        if low is None:  # no event with a known start: nothing is on any day
            return "0", []
        ranges = query.on_ranges(on, dt.date.fromordinal(low).year, dt.date.fromordinal(high).year)
        if not ranges:  # 02-29 and no leap year in the span
            return "0", []
        # Integers made here, written into the SQL: a parameter each could pass SQLite's
        # limit on them (999 before 3.32) for data spanning centuries.
        values = ",".join(f"({int(start)},{int(end)})" for start, end in ranges)
        return (
            f"seq IN (SELECT x.seq FROM (VALUES {values}) AS m JOIN events AS x"
            " ON x.first BETWEEN m.column1 AND m.column2 AND x.last <= m.column2)",
            [],
        )

    def _search(self, terms: Sequence[str]) -> tuple[str, list[object]]:
        alternatives: list[str] = []
        params: list[object] = []
        for term in terms:
            folded = term.casefold()
            if "\0" in folded:  # SQLite's string functions stop at a NUL: match in Python
                seqs = [seq for seq, text in self.db.execute("SELECT seq, text FROM haystack") if folded in text]
                alternatives.append(f"seq IN ({','.join(map(str, seqs)) or 'NULL'})")
            elif self.fts and len(folded) >= 3:
                # trigram-indexed GLOB; [*], [?] and [[] stand for those characters literally
                alternatives.append("seq IN (SELECT rowid FROM search WHERE text GLOB ?)")
                params.append("*" + "".join(f"[{c}]" if c in "*?[" else c for c in folded) + "*")
            else:  # too short for trigrams: scan the haystacks
                alternatives.append("seq IN (SELECT seq FROM haystack WHERE instr(text, ?) > 0)")
                params.append(folded)
        return "(" + " OR ".join(alternatives) + ")", params

    def find(self, ident: str) -> Row:
        """As query.find_event: the exact id, else the one id containing it."""
        wanted = ident.strip().casefold()
        exact = self._rows("SELECT row, line FROM events WHERE id = ?", [wanted])
        if exact:
            return exact[0]
        pattern = "%" + wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        candidates = self._rows(
            f"SELECT row, line FROM events WHERE id LIKE ? ESCAPE '\\' ORDER BY {_ORDER}", [pattern]
        )
        # LIKE folds ASCII case only; ids are lowercase slugs, so the exact test decides
        candidates = [row for row in candidates if wanted and wanted in row.id]
        if candidates:
            return query.find_event(ident, candidates)  # the one, or Ambiguous
        ids = [found for (found,) in self.db.execute(f"SELECT id FROM events ORDER BY {_ORDER}")]
        raise NotFound("event", ident, query.suggest(ident, ids))

    def counts(self, field: RefField) -> dict[str, int]:
        sql = "SELECT ref, count(*) FROM refs WHERE field = ? GROUP BY ref"
        return dict(self.db.execute(sql, [field]).fetchall())
