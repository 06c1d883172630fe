"""`issfacts timeline --format html` and `--format timelinejs`, read as documents.

The page is parsed with the standard library's HTMLParser into a small tree, and checked
for what a reader and a browser rely on: it loads nothing (no URL anywhere, a CSP that
forbids loads and lets only its own script run), every event of the filters is there
once, under the year `stats --by year` counts it in, with its readable date, its
summary, claims, quotes and sources; planned events are marked by more than colour; and
hostile text (tests/data/hostile-html.yaml) comes out as text. The TimelineJS document
is validated against a JSON Schema written from TimelineJS's docs
(tests/data/timelinejs.schema.json). How the page behaves in a real browser:
tests/test_html_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from support import DATA, ok, ok_json

from issfacts import formats, render_html
from issfacts.chronology import MARKS
from issfacts.render import human_date, printable_multiline

HOSTILE = DATA / "hostile-html.yaml"
INTERVALS = DATA / "intervals.yaml"
SCHEMA = DATA / "timelinejs.schema.json"
FILTERS = [
    (),
    ("--since", "2021"),
    ("--kind", "incident", "--kind", "launch"),
    ("--status", "planned", "--reverse"),
    ("--spacecraft", "Soyuz MS-22", "--limit", "3"),
    ("--search", "coolant"),
    ("--on", "07"),
]
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element | str] = []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def walk(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()

    def find(self, match: Callable[[Element], bool]) -> list[Element]:
        return [element for element in self.walk() if match(element)]

    def having(self, name: str) -> list[Element]:
        """The elements of class `name`."""
        return self.find(lambda element: name in element.classes)


class TreeBuilder(HTMLParser):
    """The page as a tree. Strict where a browser would quietly repair: every end tag
    must close the element open, so markup that escaped from the data shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.open = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, self.open)
        self.open.children.append(element)
        if tag not in VOID:
            self.open = element

    def handle_endtag(self, tag: str) -> None:
        assert self.open.tag == tag, f"</{tag}> closes <{self.open.tag}>"
        assert self.open.parent is not None
        self.open = self.open.parent

    def handle_data(self, data: str) -> None:
        self.open.children.append(data)


def parse(page: str) -> Element:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.open is builder.root, f"<{builder.open.tag}> never closed"
    return builder.root


def page(*args: str) -> str:
    """`issfacts ARGS --format html` (ARGS name the command, `timeline`)."""
    written: str = ok(*args, "--format", "html").stdout
    return written


def events_of(root: Element) -> list[Element]:
    return root.find(lambda element: element.tag == "li" and "ev" in element.classes)


