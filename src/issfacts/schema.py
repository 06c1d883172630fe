"""The data file's schema, as checks: plain YAML values in, model objects out, and every
problem noted with the path of the node it is about (load.py turns paths into lines).

`Fields` reads one field at a time (text, an id, a list of ids, a choice, a date...);
one builder per record (`source`, `agency`, `person`, `spacecraft`, `citation`, `claim`,
`event`) reads a record's fields; `dataset` reads the sections and checks every
reference. A field of the format is added in three places here: the record's allowed
keys, its read, and the model constructor call (by keyword).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar

from issfacts.errors import did_you_mean
from issfacts.model import (
    SLUG,
    Agency,
    Catalog,
    Citation,
    Claim,
    Dataset,
    EdtfDate,
    Event,
    Kind,
    PartialDate,
    Person,
    Source,
    Spacecraft,
    SpacecraftType,
    Status,
)

SECTIONS = ("sources", "agencies", "people", "spacecraft", "events")
EXPECTED_TOP = "a dataset is a YAML mapping with the keys " + ", ".join(SECTIONS)

NodePath = tuple[str | int, ...]  # a path in the YAML tree, e.g. ("events", 3, "date")
T = TypeVar("T")
E = TypeVar("E", Kind, Status, SpacecraftType)


# What RFC 3986 leaves out of URLs (beside spaces and controls), to be written %-encoded:
# a citation format would read them as its own syntax (a brace in BibTeX, `>` in markdown).
_NOT_IN_URLS = frozenset('<>"{}|\\^`')


_OPTIONS: dict[type, list[str]] = {}


def _options(choices: type[E]) -> list[str]:
    """The values of an enum, listed once per enum: iterating one cost 2.7 s of a 53 s
    profiled first query of 100,000 events, asked twice an event (cProfile)."""
    if choices not in _OPTIONS:
        _OPTIONS[choices] = [member.value for member in choices]
    return _OPTIONS[choices]


class Finding(NamedTuple):
    """A problem, not yet located in the text."""

    path: NodePath
    message: str
    at_key: bool = False  # about the key (an unknown field), not its value
    first: NodePath | None = None  # for duplicates: where the first one is


def describe(value: object) -> str:
    """A value as a message names it: `a number (2021)`, `text ('...')`, `a list`."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({short(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


