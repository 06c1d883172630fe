"""The compiled form of a data file, kept in the user's cache directory.

- Keyed by a hash of the file's bytes (and the cache format), so any edit misses, even
  one that keeps the size and mtime; nothing is ever written beside the data file.
  Files over CONTENT_KEY_UP_TO bytes are keyed by path, inode, size, mtime and ctime
  instead: hashing 110 MB costs 220 ms a run, and no edit keeps ctime (the kernel sets
  it; utime cannot). An entry whose file changed less than RACY_NS before the entry was
  built is verified against the content hash it stores, as git does for "racily clean"
  files on filesystems with coarse timestamps.
- Written to a temporary file and renamed into place, so concurrent runs see a whole
  entry or none.
- Read defensively: a truncated, corrupt or foreign entry is a miss, never an error,
  and an unwritable cache directory only means nothing is kept.
- Bounded: the KEEP_ENTRIES most recently used entries, KEEP_BYTES in all; entries of
  another cache format (another issfacts version) go after a week unused.
- Small datasets are kept as one marshal blob (loads in well under a millisecond);
  large ones as SQLite with an FTS5 trigram index, which answers a selective query
  without reading the whole dataset.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import sqlite3

    from issfacts.compiled import PlainCatalog, Row

try:  # CPython's built-in module: 0.2 ms to import, where hashlib costs 3 ms (OpenSSL)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other interpreters
    from hashlib import blake2b

FORMAT = 6  # the entry layout; the key also changes with the code itself (generation())
MAGIC = "issfacts-cache"
SQLITE_FROM_EVENTS = 2_000  # below this a marshal blob is faster to load whole
KEEP_ENTRIES = 16
KEEP_BYTES = 1024 * 1024 * 1024  # an entry for 100,000 events is about 380 MB (measured: 379,936,768 bytes)
STALE_FORMAT_S = 7 * 24 * 3600  # entries another installed version of issfacts may still read
TOUCH_AFTER_S = 3600
CONTENT_KEY_UP_TO = 4 * 1024 * 1024
RACY_NS = 2_000_000_000


def cache_dir(environ: Mapping[str, str]) -> Path:
    """The user's cache directory for issfacts, as platformdirs gives it.

    On Linux and BSD the XDG rule is read directly: importing platformdirs costs 4.5 ms
    (python -X importtime), more than the whole warm query. tests/test_cache.py checks
    the two agree.
    """
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        base = environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):  # unset, empty, relative or `~/...`: invalid, says the XDG spec
            base = os.path.join(environ.get("HOME") or os.path.expanduser("~"), ".cache")
        return Path(base) / "issfacts"
    import platformdirs

    return Path(platformdirs.user_cache_dir("issfacts", appauthor=False))


def digest(data: bytes) -> str:
    return blake2b(data, digest_size=20).hexdigest()


# Modules that cannot change what a cache entry holds: the command layer, the process
# boundary and the terminal renderer. Every other module of the package is hashed into
# the key, so a new module counts until someone decides it cannot matter.
_NOT_CACHED_SHAPE = frozenset({"__main__.py", "cli.py", "entry.py", "render_rich.py", "streams.py"})
_generation: str | None = None


def generation() -> str:
    """What entries of this installed issfacts end their keys with: the entry layout
    (FORMAT), the version, and the name, size and modification time of every module
    that shapes a cached row (parsing, validation, the model, the records, the compiled
    rows, the engines and this module). An upgrade rewrites them and an edit touches
    them, so either misses every older entry: no number has to be bumped by hand.
    Statting costs about 0.2 ms; reading and hashing their 140 KB cost 0.5-1 ms."""
    global _generation
    if _generation is None:
        from issfacts import __version__

        code = blake2b(f"{__version__}\0{FORMAT}".encode(), digest_size=6)
        here = os.path.dirname(os.path.abspath(__file__))
        try:
            for name in sorted(os.listdir(here)):
                if name.endswith(".py") and name not in _NOT_CACHED_SHAPE:
                    st = os.stat(os.path.join(here, name))
                    code.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        except OSError:  # sources not listable (a frozen build): the version alone
            pass
        _generation = f"{FORMAT}g{code.hexdigest()}"
    return _generation


def content_key(data: bytes) -> str:
    return f"c{digest(data)}-{generation()}"


def stat_key(path: Path, st: os.stat_result) -> str:
    identity = f"{os.path.realpath(path)}\0{st.st_dev}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}"
    return f"s{digest(identity.encode('utf-8', 'surrogateescape'))}-{generation()}"


class Entry(NamedTuple):
    """What an entry says of itself: whose content it holds and when it was built."""

    digest: str
    built_at: int  # time.time_ns() just before the file was read


def _payload_digest(payload: bytes) -> bytes:
    return blake2b(payload, digest_size=16).digest()


# -- marshal entries --------------------------------------------------------------------


def read_marshal(path: Path, key: str) -> tuple[Entry, PlainCatalog, list[Row]] | None:
    """The entry at `path` if it is whole and belongs to `key`; None otherwise."""
    from issfacts.compiled import Row

    try:
        header = marshal.loads(path.read_bytes())
        magic, version, entry_key, content, built_at, check, payload = header
        if (magic, version, entry_key) != (MAGIC, FORMAT, key) or _payload_digest(payload) != check:
            return None
        catalog, rows = marshal.loads(payload)
        return Entry(content, built_at), catalog, [Row._make(row) for row in rows]
    except (OSError, EOFError, ValueError, TypeError, MemoryError, RecursionError):
        return None  # missing, truncated, foreign or garbage: a miss


def write_marshal(directory: Path, key: str, entry: Entry, catalog: PlainCatalog, rows: list[Row]) -> None:
    payload = marshal.dumps((catalog, [tuple(row) for row in rows]))
    blob = marshal.dumps((MAGIC, FORMAT, key, *entry, _payload_digest(payload), payload))

    def write(tmp: Path) -> None:
        tmp.write_bytes(blob)

    _atomic_write(directory, directory / f"{key}.marshal", write)


# -- SQLite entries ----------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE events(
    seq INTEGER PRIMARY KEY,  -- date order
    id TEXT NOT NULL,
    first INTEGER NOT NULL,
    last INTEGER NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    row BLOB NOT NULL,  -- marshal of the Row but its last two fields, haystack left empty
    line TEXT NOT NULL  -- the record as JSON: printed as it is, and the record parsed from it
);
CREATE TABLE refs(field TEXT NOT NULL, ref TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE haystack(seq INTEGER PRIMARY KEY, text TEXT NOT NULL);
"""
# Built once the rows are in. For 10,000 events the inserts took 0.65 s with the indexes
# in place, 0.40 s without them, and building them afterwards 0.15 s.
_INDEXES = """
CREATE UNIQUE INDEX events_id ON events(id);
CREATE INDEX events_first ON events(first);
CREATE INDEX events_last ON events(last);
CREATE INDEX refs_by_ref ON refs(field, ref, seq);
"""
# The haystack is casefolded already, so a case-sensitive trigram index gives exactly
# the in-memory engine's substring semantics.
_FTS = (
    "CREATE VIRTUAL TABLE search USING fts5("
    "text, content='haystack', content_rowid='seq', tokenize='trigram case_sensitive 1', detail=none)"
)


