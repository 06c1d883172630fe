"""`issfacts export`: the whole dataset as files that other tools open as they are.

- `write_sqlite`: a normalized SQLite database, one table per record type and one per
  list an event or a record keeps (in the data's order, by `position`), with declared
  foreign keys, the date bounds as indexed ISO columns, an FTS5 index over what `events
  --search` looks through (in sqlite-utils' layout, which Datasette and sqlite-utils
  detect: `events_fts`, `content=[events]`), and views that join the tables the way
  `show` and `spacecraft NAME` do. `TABLES` and `VIEWS` are its one description: the DDL,
  Datasette's metadata and the README's list all come from them.
- `datasette_metadata`: Datasette's metadata.json for that database: titles,
  descriptions of every table, view and column, the articles as the source, facets.
- `dataset_json`: one JSON document: every catalog section and every event, as the
  JSON records of `events --json`, `spacecraft --json`, `people --json` and `sources
  --json` print them.
- `write_files`: each file written beside its target under a temporary name and renamed
  into place once complete, so a failure or Ctrl-C leaves no file, whole or partial.

Built from the full Dataset (the loaded YAML), not the compiled cache: a claim's rows
name who made it by id and kind (person, agency or source), and the compiled rows keep
only the display name, which two sources of one outlet share.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from issfacts import __version__, records
from issfacts.errors import IssfactsError
from issfacts.rows import compile_rows, count_refs

if TYPE_CHECKING:
    from issfacts.model import Catalog, Dataset, EdtfDate, Event, Source

FORMAT_VERSION = 1  # the layout of the database and of the JSON document (PRAGMA user_version)
GENERATOR = f"issfacts {__version__}"


class ExportError(IssfactsError):
    """A file export cannot or will not write (exit 1): it exists, its directory does not."""


# -- the database's layout --------------------------------------------------------------------


class Column(NamedTuple):
    name: str
    declaration: str  # its SQL type and column constraints
    description: str


class Table(NamedTuple):
    name: str
    description: str
    columns: tuple[Column, ...]
    constraints: tuple[str, ...] = ()  # table constraints: a compound key, UNIQUE, CHECK
    indexes: tuple[str, ...] = ()  # each a column list, one index each
    facets: tuple[str, ...] = ()  # Datasette's suggested facets
    label: str | None = None  # what Datasette shows for a foreign key to this table
    sort: str | None = None  # Datasette's default order

    def ddl(self) -> list[str]:
        lines = [f"{c.name} {c.declaration}" for c in self.columns] + list(self.constraints)
        body = ",\n    ".join(lines)
        statements = [f"CREATE TABLE {self.name} (\n    {body}\n)"]
        for columns in self.indexes:
            suffix = columns.replace(", ", "_")
            statements.append(f"CREATE INDEX {self.name}_{suffix} ON {self.name}({columns})")
        return statements


class View(NamedTuple):
    name: str
    description: str
    select: str
    facets: tuple[str, ...] = ()

    def ddl(self) -> list[str]:
        return [f"CREATE VIEW {self.name} AS\n{self.select.strip()}"]


def _id(what: str) -> Column:
    return Column("id", "TEXT PRIMARY KEY", f"The {what}'s id: a lowercase slug, as the data file writes it.")


def _ref(name: str, table: str, description: str, *, null: bool = False) -> Column:
    return Column(name, f"TEXT{'' if null else ' NOT NULL'} REFERENCES {table}(id)", description)


_POSITION = Column("position", "INTEGER NOT NULL", "Its place in the data file's list, from 1.")
_EVENT = _ref("event_id", "events", "The event.")


def _aliases(owner: str, table: str, what: str) -> Table:
    return Table(
        f"{owner}_aliases",
        f"Other names and spellings of {what} seen in the sources; each matches as the name does.",
        (_ref(f"{owner}_id", table, f"The {owner}."), Column("alias", "TEXT NOT NULL", "The alias."), _POSITION),
        (f"PRIMARY KEY ({owner}_id, alias)",),
        ("alias",),
    )


def _event_link(table: str, ref: str, target: str, what: str) -> Table:
    return Table(
        table,
        f"The {what} each event names, in the event's order.",
        (_EVENT, _ref(ref, target, f"The {what.rstrip('s')}." if what != "people" else "The person."), _POSITION),
        (f"PRIMARY KEY (event_id, {ref})",),
        (ref,),
        facets=(ref,),
    )


TABLES: tuple[Table, ...] = (
    Table(
        "export_info",
        "What wrote this database: generator (issfacts and its version) and format (the layout's version).",
        (
            Column("name", "TEXT PRIMARY KEY", "generator or format."),
            Column("value", "TEXT NOT NULL", "Its value."),
        ),
    ),
    Table(
        "sources",
        "The articles every quote comes from.",
        (
            _id("source"),
            Column("title", "TEXT NOT NULL", "The article's title."),
            Column("outlet", "TEXT", "The publication, or null when the text does not show it."),
            Column("author", "TEXT", "The byline, or null when the text does not show it."),
            Column(
                "published", "TEXT", "When it was published: an EDTF date as written (2021-08-03/2021-08-05), or null."
            ),
            Column(
                "published_earliest",
                "TEXT",
                "The first day published can mean (YYYY-MM-DD); null if open or unknown.",
            ),
            Column(
                "published_latest", "TEXT", "The last day published can mean (YYYY-MM-DD); null if open or unknown."
            ),
            Column("note", "TEXT", "How the outlet, author and date were established."),
            Column("url", "TEXT", "Where the article was read: an absolute http(s) address, or null."),
            Column("accessed", "TEXT", "The day it was read there (YYYY-MM-DD), or null."),
        ),
        indexes=("published_earliest", "published_latest"),
        facets=("outlet",),
        label="title",
    ),
    Table(
        "agencies",
        "Space agencies and companies.",
        (
            _id("agency"),
            Column("name", "TEXT NOT NULL", "Its name."),
            Column("country", "TEXT", "Its country, or null."),
        ),
        facets=("country",),
        label="name",
    ),
    _aliases("agency", "agencies", "the agencies"),
    Table(
        "people",
        "People the events name, spelled as the articles spell them.",
        (
            _id("person"),
            Column("name", "TEXT NOT NULL", "The name, as the articles spell it."),
            Column("role", "TEXT", "Their role (cosmonaut, agency head...), or null."),
            _ref("agency_id", "agencies", "The agency they belong to, or null.", null=True),
        ),
        indexes=("agency_id",),
        facets=("role", "agency_id"),
        label="name",
    ),
    _aliases("person", "people", "people"),
    Table(
        "spacecraft",
        "Spacecraft, station modules, launch vehicles and the station itself.",
        (
            _id("spacecraft"),
            Column("name", "TEXT NOT NULL", "The canonical name."),
            Column("type", "TEXT NOT NULL", "crewed spacecraft, cargo spacecraft, station module, space station..."),
        ),
        facets=("type",),
        label="name",
    ),
    _aliases("spacecraft", "spacecraft", "spacecraft"),
    Table(
        "spacecraft_operators",
        "The agencies that operate each spacecraft.",
        (
            _ref("spacecraft_id", "spacecraft", "The spacecraft."),
            _ref("agency_id", "agencies", "The agency."),
            _POSITION,
        ),
        ("PRIMARY KEY (spacecraft_id, agency_id)",),
        ("agency_id",),
        facets=("agency_id",),
    ),
    Table(
        "events",
        "Dated events, in the order issfacts events lists them (position). Full-text search covers the title, "
        "summary, the citations' quotes and the claims.",
        (
            _id("event"),
            Column("position", "INTEGER NOT NULL UNIQUE", "Its place in date order (earliest, latest, id), from 1."),
            Column(
                "date",
                "TEXT NOT NULL",
                "The EDTF date as written: 2028, 2023-03, 2021-07-29/2021-08-05, ../2025, 2018-10?.",
            ),
            Column("earliest", "TEXT", "The first day the date can mean (YYYY-MM-DD); null for an open start."),
            Column("latest", "TEXT", "The last day the date can mean (YYYY-MM-DD); null for an open end."),
            Column(
                "year", "INTEGER NOT NULL", "The year it is filed under: its earliest bound's, or its latest's if open."
            ),
            Column("title", "TEXT NOT NULL", "A one-line title."),
            Column(
                "kind", "TEXT NOT NULL", "launch, docking, undocking, return, incident, investigation, statement..."
            ),
            Column("status", "TEXT NOT NULL", "happened, or planned when the source was written."),
            Column("summary", "TEXT NOT NULL", "What happened, neutrally: contested causes are claims, not summary."),
            Column("date_note", "TEXT", "How the date was read or bounded, or null."),
            Column("quotes_text", "TEXT NOT NULL", "The citations' quotes, one per line, for full-text search."),
            Column("claims_text", "TEXT NOT NULL", "Each claim and its quote, one per line, for full-text search."),
        ),
        indexes=("earliest", "latest", "year", "kind"),
        facets=("kind", "status", "year"),
        label="title",
        sort="position",
    ),
    _event_link("event_spacecraft", "spacecraft_id", "spacecraft", "spacecraft"),
    _event_link("event_agencies", "agency_id", "agencies", "agencies"),
    _event_link("event_people", "person_id", "people", "people"),
    Table(
        "citations",
        "Every citation: a verbatim passage of a source that supports an event.",
        (
            Column("id", "INTEGER PRIMARY KEY", "A number for the citation, in event and position order."),
            _EVENT,
            _POSITION,
            _ref("source_id", "sources", "The source quoted."),
            Column("quote", "TEXT NOT NULL", "The passage, verbatim."),
        ),
        ("UNIQUE (event_id, position)",),
        ("source_id",),
        facets=("source_id",),
    ),
    Table(
        "claims",
        "Contested statements, each attributed to whoever made it, with its own citation; never settled fact.",
        (
            Column("id", "INTEGER PRIMARY KEY", "A number for the claim, in event and position order."),
            _EVENT,
            _POSITION,
            Column("claim", "TEXT NOT NULL", "What was claimed."),
            Column(
                "by_kind",
                "TEXT NOT NULL CHECK (by_kind IN ('person', 'agency', 'source'))",
                "Who made it: a person, an agency, or the source article itself.",
            ),
            Column("by_id", "TEXT NOT NULL", "The id of whoever made it (in people, agencies or sources, by by_kind)."),
            Column("by_name", "TEXT NOT NULL", "Their name, as 'by' in the JSON output: a source by its outlet."),
            _ref("by_person_id", "people", "by_id when a person made it, else null.", null=True),
            _ref("by_agency_id", "agencies", "by_id when an agency made it, else null.", null=True),
            _ref("by_source_id", "sources", "by_id when the article itself makes it, else null.", null=True),
            _ref("source_id", "sources", "The source the quote comes from."),
            Column("quote", "TEXT NOT NULL", "The passage that reports the claim, verbatim."),
        ),
        (
            "UNIQUE (event_id, position)",
            "CHECK (by_id IS CASE by_kind WHEN 'person' THEN by_person_id WHEN 'agency' THEN by_agency_id "
            "ELSE by_source_id END)",
            "CHECK ((by_person_id IS NOT NULL) + (by_agency_id IS NOT NULL) + (by_source_id IS NOT NULL) = 1)",
        ),
        ("source_id", "by_id"),
        facets=("by_kind", "by_name"),
    ),
)


def _names_of(link: str, ref: str, table: str) -> str:
    """The names an event's link table lists, in order, joined with '; ' (as csv joins them)."""
    return (
        f"(SELECT group_concat(name, '; ') FROM (SELECT t.name AS name FROM {link} l JOIN {table} t "
        f"ON t.id = l.{ref} WHERE l.event_id = e.id ORDER BY l.position))"
    )