class Fields:
    """Reads fields of plain values, noting what is wrong with each; never raises."""

    def __init__(self) -> None:
        self.found: list[Finding] = []

    def note(self, path: NodePath, message: str, **extra: Any) -> None:
        self.found.append(Finding(path, message, **extra))

    def record(
        self, value: object, path: NodePath, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, Any] | None:
        """`value` as a mapping with those keys (unknown and missing ones noted), or None."""
        if not isinstance(value, dict):
            self.note(path, f"expected a mapping with {', '.join(required)}, found {describe(value)}")
            return None
        allowed = required + optional
        for key in value:
            if key not in allowed:
                self.note(
                    path + (key,),
                    f"unknown field {key!r}; {did_you_mean(str(key), allowed)}allowed: {', '.join(allowed)}",
                    at_key=True,
                )
        for key in required:
            if key not in value:
                self.note(path, f"missing required field {key!r}")
        return value

    def _present(self, rec: dict[str, Any], key: str, path: NodePath, required: bool, empty: str) -> object:
        """The field's value; None, noting `empty`, when it is there but null."""
        value = rec.get(key)
        if value is None and required and key in rec:
            self.note(path + (key,), empty)
        return value

    def text(self, rec: dict[str, Any], key: str, path: NodePath, *, required: bool = True) -> str | None:
        value = self._present(rec, key, path, required, "must not be empty")
        if value is None:
            return None
        if not isinstance(value, str):
            hint = "; put it in quotes" if isinstance(value, int | float | bool) else ""
            self.note(path + (key,), f"expected text, found {describe(value)}{hint}")
            return None
        if not value.strip():
            self.note(path + (key,), "must not be empty")
            return None
        return value

    def slug(self, rec: dict[str, Any], path: NodePath) -> str | None:
        value = self.text(rec, "id", path)
        if value is not None and not SLUG.fullmatch(value):
            self.note(
                path + ("id",),
                f"{value!r} is not an id; use lowercase letters, digits and single hyphens, e.g. 'soyuz-ms-22'",
            )
            return None
        return value

    def texts(self, rec: dict[str, Any], key: str, path: NodePath) -> tuple[str, ...]:
        """A list of text, each item once."""
        value = rec.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.note(path + (key,), f"expected a list, found {describe(value)}; write [a, b] or one '- item' per line")
            return ()
        out: dict[str, int] = {}
        for index, item in enumerate(value):
            if not (isinstance(item, str) and item.strip()):
                self.note(path + (key, index), f"expected non-empty text, found {describe(item)}")
            elif item in out:  # counted once, or twice? Neither: say so
                self.note(path + (key, index), f"{item!r} is listed twice (also item {out[item] + 1}); list it once")
            else:
                out[item] = index
        return tuple(out)

    def choice(
        self, rec: dict[str, Any], key: str, path: NodePath, enum: type[E], default: E | None = None
    ) -> E | None:
        options = _options(enum)
        value = self._present(rec, key, path, True, f"must be one of: {', '.join(options)}")
        if value is None:
            return default
        try:
            return enum(value)
        except ValueError:
            self.note(
                path + (key,),
                f"{value!r} is not allowed; {did_you_mean(str(value), options)}use one of: {', '.join(options)}",
            )
            return None

    def date(self, rec: dict[str, Any], key: str, path: NodePath, *, required: bool = True) -> EdtfDate | None:
        value = self._present(rec, key, path, required, "must not be empty; use YYYY, YYYY-MM, YYYY-MM-DD or START/END")
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # `date: 2021` unquoted
        if not isinstance(value, str):
            self.note(
                path + (key,), f"expected a date (YYYY, YYYY-MM, YYYY-MM-DD or START/END), found {describe(value)}"
            )
            return None
        try:
            return EdtfDate.parse(value)
        except ValueError as error:
            self.note(path + (key,), str(error))
            return None

    def url(self, rec: dict[str, Any], key: str, path: NodePath) -> str | None:
        """An absolute http(s) address, as written: where a source can be read."""
        value = self.text(rec, key, path, required=False)
        if value is None:
            return None
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(value)
            valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
        except ValueError:  # `http://[::1`, or a port that is no number (reading .port checks it)
            valid = False
        if not valid or any(char in _NOT_IN_URLS or char.isspace() or not char.isprintable() for char in value):
            self.note(
                path + (key,),
                f"{short(value)} is not a web address; write an absolute http(s) URL, e.g. https://example.com/article"
                ' (with spaces and <>"{}|\\^` %-encoded)',
            )
            return None
        return value

    def day(self, rec: dict[str, Any], key: str, path: NodePath) -> PartialDate | None:
        """A calendar day, YYYY-MM-DD: the day something was done (a source read)."""
        value = self.text(rec, key, path, required=False)
        if value is None:
            return None
        try:
            day = PartialDate.parse(value)
        except ValueError as error:
            self.note(path + (key,), str(error).replace("YYYY, YYYY-MM or YYYY-MM-DD", "YYYY-MM-DD"))
            return None
        if day.day is None:
            self.note(path + (key,), f"{value!r} is not a day; write the day it was read, YYYY-MM-DD")
            return None
        return day

    def listing(
        self, raw: dict[str, Any], section: str, build: Callable[[Any, NodePath], T | None]
    ) -> list[tuple[NodePath, T]]:
        """The records of one top-level section, each with its path."""
        value = raw.get(section)
        if value is None:
            return []
        if not isinstance(value, list):
            self.note((section,), f"expected a list of records, found {describe(value)}")
            return []
        out: list[tuple[NodePath, T]] = []
        for index, item in enumerate(value):
            built = build(item, (section, index))
            if built is not None:
                out.append(((section, index), built))
        return out

    def nested(
        self, rec: dict[str, Any], key: str, path: NodePath, build: Callable[[Any, NodePath], T | None]
    ) -> tuple[T, ...] | None:
        """A list of records inside a record (an event's citations or claims)."""
        value = rec.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.note(path + (key,), f"expected a list, found {describe(value)}")
            return None
        built = [build(item, path + (key, index)) for index, item in enumerate(value)]
        if any(item is None for item in built):
            return None
        return tuple(item for item in built if item is not None)

    def unique(self, section: str, built: Iterable[tuple[NodePath, T]], ident: Callable[[T], str]) -> dict[str, T]:
        by_id: dict[str, T] = {}
        where: dict[str, NodePath] = {}
        for path, item in built:
            key = ident(item)
            if key in by_id:
                self.note(path + ("id",), f"duplicate {section} id {key!r}", first=where[key] + ("id",))
            else:
                by_id[key], where[key] = item, path
        return by_id

    def ref(self, ref: str, known: dict[str, Any], path: NodePath, what: str) -> None:
        if ref not in known:
            hint = did_you_mean(ref, list(known), ending="?")
            self.note(path, f"unknown {what} {ref!r}" + (f"; {hint}" if hint else "; define it first, or fix the id"))

    def refs(self, ids: Iterable[str], known: dict[str, Any], path: NodePath, what: str) -> None:
        for index, ref in enumerate(ids):
            self.ref(ref, known, path + (index,), what)