def write_sqlite(directory: Path, key: str, entry: Entry, catalog: PlainCatalog, rows: list[Row]) -> None:
    import sqlite3

    from issfacts.model import OPEN_END, OPEN_START

    def closed(row: Row) -> bool:
        return row.first != OPEN_START and row.last != OPEN_END

    from issfacts.query import REF_FIELDS, refs_of

    def write(tmp: Path) -> None:
        db = sqlite3.connect(tmp)
        try:
            db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
            fts = True
            try:
                db.execute(_FTS)
            except sqlite3.OperationalError:  # SQLite without FTS5 or trigram: scan instead
                fts = False
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [
                    ("magic", MAGIC),
                    ("format", FORMAT),
                    ("key", key),
                    ("fts", int(fts)),
                    ("digest", entry.digest),
                    ("built_at", entry.built_at),
                    ("catalog", marshal.dumps(catalog)),
                    # The longest a closed date lasts; bounds a window's scan of `first`.
                    ("span", max((r.last - r.first for r in rows if closed(r)), default=0)),
                ],
            )
            db.executemany(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        seq,
                        r.id,
                        r.first,
                        r.last,
                        r.kind,
                        r.status,
                        marshal.dumps(tuple(r._replace(haystack=""))[:-2]),  # record and line: see `line`
                        r.line,
                    )
                    for seq, r in enumerate(rows)
                ),
            )
            db.executemany(
                "INSERT INTO refs VALUES (?, ?, ?)",
                ((field, ref, seq) for seq, r in enumerate(rows) for field in REF_FIELDS for ref in refs_of(r, field)),
            )
            db.executemany(
                "INSERT INTO haystack VALUES (?, ?)",
                ((seq, r.haystack) for seq, r in enumerate(rows)),
            )
            if fts:
                db.execute("INSERT INTO search(search) VALUES ('rebuild')")
            db.executescript(_INDEXES)
            db.commit()
        finally:
            db.close()

    _atomic_write(directory, directory / f"{key}.sqlite", write, (OSError, sqlite3.Error))


