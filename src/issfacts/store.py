"""Where answers come from: compiled rows in memory, or the SQLite cache of a large file.

Both engines answer the same `Query` with the same rows; tests/test_cache.py holds them
to it. `open_store` picks one: a warm cache entry when there is one for the file's exact
bytes, otherwise the file itself, parsed, validated and compiled (and then cached).
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from issfacts import cache, query
from issfacts.model import OPEN_END, OPEN_START

SQLITE_MAX_INT = 2**63 - 1

if TYPE_CHECKING:
    from issfacts.compiled import PlainCatalog, Row
    from issfacts.model import Catalog


class Store(Protocol):
    @property
    def catalog(self) -> Catalog: ...

    def select(self, q: query.Query) -> list[Row]:
        """Events matching `q`, in date order (or reversed), at most `q.limit`."""

    def find(self, ident: str) -> Row:
        """One event by id or unique part of an id; NotFound or Ambiguous otherwise."""

    def counts(self, field: str) -> dict[str, int]:
        """For spacecraft, agencies, people or sources: how many events name each id."""


class _PlainCatalog:
    """The catalog, rebuilt into model objects only when a command asks for it."""

    def __init__(self, plain: PlainCatalog) -> None:
        self._plain: PlainCatalog | None = plain
        self._catalog: Catalog | None = None

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            from issfacts.compiled import catalog_from_plain

            assert self._plain is not None
            self._catalog, self._plain = catalog_from_plain(self._plain), None
        return self._catalog


class MemoryStore(_PlainCatalog):
    """Answers from compiled rows held in memory."""

    def __init__(self, plain: PlainCatalog, rows: Sequence[Row]) -> None:
        super().__init__(plain)
        self.rows = rows

    def select(self, q: query.Query) -> list[Row]:
        return query.select(self.rows, q)

    def find(self, ident: str) -> Row:
        return query.find_event(ident, self.rows)

    def counts(self, field: str) -> dict[str, int]:
        return query.count_refs(self.rows, field)


class SqliteStore(_PlainCatalog):
    """Answers from a cache entry in SQLite, reading only the rows a query selects."""

    def __init__(self, opened: cache.SqliteEntry) -> None:
        super().__init__(opened.catalog)
        self.db, self.fts, self.span = opened.db, opened.fts, opened.span

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Rows from `SELECT row, line ...`. The record is parsed from its stored JSON:
        7.0 ms for 735 rows, where unmarshalling a stored record and encoding it took 19.8."""
        import json

        from issfacts.compiled import Row

        # record and line are the Row's last two fields
        return [
            Row._make((*marshal.loads(blob), json.loads(line), line)) for blob, line in self.db.execute(sql, params)
        ]

    def select(self, q: query.Query) -> list[Row]:
        where, params = [], []  # type: tuple[list[str], list[object]]
        since, until = query.window(q)
        if since is not None and until is not None and since > until:
            return []  # an empty window, as in query.select
        if q.within:
            if since is not None:
                where.append("first >= ?")
                params.append(since)
            if until is not None:
                where.append("last <= ?")
                params.append(until)
        else:
            if since is not None:
                # `last >= since` alone would scan the table: bound the indexed `first` too. A
                # closed date lasts at most `span` days; open ones are found by their own index.
                where.append("last >= ? AND (first >= ? OR first = ? OR last = ?)")
                params.extend([since, since - self.span, OPEN_START, OPEN_END])
            if until is not None:
                where.append("first <= ?")
                params.append(until)
        for column, values in (("kind", q.kinds), ("status", q.statuses)):
            if values:
                where.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(v.value for v in values)
        for field, ids in (
            ("spacecraft", q.spacecraft),
            ("agencies", q.agencies),
            ("people", q.people),
        ):
            if ids:
                where.append(f"seq IN (SELECT seq FROM refs WHERE field = ? AND ref IN ({','.join('?' * len(ids))}))")
                params.extend([field, *sorted(ids)])
        if q.search:
            alternatives = []
            for term in q.search:
                folded = term.casefold()
                if "\0" in folded:  # SQLite's string functions stop at a NUL: match in Python
                    alternatives.append(f"seq IN ({','.join(map(str, self._seqs_containing(folded))) or 'NULL'})")
                elif self.fts and len(folded) >= 3:
                    # trigram-indexed GLOB; [*], [?] and [[] stand for those characters literally
                    alternatives.append("seq IN (SELECT rowid FROM search WHERE text GLOB ?)")
                    params.append("*" + "".join(f"[{c}]" if c in "*?[" else c for c in folded) + "*")
                else:  # too short for trigrams: scan the haystacks
                    alternatives.append("seq IN (SELECT seq FROM haystack WHERE instr(text, ?) > 0)")
                    params.append(folded)
            where.append("(" + " OR ".join(alternatives) + ")")
        sql = "SELECT row, line FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq" + (" DESC" if q.reverse else "")
        if q.limit is not None:
            sql += " LIMIT ?"
            params.append(min(q.limit, SQLITE_MAX_INT))  # SQLite integers are 64-bit
        return self._rows(sql, params)

    def _seqs_containing(self, folded: str) -> list[int]:
        return [seq for seq, text in self.db.execute("SELECT seq, text FROM haystack") if folded in text]

    def find(self, ident: str) -> Row:
        wanted = ident.strip().casefold()
        exact = self._rows("SELECT row, line FROM events WHERE id = ?", [wanted])
        if exact:
            return exact[0]
        pattern = "%" + wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        candidates = self._rows("SELECT row, line FROM events WHERE id LIKE ? ESCAPE '\\'", [pattern])
        # LIKE folds ASCII case only; ids are lowercase slugs, so the exact test decides
        candidates = [row for row in candidates if wanted and wanted in row.id]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            return query.find_event(ident, candidates)  # raises Ambiguous
        ids = [ident_ for (ident_,) in self.db.execute("SELECT id FROM events")]
        from issfacts.errors import NotFound

        raise NotFound("event", ident, query.suggest(ident, ids))

    def counts(self, field: str) -> dict[str, int]:
        sql = "SELECT ref, count(*) FROM refs WHERE field = ? GROUP BY ref"
        return dict(self.db.execute(sql, [field]).fetchall())


