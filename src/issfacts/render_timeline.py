"""`issfacts timeline` on a terminal: the events on a vertical time axis.

At the top an overview strip, the events of each year as a small bar chart (empty years
compressed into one `┆`; no strip for a single year); then, down an axis on the left, a
heading per year and one entry per event: a glyph by kind (filled: happened, hollow:
planned), a span for an interval (`├─┤`, longer for a longer interval, `├──→` for an
open end), the readable date (`render.human_date`) and the title, wrapped under itself.
A year of more than chronology.DENSE events gets a heading per month where that groups
them (`months`). Years with no events between two that have some become one marker line. A
legend of the glyphs used ends it.

Meaning never rests on colour alone: the glyphs, the spans and the words carry it, so
NO_COLOR and a monochrome terminal lose nothing. Where the terminal cannot show the
glyphs (rich's `ascii_only`: a stdout that is not UTF-8), letters stand in for them,
upper case for happened, lower case for planned. Below TITLE_MIN cells of title beside
the date, the title goes under the date instead: decoration gives way before text.

Text from the data is escaped (`render.cell`) and laid out as plain Segments, never
markup. Laid out in one pass: linear in the size of the text (tests/test_timeline.py
times 5,000 events).

The grouping (the year an event is filed under, `stats --by year`'s rule, so the strip's
counts are its counts) and the marks by kind are chronology's, shared with the HTML page.

Called by render_rich.TableFormatter (the terminal's formatter): this module sits
below it, beside render_stats, and uses rich, chronology and render only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from rich.style import Style

from issfacts.chronology import (
    MARKS,
    OTHER_MARK,
    Year,
    count_text,
    months,
    newest_first,
    nothing_text,
    planned_count,
    year_range,
    years,
)
from issfacts.render import PLANNED_LEGEND, cell, human_date

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions

    from issfacts.records import EventRecord

TITLE_MIN = 30  # cells a title needs beside its date; fewer, and it goes under the date
KIND_FROM = 60  # title cells left with a kind column added: then the kind is written out
MAX_TITLE = 2_000  # characters of a title shown (render_rich.MAX_CELL); `show` has it all
STRIP_BLOCKS = 3  # more blocks of years than this, and the strip becomes a sparkline

HEADING = Style(bold=True)
DIM = Style(dim=True)
PLANNED = Style(italic=True)
BAR = Style(color="cyan")


class Glyph(NamedTuple):
    """How an event of one kind is drawn: filled when it happened, hollow when planned,
    and a letter (upper case, lower case planned) where the terminal cannot show them."""

    happened: str
    planned: str
    letter: str
    style: Style | None = None  # colour adds to the shape; it never replaces it

    def mark(self, *, planned: bool, ascii_only: bool) -> str:
        if ascii_only:
            return self.letter.lower() if planned else self.letter
        return self.planned if planned else self.happened


# Colour adds to the shape of each kind's mark (chronology.MARKS); it never replaces it.
_STYLES: dict[str, Style | None] = {
    "launch": Style(color="cyan"),
    "docking": Style(color="cyan"),
    "undocking": Style(color="cyan"),
    "return": Style(color="cyan"),
    "incident": Style(color="red", bold=True),
    "investigation": Style(color="yellow"),
    "statement": None,
    "agreement": Style(color="green"),
    "meeting": Style(color="green"),
    "operations": Style(color="blue"),
    "policy": Style(color="magenta"),
}
GLYPHS: dict[str, Glyph] = {kind: Glyph(*mark, _STYLES[kind]) for kind, mark in MARKS.items()}
OTHER = Glyph(*OTHER_MARK)  # a kind this module does not know (not from a validated file)


class Chars(NamedTuple):
    """The drawing characters: box drawing, or ASCII where the terminal cannot show it."""

    axis: str
    gap: str
    first: str  # where the axis starts, at the first year's heading
    branch: str  # a later year's heading
    rule: str
    month: str
    span: tuple[str, str, str, str]  # left end, line, right end, open end's arrow
    open_start: str
    bars: str  # a cell's lower 1/8 to 8/8; empty: no bars


BOX = Chars("│", "┆", "╭", "├", "─", "├╴", ("├", "─", "┤", "→"), "←", "▁▂▃▄▅▆▇█")
ASCII = Chars("|", ":", "+", "+", "-", "+ ", ("[", "-", "]", ">"), "<", "")


# -- spans ----------------------------------------------------------------------------------


def span(record: EventRecord, chars: Chars = BOX) -> str:
    """An interval drawn as a span, longer for a longer interval (`├┤` up to a fortnight,
    `├─┤` a quarter, `├──┤` a year, `├───┤` more), an open end as an arrow; "" for a
    date that is not an interval (a day, a month or a year)."""
    if "/" not in record["date"]:
        return ""
    left, line, right, arrow = chars.span
    earliest, latest = record["earliest"], record["latest"]
    if earliest is None:
        return chars.open_start + line * 2 + right
    if latest is None:
        return left + line * 2 + arrow
    try:
        days = (dt.date.fromisoformat(latest) - dt.date.fromisoformat(earliest)).days + 1
    except ValueError:  # not from a validated file
        days = 0
    return left + line * sum(days > limit for limit in (14, 92, 366)) + right


SPAN_WIDTH = 5  # `├───┤`


# -- drawing -------------------------------------------------------------------------------

Piece = tuple[str, "Style | None"]


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells, broken at spaces, a word wider than a line folded.
    Each word is measured once and each line joined once: linear in the text."""
    width = max(width, 2)  # a double-width character needs two cells
    lines: list[str] = []
    words: list[str] = []
    used = 0
    for word in text.split(" "):
        if not word:
            continue
        size = cell_len(word)
        if words and used + 1 + size > width:
            lines.append(" ".join(words))
            words, used = [], 0
        if size > width:  # alone on its lines: the ones before were flushed just above
            *whole, word = chop_cells(word, width)
            lines += whole
            size = cell_len(word)
        words.append(word)
        used += size + (1 if len(words) > 1 else 0)
    if words or not lines:
        lines.append(" ".join(words))
    return lines