def _events_of(table: str, link: str, ref: str, what: str) -> View:
    return View(
        f"{what}_events",
        f"Every event each of the {table} names, in date order: as issfacts {table} NAME lists them.",
        f"""
SELECT t.id AS {ref}, t.name AS name, e.id AS event_id, e.date, e.earliest, e.latest, e.year, e.kind,
       e.status, e.title
FROM {link} l JOIN {table} t ON t.id = l.{ref} JOIN events e ON e.id = l.event_id
ORDER BY t.name, e.position
""",
        ("name", "kind", "year"),
    )


VIEWS: tuple[View, ...] = (
    View(
        "event_timeline",
        "One line per event in date order, with the spacecraft, agencies and people it names and how many "
        "citations and claims it has.",
        f"""
SELECT e.position, e.id, e.date, e.earliest, e.latest, e.year, e.kind, e.status, e.title,
       {_names_of("event_spacecraft", "spacecraft_id", "spacecraft")} AS spacecraft,
       {_names_of("event_agencies", "agency_id", "agencies")} AS agencies,
       {_names_of("event_people", "person_id", "people")} AS people,
       (SELECT count(*) FROM citations c WHERE c.event_id = e.id) AS citations,
       (SELECT count(*) FROM claims c WHERE c.event_id = e.id) AS claims
FROM events e
ORDER BY e.position
""",
        ("kind", "status", "year"),
    ),
    View(
        "event_citations",
        "Every citation with its event and its source's outlet, author, title and date: what issfacts show prints.",
        """
SELECT c.event_id, e.date AS event_date, e.title AS event_title, c.position, c.source_id, s.outlet,
       s.author, s.title AS source_title, s.published, c.quote
FROM citations c JOIN events e ON e.id = c.event_id JOIN sources s ON s.id = c.source_id
ORDER BY e.position, c.position
""",
        ("outlet", "author"),
    ),
    View(
        "event_claims",
        "Every claim with its event, who made it and the source that reports it.",
        """
SELECT k.event_id, e.date AS event_date, e.title AS event_title, k.position, k.claim, k.by_kind, k.by_id,
       k.by_name, k.source_id, s.outlet, s.title AS source_title, k.quote
FROM claims k JOIN events e ON e.id = k.event_id JOIN sources s ON s.id = k.source_id
ORDER BY e.position, k.position
""",
        ("by_name", "by_kind", "outlet"),
    ),
    _events_of("spacecraft", "event_spacecraft", "spacecraft_id", "spacecraft"),
    _events_of("people", "event_people", "person_id", "people"),
    _events_of("agencies", "event_agencies", "agency_id", "agency"),
    View(
        "names",
        "Every name and alias of the spacecraft, people and agencies, with the record it names: the names "
        "--spacecraft, --person and --agency match (case-insensitively).",
        """
SELECT 'spacecraft' AS record, id, name, name AS spelling, 0 AS alias FROM spacecraft
UNION ALL SELECT 'spacecraft', s.id, s.name, a.alias, 1
          FROM spacecraft_aliases a JOIN spacecraft s ON s.id = a.spacecraft_id
UNION ALL SELECT 'person', id, name, name, 0 FROM people
UNION ALL SELECT 'person', p.id, p.name, a.alias, 1 FROM person_aliases a JOIN people p ON p.id = a.person_id
UNION ALL SELECT 'agency', id, name, name, 0 FROM agencies
UNION ALL SELECT 'agency', g.id, g.name, a.alias, 1 FROM agency_aliases a JOIN agencies g ON g.id = a.agency_id
""",
        ("record", "alias"),
    ),
)

