"""`issfacts timeline`: the machine formats are `events`, the terminal draws a time axis.

The terminal timeline is checked by what a reader must find in it (every title, the
year headings and their counts against `stats --by year`, the gap markers, a planned
event's hollow glyph, lines that fit), never by a full-screen snapshot; its grouping
(render_timeline's pure functions) on its own.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from support import RAW_CONTROL, RECORD_FORMATS, invoke, ok, ok_json

from issfacts import chronology, facets, render_timeline
from issfacts.chronology import Year, months, newest_first, years
from issfacts.model import Kind
from issfacts.render import PLANNED_MARK
from issfacts.render_timeline import ASCII, BOX, GLYPHS, Timeline, span

WIDTHS = (50, 60, 80, 100, 120, 160, 200)
MACHINE = [fmt for fmt in RECORD_FORMATS if fmt != "table"]  # html, timelinejs: tests/test_html.py
FILTERS = [
    (),
    ("--since", "2021"),
    ("--until", "2018", "--within"),
    ("--kind", "incident", "--kind", "launch"),
    ("--status", "planned", "--reverse"),
    ("--spacecraft", "Soyuz MS-22", "--limit", "3"),
    ("--search", "coolant"),
    ("--on", "07"),
    ("--search", "nothing matches this"),
]
HEADING = re.compile(r"^[╭├+][─-] (\d{4})(?: [─-]+ (\d+) events?(?:, (\d+) planned)?)?$")
ENTRY = re.compile(r"^[│|] (\S) ")


def screen(*args: str, width: int, tty: Any, env: dict[str, str] | None = None) -> list[str]:
    environ = {"COLUMNS": str(width), "LINES": "100000", "NO_COLOR": "1", **(env or {})}
    result = invoke("timeline", *args, "--format", "table", "--no-pager", obj=tty, env=environ)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout.splitlines()


def flowing(lines: list[str]) -> str:
    """The screen as one line of words, the axis down the left taken away."""
    return " ".join(" ".join(re.sub(r"^[│┆|:]", "", line) for line in lines).split())


def headings(lines: list[str]) -> dict[str, int]:
    found = {}
    for line in lines:
        match = HEADING.match(line)
        if match:
            found[match[1]] = int(match[2])
    return found


def strip_counts(lines: list[str]) -> dict[str, int]:
    """The overview strip's counts: each line of years, and the line of numbers under it."""
    counts: dict[str, int] = {}
    top = lines[: next(i for i, line in enumerate(lines) if HEADING.match(line))]
    for i, line in enumerate(top):
        if re.fullmatch(r"[┆: ]*\d{4}(?:[┆: ]+\d{4})*", line):
            numbers = next(row for row in top[i + 1 :] if re.fullmatch(r"[┆: \d]+", row) and re.search(r"\d", row))
            counts.update(zip(re.findall(r"\d{4}", line), map(int, re.findall(r"\d+", numbers)), strict=True))
    return counts


def stats_by_year(*args: str) -> dict[str, int]:
    rows = ok_json("stats", "--by", "year", *args)
    return {row["value"]: row["count"] for row in rows}


@pytest.fixture(scope="module")
def everything() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = ok_json("events")
    return events


# -- the machine formats are `events` -------------------------------------------------------


@pytest.mark.parametrize("fmt", MACHINE)
@pytest.mark.parametrize("args", FILTERS, ids=" ".join)
def test_machine_formats_print_what_events_prints(fmt: str, args: tuple[str, ...]) -> None:
    assert ok("timeline", *args, "--format", fmt).stdout == ok("events", *args, "--format", fmt).stdout


@pytest.mark.parametrize("args", FILTERS, ids=" ".join)
def test_json_and_piped_output_are_those_of_events(args: tuple[str, ...]) -> None:
    assert ok("timeline", *args, "--json").stdout == ok("events", *args, "--json").stdout
    assert ok("timeline", *args).stdout == ok("events", *args).stdout  # not a terminal: tsv


