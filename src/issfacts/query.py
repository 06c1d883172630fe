"""Filters and lookups over a Dataset. Pure functions: no printing, no exits.

A question is a frozen `Query` value, so the in-memory engine here and the SQLite cache
answer exactly the same thing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from issfacts.errors import Ambiguous, NotFound
from issfacts.model import Catalog, Event, Kind, Named, PartialDate, Status

_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Query:
    """Which events to list. Fields AND together; the values inside one field OR together.

    Names are already resolved to ids (see `resolve`), so every engine sees the same ids.
    """

    since: PartialDate | None = None
    until: PartialDate | None = None
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


def resolve(name: str, records: Mapping[str, Named], what: str) -> Named:
    """The one record `name` means: by id, name or alias, case- and punctuation-insensitive.

    An exact match wins; otherwise a unique partial match (`nauka` in `Nauka`, `ms-09`
    in `Soyuz MS-09`). Several partial matches raise Ambiguous, none raises NotFound
    with the closest names.
    """
    wanted = normalize(name)
    exact = [r for r in records.values() if any(normalize(n) == wanted for n in _names(r))]
    if len(exact) == 1:
        return exact[0]
    candidates = exact or [
        r for r in records.values() if wanted and any(wanted in normalize(n) for n in _names(r))
    ]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise Ambiguous(what, name, [(r.id, r.name) for r in candidates])
    raise NotFound(what, name, suggest(name, (n for r in records.values() for n in _names(r))))


def suggest(name: str, known: Iterable[str]) -> list[str]:
    """Up to three known names that look like `name`, closest first."""
    by_key: dict[str, str] = {}
    for text in known:
        by_key.setdefault(text.casefold(), text)
    close = difflib.get_close_matches(name.casefold(), list(by_key), n=3, cutoff=0.6)
    return [by_key[key] for key in close]


def find_event(ident: str, events: Sequence[Event]) -> Event:
    """An event by its id, or by a part of its id that only one event has."""
    wanted = ident.strip().casefold()
    for event in events:
        if event.id == wanted:
            return event
    partial = [event for event in events if wanted and wanted in event.id]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise Ambiguous("event", ident, [(event.id, event.title) for event in partial])
    raise NotFound("event", ident, suggest(ident, (event.id for event in events)))


def searchable_text(event: Event) -> str:
    """Everything `--search` looks through, folded for case-insensitive matching."""
    parts = [event.title, event.summary]
    parts.extend(cite.quote for cite in event.sources)
    for claim in event.claims:
        parts.extend((claim.claim, claim.quote))
    return "\n".join(parts).casefold()


def matches(event: Event, query: Query) -> bool:
    if (query.since or query.until) and not event.date.overlaps(query.since, query.until):
        return False
    if query.kinds and event.kind not in query.kinds:
        return False
    if query.statuses and event.status not in query.statuses:
        return False
    if query.spacecraft and query.spacecraft.isdisjoint(event.spacecraft):
        return False
    if query.agencies and query.agencies.isdisjoint(event.agencies):
        return False
    if query.people and query.people.isdisjoint(event.people):
        return False
    if query.search:
        text = searchable_text(event)
        return any(term.casefold() in text for term in query.search)
    return True


def select_events(events: Sequence[Event], query: Query) -> list[Event]:
    """The events `query` asks for, in date order (or reversed), at most `limit` of them."""
    chosen = [event for event in events if matches(event, query)]
    if query.reverse:
        chosen.reverse()
    return chosen if query.limit is None else chosen[: query.limit]


def events_of(events: Iterable[Event], field: str, ident: str) -> list[Event]:
    """The events that name `ident` in `field` (spacecraft, agencies or people), in date order."""
    return [event for event in events if ident in getattr(event, field)]


def citation_counts(catalog: Catalog, events: Iterable[Event]) -> dict[str, int]:
    """How many events cite each source (by citation or by claim)."""
    counts = dict.fromkeys(catalog.sources, 0)
    for event in events:
        for ident in {cite.source for cite in event.sources} | {c.source for c in event.claims}:
            counts[ident] = counts.get(ident, 0) + 1
    return counts
