"""Helpers shared by the test modules: one way to run the CLI, and the paths they use.

Everything here goes through the user-facing surface: `entry.run`, the error boundary
the console script calls, inside typer's CliRunner isolation (its stdin, stdout, stderr
and environment), so the tests survive changes behind the contract.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from issfacts import entry
from issfacts.formats import FORMATTERS, TIMELINE_ONLY

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
DATA = TESTS / "data"
BAD = DATA / "bad"
SMALL = DATA / "small.yaml"  # a small valid dataset with every section and field
GOLDEN = TESTS / "golden"
REPO_DATASET = REPO / "data" / "events.yaml"  # the file bundled into the package

CONTRACT_FORMATS = ("table", "tsv", "json", "jsonl", "csv", "markdown")
FORMATS = tuple(fmt.value for fmt in FORMATTERS)  # every registered format, new ones included
TIMELINE_FORMATS = tuple(fmt.value for fmt in FORMATTERS if fmt in TIMELINE_ONLY)  # html, timelinejs: `timeline` alone
RECORD_FORMATS = tuple(fmt for fmt in FORMATS if fmt not in TIMELINE_FORMATS)  # what every other command prints
PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: .+$")
# Characters that must never reach a terminal from the data: C0 (but tab and newline,
# which the formats themselves use), DEL and C1 (CSI is 0x9b).
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_runner = CliRunner()  # typer >= 0.16 keeps result.stdout and result.stderr apart
TRACEBACK = entry.TRACEBACK_VARIABLE


def invoke(
    *args: str,
    env: Mapping[str, str | None] | None = None,
    obj: Any = None,
    color: bool = False,
    input: bytes | str | None = None,
) -> Result:
    """Run `issfacts ARGS` as the console script does; fail the test on a bug (an
    exception escaping the boundary, which ISSFACTS_TRACEBACK lets through) or a traceback."""
    with _runner.isolation(input=input, env={TRACEBACK: "1", **(env or {})}, color=color) as streams:
        try:
            status = entry.run(list(args), obj=obj)
        except Exception as bug:
            raise AssertionError(f"`issfacts {' '.join(args)}` raised {bug!r}") from bug
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        stdout, stderr, output = (stream.getvalue() for stream in streams)
    result = Result(
        runner=_runner,
        stdout_bytes=stdout,
        stderr_bytes=stderr,
        output_bytes=output,
        return_value=None,
        exit_code=status,
        exception=SystemExit(status) if status else None,
        exc_info=None,
    )
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, stream
    return result


def ok(*args: str, **kwargs: Any) -> Result:
    """Run a command that must succeed, with nothing on stderr."""
    result = invoke(*args, **kwargs)
    assert result.exit_code == 0, result.stderr[:2000]
    return result


def ok_json(*args: str, **kwargs: Any) -> Any:
    return json.loads(ok(*args, "--json", **kwargs).stdout)


def squash(text: str) -> str:
    """A rich error panel as one line: box drawing gone, whitespace collapsed."""
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", text).split())


def assert_usage_error(result: Result, *names: str) -> None:
    """Exit 2, nothing on stdout, and the message names the offending option."""
    assert result.exit_code == 2, (result.stdout[:500], result.stderr[:2000])
    assert result.stdout == ""
    message = squash(result.stderr)
    for name in names:
        assert name.lower() in message.lower(), message


def assert_failure(result: Result, *fragments: str) -> None:
    """Exit 1, nothing on stdout, each fragment in the message on stderr."""
    assert result.exit_code == 1, (result.stdout[:500], result.stderr[:2000])
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


@functools.cache
def edtf_bounds(text: str) -> tuple[dt.date | None, dt.date | None]:
    """Earliest and latest day of an EDTF date by the `edtf` package, an implementation
    independent of issfacts (None for an open end). Imported here, not at start-up: it
    takes about 120 ms."""
    from edtf import parse_edtf

    parsed = parse_edtf(text)

    def day(value: object) -> dt.date | None:
        if isinstance(value, time.struct_time):
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
        assert value in (float("inf"), float("-inf")), value
        return None

    return day(parsed.lower_strict()), day(parsed.upper_strict())


def overlaps_or_within(
    bounds: tuple[dt.date | None, dt.date | None],
    since: dt.date | None,
    until: dt.date | None,
    *,
    within: bool = False,
) -> bool:
    """The contract's window rule, written out once for the tests' oracles: an event
    matches when its bounds overlap [since, until], or with `within` lie inside it;
    an open end (None) is unbounded on its side."""
    earliest, latest = bounds
    if within:
        return (since is None or (earliest is not None and earliest >= since)) and (
            until is None or (latest is not None and latest <= until)
        )
    return (since is None or latest is None or latest >= since) and (
        until is None or earliest is None or earliest <= until
    )
