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
from issfacts.options import (
    AgencyFilter,
    By,
    DataOption,
    EventId,
    FormatOption,
    JsonOption,
    KindFilter,
    Limit,
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

            assert isinstance(output, str)
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
    rows = session.store().select(query)
    # The rows carry their JSON lines: JSON output needs no record built, no json import.
    listing = formatter.listing([row.record for row in rows], render.EVENT_COLUMNS, [row.line for row in rows])
    session.emit(formatter, listing, no_pager=no_pager)


@app.command(
    epilog=examples(
        "issfacts timeline",
        "issfacts timeline --since 2021",
        "issfacts timeline --spacecraft 'Soyuz MS-22' --status planned",
        "issfacts timeline --kind incident --json | jq '.[].title'",
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
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Events on a time axis, year by year, with the filters of `events`.

    On a terminal: the events per year at the top, then each year's events, one line
    each with a glyph by kind (hollow: planned), intervals drawn as spans, empty years
    compressed. Each event is filed under the year of its earliest bound (its latest
    when the start is open), as `stats --by year` counts it. The other formats print
    exactly what `events` prints for the same filters.
    """
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
        limit=limit,
        reverse=reverse,
    )
    rows = session.store().select(query)
    output = formatter.timeline([row.record for row in rows], [row.line for row in rows])
    session.emit(formatter, output, no_pager=no_pager)


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
    session: Session, collection: Collection[N], name: str | None, formatter: "Formatter", *, no_pager: bool
) -> None:
    """`spacecraft` and `people`: the whole list with event counts, or one record with its events."""
    from issfacts.query import resolve

    store = session.store()
    catalog = store.catalog
    named = collection.records(catalog)
    if name is None:
        counts = store.counts(collection.field)
        listing = [{**collection.record(item, catalog), "events": counts.get(item.id, 0)} for item in named.values()]
        session.emit(formatter, formatter.listing(listing, collection.columns), no_pager=no_pager)
        return
    item = resolve(name, named, collection.what)
    events_ = [row.record for row in store.select(collection.naming(frozenset([item.id])))]
    session.emit(formatter, formatter.named(collection.record(item, catalog), events_), no_pager=no_pager)


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
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Without NAME, every spacecraft; with NAME, that spacecraft and its events."""
    session = _session(ctx)
    _collection_command(session, SPACECRAFT, name, session.formatter(fmt, as_json), no_pager=no_pager)


@app.command(epilog=examples("issfacts people Rogozin", "issfacts people 'Alexy Ovchinin' --json", "issfacts people"))
def people(
    ctx: typer.Context,
    name: PersonName = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Without NAME, every person; with NAME, that person and their events."""
    session = _session(ctx)
    _collection_command(session, PEOPLE, name, session.formatter(fmt, as_json), no_pager=no_pager)


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
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """One event in full, as a fact sheet: its dates, claims, and every citation with its quote."""
    session = _session(ctx)
    formatter = session.formatter(fmt, as_json)
    session.emit(formatter, formatter.event(session.store().find(event_id).record), no_pager=no_pager)


@app.command(epilog=examples("issfacts sources", "issfacts sources --format csv > sources.csv"))
def sources(
    ctx: typer.Context, fmt: FormatOption = None, as_json: JsonOption = False, no_pager: NoPagerOption = False
) -> None:
    """The source articles, with how many events each supports."""
    session = _session(ctx)
    formatter = session.formatter(fmt, as_json)
    store = session.store()
    counts = store.counts("sources")
    listing = [records.source_record(s, counts.get(s.id, 0)) for s in store.catalog.sources.values()]
    session.emit(formatter, formatter.listing(listing, render.SOURCE_COLUMNS), no_pager=no_pager)


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


def run(args: Sequence[str] | None = None, *, obj: object = None) -> None:
    """Run the app. typer builds a click command, parameter by parameter, for every
    command on every run (about 4 ms of a 75 ms start-up for 8 commands); a run that
    names its command builds only that one, as click's lazy groups do. Help, the
    overview, a mistyped command and shell completion see them all."""
    argv = list(sys.argv[1:] if args is None else args)
    name = None if "_ISSFACTS_COMPLETE" in os.environ else chosen_command(argv)
    everything = app.registered_commands
    if name is not None:
        app.registered_commands = [info for info in everything if _command_name(info) == name]
    try:
        app(args=argv, obj=obj, prog_name="issfacts")
    finally:
        app.registered_commands = everything
