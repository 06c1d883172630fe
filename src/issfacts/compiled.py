"""A Dataset compiled for answering: one `Row` per event, ready to filter and to print.

Rows carry the event's JSON record already rendered, so a warm run answers
`events --json` without importing json or building a single model object. Both the
in-memory engine and the caches (cache.py) hold these rows, so they answer alike.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from issfacts.model import (
    Agency,
    Catalog,
    Dataset,
    EdtfDate,
    Person,
    Source,
    Spacecraft,
    SpacecraftType,
)
from issfacts.query import searchable_text


class Row(NamedTuple):
    """One event as the engines see it. Field order is the cache's layout."""

    id: str
    first: int  # proleptic ordinal of the earliest day the date can mean (model.OPEN_START if open)
    last: int  # ... and of the latest (model.OPEN_END if open)
    kind: str
    status: str
    spacecraft: tuple[str, ...]  # ids
    agencies: tuple[str, ...]
    people: tuple[str, ...]
    haystack: str  # casefolded text that --search looks through
    record: dict[str, Any]  # the contract's JSON object
    line: str  # `record` as one line of JSON Lines


def compile_rows(dataset: Dataset) -> list[Row]:
    from issfacts import render

    rows = []
    for event in dataset.events:  # already in order: earliest, latest, id
        record = render.event_record(event, dataset.catalog)
        rows.append(
            Row(
                event.id,
                event.date.first,
                event.date.last,
                event.kind.value,
                event.status.value,
                event.spacecraft,
                event.agencies,
                event.people,
                searchable_text(event),
                record,
                render.json_line(record),
            )
        )
    return rows


# The catalog travels as plain tuples (marshal and SQLite hold no classes).

PlainCatalog = dict[str, list[tuple[Any, ...]]]


def catalog_to_plain(catalog: Catalog) -> PlainCatalog:
    return {
        "sources": [
            (*s[:4], None if s.published is None else str(s.published), s.note) for s in catalog.sources.values()
        ],
        "agencies": [tuple(a) for a in catalog.agencies.values()],
        "people": [tuple(p) for p in catalog.people.values()],
        "spacecraft": [(c.id, c.name, c.type.value, c.aliases, c.operators) for c in catalog.spacecraft.values()],
    }


def catalog_from_plain(plain: PlainCatalog) -> Catalog:
    sources = {}
    for ident, title, outlet, author, published, note in plain["sources"]:
        date = None if published is None else EdtfDate.parse(published)
        sources[ident] = Source(ident, title, outlet, author, date, note)
    agencies = {a[0]: Agency(a[0], a[1], tuple(a[2]), a[3]) for a in plain["agencies"]}
    people = {p[0]: Person(p[0], p[1], tuple(p[2]), p[3], p[4]) for p in plain["people"]}
    craft = {c[0]: Spacecraft(c[0], c[1], SpacecraftType(c[2]), tuple(c[3]), tuple(c[4])) for c in plain["spacecraft"]}
    return Catalog(sources, agencies, people, craft)