def test_a_name_that_matches_nothing_fails_as_in_events() -> None:
    timeline, events = invoke("timeline", "--spacecraft", "MS-22"), invoke("events", "--spacecraft", "MS-22")
    assert timeline.exit_code == events.exit_code == 1
    assert timeline.stderr == events.stderr


def test_the_machine_formats_do_not_import_rich(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "issfacts", "timeline", "--json"],
        capture_output=True,
        timeout=60,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
    )
    assert done.returncode == 0
    imported = [line.split("|")[-1].strip() for line in done.stderr.decode().splitlines()]
    assert not [name for name in imported if name.startswith("rich") or name == "issfacts.render_timeline"]


# -- the terminal timeline: everything is there ----------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_every_title_appears_once_for_each_event(width: int, tty: Any, everything: list[dict[str, Any]]) -> None:
    text = flowing(screen(width=width, tty=tty))
    for title, times in Counter(event["title"] for event in everything).items():
        assert text.count(title) >= times, title


@pytest.mark.parametrize("args", [(), ("--since", "2021"), ("--status", "planned"), ("--kind", "incident")])
def test_year_headings_and_the_strip_count_as_stats_by_year(args: tuple[str, ...], tty: Any) -> None:
    lines = screen(*args, width=80, tty=tty)
    expected = stats_by_year(*args)
    assert headings(lines) == expected
    assert strip_counts(lines) == expected
    assert sum(headings(lines).values()) == len(ok_json("events", *args))


def test_the_strip_wraps_at_50_columns_and_keeps_every_year(tty: Any) -> None:
    assert strip_counts(screen(width=50, tty=tty)) == stats_by_year()


def test_an_open_start_is_filed_under_its_latest_year(tty: Any) -> None:
    lines = screen("--search", "largely transitioned", width=80, tty=tty)
    assert headings(lines) == {"2025": 1}
    assert any("←──┤" in line and "by end of 2025" in line for line in lines)


def test_skipped_years_become_one_marker(tty: Any) -> None:
    lines = screen(width=80, tty=tty)
    assert "┆ 2019-2020: no events" in lines
    assert "┆ 2024: no events" in lines
    assert not any("2022: no events" in line or "2021-" in line for line in lines)  # neighbours: no gap
    years_shown = list(headings(lines))
    assert years_shown == sorted(years_shown)


def test_reverse_puts_the_newest_year_first(tty: Any) -> None:
    lines = screen("--reverse", width=80, tty=tty)
    years_shown = list(headings(lines))
    assert years_shown == sorted(years_shown, reverse=True)
    assert "newest first" in lines[0]
    assert "┆ 2019-2020: no events" in lines


def test_a_dense_year_gets_month_headings_a_sparse_one_none(tty: Any) -> None:
    lines = screen(width=80, tty=tty)
    assert "├╴Aug 2018" in lines and "├╴2022, month not known" in lines
    start = lines.index(next(line for line in lines if line.startswith("├─ 2021 ")))
    end = lines.index(next(line for line in lines if line.startswith("├─ 2022 ")))
    assert not any(line.startswith("├╴") for line in lines[start:end])  # 8 events: not dense


def test_intervals_are_drawn_as_spans_with_their_bounds(tty: Any) -> None:
    lines = screen(width=80, tty=tty)
    assert any("├┤" in line and "29 Jul - 5 Aug 2021" in line for line in lines)
    assert any("├───┤" in line and "2000 - 2019" in line for line in lines)
    assert any("├──→" in line and "2028 or later" in line for line in lines)
    assert not any("├" in line and "6 Jun 2018" in line for line in lines)  # a day is no span


def test_nothing_matching_says_so(tty: Any) -> None:
    assert screen("--search", "nothing matches this", width=80, tty=tty) == ["No events."]


# -- planned events, colour, widths, hostile text --------------------------------------------


def glyphs(lines: list[str]) -> set[str]:
    return {match[1] for line in lines if (match := ENTRY.match(line))}