def open_store(path: Path, *, use_cache: bool = True, environ: Mapping[str, str] | None = None) -> Store:
    """The store for the data file at `path`: a warm cache entry, or the parsed file."""
    import os

    from issfacts.datafile import is_stdin, read_bytes, stat

    shown = str(path)
    if not use_cache:
        return _compile(read_bytes(path), shown)
    if is_stdin(path):  # read once, so keyed by its content whatever its size
        data: bytes | None = read_bytes(path)
        st = None
    else:
        st = stat(path)
        data = read_bytes(path) if st.st_size <= cache.CONTENT_KEY_UP_TO else None
    if data is not None:
        key = cache.content_key(data)
    else:
        assert st is not None
        key = cache.stat_key(path, st)
    directory = cache.cache_dir(os.environ if environ is None else environ)

    def trusted(entry: cache.Entry) -> bool:
        nonlocal data
        if key.startswith("c") or (st is not None and st.st_ctime_ns < entry.built_at - cache.RACY_NS):
            return True
        data = read_bytes(path) if data is None else data  # racily clean: check the content
        return cache.digest(data) == entry.digest

    entry_path = directory / f"{key}.marshal"
    hit = cache.read_marshal(entry_path, key)
    if hit is not None and trusted(hit[0]):
        cache.touch(entry_path)
        return MemoryStore(hit[1], hit[2])
    entry_path = directory / f"{key}.sqlite"
    opened = cache.open_sqlite(entry_path, key)
    if opened is not None:
        if trusted(opened.entry):
            cache.touch(entry_path)
            content = data
            return _Resilient(
                SqliteStore(opened),
                lambda: _compile(read_bytes(path) if content is None else content, shown),
                entry_path,
            )
        opened.db.close()
    import time

    built_at = time.time_ns()
    data = read_bytes(path) if data is None else data
    store = _compile(data, shown)
    entry = cache.Entry(cache.digest(data), built_at)
    write = cache.write_sqlite if len(store.rows) >= cache.SQLITE_FROM_EVENTS else cache.write_marshal
    write(directory, key, entry, store.plain, list(store.rows))
    return store


class _Resilient:
    """A SQLite store that falls back to the file itself if the entry turns out corrupt."""

    def __init__(self, primary: Store, fallback: Callable[[], Store], entry: Path) -> None:
        self._primary, self._fallback, self._entry = primary, fallback, entry

    def _recover(self) -> Store:
        self._entry.unlink(missing_ok=True)  # rebuilt on the next run
        self._primary = self._fallback()
        return self._primary

    @property
    def catalog(self) -> Catalog:
        return self._primary.catalog

    def _call(self, method: str, *args: object) -> Any:
        import sqlite3

        try:
            return getattr(self._primary, method)(*args)
        except (sqlite3.Error, ValueError, EOFError, TypeError):  # a damaged page or row
            return getattr(self._recover(), method)(*args)

    def select(self, q: query.Query) -> list[Row]:
        return self._call("select", q)  # type: ignore[no-any-return]

    def find(self, ident: str) -> Row:
        return self._call("find", ident)  # type: ignore[no-any-return]

    def counts(self, field: str) -> dict[str, int]:
        return self._call("counts", field)  # type: ignore[no-any-return]


class _FreshStore(MemoryStore):
    """A store just compiled from the file; keeps the plain catalog for the cache writer."""

    def __init__(self, plain: PlainCatalog, rows: Sequence[Row]) -> None:
        super().__init__(plain, rows)
        self.plain = plain


def _compile(data: bytes, shown: str) -> _FreshStore:
    from issfacts.compiled import catalog_to_plain, compile_rows
    from issfacts.datafile import decode
    from issfacts.load import load_text
    from issfacts.yamlio import gc_paused

    # Everything built here survives until the answer is printed: the collector's passes
    # over it are wasted (0.18 s of a 2.93 s first query of 10,000 events).
    with gc_paused():
        dataset = load_text(decode(data, shown), shown)
        return _FreshStore(catalog_to_plain(dataset.catalog), compile_rows(dataset))
