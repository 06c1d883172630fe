"""Where answers come from: `open_store` picks a warm cache entry for the data file when
there is one, otherwise reads, validates and compiles the file (and keeps the result).

Every store answers the same `Store` protocol with the same rows: MemoryStore
(memory_store.py) for small files and fresh loads, SqliteStore (sqlite_store.py) for the
cache of a large file, wrapped in a FallbackStore that answers from the file itself if
the entry turns out damaged in the middle of a query.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from issfacts import cache, query
from issfacts.memory_store import MemoryStore
from issfacts.rows import RefField, Row

if TYPE_CHECKING:
    from issfacts.model import Catalog

    Progress = Callable[[int, int], None]  # stream.Progress: (bytes read, events compiled)

T = TypeVar("T")


class Store(Protocol):
    @property
    def catalog(self) -> Catalog: ...

    def select(self, q: query.Query) -> list[Row]:
        """Events matching `q`, in the dataset's order (or reversed), at most `q.limit`."""
        ...

    def lines(self, q: query.Query) -> list[bytes]:
        """`select`'s events as their JSON lines only (Row.line), UTF-8 encoded, for the
        JSON formats to write as they are: no record parsed, no text decoded and encoded
        again, which at a million events was most of a query (cli._events_for)."""
        ...

    def find(self, ident: str) -> Row:
        """One event by id or unique part of an id; NotFound or Ambiguous otherwise."""
        ...

    def counts(self, field: RefField) -> dict[str, int]:
        """For spacecraft, agencies, people or sources: how many events name each id."""
        ...


def open_store(
    path: Path,
    *,
    use_cache: bool = True,
    environ: Mapping[str, str] | None = None,
    progress: Callable[[int], Progress | None] | None = None,
) -> Store:
    """The store for the data file at `path`: a warm cache entry, or the parsed file.
    `progress`, given the file's size, may return what to tell of a long first load."""
    if not use_cache:
        return compile_path(path, progress)
    probe = _Probe(path)
    directory = cache.cache_dir(os.environ if environ is None else environ)
    warm = _warm(probe, directory, progress)
    if warm is not None:
        return warm
    import time

    built_at = time.time_ns()
    if probe.stat is not None and _streamed(probe.stat):
        return _compile_streaming(path, (directory, probe.key), progress)
    data = probe.content()
    store = compile_file(data, str(path))
    stamp = cache.EntryStamp(cache.digest(data), built_at)
    if len(store.rows) >= cache.SQLITE_FROM_EVENTS:
        from issfacts import sqlite_store

        sqlite_store.write_entry(directory, probe.key, stamp, store.lazy_catalog, list(store.rows))
    else:
        from issfacts import memory_store

        memory_store.write_entry(directory, probe.key, stamp, store)
    return store


class _Probe:
    """A data file as the cache sees it: its key, and its bytes read at most once."""

    def __init__(self, path: Path) -> None:
        from issfacts.datafile import is_stdin, stat

        self.path = path
        self._data: bytes | None = None
        self.stat = None if is_stdin(path) else stat(path)
        if self.stat is None or self.stat.st_size <= cache.CONTENT_KEY_UP_TO:  # stdin is read once: by content
            self.key = cache.content_key(self.content())
        else:
            self.key = cache.stat_key(path, self.stat)

    def content(self) -> bytes:
        if self._data is None:
            from issfacts.datafile import read_bytes

            self._data = read_bytes(self.path)
        return self._data

    def trusts(self, stamp: cache.EntryStamp) -> bool:
        """Whether an entry for this key holds this file: always for a content key; for a
        stat key, unless the file changed within RACY_NS of the entry being built (too
        close for coarse timestamps to tell), when the content decides."""
        if self.stat is None or self.key.startswith("c"):
            return True
        if self.stat.st_ctime_ns < stamp.built_at - cache.RACY_NS:
            return True
        if self._data is None and _streamed(self.stat):  # a large file: hashed a chunk at a time
            from issfacts.datafile import open_file

            hasher = cache.Hasher()
            with open_file(self.path) as file:
                while chunk := file.read(1024 * 1024):
                    hasher.update(chunk)
            return hasher.hexdigest() == stamp.digest
        return cache.digest(self.content()) == stamp.digest


def _warm(probe: _Probe, directory: Path, progress: Callable[[int], Progress | None] | None) -> Store | None:
    from issfacts import memory_store

    entry = directory / f"{probe.key}.marshal"
    hit = memory_store.read_entry(entry, probe.key)
    if hit is not None and probe.trusts(hit[0]):
        cache.touch(entry)
        return hit[1]
    entry = directory / f"{probe.key}.sqlite"
    try:
        if not entry.is_file():  # spare the SQLite import (3 ms) on every miss
            return None
    except OSError:  # an unreadable directory, a path too long: no entry
        return None
    from issfacts import sqlite_store

    opened = sqlite_store.open_entry(entry, probe.key)
    if opened is None:
        return None
    stamp, store = opened
    if not probe.trusts(stamp):
        store.close()
        return None
    cache.touch(entry)
    return FallbackStore(store, lambda: compile_path(probe.path, progress), entry)