def squashed(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def bundled() -> Element:
    return parse(page("timeline"))


@pytest.fixture(scope="module")
def everything() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = ok_json("events")
    return events


# -- nothing loads ----------------------------------------------------------------------------


def test_the_page_names_no_url_and_loads_nothing(bundled: Element) -> None:
    assert not bundled.find(lambda e: e.tag in ("link", "img", "iframe", "object", "embed", "audio", "video"))
    for element in bundled.walk():
        for name in ("src", "srcset", "action", "poster", "data", "formaction"):
            assert name not in element.attrs, (element.tag, name)
        assert element.attrs.get("href", "#").startswith("#"), element.attrs
        assert re.fullmatch(r"(--[abh]:[0-9.]+;?)*", element.attrs.get("style", "")), element.attrs["style"]
    (style,) = bundled.find(lambda e: e.tag == "style")
    assert "url(" not in style.text() and "@import" not in style.text()


def test_the_csp_forbids_every_load_and_runs_only_the_page_script(bundled: Element) -> None:
    (meta,) = bundled.find(lambda e: e.attrs.get("http-equiv") == "Content-Security-Policy")
    policy = dict(part.strip().split(" ", 1) for part in meta.attrs["content"].split(";"))
    assert policy["default-src"] == "'none'"
    (script,) = bundled.find(lambda e: e.tag == "script")
    digest = base64.b64encode(hashlib.sha256(script.text().encode()).digest()).decode()
    assert policy["script-src"] == f"'sha256-{digest}'"


def test_the_csp_hash_is_that_of_the_script() -> None:
    script = (Path(render_html.__file__).parent / "timeline.js").read_bytes()
    digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
    assert digest == render_html.SCRIPT_SHA256, f"timeline.js changed: set SCRIPT_SHA256 = {digest!r}"


# -- every event, where it belongs ---------------------------------------------------------------


@pytest.mark.parametrize("args", FILTERS, ids=" ".join)
def test_every_event_of_the_filters_is_on_the_page_once_in_order(args: tuple[str, ...]) -> None:
    """Year by year (an event under the year `stats` counts it in), in events order within a year."""
    root = parse(page("timeline", *args))
    events = ok_json("events", *args)

    def year(event: dict[str, Any]) -> str:
        start, _, end = str(event["date"]).partition("/")
        return (end if start == ".." else start)[:4]

    expected = sorted(events, key=year, reverse="--reverse" in args)  # stable: events order within a year
    assert [element.attrs["id"] for element in events_of(root)] == [f"e-{event['id']}" for event in expected]


@pytest.mark.parametrize("args", [(), ("--since", "2021"), ("--status", "planned")], ids=" ".join)
def test_each_year_holds_the_events_stats_counts_in_it(args: tuple[str, ...]) -> None:
    root = parse(page("timeline", *args))
    sections = root.find(lambda e: e.tag == "section" and "year" in e.classes)
    found = {section.attrs["id"][1:]: len(events_of(section)) for section in sections}
    assert found == {row["value"]: row["count"] for row in ok_json("stats", "--by", "year", *args)}
    strip = {a.attrs["href"][2:]: int(a.having("n")[0].text()) for a in root.find(lambda e: e.tag == "a")}
    assert strip == found or len(found) == 1  # one year: no strip


def test_empty_years_between_two_are_one_line(bundled: Element) -> None:
    gaps = [squashed(element.text()) for element in bundled.having("gap-line")]
    assert gaps[:2] == ["2001-2013: no events", "2015-2017: no events"]


def test_the_header_states_the_counts_and_the_filters() -> None:
    root = parse(page("timeline", "--since", "2021", "--kind", "incident", "--kind", "launch", "--within"))
    (counts,) = root.having("counts")
    total = len(ok_json("events", "--since", "2021", "--kind", "incident", "--kind", "launch", "--within"))
    assert squashed(counts.text()).startswith(f"{total} events")
    (filters,) = root.having("filters")
    assert [code.text() for code in filters.find(lambda e: e.tag == "code")] == [
        "--since 2021",
        "--within",
        "--kind incident",
        "--kind launch",
    ]


def test_without_filters_the_header_says_so(bundled: Element, everything: list[dict[str, Any]]) -> None:
    assert "no filters" in bundled.having("filters")[0].text()
    planned = sum(event["status"] == "planned" for event in everything)
    assert squashed(bundled.having("counts")[0].text()).startswith(f"{len(everything)} events, {planned} planned")


def test_newest_first_puts_the_years_in_reverse() -> None:
    root = parse(page("timeline", "--reverse"))
    years = [e.attrs["id"] for e in root.find(lambda e: e.tag == "section" and "year" in e.classes)]
    assert years == sorted(years, reverse=True)
    assert "newest first" in root.having("counts")[0].text()


def test_no_events_is_a_page_that_says_so() -> None:
    root = parse(page("timeline", "--search", "nothing matches this"))
    assert not events_of(root)
    assert root.having("none")[0].text() == "No events match."
    assert not root.having("strip") and not root.find(lambda e: e.attrs.get("id") == "controls")


# -- each event -----------------------------------------------------------------------------------


def test_each_event_opens_on_its_summary_claims_quotes_and_sources(
    bundled: Element, everything: list[dict[str, Any]]
) -> None:
    shown = {element.attrs["id"]: element for element in events_of(bundled)}
    for event in everything:
        element = shown[f"e-{event['id']}"]
        (details,) = element.find(lambda e: e.tag == "details")
        assert details.children[0].tag == "summary"  # type: ignore[union-attr]
        (body,) = element.having("body")
        text = squashed(body.text())
        assert squashed(event["summary"]) in text
        quotes = [squashed(quote.text()) for quote in body.having("quote")]
        assert quotes == [
            squashed(q) for q in [*(c["quote"] for c in event["claims"]), *(s["quote"] for s in event["sources"])]
        ]
        for claim in event["claims"]:
            assert squashed(claim["claim"]) in text
        for cite in event["sources"]:
            assert squashed(cite["title"]) in text
            assert cite["outlet"] is None or cite["outlet"] in text
            assert cite["author"] is None or cite["author"] in text
        assert element.having("when")[0].text() == human_date(event["date"])
        assert element.having("title")[0].text() == event["title"]


def test_a_claim_says_who_made_it(bundled: Element) -> None:
    (element,) = bundled.find(lambda e: e.attrs.get("id") == "e-2018-08-29-soyuz-ms-09-leak")
    assert "claimed by Dmitry Rogozin" in squashed(" ".join(by.text() for by in element.having("by")))


def test_planned_events_are_hollow_dashed_and_labelled(bundled: Element, everything: list[dict[str, Any]]) -> None:
    status = {f"e-{event['id']}": event["status"] for event in everything}
    hollow = {mark.planned for mark in MARKS.values()}
    for element in events_of(bundled):
        planned = status[element.attrs["id"]] == "planned"
        (mark,) = [m for m in element.having("mark") if m.parent and m.parent.tag == "summary"]
        assert (mark.text() in hollow) == planned
        assert ("planned" in element.classes) == planned
        assert (element.having("planned") != []) == planned  # the tag that says it in words
    assert "planned" in status.values()


# -- hostile text -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile() -> Element:
    return parse(page("--data", str(HOSTILE), "timeline"))


def test_hostile_text_is_text(hostile: Element) -> None:
    assert [e.tag for e in hostile.find(lambda e: e.tag in ("script", "style", "svg", "img", "a", "b"))] == [
        "style",
        *(["a"] * 2),  # the strip's two years
        "script",
    ]
    for element in hostile.walk():
        assert not [name for name in element.attrs if name.startswith("on")], element.attrs
    (script,) = hostile.find(lambda e: e.tag == "script")
    assert script.text() == (Path(render_html.__file__).parent / "timeline.js").read_text()


def test_hostile_text_reads_as_written(hostile: Element) -> None:
    event = ok_json("--data", str(HOSTILE), "show", "2021-07-29-hostile-html")
    (element,) = [e for e in events_of(hostile) if e.attrs["id"] == "e-2021-07-29-hostile-html"]
    assert element.having("title")[0].text() == event["title"]
    text = element.having("body")[0].text()
    for written in (
        event["summary"],
        event["date_note"],
        event["claims"][0]["claim"],
        event["claims"][0]["quote"],
        event["sources"][0]["quote"],
        event["sources"][0]["title"],
        *event["spacecraft"],
        *event["agencies"],
        *event["people"],
    ):
        assert written in text, written


def test_text_escapes_as_html_escape_does() -> None:
    sample = "".join(map(chr, range(0x20, 0x7F))) + "é \u2013 “x” \u2028 \x1b[2J \x85"
    assert render_html.text(sample) == html.escape(printable_multiline(sample), quote=True)
    assert render_html.text(None) == ""
    assert "\x1b" not in render_html.text("\x1b[31m")


# -- the track of the year ------------------------------------------------------------------------


def track_of(date: str, earliest: str | None, latest: str | None, year: str) -> render_html.Track | None:
    record: Any = {"date": date, "earliest": earliest, "latest": latest}
    return render_html.track(record, year)


@pytest.mark.parametrize(
    ("date", "earliest", "latest", "year", "shape", "start", "end"),
    [
        ("2021-07-29", "2021-07-29", "2021-07-29", "2021", "point", 209 / 365, 210 / 365),
        ("2020-03-10/2020-03-20", "2020-03-10", "2020-03-20", "2020", "range", 69 / 366, 80 / 366),
        ("2018-10?", "2018-10-01", "2018-10-31", "2018", "range", 273 / 365, 304 / 365),
        ("2028", "2028-01-01", "2028-12-31", "2028", "range whole", 0.0, 1.0),
        ("2028/..", "2028-01-01", None, "2028", "range open-end", 0.0, 1.0),
        ("2020-03/..", "2020-03-01", None, "2020", "range open-end", 60 / 366, 1.0),
        ("../2021-06-30", None, "2021-06-30", "2021", "range open-start", 0.0, 181 / 365),
        ("2020-12-31/2021-01-01", "2020-12-31", "2021-01-01", "2020", "range continues", 365 / 366, 1.0),
        ("2000/2019", "2000-01-01", "2019-12-31", "2000", "range continues", 0.0, 1.0),
    ],
)
def test_the_track_draws_the_bounds_within_the_year(
    date: str, earliest: str | None, latest: str | None, year: str, shape: str, start: float, end: float
) -> None:
    found = track_of(date, earliest, latest, year)
    assert found is not None
    assert found.shape == shape
    assert found.start == pytest.approx(start)
    assert found.end == pytest.approx(end)


def test_unreadable_bounds_draw_no_track() -> None:
    assert track_of("x", "2021-02-30", "2021-03-01", "2021") is None
    assert track_of("x", "2021-02-01", "2021-03-01", "year") is None
    root = parse(render_html.page([_record("x", date="bad", earliest="never", latest=None)]))
    (track,) = [track for track in root.having("track") if "key" not in track.classes]  # not the legend's
    assert track.children == []


def _record(ident: str, **fields: Any) -> Any:
    return {
        "id": ident,
        "date": "2021",
        "earliest": "2021-01-01",
        "latest": "2021-12-31",
        "title": "T",
        "kind": "launch",
        "status": "happened",
        "summary": "S",
        "date_note": None,
        "spacecraft": [],
        "agencies": [],
        "people": [],
        "claims": [],
        "sources": [],
        **fields,
    }


def test_a_kind_without_a_mark_gets_the_other_mark() -> None:
    root = parse(render_html.page([_record("x", kind="novel")]))
    assert "•" in [mark.text() for mark in root.having("mark")]


# -- TimelineJS ----------------------------------------------------------------------------------


def timelinejs(*args: str) -> Any:
    output = ok(*args, "--format", "timelinejs").stdout
    assert "</" not in output and "\u2028" not in output and "\u2029" not in output  # safe inside a <script>
    return json.loads(output)


@pytest.mark.parametrize(
    "args",
    [
        ("timeline",),
        ("--data", str(INTERVALS), "timeline"),
        ("--data", str(HOSTILE), "timeline"),
        ("timeline", "--search", "nothing matches this"),
    ],
    ids=["bundled", "intervals", "hostile", "empty"],
)
def test_timelinejs_is_valid_against_its_schema(args: tuple[str, ...]) -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA.read_text())
    Draft202012Validator.check_schema(schema)
    document = timelinejs(*args)
    Draft202012Validator(schema).validate(document)
    assert [slide["unique_id"] for slide in document["events"]] == [event["id"] for event in ok_json(*args)]


