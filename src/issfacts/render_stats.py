"""`issfacts stats` on a terminal: a heading per field counted, then one line per value,
`value  bar count`, each bar scaled to the largest count of its field and the room
the terminal leaves.

The bars are glyphs, not colour, so NO_COLOR and a monochrome terminal still show
them, and they are `#` where the terminal cannot show block elements (rich's
`ascii_only`: a stdout that is not UTF-8). Values come from the data: they are escaped
(`render.cell`) and laid out as plain Segments, never markup, and a value too long for
its column is cut with an ellipsis rather than wrapped.

Called by render_rich.TableFormatter (the terminal's formatter): this module sits
below it, and uses rich and render only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style

from issfacts.render import cell

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions

    from issfacts.facets import Count

HEADING = Style(bold=True)
NOTE = Style(dim=True)
NONE = Style(dim=True, italic=True)
BAR = Style(color="cyan")
NO_VALUE = "(none)"  # an event naming no spacecraft (agency, person)
GAP = 2  # blanks between the value and its bar
MIN_BAR = 8  # cells a bar always has room for: values are cut before bars go
EIGHTHS = " ▏▎▍▌▋▊▉"  # a cell's left 1/8 to 7/8: bars eight times as fine as a cell
FULL, ASCII_FULL = "█", "#"
# What a multi-valued field's heading says, since its counts add up to more than the events.
NOTES = {
    "spacecraft": "an event counts for each it names",
    "agency": "an event counts for each it names",
    "person": "an event counts for each it names",
    "source": "an event counts for each outlet it cites",
}


class Bars:
    """The counts of `stats` (facets.Count rows, grouped by field in their order) as
    horizontal bars, under a line saying how many events were counted."""

    def __init__(self, counts: Sequence[Count], events: int) -> None:
        self.counts, self.events = counts, events

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = max(options.max_width, 1)
        yield from _line(f"{self.events} event{'' if self.events == 1 else 's'}", HEADING, width=width)
        fields: dict[str, list[Count]] = {}
        for row in self.counts:
            fields.setdefault(row.field, []).append(row)
        for field, rows in fields.items():
            yield Segment.line()
            yield from _heading(field, width)
            yield from _field_bars(rows, width, ascii_only=options.ascii_only)


def _field_bars(rows: Sequence[Count], width: int, *, ascii_only: bool) -> Iterator[Segment]:
    """One line per value: the value in a column as wide as the field's widest (up to
    two fifths of the screen, and never so wide that a bar has no room), the bar, the count."""
    labels = [NO_VALUE if row.value is None else cell(row.value) for row in rows]
    count_width = max(len(str(row.events)) for row in rows)
    room = max(1, width - GAP - 1 - count_width - MIN_BAR)
    value_width = min(max(map(cell_len, labels)), max(12, width * 2 // 5), room)
    bar_room = max(1, width - value_width - GAP - 1 - count_width)
    top = max(row.events for row in rows)
    for row, label in zip(rows, labels, strict=True):
        yield Segment(_fit(label, value_width, ascii_only=ascii_only), NONE if row.value is None else None)
        yield Segment(" " * GAP)
        yield Segment(_bar(row.events / top * bar_room, ascii_only=ascii_only), BAR)
        yield Segment(f" {row.events}")
        yield Segment.line()


def _heading(field: str, width: int) -> Iterator[Segment]:
    title = f"By {field}"
    note = NOTES.get(field)
    if note is None or len(title) + 2 + len(note) > width:
        yield from _line(title, HEADING, width=width)
        return
    yield Segment(title, HEADING)
    yield Segment(f"  {note}", NOTE)
    yield Segment.line()


def _line(text: str, style: Style, *, width: int) -> Iterator[Segment]:
    yield Segment(text[:width], style)
    yield Segment.line()


def _fit(text: str, width: int, *, ascii_only: bool) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis."""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    ellipsis = "..." if ascii_only else "…"
    if width <= len(ellipsis):
        return set_cell_size(text, width)
    return set_cell_size(text, width - len(ellipsis)) + ellipsis


def _bar(cells: float, *, ascii_only: bool) -> str:
    """A bar `cells` long, at least a sliver: every value counted has at least one event."""
    if ascii_only:
        return ASCII_FULL * max(1, round(cells))
    whole, eighths = divmod(max(1, round(cells * 8)), 8)
    return FULL * whole + (EIGHTHS[eighths] if eighths else "")
