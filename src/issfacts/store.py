"""Where answers come from: the parsed file in memory, or its compiled cache.

Both engines answer the same `Query` with the same events; tests hold them to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from issfacts import query
from issfacts.model import Catalog, Dataset, Event


class Store(Protocol):
    @property
    def catalog(self) -> Catalog: ...

    def select(self, q: query.Query) -> list[Event]:
        """Events matching `q`, in date order (or reversed), at most `q.limit`."""

    def find(self, ident: str) -> Event:
        """One event by id or unique part of an id; NotFound or Ambiguous otherwise."""

    def counts(self, field: str) -> dict[str, int]:
        """For `spacecraft`, `people` or `sources`: how many events name each id."""


class MemoryStore:
    """Answers from a Dataset held in memory."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    @property
    def catalog(self) -> Catalog:
        return self.dataset.catalog

    def select(self, q: query.Query) -> list[Event]:
        return query.select_events(self.dataset.events, q)

    def find(self, ident: str) -> Event:
        return query.find_event(ident, self.dataset.events)

    def counts(self, field: str) -> dict[str, int]:
        if field == "sources":
            return query.citation_counts(self.catalog, self.dataset.events)
        counts: dict[str, int] = {}
        for event in self.dataset.events:
            for ident in getattr(event, field):
                counts[ident] = counts.get(ident, 0) + 1
        return counts


def open_store(path: Path, *, use_cache: bool = True, environ: Mapping[str, str] | None = None) -> Store:
    """The store for the data file at `path`."""
    from issfacts.load import load_path

    return MemoryStore(load_path(path))
