"""Counting events by one of their fields: the answer of `issfacts stats`, as values.

Pure: event records in (records.EventRecord, as `events --json` prints them), `Count`
rows out; no printing, no rich, no typer. Every format lays out the same rows:
formats.py the machine ones, render_stats.py the terminal's bars.

How an event counts (the README says the same, for users):

- `year`, `month`: once, by the day that dates it: its earliest bound (the sort key,
  and the year the timeline files it under), or its latest when its start is open
  (`../2025` counts in 2025). An event spanning two years (`2022-12-14/2023-01-31`)
  counts in the first, so the year counts add up to the number of events. A month is
  `YYYY-MM`; an event dated by a point known only to the year (`2028`, `2022/2025`)
  counts under the year alone (`2028`), listed before that year's months, so the month
  counts add up too rather than file it under a January it may not be in.
- `kind`, `status`: once; they add up to the number of events.
- `spacecraft`, `agency`, `person`: once for each one the event names, by canonical
  name (an event naming two spacecraft counts for both); an event naming none counts
  once under `None` (`null` in JSON, `(none)` on a terminal), so every event is
  counted at least once. Not a sentinel string: a name in the data could be any text,
  even `(none)`.
- `source`: once for each outlet whose articles the event cites, in a citation or a
  claim (as `issfacts sources` counts an event for each article), named by the outlet,
  or by the article's title when it has none. Two articles of one outlet count once.

Order: `year` and `month` in time; the others by count, highest first, then by value
(case-insensitively), with `None` last.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from issfacts.model import Catalog
    from issfacts.records import EventRecord

# The fields events are counted by, as `stats --by` names them (options.Facet, the
# option's choices, lists the same: tests/test_stats.py). Plain strings, not an enum:
# this module is off the start-up path, and the option's enum is on it anyway.
FIELDS = ("year", "month", "kind", "status", "spacecraft", "agency", "person", "source")
OVERVIEW = ("year", "kind", "status")  # what `stats` counts without --by
IN_TIME = frozenset({"year", "month"})  # listed in time order, not by count


class Count(NamedTuple):
    """How many events have `value` in `field` (one of FIELDS): a row of `stats`, whose
    record is `{"field", "value", "count"}` (`record`)."""

    field: str
    value: str | None  # None: the event names no spacecraft (agency, person)
    events: int  # not `count`: a tuple has a method of that name

    def record(self) -> dict[str, str | int | None]:
        return {"field": self.field, "value": self.value, "count": self.events}


def count(records: Iterable[EventRecord], by: Sequence[str], sources: Mapping[str, str]) -> list[Count]:
    """The counts of `records` for each field of `by` (FIELDS) in turn, each field once,
    in the order above. `sources` names each source id (`source_names`); it is read for
    sources quoted only in a claim, and may be empty when `by` has no "source"."""
    wanted = list(dict.fromkeys(by))
    unknown = [field for field in wanted if field not in FIELDS]
    if unknown:
        raise ValueError(f"cannot count events by {', '.join(unknown)}; by one of {', '.join(FIELDS)}")
    tallies: dict[str, dict[str | None, int]] = {field: {} for field in wanted}
    for record in records:
        for field in wanted:
            tally = tallies[field]
            for value in _values(record, field, sources):
                tally[value] = tally.get(value, 0) + 1
    rows: list[Count] = []
    for field in wanted:
        rows.extend(Count(field, value, n) for value, n in _ordered(field, tallies[field]))
    return rows


def source_names(catalog: Catalog) -> dict[str, str]:
    """What `source` counts each source under: its outlet, or its title when it has none."""
    return {source.id: source.outlet or source.title for source in catalog.sources.values()}


def _values(record: EventRecord, field: str, sources: Mapping[str, str]) -> Iterable[str | None]:
    """The values an event counts under for `field`, each once."""
    if field == "year":
        return (_dating_point(record["date"])[:4],)
    if field == "month":
        point = _dating_point(record["date"])
        return (point[:7] if len(point) >= 7 else point[:4],)
    if field == "kind":
        return (record["kind"],)
    if field == "status":
        return (record["status"],)
    if field == "source":
        cited = [cite["outlet"] or cite["title"] for cite in record["sources"]]
        cited += [sources[claim["source"]] for claim in record["claims"] if claim["source"] in sources]
        return dict.fromkeys(cited)
    if field == "spacecraft":
        names = record["spacecraft"]
    elif field == "agency":
        names = record["agencies"]
    else:
        names = record["people"]
    return dict.fromkeys(names) if names else (None,)


def _dating_point(date: str) -> str:
    """The point of an EDTF date that dates the event, as written: the start, or the end
    when the start is open, its qualifier dropped (`2018-10?` -> `2018-10`). Read from
    the record's text, which is in canonical form (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`,
    zero-padded), so its length is its precision; no date is parsed."""
    start, _, end = date.partition("/")
    return (end if start == ".." else start).rstrip("?~%")


def _ordered(field: str, tally: Mapping[str | None, int]) -> list[tuple[str | None, int]]:
    if field in IN_TIME:  # zero-padded years: text order is time order, `2028` before `2028-01`
        return sorted(tally.items(), key=lambda item: item[0] or "")
    return sorted(
        tally.items(), key=lambda item: (item[0] is None, -item[1], (item[0] or "").casefold(), item[0] or "")
    )
