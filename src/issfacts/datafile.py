"""Finding and reading a data file: bytes in, text out, with a located error otherwise.

Kept apart from load.py so a warm run (answered from the cache) reads and hashes the
file without importing the YAML machinery or the validator.
"""

from __future__ import annotations

import errno
import os
import stat as stat_module
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from issfacts.errors import DataError, Problem

BUNDLED = Path(__file__).with_name("data") / "events.yaml"


def default_path(environ: Mapping[str, str]) -> Path:
    """The active dataset: $ISSFACTS_DATA when set, else the bundled one."""
    value = environ.get("ISSFACTS_DATA", "")
    return Path(value) if value.strip() else BUNDLED


def _fail(shown: str, message: str, line: int = 1, column: int = 1) -> DataError:
    return DataError(shown, [Problem(shown, line, column, message)])


# The largest data file read. The loader holds about 19 bytes of memory per byte of YAML
# at its peak (2,035 MiB for a 110 MB file, benchmarks/bench.py), so the limit is also
# kept to a twentieth of the memory available when the file is large enough to matter.
MAX_BYTES = 1024**3
MEMORY_PER_BYTE = 20
# Larger files are compiled as they are read (stream.py), in memory that does not grow
# with the text: up to MAX_STREAM_BYTES (README, Performance: memory and time per million events).
STREAM_FROM_BYTES = 4 * 1024**2
MAX_STREAM_BYTES = 16 * 1024**3
_CHECK_MEMORY_ABOVE = 64 * 1024**2
STDIN_PATHS = frozenset({"-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})
_KINDS = (
    (stat_module.S_ISFIFO, "a named pipe (FIFO)"),
    (stat_module.S_ISCHR, "a character device"),
    (stat_module.S_ISBLK, "a block device"),
    (stat_module.S_ISSOCK, "a socket"),
)


def is_stdin(path: Path) -> bool:
    """`--data /dev/stdin` (or `-`): the dataset is piped in."""
    return str(path) in STDIN_PATHS


def stat(path: Path) -> os.stat_result:
    """The data file's status, once it is known to be a regular file within the size
    limit; otherwise the DataError read_bytes would raise."""
    shown = str(path)
    try:
        st = os.stat(path)
    except OSError as error:
        raise os_error(shown, error) from None
    _check(st, shown)
    return st


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a DataError saying why they cannot or will not be read.

    Only a regular file is read (or stdin, for `/dev/stdin`): a FIFO, a device, a socket
    or a directory is refused before a byte is read, so `--data /dev/zero` cannot fill
    memory and a FIFO with no writer cannot hang. The file is opened without blocking
    and checked again through its descriptor, so it cannot be swapped for one in between.
    """
    shown = str(path)
    if is_stdin(path):
        return _read_stdin(shown)
    with open_file(path) as file:
        try:
            return file.read()
        except OSError as error:
            raise os_error(shown, error) from None


def open_file(path: Path) -> IO[bytes]:
    """The regular file at `path`, open for reading once checked as read_bytes checks it."""
    shown = str(path)
    stat(path)  # what it is, before opening it (a socket cannot even be opened)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise os_error(shown, error) from None
    try:
        _check(os.fstat(fd), shown)
        return os.fdopen(fd, "rb")
    except BaseException as error:
        os.close(fd)
        if isinstance(error, OSError):
            raise os_error(shown, error) from None
        raise


def _read_stdin(shown: str) -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise _fail(shown, "stdin is closed; pipe a dataset in: issfacts --data /dev/stdin events < events.yaml")
    if sys.stdin.isatty():
        raise _fail(shown, "stdin is a terminal; pipe a dataset in: issfacts --data /dev/stdin events < events.yaml")
    limit = _memory_limit(MAX_BYTES + 1)  # read whole: stdin cannot be read twice
    try:
        data = bytes(stream.read(limit + 1))
    except OSError as error:
        raise os_error(shown, error) from None
    if len(data) > limit:
        raise _too_big(shown, len(data), limit, at_least=True)
    return data


def _check(st: os.stat_result, shown: str) -> None:
    if stat_module.S_ISDIR(st.st_mode):
        raise _fail(shown, "is a directory; point --data at a YAML file such as events.yaml")
    kind = special_kind(st.st_mode)
    if kind is not None:
        raise _fail(shown, f"is {kind}, not a regular file; point --data at a YAML file, or pipe one to /dev/stdin")
    limit = _limit(st.st_size)
    if st.st_size > limit:
        raise _too_big(shown, st.st_size, limit)


def special_kind(mode: int) -> str | None:
    """What a file of this mode is when it is neither a regular file nor a directory (a
    FIFO, a device, a socket), as messages name it; None otherwise."""
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return None


def streamed(size: int) -> bool:
    """Whether a file of `size` bytes is compiled as it is read (stream.py)."""
    return size > STREAM_FROM_BYTES


def _limit(size: int) -> int:
    """The most bytes a data file of about `size` bytes may have."""
    return MAX_STREAM_BYTES if streamed(size) else _memory_limit(size)


def _memory_limit(size: int) -> int:
    """The most bytes of a file read whole (stdin): a twentieth of the free memory."""
    if size <= _CHECK_MEMORY_ABOVE:
        return MAX_BYTES
    available = _available_memory()
    return MAX_BYTES if available is None else max(_CHECK_MEMORY_ABOVE, min(MAX_BYTES, available // MEMORY_PER_BYTE))


def _available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _too_big(shown: str, size: int, limit: int, *, at_least: bool = False) -> DataError:
    more = "more than " if at_least else ""
    if limit == MAX_STREAM_BYTES:
        return _fail(shown, f"is {more}{_mib(size)}; issfacts reads data files of up to {_mib(limit)}; split the file")
    return _fail(
        shown,
        f"is {more}{_mib(size)}; issfacts reads data from stdin up to {_mib(limit)} (1 GiB, and no more than a "
        f"{MEMORY_PER_BYTE}th of the free memory: it is read whole, about {MEMORY_PER_BYTE - 1} bytes of memory a "
        "byte); save it to a file, or split it",
    )


def _mib(size: int) -> str:
    return f"{size / 1024**2:,.1f} MiB"


def os_error(shown: str, error: OSError) -> DataError:
    messages = {
        errno.ENOENT: "no such file; check the path given by --data or ISSFACTS_DATA",
        errno.EISDIR: "is a directory; point --data at a YAML file such as events.yaml",
        errno.EACCES: "permission denied; make the file readable or copy it",
        errno.EPERM: "permission denied; make the file readable or copy it",
        errno.ELOOP: "too many levels of symbolic links (a symlink loop?); point --data at the file itself",
        errno.ENOTDIR: "a part of the path is not a directory; check the path",
        errno.ENAMETOOLONG: "the path is too long for this system",
        errno.ENXIO: "no such device or address (a FIFO or socket with nobody at the other end?)",
    }
    message = messages.get(error.errno or 0) or f"cannot read: {error.strerror or error}"
    return _fail(shown, message)


def decode(data: bytes, shown: str) -> str:
    """UTF-8 text without a BOM, or a DataError for binary or mis-encoded files."""
    nul = data.find(b"\0")
    if nul >= 0:
        raise DataError(shown, [decode_problem(shown, "nul", *_position(data, nul))])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError(shown, [decode_problem(shown, data[error.start], *_position(data, error.start))]) from None
    return text.removeprefix("\ufeff")


def decode_problem(shown: str, what: str | int, line: int, column: int) -> Problem:
    """A NUL byte (`what` is "nul"), or a byte that is not UTF-8 (`what` is its value)."""
    if isinstance(what, str):
        return Problem(shown, line, column, "NUL byte: this is a binary file, not a YAML dataset")
    return Problem(shown, line, column, f"not UTF-8 (byte 0x{what:02x}); save the file as UTF-8")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1
