"""What every output format shares: the columns of each listing, dates written for
people, and text made safe to print. No rich here, and no format: formats.py has one
formatter per format, render_rich.py the terminal's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from issfacts.model import PartialDate
    from issfacts.records import CitationRecord, EventRecord

Record = Mapping[str, Any]  # any of records.py's shapes, read by column name


# -- columns: the flat shape of tsv, csv, markdown and the terminal table ------------------


class Column(NamedTuple):
    """One column of a listing: its header and how to read it from a record."""

    name: str
    value: Callable[[Record], object]
    brief: bool = True  # shown in the terminal table, which has to fit a screen
    shown: Callable[[Record], object] | None = None  # how the terminal table shows it, if not as `value`


def _field(name: str) -> Callable[[Record], object]:
    return lambda record: record.get(name)


def _joined(name: str, key: str | None = None) -> Callable[[Record], object]:
    def value(record: Record) -> str:
        items = record.get(name) or []
        return "; ".join(dict.fromkeys(str(item[key] if key else item) for item in items))

    return value


def _table_date(text: str | None) -> str:
    return human_date(text, keep_ends_whole=True)


def _column(name: str, brief: bool = True) -> Column:
    return Column(name, _field(name), brief)


EVENT_COLUMNS = (
    Column("date", _field("date"), shown=lambda record: _table_date(record["date"])),
    _column("id", brief=False),
    _column("kind"),
    _column("status", brief=False),
    _column("title"),
    Column("spacecraft", _joined("spacecraft")),
    Column("agencies", _joined("agencies"), brief=False),
    Column("people", _joined("people"), brief=False),
    Column("sources", _joined("sources", "source")),
    _column("summary", brief=False),
    _column("earliest", brief=False),
    _column("latest", brief=False),
)
SPACECRAFT_COLUMNS = (
    _column("id"),
    _column("name"),
    _column("type"),
    Column("operators", _joined("operators")),
    Column("aliases", _joined("aliases")),
    _column("events"),
)
PEOPLE_COLUMNS = (
    _column("id"),
    _column("name"),
    _column("role"),
    _column("agency"),
    Column("aliases", _joined("aliases")),
    _column("events"),
)
SOURCE_COLUMNS = (
    _column("id"),
    _column("outlet"),
    _column("author"),
    Column("published", _field("published"), shown=lambda record: _table_date(record["published"])),
    _column("title"),
    _column("events"),
    _column("published_earliest", brief=False),
    _column("published_latest", brief=False),
)


# -- dates for people ---------------------------------------------------------------------

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


NO_BREAK = "\u00a0"  # joins the words of one end of an interval in a table cell


def human_date(text: str | None, *, keep_ends_whole: bool = False) -> str:
    """An EDTF date as a reader would write it: `29 Jul - 5 Aug 2021`, `after 11 Feb 2023`,
    `by end of 2028`, `Oct 2018?` (uncertain), `c. 10 Oct 2018` (approximate).

    Parsed from the record's `date` at display time (microseconds): the bounds the
    queries use were computed when the data was compiled. With `keep_ends_whole`, the
    words of each end are joined by NO_BREAK, so a narrow column breaks an interval
    only at its dash.
    """
    shown = _human_date(text)
    if keep_ends_whole:
        return " - ".join(part.replace(" ", NO_BREAK) for part in shown.split(" - "))
    return shown


def _human_date(text: str | None) -> str:
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


def detail_fields(record: Record, *, skip: Sequence[str]) -> list[tuple[str, str]]:
    """A spacecraft's or person's fields as (name, text) pairs, lists joined, empty ones left out."""
    out = []
    for key, value in record.items():
        if key in skip or value in (None, [], ""):
            continue
        out.append((key, "; ".join(map(str, value)) if isinstance(value, list) else str(value)))
    return out
