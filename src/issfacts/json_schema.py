"""`issfacts schema`: the JSON Schema (draft 2020-12) of every JSON output.

Written from the contract (README's JSON output, records.py's TypedDicts); each schema
closes its objects (`additionalProperties: false`), so tests/test_json_schema.py, which
validates the real outputs against them, fails when a key appears that is not
described here. Pure: dictionaries out; the command prints them.
"""

from __future__ import annotations

from typing import Any

from issfacts.model import Kind, SpacecraftType, Status

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# An EDTF date of the profile the data uses (model.EdtfDate): a point, or START/END with `..` open.
_POINT = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?[?~%]?"
EDTF = rf"^({_POINT}|({_POINT}|\.\.)/({_POINT}|\.\.))$"
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

Schema = dict[str, Any]


def _text(description: str) -> Schema:
    return {"type": "string", "description": description}


def _maybe(description: str) -> Schema:
    return {"type": ["string", "null"], "description": description}


def _names(description: str) -> Schema:
    return {"type": "array", "items": {"type": "string"}, "description": description}


def _day(description: str) -> Schema:
    return {"type": ["string", "null"], "pattern": DAY, "format": "date", "description": description}


def _object(properties: dict[str, Schema], description: str) -> Schema:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _published() -> dict[str, Schema]:
    return {
        "published": {"type": ["string", "null"], "pattern": EDTF, "description": "EDTF date, or null when unknown"},
        "published_earliest": _day("first day it can have appeared, or null"),
        "published_latest": _day("last day it can have appeared, or null"),
    }


CLAIM = _object(
    {
        "claim": _text("what was claimed"),
        "by": _text("who made it: a person, an agency or an article's outlet"),
        "source": _text("id of the article that reports it"),
        "quote": _text("the article's words, verbatim"),
    },
    "a claim, attributed",
)
CITATION = _object(
    {
        "source": _text("id of the article"),
        "outlet": _maybe("the publication, or null when the text does not name it"),
        "title": _text("the article's title"),
        "author": _maybe("the byline, or null"),
        **_published(),
        "quote": _text("the words that support the event, verbatim"),
    },
    "a citation of an article",
)
EVENT = _object(
    {
        "id": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$", "description": "permanent id"},
        "date": {"type": "string", "pattern": EDTF, "description": "EDTF date as known"},
        "earliest": _day("first day the date can mean, or null for an open start"),
        "latest": _day("last day the date can mean, or null for an open end"),
        "title": _text("one line: what happened"),
        "kind": {"enum": [kind.value for kind in Kind]},
        "status": {"enum": [status.value for status in Status]},
        "summary": _text("a few sentences from the sources"),
        "date_note": _maybe("how the date was read from the sources"),
        "spacecraft": _names("canonical names of the spacecraft involved"),
        "agencies": _names("names of the agencies involved"),
        "people": _names("canonical names of the people involved"),
        "claims": {"type": "array", "items": {"$ref": "#/$defs/claim"}},
        "sources": {"type": "array", "items": {"$ref": "#/$defs/citation"}, "minItems": 1},
    },
    "one event, as events --json lists it and show --json prints it",
)
_COUNT = {"type": "integer", "minimum": 0, "description": "how many events name it"}
SPACECRAFT = _object(
    {
        "id": _text("permanent id"),
        "name": _text("canonical name"),
        "aliases": _names("other names"),
        "type": {"enum": [kind.value for kind in SpacecraftType]},
        "operators": _names("agencies that operate it"),
    },
    "a spacecraft",
)
PERSON = _object(
    {
        "id": _text("permanent id"),
        "name": _text("canonical name"),
        "aliases": _names("other spellings"),
        "role": _maybe("what they were, as the sources say"),
        "agency": _maybe("the agency they spoke or worked for"),
    },
    "a person",
)
SOURCE = _object(
    {
        "id": _text("permanent id"),
        "outlet": _maybe("the publication, or null when the text does not name it"),
        "title": _text("the article's title"),
        "author": _maybe("the byline, or null"),
        **_published(),
        "note": _maybe("how outlet, author and date were established"),
        "events": _COUNT,
    },
    "a source article, with how many events cite or quote it",
)
COUNT = _object(
    {
        "field": {"enum": ["year", "month", "kind", "status", "spacecraft", "agency", "person", "source"]},
        "value": {"type": ["string", "null"], "description": "the value counted; null: the event names none"},
        "count": {"type": "integer", "minimum": 1},
    },
    "how many events have a value",
)
DEFS = {"event": EVENT, "claim": CLAIM, "citation": CITATION}


def _plus(record: Schema, name: str, value: Schema) -> Schema:
    """`record` with one more required property."""
    properties = {**record["properties"], name: value}
    return {**record, "properties": properties, "required": [*record["required"], name]}


def _with_count(record: Schema) -> Schema:
    return _plus(record, "events", _COUNT)


def _with_events(record: Schema) -> Schema:
    return _plus(record, "events", {"type": "array", "items": {"$ref": "#/$defs/event"}, "description": "its events"})


def _document(title: str, body: Schema) -> Schema:
    identity = {"$schema": DIALECT, "$id": f"https://issfacts.invalid/schema/{title}.json", "title": title}
    return {**identity, **body, "$defs": DEFS}


def _array(items: Schema, description: str) -> Schema:
    return {"type": "array", "items": items, "description": description}


# name -> (what it describes, the schema). The order is that of `issfacts schema`'s list.
SCHEMAS: dict[str, tuple[str, Schema]] = {
    "events": (
        "events --json, timeline --json: the events",
        _document("events", _array({"$ref": "#/$defs/event"}, "the events, in date order")),
    ),
    "event": ("show ID --json: one event", _document("event", {"$ref": "#/$defs/event"})),
    "spacecraft": (
        "spacecraft --json: every spacecraft, with an event count",
        _document("spacecraft", _array(_with_count(SPACECRAFT), "every spacecraft")),
    ),
    "spacecraft-record": (
        "spacecraft NAME --json: one spacecraft and its events",
        _document("spacecraft-record", _with_events(SPACECRAFT)),
    ),
    "people": (
        "people --json: every person, with an event count",
        _document("people", _array(_with_count(PERSON), "every person")),
    ),
    "person": ("people NAME --json: one person and their events", _document("person", _with_events(PERSON))),
    "sources": ("sources --json: the source articles", _document("sources", _array(SOURCE, "every source article"))),
    "stats": ("stats --json: counts of events by a field", _document("stats", _array(COUNT, "the counts"))),
}


# Not ours: the CSL data schema (draft-07) that `cite --style csl-json` output follows,
# vendored with its licence in schemas/ and printed as it is.
CSL = ("csl-json", "cite --style csl-json: CSL-JSON items, as Zotero and pandoc import them (the CSL schema)")


def names() -> list[tuple[str, str]]:
    return [*((name, what) for name, (what, _) in SCHEMAS.items()), CSL]


def known(name: str) -> bool:
    return name in SCHEMAS or name == CSL[0]


def schema(name: str) -> Schema:
    if name == CSL[0]:
        import json
        from importlib.resources import files

        loaded: Schema = json.loads(files("issfacts").joinpath("schemas", "csl-data.json").read_text(encoding="utf-8"))
        return loaded
    return SCHEMAS[name][1]