FTS_TABLE = "events_fts"
FTS_COLUMNS = ("title", "summary", "quotes_text", "claims_text")
# sqlite-utils' own layout (enable_fts): Datasette and sqlite-utils find the index of a
# table by `content=[table]`. Porter stemming, so "leaks" finds "leak", as readers expect
# of a search box; `events --search` is the exact substring search.
_FTS_DDL = (
    f"CREATE VIRTUAL TABLE [{FTS_TABLE}] USING FTS5 ({', '.join(FTS_COLUMNS)}, "
    "tokenize='porter unicode61 remove_diacritics 2', content=[events])"
)


def schema_statements() -> list[str]:
    statements = [statement for table in TABLES for statement in table.ddl()]
    statements.append(_FTS_DDL)
    statements.extend(statement for view in VIEWS for statement in view.ddl())
    return statements


# -- the rows -------------------------------------------------------------------------------

Record = dict[str, object]


def _year(date: EdtfDate) -> int:
    """The year an event is filed under (as `stats --by year` and the timeline file it)."""
    point = date.start if date.start is not None else date.end
    assert point is not None  # a date has at least one known end
    return point.year


def _speaker_kind(ref: str, catalog: Catalog) -> str:
    """person, agency or source: in Catalog.speaker_name's order, which decides the name too."""
    if ref in catalog.people:
        return "person"
    return "agency" if ref in catalog.agencies else "source"