@pytest.mark.parametrize("args", FILTERS, ids=" ".join)
def test_timelinejs_has_one_slide_per_event_in_order(args: tuple[str, ...]) -> None:
    slides = timelinejs("timeline", *args)["events"]
    events = ok_json("events", *args)
    assert [slide["unique_id"] for slide in slides] == [event["id"] for event in events]
    assert [slide["group"] for slide in slides] == [event["kind"] for event in events]
    assert [slide["display_date"] for slide in slides] == [html.escape(human_date(e["date"])) for e in events]


def test_timelinejs_dates_give_only_the_parts_known() -> None:
    slides = {slide["unique_id"]: slide for slide in timelinejs("--data", str(INTERVALS), "timeline")["events"]}

    def dates(ident: str) -> tuple[Any, Any]:
        return slides[ident]["start_date"], slides[ident].get("end_date")

    assert dates("day-2021-06-01") == ({"year": 2021, "month": 6, "day": 1}, None)
    assert dates("march-2020-approximate") == ({"year": 2020, "month": 3}, None)
    assert dates("year-2020-uncertain") == ({"year": 2020}, None)
    assert dates("2019-to-2021") == ({"year": 2019}, {"year": 2021})
    assert dates("2020-03-15-to-end-of-2020") == ({"year": 2020, "month": 3, "day": 15}, {"year": 2020})
    assert dates("2021-07-01-uncertain-to-2021-07-31-approximate") == (
        {"year": 2021, "month": 7, "day": 1},
        {"year": 2021, "month": 7, "day": 31},
    )
    # Open ends: no end_date; an open start begins at its end, and the text says so.
    assert dates("2020-03-to-open-end") == ({"year": 2020, "month": 3}, None)
    assert "Open end" in slides["2020-03-to-open-end"]["text"]["text"]
    assert dates("open-start-to-2021-06-30") == ({"year": 2021, "month": 6, "day": 30}, None)
    assert "Open start: known only to be by 30 Jun 2021" in slides["open-start-to-2021-06-30"]["text"]["text"]


