"""The output records: the contract's JSON shapes, one TypedDict each, and the functions
that build them from the model.

Every format prints these records (JSON as they are; tsv, csv, markdown and the terminal
through `render.Column`s), and the compiled rows carry each event's record ready-made,
so a warm `events --json` prints it without building a single model object. A field
added here is a field of the contract: the README's tables, tests/test_json_golden.py and
the golden files change with it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # For the type checker only: at run time a record is a plain dict, and creating
    # these nine TypedDict classes (their annotations compiled as forward references)
    # cost about 1 ms of every start-up.
    from collections.abc import Sequence
    from typing import TypedDict

    from issfacts.model import Catalog, EdtfDate, Event, Person, Source, Spacecraft

    class ClaimRecord(TypedDict):
        claim: str
        by: str  # display name of whoever made it: a person, an agency or a source's outlet
        source: str
        quote: str

    class Published(TypedDict):
        published: str | None  # EDTF, as written
        published_earliest: str | None  # YYYY-MM-DD, or null when unknown or open
        published_latest: str | None

    class CitationRecord(Published):
        source: str
        outlet: str | None
        title: str
        author: str | None
        quote: str

    class EventRecord(TypedDict):
        id: str
        date: str  # EDTF, as written
        earliest: str | None  # YYYY-MM-DD, or null for an open end
        latest: str | None
        title: str
        kind: str
        status: str
        summary: str
        date_note: str | None
        spacecraft: list[str]  # canonical names
        agencies: list[str]
        people: list[str]
        claims: list[ClaimRecord]
        sources: list[CitationRecord]

    class SpacecraftRecord(TypedDict):
        id: str
        name: str
        aliases: list[str]
        type: str
        operators: list[str]

    class PersonRecord(TypedDict):
        id: str
        name: str
        aliases: list[str]
        role: str | None
        agency: str | None

    class SourceRecord(Published):
        id: str
        outlet: str | None
        title: str
        author: str | None
        note: str | None
        events: int  # how many events cite or quote it

    NamedRecord = SpacecraftRecord | PersonRecord


def iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _published(date: EdtfDate | None) -> Published:
    if date is None:
        return {"published": None, "published_earliest": None, "published_latest": None}
    return {"published": str(date), "published_earliest": iso(date.earliest), "published_latest": iso(date.latest)}


def event_record(event: Event, catalog: Catalog) -> EventRecord:
    return {
        "id": event.id,
        "date": str(event.date),
        "earliest": iso(event.date.earliest),
        "latest": iso(event.date.latest),
        "title": event.title,
        "kind": event.kind.value,
        "status": event.status.value,
        "summary": event.summary,
        "date_note": event.date_note,
        "spacecraft": [catalog.spacecraft[i].name for i in event.spacecraft],
        "agencies": [catalog.agencies[i].name for i in event.agencies],
        "people": [catalog.people[i].name for i in event.people],
        "claims": [
            {"claim": c.claim, "by": catalog.speaker_name(c.by), "source": c.source, "quote": c.quote}
            for c in event.claims
        ],
        "sources": [citation_record(cite.source, cite.quote, catalog) for cite in event.sources],
    }


def citation_record(ident: str, quote: str, catalog: Catalog) -> CitationRecord:
    source = catalog.sources[ident]
    return {
        "source": ident,
        "outlet": source.outlet,
        "title": source.title,
        "author": source.author,
        **_published(source.published),
        "quote": quote,
    }


def spacecraft_record(craft: Spacecraft, catalog: Catalog) -> SpacecraftRecord:
    return {
        "id": craft.id,
        "name": craft.name,
        "aliases": list(craft.aliases),
        "type": craft.type.value,
        "operators": [catalog.agencies[i].name for i in craft.operators],
    }


def person_record(person: Person, catalog: Catalog) -> PersonRecord:
    return {
        "id": person.id,
        "name": person.name,
        "aliases": list(person.aliases),
        "role": person.role,
        "agency": None if person.agency is None else catalog.agencies[person.agency].name,
    }


def source_record(source: Source, events: int) -> SourceRecord:
    return {
        "id": source.id,
        "outlet": source.outlet,
        "title": source.title,
        "author": source.author,
        **_published(source.published),
        "note": source.note,
        "events": events,
    }


# -- as JSON ------------------------------------------------------------------------------------

# json.dumps escapes C0 itself; DEL and C1 (CSI is 0x9b) it would print raw, and none of
# them may reach a terminal.
_C1 = re.compile(r"[\x7f-\x9f]")


def _escape_c1(text: str) -> str:
    return _C1.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


def json_line(record: object) -> str:
    """A record as one line of JSON: UTF-8 as it is (streams.write_data escapes it for a
    stdout that is not UTF-8), control characters escaped."""
    import json

    return _escape_c1(json.dumps(record, ensure_ascii=False))


def json_document(value: object) -> str:
    """A record (or anything) as indented JSON, for one object on its own (`show --json`)."""
    import json

    return _escape_c1(json.dumps(value, ensure_ascii=False, indent=2)) + "\n"


def json_array(lines: list[str]) -> str:
    """A JSON array of `json_line`s, one element per line.

    One line per event keeps `grep` useful and lets json's C encoder do the work:
    indent= falls back to its pure-Python encoder, 0.25 ms an event (cProfile).
    """
    if not lines:
        return "[]\n"
    return "[\n  " + ",\n  ".join(lines) + "\n]\n"


def json_array_pieces(lines: Sequence[bytes]) -> list[bytes]:
    """`json_array` of lines already UTF-8 encoded (Store.lines), as the pieces to write
    (streams.write_data): the lines are copied once, into the middle piece."""
    if not lines:
        return [b"[]\n"]
    return [b"[\n  ", b",\n  ".join(lines), b"\n]\n"]


def json_lines_pieces(lines: Sequence[bytes]) -> list[bytes]:
    """The lines already UTF-8 encoded, one per line (jsonl), as the pieces to write."""
    return [b"\n".join(lines), b"\n"] if lines else []
