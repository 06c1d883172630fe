"""The typer app: global options in the callback, thin commands, the only place that prints.

Each command parses its options, asks the store, renders and prints. Library errors
become `Error: ...` on stderr with the exit status they carry (errors.ExitStatus).
"""

import functools
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from issfacts import __version__
from issfacts.errors import DataError, ExitStatus, IssfactsError
from issfacts.model import Kind, PartialDate, Status
from issfacts.query import Query
from issfacts.render import Format

if TYPE_CHECKING:
    from issfacts.model import Named
    from issfacts.store import Store

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="issfacts",
    help="Sourced facts about US-Russian cooperation and incidents on the International Space Station.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Environment:
    """What the outside world looks like to a command (httpie's idea); tests build their own."""

    def __init__(
        self,
        *,
        stdout_isatty: bool | None = None,
        environ: Mapping[str, str] | None = None,
        data: Path | None = None,
        use_cache: bool = True,
    ) -> None:
        self.stdout_isatty = sys.stdout.isatty() if stdout_isatty is None else stdout_isatty
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.data = data  # --data; None means ISSFACTS_DATA or the bundled file
        self.use_cache = use_cache
        self._store: Store | None = None

    def data_path(self) -> Path:
        from issfacts.datafile import default_path

        return self.data if self.data is not None else default_path(self.environ)

    def store(self) -> "Store":
        if self._store is None:
            from issfacts.store import open_store

            self._store = open_store(self.data_path(), use_cache=self.use_cache, environ=self.environ)
        return self._store


# -- errors, output -------------------------------------------------------------------


def _say(message: str) -> None:
    from issfacts.render import printable_multiline

    typer.echo(printable_multiline(message), err=True)  # names in messages come from the data


def _report(error: IssfactsError) -> None:
    if isinstance(error, DataError):  # the first few problems; `validate` prints them all
        from issfacts.load import MAX_PROBLEMS_SHOWN

        shown = error.problems[:MAX_PROBLEMS_SHOWN]
        _say(f"Error: cannot use the dataset {error.path}:")
        for problem in shown:
            _say(f"  {problem}")
        rest = len(error.problems) - len(shown)
        if rest > 0:
            _say(f"  ... and {rest} more; run `issfacts validate {error.path}` to see them all")
    else:
        _say(f"Error: {error}")


def handles_errors(command: F) -> F:
    """Turn library errors into a message and an exit status (streams and signals are
    entry.py's)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except IssfactsError as error:
            _report(error)
            raise typer.Exit(error.exit_status) from None
        except KeyboardInterrupt:
            raise typer.Exit(ExitStatus.INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


def _write(text: str, *, json: bool = False) -> None:
    from issfacts.streams import write_data

    write_data(text, json=json)


def _print_rich(renderable: object) -> None:
    from issfacts import render_rich

    render_rich.print_to_stdout(renderable)


def _env(ctx: typer.Context) -> Environment:
    env = ctx.find_root().obj
    assert isinstance(env, Environment)
    return env


# -- option types --------------------------------------------------------------------------


def _date(value: str) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def _names(values: list[str] | None, option: str) -> list[str]:
    for value in values or []:
        if not value.strip():
            raise typer.BadParameter("must not be empty; give a name, id or alias", param_hint=option)
    return values or []


def _name(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise typer.BadParameter("must not be empty; give a name, id or alias, or leave it out")
    return value


def _ident(value: str) -> str:
    if not value.strip():
        raise typer.BadParameter("must not be empty; give an event id or a part of one (see `issfacts events`)")
    return value


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Output format. Default: table on a terminal, tsv when piped.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]


def _format(env: Environment, fmt: Format | None, as_json: bool) -> Format:
    if as_json:
        if fmt not in (None, Format.JSON):
            raise typer.BadParameter(f"--json conflicts with --format {fmt.value}", param_hint="--json")
        return Format.JSON
    if fmt is not None:
        return fmt
    return Format.TABLE if env.stdout_isatty else Format.TSV


# -- commands ------------------------------------------------------------------------------


def _data_option(ctx: typer.Context, value: str | None) -> str | None:
    if value is None or value.strip():
        return value
    source = ctx.get_parameter_source("data")
    if source is not None and source.name == "ENVIRONMENT":
        return None  # ISSFACTS_DATA set but blank: as if unset
    raise typer.BadParameter("must not be empty; give the path of a YAML dataset, or leave --data out")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"issfacts {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    data: Annotated[
        str | None,  # not Path: Path("") is ".", and an empty --data should be said to be empty
        typer.Option(
            "--data",
            metavar="PATH",
            envvar="ISSFACTS_DATA",
            show_default=False,
            callback=_data_option,
            help="Dataset file to use instead of the bundled one (or /dev/stdin).",
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Read the data file directly, ignoring the cache.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Sourced facts about US-Russian cooperation and incidents on the International Space Station.

    Every event carries the verbatim quote of the article it comes from.
    """
    if not isinstance(ctx.obj, Environment):
        ctx.obj = Environment()  # tests pass their own through CliRunner.invoke(obj=...)
    ctx.obj.data = None if data is None else Path(data)
    ctx.obj.use_cache = not no_cache