def test_planned_events_have_hollow_glyphs_without_colour(tty: Any) -> None:
    planned = glyphs(screen("--status", "planned", width=80, tty=tty))
    happened = glyphs(screen("--status", "happened", width=80, tty=tty))
    assert planned and happened
    assert planned <= {glyph.planned for glyph in GLYPHS.values()}
    assert happened <= {glyph.happened for glyph in GLYPHS.values()}
    assert not planned & happened


def test_every_kind_has_two_distinct_glyphs_and_letters() -> None:
    assert set(GLYPHS) == {kind.value for kind in Kind}
    drawn = [mark for glyph in GLYPHS.values() for mark in (glyph.happened, glyph.planned)]
    letters = [mark for glyph in GLYPHS.values() for mark in (glyph.letter, glyph.letter.lower())]
    assert len(set(drawn)) == len(drawn) and len(set(letters)) == len(letters)
    assert all(cell_len(mark) == 1 for mark in drawn)
    assert GLYPHS["statement"].planned == PLANNED_MARK  # hollow, as the events table marks it


def test_the_legend_explains_only_the_glyphs_used(tty: Any) -> None:
    lines = screen("--kind", "incident", width=80, tty=tty)
    legend = flowing(lines[lines.index("", 3) :])
    assert "★ incident" in legend
    assert "launch" not in legend and "planned:" not in legend
    assert "planned: announced or scheduled" in flowing(screen("--status", "planned", width=80, tty=tty))


def test_colour_adds_to_the_glyphs_and_no_color_removes_only_colour(tty: Any) -> None:
    coloured = screen(width=80, tty=tty, env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    plain = screen(width=80, tty=tty, env={"FORCE_COLOR": "1"})
    assert any("\x1b[31m" in line or "\x1b[1;31m" in line for line in coloured)  # red incidents
    assert not any(re.search(r"\x1b\[[0-9;]*3[0-9]m", line) for line in plain)
    unstyled = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in coloured]
    assert unstyled == [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in plain]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_is_wider_than_the_screen(width: int, tty: Any) -> None:
    for args in [(), ("--since", "2022", "--until", "2022")]:
        lines = screen(*args, width=width, tty=tty)
        assert max(cell_len(line) for line in lines) <= width
        assert not [line for line in lines if line != line.rstrip()]  # no trailing blanks


def test_50_columns_puts_titles_under_their_dates(tty: Any) -> None:
    lines = screen(width=50, tty=tty)
    at = next(i for i, line in enumerate(lines) if line.startswith("│ ▶       29 Jul 2021"))
    assert lines[at + 1] == "│   Nauka module docks with the ISS"
    assert "│ ▲ launch " not in lines  # no kind column: it would crush the text


def test_a_wide_screen_writes_the_kind_out_and_ends_headings_with_the_text(tty: Any) -> None:
    lines = screen(width=200, tty=tty)
    assert any(line.startswith("│ ★ incident ") for line in lines)
    widest_entry = max(cell_len(line) for line in lines if ENTRY.match(line))
    assert all(cell_len(line) <= widest_entry for line in lines if HEADING.match(line))


def test_wrapped_titles_hang_under_their_first_line(tty: Any) -> None:
    lines = screen("--search", "unsafe to fly home", width=80, tty=tty)
    entry = next(i for i, line in enumerate(lines) if "Russian engineers" in line)
    column = lines[entry].index("Russian engineers")
    following = lines[entry + 1]
    assert following.startswith("│") and len(following) - len(following.lstrip("│ ")) == column


HOSTILE = """\
sources:
  - {id: article, title: "Article"}
agencies:
  - {id: nasa, name: NASA}
people: []
spacecraft: []
events:
  - id: 2021-07-29-hostile
    date: "2021-07-29"
    title: "[bold]Loud[/bold] \\e[2J\\e]0;pwned\\a\\x9b31m text"
    kind: incident
    summary: "Summary"
    sources:
      - {source: article, quote: "Quote"}
  - id: 2030-hostile
    date: "2030/.."
    status: planned
    title: "[link=http://e.x]planned[/link] :rocket:"
    kind: launch
    summary: "Summary"
    sources:
      - {source: article, quote: "Quote"}
"""


