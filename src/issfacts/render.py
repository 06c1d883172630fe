"""Query results -> the machine formats (json, jsonl, tsv, csv, markdown) as strings.

No rich here: a script asking for JSON should not pay for importing it. The rich table
lives in render_rich.py and reads the same `Rows`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import datetime as dt

    from issfacts.model import Catalog, Event, PartialDate, Person, Source, Spacecraft

Record = dict[str, Any]


class Format(str, enum.Enum):
    TABLE = "table"
    TSV = "tsv"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    MARKDOWN = "markdown"


# -- records: the JSON shape, the contract's field names ---------------------------------


def event_record(event: Event, catalog: Catalog) -> Record:
    sources = catalog.sources
    return {
        "id": event.id,
        "date": str(event.date),
        "earliest": _iso(event.date.earliest),
        "latest": _iso(event.date.latest),
        "title": event.title,
        "kind": event.kind.value,
        "status": event.status.value,
        "summary": event.summary,
        "date_note": event.date_note,
        "spacecraft": [catalog.spacecraft[i].name for i in event.spacecraft],
        "agencies": [catalog.agencies[i].name for i in event.agencies],
        "people": [catalog.people[i].name for i in event.people],
        "claims": [
            {
                "claim": c.claim,
                "by": catalog.speaker_name(c.by),
                "source": c.source,
                "quote": c.quote,
            }
            for c in event.claims
        ],
        "sources": [
            {
                "source": cite.source,
                "outlet": sources[cite.source].outlet,
                "title": sources[cite.source].title,
                "author": sources[cite.source].author,
                **_published(sources[cite.source]),
                "quote": cite.quote,
            }
            for cite in event.sources
        ],
    }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _published(source: Source) -> Record:
    """`published` as written, and its bounds (null when unknown or open)."""
    date = source.published
    if date is None:
        return {"published": None, "published_earliest": None, "published_latest": None}
    return {"published": str(date), "published_earliest": _iso(date.earliest), "published_latest": _iso(date.latest)}


def spacecraft_record(craft: Spacecraft, catalog: Catalog) -> Record:
    return {
        "id": craft.id,
        "name": craft.name,
        "aliases": list(craft.aliases),
        "type": craft.type.value,
        "operators": [catalog.agencies[i].name for i in craft.operators],
    }


def person_record(person: Person, catalog: Catalog) -> Record:
    agency = None if person.agency is None else catalog.agencies[person.agency].name
    return {
        "id": person.id,
        "name": person.name,
        "aliases": list(person.aliases),
        "role": person.role,
        "agency": agency,
    }


def source_record(source: Source, events: int) -> Record:
    return {
        "id": source.id,
        "outlet": source.outlet,
        "title": source.title,
        "author": source.author,
        **_published(source),
        "note": source.note,
        "events": events,
    }


# -- rows: the flat shape shared by tsv, csv, markdown and the rich table ----------------


class Column(NamedTuple):
    name: str
    value: Callable[[Record], object]
    brief: bool = True  # shown in the terminal table, which has to fit a screen
    shown: Callable[[Record], object] | None = None  # how the terminal table shows it, if not as `value`


def _field(name: str) -> Callable[[Record], object]:
    return lambda record: record.get(name)


def _joined(name: str, key: str | None = None) -> Callable[[Record], object]:
    def value(record: Record) -> str:
        items = record.get(name) or []
        return "; ".join(dict.fromkeys(str(item[key] if key else item) for item in items))

    return value


def _table_date(text: str | None) -> str:
    return human_date(text, keep_ends_whole=True)


def _column(name: str, brief: bool = True) -> Column:
    return Column(name, _field(name), brief)


EVENT_COLUMNS = (
    Column("date", _field("date"), shown=lambda record: _table_date(record["date"])),
    _column("id", brief=False),
    _column("kind"),
    _column("status", brief=False),
    _column("title"),
    Column("spacecraft", _joined("spacecraft")),
    Column("agencies", _joined("agencies"), brief=False),
    Column("people", _joined("people"), brief=False),
    Column("sources", _joined("sources", "source")),
    _column("summary", brief=False),
    _column("earliest", brief=False),
    _column("latest", brief=False),
)
SPACECRAFT_COLUMNS = (
    _column("id"),
    _column("name"),
    _column("type"),
    Column("operators", _joined("operators")),
    Column("aliases", _joined("aliases")),
    _column("events"),
)
PEOPLE_COLUMNS = (
    _column("id"),
    _column("name"),
    _column("role"),
    _column("agency"),
    Column("aliases", _joined("aliases")),
    _column("events"),
)
SOURCE_COLUMNS = (
    _column("id"),
    _column("outlet"),
    _column("author"),
    Column("published", _field("published"), shown=lambda record: _table_date(record["published"])),
    _column("title"),
    _column("events"),
    _column("published_earliest", brief=False),
    _column("published_latest", brief=False),
)


# -- dates for people ---------------------------------------------------------------------

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


NO_BREAK = "\u00a0"  # joins the words of one end of an interval in a table cell


def human_date(text: str | None, *, keep_ends_whole: bool = False) -> str:
    """An EDTF date as a reader would write it: `29 Jul - 5 Aug 2021`, `after 11 Feb 2023`,
    `by end of 2028`, `Oct 2018?` (uncertain), `c. 10 Oct 2018` (approximate).

    Parsed from the record's `date` at display time (microseconds): the bounds the
    queries use were computed when the data was compiled. With `keep_ends_whole`, the
    words of each end are joined by NO_BREAK, so a narrow column breaks an interval
    only at its dash.
    """
    shown = _human_date(text)
    if keep_ends_whole:
        return " - ".join(part.replace(" ", NO_BREAK) for part in shown.split(" - "))
    return shown


def _human_date(text: str | None) -> str:
    if text is None:
        return ""
    from issfacts.model import EdtfDate

    try:
        date = EdtfDate.parse(text)
    except ValueError:  # not from a validated file: show it as it is
        return text
    start, end = date.start, date.end
    if not date.interval:
        assert start is not None
        return _qualified(_point(start), date.start_qualifier)
    if start is None:
        assert end is not None
        return "by " + _qualified(_point(end) if end.day else f"end of {_point(end)}", date.end_qualifier)
    if end is None:
        shown = _qualified(_point(start), date.start_qualifier)
        return f"after {shown}" if start.day else f"{shown} or later"
    plain = not date.start_qualifier and not date.end_qualifier
    if start.year == end.year and start.month is not None:
        if plain and start.month == end.month and start.day and end.day:
            return f"{start.day}-{_point(end)}"  # 12-19 Feb 2023
        right = _point(end) if end.month else f"end of {end.year}"
        left = _point(start, with_year=False)
    else:
        left, right = _point(start), _point(end)
    return f"{_qualified(left, date.start_qualifier)} - {_qualified(right, date.end_qualifier)}"


def date_lines(record: Record) -> tuple[str, str | None]:
    """What `show` says of an event's date: the readable date, marked uncertain,
    approximate or planned, and (for anything but a single day) its EDTF form and bounds."""
    text = record["date"]
    shown = human_date(text)
    marks = [word for word, sign in (("uncertain", "?"), ("approximate", "~")) if sign in text or "%" in text]
    if record["status"] == "planned":
        marks.append("planned")
    if marks:
        shown += f" ({', '.join(marks)})"
    earliest, latest = record["earliest"], record["latest"]
    if earliest is not None and earliest == latest:
        return shown, None
    return shown, f"earliest {earliest or 'open'}, latest {latest or 'open'} (EDTF {text})"


def _point(date: PartialDate, *, with_year: bool = True) -> str:
    parts = [str(date.day)] if date.day else []
    if date.month:
        parts.append(_MONTH_ABBR[date.month - 1])
    if with_year:
        parts.append(str(date.year))
    return " ".join(parts)


def _qualified(text: str, qualifier: str) -> str:
    if qualifier in ("~", "%"):
        text = f"c. {text}"
    return text + "?" if qualifier in ("?", "%") else text


# -- hostile text -------------------------------------------------------------------------

# C0 controls, DEL and C1 controls: ESC, BEL and CSI (0x9b) among them. None may reach
# a terminal, whatever the format. And the lone surrogates with which Python stands for
# the bytes of a file name that is not UTF-8: shown as those bytes, escaped (\xff).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\udc80-\udcff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# json.dumps escapes C0 itself; DEL and C1 it would print raw.
_C1 = re.compile(r"[\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    code = ord(char)
    return _NAMED.get(char) or f"\\x{code - 0xDC00 if code >= 0xDC80 else code:02x}"


def printable(text: str) -> str:
    """`text` with every control character written out as an escape (`\\x1b`, `\\n`)."""
    return _CONTROL.sub(_escape, text)


def printable_multiline(text: str) -> str:
    """Like `printable`, but newlines stay newlines (for prose shown in full)."""
    return "\n".join(printable(line) for line in text.split("\n"))


def cell(value: object) -> str:
    if value is None:
        return ""
    return printable(str(value))


# -- formats ------------------------------------------------------------------------------


def json_line(record: Record) -> str:
    import json

    return _C1.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(record, ensure_ascii=False))


def json_array(lines: Sequence[str]) -> str:
    """A JSON array of pre-rendered `json_line`s, one element per line.

    One line per event keeps `grep` useful and lets json's C encoder do the work:
    indent= falls back to its pure-Python encoder, 0.25 ms an event (cProfile).
    """
    if not lines:
        return "[]\n"
    return "[\n  " + ",\n  ".join(lines) + "\n]\n"


def to_json(value: object) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _C1.sub(lambda m: f"\\u{ord(m[0]):04x}", text) + "\n"


def to_jsonl(records: Iterable[Record]) -> str:
    return "".join(json_line(record) + "\n" for record in records)


def to_tsv(records: Iterable[Record], columns: Sequence[Column]) -> str:
    return "".join("\t".join(cell(c.value(r)) for c in columns) + "\n" for r in records)


def to_csv(records: Iterable[Record], columns: Sequence[Column]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(c.name for c in columns)
    for record in records:
        writer.writerow(cell(c.value(record)) for c in columns)
    return out.getvalue()


def _md(value: object) -> str:
    return cell(value).replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(records: Sequence[Record], columns: Sequence[Column]) -> str:
    lines = ["| " + " | ".join(c.name for c in columns) + " |"]
    lines.append("|" + "|".join(" --- " for _ in columns) + "|")
    lines.extend("| " + " | ".join(_md(c.value(r)) for c in columns) + " |" for r in records)
    return "\n".join(lines) + "\n"


def listing(records: Sequence[Record], columns: Sequence[Column], fmt: Format) -> str:
    """A list of records in any machine format."""
    if fmt is Format.JSON:
        return json_array([json_line(record) for record in records])
    if fmt is Format.JSONL:
        return to_jsonl(records)
    if fmt is Format.CSV:
        return to_csv(records, columns)
    if fmt is Format.MARKDOWN:
        return to_markdown(records, columns)
    return to_tsv(records, columns)


def event_detail(record: Record, fmt: Format) -> str:
    """One event in full (`show`)."""
    if fmt is Format.JSON:
        return to_json(record)
    if fmt is Format.JSONL:
        return to_jsonl([record])
    if fmt is Format.CSV:
        return to_csv([record], EVENT_COLUMNS)
    if fmt is Format.MARKDOWN:
        return event_markdown(record)
    return event_tsv(record)


def event_tsv(record: Record) -> str:
    """`field<TAB>value` lines, as `gh ... view` prints when piped; one line per citation."""
    lines = [[c.name, cell(c.value(record))] for c in EVENT_COLUMNS]
    if record["date_note"]:
        lines.append(["date_note", cell(record["date_note"])])
    for claim in record["claims"]:
        lines.append(
            [
                "claim",
                cell(claim["by"]),
                cell(claim["claim"]),
                cell(claim["source"]),
                cell(claim["quote"]),
            ]
        )
    for cite in record["sources"]:
        lines.append(["citation", cell(cite["source"]), cell(cite["quote"])])
    return "".join("\t".join(line) + "\n" for line in lines)


def event_markdown(record: Record) -> str:
    def inline(value: object) -> str:
        return cell(value)

    out = [f"## {inline(record['title'])}", ""]
    shown, bounds = date_lines(record)
    out.append(f"- **Date:** {inline(shown)}")
    if bounds:
        out.append(f"- **Bounds:** {inline(bounds)}")
    if record["date_note"]:
        out.append(f"- **Date note:** {inline(record['date_note'])}")
    out.append(f"- **Kind:** {inline(record['kind'])}")
    for label, key in (
        ("Spacecraft", "spacecraft"),
        ("Agencies", "agencies"),
        ("People", "people"),
    ):
        if record[key]:
            out.append(f"- **{label}:** {inline('; '.join(record[key]))}")
    out.append(f"- **Id:** `{inline(record['id'])}`")
    out += ["", inline(record["summary"]), ""]
    if record["claims"]:
        out += ["### Claims", ""]
        for claim in record["claims"]:
            out.append(f"- {inline(claim['claim'])} — *{inline(claim['by'])}* ({inline(claim['source'])})")
            out.append(f"  > {inline(claim['quote'])}")
        out.append("")
    out += ["### Sources", ""]
    for cite in record["sources"]:
        label = ", ".join(str(x) for x in (cite["outlet"], cite["author"], cite["published"]) if x)
        out.append(f"- {inline(cite['title'])}" + (f" ({inline(label)})" if label else ""))
        out.append(f"  > {inline(cite['quote'])}")
    return "\n".join(out) + "\n"


def record_detail(record: Record, events: Sequence[Record], fmt: Format) -> str:
    """A spacecraft or person with its events (`spacecraft NAME`, `people NAME`)."""
    if fmt is Format.JSON:
        return to_json({**record, "events": list(events)})
    if fmt is Format.JSONL:
        return to_jsonl([{**record, "events": list(events)}])
    if fmt is Format.MARKDOWN:
        head = [f"## {cell(record['name'])}", ""]
        for key, value in record.items():
            if key in ("name",) or value in (None, [], ""):
                continue
            shown = "; ".join(map(str, value)) if isinstance(value, list) else value
            head.append(f"- **{key}:** {cell(shown)}")
        return "\n".join(head) + "\n\n" + to_markdown(events, EVENT_COLUMNS)
    return listing(events, EVENT_COLUMNS, fmt)
