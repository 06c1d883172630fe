"""The gold set of tests/data/drafts/ checked on its own, independently of any checker.

The drafts are realistic news prose; each `<draft>.gold.json` lists every date expression
in it with the verdict a fact-checker must give (the rules are in tests/data/drafts/README.md).
A typo in a gold file would measure the checker against a wrong answer, so this module
proves, from the text and the bundled dataset alone, that:
- every entry's `text` stands at its `line` and `column` (1-based, in characters);
- `means` (the ISO date or interval the text stands for) says what the text says, at the
  same precision, with the year filled in only where the text leaves it out;
- every `event` exists, and its bounds hold `means` for `ok` and exclude it for `conflict`;
- nothing in a draft that looks like a date is missing from its gold file.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import DATA, ok_json

DRAFTS = DATA / "drafts"
VERDICTS = ("ok", "conflict", "unverified", "none")
DATED = ("ok", "conflict", "unverified")
# What the gold set must plant, each in at least two drafts (README, "Coverage").
PLANTED = (
    "wrong-day",
    "wrong-month",
    "wrong-year",
    "moved",
    "yearless",
    "deadline",
    "interval",
    "claim",
    "two-in-sentence",
    "quote",
    "possessive",
    "alias",
    "trap-near-event",
    "unverified",
    "no-entity",
    "lookalike",
)

# English month names, written out: calendar.month_name follows the locale.
MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS = {
    **{name: number for number, name in enumerate(MONTH_NAMES, 1)},
    **{name[:3]: number for number, name in enumerate(MONTH_NAMES, 1)},
    "sept": 9,
}
MONTH = r"(?P<{}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DEADLINE = re.compile(r"(?i)(?:by the end of|by the close of|by|until) (?P<date>.+)")
BETWEEN = re.compile(r"(?i)between (?P<start>.+) and (?P<end>.+)")
# One written date: (pattern, which fields it carries). Whole-string matches, any case.
FORMS = [
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"),
    re.compile(MONTH.format("month") + r" (?P<day>\d{1,2}),? (?P<year>\d{4})", re.IGNORECASE),
    re.compile(r"(?P<day>\d{1,2}) " + MONTH.format("month") + r" (?P<year>\d{4})", re.IGNORECASE),
    re.compile(MONTH.format("month") + r" (?P<day>\d{1,2})", re.IGNORECASE),
    re.compile(MONTH.format("month") + r" (?P<year>\d{4})", re.IGNORECASE),
    re.compile(MONTH.format("month"), re.IGNORECASE),
    re.compile(r"(?P<year>\d{4})"),
]
# What a date parser could take for a date; each hit must lie inside a gold entry.
DATE_LIKE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b"
    r"|\b(?:19|20)\d{2}\b"
    r"|\b" + MONTH.format("m1") + r" \d{1,2}\b"
    r"|\b(?:in|on|by|until) (?:" + "|".join(MONTH_NAMES) + r")\b",
    re.IGNORECASE,
)

Partial = tuple[int | None, int | None, int | None]  # year, month, day; None where not written


def drafts() -> list[Path]:
    return sorted(p for p in DRAFTS.iterdir() if p.suffix in (".md", ".txt") and p.name != "README.md")


def gold(draft: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(draft.with_name(draft.name + ".gold.json").read_text("utf-8"))
    return entries


def entries() -> Iterator[tuple[Path, dict[str, Any]]]:
    for draft in drafts():
        for entry in gold(draft):
            yield draft, entry


@pytest.fixture(scope="module")
def events() -> dict[str, dict[str, Any]]:
    return {event["id"]: event for event in ok_json("events")}


def one_date(text: str) -> Partial:
    """The fields of one written date: '29 July 2021' is (2021, 7, 29), 'in February' (None, 2, None)."""
    for form in FORMS:
        match = form.fullmatch(text)
        if match:
            fields = match.groupdict()
            month = fields.get("month")
            return (
                int(fields["year"]) if fields.get("year") else None,
                (int(month) if month.isdigit() else MONTHS[month.lower()]) if month else None,
                int(fields["day"]) if fields.get("day") else None,
            )
    raise AssertionError(f"{text!r} is in none of the documented forms")


def written(text: str) -> tuple[str, list[Partial]]:
    """What kind of expression `text` is (date, deadline, interval) and its dates, as written."""
    deadline = DEADLINE.fullmatch(text)
    if deadline:
        return "deadline", [one_date(deadline["date"])]
    between = BETWEEN.fullmatch(text)
    if between:
        return "interval", [one_date(between["start"]), one_date(between["end"])]
    return "date", [one_date(text)]


def iso(text: str) -> Partial:
    parts = [int(part) for part in text.split("-")]
    assert 1 <= len(parts) <= 3, text
    return (parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None)


def period(partial: Partial) -> tuple[str, str]:
    """First and last day of a complete ISO date at its precision, as YYYY-MM-DD."""
    year, month, day = partial
    assert year is not None
    if month is None:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    if day is None:
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    first = dt.date(year, month, day).isoformat()  # raises on an impossible day
    return first, first


def span(means: str) -> tuple[str, str]:
    """The days `means` covers: one date at its precision, or START/END."""
    ends = means.split("/")
    assert len(ends) in (1, 2), means
    return period(iso(ends[0]))[0], period(iso(ends[-1]))[1]


def agrees(event: dict[str, Any], entry: dict[str, Any]) -> bool:
    """The verdict rule (README): a deadline is met when the event's latest bound (the
    deadline the source set) falls within the written period; any other date agrees when
    its days overlap the event's bounds."""
    first, last = span(entry["means"])
    earliest, latest = event["earliest"], event["latest"]
    if "deadline" in entry.get("tags", []):
        assert latest is not None, f"{event['id']} carries no deadline"
        return bool(first <= latest <= last)
    return bool((earliest is None or earliest <= last) and (latest is None or latest >= first))


