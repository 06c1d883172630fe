"""Rich renderables for a terminal. The only module that imports rich (ruff TID251).

Every piece of data enters as plain text, never as markup, so `[bold]` in a title prints
as written; control characters are escaped first by `render.printable`.

Tables are laid out here, by `Grid`, rather than by `rich.table.Table`, for speed. For
`events --since 2021 --format table` (36 events, 80 columns, in-process, median of 5),
rich's Table took 36 ms to measure and render its 180 cells, one `Padding` and
`render_lines` per cell: the command cost 1.24-1.28x importing typer, yaml and
rich.table, against a 1.10x target. Grid lays out plain strings and prints in 4.5-5 ms
(Console included) and never imports rich.table (`bench.py`: 0.99-1.01x). Output
still goes through rich's Console, which owns the terminal: width, colour system,
NO_COLOR, encoding.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from issfacts.render import (
    EVENT_COLUMNS,
    NO_BREAK,
    Column,
    Record,
    cell,
    citation_label,
    detail_fields,
    event_facts,
    printable_multiline,
)

if TYPE_CHECKING:
    from issfacts.records import EventRecord, NamedRecord

BOLD = Style(bold=True)
TITLE = Style(italic=True)
ITALIC = Style(italic=True)
DIM = Style(dim=True)
MAX_CELL = 2_000  # characters of one table cell; `show` and the machine formats give it all


def print_to_stdout(renderable: object) -> None:
    """Print for a terminal; rich honours NO_COLOR and the terminal's width."""
    console = Console(highlight=False, soft_wrap=False)
    console.print(renderable)
    console.file.flush()


# -- layout -------------------------------------------------------------------------------


class Box(NamedTuple):
    """The characters of a boxed table: rich's HEAVY_HEAD, or ASCII where the terminal
    cannot show it (rich's own substitution rule, `options.ascii_only`)."""

    top: tuple[str, str, str, str]  # left, line, join, right
    head: tuple[str, str, str]  # left, between, right
    rule: tuple[str, str, str, str]
    body: tuple[str, str, str]
    bottom: tuple[str, str, str, str]


HEAVY_HEAD = Box(("┏", "━", "┳", "┓"), ("┃", "┃", "┃"), ("┡", "━", "╇", "┩"), ("│", "│", "│"), ("└", "─", "┴", "┘"))
ASCII = Box(("+", "-", "-", "+"), ("|", "|", "|"), ("|", "-", "+", "|"), ("|", "|", "|"), ("+", "-", "-", "+"))


def wrap(text: str, width: int) -> list[str]:
    """Break `text` into lines of at most `width` cells: at spaces where a word fits,
    folding a word that is wider than a whole line."""
    if cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    line, used = "", 0
    for word in text.split(" "):
        if not word:
            continue
        size = cell_len(word)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        if size <= width:
            line, used = word, size
        else:
            *whole, line = chop_cells(word, width)
            lines += whole
            used = cell_len(line)
    lines.append(line)
    return lines


def level(widths: Sequence[int], floors: Sequence[int], excess: int) -> list[int]:
    """Take up to `excess` cells from the widest columns first, levelling them down
    together (rich's rule, so columns stay balanced), none below its floor."""
    widths = list(widths)
    while excess > 0:
        movable = [i for i, (w, f) in enumerate(zip(widths, floors, strict=True)) if w > f]
        if not movable:
            break
        top = max(widths[i] for i in movable)
        tied = [i for i in movable if widths[i] == top]
        below = max((widths[i] for i in movable if widths[i] < top), default=0)
        step = min(top - below, *(top - floors[i] for i in tied))
        if step * len(tied) >= excess:
            for n, i in enumerate(tied):
                widths[i] -= excess // len(tied) + (n < excess % len(tied))
            break
        for i in tied:
            widths[i] -= step
        excess -= step * len(tied)
    return widths


