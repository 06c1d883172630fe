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

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from issfacts.render import (
    EVENT_COLUMNS,
    PLANNED_LEGEND,
    PLANNED_MARK,
    PLANNED_MARK_ASCII,
    Column,
    Filters,
    Fit,
    Record,
    View,
    cell,
    cited_sources,
    claim_speaker,
    detail_fields,
    event_facts,
    printable,
    printable_multiline,
    source_label,
)

if TYPE_CHECKING:
    from issfacts.facets import Count
    from issfacts.records import EventRecord, NamedRecord

BOLD = Style(bold=True)
TITLE = Style(italic=True)
ITALIC = Style(italic=True)
DIM = Style(dim=True)
MAX_CELL = 2_000  # characters of one table cell; `show` and the machine formats give it all


def print_to_stdout(renderable: object, pager: str | None = None, environ: Mapping[str, str] | None = None) -> None:
    """Print for a terminal; rich honours NO_COLOR and the terminal's width. With a
    `pager` command, output taller than the screen goes through it, as git and gh do:
    only when stdout is a terminal, never when it is piped."""
    console = Console(highlight=False, soft_wrap=False)
    if pager is None or not console.is_terminal:
        console.print(renderable)
        console.file.flush()
        return
    with console.capture() as captured:
        console.print(renderable)
    text = captured.get()
    if text.count("\n") < console.height or not page(text, pager, environ or {}, console.encoding):
        console.file.write(text)
        console.file.flush()


def page(text: str, command: str, environ: Mapping[str, str], encoding: str) -> bool:
    """Show `text` through the pager `command` (run by the shell, as git runs $PAGER),
    with LESS=FRX unless LESS is set: quit if one screen, keep colours, leave the text on
    the screen. False when the pager cannot be started, so the caller prints instead."""
    import shlex
    import shutil
    import signal
    import subprocess

    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return False
    if shutil.which(program, path=environ.get("PATH")) is None:
        return False
    env = {**environ, "LESS": environ.get("LESS", "FRX"), "LV": environ.get("LV", "-c")}
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the pager's, as in git
    try:
        with subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env) as pager:
            assert pager.stdin is not None
            try:
                pager.stdin.write(text.encode(encoding, errors="replace"))
                pager.stdin.close()
            except BrokenPipeError:  # the reader quit before the end: that is what pagers are for
                pass
    finally:
        signal.signal(signal.SIGINT, previous)
    return True


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
    return text + " " * (width - cell_len(text))


# -- what the commands show -------------------------------------------------------------


STACK_BELOW = 60  # a screen narrower than this gets one block per record, not columns
MAIN_MIN = 24  # nor does the main column ever get less than this: the table stacks instead
LIST_MIN = 12  # `Soyuz MS-22 +2` fits; a list column that cannot get this much is left out
GAP = 2  # blanks between columns: no borders, as gh prints, so the text gets the room


def two_line_width(text: str) -> int:
    """The narrowest column in which `text`, wrapped between words, takes two lines."""
    words = text.split(" ")
    sizes = [cell_len(word) for word in words]
    total = sum(sizes) + len(words) - 1
    best, left = total, -1
    for size in sizes[:-1]:
        left += size + 1
        best = min(best, max(left, total - left - 1))
    return best


def list_text(items: Sequence[str], width: int) -> str:
    """The first item and how many more (`Soyuz MS-22 +2`), cut with … to fit `width`."""
    if not items:
        return ""
    more = f" +{len(items) - 1}" if len(items) > 1 else ""
    first = items[0]
    if cell_len(first) + len(more) <= width:
        return first + more
    room = max(width - len(more) - 1, 1)
    return chop_cells(first, room)[0] + "…" + more


