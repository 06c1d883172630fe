"""The command line's vocabulary: every option and argument type the commands share, with
the checks typer runs on them before a command starts. Usage errors (exit 2) are raised
here, as `typer.BadParameter`, so that a command body only ever sees valid values.

Only cli.py imports this module; it and cli.py are the only modules that import typer
(ruff TID251).
"""

import enum
import os
import re
from pathlib import Path
from typing import Annotated

import typer

from issfacts.formats import TIMELINE_ONLY, Format
from issfacts.model import MONTHS, Kind, PartialDate, Status, days_in_month
from issfacts.query import MonthDay

# -- parsers and callbacks ------------------------------------------------------------------


def _date(value: str) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


_MONTH_DAY = re.compile(r"([0-9]{1,2})(?:-([0-9]{1,2}))?")  # ASCII digits only
_ON_FORMS = "use MM-DD (07-29) or MM (07)"


def _on(value: str) -> MonthDay:
    """`MM-DD` or `MM`, one or two digits each (`7-4` is `07-04`): a day that some year
    has (02-29 is one, 02-30 is not) or a month."""
    text = value.strip()
    match = _MONTH_DAY.fullmatch(text)
    if match is None:
        if re.fullmatch(r"[0-9]{4}(-[0-9]{1,2}){0,2}", text):
            raise typer.BadParameter(
                f"{value!r} has a year; --on matches a day or month in every year: {_ON_FORMS}"
                f" (for that date alone: --since {text} --until {text})"
            )
        raise typer.BadParameter(f"{value!r} is not a day or a month; {_ON_FORMS}")
    month, day = int(match[1]), None if match[2] is None else int(match[2])
    if not 1 <= month <= 12:
        raise typer.BadParameter(f"{value!r}: the month must be 01 to 12; {_ON_FORMS}")
    if day is not None:
        last = days_in_month(2000, month)  # a leap year: 02-29 is a day of some years
        if not 1 <= day <= last:
            raise typer.BadParameter(f"{value!r}: {MONTHS[month - 1]} has days 01 to {last}")
    return MonthDay(month, day)


def _names(ctx: typer.Context, param: typer.CallbackParam, values: list[str] | None) -> list[str]:
    """A repeatable name filter: absent is the empty list, a blank name is a usage error."""
    if ctx.resilient_parsing:  # shell completion: never fail
        return values or []
    for value in values or []:
        if not value.strip():
            raise typer.BadParameter("must not be empty; give a name, id or alias")
    return values or []


def _search_terms(ctx: typer.Context, param: typer.CallbackParam, values: list[str] | None) -> list[str]:
    if not ctx.resilient_parsing:
        for value in values or []:
            if not value.strip():
                raise typer.BadParameter("must not be empty")
    return values or []


def _name(ctx: typer.Context, value: str | None) -> str | None:
    if not ctx.resilient_parsing and value is not None and not value.strip():
        raise typer.BadParameter("must not be empty; give a name, id or alias, or leave it out")
    return value


def _ident(ctx: typer.Context, value: str) -> str:
    if not ctx.resilient_parsing and not value.strip():
        raise typer.BadParameter("must not be empty; give an event id or a part of one (see `issfacts events`)")
    return value


def _idents(ctx: typer.Context, values: list[str]) -> list[str]:
    for value in values:
        _ident(ctx, value)
    return values


def _data(ctx: typer.Context, value: str | None) -> str | None:
    if value is None or value.strip() or ctx.resilient_parsing:
        return value
    source = ctx.get_parameter_source("data")
    if source is not None and source.name == "ENVIRONMENT":
        return None  # ISSFACTS_DATA set but blank: as if unset
    raise typer.BadParameter("must not be empty; give the path of a YAML dataset, or leave --data out")


def _format(ctx: typer.Context, value: Format | None) -> str | None:
    """A format this command prints: html and timelinejs draw the timeline alone."""
    if value in TIMELINE_ONLY and ctx.info_name != "timeline" and not ctx.resilient_parsing:
        assert value is not None
        others = ", ".join(fmt.value for fmt in Format if fmt not in TIMELINE_ONLY)
        raise typer.BadParameter(
            f"{value.value} is a format of `timeline` only (issfacts timeline --format {value.value});"
            f" `{ctx.info_name}` prints {others}"
        )
    return None if value is None else value.value  # typer converts the choice's text again


