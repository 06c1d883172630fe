"""One formatter per output format, behind one lookup (`formatter`), as jrnl has one
exporter per format behind `get_exporter`.

A formatter turns the four kinds of answer into its output: a listing (`events`,
`spacecraft`, `people`, `sources`), one event in full (`show`), one spacecraft or person
with its events (`spacecraft NAME`, `people NAME`), and counts (`stats`: a listing of
COUNT_COLUMNS in the machine formats, bars on the terminal). Machine formats return text, which
cli.py writes with streams.write_data; the terminal's returns a rich renderable
(render_rich.TableFormatter), imported only when it is chosen, so a script asking for
JSON never pays for rich. A new format is a class here (or in render_rich.py) and one
line in FORMATTERS.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from issfacts.records import json_array, json_array_pieces, json_document, json_line, json_lines_pieces
from issfacts.render import EVENT_COLUMNS, Column, Record, cell, citation_label, detail_fields, event_facts

if TYPE_CHECKING:
    from issfacts.facets import Count
    from issfacts.records import CitationRecord, EventRecord, NamedRecord
    from issfacts.render import Filters


class Format(str, enum.Enum):
    TABLE = "table"
    TSV = "tsv"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"
    TIMELINEJS = "timelinejs"


# Formats that draw the timeline, not records: `timeline` alone takes them, and every
# other command refuses them as a usage error (options.FormatOption's callback).
TIMELINE_ONLY = frozenset({Format.HTML, Format.TIMELINEJS})


class Formatter(Protocol):
    terminal: bool  # prints a rich renderable to a terminal, rather than text
    json: bool  # JSON: escaped, not recoded, for a stdout that is not UTF-8 (streams.write_data)
    # A listing or timeline of events made from their JSON lines alone: the command then
    # asks the store for the lines (Store.lines) and no record is parsed (records=()).
    lines_only: bool

    def listing(
        self, records: Sequence[Record], columns: Sequence[Column], lines: Sequence[bytes] | None = None
    ) -> object:
        """Records in a list. `lines` are the records as UTF-8 JSON lines already, given
        instead of records to a formatter that is `lines_only`."""
        ...

    def event(self, record: EventRecord) -> object:
        """One event in full."""
        ...

    def named(self, record: NamedRecord, events: Sequence[EventRecord]) -> object:
        """A spacecraft or a person, with its events."""
        ...

    def counts(self, counts: Sequence[Count], events: int) -> object:
        """`stats`: how many of `events` events have each value of the fields counted."""
        ...

    def timeline(
        self, records: Sequence[EventRecord], lines: Sequence[bytes] | None = None, filters: Filters = ()
    ) -> object:
        """`timeline`: the events on a time axis; in the machine formats, what `events` prints.
        `filters` are the options that chose the events, for a page to say (html)."""
        ...


# `stats` in the machine formats: a listing of (field, value, count) records, so the
# JSON is `[{"field": ..., "value": ..., "count": ...}]` and csv and tsv have the three.
COUNT_COLUMNS = (
    Column("field", lambda record: record["field"]),
    Column("value", lambda record: record["value"]),
    Column("count", lambda record: record["count"]),
)


def _count_records(counts: Sequence[Count]) -> list[Record]:
    return [row.record() for row in counts]


class Json:
    terminal, json = False, True
    lines_only = True

    def listing(
        self, records: Sequence[Record], columns: Sequence[Column], lines: Sequence[bytes] | None = None
    ) -> str | list[bytes]:
        if lines is not None:
            return json_array_pieces(lines)
        return json_array([json_line(record) for record in records])

    def event(self, record: EventRecord) -> str:
        return json_document(record)

    def named(self, record: NamedRecord, events: Sequence[EventRecord]) -> str:
        return json_document({**record, "events": list(events)})

    def counts(self, counts: Sequence[Count], events: int) -> str | list[bytes]:
        return self.listing(_count_records(counts), COUNT_COLUMNS)

    def timeline(
        self, records: Sequence[EventRecord], lines: Sequence[bytes] | None = None, filters: Filters = ()
    ) -> str | list[bytes]:
        return self.listing(records, EVENT_COLUMNS, lines)


class JsonLines:
    terminal, json = False, True
    lines_only = True

    def listing(
        self, records: Sequence[Record], columns: Sequence[Column], lines: Sequence[bytes] | None = None
    ) -> str | list[bytes]:
        if lines is not None:
            return json_lines_pieces(lines)
        return "".join(json_line(record) + "\n" for record in records)

    def event(self, record: EventRecord) -> str:
        return json_line(record) + "\n"

    def named(self, record: NamedRecord, events: Sequence[EventRecord]) -> str:
        return json_line({**record, "events": list(events)}) + "\n"

    def counts(self, counts: Sequence[Count], events: int) -> str | list[bytes]:
        return self.listing(_count_records(counts), COUNT_COLUMNS)

    def timeline(
        self, records: Sequence[EventRecord], lines: Sequence[bytes] | None = None, filters: Filters = ()
    ) -> str | list[bytes]:
        return self.listing(records, EVENT_COLUMNS, lines)


class Tsv:
    """One record per line, tab-separated, no header: what `cut` and `awk` want."""

    terminal, json = False, False
    lines_only = False

    def listing(
        self, records: Sequence[Record], columns: Sequence[Column], lines: Sequence[bytes] | None = None
    ) -> str:
        return "".join("\t".join(cell(c.value(r)) for c in columns) + "\n" for r in records)

    def event(self, record: EventRecord) -> str:
        """`field<TAB>value` lines, as `gh ... view` prints when piped; one line per citation."""
        lines = [[c.name, cell(c.value(record))] for c in EVENT_COLUMNS]
        if record["date_note"]:
            lines.append(["date_note", cell(record["date_note"])])
        for claim in record["claims"]:
            lines.append(
                ["claim", cell(claim["by"]), cell(claim["claim"]), cell(claim["source"]), cell(claim["quote"])]
            )
        for cite in record["sources"]:
            lines.append(["citation", cell(cite["source"]), cell(cite["quote"])])
        return "".join("\t".join(line) + "\n" for line in lines)

    def named(self, record: NamedRecord, events: Sequence[EventRecord]) -> str:
        return self.listing(events, EVENT_COLUMNS)

    def counts(self, counts: Sequence[Count], events: int) -> str:
        return self.listing(_count_records(counts), COUNT_COLUMNS)

    def timeline(
        self, records: Sequence[EventRecord], lines: Sequence[bytes] | None = None, filters: Filters = ()
    ) -> str:
        return self.listing(records, EVENT_COLUMNS, lines)


class Csv:
    terminal, json = False, False
    lines_only = False

    def listing(
        self, records: Sequence[Record], columns: Sequence[Column], lines: Sequence[bytes] | None = None
    ) -> str:
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(c.name for c in columns)
        for record in records:
            writer.writerow(cell(c.value(record)) for c in columns)
        return out.getvalue()

    def event(self, record: EventRecord) -> str:
        return self.listing([record], EVENT_COLUMNS)

    def named(self, record: NamedRecord, events: Sequence[EventRecord]) -> str:
        return self.listing(events, EVENT_COLUMNS)

    def counts(self, counts: Sequence[Count], events: int) -> str:
        return self.listing(_count_records(counts), COUNT_COLUMNS)

    def timeline(
        self, records: Sequence[EventRecord], lines: Sequence[bytes] | None = None, filters: Filters = ()
    ) -> str:
        return self.listing(records, EVENT_COLUMNS, lines)


def _markdown_cell(value: object) -> str:
    return cell(value).replace("\\", "\\\\").replace("|", "\\|")


class Markdown:
    terminal, json = False, False
    lines_only = False

    def listing(
        self, records: Sequence[Record], columns: Sequence[Column], lines: Sequence[bytes] | None = None
    ) -> str:
        out = ["| " + " | ".join(c.name for c in columns) + " |", "|" + "|".join(" --- " for _ in columns) + "|"]
        out.extend("| " + " | ".join(_markdown_cell(c.value(r)) for c in columns) + " |" for r in records)
        return "\n".join(out) + "\n"

    def event(self, record: EventRecord) -> str:
        out = [f"## {cell(record['title'])}", ""]
        for label, text in event_facts(record):
            out.append(f"- **{label}:** " + (f"`{cell(text)}`" if label == "Id" else cell(text)))
        out += ["", cell(record["summary"]), ""]
        if record["claims"]:
            out += ["### Claims", ""]
            for claim in record["claims"]:
                out.append(f"- {cell(claim['claim'])} — *{cell(claim['by'])}* ({cell(claim['source'])})")
                out.append(f"  > {cell(claim['quote'])}")
            out.append("")
        out += ["### Sources", ""]
        grouped: dict[str, list[CitationRecord]] = {}
        for cite in record["sources"]:
            grouped.setdefault(cite["source"], []).append(cite)
        for cites in grouped.values():  # each article once, its quotes under it
            label = citation_label(cites[0], readable_date=False)
            out.append(f"- {cell(cites[0]['title'])}" + (f" ({cell(label)})" if label else ""))
            for n, cite in enumerate(cites):
                out += [*([""] if n else []), f"  > {cell(cite['quote'])}"]  # one blockquote each
        return "\n".join(out) + "\n"

    def named(self, record: NamedRecord, events: Sequence[EventRecord]) -> str:
        head = [f"## {cell(record['name'])}", ""]
        head.extend(f"- **{key}:** {cell(text)}" for key, text in detail_fields(record, skip=("name",)))
        return "\n".join(head) + "\n\n" + self.listing(events, EVENT_COLUMNS)

    def counts(self, counts: Sequence[Count], events: int) -> str:
        return self.listing(_count_records(counts), COUNT_COLUMNS)

    def timeline(
        self, records: Sequence[EventRecord], lines: Sequence[bytes] | None = None, filters: Filters = ()
    ) -> str:
        return self.listing(records, EVENT_COLUMNS, lines)


class _TimelineOnly:
    """A format of `timeline` alone (TIMELINE_ONLY): the option refuses it on every other
    command before the command runs, so these are never asked for."""

    terminal = lines_only = False

    def listing(
        self, records: Sequence[Record], columns: Sequence[Column], lines: Sequence[bytes] | None = None
    ) -> str:
        raise AssertionError("a timeline-only format was given a listing")

    def event(self, record: EventRecord) -> str:
        raise AssertionError("a timeline-only format was given an event")

    def named(self, record: NamedRecord, events: Sequence[EventRecord]) -> str:
        raise AssertionError("a timeline-only format was given a record")

    def counts(self, counts: Sequence[Count], events: int) -> str:
        raise AssertionError("a timeline-only format was given counts")


class Html(_TimelineOnly):
    """One self-contained HTML page (render_html)."""

    json = False

    def timeline(
        self, records: Sequence[EventRecord], lines: Sequence[bytes] | None = None, filters: Filters = ()
    ) -> str:
        from issfacts.render_html import page

        return page(records, filters)


class TimelineJs(_TimelineOnly):
    """TimelineJS's JSON document (render_html.timelinejs)."""

    json = True

    def timeline(
        self, records: Sequence[EventRecord], lines: Sequence[bytes] | None = None, filters: Filters = ()
    ) -> str:
        from issfacts.render_html import timelinejs

        return timelinejs(records, filters)


def _table() -> Formatter:
    from issfacts.render_rich import TableFormatter

    return TableFormatter()


FORMATTERS: dict[Format, Callable[[], Formatter]] = {
    Format.TABLE: _table,
    Format.TSV: Tsv,
    Format.JSON: Json,
    Format.JSONL: JsonLines,
    Format.CSV: Csv,
    Format.MARKDOWN: Markdown,
    Format.HTML: Html,
    Format.TIMELINEJS: TimelineJs,
}


def formatter(fmt: Format) -> Formatter:
    """The formatter for `fmt`."""
    return FORMATTERS[fmt]()


def names() -> Iterable[str]:
    return (fmt.value for fmt in FORMATTERS)
