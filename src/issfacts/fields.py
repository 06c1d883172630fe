"""`--fields`: which fields of a listing's records to print, in the order given.

A field is a key of the contract's JSON records (records.py), or, inside a list of
objects, `parent.key` (`sources.outlet`, `claims.by`). Every format prints the same
selection: JSON and JSON lines as records cut down to those keys (nested ones keep their
lists: `{"sources": [{"outlet": ...}]}`), tsv, csv, markdown and the terminal as one
column per field, a list joined with `; ` as the default columns join them.

Pure: records in, records and columns out. Each kind of record lists its fields here with
a line of help (`--fields help` prints it); tests/test_fields.py holds the lists to the
records' real keys, so a field added to records.py must be described here.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, NamedTuple

from issfacts.render import Column, Columns, Fit, Record, View, cell, human_date


class Field(NamedTuple):
    name: str
    help: str


_PUBLISHED = (
    Field("published", "publication date, EDTF as written; null when unknown"),
    Field("published_earliest", "earliest day it can have appeared (YYYY-MM-DD), or null"),
    Field("published_latest", "latest day it can have appeared (YYYY-MM-DD), or null"),
)
CLAIM_FIELDS = (
    Field("claim", "what was claimed, in the dataset's words"),
    Field("by", "who made the claim: a person, an agency or an article's outlet"),
    Field("source", "id of the article that reports the claim"),
    Field("quote", "the article's words, verbatim"),
)
CITATION_FIELDS = (
    Field("source", "id of the article"),
    Field("outlet", "the publication (null when the text does not name it)"),
    Field("title", "the article's title"),
    Field("author", "the byline (null when unknown)"),
    *_PUBLISHED,
    Field("quote", "the words that support the event, verbatim"),
)
EVENT_FIELDS = (
    Field("id", "permanent id (show ID, cite ID)"),
    Field("date", "EDTF date as known: a day, month, year or interval; ? uncertain, ~ approximate"),
    Field("earliest", "earliest day the date can mean (YYYY-MM-DD), null for an open start"),
    Field("latest", "latest day the date can mean (YYYY-MM-DD), null for an open end"),
    Field("title", "one line: what happened"),
    Field("kind", "launch, docking, undocking, return, incident, investigation, statement, ..."),
    Field("status", "happened, or planned when the sources announce it"),
    Field("summary", "a few sentences from the sources"),
    Field("date_note", "how the date was read from the sources"),
    Field("spacecraft", "canonical names of the spacecraft involved"),
    Field("agencies", "names of the agencies involved"),
    Field("people", "canonical names of the people involved"),
    Field("claims", "claims: who said what, with the quote (claims.claim, .by, .source, .quote)"),
    Field("sources", "citations with verbatim quotes (sources.source, .outlet, .title, .author, .published, .quote)"),
)
SPACECRAFT_FIELDS = (
    Field("id", "permanent id"),
    Field("name", "canonical name"),
    Field("aliases", "other names it is matched by (55S, MLM...)"),
    Field("type", "crew, cargo, module, station, rocket, ..."),
    Field("operators", "agencies that operate it"),
    Field("events", "how many events name it"),
)
PERSON_FIELDS = (
    Field("id", "permanent id"),
    Field("name", "canonical name"),
    Field("aliases", "other spellings it is matched by"),
    Field("role", "what they were, as the sources say (null when not said)"),
    Field("agency", "the agency they spoke or worked for (null when none)"),
    Field("events", "how many events name them"),
)
SOURCE_FIELDS = (
    Field("id", "permanent id"),
    Field("outlet", "the publication (null when the text does not name it)"),
    Field("title", "the article's title"),
    Field("author", "the byline (null when unknown)"),
    *_PUBLISHED,
    Field("note", "how outlet, author and date were established"),
    Field("events", "how many events cite or quote it"),
)


class Kind(NamedTuple):
    """The fields of one kind of record, and those of the lists of objects inside it."""

    what: str  # as messages name it: "event"
    fields: tuple[Field, ...]
    nested: Mapping[str, tuple[Field, ...]]  # `sources` -> the fields of a citation
    joins: Mapping[str, str]  # what a whole nested list shows in a column: `sources` -> source ids
    lists: frozenset[str]  # the fields whose values are lists

    def names(self) -> list[str]:
        """Every valid name, dotted ones after their parent."""
        names = []
        for field in self.fields:
            names.append(field.name)
            names += [f"{field.name}.{sub.name}" for sub in self.nested.get(field.name, ())]
        return names


KINDS = {
    "event": Kind(
        "event",
        EVENT_FIELDS,
        {"claims": CLAIM_FIELDS, "sources": CITATION_FIELDS},
        {"claims": "claim", "sources": "source"},
        frozenset({"spacecraft", "agencies", "people", "claims", "sources"}),
    ),
    "spacecraft": Kind("spacecraft", SPACECRAFT_FIELDS, {}, {}, frozenset({"aliases", "operators"})),
    "person": Kind("person", PERSON_FIELDS, {}, {}, frozenset({"aliases"})),
    "source": Kind("source", SOURCE_FIELDS, {}, {}, frozenset()),
}


class Selection(NamedTuple):
    """The fields asked for, in order, each `(field, key)`; key None: the whole field."""

    kind: Kind
    paths: tuple[tuple[str, str | None], ...]

    def project(self, record: Record) -> dict[str, Any]:
        """`record` cut down to the selection: keys in the order first asked for; a nested
        list keeps each element's asked-for keys, in their order."""
        out: dict[str, Any] = {}
        keys: dict[str, list[str]] = {}
        for field, key in self.paths:
            if key is None:
                keys[field] = []  # the whole list wins over any of its keys
                out[field] = record.get(field)
            elif field not in out or keys.get(field):
                keys.setdefault(field, []).append(key)
                out[field] = None
        for field, wanted in keys.items():
            if wanted:
                out[field] = [{key: item.get(key) for key in wanted} for item in record.get(field) or []]
        return out

    def columns(self) -> Columns:
        """One column per field, named as asked for, lists joined with `; `; on the
        terminal, dates readable, lists as `first +N`, the longest text wrapped."""
        columns = [Column(_name(field, key), _reader(self.kind, field, key)) for field, key in self.paths]
        lists = [key is not None or field in self.kind.lists for field, key in self.paths]
        plain = [(i, field) for i, ((field, _), listed) in enumerate(zip(self.paths, lists, strict=True)) if not listed]
        ranked = [i for i, field in plain if field in MAIN_FIELDS]
        main = min(ranked, key=lambda i: MAIN_FIELDS.index(self.paths[i][0])) if ranked else None
        if main is None:
            main = plain[-1][0] if plain else len(columns) - 1
        views = []
        for i, (column, listed) in enumerate(zip(columns, lists, strict=True)):
            field, key = self.paths[i]
            if i == main:
                views.append(View(column.name, _text_of(column), Fit.MAIN))
            elif listed:
                views.append(View(column.name, _items_of(self.kind, field, key), Fit.LIST, cap=28))
            elif field in DATE_FIELDS:
                views.append(View(column.name, _date_of(column)))
            else:
                views.append(View(column.name, _text_of(column), right=field == "events"))
        return Columns(columns, views)


