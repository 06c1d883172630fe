"""The timeline's grouping, shared by its views: the year (and month) an event is filed
under, the years in order with the gaps between them, and the mark each kind of event
is drawn with. Pure, and free of rich, so the HTML page (render_html) uses it without
paying for the terminal's library; render_timeline draws the terminal's view from it.

Which year an event is filed under is `stats --by year`'s rule (facets.py): the day
that dates it, its earliest bound, or its latest when its start is open (`../2025`
is filed under 2025), so a timeline's year counts are `stats --by year`'s counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from issfacts.records import EventRecord

DENSE = 8  # a year with more events than this gets month headings, if they group them


class Mark(NamedTuple):
    """How an event of one kind is marked: filled when it happened, hollow when planned,
    and a letter (upper case; lower case planned) where glyphs cannot be shown."""

    happened: str
    planned: str
    letter: str


# Statements are the circle that render.PLANNED_MARK is: a planned event is hollow in
# the events table and on the timelines alike. Launch up, return down; docking in,
# undocking out.
MARKS: dict[str, Mark] = {
    "launch": Mark("▲", "△", "L"),
    "docking": Mark("▶", "▷", "D"),
    "undocking": Mark("◀", "◁", "U"),
    "return": Mark("▼", "▽", "R"),
    "incident": Mark("★", "☆", "X"),
    "investigation": Mark("✦", "✧", "I"),
    "statement": Mark("●", "○", "S"),
    "agreement": Mark("■", "□", "A"),
    "meeting": Mark("◆", "◇", "M"),
    "operations": Mark("▬", "▭", "O"),
    "policy": Mark("▰", "▱", "P"),
}
OTHER_MARK = Mark("•", "◦", "?")  # a kind not listed here (not from a validated file)


def dating_point(date: str) -> str:
    """The point of an EDTF date that dates the event, as written: its start, or its end
    when the start is open, without its qualifier (`2018-10?` -> `2018-10`). The same
    rule as facets' year and month counts (tests/test_timeline.py holds them together)."""
    start, _, end = date.partition("/")
    return (end if start == ".." else start).rstrip("?~%")


def year_of(record: EventRecord) -> str:
    return dating_point(record["date"])[:4]


def month_of(record: EventRecord) -> str | None:
    """`07`, or None for a date known only to the year."""
    point = dating_point(record["date"])
    return point[5:7] if len(point) >= 7 else None


class Year(NamedTuple):
    """The events filed under one year, in the order given, and the years with none
    between it and the year before it on the screen (`skipped`: first and last, in time
    order), or None when the years are neighbours."""

    year: str
    events: list[EventRecord]
    skipped: tuple[str, str] | None


def _sort_key(record: EventRecord) -> tuple[str, str, str]:
    # query.select's order: earliest, then latest, then id; open ends first and last.
    return record["earliest"] or "", record["latest"] or "\uffff", record["id"]


def newest_first(records: Sequence[EventRecord]) -> bool:
    """Whether `records` come in events order reversed (`--reverse`)."""
    return len(records) > 1 and _sort_key(records[0]) > _sort_key(records[-1])


def years(records: Sequence[EventRecord]) -> list[Year]:
    """The records filed by year (`year_of`), years in time order (newest first when
    the records are), each year's events in the order given."""
    filed: dict[str, list[EventRecord]] = {}
    for record in records:
        filed.setdefault(year_of(record), []).append(record)
    out: list[Year] = []
    previous: str | None = None
    for year in sorted(filed, reverse=newest_first(records)):
        skipped = None
        if previous is not None and year.isdigit() and previous.isdigit():
            low, high = sorted((int(year), int(previous)))
            if high - low > 1:
                skipped = (f"{low + 1:04d}", f"{high - 1:04d}")
        out.append(Year(year, filed[year], skipped))
        previous = year
    return out


def months(year: Year, *, newest_first: bool = False) -> list[tuple[str | None, list[EventRecord]]]:
    """A dense year's events by month (`month_of`), the ones known only to the year
    first (last, newest first), each month's in the order given; any other year's as
    one group, under None. Dense: more than DENSE events, in two months or more (a
    date known only to the year counting as one), with twice as many events as groups."""
    by_month: dict[str | None, list[EventRecord]] = {}
    for record in year.events:
        by_month.setdefault(month_of(record), []).append(record)
    # Headings only where they group: two months or more, two events a heading on average.
    if len(year.events) <= DENSE or len(by_month) < 2 or len(year.events) < 2 * len(by_month):
        return [(None, year.events)]
    return [(month, by_month[month]) for month in sorted(by_month, key=lambda m: m or "", reverse=newest_first)]


def planned_count(records: Sequence[EventRecord]) -> int:
    return sum(record["status"] == "planned" for record in records)


def count_text(events: int, planned: int) -> str:
    text = f"{events} event{'' if events == 1 else 's'}"
    return text + (f", {planned} planned" if planned else "")


def year_range(first: str, last: str) -> str:
    return first if first == last else f"{first}-{last}"


def nothing_text(skipped: tuple[str, str]) -> str:
    """What a gap between two years says: `2001-2013: no events`."""
    first, last = skipped
    return f"{year_range(first, last)}: no events"
