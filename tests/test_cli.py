"""The command line as the contract (CONTRACT.md, beside the repository) describes it.

Every test runs `issfacts` through typer's CliRunner and checks the exit code first,
then stdout and stderr. Expected answers come from an oracle written here from the
contract (date windows, search, name matching), applied to the unfiltered JSON listing.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import typer
from support import (
    CONTRACT_FORMATS,
    FORMATS,
    RAW_CONTROL,
    RECORD_FORMATS,
    REPO_DATASET,
    SMALL,
    TIMELINE_FORMATS,
    assert_failure,
    assert_usage_error,
    invoke,
    ok,
    ok_json,
    squash,
)

import issfacts
from issfacts.cli import app

SOYUZ_MS_22_LEAK = "2022-12-14-soyuz-ms-22-coolant-leak"

# Every listing command, with the arguments that make it list something.
LISTINGS: dict[str, tuple[str, ...]] = {
    "events": ("events", "--since", "2021"),
    "spacecraft": ("spacecraft",),
    "spacecraft NAME": ("spacecraft", "Soyuz MS-22"),
    "people": ("people",),
    "people NAME": ("people", "Alexy Ovchinin"),
    "sources": ("sources",),
    "show": ("show", SOYUZ_MS_22_LEAK),
}
ARRAYS = ("events", "spacecraft", "people", "sources")  # JSON arrays; the rest are objects
CONTRACT_COMMANDS = ("events", "spacecraft", "show", "people", "sources", "validate")
_TOP = typer.main.get_command(app)
assert isinstance(_TOP, typer.core.TyperGroup)
REGISTRY: typer.core.TyperGroup = _TOP
COMMANDS = tuple(sorted(REGISTRY.commands))  # the app's real commands, new ones included


@pytest.fixture(scope="module")
def everything() -> list[dict[str, Any]]:
    """`events --json` with no filter: the oracle's input."""
    events: list[dict[str, Any]] = ok_json("events")
    return events


def ids(events: list[dict[str, Any]]) -> list[str]:
    return [event["id"] for event in events]


def events_ids(*args: str, **kwargs: Any) -> list[str]:
    return ids(ok_json("events", *args, **kwargs))


# -- the oracle ---------------------------------------------------------------------------