def _line(*pieces: Piece) -> Iterator[Segment]:
    """One screen line, without trailing blanks (nothing to copy out of a terminal)."""
    kept = list(pieces)
    while kept and not kept[-1][0].rstrip():
        kept.pop()
    if kept:
        kept[-1] = (kept[-1][0].rstrip(), kept[-1][1])
    for text, style in kept:
        if text:
            yield Segment(text, style)
    yield Segment.line()


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_len(text))


class Timeline:
    """The events (records in events order, or reversed) as a timeline: see the module."""

    def __init__(self, records: Sequence[EventRecord]) -> None:
        self.records = records

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = max(options.max_width, 1)
        chars = ASCII if options.ascii_only else BOX
        groups = years(self.records)
        planned = planned_count(self.records)
        if not groups:
            yield from _line(("No events.", DIM))
            return
        spans = {span(record, chars) for record in self.records} - {""}
        yield from self._summary(groups, planned, width)
        yield from _line()
        if len(groups) > 1:  # one year: its heading says it all
            yield from _strip(groups, width, chars)
            yield from _line()
        layout = _Layout.choose(self.records, width, chars, spans=bool(spans))
        width = max(layout.width, 40) if width >= 40 else width  # headings end where the text does
        newest = newest_first(self.records)
        for n, year in enumerate(groups):
            if year.skipped is not None:
                yield from _line((chars.gap, DIM), (f" {nothing_text(year.skipped)}", DIM))
            elif n:
                yield from _line((chars.axis, DIM))
            yield from _heading(year, chars.first if n == 0 else chars.branch, chars, width)
            for month, events in months(year, newest_first=newest):
                if month is not None or len(events) != len(year.events):
                    label = human_date(f"{year.year}-{month}") if month else f"{year.year}, month not known"
                    yield from _line((chars.month, DIM), (cell(label), HEADING))
                for record in events:
                    yield from layout.entry(record)
        yield from _line()
        yield from _legend(self.records, spans, chars, width)

    def _summary(self, groups: Sequence[Year], planned: int, width: int) -> Iterator[Segment]:
        first, last = sorted((groups[0].year, groups[-1].year))
        order = ", newest first" if newest_first(self.records) else ""
        text = f"{count_text(len(self.records), planned)}, {cell(year_range(first, last))}{order}"
        for line in wrap(text, width):
            yield from _line((line, HEADING))


def _heading(year: Year, corner: str, chars: Chars, width: int) -> Iterator[Segment]:
    """`├─ 2018 ──────── 11 events, 4 planned`: the count drops its planned part, then
    the rule shortens, before anything is cut."""
    planned = planned_count(year.events)
    left = f"{corner}{chars.rule} "
    label = cell(year.year)
    for right in (count_text(len(year.events), planned), count_text(len(year.events), 0), ""):
        fill = width - cell_len(left) - cell_len(label) - 2 - cell_len(right)
        if fill >= 2 or not right:
            break
    rule = chars.rule * max(fill, 0)
    yield from _line((left, DIM), (label, HEADING), (f" {rule} " if rule else "", DIM), (right, DIM))