def label(draft: Path, entry: dict[str, Any]) -> str:
    return f"{draft.name}:{entry.get('line')}:{entry.get('column')}: {entry.get('text')!r}"


# -- the tests --------------------------------------------------------------------------------


def test_the_gold_set_is_large_enough_and_plants_every_kind() -> None:
    assert len(drafts()) >= 5
    for draft in drafts():
        assert draft.with_name(draft.name + ".gold.json").is_file(), f"{draft.name} has no gold file"
    golds = {p.name for p in DRAFTS.glob("*.gold.json")}
    assert golds == {d.name + ".gold.json" for d in drafts()}, "a gold file without its draft"
    verdicts = Counter(entry["verdict"] for _, entry in entries())
    assert sum(verdicts[v] for v in DATED) >= 50, verdicts
    assert all(verdicts[v] >= 5 for v in VERDICTS), verdicts
    for tag in PLANTED:
        where = {draft.name for draft, entry in entries() if tag in entry.get("tags", [])}
        assert len(where) >= 2, f"{tag!r} is planted in {sorted(where)}, fewer than two drafts"


def test_every_entry_is_well_formed() -> None:
    allowed = {"line", "column", "text", "verdict", "event", "planted", "means", "tags"}
    for draft, entry in entries():
        where = label(draft, entry)
        assert set(entry) <= allowed, (where, set(entry) - allowed)
        assert entry["verdict"] in VERDICTS, where
        assert isinstance(entry["planted"], str) and entry["planted"].strip(), where
        assert (entry["event"] is not None) == (entry["verdict"] in ("ok", "conflict")), where
        assert ("means" in entry) == (entry["verdict"] in DATED), where


def test_every_text_stands_at_its_line_and_column() -> None:
    for draft in drafts():
        lines = draft.read_text("utf-8").split("\n")
        previous = (0, 0)
        for entry in gold(draft):
            where = label(draft, entry)
            line, column, text = entry["line"], entry["column"], entry["text"]
            assert 1 <= line <= len(lines), where
            assert lines[line - 1][column - 1 : column - 1 + len(text)] == text, where
            assert (line, column) > previous, f"{where}: out of order or overlapping"
            previous = (line, column + len(text) - 1)


def test_nothing_that_looks_like_a_date_is_left_out() -> None:
    for draft in drafts():
        spans: dict[int, list[tuple[int, int]]] = {}
        for entry in gold(draft):
            start = entry["column"] - 1
            spans.setdefault(entry["line"], []).append((start, start + len(entry["text"])))
        for number, line in enumerate(draft.read_text("utf-8").split("\n"), 1):
            for hit in DATE_LIKE.finditer(line):
                covered = any(a < hit.end() and hit.start() < b for a, b in spans.get(number, []))
                assert covered, f"{draft.name}:{number}:{hit.start() + 1}: {hit[0]!r} is not in the gold file"