# -- one builder per record -------------------------------------------------------------------


def source(f: Fields, value: object, path: NodePath) -> Source | None:
    rec = f.record(value, path, ("id", "title"), ("outlet", "author", "published", "note", "url", "accessed"))
    if rec is None:
        return None
    ident, title = f.slug(rec, path), f.text(rec, "title", path)
    outlet = f.text(rec, "outlet", path, required=False)
    author = f.text(rec, "author", path, required=False)
    published = f.date(rec, "published", path, required=False)
    note = f.text(rec, "note", path, required=False)
    url = f.url(rec, "url", path)
    accessed = f.day(rec, "accessed", path)
    if accessed is not None and rec.get("url") is None:
        f.note(path + ("accessed",), "an access date says when the url was read; add the url, or remove accessed")
    if accessed is not None and published is not None and published.first > accessed.first_day.toordinal():
        f.note(
            path + ("accessed",),
            f"accessed {accessed} is before the article can have appeared (published {published}); fix either date",
        )
    if ident is None or title is None:
        return None
    return Source(
        id=ident, title=title, outlet=outlet, author=author, published=published, note=note, url=url, accessed=accessed
    )


def agency(f: Fields, value: object, path: NodePath) -> Agency | None:
    rec = f.record(value, path, ("id", "name"), ("aliases", "country"))
    if rec is None:
        return None
    ident, name = f.slug(rec, path), f.text(rec, "name", path)
    aliases, country = f.texts(rec, "aliases", path), f.text(rec, "country", path, required=False)
    if ident is None or name is None:
        return None
    return Agency(id=ident, name=name, aliases=aliases, country=country)


def person(f: Fields, value: object, path: NodePath) -> Person | None:
    rec = f.record(value, path, ("id", "name"), ("aliases", "role", "agency"))
    if rec is None:
        return None
    ident, name = f.slug(rec, path), f.text(rec, "name", path)
    aliases = f.texts(rec, "aliases", path)
    role, agency_id = f.text(rec, "role", path, required=False), f.text(rec, "agency", path, required=False)
    if ident is None or name is None:
        return None
    return Person(id=ident, name=name, aliases=aliases, role=role, agency=agency_id)


def spacecraft(f: Fields, value: object, path: NodePath) -> Spacecraft | None:
    rec = f.record(value, path, ("id", "name", "type"), ("aliases", "operators"))
    if rec is None:
        return None
    ident, name = f.slug(rec, path), f.text(rec, "name", path)
    kind = f.choice(rec, "type", path, SpacecraftType)
    aliases, operators = f.texts(rec, "aliases", path), f.texts(rec, "operators", path)
    if ident is None or name is None or kind is None:
        return None
    return Spacecraft(id=ident, name=name, type=kind, aliases=aliases, operators=operators)


def citation(f: Fields, value: object, path: NodePath) -> Citation | None:
    rec = f.record(value, path, ("source", "quote"), ())
    if rec is None:
        return None
    source_id, quote = f.text(rec, "source", path), f.text(rec, "quote", path)
    return None if source_id is None or quote is None else Citation(source=source_id, quote=quote)


def claim(f: Fields, value: object, path: NodePath) -> Claim | None:
    rec = f.record(value, path, ("claim", "by", "source", "quote"), ())
    if rec is None:
        return None
    text, by = f.text(rec, "claim", path), f.text(rec, "by", path)
    source_id, quote = f.text(rec, "source", path), f.text(rec, "quote", path)
    if text is None or by is None or source_id is None or quote is None:
        return None
    return Claim(claim=text, by=by, source=source_id, quote=quote)


EVENT_REQUIRED = ("id", "date", "title", "kind", "summary", "sources")
EVENT_OPTIONAL = ("status", "date_note", "spacecraft", "agencies", "people", "claims")