class Table:
    """A listing as a reader scans it, laid out from its View (render.py): the MAIN
    column gets the width and wraps the least, FIXED columns (dates, kinds) never wrap,
    LIST columns show their first item and a count. When the screen cannot give the main
    column two lines for its longest text, the least needed columns (`keep`) go first;
    below STACK_BELOW columns every record becomes a block of lines instead. Planned
    events carry PLANNED_MARK (a glyph, so it shows without colour), explained below."""

    def __init__(self, records: Sequence[Record], view: Sequence[View], title: str | None = None) -> None:
        self.view = view
        self.title = title
        self.rows = [[_capped_cell(column.text(record)) for column in view] for record in records]
        self.planned = any(record.get("status") == "planned" for record in records)

    def natural(self, i: int, *, capped: bool = True) -> int:
        column = self.view[i]
        if column.fit is Fit.LIST:
            widest = max([cell_len(column.header), *(cell_len(list_text(row[i], 10**6)) for row in self.rows)])
            return min(widest, column.cap) if capped and column.cap else widest
        return max([cell_len(column.header), *(cell_len(row[i]) for row in self.rows)])  # type: ignore[arg-type]

    def layout(self, width: int) -> list[tuple[int, int]] | None:
        """(column, width) of the columns shown, in order; None to stack."""
        if width < STACK_BELOW:
            return None
        present = [i for i, c in enumerate(self.view) if c.header or any(row[i] for row in self.rows)]
        natural = {i: self.natural(i) for i in present}
        main = next((i for i in present if self.view[i].fit is Fit.MAIN), None)
        widths = {
            i: min(natural[i], max(LIST_MIN, cell_len(self.view[i].header)))
            if self.view[i].fit is Fit.LIST
            else natural[i]
            for i in present
        }
        chosen = [i for i in present if self.view[i].keep is None]
        room = width - sum(widths[i] for i in chosen if i != main) - GAP * (len(chosen) - 1)
        if main is None:
            return [(i, widths[i]) for i in chosen] if room >= 0 else None
        texts = [str(row[main]) for row in self.rows]
        # Short texts (names, roles) get their whole width; long ones (titles) two lines.
        wide = natural[main] > 2 * MAIN_MIN
        target = min(natural[main], max(MAIN_MIN, *(two_line_width(text) for text in texts))) if wide else natural[main]
        optional = sorted(
            (i for i in present if self.view[i].keep is not None), key=lambda i: -(self.view[i].keep or 0)
        )
        for i in optional:
            if room - widths[i] - GAP >= target:
                chosen.append(i)
                room -= widths[i] + GAP
        if room < min(MAIN_MIN, natural[main]):
            return None
        widths[main] = min(target, room)
        spare = room - widths[main]
        lists = [i for i in chosen if self.view[i].fit is Fit.LIST]  # the required ones first
        for i in lists:
            grow = min(spare, natural[i] - widths[i])
            widths[i] += grow
            spare -= grow
        grow = min(spare, natural[main] - widths[main])
        widths[main] += grow
        spare -= grow
        for i in lists:  # the main text is whole: lists may pass their cap
            if spare > 0:
                grow = min(spare, self.natural(i, capped=False) - widths[i])
                widths[i] += grow
                spare -= grow
        return [(i, widths[i]) for i in sorted(chosen)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = max(options.max_width, 1)
        mark = PLANNED_MARK_ASCII if options.ascii_only else PLANNED_MARK
        if self.title:
            for line in wrap(self.title, width):
                yield Segment(line, TITLE)
                yield Segment.line()
        layout = self.layout(width)
        if layout is None:
            yield from self._stacked(console, options, mark)
        else:
            yield from self._columns(layout, options.ascii_only, mark)
        if self.planned:
            yield Segment.line()
            yield from Prose((mark, None), (f" {PLANNED_LEGEND}", DIM), hang=2).__rich_console__(console, options)

    def _columns(self, layout: Sequence[tuple[int, int]], ascii_only: bool, mark: str) -> Iterator[Segment]:
        last = len(layout) - 1
        for n, (i, width) in enumerate(layout):
            header = self.view[i].header
            yield Segment(header if n == last else _pad(header, width) + " " * GAP, BOLD if header else None)
        yield Segment.line()
        rule = "-" if ascii_only else "─"
        yield Segment((" " * GAP).join((rule if self.view[i].header else " ") * w for i, w in layout).rstrip(), DIM)
        yield Segment.line()
        for row in self.rows:
            planned = mark if row[0] == PLANNED_MARK else None
            cells: list[list[str]] = []
            for i, width in layout:
                column, value = self.view[i], row[i]
                if column.fit is Fit.LIST:
                    cells.append([list_text(value, width)])
                elif column.fit is Fit.MAIN:
                    cells.append(wrap(str(value), width))
                else:
                    cells.append([planned if planned and value == PLANNED_MARK else str(value)])
            for k in range(max(len(lines) for lines in cells)):
                texts = [lines[k] if k < len(lines) else "" for lines in cells]
                end = max((n for n, text in enumerate(texts) if text), default=0)  # no trailing blanks
                for n, ((i, width), text) in enumerate(zip(layout[: end + 1], texts, strict=False)):
                    column = self.view[i]
                    if column.right:
                        text = " " * (width - cell_len(text)) + text
                    elif n < end:
                        text = _pad(text, width)
                    style = DIM if column.fit is Fit.LIST else ITALIC if planned and column.fit is Fit.MAIN else None
                    yield Segment(text, style)
                    if n < end:
                        yield Segment(" " * GAP)
                yield Segment.line()

    def _stacked(self, console: Console, options: ConsoleOptions, mark: str) -> Iterator[Segment]:
        """One block per record: what comes before the main column on a line, the main
        text in bold, then the rest, each with its header."""
        main = next((i for i, c in enumerate(self.view) if c.fit is Fit.MAIN), 0)
        for n, row in enumerate(self.rows):
            if n:
                yield Segment.line()
            head = [str(value) for value in row[:main] if value and value != PLANNED_MARK]
            pieces: list[Prose] = []
            if head:
                pieces.append(Prose(f"{mark} " * (PLANNED_MARK in row) + " · ".join(head), hang=2))
            if row[main]:
                pieces.append(Prose((str(row[main]), ITALIC if PLANNED_MARK in row else BOLD), indent=2, hang=2))
            for column, value in zip(self.view[main + 1 :], row[main + 1 :], strict=True):
                text = ", ".join(value) if isinstance(value, list) else str(value)
                if text:
                    pieces.append(Prose((f"{column.header}:", DIM), text, indent=2, hang=4))
            for piece in pieces:
                yield from piece.__rich_console__(console, options)


def _capped_cell(value: str | Sequence[str]) -> str | list[str]:
    return _capped(value) if isinstance(value, str) else [_capped(item) for item in value]


def default_view(columns: Sequence[Column], records: Sequence[Record] = ()) -> list[View]:
    """A view of columns that have none (`--fields`): headers as named, each column as
    wide as its text, the one with the longest text wrapped (the last, without records)."""
    views = [View(c.name, lambda r, c=c: cell(c.value(r))) for c in columns]  # type: ignore[misc]
    if views:
        longest = [max((len(view.text(record)) for record in records), default=0) for view in views]
        main = max(range(len(views)), key=lambda i: (longest[i], i))
        views[main] = views[main]._replace(fit=Fit.MAIN)
    return views


def table(records: Sequence[Record], columns: Sequence[Column], title: str | None = None) -> Table:
    view = getattr(columns, "view", None) or default_view(columns, records)
    return Table(records, view, title=title)


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
    """`show` as a fact sheet: the facts, the summary, each claim with who made it and
    where it is written, then the citations grouped under their source (outlet, author
    and date once), every quote with a hanging indent."""
    parts: list[RenderableType] = [
        Prose(cell(record["title"]), style=BOLD),
        _pairs([(label, cell(text)) for label, text in event_facts(record)]),
        Text(""),
        Prose(printable_multiline(record["summary"])),
    ]
    sources = cited_sources(record)
    if record["claims"]:
        parts += [Text(""), Text("Claims", style="bold underline")]
        for claim in record["claims"]:
            cited = sources.get(claim["source"])
            where = source_label(cited[0]) if cited else cell(claim["source"])
            by = claim_speaker(claim, cited)
            parts.append(Prose("• ", cell(claim["claim"]), hang=2))
            parts.append(Prose(("claimed by", DIM), (f"{by},", ITALIC), (f"in {where}", DIM), indent=2, hang=4))
            parts.append(_quote(claim["quote"]))
    parts += [Text(""), Text("Sources", style="bold underline")]
    for n, cites in enumerate(sources.values()):
        first = cites[0]
        if n:
            parts.append(Text(""))
        parts.append(Prose(("• ", None), (source_label(first), BOLD), hang=2))
        if first["outlet"]:
            parts.append(Prose((cell(first["title"]), ITALIC), indent=2, hang=2))
        parts.extend(_quote(cite["quote"]) for cite in cites)
    return Group(*parts)


def _quote(text: str) -> Prose:
    """A quote indented under its source, its wrapped lines hanging inside the quote marks."""
    return Prose(f"“{cell(text)}”", style=DIM, indent=2, hang=3)


def record_detail(record: NamedRecord, events: Sequence[EventRecord]) -> RenderableType:
    rows = [(key.capitalize(), cell(text)) for key, text in detail_fields(record, skip=("name", "id"))]
    rows.append(("Id", cell(record["id"])))
    heading = Text(cell(record["name"]), style="bold")
    return Group(heading, _pairs(rows), Text(""), table(events, EVENT_COLUMNS, title="Events"))


class TableFormatter:
    """The terminal's format (formats.Formatter): rich renderables, printed by the CLI
    through `print_to_stdout`."""

    terminal, json = True, False
    lines_only = False

    def listing(
        self, records: Sequence[Record], columns: Sequence[Column], lines: Sequence[bytes] | None = None
    ) -> RenderableType:
        return table(records, columns)

    def event(self, record: EventRecord) -> RenderableType:
        return event_detail(record)

    def named(self, record: NamedRecord, events: Sequence[EventRecord]) -> RenderableType:
        return record_detail(record, events)

    def counts(self, counts: Sequence[Count], events: int) -> RenderableType:
        """`stats` as bars (render_stats)."""
        from issfacts.render_stats import Bars

        return Bars(counts, events)

    def timeline(
        self, records: Sequence[EventRecord], lines: Sequence[bytes] | None = None, filters: Filters = ()
    ) -> RenderableType:
        """`timeline` on a time axis (render_timeline)."""
        from issfacts.render_timeline import Timeline

        return Timeline(records)


class LoadProgress:
    """A progress bar on stderr for a long first load (store.open_store's `progress`):
    drawn only once the load has taken LoadProgress.AFTER_S, so a short one shows
    nothing; bytes read for the bar and the estimate, events compiled and their rate.
    `close` erases it, whatever ended the load (Ctrl-C included)."""

    AFTER_S = 1.0

    def __init__(self, label: str, total: int, console: Console | None = None) -> None:
        import time

        self._label, self._total, self._console = label, total, console
        self._start = time.monotonic()
        self._bar: object | None = None
        self._task: Any = None

    def __call__(self, done: int, events: int) -> None:
        import time

        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        elapsed = time.monotonic() - self._start
        if self._bar is None:
            if elapsed < self.AFTER_S:
                return
            bar = Progress(
                TextColumn("{task.description}", markup=False),
                BarColumn(bar_width=20),
                TaskProgressColumn(),
                TextColumn("{task.fields[events]:,} events, {task.fields[rate]:,.0f}/s", markup=False),
                TimeRemainingColumn(),
                console=self._console or Console(stderr=True),
                transient=True,
            )
            name = printable(self._label.rsplit("/", 1)[-1])  # the name: the bar needs the width
            self._task = bar.add_task(f"Reading {name}", total=self._total, events=0, rate=0.0)
            bar.start()
            self._bar = bar
        assert isinstance(self._bar, Progress)
        self._bar.update(self._task, completed=min(done, self._total), events=events, rate=events / elapsed)

    def close(self) -> None:
        from rich.progress import Progress

        if isinstance(self._bar, Progress):
            self._bar.stop()