def test_means_says_what_the_text_says() -> None:
    for draft, entry in entries():
        if entry["verdict"] not in DATED:
            continue
        where = label(draft, entry)
        kind, dates = written(entry["text"])
        tags = entry.get("tags", [])
        assert ("deadline" in tags) == (kind == "deadline"), where
        assert ("interval" in tags) == (kind == "interval"), where
        ends = entry["means"].split("/")
        assert len(ends) == len(dates), where
        if kind == "interval" and dates[0][0] is None:
            dates[0] = (dates[1][0], *dates[0][1:])  # 'between July 29 and Aug. 5, 2021'
        yearless = False
        for text_date, means_date in zip(dates, (iso(end) for end in ends), strict=True):
            for as_written, meant in zip(text_date, means_date, strict=True):
                assert as_written is None or as_written == meant, where
            precision = sum(part is not None for part in text_date[1:])
            assert precision == sum(part is not None for part in means_date[1:]), f"{where}: precision"
            yearless = yearless or text_date[0] is None
        assert yearless == ("yearless" in tags), f"{where}: the 'yearless' tag"
        span(entry["means"])  # a real day, a real month


def test_every_verdict_follows_from_the_event_bounds(events: dict[str, dict[str, Any]]) -> None:
    for draft, entry in entries():
        where = label(draft, entry)
        if entry["event"] is None:
            continue
        assert entry["event"] in events, f"{where}: no event {entry['event']!r} in the bundled data"
        event = events[entry["event"]]
        verdict = "ok" if agrees(event, entry) else "conflict"
        assert verdict == entry["verdict"], (
            f"{where}: {entry['means']} against {event['id']} ({event['earliest']}..{event['latest']})"
            f" is {verdict}, the gold file says {entry['verdict']}"
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-07-29", ("date", [(2021, 7, 29)])),
        ("Jul. 29, 2021", ("date", [(2021, 7, 29)])),
        ("Sept. 13, 2018", ("date", [(2018, 9, 13)])),
        ("29 July 2021", ("date", [(2021, 7, 29)])),
        ("December 14 2022", ("date", [(2022, 12, 14)])),
        ("JULY 29, 2025", ("date", [(2025, 7, 29)])),
        ("Aug. 29", ("date", [(None, 8, 29)])),
        ("February", ("date", [(None, 2, None)])),
        ("March 2023", ("date", [(2023, 3, None)])),
        ("2028", ("date", [(2028, None, None)])),
        ("By 2025", ("deadline", [(2025, None, None)])),
        ("by the end of 2028", ("deadline", [(2028, None, None)])),
        ("until 2030", ("deadline", [(2030, None, None)])),
        ("Between July 29 and Aug. 5, 2021", ("interval", [(None, 7, 29), (2021, 8, 5)])),
    ],
)
def test_the_parser_of_this_module_reads_every_documented_form(text: str, expected: tuple[str, list[Partial]]) -> None:
    assert written(text) == expected


@pytest.mark.parametrize("text", ["14:30", "Progress MS-21", "Soyuz (MS-09/55S)", "Sept 13th", "mid-2025"])
def test_the_parser_of_this_module_refuses_what_is_not_a_form(text: str) -> None:
    with pytest.raises(AssertionError, match="none of the documented forms"):
        written(text)


def test_the_verdict_rule_of_this_module() -> None:
    """The oracle itself, on the issue's examples: a mistake here would bless wrong gold."""
    leak = {"id": "leak", "earliest": "2022-12-14", "latest": "2022-12-14"}
    assert agrees(leak, {"means": "2022-12"})
    assert not agrees(leak, {"means": "2022-12-15"})
    assert not agrees(leak, {"means": "2021"})
    plan = {"id": "plan", "earliest": "2022-07-15", "latest": "2028-12-31"}
    assert agrees(plan, {"means": "2028", "tags": ["deadline"]})
    assert not agrees(plan, {"means": "2026", "tags": ["deadline"]})
    assert agrees(plan, {"means": "2026"})  # as a plain date, 2026 lies inside the plan's window
    later = {"id": "later", "earliest": "2028-01-01", "latest": None}
    assert agrees(later, {"means": "2030"}) and not agrees(later, {"means": "2027"})
    assert agrees({"id": "x", "earliest": None, "latest": "2025-12-31"}, {"means": "1999"})