def test_hostile_text_is_printed_literally(tmp_path: Path, tty: Any) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    for width in (50, 80):
        for env in ({}, {"FORCE_COLOR": "1", "NO_COLOR": ""}):
            args = ("--data", str(path), "timeline", "--format", "table", "--no-pager")
            result = invoke(*args, obj=tty, env={"COLUMNS": str(width), **env})
            assert result.exit_code == 0, result.stderr
            out = result.stdout
            for raw in ("\x1b[2J", "\x1b]0", "\x07", "\x9b"):
                assert raw not in out
            if not env:
                assert not RAW_CONTROL.search(out) and "\x1b" not in out
            text = flowing([re.sub(r"\x1b\[[0-9;]*m", "", line) for line in out.splitlines()])
            assert "[bold]Loud[/bold] \\x1b[2J\\x1b]0;pwned\\x07\\x9b31m text" in text
            assert "[link=http://e.x]planned[/link] :rocket:" in text


def test_an_ascii_terminal_gets_letters_and_ascii_lines(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "issfacts", "timeline", "--format", "table"],
        capture_output=True,
        timeout=60,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONIOENCODING": "ascii", "COLUMNS": "80"},
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode("ascii").splitlines()  # nothing else in it
    assert ": 2019-2020: no events" in lines
    assert headings(lines) == stats_by_year()
    assert strip_counts(lines) == stats_by_year()
    assert any(line.startswith("| X ") and "Atmospheric leak" in line for line in lines)  # incident
    assert any(line.startswith("| l ") and "Soyuz crew launch" in line for line in lines)  # planned launch
    assert any("[-->" in line and "2028 or later" in line for line in lines)


# -- the grouping on its own -------------------------------------------------------------------


def record(date: str, earliest: str | None, latest: str | None, ident: str = "e", **fields: str) -> Any:
    return {"id": ident, "date": date, "earliest": earliest, "latest": latest, "status": "happened", **fields}


def test_each_event_is_filed_under_the_year_and_month_stats_counts_it_in(everything: list[dict[str, Any]]) -> None:
    probes = [
        record("../2025", None, "2025-12-31"),
        record("2018-10?", "2018-10-01", "2018-10-31"),
        record("2018~/2019-03", "2018-01-01", "2019-03-31"),
        record("2028/..", "2028-01-01", None),
        record("2022-12-14/2023-01-31", "2022-12-14", "2023-01-31"),
    ]
    for event in [*everything, *probes]:
        counted = facets.count([event], ("year", "month"), {})
        year, month = counted[0].value, counted[1].value
        assert chronology.year_of(event) == year
        assert chronology.month_of(event) == (month[5:] if month and len(month) > 4 else None)


def test_years_are_in_time_order_each_keeping_the_events_order() -> None:
    events = [
        record("../2025", None, "2025-12-31", "open"),
        record("2000/2019", "2000-01-01", "2019-12-31", "long"),
        record("2018-06-06", "2018-06-06", "2018-06-06", "a"),
        record("2018-09-03", "2018-09-03", "2018-09-03", "b"),
        record("2025-07-29", "2025-07-29", "2025-07-29", "c"),
    ]
    found = years(events)
    assert [(y.year, [e["id"] for e in y.events], y.skipped) for y in found] == [
        ("2000", ["long"], None),
        ("2018", ["a", "b"], ("2001", "2017")),
        ("2025", ["open", "c"], ("2019", "2024")),
    ]
    assert not newest_first(events)
    backwards = years(events[::-1])
    assert newest_first(events[::-1])
    assert [y.year for y in backwards] == ["2025", "2018", "2000"]
    assert [y.skipped for y in backwards] == [None, ("2019", "2024"), ("2001", "2017")]
    assert years([]) == []