def _positions(owner: str, ids: Iterable[str], key: str, value: str) -> Iterator[Record]:
    for position, ident in enumerate(ids, 1):
        yield {key: owner, value: ident, "position": position}


def _event_rows(event: Event, position: int) -> Record:
    date = event.date
    return {
        "id": event.id,
        "position": position,
        "date": str(date),
        "earliest": records.iso(date.earliest),
        "latest": records.iso(date.latest),
        "year": _year(date),
        "title": event.title,
        "kind": event.kind.value,
        "status": event.status.value,
        "summary": event.summary,
        "date_note": event.date_note,
        "quotes_text": "\n".join(cite.quote for cite in event.sources),
        "claims_text": "\n".join(f"{claim.claim}\n{claim.quote}" for claim in event.claims),
    }


def _source_row(source: Source, events: int) -> Record:
    """A source as `sources --json` prints it, with where and when it was read."""
    accessed = None if source.accessed is None else str(source.accessed)
    return {**records.source_record(source, events), "url": source.url, "accessed": accessed}


def table_rows(dataset: Dataset) -> dict[str, list[Record]]:
    """Each table's rows, parents before children (foreign keys are checked as they go in)."""
    catalog = dataset.catalog
    tables: dict[str, list[Record]] = {table.name: [] for table in TABLES}
    tables["export_info"] = [
        {"name": "generator", "value": GENERATOR},
        {"name": "format", "value": str(FORMAT_VERSION)},
    ]
    for source in catalog.sources.values():
        tables["sources"].append(_source_row(source, 0))
    for agency in catalog.agencies.values():
        tables["agencies"].append(agency._asdict())
        tables["agency_aliases"] += _positions(agency.id, agency.aliases, "agency_id", "alias")
    for person in catalog.people.values():
        tables["people"].append({**person._asdict(), "agency_id": person.agency})
        tables["person_aliases"] += _positions(person.id, person.aliases, "person_id", "alias")
    for craft in catalog.spacecraft.values():
        tables["spacecraft"].append({"id": craft.id, "name": craft.name, "type": craft.type.value})
        tables["spacecraft_aliases"] += _positions(craft.id, craft.aliases, "spacecraft_id", "alias")
        tables["spacecraft_operators"] += _positions(craft.id, craft.operators, "spacecraft_id", "agency_id")
    for position, event in enumerate(dataset.events, 1):
        tables["events"].append(_event_rows(event, position))
        tables["event_spacecraft"] += _positions(event.id, event.spacecraft, "event_id", "spacecraft_id")
        tables["event_agencies"] += _positions(event.id, event.agencies, "event_id", "agency_id")
        tables["event_people"] += _positions(event.id, event.people, "event_id", "person_id")
        for at, cite in enumerate(event.sources, 1):
            number = len(tables["citations"]) + 1
            tables["citations"].append(
                {"id": number, "event_id": event.id, "position": at, "source_id": cite.source, "quote": cite.quote}
            )
        for at, claim in enumerate(event.claims, 1):
            kind = _speaker_kind(claim.by, catalog)
            tables["claims"].append(
                {
                    "id": len(tables["claims"]) + 1,
                    "event_id": event.id,
                    "position": at,
                    "claim": claim.claim,
                    "by_kind": kind,
                    "by_id": claim.by,
                    "by_name": catalog.speaker_name(claim.by),
                    "by_person_id": claim.by if kind == "person" else None,
                    "by_agency_id": claim.by if kind == "agency" else None,
                    "by_source_id": claim.by if kind == "source" else None,
                    "source_id": claim.source,
                    "quote": claim.quote,
                }
            )
    return tables


