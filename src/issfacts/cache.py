"""The cache directory and its entries' keys, stamps, writes and pruning.

What an entry holds is each backend's business (memory_store: one marshal blob;
sqlite_store: a SQLite file); this module knows only what every entry shares:

- Keyed by a hash of the data file's bytes and by the installed issfacts (`generation`),
  so any edit of either misses, even one that keeps the size and mtime; nothing is ever
  written beside the data file. Files over CONTENT_KEY_UP_TO bytes are keyed by path,
  inode, size, mtime and ctime instead: hashing 110 MB costs 220 ms a run, and no edit
  keeps ctime (the kernel sets it; utime cannot). An entry whose file changed less than
  RACY_NS before the entry was built is verified against the content hash it stores, as
  git does for "racily clean" files on filesystems with coarse timestamps (store.py).
- Written to a temporary file and renamed into place (`atomic_write`), so concurrent
  runs see a whole entry or none, and Ctrl-C leaves no half-written one.
- Read defensively by the backends: a truncated, corrupt or foreign entry is a miss,
  never an error, and an unwritable cache directory only means nothing is kept.
- Bounded: the KEEP_ENTRIES most recently used entries, KEEP_BYTES in all; entries of
  another installed issfacts go after a week unused.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

try:  # CPython's built-in module: 0.2 ms to import, where hashlib costs 3 ms (OpenSSL)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other interpreters
    from hashlib import blake2b

FORMAT = 7  # the entry layout; the key also changes with the code itself (generation())
MAGIC = "issfacts-cache"
SQLITE_FROM_EVENTS = 2_000  # below this a marshal blob is faster to load whole (store.py)
KEEP_ENTRIES = 16
# An entry for 100,000 events is about 400 MB, for a million 4.1 GB (measured:
# 4,117,065,728 bytes, FORMAT 7, README): room for one of those beside the others, so
# using a small file does not evict it.
KEEP_BYTES = 8 * 1024 * 1024 * 1024
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


def Hasher() -> blake2b:
    """`digest`, fed a chunk at a time (`update`, then `hexdigest`)."""
    return blake2b(digest_size=20)


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


class EntryStamp(NamedTuple):
    """What an entry says of itself: whose content it holds and when it was built."""

    digest: str
    built_at: int  # time.time_ns() just before the file was read


def payload_digest(payload: bytes) -> bytes:
    """A check of an entry's payload, to tell a whole entry from a damaged one."""
    return blake2b(payload, digest_size=16).digest()


# -- writing safely ------------------------------------------------------------------------


def atomic_write(
    directory: Path, final: Path, write: Callable[[Path], None], errors: tuple[type[Exception], ...] = (OSError,)
) -> None:
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
    prune(directory)


def touch(path: Path) -> None:
    """Mark an entry as used, so pruning drops the least recently used first. At most once
    an hour per entry: a warm query should not write to the disk every time."""
    import time

    try:
        if time.time() - path.stat().st_mtime > TOUCH_AFTER_S:
            os.utime(path)
    except OSError:
        pass


def prune(directory: Path) -> None:
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
