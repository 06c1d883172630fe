"""The typer app: the global options, and one thin function per command.

A command turns its options into a question (query.Query), asks the store, builds the
records (records.py) and hands them to the formatter of the chosen format (formats.py);
`_emit` prints what the formatter made. Commands raise library errors (errors.py) and
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
from issfacts.options import (
    AgencyFilter,
    DataOption,
    EventId,
    FormatOption,
    JsonOption,
    KindFilter,
    Limit,
    NoCacheOption,
    PersonFilter,
    PersonName,
    Reverse,
    SearchFilter,
    Since,
    SpacecraftFilter,
    SpacecraftName,
    StatusFilter,
    Until,
    Within,
    check_window,
    output_format,
)
from issfacts.query import Query

if TYPE_CHECKING:
    from issfacts.formats import Formatter
    from issfacts.model import Catalog, Person, Spacecraft
    from issfacts.records import NamedRecord
    from issfacts.render import Column
    from issfacts.rows import RefField
    from issfacts.store import Store

app = typer.Typer(
    name="issfacts",
    help="Sourced facts about US-Russian cooperation and incidents on the International Space Station.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Environment:
    """What the outside world looks like to a command (httpie's idea): whether stdout is a
    terminal, and the environment variables. Tests pass their own as `obj`."""

    def __init__(self, *, stdout_isatty: bool | None = None, environ: Mapping[str, str] | None = None) -> None:
        self.stdout_isatty = sys.stdout.isatty() if stdout_isatty is None else stdout_isatty
        self.environ: Mapping[str, str] = os.environ if environ is None else environ


class Session:
    """One run: its Environment and the global options; opens the store once, when a
    command first asks."""

    def __init__(self, env: Environment, *, data: Path | None, use_cache: bool) -> None:
        self.env = env
        self.data = data  # --data; None means ISSFACTS_DATA or the bundled file
        self.use_cache = use_cache
        self._store: Store | None = None

    def data_path(self) -> Path:
        from issfacts.datafile import default_path

        return self.data if self.data is not None else default_path(self.env.environ)

    def store(self) -> "Store":
        if self._store is None:
            from issfacts.store import open_store

            self._store = open_store(self.data_path(), use_cache=self.use_cache, environ=self.env.environ)
        return self._store

    def formatter(self, fmt: FormatOption, as_json: JsonOption) -> "Formatter":
        from issfacts.formats import formatter

        return formatter(output_format(fmt, as_json, stdout_isatty=self.env.stdout_isatty))


def _session(ctx: typer.Context) -> Session:
    session = ctx.find_root().obj
    assert isinstance(session, Session)
    return session


def _emit(formatter: "Formatter", output: object) -> None:
    """Print what a formatter made: a renderable to the terminal, text as data."""
    if formatter.terminal:
        from issfacts.render_rich import print_to_stdout

        print_to_stdout(output)
    else:
        from issfacts.streams import write_data

        assert isinstance(output, str)
        write_data(output, json=formatter.json)


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
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Sourced facts about US-Russian cooperation and incidents on the International Space Station.

    Every event carries the verbatim quote of the article it comes from.
    """
    env = ctx.obj if isinstance(ctx.obj, Environment) else Environment()
    ctx.obj = Session(env, data=None if data is None else Path(data), use_cache=not no_cache)


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
        spacecraft=resolve_all(spacecraft or [], catalog.spacecraft, "spacecraft"),
        agencies=resolve_all(agency or [], catalog.agencies, "agency"),
        people=resolve_all(person or [], catalog.people, "person"),
        kinds=frozenset(kind or ()),
        statuses=frozenset(status or ()),
        search=tuple(search or ()),
        limit=limit,
        reverse=reverse,
    )