@app.command()
@handles_errors
def events(
    ctx: typer.Context,
    since: Annotated[
        PartialDate | None,
        typer.Option(
            parser=_date,
            metavar="DATE",
            help="Events that can be on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD): their latest bound reaches it.",
        ),
    ] = None,
    until: Annotated[
        PartialDate | None,
        typer.Option(
            parser=_date,
            metavar="DATE",
            help="Events that can be on or before DATE, inclusive at its precision (--until 2021 includes 2021-12-31).",
        ),
    ] = None,
    within: Annotated[
        bool,
        typer.Option(
            "--within",
            help="Only events whose earliest and latest bounds both lie inside the --since/--until window.",
        ),
    ] = False,
    spacecraft: Annotated[
        list[str] | None,
        typer.Option(
            "--spacecraft",
            metavar="NAME",
            help="Involving this spacecraft (name, id or alias; repeat for OR).",
        ),
    ] = None,
    agency: Annotated[list[str] | None, typer.Option("--agency", metavar="NAME", help="Involving this agency.")] = None,
    person: Annotated[list[str] | None, typer.Option("--person", metavar="NAME", help="Involving this person.")] = None,
    kind: Annotated[list[Kind] | None, typer.Option("--kind", case_sensitive=False, help="Of this kind.")] = None,
    status: Annotated[
        list[Status] | None,
        typer.Option("--status", case_sensitive=False, help="happened or planned."),
    ] = None,
    search: Annotated[
        list[str] | None,
        typer.Option(
            "--search",
            metavar="TEXT",
            help="Text in the title, summary, quotes or claims (case-insensitive).",
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=0, metavar="N", help="At most N events.")] = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")] = False,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """List events in date order, filtered. Filters AND together; a repeated filter ORs.

    Dates may be intervals with honest bounds: events sort by their earliest possible
    day, then their latest, then id. --since/--until match every event that can fall in
    the window; add --within for those that must.
    """
    env = _env(ctx)
    output = _format(env, fmt, as_json)
    if since is not None and until is not None and since.first_day > until.last_day:
        raise typer.BadParameter(f"--since {since} is after --until {until}; swap them", param_hint="--since")
    if within and since is None and until is None:
        raise typer.BadParameter("needs a window: give --since DATE, --until DATE or both", param_hint="--within")
    for term in search or []:
        if not term.strip():
            raise typer.BadParameter("must not be empty", param_hint="--search")
    names = {
        key: _names(value, key)
        for key, value in (("--spacecraft", spacecraft), ("--agency", agency), ("--person", person))
    }
    store = env.store()
    catalog = store.catalog
    query = Query(
        since=since,
        until=until,
        within=within,
        spacecraft=_resolve_all(names["--spacecraft"], catalog.spacecraft, "spacecraft"),
        agencies=_resolve_all(names["--agency"], catalog.agencies, "agency"),
        people=_resolve_all(names["--person"], catalog.people, "person"),
        kinds=frozenset(kind or ()),
        statuses=frozenset(status or ()),
        search=tuple(search or ()),
        limit=limit,
        reverse=reverse,
    )
    from issfacts import render

    rows = store.select(query)
    if output is Format.JSON:  # pre-rendered: no json import, no model objects
        _write(render.json_array([row.line for row in rows]), json=True)
    elif output is Format.JSONL:
        _write("".join(row.line + "\n" for row in rows), json=True)
    else:
        _emit_listing([row.record for row in rows], render.EVENT_COLUMNS, output)


def _resolve_all(names: list[str], records: "Mapping[str, Named]", what: str) -> frozenset[str]:
    from issfacts.query import resolve

    return frozenset(resolve(name, records, what).id for name in names)


def _emit_listing(records: list[dict[str, Any]], columns: Any, output: Format, title: str | None = None) -> None:
    from issfacts import render

    if output is Format.TABLE:
        from issfacts import render_rich

        _print_rich(render_rich.table(records, columns, title=title))
    else:
        _write(render.listing(records, columns, output), json=output in (Format.JSON, Format.JSONL))


def _catalog_command(ctx: typer.Context, name: str | None, output: Format, what: str) -> None:
    """`spacecraft` and `people`: the whole list, or one record with its events."""
    from issfacts import render
    from issfacts.query import resolve

    store = _env(ctx).store()
    catalog = store.catalog
    field_name = "spacecraft" if what == "spacecraft" else "people"
    records_by_id: dict[str, Any] = catalog.spacecraft if what == "spacecraft" else catalog.people

    def record(item: Any) -> dict[str, Any]:
        if what == "spacecraft":
            return render.spacecraft_record(item, catalog)
        return render.person_record(item, catalog)

    if name is None:
        counts = store.counts(field_name)
        rows = [{**record(item), "events": counts.get(item.id, 0)} for item in records_by_id.values()]
        columns = render.SPACECRAFT_COLUMNS if what == "spacecraft" else render.PEOPLE_COLUMNS
        _emit_listing(rows, columns, output)
        return
    item = resolve(name, records_by_id, what)
    query = Query(spacecraft=frozenset([item.id])) if what == "spacecraft" else Query(people=frozenset([item.id]))
    events_ = [row.record for row in store.select(query)]
    if output is Format.TABLE:
        from issfacts import render_rich

        _print_rich(render_rich.record_detail(record(item), events_))
    else:
        _write(render.record_detail(record(item), events_, output), json=output in (Format.JSON, Format.JSONL))


@app.command("spacecraft")
@handles_errors
def spacecraft_command(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(callback=_name, help="Name, id or alias, e.g. 'Soyuz MS-22', 55S, MLM."),
    ] = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """Without NAME, every spacecraft; with NAME, that spacecraft and its events."""
    _catalog_command(ctx, name, _format(_env(ctx), fmt, as_json), "spacecraft")


@app.command()
@handles_errors
def people(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(callback=_name, help="Name, id or alias, e.g. 'Alexy Ovchinin'.")
    ] = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """Without NAME, every person; with NAME, that person and their events."""
    _catalog_command(ctx, name, _format(_env(ctx), fmt, as_json), "person")


@app.command()
@handles_errors
def show(
    ctx: typer.Context,
    event_id: Annotated[
        str,
        typer.Argument(metavar="ID", callback=_ident, help="Event id, or a part of it only one event has."),
    ],
    fmt: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """One event in full: summary, people, spacecraft, claims and every citation with its quote."""
    from issfacts import render

    output = _format(_env(ctx), fmt, as_json)
    store = _env(ctx).store()
    record = store.find(event_id).record
    if output is Format.TABLE:
        from issfacts import render_rich

        _print_rich(render_rich.event_detail(record))
    else:
        _write(render.event_detail(record, output), json=output in (Format.JSON, Format.JSONL))


@app.command()
@handles_errors
def sources(ctx: typer.Context, fmt: FormatOption = None, as_json: JsonOption = False) -> None:
    """The source articles, with how many events each supports."""
    from issfacts import render

    output = _format(_env(ctx), fmt, as_json)
    store = _env(ctx).store()
    counts = store.counts("sources")
    records = [render.source_record(s, counts.get(s.id, 0)) for s in store.catalog.sources.values()]
    _emit_listing(records, render.SOURCE_COLUMNS, output)


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(help="Data file to check (default: the active dataset).", show_default=False),
    ] = None,
) -> None:
    """Check a data file; print every problem as PATH:LINE:COL: message (exit 1 if any)."""
    from issfacts.load import load_path

    target = path if path is not None else _env(ctx).data_path()
    try:
        dataset = load_path(target)
    except DataError as error:
        from issfacts.render import printable

        _write("".join(f"{printable(str(problem))}\n" for problem in error.problems))
        count = len(error.problems)
        _say(f"{target}: {count} problem{'s' if count != 1 else ''}")
        raise typer.Exit(ExitStatus.FAILURE) from None
    except KeyboardInterrupt:
        raise typer.Exit(ExitStatus.INTERRUPTED) from None
    c = dataset.catalog
    _say(
        f"{target}: ok, {len(dataset.events)} events, {len(c.sources)} sources, {len(c.spacecraft)} spacecraft, "
        f"{len(c.people)} people, {len(c.agencies)} agencies"
    )
