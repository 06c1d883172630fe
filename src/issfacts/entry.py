"""The process boundary: the console script and `python -m issfacts` start here.

This is the one place that turns what can go wrong outside a command into an exit status
and at most one line on stderr: Ctrl-C at any moment, start-up imports included (130, no
message); a stdout that cannot be written (a closed pipe: 0, quietly; anything else:
`Error: cannot write output: ...`, 1); and, as a last resort, a bug (1, with a line that
says how to see the traceback). Errors the library raises on purpose are reported by
the command layer (cli.handles_errors); usage errors by typer itself (exit 2).

Kept tiny and free of imports beyond the standard library's basics, so the handler for
Ctrl-C is in place before typer, rich or PyYAML start loading.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import MutableMapping, Sequence
from types import FrameType

INTERRUPTED = 130  # errors.ExitStatus.INTERRUPTED, without importing it yet
TRACEBACK_VARIABLE = "ISSFACTS_TRACEBACK"


def _interrupted(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(INTERRUPTED)


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGINT, _interrupted)
    sys.exit(run())


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI as a process would; return its exit status."""
    from issfacts import streams

    streams.guard()
    sane_terminal_size(os.environ)
    try:
        try:
            from issfacts.cli import app

            app(args=None if argv is None else list(argv))
            status = 0
        except SystemExit as done:
            status = _status(done.code)
        sys.stdout.flush()  # what is still buffered fails here, not at interpreter exit
        return status
    except streams.OutputFailed as failed:
        streams.silence_stdout()
        if failed.closed_pipe:  # `issfacts events | head -1`: the reader has what it wanted
            return 0
        _say(f"Error: cannot write output: {failed}")
        return 1
    except KeyboardInterrupt:  # before the handler above was installed (run() called directly)
        return INTERRUPTED
    except Exception as bug:
        if os.environ.get(TRACEBACK_VARIABLE):
            raise
        _say(
            f"Error: issfacts failed unexpectedly ({type(bug).__name__}: {bug}). This is a bug in issfacts; "
            f"please report it with the command you ran. {TRACEBACK_VARIABLE}=1 shows the traceback."
        )
        return 1


def _status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    _say(str(code))  # sys.exit("message"), as some libraries do
    return 1


def _say(message: str) -> None:
    from issfacts.render import printable_multiline

    print(printable_multiline(message), file=sys.stderr)


def sane_terminal_size(environ: MutableMapping[str, str]) -> None:
    """Drop COLUMNS, LINES and TERMINAL_WIDTH unless they are positive whole numbers:
    rich would lay out for a width of 0, and typer fails to import its help renderer on
    `TERMINAL_WIDTH=abc`. Without them the terminal's own size (or 80) applies."""
    for name in ("COLUMNS", "LINES", "TERMINAL_WIDTH"):
        value = environ.get(name)
        if value is None:
            continue
        digits = value.strip()
        if not (digits.isascii() and digits.isdigit() and len(digits) <= 5 and int(digits) > 0):
            del environ[name]
