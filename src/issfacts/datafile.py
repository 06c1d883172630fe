"""Finding and reading a data file: bytes in, text out, with a located error otherwise.

Kept apart from load.py so a warm run (answered from the cache) reads and hashes the
file without importing the YAML machinery or the validator.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from issfacts.errors import DataError, Problem

BUNDLED = Path(__file__).with_name("data") / "events.yaml"


def default_path(environ: Mapping[str, str]) -> Path:
    """The active dataset: $ISSFACTS_DATA when set, else the bundled one."""
    value = environ.get("ISSFACTS_DATA", "")
    return Path(value) if value.strip() else BUNDLED


def _fail(shown: str, message: str, line: int = 1, column: int = 1) -> DataError:
    return DataError(shown, [Problem(shown, line, column, message)])


def stat(path: Path) -> os.stat_result:
    """The file's status, or the same DataError read_bytes would raise."""
    try:
        return path.stat()
    except OSError:
        read_bytes(path)  # raises the located error for this path
        raise


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a DataError saying why they cannot be read."""
    shown = str(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise _fail(shown, "no such file; check the path given by --data or ISSFACTS_DATA") from None
    except IsADirectoryError:
        raise _fail(shown, "is a directory; point --data at a YAML file such as events.yaml") from None
    except PermissionError:
        raise _fail(shown, "permission denied; make the file readable or copy it") from None
    except OSError as error:
        raise _fail(shown, f"cannot read: {error.strerror or error}") from None


def decode(data: bytes, shown: str) -> str:
    """UTF-8 text without a BOM, or a DataError for binary or mis-encoded files."""
    nul = data.find(b"\0")
    if nul >= 0:
        raise _fail(shown, "NUL byte: this is a binary file, not a YAML dataset", *_position(data, nul))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"not UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        raise _fail(shown, message, *_position(data, error.start)) from None
    return text.removeprefix("\ufeff")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1