class _Layout(NamedTuple):
    """Where an entry's parts go: `│ G [kind] [span] date  title`, or, when the title
    would get fewer than TITLE_MIN cells beside the date, the title under the date."""

    width: int
    chars: Chars
    dates: dict[str, str]  # each EDTF date shown, as a reader writes it (`human_date`)
    kind_width: int  # 0: no kind column
    spans: bool
    date_width: int  # 0: the title goes under the date

    @classmethod
    def choose(cls, records: Sequence[EventRecord], width: int, chars: Chars, *, spans: bool) -> _Layout:
        """The layout for `width` cells, narrowed to what the widest entry takes, so a
        wide screen's headings do not run on far past the text."""
        fixed = 4 + (SPAN_WIDTH + 1 if spans else 0) + 2  # `│ G `, the span, the gap
        titles = max(min(cell_len(cell(record["title"])), MAX_TITLE) for record in records)
        readable: dict[str, str] = {}
        for record in records:  # many events share a date: each is parsed once
            if record["date"] not in readable:
                readable[record["date"]] = cell(human_date(record["date"]))
        # Dates longer than a third of the line (`15 Jul 2022 - end of 2028`) take a line.
        cap = max(20, (width - fixed) // 3)
        dates = [cell_len(text) for text in readable.values()]
        date_width = max((size for size in dates if size <= cap), default=cap)
        if width - fixed - date_width < TITLE_MIN:
            return cls(min(width, max(4 + titles, fixed + max(dates))), chars, readable, 0, spans, 0)
        kinds = max(cell_len(cell(record["kind"])) for record in records) + 1
        if width - fixed - date_width - kinds < KIND_FROM:
            kinds = 0
        return cls(min(width, fixed + kinds + date_width + titles), chars, readable, kinds, spans, date_width)

    def entry(self, record: EventRecord) -> Iterator[Segment]:
        """One event's lines: the glyph, the span and the date, the title beside or under."""
        chars = self.chars
        glyph = GLYPHS.get(record["kind"], OTHER)
        planned = record["status"] == "planned"
        mark = glyph.mark(planned=planned, ascii_only=chars is ASCII)
        head: list[Piece] = [(chars.axis, DIM), (" ", None), (mark, glyph.style), (" ", None)]
        if self.kind_width:
            head.append((_pad(cell(record["kind"]), self.kind_width), DIM))
        if self.spans:
            head.append((_pad(span(record, chars), SPAN_WIDTH) + " ", None))
        date = self.dates[record["date"]]
        title = cell(record["title"])
        if len(title) > MAX_TITLE:
            title = title[: MAX_TITLE - 1] + "…"
        style = PLANNED if planned else None
        indent = sum(cell_len(text) for text, _ in head)
        if self.date_width and cell_len(date) <= self.date_width:
            column = indent + self.date_width + 2
            lines = wrap(title, self.width - column)
            yield from _line(*head, (_pad(date, self.date_width + 2), DIM), (lines[0], style))
        else:
            # The date on its line, the title under it: beside the date's column when
            # there is one, else two cells in, under the span and the date.
            column = indent + self.date_width + 2 if self.date_width else 4
            for n, line in enumerate(wrap(date, self.width - indent)):
                yield from _line(*(head if n == 0 else [(chars.axis, DIM), (" " * (indent - 1), None)]), (line, DIM))
            lines = [""] + wrap(title, self.width - column)
        for line in lines[1:]:
            yield from _line((chars.axis, DIM), (" " * (column - 1), None), (line, style))


def _strip(groups: Sequence[Year], width: int, chars: Chars) -> Iterator[Segment]:
    """Events per year, in the order of the timeline: each year a column (year, bar,
    count), neighbouring years two cells apart, a `┆` between years with empty years
    between them; in blocks as wide as the screen, or as one sparkline per line of
    years when that would take more than STRIP_BLOCKS blocks."""
    counts = [len(year.events) for year in groups]
    top = max(counts)
    cw = max(4, len(str(top)), *(cell_len(cell(year.year)) for year in groups))
    blocks: list[list[tuple[str, int]]] = [[]]  # (separator before, index)
    used = 0
    for i, year in enumerate(groups):
        sep = f" {chars.gap} " if year.skipped else "  "
        if blocks[-1] and used + len(sep) + cw > width:
            blocks.append([])
            used = 0
        if not blocks[-1]:
            sep = f"{chars.gap} " if year.skipped else ""
        blocks[-1].append((sep, i))
        used += len(sep) + cw
    if len(blocks) > STRIP_BLOCKS:
        yield from _sparkline(groups, counts, width, chars)
        return
    for b, block in enumerate(blocks):
        if b:
            yield from _line()
        yield from _line(*((f"{sep}{cell(groups[i].year):>{cw}}", DIM) for sep, i in block))
        if chars.bars:
            for row in (1, 0):  # two cells high: sixteen steps
                pieces: list[Piece] = []
                for sep, i in block:
                    pieces += [(sep, DIM), (_bar_cell(counts[i], top, row, chars.bars) * cw, BAR)]
                yield from _line(*pieces)
        yield from _line(*((f"{sep}{counts[i]:>{cw}}", None) for sep, i in block))


def _bar_cell(count: int, top: int, row: int, bars: str) -> str:
    """Row 0 (lower) or 1 (upper) of a bar two cells high; every count shows at least 1/16."""
    steps = max(1, round(count / top * 16))
    part = steps - 8 * row
    return " " if part <= 0 else bars[min(part, 8) - 1]


def _sparkline(groups: Sequence[Year], counts: Sequence[int], width: int, chars: Chars) -> Iterator[Segment]:
    """Many years: one cell per year, `first ▁▃█ last` a line, a gap as `┆`."""
    top = max(counts)
    room = max(width - 10, 1)
    cells: list[tuple[str, int | None]] = []  # (year, count), or (gap, None)
    for year, count in zip(groups, counts, strict=True):
        if year.skipped:
            cells.append((chars.gap, None))
        cells.append((cell(year.year), count))
    bars = chars.bars or ".:-=+*#%@"
    for start in range(0, len(cells), room):
        chunk = cells[start : start + room]
        years_in = [text for text, count in chunk if count is not None]
        if not years_in:
            continue
        line = "".join(
            text if count is None else bars[max(1, round(count / top * len(bars))) - 1] for text, count in chunk
        )
        yield from _line((f"{years_in[0]:>4} ", DIM), (line, BAR), (f" {years_in[-1]}", DIM))
    yield from _line((f"each cell a year, the highest {top} events", DIM))


SPAN_LEGEND = ("up to 2 weeks", "up to 3 months", "up to a year", "longer")


def _legend(records: Sequence[EventRecord], spans: Iterable[str], chars: Chars, width: int) -> Iterator[Segment]:
    """The glyphs and spans used, each explained, wrapped between entries."""
    happened = {record["kind"] for record in records if record["status"] != "planned"}
    planned = {record["kind"] for record in records if record["status"] == "planned"}
    known = [*GLYPHS.items(), *((kind, OTHER) for kind in sorted((happened | planned) - GLYPHS.keys()))]
    entries: list[list[Piece]] = []
    ascii_only = chars is ASCII
    for kind, glyph in known:
        if kind in happened or kind in planned:
            shown = glyph.mark(planned=False, ascii_only=ascii_only)  # hollow ones: the planned entry
            entries.append([(shown, glyph.style), (f" {cell(kind)}", DIM)])
    if planned:
        hollow = [glyph.mark(planned=True, ascii_only=ascii_only) for kind, glyph in known if kind in planned]
        entries.append([(" ".join(hollow), None), (f" {PLANNED_LEGEND}", DIM)])
    left, line, right, arrow = chars.span
    drawn = set(spans)
    for n, label in enumerate(SPAN_LEGEND):
        if left + line * n + right in drawn:
            entries.append([(left + line * n + right, None), (f" {label}", DIM)])
    for shape, label in ((left + line * 2 + arrow, "open end"), (chars.open_start + line * 2 + right, "open start")):
        if shape in drawn:
            entries.append([(shape, None), (f" {label}", DIM)])
    yield from _entries(entries, width)


def _entries(entries: Sequence[Sequence[Piece]], width: int) -> Iterator[Segment]:
    """Entries side by side, three cells apart, a new line where one would not fit; an
    entry wider than the line wraps on its own lines."""
    line: list[Piece] = []
    used = 0
    for entry in entries:
        size = sum(cell_len(text) for text, _ in entry)
        if line and used + 3 + size > width:
            yield from _line(*line)
            line, used = [], 0
        if size > width:
            text = "".join(text for text, _ in entry)
            for part in wrap(text, width):
                yield from _line((part, DIM))
            continue
        if line:
            line.append(("   ", None))
            used += 3
        line += entry
        used += size
    if line:
        yield from _line(*line)
