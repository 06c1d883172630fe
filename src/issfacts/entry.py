"""The process boundary: the console script and `python -m issfacts` start here.

`run` is the one error boundary and the one exit point: it turns whatever a command
raises into an exit status and a message on stderr. Errors the library raises on purpose
(errors.IssfactsError: not found, ambiguous, a bad data file) print `Error: ...` and exit
with the status they carry; Ctrl-C at any moment, start-up imports included, exits 130
with no message (SIGTERM likewise, 143); a stdout that cannot be written ends quietly
for a closed pipe (0) and with `Error: cannot write output: ...` otherwise (1); a bug,
as a last resort, exits 1 with a line that says how to see the traceback. Usage errors
are typer's own (exit 2).

Kept tiny and free of imports beyond the standard library's basics and errors.py, so the
handler for Ctrl-C is in place before typer, rich or PyYAML start loading.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import MutableMapping, Sequence
from types import FrameType

from issfacts.errors import ExitStatus, IssfactsError, report  # tiny: enum is signal's already

TRACEBACK_VARIABLE = "ISSFACTS_TRACEBACK"


def _interrupted(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(ExitStatus.INTERRUPTED)


def _terminated(signum: int, frame: FrameType | None) -> None:
    """SIGTERM unwinds as Ctrl-C does, so what a first load was writing is deleted (by
    default the process would die where it stood, leaving a half-written entry)."""
    raise SystemExit(ExitStatus.TERMINATED)


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _terminated)
    from issfacts import streams

    streams.guard()
    sys.exit(run())


def run(argv: Sequence[str] | None = None, *, obj: object = None) -> int:
    """Run the CLI on `argv` (default: the process's arguments); return its exit status.
    `obj` is handed to the app as its context object (tests pass a cli.Environment)."""
    from issfacts import streams

    sane_terminal_size(os.environ)
    try:
        try:
            from issfacts import cli

            cli.run(argv, obj=obj)
            status = 0
        except SystemExit as done:
            status = _status(done.code)
        except IssfactsError as error:
            for line in report(error):
                _say(line)
            status = int(error.exit_status)
        sys.stdout.flush()  # what is still buffered fails here, not at interpreter exit
        return status
    except streams.OutputFailed as failed:
        streams.silence_stdout()
        if failed.closed_pipe:  # `issfacts events | head -1`: the reader has what it wanted
            return 0
        _say(f"Error: cannot write output: {failed}")
        return ExitStatus.FAILURE
    except KeyboardInterrupt:  # before the handler above was installed (run() called directly)
        return ExitStatus.INTERRUPTED
    except Exception as bug:
        if os.environ.get(TRACEBACK_VARIABLE):
            raise
        _say(
            f"Error: issfacts failed unexpectedly ({type(bug).__name__}: {bug}). This is a bug in issfacts; "
            f"please report it with the command you ran. {TRACEBACK_VARIABLE}=1 shows the traceback."
        )
        return ExitStatus.FAILURE


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