# What takes the width of a terminal table, the first of these asked for; and the
# fields written as dates for a reader there.
MAIN_FIELDS = ("title", "summary", "claim", "quote", "note", "date_note", "name", "role")
DATE_FIELDS = frozenset({"date", "published"})


def _text_of(column: Column) -> Any:
    return lambda record: cell(column.value(record))


def _date_of(column: Column) -> Any:
    return lambda record: cell(human_date(column.value(record)))  # type: ignore[arg-type]


def _items_of(kind: Kind, field: str, key: str | None) -> Any:
    key = key if key is not None else kind.joins.get(field)

    def items(record: Record) -> list[str]:
        found = record.get(field) or []
        return list(dict.fromkeys(cell(item.get(key) if key is not None else item) for item in found))

    return items


def _name(field: str, key: str | None) -> str:
    return field if key is None else f"{field}.{key}"


def _reader(kind: Kind, field: str, key: str | None) -> Any:
    key = key if key is not None else kind.joins.get(field)

    def value(record: Record) -> object:
        found = record.get(field)
        if not isinstance(found, list):
            return found
        items = (item.get(key) if key is not None else item for item in found)
        return "; ".join(dict.fromkeys(cell(item) for item in items))

    return value


class FieldError(ValueError):
    """A --fields value that names no field: the message lists the valid ones."""


HELP_WORDS = frozenset({"help", "?"})


def wants_help(text: str) -> bool:
    return text.strip().casefold() in HELP_WORDS


def parse(text: str, kind: Kind) -> Selection:
    """`id,date,sources.outlet` -> a Selection; a name twice counts once. Raises
    FieldError for an empty list or an unknown name, with the closest names."""
    valid = kind.names()
    asked = [name.strip() for name in text.split(",")]
    asked = [name for name in asked if name]
    if not asked:
        raise FieldError(f"no field given; valid {kind.what} fields: {', '.join(valid)}")
    unknown = [name for name in asked if name not in valid]
    if unknown:
        near = difflib.get_close_matches(unknown[0], valid, n=3, cutoff=0.6)
        hint = f" (did you mean {' or '.join(near)}?)" if near else ""
        raise FieldError(
            f"unknown {kind.what} field{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}{hint}; "
            f"valid: {', '.join(valid)} (`--fields help` describes them)"
        )
    paths = []
    for name in dict.fromkeys(asked):
        field, _, key = name.partition(".")
        paths.append((field, key or None))
    return Selection(kind, tuple(paths))


def describe(kind: Kind) -> str:
    """What `--fields help` prints: each field with its line of help."""
    rows: list[tuple[str, str]] = []
    for field in kind.fields:
        rows.append((field.name, field.help))
        rows += [(f"  {field.name}.{sub.name}", sub.help) for sub in kind.nested.get(field.name, ())]
    width = max(len(name) for name, _ in rows)
    lines = [f"{kind.what} fields, for --fields (comma-separated, in the order to print):"]
    lines += [f"  {name:<{width}}  {text}" for name, text in rows]
    return "\n".join(lines) + "\n"