class SqliteEntry(NamedTuple):
    entry: Entry
    db: sqlite3.Connection
    catalog: PlainCatalog
    fts: bool  # the search table exists (SQLite has FTS5 with the trigram tokenizer)
    span: int  # the most days between an event's first and last possible day


def open_sqlite(path: Path, key: str) -> SqliteEntry | None:
    """A read-only connection to the entry if it is one of ours for `key`; None otherwise."""
    import sqlite3

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
        meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
        if (meta.get("magic"), meta.get("format"), meta.get("key")) != (MAGIC, FORMAT, key):
            raise ValueError("not this file's entry")
        catalog = marshal.loads(meta["catalog"])
        entry = Entry(str(meta["digest"]), int(meta["built_at"]))
        return SqliteEntry(entry, db, catalog, bool(meta["fts"]), int(meta["span"]))
    except (sqlite3.Error, ValueError, EOFError, TypeError, KeyError, MemoryError, RecursionError):
        db.close()
        return None


# -- writing safely ------------------------------------------------------------------------


def _atomic_write(directory: Path, final: Path, write: Any, errors: tuple[type[Exception], ...] = (OSError,)) -> None:
    """Best effort: a cache that cannot be written (`errors`: a full disk, a read-only
    directory, a path too long) is simply not kept. Whatever happens, Ctrl-C included, no
    temporary file is left behind; an error not in `errors` is a bug and propagates."""
    import tempfile

    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=final.suffix)
        os.close(fd)
    except OSError:
        return
    tmp = Path(name)
    kept = False
    try:
        write(tmp)
        os.replace(tmp, final)
        kept = True
    except errors:
        return
    except MemoryError:
        return
    finally:
        if not kept:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
    _prune(directory)


def touch(path: Path) -> None:
    """Mark an entry as used, so pruning drops the least recently used first. At most once
    an hour per entry: a warm query should not write to the disk every time."""
    import time

    try:
        if time.time() - path.stat().st_mtime > TOUCH_AFTER_S:
            os.utime(path)
    except OSError:
        pass


def _prune(directory: Path) -> None:
    """Keep the KEEP_ENTRIES most recently used entries, within KEEP_BYTES in all (the
    newest is kept whatever its size); drop entries of another cache format that went
    unused for a week, and leftovers of interrupted writes."""
    import time

    now = time.time()
    try:
        listing = list(directory.iterdir())
    except OSError:
        return
    entries = []
    for path in listing:
        if path.suffix in (".marshal", ".sqlite") or path.name.startswith(".tmp-"):
            with contextlib.suppress(OSError):  # renamed or removed by another run meanwhile
                entries.append((path, path.stat()))
    entries.sort(key=lambda item: item[1].st_mtime, reverse=True)
    kept = total = 0
    for path, st in entries:
        age = now - st.st_mtime
        if path.name.startswith(".tmp-"):
            drop = age > 3600  # a live write is never this old
        elif not path.stem.endswith(f"-{generation()}"):
            drop = age > STALE_FORMAT_S or kept >= KEEP_ENTRIES
        else:
            drop = kept >= KEEP_ENTRIES or (kept > 0 and total + st.st_size > KEEP_BYTES)
        if drop:
            with contextlib.suppress(OSError):
                path.unlink()
        else:
            kept, total = kept + (not path.name.startswith(".tmp-")), total + st.st_size