def test_months_group_a_dense_year_only() -> None:
    def year_of(dates: list[str]) -> Year:
        return Year("2018", [record(d, None, None, f"e{n}") for n, d in enumerate(dates)], None)

    dense = year_of(["2018", "2018-06-06", "2018-06", "2018-08-29", "2018-08-30", "2018-08-31", "2018-08", "2018-09"])
    dense.events.append(record("2018-09-03", None, None, "last"))
    grouped = months(dense)
    assert [(m, len(e)) for m, e in grouped] == [(None, 1), ("06", 2), ("08", 4), ("09", 2)]
    assert [m for m, _ in months(dense, newest_first=True)] == ["09", "08", "06", None]
    assert months(year_of(["2018-06"] * 8)) == [(None, year_of(["2018-06"] * 8).events)]  # not more than 8
    assert len(months(year_of(["2018-06"] * 9))) == 1  # one month: nothing to group
    spread = [f"2018-{m:02d}" for m in range(1, 10)]
    assert len(months(year_of(spread))) == 1  # one event a month: headings would not group


def test_spans_grow_with_the_interval_and_open_ends_are_arrows() -> None:
    assert span(record("2021-07-29", "2021-07-29", "2021-07-29")) == ""
    assert span(record("2021", "2021-01-01", "2021-12-31")) == ""  # a year is a date, not an interval
    assert span(record("a/b", "2021-07-29", "2021-08-05")) == "├┤"
    assert span(record("a/b", "2021-07-29", "2021-09-30")) == "├─┤"
    assert span(record("a/b", "2021-07-29", "2021-12-31")) == "├──┤"
    assert span(record("a/b", "2000-01-01", "2019-12-31")) == "├───┤"
    assert span(record("a/..", "2028-01-01", None)) == "├──→"
    assert span(record("../b", None, "2025-12-31")) == "←──┤"
    assert span(record("a/..", "2028-01-01", None), ASCII) == "[-->"
    assert BOX.span != ASCII.span


def test_wrap_breaks_at_spaces_and_folds_long_words() -> None:
    assert render_timeline.wrap("one two three", 7) == ["one two", "three"]
    assert render_timeline.wrap("x" * 12 + " y", 5) == ["xxxxx", "xxxxx", "xx y"]
    assert render_timeline.wrap("", 5) == [""]
    assert all(cell_len(line) <= 4 for line in render_timeline.wrap("漢字漢字漢字 ab", 4))


# -- size -------------------------------------------------------------------------------------


def render_seconds(events: list[Any], width: int) -> float:
    console = Console(file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor")
    started = time.perf_counter()
    console.print(Timeline(events))
    return time.perf_counter() - started


def test_five_thousand_events_render_quickly(everything: list[dict[str, Any]]) -> None:
    many = [
        {**event, "id": f"{event['id']}-{n}", "date": str(1900 + n % 120) if n % 3 else event["date"]}
        for n in range(91)
        for event in everything
    ]
    many.sort(key=lambda e: (e["date"], e["id"]))
    assert len(many) > 5000
    for width in (50, 200):
        assert render_seconds(many, width) < 5  # about 0.2 s


def test_long_titles_render_in_time_proportional_to_their_size(everything: list[dict[str, Any]]) -> None:
    def seconds(size: int) -> float:
        words = ("lorem ipsum dolor sit amet " * (size // 27 + 1))[:size]
        events = [{**everything[0], "title": words}, {**everything[1], "title": "x" * size}]
        return min(render_seconds(events, 60) for _ in range(2))

    small, large = seconds(100_000), seconds(800_000)
    assert large < 16 * small + 0.05, (small, large)  # capped at MAX_TITLE: flat, and linear anyway


def test_timeline_json_is_the_events_array(everything: list[dict[str, Any]]) -> None:
    assert json.loads(ok("timeline", "--json").stdout) == everything
