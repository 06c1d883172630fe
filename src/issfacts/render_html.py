"""`issfacts timeline --format html`: the timeline as one self-contained HTML page, and
`--format timelinejs`: the same events as TimelineJS JSON.

The page is built from string pieces with the standard library: its CSS and script are
package files (timeline.css, timeline.js) inlined into it, and nothing in it loads
anything else (no font, image, stylesheet or script by URL), so it works from `file://`,
offline, and a Content-Security-Policy meta forbids every load: the only script that
may run is the page's own, by its hash (SCRIPT_SHA256), so even markup that slipped
past the escaping could not run.

What it shows, the terminal timeline's view (render_timeline) in a browser: a header
with the filters and counts, a strip of events per year (each year a link), a legend;
then a section per year (chronology's grouping: each event under the year of its
earliest bound, or its latest when the start is open; empty years between two that have
events compressed into one line; a dense year split by month), one row per event: its
mark by kind (filled: happened, hollow: planned), its readable date
(`render.human_date`), a track of the year's twelve months with the event drawn on it
(a dot for a day, a bar for an interval, a month or a year known only as such, a fade
for an open end, an arrow where it runs on past the year), its title and tags. Planned
events are hollow, dashed and labelled "planned": never colour alone. Each row is a
<details>, so without the script it still opens, by mouse or keyboard, on the summary,
the facts `show` lists, the claims with who made them, and every citation with its
quote and its source. The script (optional, small) adds expand/collapse all, a filter
by kind, opening the event a `#e-ID` link names, and opening all before printing.

Every text from the data is escaped (`text`: `&`, `<`, `>`, `"` and `'`, and control
characters written out as `render.printable` does); no data is ever put in a script or
a style, only in text and in quoted attribute values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from issfacts import __version__
from issfacts.chronology import (
    MARKS,
    OTHER_MARK,
    Year,
    count_text,
    months,
    newest_first,
    nothing_text,
    planned_count,
    year_range,
    years,
)
from issfacts.records import json_document
from issfacts.render import (
    PLANNED_LEGEND,
    cited_sources,
    claim_speaker,
    event_facts,
    human_date,
    printable_multiline,
    source_label,
)

if TYPE_CHECKING:
    from issfacts.records import CitationRecord, ClaimRecord, EventRecord
    from issfacts.render import Filters

HERE = Path(__file__).parent
TITLE = "US-Russian cooperation and incidents on the ISS: a timeline"
# The CSP's hash of timeline.js, so the page's one script may run and no other. Not
# computed per run: hashlib costs 3 ms of start-up (python -X importtime). When the
# script changes, tests/test_html.py fails and prints the new value.
SCRIPT_SHA256 = "zhSsU4NIaDq8wlVmaZEHWsbmULpS4oIWIBoYvc8pXVE="
MONTH_LETTERS = "JFMAMJJASOND"


# -- escaping ---------------------------------------------------------------------------------


def text(value: object) -> str:
    """Data as HTML text or a quoted attribute's value: what `html.escape(quote=True)`
    does (without importing the html module's 2 ms of entities), control characters
    first written out (`\\x1b`) as on a terminal; newlines kept, as white space.
    Chained replaces: five times faster than str.translate here (cProfile)."""
    shown = "" if value is None else str(value)
    if not shown.isprintable():  # a control character, or a newline: rare, and slower to look for
        shown = printable_multiline(shown)
    return (
        shown.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


# -- the page ---------------------------------------------------------------------------------


def page(records: Sequence[EventRecord], filters: Filters = ()) -> str:
    """The whole page: the events (in events order, or reversed) and the filters that chose them."""
    groups = years(records)
    newest = newest_first(records)
    style = (HERE / "timeline.css").read_text(encoding="utf-8")
    script = (HERE / "timeline.js").read_text(encoding="utf-8")
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{SCRIPT_SHA256}'; base-uri 'none'; form-action 'none'"
    )
    body = [
        _header(records, groups, filters),
        '<main id="timeline">',
        *(_year(year, newest) for year in groups),
        '<p class="none">No events match.</p>' if not records else "",
        "</main>",
        f"<footer><p>Made by issfacts {text(__version__)} (<code>issfacts timeline --format html</code>). "
        "Every event carries the verbatim quotes of the articles it comes from; a claim is "
        "attributed to whoever made it, never stated as settled fact.</p></footer>",
    ]
    return "".join(
        [
            "<!DOCTYPE html>\n",
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f'<meta name="generator" content="issfacts {text(__version__)}">\n',
            f"<title>{text(TITLE)}</title>\n",
            f"<style>\n{style}</style>\n",
            "</head>\n<body>\n",
            "\n".join(part for part in body if part),
            f"\n<script>{script}</script>\n",
            "</body>\n</html>\n",
        ]
    )


def _header(records: Sequence[EventRecord], groups: Sequence[Year], filters: Filters) -> str:
    planned = planned_count(records)
    span = ""
    if groups:
        first, last = sorted((groups[0].year, groups[-1].year))
        span = f", {text(year_range(first, last))}"
    order = ", newest first" if newest_first(records) else ""
    if filters:
        chosen = " ".join(f"<code>{text(option)}</code>" for option in _options(filters))
        shown = f"Filters: {chosen}"
    else:
        shown = "Every event in the dataset (no filters)."
    parts = [
        "<header>",
        f"<h1>{text(TITLE)}</h1>",
        f'<p class="counts"><strong>{text(count_text(len(records), planned))}</strong>{span}{order}</p>',
        f'<p class="filters">{shown}</p>',
        _strip(groups) if len(groups) > 1 else "",
        _legend(records),
        _controls(_kinds(records)) if records else "",
        "</header>",
    ]
    return "\n".join(part for part in parts if part)


def _options(filters: Filters) -> list[str]:
    """The filters as typed: `--since 2021`, `--within`."""
    return [" ".join(part for part in pair if part) for pair in filters]


def _strip(groups: Sequence[Year]) -> str:
    """Events per year as a small bar chart, each year a link to its section; a gap of
    empty years as one narrow mark."""
    top = max(len(year.events) for year in groups)
    cells = []
    for year in groups:
        if year.skipped is not None:
            gap = text(nothing_text(year.skipped))
            cells.append(f'<li class="gap" title="{gap}"><span class="visually-hidden">{gap}</span></li>')
        count = len(year.events)
        label = text(f"{year.year}: {count_text(count, planned_count(year.events))}")
        cells.append(
            f'<li><a href="#y{text(year.year)}" title="{label}" aria-label="{label}">'
            f'<span class="n">{count}</span>'
            f'<span class="bar" style="--h:{count / top:.3f}"></span>'
            f'<span class="y">{text(year.year)}</span></a></li>'
        )
    return f'<nav class="strip" aria-label="Events per year"><ol>{"".join(cells)}</ol></nav>'


def _mark(kind: str, *, planned: bool) -> str:
    mark = MARKS.get(kind, OTHER_MARK)
    return mark.planned if planned else mark.happened


def _kinds(records: Sequence[EventRecord]) -> list[str]:
    """The kinds of `records`, in the order of MARKS (any other after them, sorted)."""
    present = {record["kind"] for record in records}
    return [kind for kind in MARKS if kind in present] + sorted(present - MARKS.keys())


def _legend(records: Sequence[EventRecord]) -> str:
    planned = {record["kind"] for record in records if record["status"] == "planned"}
    kinds = _kinds(records)
    if not kinds:
        return ""
    items = [
        f'<li class="k-{text(kind)}"><span class="mark" aria-hidden="true">{_mark(kind, planned=False)}</span> '
        f"{text(kind)}</li>"
        for kind in kinds
    ]
    if planned:
        hollow = "".join(_mark(kind, planned=True) for kind in kinds if kind in planned)
        items.append(
            f'<li class="planned-key"><span class="mark" aria-hidden="true">{hollow}</span> '
            f'{text(PLANNED_LEGEND)}; drawn hollow and dashed, and tagged <span class="tag planned">planned</span></li>'
        )
    tracks = [
        ("point", "a day"),
        ("range", "an interval, or a month known only as such"),
        ("range whole", "a year known only as such"),
        ("range open-end", "an open end"),
        ("range continues", "runs on past the year"),
    ]
    items += [
        f'<li><span class="track key" aria-hidden="true"><span class="bar {cls}"></span></span> {label}</li>'
        for cls, label in tracks
    ]
    return (
        '<section class="legend" aria-label="Legend"><h2 class="visually-hidden">Legend</h2>'
        f'<ul>{"".join(items)}</ul><p class="hint">The track beside each date is its year, January to December.'
        " Open an event for its summary, claims, quotes and sources.</p></section>"
    )


def _controls(kinds: Iterable[str]) -> str:
    """The script's controls, hidden until it runs: without it they would do nothing."""
    boxes = "".join(
        f'<label class="k-{text(kind)}"><input type="checkbox" checked data-kind="{text(kind)}"> '
        f'<span class="mark" aria-hidden="true">{_mark(kind, planned=False)}</span> {text(kind)}</label>'
        for kind in kinds
    )
    return (
        '<div class="controls" id="controls" hidden>'
        '<button type="button" id="expand">Expand all</button> '
        '<button type="button" id="collapse">Collapse all</button>'
        f"<fieldset><legend>Show kinds</legend>{boxes}</fieldset>"
        '<p id="shown" role="status" aria-live="polite"></p></div>'
    )


def _year(year: Year, newest: bool) -> str:
    out = []
    if year.skipped is not None:
        out.append(f'<p class="gap-line">{text(nothing_text(year.skipped))}</p>')
    counts = text(count_text(len(year.events), planned_count(year.events)))
    out.append(
        f'<section class="year" id="y{text(year.year)}" aria-labelledby="h{text(year.year)}">'
        f'<h2 id="h{text(year.year)}"><span class="y">{text(year.year)}</span> '
        f'<span class="count">{counts}</span></h2>'
        f'<div class="ruler" aria-hidden="true">{"".join(f"<span>{m}</span>" for m in MONTH_LETTERS)}</div>'
    )
    for month, events in months(year, newest_first=newest):
        out.append('<div class="group">')
        if month is not None or len(events) != len(year.events):
            label = human_date(f"{year.year}-{month}") if month else f"{year.year}, month not known"
            out.append(f'<h3 class="month">{text(label)}</h3>')
        out.append('<ol class="events">')
        out.extend(_event(record, year.year) for record in events)
        out.append("</ol></div>")
    out.append("</section>")
    return "\n".join(out)


# -- one event --------------------------------------------------------------------------------


def _event(record: EventRecord, year: str) -> str:
    planned = record["status"] == "planned"
    kind = record["kind"]
    classes = f"ev k-{text(kind)}" + (" planned" if planned else "")
    tags = f'<span class="tag kind">{text(kind)}</span>'
    if planned:
        tags += ' <span class="tag planned">planned</span>'
    ident, status = text(record["id"]), text(record["status"])
    return (
        f'<li class="{classes}" id="e-{ident}" data-kind="{text(kind)}" data-status="{status}">'
        "<details><summary>"
        f'<span class="mark" aria-hidden="true">{_mark(kind, planned=planned)}</span>'
        f'<span class="when">{text(human_date(record["date"]))}</span>'
        f"{_track(record, year)}"
        f'<span class="what"><span class="title">{text(record["title"])}</span> {tags}</span>'
        f'</summary><div class="body">{_body(record)}</div></details></li>'
    )


class Track(NamedTuple):
    """Where an event lies on its year's track: from `start` to `end`, fractions of the year."""

    start: float
    end: float
    shape: str  # CSS classes: point, range, whole, open-start, open-end, continues


def track(record: EventRecord, year: str) -> Track | None:
    """The event on the track of `year` (the year it is filed under), or None when its
    bounds cannot be read (not from a validated file)."""
    try:
        first, last = dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
        earliest = None if record["earliest"] is None else dt.date.fromisoformat(record["earliest"])
        latest = None if record["latest"] is None else dt.date.fromisoformat(record["latest"])
    except ValueError:
        return None
    days = (last - first).days + 1
    start = 0.0 if earliest is None or earliest < first else (earliest - first).days / days
    end = 1.0 if latest is None or latest > last else ((latest - first).days + 1) / days
    if earliest is not None and earliest == latest:
        return Track(start, end, "point")
    shape = ["range"]
    if earliest == first and latest == last:
        shape.append("whole")
    if earliest is None:
        shape.append("open-start")
    if latest is None:
        shape.append("open-end")
    elif latest > last:
        shape.append("continues")
    return Track(start, end, " ".join(shape))


def _track(record: EventRecord, year: str) -> str:
    where = track(record, year)
    if where is None:
        return '<span class="track" aria-hidden="true"></span>'
    bounds = text(f"earliest {record['earliest'] or 'open'}, latest {record['latest'] or 'open'}")
    return (
        f'<span class="track" aria-hidden="true" title="{bounds}"><span class="bar {where.shape}" '
        f'style="--a:{where.start:.4f};--b:{where.end:.4f}"></span></span>'
    )


def _body(record: EventRecord) -> str:
    facts = "".join(f"<dt>{text(label)}</dt><dd>{text(value)}</dd>" for label, value in event_facts(record))
    parts = [f'<p class="summary">{text(record["summary"])}</p>', f'<dl class="facts">{facts}</dl>']
    sources = cited_sources(record)
    if record["claims"]:
        claims = "".join(_claim(claim, sources.get(claim["source"])) for claim in record["claims"])
        parts.append(f'<h4>Claims</h4><ul class="claims">{claims}</ul>')
    cites = "".join(_source(cites) for cites in sources.values())
    parts.append(f'<h4>Sources</h4><ul class="sources">{cites}</ul>')
    return "".join(parts)


def _claim(claim: ClaimRecord, cited: Sequence[CitationRecord] | None) -> str:
    where = source_label(cited[0]) if cited else claim["source"]
    return (
        f'<li><p class="claim">{text(claim["claim"])}</p>'
        f'<p class="by">claimed by <em>{text(claim_speaker(claim, cited))}</em>, in {text(where)}</p>'
        f'<blockquote class="quote">{text(claim["quote"])}</blockquote></li>'
    )


def _source(cites: Sequence[CitationRecord]) -> str:
    first = cites[0]
    title = f" <cite>{text(first['title'])}</cite>" if first["outlet"] else ""
    quotes = "".join(f'<blockquote class="quote">{text(cite["quote"])}</blockquote>' for cite in cites)
    return f'<li><p class="source"><strong>{text(source_label(first))}</strong>{title}</p>{quotes}</li>'


# -- TimelineJS -------------------------------------------------------------------------------


def _date_parts(point: str) -> dict[str, int]:
    """A date as written (`2018-10?`) as TimelineJS's date object: only the parts known."""
    numbers = [int(part) for part in point.rstrip("?~%").split("-")]
    return dict(zip(("year", "month", "day")[: len(numbers)], numbers, strict=True))


def _slide(record: EventRecord) -> dict[str, object]:
    """One event as a TimelineJS slide. Its dates are the parts written, so a month stays
    a month; `display_date` is the date as the other views write it. An open end has no
    end_date; an open start (`../2025`) starts at its end, the day that dates it, as the
    timeline files it, and its text says so."""
    start, slash, end = record["date"].partition("/")
    notes = []
    if record["status"] == "planned":
        notes.append(f"<p><strong>Planned</strong>: {text(PLANNED_LEGEND)}.</p>")
    slide: dict[str, object] = {}
    if start == "..":
        slide["start_date"] = _date_parts(end)
        notes.append(f"<p>Open start: known only to be by {text(human_date(end))}.</p>")
    else:
        slide["start_date"] = _date_parts(start)
        if end == "..":
            notes.append(f"<p>Open end: from {text(human_date(start))}, no end known.</p>")
        elif slash:
            slide["end_date"] = _date_parts(end)
    headline = text(record["title"]) + (" (planned)" if record["status"] == "planned" else "")
    slide.update(
        {
            "display_date": text(human_date(record["date"])),
            "text": {"headline": headline, "text": "".join(notes) + _body(record)},
            "group": record["kind"],
            "unique_id": record["id"],
        }
    )
    return slide


def timelinejs(records: Sequence[EventRecord], filters: Filters = ()) -> str:
    """The events as TimelineJS JSON (timeline.knightlab.com/docs/json-format.html): a
    title slide and one slide per event. Its `text` fields are HTML to TimelineJS: the
    data in them is escaped as on the page."""
    shown = " ".join(_options(filters))
    about = count_text(len(records), planned_count(records)) + (f"; filters: {shown}" if shown else "")
    document = {
        "title": {"text": {"headline": text(TITLE), "text": f"<p>{text(about)}</p>"}},
        "events": [_slide(record) for record in records],
        "scale": "human",
    }
    # Safe to paste into a <script> too: no `</` to end it, no line separators that old
    # JavaScript reads as line ends. Both escapes are JSON's own, read back the same.
    return json_document(document).replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