def test_timelinejs_says_planned_in_words() -> None:
    for slide in timelinejs("timeline", "--status", "planned")["events"]:
        assert slide["text"]["headline"].endswith(" (planned)")
        assert "<strong>Planned</strong>" in slide["text"]["text"]
    for slide in timelinejs("timeline", "--status", "happened")["events"]:
        assert "planned" not in slide["text"]["headline"]


def test_timelinejs_text_is_escaped_html() -> None:
    document = timelinejs("--data", str(HOSTILE), "timeline", "--since", "2021")
    event = ok_json("--data", str(HOSTILE), "show", "2021-07-29-hostile-html")
    slide = document["events"][0]
    assert html.unescape(slide["text"]["headline"]) == event["title"]
    body = parse(slide["text"]["text"])  # well-formed, every end tag its own
    assert not body.find(lambda e: e.tag in ("script", "svg", "img", "a", "b", "style"))
    assert event["sources"][0]["quote"] in body.text()
    assert "--since 2021" in document["title"]["text"]["text"]


# -- the formats elsewhere, and start-up ------------------------------------------------------------


@pytest.mark.parametrize("cls", [formats.Html, formats.TimelineJs])
def test_a_timeline_format_is_never_asked_for_records(cls: type[Any]) -> None:
    formatter: Any = cls()
    asks: list[Callable[[], object]] = [
        lambda: formatter.listing([], ()),
        lambda: formatter.event(_record("x")),
        lambda: formatter.named({}, []),
        lambda: formatter.counts([], 0),
    ]
    for ask in asks:
        with pytest.raises(AssertionError, match="timeline-only"):
            ask()


def test_the_page_does_not_import_rich_or_the_yaml_parser(tmp_path: Path) -> None:
    # Not measured by coverage: coverage itself imports hashlib and html in the child.
    environ = {name: value for name, value in os.environ.items() if "COV" not in name.upper()}
    environ["XDG_CACHE_HOME"] = str(tmp_path)
    command = [sys.executable, "-X", "importtime", "-m", "issfacts", "timeline", "--format", "html"]
    subprocess.run(command, capture_output=True, timeout=60, env=environ, check=True)  # fills the cache
    done = subprocess.run(command, capture_output=True, timeout=60, env=environ, check=True)
    imported = [line.split("|")[-1].strip() for line in done.stderr.decode().splitlines()]
    assert "issfacts.render_html" in imported
    assert not [name for name in imported if name.split(".")[0] in ("rich", "yaml", "html", "hashlib", "jinja2")]
    assert done.stdout.startswith(b"<!DOCTYPE html>")