def write_sqlite(dataset: Dataset, path: Path) -> None:
    """Write the database into `path`, a new empty file. An error of the disk or the
    file (full, read-only) is an OSError; anything else from SQLite is a bug."""
    import sqlite3

    connection = sqlite3.connect(path, isolation_level=None)  # transactions by hand
    try:
        # No journal: a failed export is deleted whole, never rolled back.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("BEGIN")
        for statement in schema_statements():
            connection.execute(statement)
        rows = table_rows(dataset)
        for table in TABLES:
            names = [column.name for column in table.columns]
            insert = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})"
            connection.executemany(insert, rows[table.name])
        connection.execute(f"INSERT INTO [{FTS_TABLE}]([{FTS_TABLE}]) VALUES ('rebuild')")
        connection.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
        connection.execute("COMMIT")
    except sqlite3.OperationalError as error:
        if not _of_the_disk(error):
            raise
        raise OSError(str(error)) from None
    finally:
        connection.close()


# SQLite's primary result codes for a file that cannot be written: SQLITE_PERM,
# SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN.
_DISK_ERRORS = frozenset({3, 8, 10, 13, 14})


def _of_the_disk(error: Exception) -> bool:
    """Whether a SQLite error is the disk's (full, read-only...) rather than a bug. Python
    3.10 does not say which code an error has: there, every OperationalError is."""
    code = getattr(error, "sqlite_errorcode", None)
    return code is None or code & 0xFF in _DISK_ERRORS


