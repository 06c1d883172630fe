"""The process's standard streams, made safe to write to whatever they turn out to be.

A command writes through `sys.stdout` and `sys.stderr` as usual; `guard()` (run once by
entry.main, never by tests that bring their own streams) replaces them with wrappers so
that

- a stdout that fails (a full disk, a closed descriptor, a reader gone away) raises
  `OutputFailed`, which passes through click's and typer's handlers to the one place
  that turns it into a message (entry.run): a closed pipe ends quietly, anything else
  is `Error: cannot write output: ...` and exit 1;
- a stderr that fails is ignored: messages are diagnostics, the exit status still says
  what happened;
- text a terminal's encoding cannot show degrades to ASCII look-alikes (`"` for curly
  quotes, `-` for dashes) or `?`, instead of raising UnicodeEncodeError.

Machine formats do not go through that degradation: `write_data` writes them complete
and valid whatever the locale (see its docstring).
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import re
import sys
from typing import IO, Any

# What a terminal that cannot encode a character shows instead (registered as the codec
# error handler "issfacts-degrade").
_LOOK_ALIKES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2022": "*",
    "\u00b7": ".",
}
DEGRADE = "issfacts-degrade"


def _degrade(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeEncodeError)
    bad = error.object[error.start : error.end]
    return "".join(_LOOK_ALIKES.get(char, "?") for char in bad), error.end


codecs.register_error(DEGRADE, _degrade)


class OutputFailed(BaseException):
    """stdout cannot be written. A BaseException so that click's and typer's `except
    OSError` and `except Exception` handlers let it through to entry.main."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error

    @property
    def closed_pipe(self) -> bool:
        return self.error.errno == errno.EPIPE

    def __str__(self) -> str:
        return self.error.strerror or str(self.error)


class _Guarded:
    """A text stream whose write and flush raise OutputFailed instead of OSError; every
    other attribute (encoding, isatty, fileno, buffer...) is the real stream's."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except OSError as error:
            raise OutputFailed(error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            raise OutputFailed(error) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Quiet(_Guarded):
    """A stream whose failures are dropped (stderr: there is nowhere to report them)."""

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except (OSError, ValueError):
            return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stream.flush()


class _Closed:
    """Stands in for a standard stream whose descriptor was closed (`>&-`)."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, name: str) -> None:
        self.name = f"<{name}>"
        self._name = name

    def write(self, text: str) -> int:
        if not text:
            return 0
        raise OutputFailed(OSError(errno.EBADF, f"{self._name} is closed"))

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, f"{self._name} is closed")


def guard() -> None:
    """Wrap sys.stdout and sys.stderr as described above. Idempotent."""
    if isinstance(sys.stdout, _Guarded | _Closed):
        return
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and not _is_utf8(stream):
            with contextlib.suppress(AttributeError, ValueError, OSError):
                stream.reconfigure(errors=DEGRADE)  # type: ignore[union-attr]
    sys.stdout = _Closed("stdout") if sys.stdout is None else _Guarded(sys.stdout)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    sys.stderr = _Quiet(sys.stderr)


def silence_stdout() -> None:
    """After stdout failed: point its descriptor at /dev/null and drop what is buffered, so
    the interpreter's last flush at exit cannot fail loudly too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass
    sys.stdout = _Quiet(open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def _is_utf8(stream: IO[str] | Any) -> bool:
    encoding = getattr(stream, "encoding", None) or ""
    return codecs.lookup(encoding).name == "utf-8" if encoding else False


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a character beyond the BMP: JSON writes it as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def write_data(data: str | list[bytes], *, json: bool = False) -> None:
    """Write machine output (json, jsonl, tsv, csv, markdown, linter lines) complete and
    valid whatever stdout's encoding. On a UTF-8 stdout it is written as it is. Otherwise
    JSON has its non-ASCII characters escaped (`\\u2019`), which every JSON reader reads
    back to the same text, and the other formats are written as UTF-8 bytes: the formats
    are UTF-8, as git writes file content, rather than silently lossy.

    `data` is text, or UTF-8 pieces (the JSON lines a store keeps), which go to a UTF-8
    stdout's byte layer as they are."""
    out = sys.stdout
    if isinstance(data, str):
        text = data
    else:
        buffer = getattr(out, "buffer", None)
        if buffer is not None and _is_utf8(out):
            out.flush()
            try:
                for piece in data:
                    buffer.write(piece)
                buffer.flush()
            except OSError as error:
                raise OutputFailed(error) from None
            return
        text = b"".join(data).decode("utf-8")
    if _is_utf8(out):
        out.write(text)
    elif json:
        out.write(_NON_ASCII.sub(_json_escape, text))
    else:
        buffer = getattr(out, "buffer", None)
        if buffer is None:  # no byte layer (a test's stream): the text layer will do
            out.write(text)
        else:
            out.flush()
            try:
                buffer.write(text.encode("utf-8", "surrogateescape"))
            except OSError as error:
                raise OutputFailed(error) from None
    out.flush()