@app.command(
    epilog=examples(
        "issfacts events --since 2021",
        "issfacts events --spacecraft 'Soyuz MS-22' --kind incident",
        "issfacts events --search coolant --json | jq '.[].date'",
    )
)
def events(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    within: Within = False,
    spacecraft: SpacecraftFilter = None,
    agency: AgencyFilter = None,
    person: PersonFilter = None,
    kind: KindFilter = None,
    status: StatusFilter = None,
    search: SearchFilter = None,
    limit: Limit = None,
    reverse: Reverse = False,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """List events in date order, filtered. Filters AND together; a repeated filter ORs.

    Dates may be intervals with honest bounds: events sort by their earliest possible
    day, then their latest, then id. --since/--until match every event that can fall in
    the window; add --within for those that must.
    """
    session = _session(ctx)
    formatter = session.formatter(fmt, as_json)
    query = _event_query(
        session,
        since=since,
        until=until,
        within=within,
        spacecraft=spacecraft,
        agency=agency,
        person=person,
        kind=kind,
        status=status,
        search=search,
        limit=limit,
        reverse=reverse,
    )
    rows = session.store().select(query)
    # The rows carry their JSON lines: JSON output needs no record built, no json import.
    _emit(formatter, formatter.listing([row.record for row in rows], render.EVENT_COLUMNS, [row.line for row in rows]))


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


def _collection_command(session: Session, collection: Collection[N], name: str | None, formatter: "Formatter") -> None:
    """`spacecraft` and `people`: the whole list with event counts, or one record with its events."""
    from issfacts.query import resolve

    store = session.store()
    catalog = store.catalog
    named = collection.records(catalog)
    if name is None:
        counts = store.counts(collection.field)
        listing = [{**collection.record(item, catalog), "events": counts.get(item.id, 0)} for item in named.values()]
        _emit(formatter, formatter.listing(listing, collection.columns))
        return
    item = resolve(name, named, collection.what)
    events_ = [row.record for row in store.select(collection.naming(frozenset([item.id])))]
    _emit(formatter, formatter.named(collection.record(item, catalog), events_))


@app.command("spacecraft")
def spacecraft_command(
    ctx: typer.Context, name: SpacecraftName = None, fmt: FormatOption = None, as_json: JsonOption = False
) -> None:
    """Without NAME, every spacecraft; with NAME, that spacecraft and its events."""
    session = _session(ctx)
    _collection_command(session, SPACECRAFT, name, session.formatter(fmt, as_json))


@app.command()
def people(ctx: typer.Context, name: PersonName = None, fmt: FormatOption = None, as_json: JsonOption = False) -> None:
    """Without NAME, every person; with NAME, that person and their events."""
    session = _session(ctx)
    _collection_command(session, PEOPLE, name, session.formatter(fmt, as_json))


@app.command()
def show(ctx: typer.Context, event_id: EventId, fmt: FormatOption = None, as_json: JsonOption = False) -> None:
    """One event in full: summary, people, spacecraft, claims and every citation with its quote."""
    session = _session(ctx)
    formatter = session.formatter(fmt, as_json)
    _emit(formatter, formatter.event(session.store().find(event_id).record))


@app.command()
def sources(ctx: typer.Context, fmt: FormatOption = None, as_json: JsonOption = False) -> None:
    """The source articles, with how many events each supports."""
    session = _session(ctx)
    formatter = session.formatter(fmt, as_json)
    store = session.store()
    counts = store.counts("sources")
    listing = [records.source_record(s, counts.get(s.id, 0)) for s in store.catalog.sources.values()]
    _emit(formatter, formatter.listing(listing, render.SOURCE_COLUMNS))


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(help="Data file to check (default: the active dataset).", show_default=False),
    ] = None,
) -> None:
    """Check a data file; print every problem as PATH:LINE:COL: message (exit 1 if any)."""
    from issfacts.errors import DataError, ExitStatus
    from issfacts.load import load_path

    target = path if path is not None else _session(ctx).data_path()
    try:
        dataset = load_path(target)
    except DataError as error:  # the problems are this command's answer, not its failure
        from issfacts.render import printable
        from issfacts.streams import write_data

        write_data("".join(f"{printable(str(problem))}\n" for problem in error.problems))
        count = len(error.problems)
        _say(f"{target}: {count} problem{'s' if count != 1 else ''}")
        raise typer.Exit(ExitStatus.FAILURE) from None
    c = dataset.catalog
    _say(
        f"{target}: ok, {len(dataset.events)} events, {len(c.sources)} sources, {len(c.spacecraft)} spacecraft, "
        f"{len(c.people)} people, {len(c.agencies)} agencies"
    )
