"""The typer app: the global options, and one thin function per command.

A command turns its options into a question (query.Query), asks the store, builds the
records (records.py) and hands them to the formatter of the chosen format (formats.py);
`Session.emit` prints what the formatter made (through a pager when it is taller than the
terminal). Commands raise library errors (errors.py) and
never catch them: entry.run, the one boundary, reports them. Option types and their
checks live in options.py.

No `from __future__ import annotations` here: typer reads every command's parameter
annotations on every run, and string annotations cost it an eval each (243 evals, about
2.5 ms of a 100 ms start-up, in cProfile). Names imported only for the type checker are
quoted by hand instead.
"""

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Generic, TypeVar

import typer

from issfacts import __version__, records, render
from issfacts.formats import TIMELINE_ONLY
from issfacts.options import (
    AgencyFilter,
    By,
    CheckFormat,
    CheckFormatOption,
    CheckText,
    CiteStyle,
    DataOption,
    DraftPaths,
    EventId,
    EventIds,
    FieldsOption,
    Force,
    FormatOption,
    JsonExport,
    JsonOption,
    KindFilter,
    Limit,
    MetadataExport,
    NoCacheOption,
    NoPagerOption,
    On,
    PersonFilter,
    PersonName,
    QuietOption,
    Reverse,
    SearchFilter,
    Since,
    SpacecraftFilter,
    SpacecraftName,
    SqliteExport,
    StatusFilter,
    StyleOption,
    Until,
    Verbose,
    Within,
    check_export,
    check_window,
    output_format,
)
from issfacts.query import Query

if TYPE_CHECKING:
    from issfacts.fields import Selection
    from issfacts.formats import Formatter
    from issfacts.model import Catalog, Person, Spacecraft
    from issfacts.records import EventRecord, NamedRecord
    from issfacts.render import Column, Record
    from issfacts.render_rich import LoadProgress
    from issfacts.rows import RefField
    from issfacts.store import Store

