"""`issfacts schema`: the JSON Schema (draft 2020-12) of every JSON output.

Written from the contract (README's JSON output, records.py's TypedDicts); each schema
closes its objects (`additionalProperties: false`), so tests/test_json_schema.py, which
validates the real outputs against them, fails when a key appears that is not
described here. Pure: dictionaries out; the command prints them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from issfacts import fields
from issfacts.fields import Field
from issfacts.model import Kind, SpacecraftType, Status

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# An EDTF date of the profile the data uses (model.EdtfDate): a point, or START/END with `..` open.
_POINT = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?[?~%]?"
EDTF = rf"^({_POINT}|({_POINT}|\.\.)/({_POINT}|\.\.))$"
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

Schema = dict[str, Any]


TEXT: Schema = {"type": "string"}
MAYBE: Schema = {"type": ["string", "null"]}
NAMES: Schema = {"type": "array", "items": {"type": "string"}}
DAY_OR_NULL: Schema = {"type": ["string", "null"], "pattern": DAY, "format": "date"}


def _object(properties: dict[str, Schema], described_by: Sequence[Field], description: str) -> Schema:
    """A closed object; each property described by its field's line of help in fields.py,
    the one place `--fields help` also reads, so the two never disagree."""
    helps = {field.name: field.help for field in described_by}
    return {
        "type": "object",
        "description": description,
        "properties": {name: {**value, "description": helps[name]} for name, value in properties.items()},
        "required": list(properties),
        "additionalProperties": False,
    }


def _published() -> dict[str, Schema]:
    return {
        "published": {"type": ["string", "null"], "pattern": EDTF},
        "published_earliest": DAY_OR_NULL,
        "published_latest": DAY_OR_NULL,
    }


CLAIM = _object(
    {
        "claim": TEXT,
        "by": TEXT,
        "source": TEXT,
        "quote": TEXT,
    },
    fields.CLAIM_FIELDS,
    "a claim, attributed",
)
CITATION = _object(
    {
        "source": TEXT,
        "outlet": MAYBE,
        "title": TEXT,
        "author": MAYBE,
        **_published(),
        "quote": TEXT,
    },
    fields.CITATION_FIELDS,
    "a citation of an article",
)
EVENT = _object(
    {
        "id": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
        "date": {"type": "string", "pattern": EDTF},
        "earliest": DAY_OR_NULL,
        "latest": DAY_OR_NULL,
        "title": TEXT,
        "kind": {"enum": [kind.value for kind in Kind]},
        "status": {"enum": [status.value for status in Status]},
        "summary": TEXT,
        "date_note": MAYBE,
        "spacecraft": NAMES,
        "agencies": NAMES,
        "people": NAMES,
        "claims": {"type": "array", "items": {"$ref": "#/$defs/claim"}},
        "sources": {"type": "array", "items": {"$ref": "#/$defs/citation"}, "minItems": 1},
    },
    fields.EVENT_FIELDS,
    "one event, as events --json lists it and show --json prints it",
)
_COUNT = {"type": "integer", "minimum": 0, "description": "how many events name it"}
SPACECRAFT = _object(
    {
        "id": TEXT,
        "name": TEXT,
        "aliases": NAMES,
        "type": {"enum": [kind.value for kind in SpacecraftType]},
        "operators": NAMES,
    },
    fields.SPACECRAFT_FIELDS,
    "a spacecraft",
)
PERSON = _object(
    {
        "id": TEXT,
        "name": TEXT,
        "aliases": NAMES,
        "role": MAYBE,
        "agency": MAYBE,
    },
    fields.PERSON_FIELDS,
    "a person",
)
SOURCE = _object(
    {
        "id": TEXT,
        "outlet": MAYBE,
        "title": TEXT,
        "author": MAYBE,
        **_published(),
        "note": MAYBE,
        "events": _COUNT,
    },
    fields.SOURCE_FIELDS,
    "a source article, with how many events cite or quote it",
)
COUNT_FIELDS = (
    Field("field", "the field counted: year, month, kind, status, spacecraft, agency, person or source"),
    Field("value", "the value counted; null: the event names none"),
    Field("count", "how many events have it"),
)
COUNT = _object(
    {
        "field": {"enum": ["year", "month", "kind", "status", "spacecraft", "agency", "person", "source"]},
        "value": {"type": ["string", "null"]},
        "count": {"type": "integer", "minimum": 1},
    },
    COUNT_FIELDS,
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