# -- Datasette's metadata ---------------------------------------------------------------------


def _attribution(source: Source) -> str:
    """An article as a reader cites it: outlet, author, title, date; what is unknown left out."""
    parts = [source.outlet or "No outlet shown"]
    if source.author:
        parts.append(source.author)
    parts.append(f"\u201c{source.title}\u201d")
    if source.published is not None:
        parts.append(str(source.published))
    return ", ".join(parts)


def datasette_metadata(dataset: Dataset, database: str) -> dict[str, Any]:
    """Datasette's metadata for the database named `database` (its file's stem)."""
    import html

    sources = list(dataset.catalog.sources.values())
    outlets = list(dict.fromkeys(s.outlet or "an article that shows no outlet" for s in sources))
    about = (
        f"Sourced facts about US-Russian cooperation and incidents on the International Space Station: "
        f"{len(dataset.events)} events, each backed by verbatim quotes of the {len(sources)} articles below. "
        f"Contested causes are recorded as claims attributed to whoever made them. Exported by {GENERATOR}."
    )
    articles = [_attribution(source) for source in sources]
    tables: dict[str, Any] = {}
    for table in TABLES:
        entry: dict[str, Any] = {
            "description": table.description,
            "columns": {column.name: column.description for column in table.columns},
        }
        if table.facets:
            entry["facets"] = list(table.facets)
        if table.label:
            entry["label_column"] = table.label
        if table.sort:
            entry["sort"] = table.sort
        tables[table.name] = entry
    tables["events"]["fts_table"] = FTS_TABLE
    for view in VIEWS:
        tables[view.name] = {"description": view.description, "facets": list(view.facets)}
    return {
        "title": "issfacts: the ISS fact base",
        "description": about + " Sources: " + "; ".join(articles) + ".",
        "description_html": (
            f"<p>{html.escape(about)}</p><p>Sources:</p><ul>"
            + "".join(f"<li>{html.escape(article)}</li>" for article in articles)
            + "</ul>"
        ),
        "source": f"{len(sources)} articles: " + ", ".join(outlets),
        "databases": {database: {"description": about, "tables": tables}},
    }