def event(f: Fields, value: object, path: NodePath) -> Event | None:
    rec = f.record(value, path, EVENT_REQUIRED, EVENT_OPTIONAL)
    if rec is None:
        return None
    ident, date = f.slug(rec, path), f.date(rec, "date", path)
    title, summary = f.text(rec, "title", path), f.text(rec, "summary", path)
    kind = f.choice(rec, "kind", path, Kind)
    status = f.choice(rec, "status", path, Status, Status.HAPPENED)
    date_note = f.text(rec, "date_note", path, required=False)
    craft, agencies, people = (f.texts(rec, key, path) for key in ("spacecraft", "agencies", "people"))
    claims = f.nested(rec, "claims", path, lambda v, p: claim(f, v, p))
    sources = f.nested(rec, "sources", path, lambda v, p: citation(f, v, p))
    if sources == () and "sources" in rec:
        f.note(path + ("sources",), 'an event needs at least one citation: - {source: ID, quote: "..."}')
    if None in (ident, date, title, summary, kind, status, claims) or not sources:
        return None
    assert ident and date and title and summary and kind and status and claims is not None
    return Event(
        id=ident,
        date=date,
        title=title,
        kind=kind,
        summary=summary,
        sources=sources,
        status=status,
        claims=claims,
        date_note=date_note,
        spacecraft=craft,
        agencies=agencies,
        people=people,
    )


# -- the whole file -------------------------------------------------------------------------


def dataset(f: Fields, raw: object) -> Dataset | None:
    """The dataset, or None when any problem was noted (every one of them is in `f.found`)."""
    if not isinstance(raw, dict):
        f.note((), f"{EXPECTED_TOP}; found {describe(raw)}")
        return None
    for key in raw:
        if key not in SECTIONS:
            shown = "null" if key is None else repr(key)
            hint = did_you_mean(str(key), SECTIONS)
            f.note((key,), f"unknown section {shown}; {hint}allowed: {', '.join(SECTIONS)}", at_key=True)
    if "events" not in raw:
        f.note((), "missing the 'events' section")
    built_sources = f.listing(raw, "sources", lambda v, p: source(f, v, p))
    built_agencies = f.listing(raw, "agencies", lambda v, p: agency(f, v, p))
    built_people = f.listing(raw, "people", lambda v, p: person(f, v, p))
    built_craft = f.listing(raw, "spacecraft", lambda v, p: spacecraft(f, v, p))
    built_events = f.listing(raw, "events", lambda v, p: event(f, v, p))
    catalog = Catalog(
        sources=f.unique("source", built_sources, lambda s: s.id),
        agencies=f.unique("agency", built_agencies, lambda a: a.id),
        people=f.unique("person", built_people, lambda p: p.id),
        spacecraft=f.unique("spacecraft", built_craft, lambda c: c.id),
    )
    events = f.unique("event", built_events, lambda e: e.id)
    _check_references(f, catalog, built_people, built_craft, built_events)
    if f.found:
        return None
    return Dataset(catalog, tuple(sorted(events.values(), key=lambda e: e.sort_key)))


def _check_references(
    f: Fields,
    catalog: Catalog,
    people: list[tuple[NodePath, Person]],
    craft: list[tuple[NodePath, Spacecraft]],
    events: list[tuple[NodePath, Event]],
) -> None:
    """Every id a record names must be defined, in any section, earlier or later."""
    check_catalog_references(f, catalog, people, craft)
    speakers = speakers_of(catalog)
    for path, item in events:
        check_event_references(f, catalog, speakers, path, item)


def check_catalog_references(
    f: Fields, catalog: Catalog, people: list[tuple[NodePath, Person]], craft: list[tuple[NodePath, Spacecraft]]
) -> None:
    for path, one in people:
        if one.agency is not None:
            f.ref(one.agency, catalog.agencies, path + ("agency",), "agency")
    for path, ship in craft:
        f.refs(ship.operators, catalog.agencies, path + ("operators",), "agency")


def speakers_of(catalog: Catalog) -> dict[str, object]:
    """Whoever may make a claim, by id: people, agencies and sources."""
    return {**catalog.people, **catalog.agencies, **catalog.sources}


def check_event_references(
    f: Fields, catalog: Catalog, speakers: dict[str, object], path: NodePath, item: Event
) -> None:
    f.refs(item.spacecraft, catalog.spacecraft, path + ("spacecraft",), "spacecraft")
    f.refs(item.agencies, catalog.agencies, path + ("agencies",), "agency")
    f.refs(item.people, catalog.people, path + ("people",), "person")
    for index, cite in enumerate(item.sources):
        f.ref(cite.source, catalog.sources, path + ("sources", index, "source"), "source")
    for index, said in enumerate(item.claims):
        f.ref(said.source, catalog.sources, path + ("claims", index, "source"), "source")
        f.ref(said.by, speakers, path + ("claims", index, "by"), "person, agency or source")