class FallbackStore:
    """A store whose entry may turn out damaged in the middle of a query (a corrupt page):
    it then drops the entry, to be built again on the next run, and answers from the file."""

    def __init__(self, primary: Store, fallback: Callable[[], Store], entry: Path) -> None:
        self._primary, self._fallback, self._entry = primary, fallback, entry

    @property
    def catalog(self) -> Catalog:
        return self._primary.catalog

    def _ask(self, question: Callable[[Store], T]) -> T:
        import sqlite3

        try:
            return question(self._primary)
        except (sqlite3.Error, ValueError, EOFError, TypeError):  # a damaged page or row
            self._entry.unlink(missing_ok=True)
            self._primary = self._fallback()
            return question(self._primary)

    def select(self, q: query.Query) -> list[Row]:
        return self._ask(lambda store: store.select(q))

    def lines(self, q: query.Query) -> list[bytes]:
        return self._ask(lambda store: store.lines(q))

    def find(self, ident: str) -> Row:
        return self._ask(lambda store: store.find(ident))

    def counts(self, field: RefField) -> dict[str, int]:
        return self._ask(lambda store: store.counts(field))


def compile_file(data: bytes, label: str) -> MemoryStore:
    """Read, validate and compile a data file's bytes (`label` names it in messages)."""
    from issfacts.datafile import decode
    from issfacts.load import gc_paused, load_text
    from issfacts.rows import LazyCatalog, compile_rows

    # Everything built here survives until the answer is printed: the collector's passes
    # over it are wasted (0.18 s of a 2.93 s first query of 10,000 events, cProfile).
    with gc_paused():
        dataset = load_text(decode(data, label), label)
        return MemoryStore(LazyCatalog(catalog=dataset.catalog), compile_rows(dataset))


def _streamed(st: os.stat_result) -> bool:
    from issfacts.datafile import streamed

    return streamed(st.st_size)


def compile_path(path: Path, progress: Callable[[int], Progress | None] | None = None) -> Store:
    """The file at `path` compiled, kept nowhere: in memory, or (a large file) in a
    temporary SQLite file, deleted once open."""
    from issfacts.datafile import is_stdin, read_bytes, stat

    if not is_stdin(path) and _streamed(stat(path)):
        return _compile_streaming(path, None, progress)
    return compile_file(read_bytes(path), str(path))


def check_path(path: Path) -> tuple[Catalog, int]:
    """What `validate` says of a file that is valid: its catalogue and how many events;
    DataError otherwise. A large file is read as it is compiled."""
    from issfacts.datafile import is_stdin, stat

    if not is_stdin(path) and _streamed(stat(path)):
        import tempfile

        from issfacts import sqlite_store, stream
        from issfacts.datafile import open_file

        with tempfile.TemporaryDirectory(prefix="issfacts-") as scratch:
            writer = sqlite_store.EntryWriter(Path(scratch) / "check.sqlite", beside=True)
            try:
                compiled = stream.compile_stream(lambda: open_file(path), str(path), writer)
            finally:
                writer.close()
        return compiled.catalog, compiled.events
    from issfacts.load import load_path

    dataset = load_path(path)
    return dataset.catalog, len(dataset.events)


_UNKEPT = "uncached"  # the key of an entry written only to be read once


def _compile_streaming(
    path: Path, keep: tuple[Path, str] | None, progress: Callable[[int], Progress | None] | None
) -> Store:
    """Compile a large file as it is read into a SQLite entry: kept in the cache when
    `keep` (its directory and key) can be written, else in a temporary file deleted
    once open. Whatever stops it, Ctrl-C included, no partial entry is left behind."""
    import contextlib
    import sqlite3
    import tempfile
    import time

    from issfacts import sqlite_store, stream
    from issfacts.datafile import open_file
    from issfacts.rows import LazyCatalog

    built_at = time.time_ns()
    tell = None if progress is None else progress(os.stat(path).st_size)
    directory, key = keep if keep is not None else (None, _UNKEPT)
    try:
        if directory is None:
            raise OSError("not kept")
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".sqlite")
    except OSError:
        directory, key = None, _UNKEPT
        fd, name = tempfile.mkstemp(prefix="issfacts-", suffix=".sqlite")
    os.close(fd)
    tmp = Path(name)
    try:
        writer = sqlite_store.EntryWriter(tmp, beside=True)
        try:
            compiled = stream.compile_stream(lambda: open_file(path), str(path), writer, tell)
            stamp = cache.EntryStamp(compiled.digest, built_at)
            writer.finish(key, stamp, LazyCatalog(catalog=compiled.catalog))
        finally:
            writer.close()
        entry = tmp
        if directory is not None:
            entry = directory / f"{key}.sqlite"
            os.replace(tmp, entry)
        opened = sqlite_store.open_entry(entry, key)
    except (OSError, sqlite3.Error):
        if directory is None:
            raise
        return _compile_streaming(path, None, progress)  # a full or read-only cache: kept nowhere
    finally:
        if directory is None or tmp.exists():
            with contextlib.suppress(OSError):
                tmp.unlink()  # an open entry is still read (POSIX); an unfinished one is gone
    if directory is not None:
        cache.prune(directory)
    assert opened is not None, "an entry just written opens"
    return opened[1]