class Grid:
    """Rows of plain-text cells in columns sized to the terminal: boxed under a bold header
    like rich's default table, or, without a header, bare label/value pairs. Columns marked
    `no_wrap` keep their width while another column can give way, and columns marked
    `whole_words` wrap only between words; if no other column can give way, they fold."""

    def __init__(
        self,
        rows: Sequence[Sequence[str]],
        header: Sequence[str] | None = None,
        no_wrap: Sequence[bool] = (),
        whole_words: Sequence[bool] = (),
        title: str | None = None,
        first_column_style: Style | None = None,
    ) -> None:
        self.rows = rows
        self.header = header
        self.no_wrap = no_wrap
        self.whole_words = whole_words
        self.title = title
        self.first_column_style = first_column_style

    def overhead(self, count: int) -> int:
        """Cells taken by borders and padding: `│ a │ b │`, or two spaces between bare columns."""
        return 3 * count + 1 if self.header else 2 * (count - 1)

    def widths(self, space: int) -> list[int]:
        """Each column's width when the whole grid has `space` cells."""
        lines = [*([self.header] if self.header else []), *self.rows]
        count = len(lines[0]) if lines else 0
        widest = [max(cell_len(line[i]) for line in lines) or 1 for i in range(count)]
        room = max(space - self.overhead(count), count)
        if sum(widest) <= room:
            return widest
        # Wrap between words first, then fold the longest words, then the no-wrap columns.
        kept = [w if i < len(self.no_wrap) and self.no_wrap[i] else 1 for i, w in enumerate(widest)]
        longest_word = [
            max(kept[i], *(cell_len(word) for line in lines for word in line[i].split(" "))) for i in range(count)
        ]
        kept = [longest_word[i] if i < len(self.whole_words) and self.whole_words[i] else w for i, w in enumerate(kept)]
        # A double-width character cannot be folded: no column narrower than one.
        widest_character = [
            max((cell_len(c) for line in lines if not line[i].isascii() for c in line[i]), default=1)
            for i in range(count)
        ]
        widths = widest
        for floors in (longest_word, kept, widest_character):
            widths = level(widths, floors, sum(widths) - room)
        return widths

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        widths = self.widths(options.max_width)
        if self.title:
            for line in wrap(self.title, options.max_width):
                yield Segment(line, TITLE)
                yield Segment.line()
        if self.header is None:
            for row in self.rows:
                yield from self._bare_row(row, widths)
            return
        box = ASCII if options.ascii_only else HEAVY_HEAD
        yield from _rule(box.top, widths)
        yield from _boxed_row(self.header, widths, box.head, BOLD)
        yield from _rule(box.rule, widths)
        for row in self.rows:
            yield from _boxed_row(row, widths, box.body, None)
        yield from _rule(box.bottom, widths)

    def _bare_row(self, row: Sequence[str], widths: Sequence[int]) -> Iterator[Segment]:
        for texts in _row_lines(row, widths):
            # Every column but the last is padded: no trailing blanks to copy out of a terminal.
            yield Segment(_pad(texts[0], widths[0]) if len(texts) > 1 else texts[0], self.first_column_style)
            if len(texts) > 1:
                yield Segment("".join(f"  {_pad(t, w)}" for t, w in zip(texts[1:-1], widths[1:-1], strict=True)))
                yield Segment(f"  {texts[-1]}")
            yield Segment.line()


def _row_lines(row: Sequence[str], widths: Sequence[int]) -> Iterator[list[str]]:
    """The screen lines of one row: each cell wrapped to its column, short cells blank below."""
    cells = [wrap(text, width) for text, width in zip(row, widths, strict=True)]
    for n in range(max(map(len, cells), default=0)):
        yield [lines[n] if n < len(lines) else "" for lines in cells]


def _rule(chars: tuple[str, str, str, str], widths: Sequence[int]) -> Iterator[Segment]:
    left, line, join, right = chars
    yield Segment(left + join.join(line * (w + 2) for w in widths) + right)
    yield Segment.line()


def _boxed_row(
    row: Sequence[str], widths: Sequence[int], chars: tuple[str, str, str], style: Style | None
) -> Iterator[Segment]:
    left, between, right = chars
    for texts in _row_lines(row, widths):
        padded = [_pad(text, width) for text, width in zip(texts, widths, strict=True)]
        if style is None:  # one segment a line: rich's cropping pass then costs next to nothing
            yield Segment(f"{left} " + f" {between} ".join(padded) + f" {right}")
        else:
            yield Segment(f"{left} ")
            for i, text in enumerate(padded):
                yield Segment(text, style)
                yield Segment(f" {between} " if i < len(padded) - 1 else f" {right}")
        yield Segment.line()


def _pad(text: str, width: int) -> str:
    # NO_BREAK has done its work once the cell is wrapped: the terminal gets plain spaces
    return text.replace(NO_BREAK, " ") + " " * (width - cell_len(text))


# -- what the commands show -------------------------------------------------------------


def table(records: Sequence[Record], columns: Sequence[Column], title: str | None = None) -> Grid:
    shown = [c for c in columns if c.brief]
    return Grid(
        [[_capped(cell((c.shown or c.value)(record))) for c in shown] for record in records],
        header=[c.name.capitalize() for c in shown],
        no_wrap=[c.name == "id" for c in shown],
        whole_words=[c.name in ("date", "published") for c in shown],  # an interval breaks at its dash only
        title=title,
    )


