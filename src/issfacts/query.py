"""The questions and the in-memory engine: filters and lookups over compiled rows.

A question is a frozen `Query` value, so this engine and the SQLite one (sqlite_store)
answer exactly the same thing; tests/test_cache.py holds them to it. Names are resolved
against the catalog here too (`resolve`), with the closest names when nothing matches.
Pure functions: no printing, no exits.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, TypeVar

from issfacts.errors import Ambiguous, NotFound
from issfacts.model import OPEN_END, OPEN_START, Kind, Named, PartialDate, Status, days_in_month
from issfacts.rows import Row

_NOT_ALNUM = re.compile(r"[\W_]+")
N = TypeVar("N", bound=Named)


class MonthDay(NamedTuple):
    """A day of the year (`07-29`) or a month (`07`) in any year: what `--on` asks for."""

    month: int  # 1-12
    day: int | None = None  # None: the whole month; at most the month's days in a leap year

    def __str__(self) -> str:
        return f"{self.month:02d}" if self.day is None else f"{self.month:02d}-{self.day:02d}"


class Query(NamedTuple):
    """Which events to list. Fields AND together; the values inside one field OR together.

    Names are already resolved to ids (see `resolve`), so every engine sees the same ids.

    `on` matches by the event's bounds, at their precision (`on_date`): a day (`07-29`)
    matches an event whose earliest and latest bounds are that one day, in any year,
    so an interval of several days, a date known only to the month or the year, and an
    open end never match a day; a month (`07`) matches an event whose bounds both fall
    in one July (`2021-07`, `2021-07-29`, `2025-07-29/2025-07-31`, but not
    `2021-07-29/2021-08-05`, nor `2021`).
    """

    since: PartialDate | None = None
    until: PartialDate | None = None
    within: bool = False  # the event's bounds inside the window, not merely overlapping it
    on: MonthDay | None = None  # that day or month of any year (`on_date`)
    spacecraft: frozenset[str] = frozenset()
    agencies: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()
    kinds: frozenset[Kind] = frozenset()
    statuses: frozenset[Status] = frozenset()
    search: tuple[str, ...] = ()  # matched case-insensitively
    limit: int | None = None
    reverse: bool = False


def normalize(name: str) -> str:
    """`Soyuz MS-22`, `soyuz ms22` and `SOYUZ_MS_22` all become `soyuzms22`."""
    return _NOT_ALNUM.sub("", name.casefold())


def _names(record: Named) -> tuple[str, ...]:
    return (record.id, record.name, *record.aliases)


def resolve(name: str, records: Mapping[str, N], what: str) -> N:
    """The one record `name` means: by id, name or alias, case- and punctuation-insensitive.

    An exact match wins; otherwise a unique partial match (`nauka` in `Nauka`, `ms-09`
    in `Soyuz MS-09`). Several partial matches raise Ambiguous, none raises NotFound
    with the closest names.
    """
    wanted = normalize(name)
    exact = [r for r in records.values() if any(normalize(n) == wanted for n in _names(r))]
    if len(exact) == 1:
        return exact[0]
    candidates = exact or [r for r in records.values() if wanted and any(wanted in normalize(n) for n in _names(r))]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise Ambiguous(what, name, [(r.id, r.name) for r in candidates])
    # Each record is offered once, by its name, whether its name, an alias, its id or one
    # word of them came close: `Rogosin` finds Dmitry Rogozin.
    offers = [(text, r.name) for r in records.values() for n in _names(r) for text in (n, *n.split())]
    raise NotFound(what, name, suggest(name, offers))


def resolve_all(names: Iterable[str], records: Mapping[str, N], what: str) -> frozenset[str]:
    """The ids of the records the names mean (each by `resolve`)."""
    return frozenset(resolve(name, records, what).id for name in names)


def suggest(name: str, known: Iterable[str | tuple[str, str]]) -> list[str]:
    """Up to three names that look like `name`, closest first.

    `known` holds names, or (text to compare, name to offer) pairs.
    """
    by_key: dict[str, str] = {}
    for item in known:
        text, offer = (item, item) if isinstance(item, str) else item
        by_key.setdefault(text.casefold(), offer)
    close = difflib.get_close_matches(name.casefold(), list(by_key), n=12, cutoff=0.6)
    return list(dict.fromkeys(by_key[key] for key in close))[:3]


def find_event(ident: str, rows: Sequence[Row]) -> Row:
    """An event by its id, or by a part of its id that only one event has."""
    wanted = ident.strip().casefold()
    for row in rows:
        if row.id == wanted:
            return row
    partial = [row for row in rows if wanted and wanted in row.id]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise Ambiguous("event", ident, [(row.id, row.title) for row in partial])
    raise NotFound("event", ident, suggest(ident, (row.id for row in rows)))


def window(query: Query) -> tuple[int | None, int | None] | None:
    """The query's date window as day ordinals, both ends inclusive, at their precision;
    None when it is empty (since after until: the CLI refuses it, a library caller may not).

    An event matches when its bounds (Row.first, Row.last; open ends are OPEN_START and
    OPEN_END) overlap the window: `last >= since and first <= until`. With `within`,
    they must lie inside it: `first >= since and last <= until`, which an open end
    never does on a bounded side.
    """
    since = None if query.since is None else query.since.first_day.toordinal()
    until = None if query.until is None else query.until.last_day.toordinal()
    if since is not None and until is not None and since > until:
        return None
    return since, until


def in_window(first: int, last: int, since: int | None, until: int | None, *, within: bool = False) -> bool:
    """Whether bounds `first`..`last` overlap the window `since`..`until` (or, `within`, lie in it)."""
    if within:
        return (since is None or first >= since) and (until is None or last <= until)
    return (since is None or last >= since) and (until is None or first <= until)


def on_date(first: int, last: int, on: MonthDay) -> bool:
    """Whether bounds `first`..`last` (day ordinals) are the one day `on` names, in any
    year, or, for a month, lie in one month that is `on`'s (Query's rule). Computed from
    the ordinals the rows carry: no date is parsed per query."""
    if first == OPEN_START or last == OPEN_END:
        return False
    if on.day is not None:
        if first != last:
            return False
        day = dt.date.fromordinal(first)
        return day.month == on.month and day.day == on.day
    if last - first > 30:  # no month is longer: spare the second conversion
        return False
    start, end = dt.date.fromordinal(first), dt.date.fromordinal(last)
    return start.month == on.month and (start.year, start.month) == (end.year, end.month)


def on_ranges(on: MonthDay, first_year: int, last_year: int) -> list[tuple[int, int]]:
    """The days `on` names in each year from `first_year` to `last_year`, as inclusive
    ranges of day ordinals (a day is a range of one): bounds `first`..`last` satisfy
    `on_date` exactly when one range holds both. The SQLite engine looks rows up by them,
    through its index on `first`. A 29 February has a range in leap years only."""
    ranges = []
    for year in range(first_year, last_year + 1):
        days = days_in_month(year, on.month)
        if on.day is None:
            ranges.append((dt.date(year, on.month, 1).toordinal(), dt.date(year, on.month, days).toordinal()))
        elif on.day <= days:
            day = dt.date(year, on.month, on.day).toordinal()
            ranges.append((day, day))
    return ranges


def select(rows: Sequence[Row], query: Query) -> list[Row]:
    """The rows `query` asks for, in date order (or reversed), at most `limit` of them."""
    bounds = window(query)
    if bounds is None:
        return []
    since, until = bounds
    kinds = {kind.value for kind in query.kinds}
    statuses = {status.value for status in query.statuses}
    terms = [term.casefold() for term in query.search]
    chosen = []
    for row in rows:
        if not in_window(row.first, row.last, since, until, within=query.within):
            continue
        if query.on is not None and not on_date(row.first, row.last, query.on):
            continue
        if (kinds and row.kind not in kinds) or (statuses and row.status not in statuses):
            continue
        if query.spacecraft and query.spacecraft.isdisjoint(row.spacecraft):
            continue
        if query.agencies and query.agencies.isdisjoint(row.agencies):
            continue
        if query.people and query.people.isdisjoint(row.people):
            continue
        if terms and not any(term in row.haystack for term in terms):
            continue
        chosen.append(row)
    if query.reverse:
        chosen.reverse()
    return chosen if query.limit is None else chosen[: query.limit]
