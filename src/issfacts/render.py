"""What every output format shares: the columns of each listing, dates written for
people, and text made safe to print. No rich here, and no format: formats.py has one
formatter per format, render_rich.py the terminal's.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from issfacts.model import PartialDate
    from issfacts.records import CitationRecord, ClaimRecord, EventRecord

Record = Mapping[str, Any]  # any of records.py's shapes, read by column name
Filters = Sequence[tuple[str, str]]  # the options that chose a timeline's events: ("--since", "2021")


# -- columns: the flat shape of tsv, csv, markdown and the terminal table ------------------


class Column(NamedTuple):
    """One column of a listing: its header and how to read it from a record."""

    name: str
    value: Callable[[Record], object]


class Fit(str, enum.Enum):
    """How a column of a terminal table takes the width (render_rich.Table)."""

    FIXED = "fixed"  # as wide as its widest cell, never wrapped (dates, kinds, counts)
    MAIN = "main"  # what is left: wrapped between words, as few lines as the screen allows
    LIST = "list"  # one line: the first item and a count of the rest (`Soyuz MS-22 +2`), cut with …


class View(NamedTuple):
    """One column of a terminal table: a reader's view of a listing, which need not show
    every column the machine formats print, nor in their order."""

    header: str
    text: Callable[[Record], str | Sequence[str]]  # a LIST column's items; a string otherwise
    fit: Fit = Fit.FIXED
    keep: int | None = None  # when the screen is too narrow, the lowest `keep` goes first; None: never
    cap: int = 0  # a LIST column grows to at most this many cells
    right: bool = False  # numbers align right


class Columns(tuple[Column, ...]):
    """The columns of a listing, as tsv, csv and markdown print them, and `view`, how a
    terminal table shows it (none: every column, wrapped as they need)."""

    view: tuple[View, ...] | None

    def __new__(cls, columns: Iterable[Column], view: Iterable[View] | None = None) -> Columns:
        made = super().__new__(cls, columns)
        made.view = None if view is None else tuple(view)
        return made


def _field(name: str) -> Callable[[Record], object]:
    return lambda record: record.get(name)


def _joined(name: str, key: str | None = None) -> Callable[[Record], object]:
    def value(record: Record) -> str:
        items = record.get(name) or []
        return "; ".join(dict.fromkeys(str(item[key] if key else item) for item in items))

    return value


def _text(name: str) -> Callable[[Record], str]:
    return lambda record: cell(record.get(name))


def _items(name: str) -> Callable[[Record], list[str]]:
    return lambda record: [cell(item) for item in dict.fromkeys(record.get(name) or [])]


def _column(name: str) -> Column:
    return Column(name, _field(name))


def outlet_name(cite: Mapping[str, Any]) -> str:
    """How a reader names a source in a table: its outlet (`Ars Technica`), or, where the
    outlet is not known, its title in quotes. Never its id, which is for machines."""
    return cell(cite.get("outlet") or f"“{cite.get('title') or cite.get('source')}”")


def _outlets(record: Record) -> list[str]:
    return list(dict.fromkeys(outlet_name(cite) for cite in record.get("sources") or []))


def _mark(record: Record) -> str:
    return PLANNED_MARK if record.get("status") == "planned" else ""


def _readable(name: str) -> Callable[[Record], str]:
    return lambda record: cell(human_date(record.get(name)))


EVENT_COLUMNS = Columns(
    (
        _column("date"),
        _column("id"),
        _column("kind"),
        _column("status"),
        _column("title"),
        Column("spacecraft", _joined("spacecraft")),
        Column("agencies", _joined("agencies")),
        Column("people", _joined("people")),
        Column("sources", _joined("sources", "source")),
        _column("summary"),
        _column("earliest"),
        _column("latest"),
    ),
    view=(
        View("", _mark),  # the planned mark; the table leaves it out when nothing is planned
        View("Date", _readable("date")),
        View("Kind", _text("kind"), keep=2),
        View("Title", _text("title"), Fit.MAIN),
        View("Spacecraft", _items("spacecraft"), Fit.LIST, keep=1, cap=28),
        View("Sources", _outlets, Fit.LIST, keep=3, cap=22),
    ),
)
SPACECRAFT_COLUMNS = Columns(
    (
        _column("id"),
        _column("name"),
        _column("type"),
        Column("operators", _joined("operators")),
        Column("aliases", _joined("aliases")),
        _column("events"),
    ),
    view=(
        View("Name", _text("name"), Fit.MAIN),
        View("Type", _text("type"), keep=2),
        View("Operators", _items("operators"), Fit.LIST, keep=3, cap=22),
        View("Aliases", _items("aliases"), Fit.LIST, keep=1, cap=22),
        View("Events", _text("events"), right=True),
    ),
)
PEOPLE_COLUMNS = Columns(
    (
        _column("id"),
        _column("name"),
        _column("role"),
        _column("agency"),
        Column("aliases", _joined("aliases")),
        _column("events"),
    ),
    view=(
        View("Name", _text("name")),
        View("Role", _text("role"), Fit.MAIN),
        View("Agency", _text("agency"), keep=2),
        View("Aliases", _items("aliases"), Fit.LIST, keep=1, cap=22),
        View("Events", _text("events"), right=True),
    ),
)
SOURCE_COLUMNS = Columns(
    (
        _column("id"),
        _column("outlet"),
        _column("author"),
        _column("published"),
        _column("title"),
        _column("events"),
        _column("published_earliest"),
        _column("published_latest"),
    ),
    view=(
        View("Outlet", lambda record: cell(record.get("outlet") or "unknown")),
        View("Author", _text("author"), keep=1),
        View("Published", _readable("published"), keep=2),
        View("Title", _text("title"), Fit.MAIN),
        View("Events", _text("events"), right=True),
    ),
)


# -- marks: how a terminal view tells planned events from those that happened ------------

# A glyph, not only a colour, so that NO_COLOR and a monochrome terminal still show it;
# the ASCII one is for a terminal that cannot show the glyph (rich's `ascii_only`).
PLANNED_MARK = "○"
PLANNED_MARK_ASCII = "o"
PLANNED_LEGEND = "planned: announced or scheduled, not known to have happened"


# -- dates for people ---------------------------------------------------------------------

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@functools.cache  # many events and sources share a date, and a page writes each several times
def human_date(text: str | None) -> str:
    """An EDTF date as a reader would write it: `29 Jul - 5 Aug 2021`, `after 11 Feb 2023`,
    `by end of 2028`, `Oct 2018?` (uncertain), `c. 10 Oct 2018` (approximate).

    Parsed from the record's `date` at display time (microseconds): the bounds the
    queries use were computed when the data was compiled.
    """
    if text is None:
        return ""
    from issfacts.model import EdtfDate

    try:
        date = EdtfDate.parse(text)
    except ValueError:  # not from a validated file: show it as it is
        return text
    start, end = date.start, date.end
    if not date.interval:
        assert start is not None
        return _qualified(_point(start), date.start_qualifier)
    if start is None:
        assert end is not None
        return "by " + _qualified(_point(end) if end.day else f"end of {_point(end)}", date.end_qualifier)
    if end is None:
        shown = _qualified(_point(start), date.start_qualifier)
        return f"after {shown}" if start.day else f"{shown} or later"
    plain = not date.start_qualifier and not date.end_qualifier
    if start.year == end.year and start.month is not None:
        if plain and start.month == end.month and start.day and end.day:
            return f"{start.day}-{_point(end)}"  # 12-19 Feb 2023
        right = _point(end) if end.month else f"end of {end.year}"
        left = _point(start, with_year=False)
    else:
        left, right = _point(start), _point(end)
    return f"{_qualified(left, date.start_qualifier)} - {_qualified(right, date.end_qualifier)}"


def date_lines(record: EventRecord) -> tuple[str, str | None]:
    """What `show` says of an event's date: the readable date, marked uncertain,
    approximate or planned, and (for anything but a single day) its EDTF form and bounds."""
    text = record["date"]
    shown = human_date(text)
    marks = [word for word, sign in (("uncertain", "?"), ("approximate", "~")) if sign in text or "%" in text]
    if record["status"] == "planned":
        marks.append("planned")
    if marks:
        shown += f" ({', '.join(marks)})"
    earliest, latest = record["earliest"], record["latest"]
    if earliest is not None and earliest == latest:
        return shown, None
    return shown, f"earliest {earliest or 'open'}, latest {latest or 'open'} (EDTF {text})"


def event_facts(record: EventRecord) -> list[tuple[str, str]]:
    """The labelled facts at the head of `show`, in order, empty ones left out: every
    format that lays an event out for reading (markdown, the terminal) lists these."""
    shown, bounds = date_lines(record)
    facts = [
        ("Date", shown),
        ("Bounds", bounds),
        ("Date note", record["date_note"]),
        ("Kind", record["kind"]),
        ("Spacecraft", "; ".join(record["spacecraft"])),
        ("Agencies", "; ".join(record["agencies"])),
        ("People", "; ".join(record["people"])),
        ("Id", record["id"]),
    ]
    return [(label, text) for label, text in facts if text]


def _point(date: PartialDate, *, with_year: bool = True) -> str:
    parts = [str(date.day)] if date.day else []
    if date.month:
        parts.append(_MONTH_ABBR[date.month - 1])
    if with_year:
        parts.append(str(date.year))
    return " ".join(parts)


def _qualified(text: str, qualifier: str) -> str:
    if qualifier in ("~", "%"):
        text = f"c. {text}"
    return text + "?" if qualifier in ("?", "%") else text


# -- hostile text -------------------------------------------------------------------------

# C0 controls, DEL and C1 controls: ESC, BEL and CSI (0x9b) among them. None may reach
# a terminal, whatever the format. And the lone surrogates with which Python stands for
# the bytes of a file name that is not UTF-8: shown as those bytes, escaped (\xff).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\udc80-\udcff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    code = ord(char)
    return _NAMED.get(char) or f"\\x{code - 0xDC00 if code >= 0xDC80 else code:02x}"


def printable(text: str) -> str:
    """`text` with every control character written out as an escape (`\\x1b`, `\\n`)."""
    return _CONTROL.sub(_escape, text)


def printable_multiline(text: str) -> str:
    """Like `printable`, but newlines stay newlines (for prose shown in full)."""
    return "\n".join(printable(line) for line in text.split("\n"))


def cell(value: object) -> str:
    if value is None:
        return ""
    return printable(str(value))


# -- pieces of the detail views (`show`, `spacecraft NAME`), in every format -----------------


def citation_label(cite: CitationRecord, *, readable_date: bool) -> str:
    """`Outlet, Author, date` of a citation, leaving out what is unknown."""
    published = human_date(cite["published"]) if readable_date else cite["published"]
    return ", ".join(str(part) for part in (cite["outlet"], cite["author"], published) if part)


def cited_sources(record: EventRecord) -> dict[str, list[CitationRecord]]:
    """An event's citations grouped by source, sources in the order first cited."""
    sources: dict[str, list[CitationRecord]] = {}
    for cite in record["sources"]:
        sources.setdefault(cite["source"], []).append(cite)
    return sources


def source_label(cite: CitationRecord) -> str:
    """`Ars Technica · Eric Berger · 11 Feb 2023`; the title where the outlet is unknown."""
    head = cell(cite["outlet"]) if cite["outlet"] else f"“{cell(cite['title'])}” (outlet not named)"
    rest = [cell(part) for part in (cite["author"], human_date(cite["published"])) if part]
    return " · ".join([head, *rest])


def claim_speaker(claim: ClaimRecord, cited: Sequence[CitationRecord] | None) -> str:
    """Who made a claim, as a reader is told: its speaker's name, or "the article itself"
    when the claim is the cited source's own (`by:` names the source)."""
    if cited and cell(claim["by"]) == outlet_name(cited[0]):
        return "the article itself"
    return cell(claim["by"])


def detail_fields(record: Record, *, skip: Sequence[str]) -> list[tuple[str, str]]:
    """A spacecraft's or person's fields as (name, text) pairs, lists joined, empty ones left out."""
    out = []
    for key, value in record.items():
        if key in skip or value in (None, [], ""):
            continue
        out.append((key, "; ".join(map(str, value)) if isinstance(value, list) else str(value)))
    return out