# -- the options ----------------------------------------------------------------------------

DataOption = Annotated[
    str | None,  # not Path: Path("") is ".", and an empty --data should be said to be empty
    typer.Option(
        "--data",
        metavar="PATH",
        envvar="ISSFACTS_DATA",
        show_default=False,
        callback=_data,
        help="Dataset file to use instead of the bundled one (or /dev/stdin).",
    ),
]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Read the data file directly, ignoring the cache.")]
QuietOption = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="No progress bar on stderr while a large file is read the first time."),
]
NoPagerOption = Annotated[
    bool,
    typer.Option("--no-pager", help="Never page long terminal output (default: ISSFACTS_PAGER, PAGER or less)."),
]

FieldsOption = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="FIELDS",
        help="Only these fields, comma-separated, in this order (sources.outlet for a key in a list); "
        "`--fields help` lists them.",
        show_default=False,
    ),
]

FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        callback=_format,
        help="Output format. Default: table on a terminal, tsv when piped. html and timelinejs: `timeline` only.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]

Since = Annotated[
    PartialDate | None,
    typer.Option(
        parser=_date,
        metavar="DATE",
        help="Events that can be on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD): their latest bound reaches it.",
    ),
]
Until = Annotated[
    PartialDate | None,
    typer.Option(
        parser=_date,
        metavar="DATE",
        help="Events that can be on or before DATE, inclusive at its precision (--until 2021 includes 2021-12-31).",
    ),
]
Within = Annotated[
    bool,
    typer.Option(
        "--within",
        help="Only events whose earliest and latest bounds both lie inside the --since/--until window.",
    ),
]
On = Annotated[
    MonthDay | None,
    typer.Option(
        parser=_on,
        metavar="MM-DD|MM",
        help="Events on this day or in this month of any year (anniversaries), at their precision: a day matches"
        " only events known to be that one day; a month, events within one such month.",
    ),
]
SpacecraftFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--spacecraft",
        metavar="NAME",
        callback=_names,
        help="Involving this spacecraft (name, id or alias; repeat for OR).",
    ),
]
AgencyFilter = Annotated[
    list[str] | None, typer.Option("--agency", metavar="NAME", callback=_names, help="Involving this agency.")
]
PersonFilter = Annotated[
    list[str] | None, typer.Option("--person", metavar="NAME", callback=_names, help="Involving this person.")
]
KindFilter = Annotated[list[Kind] | None, typer.Option("--kind", case_sensitive=False, help="Of this kind.")]
StatusFilter = Annotated[
    list[Status] | None, typer.Option("--status", case_sensitive=False, help="happened or planned.")
]
SearchFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--search",
        metavar="TEXT",
        callback=_search_terms,
        help="Text in the title, summary, quotes or claims (case-insensitive).",
    ),
]


class Facet(str, enum.Enum):
    """A field `stats --by` counts events by: facets.FIELDS, as choices. Here, not in
    facets.py: typer needs it on every run, and facets.py is for `stats` alone."""

    YEAR = "year"
    MONTH = "month"
    KIND = "kind"
    STATUS = "status"
    SPACECRAFT = "spacecraft"
    AGENCY = "agency"
    PERSON = "person"
    SOURCE = "source"


By = Annotated[
    list[Facet] | None,
    typer.Option(
        "--by",
        case_sensitive=False,
        help="Count events by this field; repeat for several. Default: year, kind and status.",
    ),
]
Limit = Annotated[int | None, typer.Option("--limit", "-n", min=0, metavar="N", help="At most N events.")]
Reverse = Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")]

EventId = Annotated[
    str, typer.Argument(metavar="ID", callback=_ident, help="Event id, or a part of it only one event has.")
]
EventIds = Annotated[
    list[str],
    typer.Argument(metavar="ID...", callback=_idents, help="Event ids, or parts of them only one event has each."),
]


class CiteStyle(str, enum.Enum):
    """How `cite` writes a citation: cite.STYLES, as choices. Here, not in cite.py, for the
    reason Facet is: typer needs the choices on every run."""

    TEXT = "text"
    MARKDOWN = "markdown"
    BIBTEX = "bibtex"
    CSL_JSON = "csl-json"
    RIS = "ris"


