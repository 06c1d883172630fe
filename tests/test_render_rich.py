"""The terminal table, laid out by `render_rich.Grid`: wrapping, column widths, boxes.

Assertions are about shape (widths, borders, every word kept), never full-screen
snapshots, which break with every terminal width.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from support import invoke

from issfacts.render_rich import Grid, level, wrap

# Words of letters, with some wide (CJK) and zero-space-break (long id-like) ones.
WORD = st.text(st.sampled_from("abcdefghij-日本語"), min_size=1, max_size=25)
TEXT = st.lists(WORD, max_size=12).map(" ".join)


def render(grid: Grid, width: int, **console: Any) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, **console).print(grid)
    return out.getvalue().splitlines()


# -- wrap ------------------------------------------------------------------------------


@given(TEXT, st.integers(1, 40))
def test_wrapped_lines_fit_and_keep_every_character(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(cell_len(line) <= width or len(line) == 1 for line in lines)  # or one wide character
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@given(TEXT, st.integers(50, 80))  # a word is at most 25 characters, 50 cells
def test_words_that_fit_are_never_broken(text: str, width: int) -> None:
    assert " ".join(wrap(text, width)).split() == text.split()


def test_text_that_fits_is_one_line_as_written() -> None:
    assert wrap("two  spaces", 11) == ["two  spaces"]


def test_a_word_wider_than_the_column_is_folded() -> None:
    assert wrap("ars-technica-2023-progress-leak", 10) == ["ars-techni", "ca-2023-pr", "ogress-lea", "k"]


# -- level -----------------------------------------------------------------------------

COLUMNS = st.lists(st.tuples(st.integers(1, 120), st.integers(1, 120)), min_size=1, max_size=8)


@settings(max_examples=300)
@given(COLUMNS, st.integers(0, 600))
def test_level_takes_exactly_what_it_can_and_respects_floors(columns: list[tuple[int, int]], excess: int) -> None:
    widths, floors = [w for w, _ in columns], [f for _, f in columns]
    result = level(widths, floors, excess)
    slack = sum(max(0, w - f) for w, f in columns)
    assert sum(widths) - sum(result) == min(excess, slack)
    for before, after, floor in zip(widths, result, floors, strict=True):
        assert after <= before
        assert after == before or after >= floor


@settings(max_examples=300)
@given(COLUMNS, st.integers(0, 600))
def test_level_shrinks_the_widest_columns_first(columns: list[tuple[int, int]], excess: int) -> None:
    widths, floors = [w for w, _ in columns], [f for _, f in columns]
    result = level(widths, floors, excess)
    for before, after in zip(widths, result, strict=True):
        if after < before:  # then nothing left wider than it could still have given way
            assert all(result[j] <= max(after + 1, floors[j]) for j in range(len(result)))


# -- Grid ------------------------------------------------------------------------------

ROWS = st.integers(1, 5).flatmap(lambda n: st.lists(st.lists(TEXT, min_size=n, max_size=n), max_size=6))


@settings(max_examples=150)
@given(ROWS, st.integers(30, 160))
def test_boxed_grid_fits_the_terminal_and_keeps_every_word(rows: list[list[str]], width: int) -> None:
    count = len(rows[0]) if rows else 1
    header = [f"H{i}" for i in range(count)]
    lines = render(Grid(rows, header=header), width)
    assert len({cell_len(line) for line in lines}) == 1  # every line is as wide as the box
    assert cell_len(lines[0]) <= width
    assert lines[0].startswith("┏") and lines[-1].startswith("└")
    # Every character of every cell is on the screen, none cut off: only blanks and borders added.
    shown = Counter("".join(lines))
    for border in "┏┓┗┛┡┩━┃│─┳╇└┘┴ ":
        del shown[border]
    assert shown == Counter("".join(header) + "".join(text for row in rows for text in row).replace(" ", ""))


def test_no_wrap_columns_keep_their_width_while_others_can_wrap() -> None:
    grid = Grid([["2022-12-14", "Soyuz MS-22 leaks coolant from its external cooling loop"]], header=["Date", "Title"])
    grid.no_wrap = (True, False)
    lines = render(grid, 40)
    assert "│ 2022-12-14 │" in lines[3]
    assert max(cell_len(line) for line in lines) <= 40


def test_rows_are_never_truncated_on_a_narrow_terminal() -> None:
    title = "Progress MS-21 loses coolant from its external cooling loop"
    lines = render(Grid([["2023-02-11", title]], header=["Date", "Title"], no_wrap=(True, False)), 30)
    body = " ".join(line.strip("│ ") for line in lines[3:-1])
    assert all(word in body for word in title.split())


def test_the_header_is_bold_and_the_body_plain() -> None:
    out = io.StringIO()
    Console(file=out, width=60, force_terminal=True, color_system="standard").print(
        Grid([["a value"]], header=["Name"])
    )
    text = out.getvalue()
    assert "\x1b[1mName" in text
    assert re.search(r"│ a value\s*│", text)


def test_an_ascii_terminal_gets_an_ascii_box() -> None:
    out = io.BytesIO()
    console = Console(file=io.TextIOWrapper(out, encoding="ascii"), width=40, color_system=None)
    assert console.options.ascii_only
    console.print(Grid([["x", "y"]], header=["A", "B"]))
    console.file.flush()
    assert out.getvalue().decode("ascii").splitlines() == [
        "+-------+",
        "| A | B |",
        "|---+---|",
        "| x | y |",
        "+-------+",
    ]


def test_an_empty_table_still_shows_its_header() -> None:
    assert render(Grid([], header=["Date", "Title"]), 80) == [
        "┏━━━━━━┳━━━━━━━┓",
        "┃ Date ┃ Title ┃",
        "┡━━━━━━╇━━━━━━━┩",
        "└──────┴───────┘",
    ]


def test_bare_pairs_have_no_trailing_blanks() -> None:
    lines = render(Grid([["Type", "crewed spacecraft"], ["Operators", "Roscosmos"]], no_wrap=(True,)), 80)
    assert lines == ["Type       crewed spacecraft", "Operators  Roscosmos"]


def test_a_title_prints_above_the_box() -> None:
    lines = render(Grid([["x"]], header=["A"], title="Events"), 80)
    assert lines[0] == "Events"
    assert lines[1].startswith("┏")


# -- through the CLI -------------------------------------------------------------------


def table_lines(columns: int, tty: Any) -> list[str]:
    result = invoke("events", "--format", "table", obj=tty, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0
    return result.stdout.splitlines()


@pytest.mark.parametrize("columns", [30, 60, 80, 120, 250])
def test_events_table_fits_the_terminal(columns: int, tty: Any) -> None:
    assert max(cell_len(line) for line in table_lines(columns, tty)) <= columns


@pytest.mark.parametrize("columns", [80, 120, 250])
def test_events_table_wraps_titles_between_words(columns: int, tty: Any) -> None:
    shown = " ".join(table_lines(columns, tty)).split()
    title = "Nauka's thrusters fire unexpectedly and the ISS loses attitude control"
    assert all(word in shown for word in title.split())