def metadata_json(dataset: Dataset, database: str) -> str:
    return records.json_document(datasette_metadata(dataset, database))


# -- the JSON document ------------------------------------------------------------------------


def dataset_json(dataset: Dataset) -> str:
    """Every section of the dataset as the JSON records the listing commands print (with
    their `events` counts; sources also with `url` and `accessed`), and every event as
    `events --json` prints it; one record a line, as `events --json` writes its array."""
    catalog = dataset.catalog
    rows = compile_rows(dataset)
    counts = {field: count_refs(rows, field) for field in ("spacecraft", "agencies", "people", "sources")}
    sections: dict[str, list[object]] = {
        "sources": [_source_row(s, counts["sources"].get(s.id, 0)) for s in catalog.sources.values()],
        "agencies": [
            {"id": a.id, "name": a.name, "aliases": list(a.aliases), "country": a.country}
            | {"events": counts["agencies"].get(a.id, 0)}
            for a in catalog.agencies.values()
        ],
        "people": [
            {**records.person_record(p, catalog), "events": counts["people"].get(p.id, 0)}
            for p in catalog.people.values()
        ],
        "spacecraft": [
            {**records.spacecraft_record(c, catalog), "events": counts["spacecraft"].get(c.id, 0)}
            for c in catalog.spacecraft.values()
        ],
    }
    lines = [f'  "generator": {records.json_line(GENERATOR)}', f'  "version": {FORMAT_VERSION}']
    for name, section in sections.items():
        lines.append(f'  "{name}": {_array([records.json_line(item) for item in section])}')
    lines.append(f'  "events": {_array([row.line for row in rows])}')
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _array(lines: list[str]) -> str:
    return "[\n    " + ",\n    ".join(lines) + "\n  ]" if lines else "[]"


# -- writing safely ---------------------------------------------------------------------------


def check_target(path: Path, *, force: bool, data: Path | None) -> None:
    """Refuse a path export must not write, before any work is done: an existing file
    without `force`; whatever `force` says, a directory, the dataset itself, a symbolic
    link, or anything but a regular file (a device such as /dev/null, a FIFO, a socket)."""
    import stat

    from issfacts.datafile import special_kind

    if path.is_dir():
        raise ExportError(f"{path} is a directory; give the path of a file to write, e.g. {path / 'facts.db'}")
    try:
        mode = os.lstat(path).st_mode
    except OSError:  # nothing there (or a path that cannot be: write_files says why)
        return
    if data is not None and _same_file(path, data):
        raise ExportError(f"{path} is the dataset itself; export never writes to it: give another path")
    if stat.S_ISLNK(mode):  # replacing would replace the link, not the file it names
        raise ExportError(f"{path} is a symbolic link; give the path of the file it points to, or another path")
    kind = special_kind(mode)
    if kind is not None:  # never replace /dev/null or a FIFO with a regular file, even with --force
        hint = "; for stdout, write --json -" if stat.S_ISCHR(mode) else ""
        raise ExportError(f"{path} is {kind}, not a regular file; export writes regular files only{hint}")
    if not force:
        raise ExportError(f"{path} exists; pass --force to replace it, or give another path")


def _same_file(path: Path, data: Path) -> bool:
    try:
        return path.samefile(data)
    except OSError:  # the dataset is not a file (stdin) or is gone: it cannot be `path`
        return False


Writer = Callable[[Path], object]  # what it returns is ignored (write_bytes: a count)