def span(date: str) -> tuple[dt.date, dt.date]:
    """First and last day a YYYY, YYYY-MM or YYYY-MM-DD date can mean."""
    parts = [int(part) for part in date.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    year, month = parts[0], (parts[1] if len(parts) == 2 else None)
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def bounds(event: dict[str, Any]) -> tuple[dt.date, dt.date]:
    """An event's earliest and latest day from its JSON (tests/test_dates.py checks them
    against the edtf package); an open end is the farthest day there is."""
    earliest, latest = event["earliest"], event["latest"]
    return (
        dt.date.min if earliest is None else dt.date.fromisoformat(earliest),
        dt.date.max if latest is None else dt.date.fromisoformat(latest),
    )


def in_window(event: dict[str, Any], since: str | None, until: str | None) -> bool:
    first, last = bounds(event)
    if since is not None and last < span(since)[0]:
        return False
    return until is None or first <= span(until)[1]


def loose(text: str) -> str:
    """Case and punctuation folded away: 'Bill Nelson' ~ 'bill-nelson'."""
    return re.sub(r"[\W_]+", "", text.casefold())


def searched_text(event: dict[str, Any]) -> str:
    parts = [event["title"], event["summary"]]
    parts += [cite["quote"] for cite in event["sources"]]
    parts += [text for claim in event["claims"] for text in (claim["claim"], claim["quote"])]
    return "\n".join(parts).casefold()


# -- global options -----------------------------------------------------------------------


def test_version_prints_the_package_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"issfacts {issfacts.__version__}"


def test_the_app_registers_every_command_of_the_contract() -> None:
    assert set(CONTRACT_COMMANDS) <= set(COMMANDS)


def test_top_level_help_lists_every_command() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.stdout
    assert "--data" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_text(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    assert any(line.startswith("Usage:") and command in line for line in lines)
    prose = [line for line in lines if not line.startswith(("Usage:", "╭", "│", "╰"))]
    assert prose, f"`issfacts {command} --help` has no help text"


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_option_and_argument_says_what_it_is_for(command: str) -> None:
    registered = REGISTRY.commands[command] if command else REGISTRY  # "": the global options
    assert registered.params
    for param in registered.params:
        assert isinstance(param, typer.core.TyperOption | typer.core.TyperArgument)
        assert param.help, f"`issfacts {command}` has no help for {param.opts[0]}"


@pytest.mark.parametrize("command", ["events", "spacecraft", "people", "sources", "show"])
def test_every_listing_command_documents_format_and_json(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "--format" in result.stdout
    assert "--json" in result.stdout


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "issfacts", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"issfacts {issfacts.__version__}"


def imported_modules(tmp_path: Path, *args: str) -> set[str]:
    """The modules a real run of `issfacts ARGS` imports, from `python -X importtime`."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "issfacts", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path), "COLUMNS": "100"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize("fmt", ["json", "jsonl", "tsv", "csv", "markdown"])
def test_machine_formats_never_import_rich(fmt: str, tmp_path: Path) -> None:
    modules = imported_modules(tmp_path, "events", "--since", "2021", "--format", fmt)
    assert "issfacts.render" in modules
    assert not {m for m in modules if m == "rich" or m.startswith("rich.")}


def test_the_terminal_table_does_without_rich_table(tmp_path: Path) -> None:
    modules = imported_modules(tmp_path, "events", "--since", "2021", "--format", "table")
    assert "rich.console" in modules
    assert "rich.table" not in modules  # laid out by render_rich.Grid: see its docstring


@pytest.mark.parametrize("args", [("events",), ("cite", "nauka-thruster", "--style", "bibtex")], ids=" ".join)
def test_closed_pipe_ends_quietly(args: tuple[str, ...], tmp_path: Path) -> None:
    """`issfacts events | head -1`: the reader is gone before we write."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "issfacts", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=60,
            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
        )
    finally:
        os.close(write_end)
    assert done.returncode == 0
    assert done.stderr == b""


READ_SYSCALL = {"x86_64": "0", "aarch64": "63"}


def _blocked_reading_a_pipe(pid: int) -> bool:
    """Whether the process sits in read(2) on a pipe (Linux /proc)."""
    fields = Path(f"/proc/{pid}/syscall").read_text().split()
    if not fields or fields[0] != READ_SYSCALL[platform.machine()]:
        return False
    return os.readlink(f"/proc/{pid}/fd/{int(fields[1], 16)}").startswith("pipe:")


def test_ctrl_c_exits_130_quietly(tmp_path: Path) -> None:
    """Interrupted while it waits for its data (`--data /dev/stdin` from a silent pipe)."""
    if platform.machine() not in READ_SYSCALL or not Path("/proc/self/syscall").exists():
        pytest.skip("needs Linux /proc/PID/syscall to know when the process is waiting")
    process = subprocess.Popen(
        [sys.executable, "-m", "issfacts", "--data", "/dev/stdin", "events"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _blocked_reading_a_pipe(process.pid):
                    break
            except (OSError, ValueError, IndexError):
                pass
            if time.monotonic() > deadline:
                pytest.skip("could not see the process wait for its input")
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 130
    assert out == b""
    assert err == b""


# -- formats ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LISTINGS)
def test_json_shape(name: str) -> None:
    data = ok_json(*LISTINGS[name])
    if name in ARRAYS:
        assert isinstance(data, list) and data
        assert all(isinstance(item, dict) for item in data)
    else:
        assert isinstance(data, dict)


@pytest.mark.parametrize("name", LISTINGS)
def test_json_shorthand_is_format_json(name: str) -> None:
    assert ok(*LISTINGS[name], "--json").stdout == ok(*LISTINGS[name], "--format", "json").stdout
    assert ok(*LISTINGS[name], "-f", "json").stdout == ok(*LISTINGS[name], "--format", "json").stdout


@pytest.mark.parametrize("name", LISTINGS)
def test_jsonl_is_one_json_object_per_line(name: str) -> None:
    expected = ok_json(*LISTINGS[name])
    if not isinstance(expected, list):
        expected = [expected]
    lines = ok(*LISTINGS[name], "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == expected


@pytest.mark.parametrize("name", LISTINGS)
def test_csv_has_a_header_and_one_row_per_record(name: str) -> None:
    data = ok_json(*LISTINGS[name])
    rows = list(csv.reader(io.StringIO(ok(*LISTINGS[name], "--format", "csv").stdout)))
    header, body = rows[0], rows[1:]
    assert "id" in header
    if name in ARRAYS:
        expected = data
    elif name == "show":
        expected = [data]
    else:  # a spacecraft or person: its events
        expected = data["events"]
    assert [row[header.index("id")] for row in body] == [item["id"] for item in expected]
    assert all(len(row) == len(header) for row in body)


def test_csv_joins_lists_with_semicolon_space(everything: list[dict[str, Any]]) -> None:
    rows = list(csv.DictReader(io.StringIO(ok("events", "--format", "csv").stdout)))
    assert [row["id"] for row in rows] == ids(everything)
    for row, event in zip(rows, everything, strict=True):
        for field in ("spacecraft", "agencies", "people"):
            assert row[field] == "; ".join(event[field])
    assert any("; " in row["spacecraft"] for row in rows)


def test_csv_of_spacecraft_joins_aliases() -> None:
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(ok("spacecraft", "-f", "csv").stdout))}
    assert rows["nauka"]["aliases"] == "; ".join(
        next(s for s in ok_json("spacecraft") if s["id"] == "nauka")["aliases"]
    )
    assert "MLM" in rows["nauka"]["aliases"].split("; ")


@pytest.mark.parametrize("name", ["events", "spacecraft", "people", "sources", "spacecraft NAME", "people NAME"])
def test_tsv_is_one_record_per_line_without_header(name: str) -> None:
    data = ok_json(*LISTINGS[name])
    records = data if name in ARRAYS else data["events"]
    out = ok(*LISTINGS[name], "--format", "tsv").stdout
    lines = out.splitlines()
    assert out.endswith("\n")
    assert len(lines) == len(records)  # no header, nothing wrapped
    widths = {line.count("\t") for line in lines}
    assert len(widths) == 1 and widths.pop() >= 2
    for line, record in zip(lines, records, strict=True):
        assert record["id"] in line.split("\t")
    assert "\x1b" not in out and not RAW_CONTROL.search(out)


def test_tsv_is_not_truncated(everything: list[dict[str, Any]]) -> None:
    out = ok("events", "--format", "tsv").stdout
    for line, event in zip(out.splitlines(), everything, strict=True):
        fields = line.split("\t")
        assert event["title"] in fields
        assert event["summary"] in fields


def test_show_tsv_is_field_tab_value() -> None:
    out = ok("show", SOYUZ_MS_22_LEAK, "--format", "tsv").stdout
    lines = [line.split("\t") for line in out.splitlines()]
    assert ["id", SOYUZ_MS_22_LEAK] in lines
    assert all(len(fields) >= 2 for fields in lines)
    assert not RAW_CONTROL.search(out)


@pytest.mark.parametrize("name", LISTINGS)
def test_markdown(name: str) -> None:
    out = ok(*LISTINGS[name], "--format", "markdown").stdout
    if name in ARRAYS:
        lines = out.splitlines()
        assert lines[0].startswith("| ") and lines[0].endswith(" |")
        assert set(lines[1]) <= set("|- :")
        assert len(lines) == 2 + len(ok_json(*LISTINGS[name]))
    else:
        assert out.startswith("## ")
    assert not RAW_CONTROL.search(out)


def test_markdown_show_names_each_article_once_with_its_quotes_under_it() -> None:
    out = ok("show", SOYUZ_MS_22_LEAK, "--format", "markdown").stdout
    sources = out.split("### Sources", 1)[1]
    event = ok_json("show", SOYUZ_MS_22_LEAK)
    titles = {cite["title"] for cite in event["sources"]}
    assert len(event["sources"]) > len(titles)  # several quotes of one article
    for title in titles:
        assert sources.count(f"- {title}") == 1
    quotes = [line for line in sources.splitlines() if line.startswith("  > ")]
    assert quotes == [f"  > {cite['quote']}" for cite in event["sources"]]


@pytest.mark.parametrize("name", LISTINGS)
def test_table_on_a_terminal(name: str, tty: Any) -> None:
    result = invoke(*LISTINGS[name], "--format", "table", obj=tty)
    assert result.exit_code == 0
    assert result.stdout.strip()
    assert "\t" not in result.stdout
    with pytest.raises(ValueError):
        json.loads(result.stdout)


@pytest.mark.parametrize("name", LISTINGS)
def test_default_format_is_tsv_when_piped(name: str) -> None:
    assert ok(*LISTINGS[name]).stdout == ok(*LISTINGS[name], "--format", "tsv").stdout


@pytest.mark.parametrize("name", LISTINGS)
def test_default_format_is_table_on_a_terminal(name: str, environment: Any) -> None:
    default = invoke(*LISTINGS[name], obj=environment(stdout_isatty=True))
    table = invoke(*LISTINGS[name], "--format", "table", obj=environment(stdout_isatty=True))
    assert default.exit_code == table.exit_code == 0
    assert default.stdout == table.stdout
    assert default.stdout != ok(*LISTINGS[name], "--format", "tsv").stdout


def test_table_shows_titles(tty: Any) -> None:
    result = invoke("events", "--spacecraft", "Soyuz MS-22", obj=tty)
    assert result.exit_code == 0
    assert "Soyuz MS-22 leaks coolant" in result.stdout
    assert {"Date", "Title"} <= set(result.stdout.splitlines()[0].split())


def test_format_is_case_insensitive() -> None:
    assert ok("events", "--format", "JSON").stdout == ok("events", "--json").stdout


def test_an_open_end_reaches_every_later_window() -> None:
    """The ROS launch is dated `2028/..` (2028 or later: the source gives no later bound),
    so it can fall after 2031, and overlap lists it; --within, which wants the bounds
    inside the window, does not, and nothing else is known after 2031: that is `[]`."""
    assert events_ids("--since", "2031") == ["2028-ros-launch-planned"]
    result = invoke("events", "--since", "2031", "--within", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_empty_result_is_an_empty_json_array() -> None:
    result = invoke("events", "--search", "no such text anywhere", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert result.stderr == ""


@pytest.mark.parametrize("fmt", ["tsv", "jsonl"])
def test_empty_result_prints_nothing_in_line_formats(fmt: str) -> None:
    result = invoke("events", "--search", "no such text anywhere", "--format", fmt)
    assert result.exit_code == 0
    assert result.stdout == ""


def test_empty_result_csv_is_only_the_header() -> None:
    result = invoke("events", "--search", "no such text anywhere", "--format", "csv")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1


def test_json_conflicting_with_format_is_a_usage_error() -> None:
    assert_usage_error(invoke("events", "--json", "--format", "tsv"), "--json")


# -- events: dates ------------------------------------------------------------------------

WINDOWS = [
    ("2021", None),
    (None, "2021"),
    ("2021", "2021"),
    ("2028-06", None),
    ("2018-08-29", "2018-08-29"),
    ("2018-09", "2018-09"),
    ("2018-06-07", "2018-08-28"),
    ("2022-12-14", "2023-02-11"),
    ("2023-02", "2023-02-10"),
    ("2024", "2027"),
    (None, "2017"),
    ("2031", None),
]


@pytest.mark.parametrize(("since", "until"), WINDOWS)
def test_date_window_is_inclusive_at_its_precision(
    since: str | None, until: str | None, everything: list[dict[str, Any]]
) -> None:
    args = [*(["--since", since] if since else []), *(["--until", until] if until else [])]
    expected = [e["id"] for e in everything if in_window(e, since, until)]
    assert events_ids(*args) == expected


def test_until_a_year_includes_its_last_day(everything: list[dict[str, Any]]) -> None:
    got = events_ids("--until", "2021")
    assert "2021-08-03-nelson-keynote-at-iss-rd-conference" in got
    assert [e["id"] for e in everything if e["date"].startswith("2021")] == [i for i in got if i.startswith("2021")]
    assert not any(bounds(e)[0] > dt.date(2021, 12, 31) for e in everything if e["id"] in got)


def test_an_event_dated_to_the_year_matches_a_window_inside_that_year() -> None:
    got = events_ids("--since", "2028-06")
    assert "2028-russian-hubble-like-observatory-planned" in got
    assert "2028-iss-operation-until-2028" in got
    assert "2028-russian-hubble-like-observatory-planned" in events_ids("--since", "2028-06", "--until", "2028-06-30")


def test_a_day_window_excludes_the_neighbouring_days() -> None:
    got = events_ids("--since", "2018-06-06", "--until", "2018-06-06")
    assert "2018-06-06-soyuz-ms-09-launch" in got
    assert "2018-08-29-soyuz-ms-09-leak" not in got
    assert "2018-06-06-soyuz-ms-09-launch" not in events_ids("--since", "2018-06-07")
    assert "2018-06-06-soyuz-ms-09-launch" not in events_ids("--until", "2018-06-05")


def test_events_are_in_order_of_earliest_then_latest_bound_then_id(everything: list[dict[str, Any]]) -> None:
    keys = [(*bounds(e), e["id"]) for e in everything]
    assert keys == sorted(keys)


# -- events: names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "spellings", "canonical", "field"),
    [
        (
            "--spacecraft",
            ["55S", "55s", "soyuz-ms-09", "Soyuz MS-09", "SOYUZ MS-09", "soyuz ms-09"],
            "Soyuz MS-09",
            "spacecraft",
        ),
        ("--spacecraft", ["MLM", "mlm", "nauka", "NAUKA", "Multipurpose Laboratory Module"], "Nauka", "spacecraft"),
        ("--spacecraft", ["soyuz ms-22", "Soyuz MS-22", "soyuz-ms-22"], "Soyuz MS-22", "spacecraft"),
        ("--agency", ["nasa", "NASA", "National Aeronautics and Space Administration"], "NASA", "agencies"),
        ("--agency", ["ESA", "european space agency"], "ESA", "agencies"),
        (
            "--person",
            ["Alexy Ovchinin", "alexy ovchinin", "Aleksey Ovchinin", "aleksey-ovchinin"],
            "Aleksey Ovchinin",
            "people",
        ),
        ("--person", ["Dmitry Rogozin", "dmitry-rogozin", "DMITRY ROGOZIN"], "Dmitry Rogozin", "people"),
    ],
)
def test_name_filters_match_name_id_and_alias_case_insensitively(
    option: str, spellings: list[str], canonical: str, field: str, everything: list[dict[str, Any]]
) -> None:
    expected = [e["id"] for e in everything if canonical in e[field]]
    assert expected
    for spelling in spellings:
        assert events_ids(option, spelling) == expected, spelling


def test_kind_filter(everything: list[dict[str, Any]]) -> None:
    expected = [e["id"] for e in everything if e["kind"] == "incident"]
    assert expected
    assert events_ids("--kind", "incident") == expected
    assert events_ids("--kind", "INCIDENT") == expected


def test_status_planned(everything: list[dict[str, Any]]) -> None:
    got = ok_json("events", "--status", "planned")
    assert got and all(e["status"] == "planned" for e in got)
    assert ids(got) == [e["id"] for e in everything if e["status"] == "planned"]
    assert "2025-07-31-negotiations-with-duffy-scheduled" in ids(got)


def test_status_defaults_to_happened(everything: list[dict[str, Any]]) -> None:
    assert {e["status"] for e in everything} == {"happened", "planned"}
    happened = events_ids("--status", "happened")
    assert happened == [e["id"] for e in everything if e["status"] == "happened"]


@pytest.mark.parametrize("term", ["nauka", "NAUKA", "Soyuz MS-22", "coolant", "attitude control", "Baikonur"])
def test_search_is_case_insensitive_over_titles_summaries_quotes_and_claims(
    term: str, everything: list[dict[str, Any]]
) -> None:
    expected = [e["id"] for e in everything if term.casefold() in searched_text(e)]
    assert expected
    assert events_ids("--search", term) == expected


def _only_in(event: dict[str, Any], term: str, where: str) -> bool:
    folded = term.casefold()
    places = {
        "title": event["title"],
        "summary": event["summary"],
        "quote": " ".join(c["quote"] for c in event["sources"]),
        "claim": " ".join(c["claim"] for c in event["claims"]),
        "claim quote": " ".join(c["quote"] for c in event["claims"]),
    }
    return [name for name, text in places.items() if folded in text.casefold()] == [where]


@pytest.mark.parametrize(
    ("term", "event_id", "where"),
    [
        ("specter", "2018-09-03-tass-reports-rogozin-human-hand", "quote"),  # only in a citation quote
        ("SOYUG-FG", "2018-06-06-soyuz-ms-09-launch", "quote"),
        ("has not released", "2022-12-14-soyuz-ms-22-coolant-leak", "claim"),  # only in a claim
        ("flakes moving away", "2023-02-11-progress-ms-21-coolant-leak", "claim quote"),
        ("Drill SLIDING along", "2018-08-29-soyuz-ms-09-leak", "claim quote"),
    ],
)
def test_search_finds_words_that_occur_only_in_quotes_or_claims(
    term: str, event_id: str, where: str, everything: list[dict[str, Any]]
) -> None:
    event = next(e for e in everything if e["id"] == event_id)
    assert _only_in(event, term, where), "the dataset changed: pick another word"
    assert event_id in events_ids("--search", term)


def test_search_for_absent_text_is_empty() -> None:
    assert events_ids("--search", "zzz-no-such-text-zzz") == []


def test_limit(everything: list[dict[str, Any]]) -> None:
    assert events_ids("--limit", "3") == ids(everything)[:3]
    assert events_ids("-n", "1") == ids(everything)[:1]
    assert events_ids("--limit", "0") == []
    assert events_ids("--limit", "100000") == ids(everything)


def test_reverse(everything: list[dict[str, Any]]) -> None:
    assert events_ids("--reverse") == ids(everything)[::-1]
    assert events_ids("-r", "--limit", "2") == ids(everything)[::-1][:2]


def test_repeated_options_or_together(everything: list[dict[str, Any]]) -> None:
    both = events_ids("--spacecraft", "55S", "--spacecraft", "Soyuz MS-22")
    assert both == [e["id"] for e in everything if {"Soyuz MS-09", "Soyuz MS-22"} & set(e["spacecraft"])]
    assert set(events_ids("--spacecraft", "55S")) < set(both)
    kinds = events_ids("--kind", "incident", "--kind", "docking")
    assert kinds == [e["id"] for e in everything if e["kind"] in ("incident", "docking")]
    searched = events_ids("--search", "specter", "--search", "manufacturing")
    assert searched == [
        e["id"] for e in everything if "specter" in searched_text(e) or "manufacturing" in searched_text(e)
    ]
    assert events_ids("--status", "planned", "--status", "happened") == ids(everything)


def test_different_options_and_together(everything: list[dict[str, Any]]) -> None:
    got = events_ids("--spacecraft", "MLM", "--kind", "incident")
    assert got == [e["id"] for e in everything if "Nauka" in e["spacecraft"] and e["kind"] == "incident"]
    assert "2021-07-29-nauka-thruster-misfire" in got
    got = events_ids("--agency", "esa", "--person", "Alexander Gerst", "--until", "2018-06")
    assert got == ["2018-06-06-soyuz-ms-09-launch"]
    got = events_ids("--person", "Dmitry Rogozin", "--since", "2021", "--search", "Nauka")
    assert got == [
        e["id"]
        for e in everything
        if "Dmitry Rogozin" in e["people"] and e["date"] >= "2021" and "nauka" in searched_text(e)
    ]
    assert got


# -- lookups ------------------------------------------------------------------------------


def test_spacecraft_without_name_lists_every_spacecraft() -> None:
    listed = ok_json("spacecraft")
    names = {s["name"] for s in listed}
    assert {"Soyuz MS-09", "Soyuz MS-22", "Progress MS-22", "Nauka"} <= names
    assert len(ok("spacecraft").stdout.splitlines()) == len(listed)


@pytest.mark.parametrize("name", ["Soyuz MS-22", "soyuz ms-22", "soyuz-ms-22"])
def test_spacecraft_name_shows_record_and_its_events(name: str, everything: list[dict[str, Any]]) -> None:
    record = ok_json("spacecraft", name)
    assert record["id"] == "soyuz-ms-22"
    assert record["name"] == "Soyuz MS-22"
    assert ids(record["events"]) == [e["id"] for e in everything if "Soyuz MS-22" in e["spacecraft"]]


@pytest.mark.parametrize("name", ["55S", "MLM"])
def test_spacecraft_by_alias(name: str) -> None:
    record = ok_json("spacecraft", name)
    assert name in record["aliases"]


def test_people_name_by_alias(everything: list[dict[str, Any]]) -> None:
    record = ok_json("people", "Alexy Ovchinin")
    assert record["name"] == "Aleksey Ovchinin"
    assert "Alexy Ovchinin" in record["aliases"]
    assert ids(record["events"]) == [e["id"] for e in everything if "Aleksey Ovchinin" in e["people"]]


def test_people_without_name_lists_everyone() -> None:
    names = {p["name"] for p in ok_json("people")}
    assert {"Aleksey Ovchinin", "Dmitry Rogozin", "Bill Nelson"} <= names


def test_sources_count_the_events_they_support(everything: list[dict[str, Any]]) -> None:
    listed = ok_json("sources")
    assert listed
    for source in listed:
        supported = [
            e
            for e in everything
            if source["id"] in {c["source"] for c in e["sources"]} | {c["source"] for c in e["claims"]}
        ]
        assert source["events"] == len(supported), source["id"]


def test_show_full_id() -> None:
    event = ok_json("show", SOYUZ_MS_22_LEAK)
    assert event["id"] == SOYUZ_MS_22_LEAK
    assert event["date"] == "2022-12-14"
    assert event["claims"] and event["sources"]
    assert all(cite["quote"] for cite in event["sources"])


def test_show_unique_part_of_an_id() -> None:
    assert ok_json("show", "soyuz-ms-22-coolant")["id"] == SOYUZ_MS_22_LEAK
    assert ok_json("show", "nelson-keynote")["id"] == "2021-08-03-nelson-keynote-at-iss-rd-conference"


def test_show_in_table_shows_every_quote(tty: Any) -> None:
    event = ok_json("show", SOYUZ_MS_22_LEAK)
    result = invoke("show", SOYUZ_MS_22_LEAK, obj=tty, env={"COLUMNS": "2000"})
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    for cite in event["sources"]:
        assert " ".join(cite["quote"].split()) in flat


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [
        (("spacecraft", "Naukka"), "Nauka"),
        (("people", "Bill Nelsen"), "Bill Nelson"),
        (("events", "--spacecraft", "Naukka"), "Nauka"),
        (("events", "--person", "Bill Nelsen"), "Bill Nelson"),
        (("events", "--agency", "Roscosmoss"), "Roscosmos"),
        (("show", "2022-12-14-soyuz-ms-22-coolant-lek"), SOYUZ_MS_22_LEAK),
    ],
)
def test_not_found_exits_1_and_suggests(args: tuple[str, ...], suggestion: str) -> None:
    result = invoke(*args)
    assert_failure(result)
    assert "did you mean" in result.stderr
    # the suggestion may be spelled as the name, the id or an alias
    assert loose(suggestion) in loose(result.stderr), result.stderr


@pytest.mark.parametrize(
    "args",
    [("spacecraft", "no such craft at all"), ("events", "--person", "qqqqq"), ("show", "qqqqqqqq")],
)
def test_not_found_without_close_names_still_helps(args: tuple[str, ...]) -> None:
    result = invoke(*args)
    assert_failure(result)
    assert result.stderr.strip()


@pytest.mark.parametrize(
    "args", [("spacecraft", "MS-22"), ("events", "--spacecraft", "MS-22"), ("events", "--spacecraft", "ms22")]
)
def test_ambiguous_name_exits_1_listing_every_match(args: tuple[str, ...]) -> None:
    result = invoke(*args)
    assert_failure(result, "Soyuz MS-22", "Progress MS-22", "soyuz-ms-22", "progress-ms-22")


def test_ambiguous_person() -> None:
    assert_failure(invoke("events", "--person", "Dmitry"), "Dmitry Rogozin", "Dmitry Bakanov", "Dmitry Strugovets")


def test_ambiguous_event_id_lists_the_candidates() -> None:
    result = invoke("show", "coolant")
    assert_failure(result, SOYUZ_MS_22_LEAK, "2023-02-11-progress-ms-21-coolant-leak")


def test_exact_name_beats_partial_match() -> None:
    # "ISS" is the station's alias, and a part of other names and aliases.
    assert ok_json("spacecraft", "ISS")["id"] == "iss"
    assert ok_json("spacecraft", "Soyuz MS-09")["id"] == "soyuz-ms-09"


# -- usage errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("events", "--since", "2021-13"), "--since"),
        (("events", "--since", "2021-02-30"), "--since"),
        (("events", "--since", "yesterday"), "--since"),
        (("events", "--since", "2021-1-5"), "--since"),
        (("events", "--since", "0000"), "--since"),
        (("events", "--until", "2023-02-29"), "--until"),
        (("events", "--limit", "-1"), "--limit"),
        (("events", "--limit", "x"), "--limit"),
        (("events", "--format", "xml"), "--format"),
        (("spacecraft", "--format", "xml"), "--format"),
        (("people", "-f", "xml"), "--format"),
        (("sources", "--format", "xml"), "--format"),
        (("show", SOYUZ_MS_22_LEAK, "--format", "xml"), "--format"),
        (("events", "--kind", "explosion"), "--kind"),
        (("events", "--status", "maybe"), "--status"),
        (("events", "--search", ""), "--search"),
        (("events", "--on", "02-30"), "--on"),
        (("events", "--on", "13"), "--on"),
        (("events", "--on", "2021-07-29"), "--on"),
        (("stats", "--on", "7-32"), "--on"),
        (("stats", "--by", "colour"), "--by"),
        (("stats", "--format", "xml"), "--format"),
        (("stats", "--since", "2023", "--until", "2021"), "--since"),
        (("spacecraft", ""), "'name'"),
        (("people", "  "), "'name'"),
        (("show", ""), "'ID'"),
        (("events", "--bogus"), "--bogus"),
        (("spacecraft", "--bogus"), "--bogus"),
        (("--bogus", "events"), "--bogus"),
        (("events", "--since"), "--since"),
        (("nonsense-command",), "nonsense-command"),
    ],
)
def test_usage_errors_exit_2_and_name_the_option(args: tuple[str, ...], option: str) -> None:
    assert_usage_error(invoke(*args), option)


@pytest.mark.parametrize("option", ["--spacecraft", "--agency", "--person"])
def test_empty_name_filter_is_a_usage_error_naming_the_option(option: str) -> None:
    assert_usage_error(invoke("events", option, ""), option)


@pytest.mark.parametrize("option", ["--spacecraft", "--agency", "--person"])
def test_empty_name_filter_exits_2(option: str) -> None:
    result = invoke("events", option, "")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "empty" in result.stderr


# -- which dataset --------------------------------------------------------------------------


def test_issfacts_data_selects_the_dataset() -> None:
    got = events_ids(env={"ISSFACTS_DATA": str(SMALL)})
    assert got == ["2018-06-06-soyuz-ms-09-launch", "2021-07-nauka-incident", "2028-planned-observatory"]


def test_data_option_beats_issfacts_data(everything: list[dict[str, Any]]) -> None:
    assert events_ids(env={"ISSFACTS_DATA": str(SMALL)}) != ids(everything)
    result = invoke("--data", str(REPO_DATASET), "events", "--json", env={"ISSFACTS_DATA": str(SMALL)})
    assert result.exit_code == 0
    assert ids(json.loads(result.stdout)) == ids(everything)
    result = invoke("--data", str(SMALL), "events", "--json", env={"ISSFACTS_DATA": "/no/such/file.yaml"})
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 3


def test_empty_issfacts_data_means_the_bundled_dataset(everything: list[dict[str, Any]]) -> None:
    assert events_ids(env={"ISSFACTS_DATA": ""}) == ids(everything)


def test_missing_data_file_exits_1(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert_failure(invoke("--data", str(missing), "events"), str(missing))
    assert_failure(invoke("events", env={"ISSFACTS_DATA": str(missing)}), str(missing))


# -- validate -----------------------------------------------------------------------------


def test_validate_the_bundled_dataset_is_clean() -> None:
    result = invoke("validate")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_validate_a_path() -> None:
    result = invoke("validate", str(SMALL))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert str(SMALL) in result.stderr and "3 events" in result.stderr


@pytest.mark.parametrize("how", ["--data", "ISSFACTS_DATA"])
def test_validate_defaults_to_the_active_dataset(how: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text(encoding="utf-8").replace('date: "2028"', 'date: "2028-13"'), encoding="utf-8")
    if how == "--data":
        result = invoke("--data", str(bad), "validate")
    else:
        result = invoke("validate", env={"ISSFACTS_DATA": str(bad)})
    assert result.exit_code == 1
    assert re.fullmatch(rf"{re.escape(str(bad))}:\d+:\d+: .*month.*\n", result.stdout)
    assert result.stderr.count("\n") == 1


# -- the data file and the cache ------------------------------------------------------------


def test_never_writes_beside_the_data_file(tmp_path: Path, tty: Any) -> None:
    data = tmp_path / "data" / "events.yaml"
    data.parent.mkdir()
    data.write_bytes(SMALL.read_bytes())
    before = sorted(p.name for p in data.parent.iterdir())
    for args in (("events",), ("events", "--json"), ("spacecraft", "nauka"), ("show", "nauka"), ("validate",)):
        invoke("--data", str(data), *args)
        invoke("--data", str(data), *args, obj=tty)
    assert sorted(p.name for p in data.parent.iterdir()) == before
    assert data.read_bytes() == SMALL.read_bytes()


def test_an_edited_data_file_is_read_again(tmp_path: Path) -> None:
    """Whatever is cached, an edit shows, even one that keeps the size and the mtime."""
    data = tmp_path / "events.yaml"
    text = SMALL.read_text(encoding="utf-8")
    data.write_text(text, encoding="utf-8")
    stat = data.stat()
    assert "Nauka thrusters misfire" in ok("--data", str(data), "events").stdout
    data.write_text(text.replace("Nauka thrusters misfire", "Nauka thrusters MISFIRE"), encoding="utf-8")
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "Nauka thrusters MISFIRE" in ok("--data", str(data), "events").stdout


def test_warm_runs_answer_like_cold_runs(tmp_path: Path) -> None:
    commands = [
        ("events", "--json"),
        ("events", "-f", "csv"),
        ("events", "--search", "nauka"),
        ("spacecraft", "55S", "--json"),
        ("people",),
        ("sources", "--json"),
        ("show", SOYUZ_MS_22_LEAK),
    ]
    cold = [ok(*args).stdout for args in commands]
    warm = [ok(*args).stdout for args in commands]
    assert warm == cold


def test_a_corrupt_cache_is_ignored(isolate: Path, everything: list[dict[str, Any]]) -> None:
    ok("events")  # fills the cache, if there is one
    for path in isolate.rglob("*"):
        if path.is_file():
            path.write_bytes(b"\x00garbage" * 10)
    assert events_ids() == ids(everything)


def test_an_unusable_cache_directory_is_not_an_error(tmp_path: Path, everything: list[dict[str, Any]]) -> None:
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("x")
    assert events_ids(env={"XDG_CACHE_HOME": str(not_a_directory)}) == ids(everything)


def test_messages_go_to_stderr_only() -> None:
    for args in (("spacecraft", "MS-22"), ("events", "--since", "x"), ("--data", "/no/such", "events")):
        result = invoke(*args)
        assert result.exit_code in (1, 2)
        assert result.stdout == ""
        assert result.stderr.strip()


def test_every_format_of_the_contract_is_registered() -> None:
    assert set(CONTRACT_FORMATS) <= set(FORMATS)


@pytest.mark.parametrize("fmt", RECORD_FORMATS)
def test_every_format_of_events_succeeds_on_the_small_dataset(fmt: str, tty: Any) -> None:
    result = invoke("--data", str(SMALL), "events", "--format", fmt, obj=tty)
    assert result.exit_code == 0
    assert "Soyuz MS-09 launches" in result.stdout


@pytest.mark.parametrize("fmt", TIMELINE_FORMATS)
def test_every_timeline_format_succeeds_on_the_small_dataset(fmt: str) -> None:
    assert "Soyuz MS-09 launches" in ok("--data", str(SMALL), "timeline", "--format", fmt).stdout


def test_every_format_is_a_record_format_or_a_timeline_format() -> None:
    assert set(RECORD_FORMATS) | set(TIMELINE_FORMATS) == set(FORMATS)
    assert set(TIMELINE_FORMATS) == {"html", "timelinejs"}


REFUSING = [
    ("events",),
    ("show", SOYUZ_MS_22_LEAK),
    ("spacecraft",),
    ("spacecraft", "55S"),
    ("people",),
    ("people", "Rogozin"),
    ("sources",),
    ("stats",),
]


@pytest.mark.parametrize("fmt", [*TIMELINE_FORMATS, "HTML", "TimelineJS"])
@pytest.mark.parametrize("args", REFUSING, ids=" ".join)
def test_a_timeline_format_on_another_command_is_a_usage_error(args: tuple[str, ...], fmt: str) -> None:
    """Before anything runs: a name that matches nothing does not get there first."""
    for extra in ((), ("--spacecraft", "no such craft") if args[0] in ("events", "stats") else ()):
        result = invoke(*args, *extra, "-f", fmt)
        assert_usage_error(result, "--format")
        message = squash(result.stderr)
        assert f"issfacts timeline --format {fmt.lower()}" in message
        assert "table, tsv, json, jsonl, csv, markdown" in message


def test_an_empty_listing_prints_on_a_terminal(tty: Any) -> None:
    result = invoke("events", "--search", "nothing matches this", "--format", "table", obj=tty)
    assert result.exit_code == 0, result.stderr
    assert "Title" in result.stdout


def test_an_inverted_window_is_a_usage_error() -> None:
    result = invoke("events", "--since", "2021-08", "--until", "2021-03", "--json")
    assert_usage_error(result, "--since")
    assert "after --until" in squash(result.stderr)


def test_empty_show_id_is_not_told_to_leave_it_out() -> None:
    result = invoke("show", "")
    assert_usage_error(result, "'ID'")
    assert "leave it out" not in squash(result.stderr)


# -- building only the command that runs ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["events", "--since", "2021"], "events"),
        (["--data", "events", "stats"], "stats"),  # a data file named like a command
        (["--no-cache", "--no-pager", "show", "x"], "show"),
        (["--", "timeline"], "timeline"),
        (["evnts"], None),
        (["--help"], None),
        ([], None),
        (["--data", "f.yaml"], None),
    ],
)
def test_chosen_command_reads_past_the_global_options(args: list[str], name: str | None) -> None:
    from issfacts.cli import chosen_command

    assert chosen_command(args) == name


def test_global_value_options_are_those_that_take_a_value() -> None:
    """chosen_command skips the word after these: the list must follow main_options."""
    import typer.main

    from issfacts.cli import GLOBAL_VALUE_OPTIONS, app

    group = typer.main.get_command(app)
    taking = {opt for param in group.params if not getattr(param, "is_flag", True) for opt in param.opts}
    assert taking == GLOBAL_VALUE_OPTIONS


def test_a_run_builds_only_its_command_and_restores_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    import typer

    from issfacts import cli, entry

    seen: list[list[str]] = []
    real = typer.main.get_command

    def spy(app: typer.Typer) -> object:
        seen.append([cli._command_name(info) for info in app.registered_commands])
        return real(app)

    monkeypatch.setattr(typer.main, "get_command", spy)
    before = list(cli.app.registered_commands)
    assert entry.run(["--no-cache", "events", "--limit", "1", "--json"]) == 0
    assert seen == [["events"]]
    assert cli.app.registered_commands == before
