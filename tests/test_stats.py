"""`issfacts stats`: counts of the events by a field, checked against `events --json`.

The oracle counts the JSON events here, by the rules the README states: year and month
once per event, by the point that dates it (the start, or the end when the start is
open); kind and status once; spacecraft, agencies, people and source outlets once per
value an event names, `null` for an event naming none.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import typer
from rich.cells import cell_len
from rich.console import Console
from support import RAW_CONTROL, assert_usage_error, invoke, ok, ok_json

from issfacts import facets
from issfacts.cli import app
from issfacts.facets import Count
from issfacts.options import Facet
from issfacts.render_stats import Bars

FIELDS = list(facets.FIELDS)
Oracle = Counter[str | None]

# -- the oracle -----------------------------------------------------------------------------


def dating_point(event: dict[str, Any]) -> str:
    """The start of the EDTF date as written, or its end when the start is open; no qualifier."""
    start, _, end = event["date"].partition("/")
    return str(end if start == ".." else start).rstrip("?~%")


def outlets() -> dict[str, str]:
    return {s["id"]: s["outlet"] or s["title"] for s in ok_json("sources")}


def oracle(events: list[dict[str, Any]], field: str) -> Oracle:
    counted: Oracle = Counter()
    names = outlets() if field == "source" else {}
    for event in events:
        if field == "year":
            bound = event["earliest"] or event["latest"]  # the latest only when the start is open
            values: list[str | None] = [bound[:4]]
        elif field == "month":
            point = dating_point(event)
            values = [(event["earliest"] or event["latest"])[:7] if len(point) >= 7 else point[:4]]
        elif field in ("kind", "status"):
            values = [event[field]]
        elif field == "source":
            values = list({names[c["source"]] for c in event["sources"] + event["claims"]})
        else:
            listed = event[{"spacecraft": "spacecraft", "agency": "agencies", "person": "people"}[field]]
            values = list(set(listed)) or [None]
        counted.update(values)
    return counted


def stats(*args: str, **kwargs: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = ok_json("stats", *args, **kwargs)
    return rows


def by_field(rows: list[dict[str, Any]], field: str) -> Oracle:
    return Counter({row["value"]: row["count"] for row in rows if row["field"] == field})


@pytest.fixture(scope="module")
def everything() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = ok_json("events")
    return events


# -- the counts add up ---------------------------------------------------------------------


@pytest.mark.parametrize("field", FIELDS)
def test_each_field_counts_as_the_oracle_does(field: str, everything: list[dict[str, Any]]) -> None:
    assert by_field(stats("--by", field), field) == oracle(everything, field)


@pytest.mark.parametrize("field", ["year", "month", "kind", "status"])
def test_once_per_event_fields_sum_to_the_number_of_events(field: str, everything: list[dict[str, Any]]) -> None:
    assert sum(row["count"] for row in stats("--by", field)) == len(everything)


@pytest.mark.parametrize(("field", "key"), [("spacecraft", "spacecraft"), ("agency", "agencies"), ("person", "people")])
def test_named_fields_count_every_pair_and_every_event_naming_none(
    field: str, key: str, everything: list[dict[str, Any]]
) -> None:
    rows = stats("--by", field)
    pairs = sum(len(set(event[key])) for event in everything)
    naming_none = sum(1 for event in everything if not event[key])
    assert sum(row["count"] for row in rows if row["value"] is not None) == pairs
    assert by_field(rows, field)[None] == naming_none
    if naming_none:
        assert rows[-1]["value"] is None  # last, whatever its count


def test_an_event_naming_two_spacecraft_counts_for_both(everything: list[dict[str, Any]]) -> None:
    nauka = [e for e in everything if "Nauka" in e["spacecraft"]]
    assert any(len(e["spacecraft"]) > 1 for e in nauka)
    counted = by_field(stats("--by", "spacecraft"), "spacecraft")
    assert counted["Nauka"] == len(nauka)
    assert counted["International Space Station"] == sum(
        "International Space Station" in e["spacecraft"] for e in everything
    )


def test_source_is_named_by_outlet_or_title_never_by_id() -> None:
    values = {row["value"] for row in stats("--by", "source")}
    sources = ok_json("sources")
    untitled = [s["title"] for s in sources if s["outlet"] is None]
    assert untitled  # the bundled data has one source without an outlet
    assert values == {s["outlet"] for s in sources if s["outlet"]} | set(untitled)
    assert not values & {s["id"] for s in sources}


def test_an_event_spanning_two_years_counts_once_in_the_first(everything: list[dict[str, Any]]) -> None:
    spanning = [e for e in everything if e["date"] == "2022-12-14/2023-01-31"]
    assert len(spanning) == 1
    only = stats("--by", "year", "--search", spanning[0]["title"])
    assert only == [{"field": "year", "value": "2022", "count": 1}]


def test_an_open_start_counts_in_the_year_of_its_end() -> None:
    assert stats("--by", "year", "--until", "1999") == [{"field": "year", "value": "2025", "count": 1}]  # ../2025


def test_a_date_known_to_the_year_counts_under_the_year_in_months(everything: list[dict[str, Any]]) -> None:
    months = by_field(stats("--by", "month"), "month")
    assert months["2028"] == sum(1 for e in everything if dating_point(e) == "2028")
    assert "2028-01" not in months  # not filed under a January it may not be in


# -- filters -------------------------------------------------------------------------------

FILTERS = [
    ("--since", "2021"),
    ("--since", "2021", "--until", "2022", "--within"),
    ("--spacecraft", "Nauka"),
    ("--agency", "NASA", "--kind", "statement", "--kind", "meeting"),
    ("--person", "Rogozin"),
    ("--status", "planned"),
    ("--search", "coolant"),
    ("--on", "07"),
]


@pytest.mark.parametrize("filters", FILTERS, ids=" ".join)
def test_filters_apply_as_in_events(filters: tuple[str, ...]) -> None:
    events: list[dict[str, Any]] = ok_json("events", *filters)
    assert events
    rows = stats(*filters, *[part for field in FIELDS for part in ("--by", field)])
    for field in FIELDS:
        assert by_field(rows, field) == oracle(events, field), field


def test_a_name_that_matches_nothing_is_the_same_error_as_in_events() -> None:
    got, expected = invoke("stats", "--spacecraft", "Soyuz MS-99"), invoke("events", "--spacecraft", "Soyuz MS-99")
    assert got.exit_code == expected.exit_code == 1
    assert got.stderr == expected.stderr


def test_nothing_matching_is_an_empty_array() -> None:
    result = invoke("stats", "--search", "no such text anywhere", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


# -- what --by asks for -------------------------------------------------------------------------


def test_without_by_an_overview_by_year_kind_and_status(everything: list[dict[str, Any]]) -> None:
    rows = stats()
    assert list(dict.fromkeys(row["field"] for row in rows)) == ["year", "kind", "status"]
    assert rows == stats("--by", "year", "--by", "kind", "--by", "status")


def test_fields_come_in_the_order_asked_each_once() -> None:
    rows = stats("--by", "status", "--by", "YEAR", "--by", "status")
    assert list(dict.fromkeys(row["field"] for row in rows)) == ["status", "year"]
    assert len(rows) == len(stats("--by", "status")) + len(stats("--by", "year"))


def test_years_and_months_are_in_time_order_the_rest_by_count() -> None:
    for field in ("year", "month"):
        values = [row["value"] for row in stats("--by", field)]
        assert values == sorted(values)
        assert all(re.fullmatch(r"\d{4}(-\d{2})?", v) for v in values)
    assert all(len(row["value"]) == 4 for row in stats("--by", "year"))
    for field in ("kind", "spacecraft", "person", "source"):
        rows = [row for row in stats("--by", field) if row["value"] is not None]
        assert [(-r["count"], r["value"].casefold()) for r in rows] == sorted(
            (-r["count"], r["value"].casefold()) for r in rows
        )


@pytest.mark.parametrize("value", ["colour", "years", "", "id"])
def test_an_unknown_field_is_a_usage_error(value: str) -> None:
    result = invoke("stats", "--by", value)
    assert_usage_error(result, "--by")
    assert "year" in result.stderr  # the choices are listed


def test_the_option_offers_the_fields_the_counting_knows() -> None:
    assert [facet.value for facet in Facet] == FIELDS


def test_counting_by_an_unknown_field_is_refused_by_the_library() -> None:
    with pytest.raises(ValueError, match="cannot count events by colour"):
        facets.count([], ["year", "colour"], {})


# -- the machine formats ----------------------------------------------------------------------


def test_json_is_field_value_count_records() -> None:
    rows = stats("--by", "year", "--by", "person")
    assert rows and all(list(row) == ["field", "value", "count"] for row in rows)
    assert all(isinstance(row["value"], str | None) and type(row["count"]) is int for row in rows)


SMALL_STATS = [
    {"field": "year", "value": "2018", "count": 1},
    {"field": "year", "value": "2021", "count": 1},
    {"field": "year", "value": "2028", "count": 1},
    {"field": "month", "value": "2018-06", "count": 1},
    {"field": "month", "value": "2021-07", "count": 1},
    {"field": "month", "value": "2028", "count": 1},
    {"field": "spacecraft", "value": "Nauka", "count": 1},
    {"field": "spacecraft", "value": "Soyuz MS-09", "count": 1},
    {"field": "spacecraft", "value": None, "count": 1},
    # the second article has no outlet; one event quotes it only in a claim
    {"field": "source", "value": "A second article", "count": 2},
    {"field": "source", "value": "Example Outlet", "count": 2},
]


def test_json_on_a_small_dataset_is_exactly_this() -> None:
    from support import SMALL

    rows = stats(
        "--by", "year", "--by", "month", "--by", "spacecraft", "--by", "source", env={"ISSFACTS_DATA": str(SMALL)}
    )
    assert rows == SMALL_STATS


def test_jsonl_is_the_json_one_per_line() -> None:
    lines = ok("stats", "--by", "agency", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == stats("--by", "agency")


def test_csv_has_field_value_count() -> None:
    expected = stats("--by", "kind", "--by", "agency")
    rows = list(csv.reader(io.StringIO(ok("stats", "--by", "kind", "--by", "agency", "--format", "csv").stdout)))
    assert rows[0] == ["field", "value", "count"]
    assert rows[1:] == [[r["field"], r["value"] or "", str(r["count"])] for r in expected]


def test_tsv_is_three_columns_without_header() -> None:
    expected = stats("--by", "person")
    out = ok("stats", "--by", "person", "--format", "tsv").stdout
    assert [line.split("\t") for line in out.splitlines()] == [
        [r["field"], r["value"] or "", str(r["count"])] for r in expected
    ]
    assert ok("stats", "--by", "person").stdout == out  # piped: tsv


def test_markdown_is_a_table_of_the_counts() -> None:
    lines = ok("stats", "--format", "markdown").stdout.splitlines()
    assert lines[0] == "| field | value | count |"
    assert len(lines) == 2 + len(stats())


def test_machine_formats_never_import_rich(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "issfacts", "stats", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "issfacts.facets" in modules
    assert not {m for m in modules if m == "rich" or m.startswith("rich.") or m == "issfacts.render_stats"}


def test_other_commands_do_not_import_the_counting(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "issfacts", "events", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
    )
    assert done.returncode == 0
    assert "issfacts.facets" not in done.stderr


# -- the terminal ------------------------------------------------------------------------------


def screen(*args: str, width: int, tty: Any, env: dict[str, str] | None = None) -> list[str]:
    result = invoke("stats", *args, "--format", "table", obj=tty, env={"COLUMNS": str(width), **(env or {})})
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def bar_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if re.search(r"[█▏▎▍▌▋▊▉#]+ \d+$", line)]


@pytest.mark.parametrize("width", [50, 60, 80, 100, 120, 160, 200])
def test_bars_fit_the_terminal_and_show_every_count(width: int, tty: Any) -> None:
    lines = screen("--by", "year", "--by", "spacecraft", "--by", "source", width=width, tty=tty)
    assert all(cell_len(line) <= width for line in lines), [line for line in lines if cell_len(line) > width]
    assert lines[0] == "55 events"
    assert {"By year", "By source"} <= {line.split("  ")[0] for line in lines}
    expected = stats("--by", "year", "--by", "spacecraft", "--by", "source")
    shown = bar_lines(lines)
    assert len(shown) == len(expected)  # one line per value: none wrapped, none lost
    for line, row in zip(shown, expected, strict=True):
        assert line.endswith(f" {row['count']}")
        value = row["value"] or "(none)"
        assert line.startswith(value) or (line.split("…")[0] and value.startswith(line.split("…")[0]))


def test_the_largest_count_of_a_field_gets_the_longest_bar(tty: Any) -> None:
    lines = bar_lines(screen("--by", "status", width=80, tty=tty))
    happened, planned = (len(re.findall(r"[█▏▎▍▌▋▊▉]", line)) for line in lines)
    counts = by_field(stats("--by", "status"), "status")
    assert happened > planned
    assert abs(planned / happened - counts["planned"] / counts["happened"]) < 0.05


def test_a_wide_terminal_shows_long_names_whole_and_a_narrow_one_cuts_them(tty: Any) -> None:
    wide = screen("--by", "spacecraft", width=200, tty=tty)
    narrow = screen("--by", "spacecraft", width=50, tty=tty)
    assert any(line.startswith("International Space Station  ") for line in wide)
    assert any(line.startswith("International Space…") for line in narrow)


def test_no_color_keeps_the_bars(tty: Any) -> None:
    coloured = screen("--no-pager", width=80, tty=tty, env={"FORCE_COLOR": "1"})
    plain = screen("--no-pager", width=80, tty=tty, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert any("\x1b[36m" in line for line in coloured)  # cyan bars
    assert not any(re.search(r"\x1b\[[0-9;]*3[0-9]m", line) for line in plain)
    assert len(bar_lines([re.sub(r"\x1b\[[0-9;]*m", "", line) for line in plain])) == len(stats())


def test_an_ascii_terminal_gets_ascii_bars(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "issfacts", "stats", "--by", "spacecraft", "--format", "table"],
        capture_output=True,
        timeout=60,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONIOENCODING": "ascii", "COLUMNS": "50"},
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("ascii")  # nothing else in it
    assert "International Spa..." in text
    assert re.search(r"^Nauka +#+ \d+$", text, re.MULTILINE)


def render(counts: list[Count], width: int, **console: Any) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, **console).print(Bars(counts, 3))
    return out.getvalue().splitlines()


def test_empty_counts_say_so() -> None:
    assert render([], 80) == ["3 events"]
    result = invoke("stats", "--search", "no such text anywhere", "--format", "table")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["0 events"]


@pytest.mark.parametrize("width", [8, 20, 50, 200])
def test_values_from_the_data_are_shown_literally(width: int) -> None:
    hostile = [
        Count("spacecraft", "[bold]Soyuz[/bold] \x1b[31mred\x1b[0m\x9b2J", 3),
        Count("spacecraft", "X" * 60, 2),
        Count("spacecraft", "東京" * 20, 1),
        Count("spacecraft", None, 1),
    ]
    lines = render(hostile, width)
    text = "\n".join(lines)
    assert not RAW_CONTROL.search(text)
    if width >= 50:
        assert "[bold]Soyuz[/bold]" in text
        assert any(line.startswith("(none)") for line in lines)
    if width == 50:
        assert any(line.startswith("X" * 19 + "…  ") for line in lines)  # cut, not wrapped
    if width == 200:
        assert "[bold]Soyuz[/bold] \\x1b[31mred\\x1b[0m\\x9b2J" in text
        assert any(line.startswith("X" * 60 + "  ") for line in lines)
    assert all(cell_len(line) <= max(width, 20) for line in lines)


def test_hostile_names_through_the_command(tmp_path: Path, tty: Any) -> None:
    data = tmp_path / "events.yaml"
    data.write_text(
        "sources:\n  - {id: s, title: '[red]T[/red]'}\n"
        'spacecraft:\n  - {id: c, name: "[bold]Craft\\e[2J", type: station module}\n'
        "events:\n  - {id: e, date: '2021', title: t, kind: launch, summary: x, spacecraft: [c],"
        " sources: [{source: s, quote: q}]}\n",
        encoding="utf-8",
    )
    result = invoke("--data", str(data), "stats", "--by", "spacecraft", "--by", "source", "--format", "table", obj=tty)
    assert result.exit_code == 0, result.stderr
    assert "[bold]Craft\\x1b[2J" in result.stdout
    assert "[red]T[/red]" in result.stdout
    assert "\x1b" not in result.stdout


# -- help -------------------------------------------------------------------------------------


def examples() -> list[list[str]]:
    command = typer.main.get_command(app)
    assert isinstance(command, typer.core.TyperGroup)
    epilog = command.commands["stats"].epilog or ""
    lines = [line.strip().replace("\\[", "[") for line in epilog.splitlines() if line.strip().startswith("issfacts")]
    import shlex

    return [shlex.split(line.split(" | ")[0])[1:] for line in lines]


def test_every_example_of_the_help_runs() -> None:
    found = examples()
    assert len(found) >= 3
    for args in found:
        ok(*args)


def test_help_says_how_an_event_is_counted() -> None:
    result = invoke("stats", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "spanning two years counts in the first" in text
    for field in FIELDS:
        assert field in text