class Prose:
    """Paragraphs wrapped between words to the terminal's width, each piece of text with
    its own style, continuation lines indented by `hang` cells. Laid out here, in one
    pass over the words, rather than by rich's Text: its wrapping of a 2 MB summary took
    3.6 s, growing faster than the text (tests/test_hostile.py keeps it linear)."""

    def __init__(
        self, *pieces: tuple[str, Style | None] | str, indent: int = 0, hang: int = 0, style: Style | None = None
    ) -> None:
        self.pieces = [(piece, style) if isinstance(piece, str) else piece for piece in pieces]
        self.indent, self.hang = indent, hang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = max(options.max_width, 1)
        indent, hang = min(self.indent, width // 2), min(self.hang, width // 2)
        paragraph: list[tuple[str, Style | None]] = []
        for text, style in self.pieces:
            lines = text.split("\n")
            for n, line in enumerate(lines):
                paragraph += [(word, style) for word in line.split(" ") if word]
                if n < len(lines) - 1:
                    yield from self._lines(paragraph, width, indent, hang)
                    paragraph = []
        yield from self._lines(paragraph, width, indent, hang)

    @staticmethod
    def _lines(words: Sequence[tuple[str, Style | None]], width: int, indent: int, hang: int) -> Iterator[Segment]:
        """One segment per run of a style on a line, so rich handles lines, not words."""
        line: list[tuple[str, Style | None]] = [(" " * indent, None)] if indent else []
        used, room = 0, width - indent

        def flush() -> Iterator[Segment]:
            style: Style | None = None
            run: list[str] = []
            for text, text_style in line:
                if run and text_style != style:
                    yield Segment("".join(run), style)
                    run = []
                style = text_style
                run.append(text)
            if run:
                yield Segment("".join(run), style)
            yield Segment.line()

        for word, style in words:
            size = cell_len(word)
            if used and used + 1 + size > room:
                yield from flush()
                line, used, room = [(" " * hang, None)] if hang else [], 0, width - hang
            if used:
                line.append((" ", style))
                used += 1
            start = 0
            while size > room - used:  # a word wider than the line: fold it where it must
                end = _fit(word, start, room - used)
                line.append((word[start:end], style))
                yield from flush()
                line, used, room = [(" " * hang, None)] if hang else [], 0, width - hang
                start = end
                rest = len(word) - start
                size = cell_len(word[start:]) if rest <= 2 * room else room + 1  # never measure a long rest
            line.append((word[start:], style))
            used += size
        yield from flush()


def _fit(word: str, start: int, room: int) -> int:
    """The end of the longest piece of `word` from `start` that fits `room` cells (at
    least one character, so a double-width one in a single cell still moves on)."""
    used, index = 0, start
    while index < len(word):
        used += cell_len(word[index])
        if used > room:
            break
        index += 1
    return max(index, start + 1)


def _capped(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _pairs(rows: Sequence[tuple[str, str]]) -> Grid:
    return Grid([[label, value] for label, value in rows if value], no_wrap=(True,), first_column_style=BOLD)


def event_detail(record: EventRecord) -> RenderableType:
    parts: list[RenderableType] = [
        Prose(cell(record["title"]), style=BOLD),
        _pairs([(label, cell(text)) for label, text in event_facts(record)]),
        Text(""),
        Prose(printable_multiline(record["summary"])),
    ]
    if record["claims"]:
        parts += [Text(""), Text("Claims", style="bold underline")]
        for claim in record["claims"]:
            parts.append(Prose("• ", cell(claim["claim"]), (f" — {cell(claim['by'])}", ITALIC), hang=2))
            parts.append(Prose(f"“{cell(claim['quote'])}” ({cell(claim['source'])})", style=DIM, indent=2, hang=3))
    parts += [Text(""), Text("Sources", style="bold underline")]
    for cite in record["sources"]:
        label = citation_label(cite, readable_date=True)
        parts.append(Prose("• ", (cell(cite["title"]), BOLD), f" ({cell(label)})" if label else "", hang=2))
        parts.append(Prose(f"“{cell(cite['quote'])}”", style=DIM, indent=2, hang=3))
    return Group(*parts)


def record_detail(record: NamedRecord, events: Sequence[EventRecord]) -> RenderableType:
    rows = [(key.capitalize(), cell(text)) for key, text in detail_fields(record, skip=("name", "id"))]
    rows.append(("Id", cell(record["id"])))
    heading = Text(cell(record["name"]), style="bold")
    return Group(heading, _pairs(rows), Text(""), table(events, EVENT_COLUMNS, title="Events"))


class TableFormatter:
    """The terminal's format (formats.Formatter): rich renderables, printed by the CLI
    through `print_to_stdout`."""

    terminal, json = True, False

    def listing(
        self, records: Sequence[Record], columns: Sequence[Column], lines: Sequence[str] | None = None
    ) -> RenderableType:
        return table(records, columns)

    def event(self, record: EventRecord) -> RenderableType:
        return event_detail(record)

    def named(self, record: NamedRecord, events: Sequence[EventRecord]) -> RenderableType:
        return record_detail(record, events)
