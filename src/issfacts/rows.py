"""The compiled form of a dataset: one `Row` per event, ready to filter and to print.

This module owns the row: what it holds, how it is built from the model, and how its
fields are read (`refs`). Both engines (query.select in memory, sqlite_store in SQL)
answer from rows, and both cache backends store them, so they answer alike. The catalog
travels beside the rows as plain tuples (marshal and SQLite hold no classes), made into
model objects again only when a command asks for it (`LazyCatalog`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from issfacts.model import (
    Agency,
    Catalog,
    Dataset,
    EdtfDate,
    Event,
    PartialDate,
    Person,
    Source,
    Spacecraft,
    SpacecraftType,
)

if TYPE_CHECKING:
    from issfacts.records import EventRecord

RefField = Literal["spacecraft", "agencies", "people", "sources"]
REF_FIELDS: tuple[RefField, ...] = ("spacecraft", "agencies", "people", "sources")


class Row(NamedTuple):
    """One event as the engines see it. sqlite_store encodes it; memory_store marshals it."""

    id: str
    first: int  # day ordinal of the earliest day the date can mean (model.OPEN_START if open)
    last: int  # ... and of the latest (model.OPEN_END if open)
    kind: str
    status: str
    spacecraft: tuple[str, ...]  # ids
    agencies: tuple[str, ...]
    people: tuple[str, ...]
    sources: tuple[str, ...]  # ids of the sources it cites or quotes in a claim, once each
    haystack: str  # casefolded text that --search looks through
    record: EventRecord  # the contract's JSON object
    line: str  # `record` as one line of JSON

    @property
    def title(self) -> str:
        return self.record["title"]


def compile_rows(dataset: Dataset) -> list[Row]:
    """The dataset's rows, in its order (earliest, latest, id)."""
    return [compile_row(event, dataset.catalog) for event in dataset.events]


def compile_row(event: Event, catalog: Catalog) -> Row:
    from issfacts.records import event_record, json_line

    record = event_record(event, catalog)
    cited = dict.fromkeys([c.source for c in event.sources] + [c.source for c in event.claims])
    return Row(
        id=event.id,
        first=event.date.first,
        last=event.date.last,
        kind=event.kind.value,
        status=event.status.value,
        spacecraft=event.spacecraft,
        agencies=event.agencies,
        people=event.people,
        sources=tuple(cited),
        haystack=searchable_text(event),
        record=record,
        line=json_line(record),
    )


def searchable_text(event: Event) -> str:
    """Everything `--search` looks through, casefolded for case-insensitive matching."""
    parts = [event.title, event.summary]
    parts.extend(cite.quote for cite in event.sources)
    for claim in event.claims:
        parts.extend((claim.claim, claim.quote))
    return "\n".join(parts).casefold()


def refs(row: Row, field: RefField) -> tuple[str, ...]:
    """The ids a row names in `field`."""
    if field == "spacecraft":
        return row.spacecraft
    if field == "agencies":
        return row.agencies
    if field == "people":
        return row.people
    return row.sources


def count_refs(rows: Iterable[Row], field: RefField) -> dict[str, int]:
    """How many rows name each id in `field`."""
    counts: dict[str, int] = {}
    for row in rows:
        for ref in refs(row, field):
            counts[ref] = counts.get(ref, 0) + 1
    return counts


# -- the catalog, as the caches hold it ----------------------------------------------------

PlainCatalog = dict[str, list[tuple[Any, ...]]]


def catalog_to_plain(catalog: Catalog) -> PlainCatalog:
    return {
        "sources": [
            (
                s.id,
                s.title,
                s.outlet,
                s.author,
                None if s.published is None else str(s.published),
                s.note,
                s.url,
                None if s.accessed is None else str(s.accessed),
            )
            for s in catalog.sources.values()
        ],
        "agencies": [(a.id, a.name, a.aliases, a.country) for a in catalog.agencies.values()],
        "people": [(p.id, p.name, p.aliases, p.role, p.agency) for p in catalog.people.values()],
        "spacecraft": [(c.id, c.name, c.type.value, c.aliases, c.operators) for c in catalog.spacecraft.values()],
    }


def catalog_from_plain(plain: PlainCatalog) -> Catalog:
    sources = {}
    for ident, title, outlet, author, published, note, url, accessed in plain["sources"]:
        date = None if published is None else EdtfDate.parse(published)
        day = None if accessed is None else PartialDate.parse(accessed)
        sources[ident] = Source(ident, title, outlet, author, date, note, url, day)
    agencies = {a[0]: Agency(a[0], a[1], tuple(a[2]), a[3]) for a in plain["agencies"]}
    people = {p[0]: Person(p[0], p[1], tuple(p[2]), p[3], p[4]) for p in plain["people"]}
    craft = {c[0]: Spacecraft(c[0], c[1], SpacecraftType(c[2]), tuple(c[3]), tuple(c[4])) for c in plain["spacecraft"]}
    return Catalog(sources, agencies, people, craft)


class LazyCatalog:
    """A catalog that is either at hand (just loaded) or plain (read from a cache entry),
    built into model objects the first time a command asks for it."""

    def __init__(self, *, catalog: Catalog | None = None, plain: PlainCatalog | None = None) -> None:
        assert (catalog is None) != (plain is None)
        self._catalog, self._plain = catalog, plain

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            assert self._plain is not None
            self._catalog, self._plain = catalog_from_plain(self._plain), None
        return self._catalog

    def plain(self) -> PlainCatalog:
        return self._plain if self._plain is not None else catalog_to_plain(self.catalog)