StyleOption = Annotated[
    CiteStyle,
    typer.Option("--style", "-s", case_sensitive=False, help="Citation style."),
]
SpacecraftName = Annotated[
    str | None, typer.Argument(callback=_name, help="Name, id or alias, e.g. 'Soyuz MS-22', 55S, MLM.")
]
PersonName = Annotated[str | None, typer.Argument(callback=_name, help="Name, id or alias, e.g. 'Alexy Ovchinin'.")]


def _output_path(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise typer.BadParameter("must not be empty; give the path of a file to write")
    return value


SqliteExport = Annotated[
    str | None,
    typer.Option(
        "--sqlite",
        metavar="PATH",
        callback=_output_path,
        help="Write a SQLite database (Datasette, sqlite-utils, DuckDB), and Datasette's metadata beside it.",
    ),
]
JsonExport = Annotated[
    str | None,
    typer.Option(
        "--json",
        metavar="PATH",
        callback=_output_path,
        help="Write the whole dataset as one JSON document (-: stdout).",
    ),
]
MetadataExport = Annotated[
    str | None,
    typer.Option(
        "--metadata",
        metavar="PATH",
        callback=_output_path,
        help="Where Datasette's metadata goes (default: beside the database, facts.db -> facts.metadata.json).",
    ),
]
Force = Annotated[bool, typer.Option("--force", help="Replace files that exist (never the dataset itself).")]


# -- `check` -----------------------------------------------------------------------------------


class CheckFormat(str, enum.Enum):
    """How `check` reports: linter lines, one JSON array, or GitHub Actions annotations."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


DraftPaths = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="[PATH]...",
        show_default=False,
        help="Markdown or text files to check; '-' or none reads stdin.",
    ),
]
CheckText = Annotated[
    str | None, typer.Option("--text", "-t", metavar="TEXT", help="Check this text instead of files.")
]
CheckFormatOption = Annotated[
    CheckFormat,
    typer.Option("--format", "-f", case_sensitive=False, help="text (PATH:LINE:COL: lines), json or github."),
]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Also list the dates that agree with the sources.")]


# -- checks across options ----------------------------------------------------------------


def output_format(fmt: Format | None, as_json: bool, *, stdout_isatty: bool) -> Format:
    """The format asked for, or the default: a table on a terminal, TSV when piped."""
    if as_json:
        if fmt not in (None, Format.JSON):
            raise typer.BadParameter(f"--json conflicts with --format {fmt.value}", param_hint="--json")
        return Format.JSON
    if fmt is not None:
        return fmt
    return Format.TABLE if stdout_isatty else Format.TSV


def check_window(since: PartialDate | None, until: PartialDate | None, within: bool) -> None:
    if since is not None and until is not None and since.first_day > until.last_day:
        raise typer.BadParameter(f"--since {since} is after --until {until}; swap them", param_hint="--since")
    if within and since is None and until is None:
        raise typer.BadParameter("needs a window: give --since DATE, --until DATE or both", param_hint="--within")


def check_export(sqlite: str | None, json: str | None, metadata: str | None) -> None:
    """What `export` is asked to write makes sense: something, in distinct files."""
    if sqlite is None and json is None:
        raise typer.BadParameter("nothing to export: give --sqlite PATH, --json PATH or both", param_hint="--sqlite")
    if sqlite == "-":
        raise typer.BadParameter("a database cannot go to stdout; give a file path", param_hint="--sqlite")
    if metadata is not None and sqlite is None:
        raise typer.BadParameter("describes the --sqlite database; give --sqlite PATH too", param_hint="--metadata")
    if metadata == "-":
        raise typer.BadParameter("the metadata cannot go to stdout; give a file path", param_hint="--metadata")
    metadata_name = "--metadata"
    if sqlite is not None and metadata is None:
        from issfacts.export import metadata_path_for

        metadata, metadata_name = str(metadata_path_for(Path(sqlite))), "the metadata beside the database"
    given = [(n, path) for n, path in (("--sqlite", sqlite), (metadata_name, metadata), ("--json", json)) if path]
    seen: dict[str, str] = {}
    for name, path in given:
        where = os.path.abspath(path)
        if where in seen:
            raise typer.BadParameter(f"is the same file as {seen[where]}; give each its own path", param_hint=name)
        seen[where] = name