app = typer.Typer(
    name="issfacts",
    help="Sourced facts about US-Russian cooperation and incidents on the International Space Station.",
    invoke_without_command=True,  # no command: the short overview (`_overview`)
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Environment:
    """What the outside world looks like to a command (httpie's idea): whether stdout is a
    terminal, and the environment variables. Tests pass their own as `obj`."""

    def __init__(
        self,
        *,
        stdout_isatty: bool | None = None,
        environ: Mapping[str, str] | None = None,
        stderr_isatty: bool | None = None,
    ) -> None:
        self.stdout_isatty = sys.stdout.isatty() if stdout_isatty is None else stdout_isatty
        self.stderr_isatty = sys.stderr.isatty() if stderr_isatty is None else stderr_isatty
        self.environ: Mapping[str, str] = os.environ if environ is None else environ


class Session:
    """One run: its Environment and the global options; opens the store once, when a
    command first asks."""

    def __init__(
        self, env: Environment, *, data: Path | None, use_cache: bool, use_pager: bool = True, quiet: bool = False
    ) -> None:
        self.env = env
        self.data = data  # --data; None means ISSFACTS_DATA or the bundled file
        self.use_cache = use_cache
        self.use_pager = use_pager
        self.quiet = quiet
        self._store: Store | None = None

    def pager(self) -> str | None:
        """The pager for long terminal output: ISSFACTS_PAGER, else PAGER, else less;
        none with --no-pager, or when the variable is empty or `cat`."""
        if not self.use_pager:
            return None
        environ = self.env.environ
        command = environ.get("ISSFACTS_PAGER", environ.get("PAGER", "less")).strip()
        return command if command not in ("", "cat") else None

    def emit(self, formatter: "Formatter", output: object, *, no_pager: bool = False) -> None:
        """Print what a formatter made: a renderable to the terminal (paged when taller
        than the screen), text as data."""
        if formatter.terminal:
            from issfacts.render_rich import print_to_stdout

            print_to_stdout(output, None if no_pager else self.pager(), self.env.environ)
        else:
            from issfacts.streams import write_data

            assert isinstance(output, str | list)
            write_data(output, json=formatter.json)

    def data_path(self) -> Path:
        from issfacts.datafile import default_path

        return self.data if self.data is not None else default_path(self.env.environ)

    def store(self) -> "Store":
        if self._store is None:
            from issfacts.store import open_store

            bars: list[LoadProgress] = []

            def progress(total: int) -> "LoadProgress | None":
                """A bar for a long first load, on a terminal's stderr unless --quiet."""
                if self.quiet or not self.env.stderr_isatty:
                    return None
                from issfacts.render_rich import LoadProgress

                bars.append(LoadProgress(str(self.data_path()), total))
                return bars[-1]

            try:
                self._store = open_store(
                    self.data_path(), use_cache=self.use_cache, environ=self.env.environ, progress=progress
                )
            finally:
                for bar in bars:
                    bar.close()
        return self._store

    def formatter(self, fmt: FormatOption, as_json: JsonOption) -> "Formatter":
        from issfacts.formats import formatter

        return formatter(output_format(fmt, as_json, stdout_isatty=self.env.stdout_isatty))


def _session(ctx: typer.Context) -> Session:
    session = ctx.find_root().obj
    assert isinstance(session, Session)
    return session


def _say(message: str) -> None:
    from issfacts.render import printable_multiline

    typer.echo(printable_multiline(message), err=True)  # names in messages come from the data


def _version(value: bool) -> None:
    if value:
        typer.echo(f"issfacts {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
    no_pager: NoPagerOption = False,
    quiet: QuietOption = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Sourced facts about US-Russian cooperation and incidents on the International Space Station.

    Every event carries the verbatim quote of the article it comes from.
    """
    env = ctx.obj if isinstance(ctx.obj, Environment) else Environment()
    ctx.obj = Session(
        env, data=None if data is None else Path(data), use_cache=not no_cache, use_pager=not no_pager, quiet=quiet
    )
    if ctx.invoked_subcommand is None:
        _overview(ctx)
        raise typer.Exit()


def _overview(ctx: typer.Context) -> None:
    """What `issfacts` alone prints, as gh does: what it is, its commands, a few examples,
    fitted to the terminal's width (COLUMNS, else the terminal, else 80)."""
    import shutil
    import textwrap

    from issfacts.streams import write_data

    columns = max(40, shutil.get_terminal_size().columns)
    commands = getattr(ctx.command, "commands", {})
    width = max(map(len, commands), default=0)
    limit = columns - width - 4  # two spaces before the name, two after

    def prose(text: str) -> list[str]:
        return textwrap.wrap(text, width=columns, break_on_hyphens=False)

    lines = [
        *prose(
            "issfacts: sourced facts about US-Russian cooperation and incidents on the International Space Station."
        ),
        "",
        "Usage: issfacts [--data PATH] COMMAND [OPTIONS]",
        "",
        "Commands:",
        *(f"  {name:<{width}}  {command.get_short_help_str(limit=limit)}" for name, command in commands.items()),
        "",
        "Examples:",
        *(f"  {line}" for line in OVERVIEW_EXAMPLES),
        "",
        *prose(
            "Run `issfacts COMMAND --help` for a command's options and examples, `issfacts --help` for the global ones."
        ),
    ]
    write_data("\n".join(lines) + "\n")


OVERVIEW_EXAMPLES = (
    "issfacts events --since 2021",
    "issfacts show 2022-12-14-soyuz-ms-22-coolant-leak",
    "issfacts spacecraft 'Soyuz MS-22'",
    "issfacts events --search coolant --json | jq '.[].date'",
)


def examples(*lines: str) -> str:
    """A command's epilog: the example command lines `--help` shows, most useful first.
    tests/test_cli.py runs every one of them, so each must work on the bundled data."""
    shown = "\n\n".join(f"  {line}".replace("[", "\\[") for line in lines)  # literal text, not rich markup
    return f"[bold]Examples[/bold]\n\n{shown}"


def _event_query(
    session: Session,
    *,
    since: Since,
    until: Until,
    within: Within,
    on: On,
    spacecraft: SpacecraftFilter,
    agency: AgencyFilter,
    person: PersonFilter,
    kind: KindFilter,
    status: StatusFilter,
    search: SearchFilter,
    limit: Limit,
    reverse: Reverse,
) -> Query:
    """The question the event filters ask (`events`, `timeline`, `stats`), names resolved."""
    from issfacts.query import resolve_all

    check_window(since, until, within)
    catalog = session.store().catalog
    return Query(
        since=since,
        until=until,
        within=within,
        on=on,
        spacecraft=resolve_all(spacecraft or [], catalog.spacecraft, "spacecraft"),
        agencies=resolve_all(agency or [], catalog.agencies, "agency"),
        people=resolve_all(person or [], catalog.people, "person"),
        kinds=frozenset(kind or ()),
        statuses=frozenset(status or ()),
        search=tuple(search or ()),
        limit=limit,
        reverse=reverse,
    )


def _selection(text: str | None, kind: str) -> "Selection | None":
    """--fields, parsed against the fields of `kind` (fields.KINDS); `--fields help`
    prints them and ends the run; an unknown field is a usage error listing them."""
    if text is None:
        return None
    from issfacts import fields

    if fields.wants_help(text):
        from issfacts.streams import write_data

        write_data(fields.describe(fields.KINDS[kind]))
        raise typer.Exit()
    try:
        return fields.parse(text, fields.KINDS[kind])
    except fields.FieldError as error:
        raise typer.BadParameter(str(error), param_hint="--fields") from None


def _listing(
    formatter: "Formatter",
    records: "Sequence[Record]",
    columns: "Sequence[Column]",
    lines: Sequence[bytes] | None = None,
    selection: "Selection | None" = None,
) -> object:
    """A listing in the chosen format: every column, or only the fields asked for."""
    if selection is None:
        return formatter.listing(records, columns, lines)
    return formatter.listing([selection.project(record) for record in records], selection.columns())


@app.command(
    epilog=examples(
        "issfacts events --since 2021",
        "issfacts events --spacecraft 'Soyuz MS-22' --kind incident",
        "issfacts events --search coolant --json | jq '.[].date'",
        "issfacts events --on 07-29",
    )
)
def events(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    within: Within = False,
    on: On = None,
    spacecraft: SpacecraftFilter = None,
    agency: AgencyFilter = None,
    person: PersonFilter = None,
    kind: KindFilter = None,
    status: StatusFilter = None,
    search: SearchFilter = None,
    limit: Limit = None,
    reverse: Reverse = False,
    fields: FieldsOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """List events in date order, filtered. Filters AND together; a repeated filter ORs.

    Dates may be intervals with honest bounds: events sort by their earliest possible
    day, then their latest, then id. --since/--until match every event that can fall in
    the window; add --within for those that must.
    """
    session = _session(ctx)
    selection = _selection(fields, "event")
    formatter = session.formatter(fmt, as_json)
    query = _event_query(
        session,
        since=since,
        until=until,
        within=within,
        on=on,
        spacecraft=spacecraft,
        agency=agency,
        person=person,
        kind=kind,
        status=status,
        search=search,
        limit=limit,
        reverse=reverse,
    )
    records, lines = _events_for(session, query, formatter, selection)
    session.emit(formatter, _listing(formatter, records, render.EVENT_COLUMNS, lines, selection), no_pager=no_pager)


def _events_for(
    session: Session, query: Query, formatter: "Formatter", selection: "Selection | None"
) -> tuple[list["EventRecord"], list[bytes] | None]:
    """The events `query` selects as the output needs them: their records, or for whole
    JSON output only the UTF-8 lines the store keeps (None: not wanted).

    The lines are written as they are: no record parsed, no json imported, no text
    decoded and encoded again. At a million events, `--since 2021-03 --until 2021-04`
    (8,603 answers) took 480 ms and 154 MiB when it parsed every record, 130 ms and 50
    MiB so (/usr/bin/time; the bundled data's query, 75 ms)."""
    store = session.store()
    if selection is None and formatter.lines_only:
        return [], store.lines(query)
    return [row.record for row in store.select(query)], None


@app.command(
    epilog=examples(
        "issfacts timeline",
        "issfacts timeline --since 2021",
        "issfacts timeline --spacecraft 'Soyuz MS-22' --status planned",
        "issfacts timeline --kind incident --json | jq '.[].title'",
        "issfacts timeline --format html > timeline.html",
    )
)
def timeline(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    within: Within = False,
    on: On = None,
    spacecraft: SpacecraftFilter = None,
    agency: AgencyFilter = None,
    person: PersonFilter = None,
    kind: KindFilter = None,
    status: StatusFilter = None,
    search: SearchFilter = None,
    limit: Limit = None,
    reverse: Reverse = False,
    fields: FieldsOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Events on a time axis, year by year, with the filters of `events`.

    On a terminal: the events per year at the top, then each year's events, one line
    each with a glyph by kind (hollow: planned), intervals drawn as spans, empty years
    compressed. Each event is filed under the year of its earliest bound (its latest
    when the start is open), as `stats --by year` counts it. --format html writes the
    same as one self-contained web page (each event opens on its quotes and sources);
    --format timelinejs, TimelineJS's JSON. The other formats print exactly what
    `events` prints for the same filters.
    """
    session = _session(ctx)
    selection = _selection(fields, "event")
    formatter = session.formatter(fmt, as_json)
    query = _event_query(
        session,
        since=since,
        until=until,
        within=within,
        on=on,
        spacecraft=spacecraft,
        agency=agency,
        person=person,
        kind=kind,
        status=status,
        search=search,
        limit=limit,
        reverse=reverse,
    )
    records, lines = _events_for(session, query, formatter, selection)
    if selection is not None and fmt in TIMELINE_ONLY:
        raise typer.BadParameter(
            f"the {fmt.value} timeline shows whole events; --fields applies to the record formats "
            "(json, jsonl, csv, tsv, markdown, table)",
            param_hint="--fields",
        )
    if selection is None:
        output = formatter.timeline(records, lines, _filters_given(ctx))
    else:  # the fields asked for, in timeline order, as `events --fields` lays them out
        output = _listing(formatter, records, render.EVENT_COLUMNS, lines, selection)
    session.emit(formatter, output, no_pager=no_pager)


OUTPUT_OPTIONS = frozenset({"fmt", "as_json", "no_pager"})


def _filters_given(ctx: typer.Context) -> list[tuple[str, str]]:
    """The filters given to this command, as a page states them: `("--since", "2021")`,
    `("--within", "")`, one pair for each value of a repeated option."""
    import enum

    given = []
    for param in ctx.command.params:
        if param.name in OUTPUT_OPTIONS:
            continue
        name = next((opt for opt in param.opts if opt.startswith("--")), param.opts[0])  # --limit, not -n
        value = ctx.params.get(param.name or "")
        for item in list(value or ()) if getattr(param, "multiple", False) else [value]:
            if item is None or item is False:
                continue
            shown = "" if item is True else str(item.value if isinstance(item, enum.Enum) else item)
            given.append((name, shown))
    return given


N = TypeVar("N", "Spacecraft", "Person")


class Collection(Generic[N]):
    """What `spacecraft` and `people` need to know of their part of the catalog."""

    def __init__(
        self,
        what: str,
        field: "RefField",
        records: "Callable[[Catalog], Mapping[str, N]]",
        record: "Callable[[N, Catalog], NamedRecord]",
        columns: "Sequence[Column]",
        naming: Callable[[frozenset[str]], Query],
    ) -> None:
        self.what = what  # as messages name one: "no person matches ..."
        self.field: RefField = field
        self.records: Callable[[Catalog], Mapping[str, N]] = records
        self.record: Callable[[N, Catalog], NamedRecord] = record
        self.columns: Sequence[Column] = columns
        self.naming: Callable[[frozenset[str]], Query] = naming  # the events naming these ids


SPACECRAFT: "Collection[Spacecraft]" = Collection(
    "spacecraft",
    "spacecraft",
    lambda catalog: catalog.spacecraft,
    records.spacecraft_record,
    render.SPACECRAFT_COLUMNS,
    lambda ids: Query(spacecraft=ids),
)
PEOPLE: "Collection[Person]" = Collection(
    "person",
    "people",
    lambda catalog: catalog.people,
    records.person_record,
    render.PEOPLE_COLUMNS,
    lambda ids: Query(people=ids),
)


def _collection_command(
    session: Session,
    collection: Collection[N],
    name: str | None,
    formatter: "Formatter",
    *,
    fields: str | None,
    no_pager: bool,
) -> None:
    """`spacecraft` and `people`: the whole list with event counts, or one record with its
    events. --fields selects the fields of what is listed: the records, or with NAME its events."""
    from issfacts.query import resolve

    selection = _selection(fields, collection.what if name is None else "event")
    store = session.store()
    catalog = store.catalog
    named = collection.records(catalog)
    if name is None:
        counts = store.counts(collection.field)
        listing = [{**collection.record(item, catalog), "events": counts.get(item.id, 0)} for item in named.values()]
        session.emit(formatter, _listing(formatter, listing, collection.columns, None, selection), no_pager=no_pager)
        return
    item = resolve(name, named, collection.what)
    events_ = [row.record for row in store.select(collection.naming(frozenset([item.id])))]
    record = collection.record(item, catalog)
    if selection is None:
        output = formatter.named(record, events_)
    elif formatter.json:  # the record whole, its events cut down
        output = formatter.named(record, [selection.project(event) for event in events_])  # type: ignore[misc]
    else:  # the events alone, in the fields asked for
        output = _listing(formatter, events_, render.EVENT_COLUMNS, None, selection)
    session.emit(formatter, output, no_pager=no_pager)


@app.command(
    "spacecraft",
    epilog=examples(
        "issfacts spacecraft 'Soyuz MS-22'",
        "issfacts spacecraft 55S --json",
        "issfacts spacecraft",
    ),
)
def spacecraft_command(
    ctx: typer.Context,
    name: SpacecraftName = None,
    fields: FieldsOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Without NAME, every spacecraft; with NAME, that spacecraft and its events."""
    session = _session(ctx)
    formatter = session.formatter(fmt, as_json)
    _collection_command(session, SPACECRAFT, name, formatter, fields=fields, no_pager=no_pager)


@app.command(epilog=examples("issfacts people Rogozin", "issfacts people 'Alexy Ovchinin' --json", "issfacts people"))
def people(
    ctx: typer.Context,
    name: PersonName = None,
    fields: FieldsOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Without NAME, every person; with NAME, that person and their events."""
    session = _session(ctx)
    formatter = session.formatter(fmt, as_json)
    _collection_command(session, PEOPLE, name, formatter, fields=fields, no_pager=no_pager)


@app.command(
    epilog=examples(
        "issfacts show 2022-12-14-soyuz-ms-22-coolant-leak",
        "issfacts show nauka-thruster --format markdown",
        "issfacts show 2018-09-13 --json | jq '.sources[].quote'",
    )
)
def show(
    ctx: typer.Context,
    event_id: EventId,
    fields: FieldsOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """One event in full, as a fact sheet: its dates, claims, and every citation with its quote."""
    session = _session(ctx)
    selection = _selection(fields, "event")
    formatter = session.formatter(fmt, as_json)
    record = session.store().find(event_id).record
    if selection is None:
        output = formatter.event(record)
    elif formatter.json:  # one object, as `show --json` prints, cut down
        output = formatter.event(selection.project(record))  # type: ignore[arg-type]
    else:  # one row, as `events --fields` prints it
        output = _listing(formatter, [record], render.EVENT_COLUMNS, None, selection)
    session.emit(formatter, output, no_pager=no_pager)


@app.command(
    epilog=examples(
        "issfacts cite 2022-12-14-soyuz-ms-22-coolant-leak",
        "issfacts cite nauka-thruster ms-21-coolant --style bibtex > references.bib",
        "issfacts cite 2021-07-29-nauka-docking --style csl-json > nauka.json",
        "issfacts cite 2022-zarya-engineering-support --style ris",
        "issfacts cite ms-22-coolant --style markdown",
    )
)
def cite(ctx: typer.Context, event_ids: EventIds, style: StyleOption = CiteStyle.TEXT) -> None:
    """Citations of the articles behind events, with the quotes they give.

    One citation per event and source, with every quote the event takes
    from it. ID is an event id or a part of one, as for `show`. Unknown
    authors and dates are left out; a date known only to an interval
    keeps its interval.
    """
    from issfacts import cite as citing
    from issfacts.streams import write_data

    store = _session(ctx).store()
    events_ = [store.find(ident).record for ident in event_ids]
    chosen = citing.STYLES[style.value]
    write_data(chosen.render(citing.citations(events_, store.catalog.sources)), json=chosen.json)


@app.command(epilog=examples("issfacts sources", "issfacts sources --format csv > sources.csv"))
def sources(
    ctx: typer.Context,
    fields: FieldsOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """The source articles, with how many events each supports."""
    session = _session(ctx)
    selection = _selection(fields, "source")
    formatter = session.formatter(fmt, as_json)
    store = session.store()
    counts = store.counts("sources")
    listing = [records.source_record(s, counts.get(s.id, 0)) for s in store.catalog.sources.values()]
    session.emit(formatter, _listing(formatter, listing, render.SOURCE_COLUMNS, None, selection), no_pager=no_pager)


@app.command(
    epilog=examples(
        "issfacts stats",
        "issfacts stats --by kind --since 2021",
        "issfacts stats --by spacecraft --by person --status happened",
        "issfacts stats --by month --on 07 --json",
        "issfacts stats --by source --format csv",
    )
)
def stats(
    ctx: typer.Context,
    by: By = None,
    since: Since = None,
    until: Until = None,
    within: Within = False,
    on: On = None,
    spacecraft: SpacecraftFilter = None,
    agency: AgencyFilter = None,
    person: PersonFilter = None,
    kind: KindFilter = None,
    status: StatusFilter = None,
    search: SearchFilter = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Count events by year, month, kind, status, spacecraft, agency, person or source.

    The filters are those of `events`. Without --by: by year, kind and status.

    Each event counts once by year and by month, those of its earliest bound (its
    latest when the start is open), so an event spanning two years counts in the first;
    once by kind and status; and once for each spacecraft, agency, person or outlet it
    names, under (none) if it names none.
    """
    from issfacts import facets

    session = _session(ctx)
    formatter = session.formatter(fmt, as_json)
    query = _event_query(
        session,
        since=since,
        until=until,
        within=within,
        on=on,
        spacecraft=spacecraft,
        agency=agency,
        person=person,
        kind=kind,
        status=status,
        search=search,
        limit=None,
        reverse=False,
    )
    store = session.store()
    fields = [facet.value for facet in by] if by else facets.OVERVIEW
    rows = store.select(query)
    names = facets.source_names(store.catalog) if "source" in fields else {}
    counts = facets.count((row.record for row in rows), fields, names)
    session.emit(formatter, formatter.counts(counts, len(rows)), no_pager=no_pager)


@app.command(
    epilog=examples(
        "issfacts schema events > events.schema.json",
        "issfacts schema",
        "issfacts schema event | jq '.required'",
    )
)
def schema(
    schema_name: Annotated[
        str | None,
        typer.Argument(metavar="NAME", help="Which output: events, event, stats, csl-json, ... (none: the list)."),
    ] = None,
) -> None:
    """The JSON Schema (draft 2020-12) of a JSON output; without NAME, the list of them."""
    from issfacts import json_schema
    from issfacts.streams import write_data

    if schema_name is None:
        listed = json_schema.names()
        width = max(len(name) for name, _ in listed)
        write_data("".join(f"{name:<{width}}  {what}\n" for name, what in listed))
        return
    if not json_schema.known(schema_name):
        known = ", ".join(name for name, _ in json_schema.names())
        raise typer.BadParameter(f"no schema {schema_name!r}; one of {known}", param_hint="NAME")
    write_data(records.json_document(json_schema.schema(schema_name)), json=True)


@app.command(
    epilog=examples("issfacts validate", "issfacts validate my-events.yaml", "issfacts --data my-events.yaml events")
)
def validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(help="Data file to check (default: the active dataset).", show_default=False),
    ] = None,
) -> None:
    """Check a data file: every problem as PATH:LINE:COL: message, like a linter.

    Exit 0 when clean, 1 when there are problems.
    """
    from issfacts.errors import DataError, ExitStatus
    from issfacts.store import check_path

    target = path if path is not None else _session(ctx).data_path()
    try:
        c, events = check_path(target)
    except DataError as error:  # the problems are this command's answer, not its failure
        from issfacts.render import printable
        from issfacts.streams import write_data

        write_data("".join(f"{printable(str(problem))}\n" for problem in error.problems))
        count = len(error.problems)
        _say(f"{target}: {count} problem{'s' if count != 1 else ''}")
        raise typer.Exit(ExitStatus.FAILURE) from None
    _say(
        f"{target}: ok, {events} events, {len(c.sources)} sources, {len(c.spacecraft)} spacecraft, "
        f"{len(c.people)} people, {len(c.agencies)} agencies"
    )


@app.command(
    epilog=examples(
        "issfacts export --sqlite facts.db",
        "issfacts export --json facts.json",
        "issfacts export --json - | jq '.events | length'",
        "issfacts export --sqlite facts.db --json facts.json --force",
    )
)
def export(
    ctx: typer.Context,
    sqlite: SqliteExport = None,
    json_path: JsonExport = None,
    metadata: MetadataExport = None,
    force: Force = False,
) -> None:
    """Write the whole dataset for other tools: a SQLite database, one JSON document, or both.

    --sqlite writes a normalized database (a table per record type, foreign keys, the
    date bounds as indexed columns, full-text search over the events, views that join
    them) that Datasette, sqlite-utils and DuckDB open as it is, and Datasette's metadata
    beside it: publish it with `datasette facts.db -m facts.metadata.json`. --json writes
    every section and every event as the JSON records the other commands print.

    An existing file is replaced only with --force (exit 1 otherwise), and each file is
    written whole or not at all.
    """
    from issfacts import export as exporting
    from issfacts.load import load_path

    check_export(sqlite, json_path, metadata)
    session = _session(ctx)
    data = session.data_path()
    plan = exporting.Plan.of(sqlite, json_path, metadata)
    plan.check(force=force, data=data)
    dataset = load_path(data)
    plan.write(dataset, force=force, data=data)
    if plan.json_to_stdout:
        from issfacts.streams import write_data

        write_data(exporting.dataset_json(dataset), json=True)
    for line in plan.report(dataset):
        _say(line)


@app.command(
    epilog=examples(
        "issfacts check --text 'Nauka docked with the ISS on July 29, 2021.' --verbose",
        "issfacts check --format json --text 'The Soyuz MS-22 leak began in December 2022.' | jq '.[].verdict'",
        "issfacts check --format github --text 'The ISS is to operate until 2028, NASA said.'",
    )
)
def check(
    ctx: typer.Context,
    paths: DraftPaths = None,
    text: CheckText = None,
    fmt: CheckFormatOption = CheckFormat.TEXT,
    verbose: Verbose = False,
) -> None:
    """Fact-check the dates of drafts against the sources, like a linter.

    Each date whose sentence names a known spacecraft, person or agency is compared with
    the event the sentence matches best: conflict (the sources exclude it), ok (they
    allow it; shown with --verbose) or unverified (no event matches well enough), each
    with its citation: `issfacts check draft.md notes.txt`, or `-` (or no PATH) for stdin.
    Exit 1 when there is a conflict or a file cannot be read, else 0.
    """
    from issfacts import check as checker
    from issfacts.errors import ExitStatus
    from issfacts.streams import write_data

    if text is not None and paths:
        raise typer.BadParameter("give --text or PATHs, not both", param_hint="--text")
    session = _session(ctx)
    drafts = [(checker.TEXT_PATH, text)] if text is not None else checker.read_drafts(paths or [Path("-")])
    store = session.store()
    from issfacts.cache import cache_dir

    directory = cache_dir(session.env.environ) if session.use_cache else None
    index = checker.load_index(store.catalog, store.select(Query()), directory)
    findings, unreadable = [], 0
    for path, content in drafts:
        if isinstance(content, checker.Unreadable):
            _say(f"Error: {content}")
            unreadable += 1
            continue
        findings += checker.check_text(content, path, index)
    write_data(checker.EMITTERS[fmt.value](findings, verbose=verbose), json=fmt is CheckFormat.JSON)
    summary = checker.summarize(findings, len(drafts) - unreadable)
    _say(str(summary))
    if summary.conflicts or unreadable:
        raise typer.Exit(ExitStatus.FAILURE)


# Global options that take a value, so the word after them is not the command's name.
GLOBAL_VALUE_OPTIONS = frozenset({"--data"})


def chosen_command(args: Sequence[str]) -> str | None:
    """The command `args` name (`issfacts --data F events ...` -> "events"), or None
    when they name none that exists: no command, a typo, only global options."""
    names = {_command_name(info) for info in app.registered_commands}
    words = iter(args)
    for word in words:
        if word == "--":
            word = next(words, "")
        elif word in GLOBAL_VALUE_OPTIONS:
            next(words, None)
            continue
        elif word.startswith("-"):
            continue
        return word if word in names else None
    return None


def _command_name(info: "typer.models.CommandInfo") -> str:
    assert info.callback is not None
    return info.name or info.callback.__name__.lower().replace("_", "-")  # typer's own rule


def _reflowed(doc: str | None) -> str | None:
    """A docstring with each paragraph on one line: typer's rich help keeps every source
    line break, and then wraps again, so a 90-column docstring read ragged at 80."""
    if doc is None:
        return None
    import inspect

    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in paragraph.splitlines()) for paragraph in paragraphs)


def _reflow_help() -> None:
    for info in app.registered_commands:
        if info.callback is not None:
            info.callback.__doc__ = _reflowed(info.callback.__doc__)
    main_options.__doc__ = _reflowed(main_options.__doc__)


def run(args: Sequence[str] | None = None, *, obj: object = None) -> None:
    """Run the app. typer builds a click command, parameter by parameter, for every
    command on every run (about 4 ms of a 75 ms start-up for 8 commands); a run that
    names its command builds only that one, as click's lazy groups do. Help, the
    overview, a mistyped command and shell completion see them all."""
    argv = list(sys.argv[1:] if args is None else args)
    if any(word in ("-h", "--help") for word in argv):
        _reflow_help()  # only help reads the docstrings
    completing = os.environ.get("_ISSFACTS_COMPLETE")
    name = chosen_command(argv) if completing is None else chosen_command(_completed_words(completing))
    if completing is not None:
        _plain_completion_help()
    everything = app.registered_commands
    if name is not None:
        app.registered_commands = [info for info in everything if _command_name(info) == name]
    try:
        if completing is None:
            app(args=argv, obj=obj, prog_name="issfacts")
        else:
            from issfacts import complete

            command = typer.main.get_command(app)
            complete.attach(command)
            command(args=argv, obj=obj, prog_name="issfacts")
    finally:
        app.registered_commands = everything


def _completed_words(instruction: str) -> list[str]:
    """The words a shell has completed so far (the one being typed left out), as typer's
    completion classes read them from the environment; [] when they cannot be read."""
    from typer._click.shell_completion import split_arg_string

    environ = os.environ
    try:
        if instruction == "complete_bash":
            return split_arg_string(environ.get("COMP_WORDS", ""))[1 : int(environ.get("COMP_CWORD", "0"))]
        typed = environ.get("_TYPER_COMPLETE_ARGS", "")
        words = split_arg_string(typed)[1:]
        return words if typed.endswith(" ") else words[:-1]
    except ValueError:
        return []


def _plain_completion_help() -> None:
    """typer passes each candidate's help through rich markup for zsh and fish: 40 ms of
    imports per TAB, and `[bold]` in a title taken for markup. The help is plain text."""
    from typer import _completion_classes

    if hasattr(_completion_classes, "_sanitize_help_text"):
        _completion_classes._sanitize_help_text = lambda text: text
