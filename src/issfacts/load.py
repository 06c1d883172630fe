"""A data file -> a validated Dataset, or a DataError listing every problem with its location.

The happy path reads the YAML once into plain Python values and checks them; only when a
problem is found is the text composed again into nodes, to give each problem its line
and column.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from issfacts import yamlio
from issfacts.datafile import BUNDLED as BUNDLED  # re-exported: the bundled dataset's path
from issfacts.datafile import decode, read_bytes
from issfacts.errors import DataError, Problem
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
    Person,
    Source,
    Spacecraft,
    SpacecraftType,
    Status,
)

SECTIONS = ("sources", "agencies", "people", "spacecraft", "events")
MAX_PROBLEMS_SHOWN = 5  # by commands other than `validate`

PathT = tuple[str | int, ...]
T = TypeVar("T")
E = TypeVar("E", Kind, Status, SpacecraftType)


def read_text(path: Path) -> str:
    return decode(read_bytes(path), str(path))


def load_path(path: Path) -> Dataset:
    return load_text(read_text(path), str(path))


def load_text(text: str, shown: str) -> Dataset:
    """Parse and validate; DataError carries every problem found, in file order."""
    text = text.removeprefix("\ufeff")  # not content; editors do not count it as a column
    if not text.strip():
        raise DataError(shown, [Problem(shown, 1, 1, "the file is empty; " + _EXPECTED_TOP)])
    try:
        raw = yamlio.load(text)
    except yamlio.YAMLError as error:
        raise DataError(shown, [_yaml_problem(error, shown, text)]) from None
    except (RecursionError, MemoryError):  # belt and braces: the guards should stop these first
        raise DataError(shown, [Problem(shown, 1, 1, "the file is too deeply nested or too large")]) from None
    checker = _Checker()
    dataset = checker.dataset(raw)
    if checker.found:
        raise DataError(shown, checker.located(text, shown))
    assert dataset is not None
    return dataset


def _yaml_problem(error: Exception, shown: str, text: str) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = yamlio.position(text, mark) if mark is not None else (1, 1)
    problem = getattr(error, "problem", None) or str(error)
    if isinstance(error, yamlio.ReaderError):  # a character YAML does not allow, by offset
        offset = error.position
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        problem = (
            f"character U+{ord(error.character):04X} is not allowed in YAML"
            if isinstance(error.character, str)
            else error.reason
        )
        problem += "; remove it or write it as an escape in a double-quoted string"
    problem = " ".join(problem.split())  # one line, like every other problem
    context = getattr(error, "context", None)
    message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
    at_tab = mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t"
    if at_tab or "'\\t'" in problem or "tabs" in problem:
        message += "; indent with spaces, not tabs"
    elif "could not determine a constructor" in problem:
        message += "; issfacts reads plain YAML only, remove the tag"
    return Problem(shown, line, column, message)


_EXPECTED_TOP = "a dataset is a YAML mapping with the keys " + ", ".join(SECTIONS)


class _Found(NamedTuple):
    path: PathT
    message: str
    at_key: bool = False
    first: PathT | None = None  # for duplicates: where the first one is


def _describe(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({_short(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _dotted(path: PathT) -> str:
    out = ""
    for step in path:
        name = "null" if step is None else str(step)  # a YAML key may be null: `? ` alone on a line
        out += f"[{step}]" if isinstance(step, int) else (f".{name}" if out else name)
    return out or "top level"


class _Checker:
    """Walks the plain data once, building model objects and noting every problem."""

    def __init__(self) -> None:
        self.found: list[_Found] = []

    def note(self, path: PathT, message: str, **extra: Any) -> None:
        self.found.append(_Found(path, message, **extra))

    # -- located output --------------------------------------------------------------

    def located(self, text: str, shown: str) -> list[Problem]:
        try:
            root = yamlio.compose(text)
        except yamlio.YAMLError:
            root = None
        problems = []
        for found in self.found:
            line, column = yamlio.locate(root, found.path, key=found.at_key, text=text)
            message = f"{_dotted(found.path)}: {found.message}"
            if found.first is not None:
                message += f" (first defined on line {yamlio.locate(root, found.first, text=text)[0]})"
            problems.append(Problem(shown, line, column, message))
        problems.sort(key=lambda p: (p.line, p.column))
        return problems

    # -- primitives -------------------------------------------------------------------

    def record(
        self, value: object, path: PathT, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.note(path, f"expected a mapping with {', '.join(required)}, found {_describe(value)}")
            return None
        allowed = required + optional
        for key in value:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                did_you = f"did you mean {hint[0]!r}? " if hint else ""
                self.note(
                    path + (key,),
                    f"unknown field {key!r}; {did_you}allowed: {', '.join(allowed)}",
                    at_key=True,
                )
        for key in required:
            if key not in value:
                self.note(path, f"missing required field {key!r}")
        return value

    def text(self, record: dict[str, Any], key: str, path: PathT, *, required: bool = True) -> str | None:
        value = record.get(key)
        if value is None:
            if required and key in record:
                self.note(path + (key,), "must not be empty")
            return None
        if not isinstance(value, str) or isinstance(value, bool):
            hint = "; put it in quotes" if isinstance(value, int | float | bool) else ""
            self.note(path + (key,), f"expected text, found {_describe(value)}{hint}")
            return None
        if not value.strip():
            self.note(path + (key,), "must not be empty")
            return None
        return value

    def slug(self, record: dict[str, Any], path: PathT) -> str | None:
        value = self.text(record, "id", path)
        if value is not None and not SLUG.fullmatch(value):
            self.note(
                path + ("id",),
                f"{value!r} is not an id; use lowercase letters, digits and single hyphens, e.g. 'soyuz-ms-22'",
            )
            return None
        return value

    def texts(self, record: dict[str, Any], key: str, path: PathT) -> tuple[str, ...]:
        value = record.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.note(
                path + (key,),
                f"expected a list, found {_describe(value)}; write [a, b] or one '- item' per line",
            )
            return ()
        out: dict[str, int] = {}
        for index, item in enumerate(value):
            if not (isinstance(item, str) and item.strip()):
                self.note(path + (key, index), f"expected non-empty text, found {_describe(item)}")
            elif item in out:  # counted once, or twice? Neither: say so
                self.note(path + (key, index), f"{item!r} is listed twice (also item {out[item] + 1}); list it once")
            else:
                out[item] = index
        return tuple(out)

    def choice(
        self, record: dict[str, Any], key: str, path: PathT, enum: type[E], default: E | None = None
    ) -> E | None:
        value = record.get(key)
        if value is None:
            if key in record:  # present but empty; a missing one was noted by record()
                self.note(path + (key,), f"must be one of: {', '.join(m.value for m in enum)}")
            return default
        try:
            return enum(value)
        except ValueError:
            options = [m.value for m in enum]
            hint = difflib.get_close_matches(str(value), options, n=1)
            did_you = f"did you mean {hint[0]!r}? " if hint else ""
            self.note(
                path + (key,),
                f"{value!r} is not allowed; {did_you}use one of: {', '.join(options)}",
            )
            return None

    def date(self, record: dict[str, Any], key: str, path: PathT, *, required: bool = True) -> EdtfDate | None:
        value = record.get(key)
        if value is None:
            if required and key in record:
                self.note(path + (key,), "must not be empty; use YYYY, YYYY-MM, YYYY-MM-DD or START/END")
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.note(
                path + (key,),
                f"expected a date (YYYY, YYYY-MM, YYYY-MM-DD or START/END), found {_describe(value)}",
            )
            return None
        try:
            return EdtfDate.parse(value)
        except ValueError as error:
            self.note(path + (key,), str(error))
            return None

    def listing(
        self, raw: dict[str, Any], section: str, build: Callable[[Any, PathT], T | None]
    ) -> list[tuple[PathT, T]]:
        value = raw.get(section)
        if value is None:
            return []
        if not isinstance(value, list):
            self.note((section,), f"expected a list of records, found {_describe(value)}")
            return []
        out: list[tuple[PathT, T]] = []
        for index, item in enumerate(value):
            built = build(item, (section, index))
            if built is not None:
                out.append(((section, index), built))
        return out

    def unique(self, section: str, built: Iterable[tuple[PathT, T]], ident: Callable[[T], str]) -> dict[str, T]:
        by_id: dict[str, T] = {}
        where: dict[str, PathT] = {}
        for path, item in built:
            key = ident(item)
            if key in by_id:
                self.note(path + ("id",), f"duplicate {section} id {key!r}", first=where[key] + ("id",))
            else:
                by_id[key], where[key] = item, path
        return by_id

    def ref(self, ref: str, known: dict[str, Any], path: PathT, what: str) -> None:
        if ref not in known:
            hint = difflib.get_close_matches(ref, list(known), n=1)
            did_you = f"; did you mean {hint[0]!r}?" if hint else "; define it first, or fix the id"
            self.note(path, f"unknown {what} {ref!r}{did_you}")

    def refs(self, ids: Iterable[str], known: dict[str, Any], path: PathT, what: str) -> None:
        for index, ref in enumerate(ids):
            self.ref(ref, known, path + (index,), what)

    # -- records ----------------------------------------------------------------------

    def source(self, value: object, path: PathT) -> Source | None:
        rec = self.record(value, path, ("id", "title"), ("outlet", "author", "published", "note"))
        if rec is None:
            return None
        ident, title = self.slug(rec, path), self.text(rec, "title", path)
        outlet = self.text(rec, "outlet", path, required=False)
        author = self.text(rec, "author", path, required=False)
        published = self.date(rec, "published", path, required=False)
        note = self.text(rec, "note", path, required=False)
        if ident is None or title is None:
            return None
        return Source(ident, title, outlet, author, published, note)

    def agency(self, value: object, path: PathT) -> Agency | None:
        rec = self.record(value, path, ("id", "name"), ("aliases", "country"))
        if rec is None:
            return None
        ident, name = self.slug(rec, path), self.text(rec, "name", path)
        aliases = self.texts(rec, "aliases", path)
        country = self.text(rec, "country", path, required=False)
        return None if ident is None or name is None else Agency(ident, name, aliases, country)

    def person(self, value: object, path: PathT) -> Person | None:
        rec = self.record(value, path, ("id", "name"), ("aliases", "role", "agency"))
        if rec is None:
            return None
        ident, name = self.slug(rec, path), self.text(rec, "name", path)
        aliases = self.texts(rec, "aliases", path)
        role = self.text(rec, "role", path, required=False)
        agency = self.text(rec, "agency", path, required=False)
        return None if ident is None or name is None else Person(ident, name, aliases, role, agency)

    def spacecraft(self, value: object, path: PathT) -> Spacecraft | None:
        rec = self.record(value, path, ("id", "name", "type"), ("aliases", "operators"))
        if rec is None:
            return None
        ident, name = self.slug(rec, path), self.text(rec, "name", path)
        kind = self.choice(rec, "type", path, SpacecraftType)
        aliases, operators = self.texts(rec, "aliases", path), self.texts(rec, "operators", path)
        if ident is None or name is None or kind is None:
            return None
        return Spacecraft(ident, name, kind, aliases, operators)

    def citation(self, value: object, path: PathT) -> Citation | None:
        rec = self.record(value, path, ("source", "quote"), ())
        if rec is None:
            return None
        source, quote = self.text(rec, "source", path), self.text(rec, "quote", path)
        return None if source is None or quote is None else Citation(source, quote)

    def claim(self, value: object, path: PathT) -> Claim | None:
        rec = self.record(value, path, ("claim", "by", "source", "quote"), ())
        if rec is None:
            return None
        claim, by = self.text(rec, "claim", path), self.text(rec, "by", path)
        source, quote = self.text(rec, "source", path), self.text(rec, "quote", path)
        if claim is None or by is None or source is None or quote is None:
            return None
        return Claim(claim, by, source, quote)

    def nested(
        self, rec: dict[str, Any], key: str, path: PathT, build: Callable[[Any, PathT], T | None]
    ) -> tuple[T, ...] | None:
        value = rec.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.note(path + (key,), f"expected a list, found {_describe(value)}")
            return None
        built = [build(item, path + (key, index)) for index, item in enumerate(value)]
        if any(item is None for item in built):
            return None
        return tuple(item for item in built if item is not None)

    def event(self, value: object, path: PathT) -> Event | None:
        rec = self.record(
            value,
            path,
            ("id", "date", "title", "kind", "summary", "sources"),
            ("status", "date_note", "spacecraft", "agencies", "people", "claims"),
        )
        if rec is None:
            return None
        ident, date = self.slug(rec, path), self.date(rec, "date", path)
        title, summary = self.text(rec, "title", path), self.text(rec, "summary", path)
        kind = self.choice(rec, "kind", path, Kind)
        status = self.choice(rec, "status", path, Status, Status.HAPPENED)
        date_note = self.text(rec, "date_note", path, required=False)
        spacecraft, agencies = (
            self.texts(rec, "spacecraft", path),
            self.texts(rec, "agencies", path),
        )
        people = self.texts(rec, "people", path)
        claims = self.nested(rec, "claims", path, self.claim)
        sources = self.nested(rec, "sources", path, self.citation)
        if sources == () and "sources" in rec:
            self.note(
                path + ("sources",),
                'an event needs at least one citation: - {source: ID, quote: "..."}',
            )
        if None in (ident, date, title, summary, kind, status, claims, sources) or not sources:
            return None
        assert ident and date and title and summary and kind and status
        assert claims is not None and sources is not None
        return Event(
            ident,
            date,
            title,
            kind,
            summary,
            sources,
            status,
            spacecraft,
            agencies,
            people,
            claims,
            date_note,
        )

    # -- the whole file ---------------------------------------------------------------

    def dataset(self, raw: object) -> Dataset | None:
        if not isinstance(raw, dict):
            self.note((), f"{_EXPECTED_TOP}; found {_describe(raw)}")
            return None
        for key in raw:
            if key not in SECTIONS:
                hint = difflib.get_close_matches(str(key), SECTIONS, n=1)
                did_you = f"did you mean {hint[0]!r}? " if hint else ""
                self.note(
                    (key,),
                    f"unknown section {'null' if key is None else repr(key)}; {did_you}allowed: {', '.join(SECTIONS)}",
                    at_key=True,
                )
        if "events" not in raw:
            self.note((), "missing the 'events' section")
        built_sources = self.listing(raw, "sources", self.source)
        built_agencies = self.listing(raw, "agencies", self.agency)
        built_people = self.listing(raw, "people", self.person)
        built_craft = self.listing(raw, "spacecraft", self.spacecraft)
        built_events = self.listing(raw, "events", self.event)
        sources = self.unique("source", built_sources, lambda s: s.id)
        agencies = self.unique("agency", built_agencies, lambda a: a.id)
        people = self.unique("person", built_people, lambda p: p.id)
        craft = self.unique("spacecraft", built_craft, lambda c: c.id)
        events = self.unique("event", built_events, lambda e: e.id)

        for path, person in built_people:
            if person.agency is not None:
                self.ref(person.agency, agencies, path + ("agency",), "agency")
        for path, ship in built_craft:
            self.refs(ship.operators, agencies, path + ("operators",), "agency")
        speakers = {**people, **agencies, **sources}
        for path, event in built_events:
            self.refs(event.spacecraft, craft, path + ("spacecraft",), "spacecraft")
            self.refs(event.agencies, agencies, path + ("agencies",), "agency")
            self.refs(event.people, people, path + ("people",), "person")
            for index, cite in enumerate(event.sources):
                self.ref(cite.source, sources, path + ("sources", index, "source"), "source")
            for index, claim in enumerate(event.claims):
                self.ref(claim.source, sources, path + ("claims", index, "source"), "source")
                self.ref(claim.by, speakers, path + ("claims", index, "by"), "person, agency or source")
        if self.found:
            return None
        catalog = Catalog(sources, agencies, people, craft)
        return Dataset(catalog, tuple(sorted(events.values(), key=lambda e: e.sort_key)))