def write_files(targets: Sequence[tuple[Path, Writer]], *, force: bool, data: Path | None) -> None:
    """Write each target with its writer: into a new temporary file beside it, renamed
    into place once every file is complete (each checked again just before, as it may
    have appeared meanwhile). A failure or Ctrl-C while writing removes the temporary
    files and touches no target; only the renames, each atomic, come after. An OSError
    (no such directory, no permission, a full disk) becomes an ExportError that says
    which file and why."""
    import tempfile

    if not targets:  # `--json -` alone: nothing goes to a file
        return
    pending: list[tuple[Path, Path]] = []
    current = targets[0][0]
    try:
        for current, write in targets:
            fd, name = tempfile.mkstemp(dir=current.parent, prefix=f".{current.name}.", suffix=".tmp")
            os.close(fd)
            pending.append((current, Path(name)))
            write(Path(name))
            _settle(Path(name))
        for current, temporary in pending:
            check_target(current, force=force, data=data)
            os.replace(temporary, current)
    except OSError as error:
        raise ExportError(_cannot_write(current, error)) from None
    finally:
        for _, temporary in pending:
            temporary.unlink(missing_ok=True)  # gone already once renamed


def _settle(path: Path) -> None:
    """Give the file the mode a new file gets (mkstemp's is 0600) and put it on the disk
    before it takes the target's name, so a crash cannot leave an empty file there."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _cannot_write(path: Path, error: OSError) -> str:
    directory = path.parent
    if isinstance(error, FileNotFoundError) and not directory.is_dir():
        return f"cannot write {path}: the directory {directory} does not exist; create it first, or give another path"
    if isinstance(error, PermissionError):
        return f"cannot write {path}: permission denied in {directory}; give a path in a directory you can write to"
    return f"cannot write {path}: {error.strerror or error}"


# -- what one run writes --------------------------------------------------------------------

STDOUT = "-"


def metadata_path_for(database: Path) -> Path:
    """Where Datasette's metadata goes by default: beside the database, `facts.db` ->
    `facts.metadata.json` (Datasette names the database by its file's stem)."""
    return database.with_name(f"{database.stem}.metadata.json")


class Plan(NamedTuple):
    """The files one `export` writes, and whether the JSON document goes to stdout."""

    sqlite: Path | None
    metadata: Path | None
    json: Path | None
    json_to_stdout: bool

    @classmethod
    def of(cls, sqlite: str | None, json: str | None, metadata: str | None) -> Plan:
        database = None if sqlite is None else Path(sqlite)
        if database is not None and metadata is None:
            metadata = str(metadata_path_for(database))
        return cls(
            database,
            None if metadata is None else Path(metadata),
            None if json in (None, STDOUT) else Path(json),
            json == STDOUT,
        )

    def files(self) -> list[Path]:
        return [path for path in (self.sqlite, self.metadata, self.json) if path is not None]

    def check(self, *, force: bool, data: Path | None) -> None:
        """Refuse now, before the dataset is read, what `write` would refuse."""
        for path in self.files():
            check_target(path, force=force, data=data)

    def write(self, dataset: Dataset, *, force: bool, data: Path | None) -> None:
        targets: list[tuple[Path, Writer]] = []
        if self.sqlite is not None:
            database = self.sqlite
            targets.append((database, lambda path: write_sqlite(dataset, path)))
        if self.metadata is not None and self.sqlite is not None:
            stem = self.sqlite.stem
            targets.append((self.metadata, lambda path: path.write_bytes(metadata_json(dataset, stem).encode())))
        if self.json is not None:
            targets.append((self.json, lambda path: path.write_bytes(dataset_json(dataset).encode())))
        write_files(targets, force=force, data=data)

    def report(self, dataset: Dataset) -> list[str]:
        """What was written, for stderr: one line a file, and how to browse the database."""
        import shlex

        events = len(dataset.events)
        citations = sum(len(event.sources) for event in dataset.events)
        claims = sum(len(event.claims) for event in dataset.events)
        lines = []
        if self.sqlite is not None and self.metadata is not None:
            lines.append(f"wrote {self.sqlite}: {events} events, {citations} citations, {claims} claims")
            lines.append(f"wrote {self.metadata}: Datasette's metadata for it")
            command = f"datasette {shlex.quote(str(self.sqlite))} -m {shlex.quote(str(self.metadata))}"
            lines.append(f"browse it with: {command}")
        if self.json is not None:
            lines.append(f"wrote {self.json}: {events} events and the catalog, as one JSON document")
        return lines
