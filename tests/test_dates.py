"""Dates that tell the truth: the EDTF profile, its bounds, and what the commands do with them.

The bounds are checked against the `edtf` package (an independent implementation, used
only here); the order and window rules against the contract, on a dataset of every
form (tests/data/intervals.yaml) and on the bundled one, through both cache engines.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import DATA, assert_usage_error, edtf_bounds, invoke, ok, ok_json, overlaps_or_within, squash

from issfacts.model import OPEN_END, OPEN_START, EdtfDate
from issfacts.render import human_date

INTERVALS = DATA / "intervals.yaml"

# -- the profile -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2021", "2021-01-01", "2021-12-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2021-07-29", "2021-07-29", "2021-07-29"),
        ("2021-07-29/2021-08-05", "2021-07-29", "2021-08-05"),
        ("2023-02-12/2023-02-19", "2023-02-12", "2023-02-19"),
        ("2018-09-13/2018", "2018-09-13", "2018-12-31"),  # ends of different precisions
        ("2000/2019", "2000-01-01", "2019-12-31"),
        ("2023-02-11/..", "2023-02-11", None),
        ("../2028-12-31", None, "2028-12-31"),
        ("../2028", None, "2028-12-31"),
        ("2018-10?", "2018-10-01", "2018-10-31"),  # qualifiers leave the strict bounds alone
        ("2018-10-10~", "2018-10-10", "2018-10-10"),
        ("2022%", "2022-01-01", "2022-12-31"),
        ("2021-07-29?/2021-08-05~", "2021-07-29", "2021-08-05"),
        ("2021/2021", "2021-01-01", "2021-12-31"),
    ],
)
def test_bounds_of_every_form(text: str, earliest: str | None, latest: str | None) -> None:
    date = EdtfDate.parse(text)
    assert str(date) == text
    day = dt.date.fromisoformat
    assert (date.earliest, date.latest) == (
        None if earliest is None else day(earliest),
        None if latest is None else day(latest),
    )
    assert edtf_bounds(text) == (date.earliest, date.latest)


def test_open_ends_sort_and_compare_as_the_unbounded_side() -> None:
    assert EdtfDate.parse("../2020").first == OPEN_START < dt.date(1, 1, 1).toordinal()
    assert EdtfDate.parse("2020/..").last == OPEN_END > dt.date.max.toordinal()


def test_qualifiers_are_kept_and_named() -> None:
    assert EdtfDate.parse("2018-10?").uncertain and not EdtfDate.parse("2018-10?").approximate
    assert EdtfDate.parse("2018-10~").approximate and not EdtfDate.parse("2018-10~").uncertain
    both = EdtfDate.parse("2018-10%")
    assert both.uncertain and both.approximate
    assert not EdtfDate.parse("2018-10").uncertain


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2021-08-05/2021-07-29", "starts (2021-08-05) after it ends (2021-07-29)"),
        ("2021/2020-12", "starts (2021) after it ends (2020-12)"),
        ("2021??", "'??' is not a qualifier"),
        ("2021!", "'!' is not a qualifier"),
        ("2021?~", "is not a qualifier"),
        ("?2021", "a qualifier goes after the date: write 2021?"),
        ("2021-02-29/2021-03", "February 2021 has days 01 to 28"),
        ("2021-02/2021-13", "month must be 01 to 12"),
        ("../..", "at least one known end"),
        ("2021/", "write '..' for an open end"),
        ("/2021", "write '..' for an open end"),
        ("2021/2022/2023", "one '/'"),
        ("2021 / 2022", "without spaces"),
        ("", "must not be empty"),
        ("2021-07-29T10:00", "is not a date"),
        ("20XX", "is not a date"),
        ("...", "is not a date"),
    ],
)
def test_bad_dates_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        EdtfDate.parse(text)


def points() -> st.SearchStrategy[str]:
    day = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
    text = day.flatmap(lambda d: st.sampled_from([f"{d.year:04d}", f"{d.year:04d}-{d.month:02d}", d.isoformat()]))
    return st.tuples(text, st.sampled_from(["", "?", "~", "%"])).map("".join)


@st.composite
def edtf_dates(draw: st.DrawFn) -> str:
    first = draw(points())
    form = draw(st.sampled_from(["single", "closed", "open end", "open start"]))
    if form == "single":
        return first
    if form == "open end":
        return f"{first}/.."
    if form == "open start":
        return f"../{first}"
    second = draw(points())
    a, b = sorted([first, second], key=lambda p: EdtfDate.parse(p).first)
    if EdtfDate.parse(a).first > EdtfDate.parse(b).last:  # `2021/2021-03` is fine, `2021-05/2021-03` is not
        a, b = b, a
    return f"{a}/{b}"


@settings(max_examples=300, deadline=None)
@given(edtf_dates())
def test_bounds_agree_with_the_edtf_package(text: str) -> None:
    try:
        date = EdtfDate.parse(text)
    except ValueError as error:  # only an interval whose start ends after its end is refused
        assert "after it ends" in str(error)
        return
    assert str(date) == text
    assert edtf_bounds(text) == (date.earliest, date.latest)


# -- as readers see them ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2021", "2021"),
        ("2021-07", "Jul 2021"),
        ("2022-12-14", "14 Dec 2022"),
        ("2021-07-29/2021-08-05", "29 Jul - 5 Aug 2021"),
        ("2023-02-12/2023-02-19", "12-19 Feb 2023"),
        ("2022-12-14/2023-01-31", "14 Dec 2022 - 31 Jan 2023"),
        ("2018-09-13/2018", "13 Sep - end of 2018"),
        ("2022/2025", "2022 - 2025"),
        ("2023-02-11/..", "after 11 Feb 2023"),
        ("2028/..", "2028 or later"),
        ("../2028", "by end of 2028"),
        ("../2028-12", "by end of Dec 2028"),
        ("../2028-12-31", "by 31 Dec 2028"),
        ("2018-10?", "Oct 2018?"),
        ("2018-10-10~", "c. 10 Oct 2018"),
        ("2018%", "c. 2018?"),
        ("2021-07-29?/2021-08-05", "29 Jul? - 5 Aug 2021"),
    ],
)
def test_dates_read_as_people_write_them(text: str, shown: str) -> None:
    assert human_date(text) == shown


def test_tables_show_readable_dates_and_machine_formats_keep_edtf(tty: Any) -> None:
    ident = "2021-nelson-letter-to-rogozin"
    table = ok("events", "--search", "recent days", "--format", "table", obj=tty).stdout
    assert "29 Jul - 5 Aug 2021" in table and "2021-07-29/2021-08-05" not in table
    tsv = ok("events", "--search", "recent days", "--format", "tsv").stdout.rstrip("\n").split("\t")
    assert tsv[:2] == ["2021-07-29/2021-08-05", ident]
    assert tsv[-2:] == ["2021-07-29", "2021-08-05"]  # earliest, latest: the last two columns
    csv = ok("events", "--search", "recent days", "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("date,id,") and csv[0].endswith(",earliest,latest")
    assert csv[1].startswith(f"2021-07-29/2021-08-05,{ident},")


def test_show_marks_uncertain_approximate_and_planned_dates(tty: Any) -> None:
    shown = ok("show", "2018-soyuz-booster-failure-emergency-return", "--format", "table", obj=tty).stdout
    assert "Oct 2018? (uncertain)" in shown
    assert "earliest 2018-10-01, latest 2018-10-31" in shown
    meeting = ok("show", "2018-10-baikonur-meeting-planned", "--format", "table", obj=tty).stdout
    assert "c. 10 Oct 2018 (approximate, planned)" in meeting
    markdown = ok("show", "2028-ros-launch-planned", "--format", "markdown").stdout
    assert "- **Date:** 2028 or later (planned)" in markdown
    assert "latest open (EDTF 2028/..)" in markdown


# -- order and windows ------------------------------------------------------------------------


def answers(*args: str, data: Path = INTERVALS, **kwargs: Any) -> list[dict[str, Any]]:
    return json.loads(ok("--data", str(data), *args, "--json", **kwargs).stdout)  # type: ignore[no-any-return]


def key(event: dict[str, Any]) -> tuple[dt.date, dt.date, str]:
    earliest, latest = event["earliest"], event["latest"]
    return (
        dt.date.min if earliest is None else dt.date.fromisoformat(earliest),
        dt.date.max if latest is None else dt.date.fromisoformat(latest),
        event["id"],
    )


def test_events_sort_by_earliest_then_latest_then_id() -> None:
    got = [e["id"] for e in answers("events")]
    assert got == [
        "open-start-to-2020",  # an open start comes first
        "open-start-to-2021-06-30",  # ... and then by its latest bound
        "2019-to-2021",
        "year-2020",  # same bounds: by id
        "year-2020-uncertain",
        "march-2020-approximate",  # from 2020-03-01: the closed end first,
        "2020-03-to-open-end",  # ... the open one after it
        "2020-03-10-to-2020-03-20",
        "day-2020-03-15",
        "2020-03-15-to-end-of-2020",
        "2020-12-31-to-2021-01-01",
        "day-2021-06-01",
        "2021-07-01-uncertain-to-2021-07-31-approximate",
        "year-2022-both",
    ]
    assert [e["id"] for e in answers("events", "--reverse")] == got[::-1]


def test_json_bounds_are_the_edtf_packages() -> None:
    for event in answers("events"):
        earliest, latest = edtf_bounds(event["date"])
        assert event["earliest"] == (None if earliest is None else earliest.isoformat()), event["id"]
        assert event["latest"] == (None if latest is None else latest.isoformat()), event["id"]


WINDOWS = [
    ("2020-03-15", "2020-03-15"),
    ("2020-03", "2020-03"),
    ("2020", "2020"),
    ("2021", None),
    (None, "2019"),
    ("2019-12-31", "2021-01-01"),
    ("2021-06", "2021-07"),
    ("2022-06", None),
    ("1999", "1999"),
    (None, "2020-02"),
]


def window_bounds(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    from issfacts.model import PartialDate

    return (
        None if since is None else PartialDate.parse(since).first_day,
        None if until is None else PartialDate.parse(until).last_day,
    )


def window_args(since: str | None, until: str | None) -> list[str]:
    return [*(["--since", since] if since else []), *(["--until", until] if until else [])]


@pytest.mark.parametrize("within", [False, True], ids=["overlap", "within"])
@pytest.mark.parametrize(("since", "until"), WINDOWS)
def test_windows_match_on_overlap_or_containment(since: str | None, until: str | None, within: bool) -> None:
    everything = answers("events")
    low, high = window_bounds(since, until)
    expected = [e["id"] for e in everything if overlaps_or_within(edtf_bounds(e["date"]), low, high, within=within)]
    args = window_args(since, until) + (["--within"] if within else [])
    assert [e["id"] for e in answers("events", *args)] == expected


def test_open_ends_reach_every_window_on_their_open_side() -> None:
    early = [e["id"] for e in answers("events", "--until", "1900")]
    assert early == ["open-start-to-2020", "open-start-to-2021-06-30"]
    late = [e["id"] for e in answers("events", "--since", "2999")]
    assert late == ["2020-03-to-open-end"]
    assert answers("events", "--since", "1900", "--until", "2999", "--within", "--search", "open") == []


def test_a_window_at_month_precision_takes_the_whole_month() -> None:
    got = [e["id"] for e in answers("events", "--since", "2020-03", "--until", "2020-03", "--within")]
    assert got == ["march-2020-approximate", "2020-03-10-to-2020-03-20", "day-2020-03-15"]


@pytest.mark.parametrize("engine", ["marshal", "sqlite"])
def test_cached_answers_equal_uncached_ones(engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if engine == "sqlite":  # the SQLite entry is kept for large files; make this file large
        monkeypatch.setattr("issfacts.cache.SQLITE_FROM_EVENTS", 1)
    for since, until in WINDOWS:
        for within in (False, True):
            args = ["events", *window_args(since, until), *(["--within"] if within else [])]
            if within and not (since or until):
                continue
            uncached = answers("--no-cache", *args)
            first = answers(*args)  # builds the entry (or reads it, after the first round)
            assert first == uncached, args
            assert answers(*args) == uncached, args
    suffix = {"marshal": ".marshal", "sqlite": ".sqlite"}[engine]
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "issfacts"
    assert any(p.suffix == suffix for p in cache.iterdir()), list(cache.iterdir())


def test_since_after_until_is_a_usage_error() -> None:
    result = invoke("events", "--since", "2022", "--until", "2021-12-31")
    assert_usage_error(result, "--since")
    assert "is after --until" in squash(result.stderr)
    assert ok_json("events", "--since", "2021-12", "--until", "2021") is not None  # overlapping ends are fine


def test_within_needs_a_window() -> None:
    result = invoke("events", "--within")
    assert_usage_error(result, "--within")
    assert "--since" in squash(result.stderr)


# -- the bundled dataset: the order the audit asked for -------------------------------------


def positions() -> dict[str, int]:
    return {event["id"]: index for index, event in enumerate(ok_json("events"))}


NAUKA_REACTIONS = [
    "2021-krikalev-interview-on-nauka-incident",
    "2021-nasa-says-station-functioning-normally",
    "2021-nelson-letter-to-rogozin",
    "2021-roscosmos-specialists-to-study-nauka-incident",
    "2021-montalbano-comments-on-nauka-incident",
]
JULY_2025_OUTCOMES = [
    "2025-07-bakanov-visits-jsc-boeing-and-spacex",
    "2025-07-cross-flight-program-to-continue",
    "2025-07-first-in-person-talks-in-eight-years",
    "2025-07-iss-deorbit-agreement",
    "2025-07-iss-extension-agreement",
    "2025-07-lunar-plans-and-partner-coordination",
    "2025-07-ros-and-future-cooperation-discussed",
]
BEFORE_AFTER = [
    *(("2021-07-29-nauka-thruster-misfire", reaction) for reaction in NAUKA_REACTIONS),
    ("2018-08-29-soyuz-ms-09-leak", "2018-roscosmos-commission-on-soyuz-ms-09-leak"),
    ("2018-08-29-soyuz-ms-09-leak", "2018-expedition-56-crew-seals-soyuz-ms-09-hole"),
    ("2018-06-06-soyuz-ms-09-launch", "2018-soyuz-booster-failure-emergency-return"),
    ("2018-10-soyuz-launch-of-hague-and-ovchinin-planned", "2018-soyuz-booster-failure-emergency-return"),
    ("2018-09-13-bridenstine-rogozin-joint-statement", "2018-soyuz-booster-failure-emergency-return"),
    *(("2025-07-29-bakanov-arrives-in-houston", outcome) for outcome in JULY_2025_OUTCOMES),
    ("2022-12-14-soyuz-ms-22-coolant-leak", "2022-12-soyuz-ms-22-micrometeorite-verdict"),
    ("2023-02-11-progress-ms-21-coolant-leak", "2023-02-progress-ms-21-undocking-planned"),
    ("2023-02-11-progress-ms-21-coolant-leak", "2023-02-soyuz-ms-23-launch-planned"),
    ("2023-02-11-progress-ms-21-coolant-leak", "2023-soyuz-ms-23-crew-return-planned"),
    ("2023-01-soyuz-ms-23-replacement-announced", "2023-soyuz-ms-23-crew-return-planned"),
    ("2000s-2010s-russian-engines-power-atlas-v-and-antares", "2014-us-push-to-end-reliance-on-rd-180"),
    ("2014-us-push-to-end-reliance-on-rd-180", "2022-new-russian-engine-orders-prohibited"),
]


@pytest.mark.parametrize(("before", "after"), BEFORE_AFTER, ids=[f"{a} < {b}" for a, b in BEFORE_AFTER])
def test_the_bundled_events_come_in_the_order_they_happened(before: str, after: str) -> None:
    where = positions()
    assert where[before] < where[after]


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        (("--since", "2021", "--until", "2021-07-28"), NAUKA_REACTIONS),
        (("--since", "2018", "--until", "2018-08-28"), ["2018-roscosmos-commission-on-soyuz-ms-09-leak"]),
        (("--until", "2018-08-28"), ["2018-soyuz-booster-failure-emergency-return"]),
        (("--since", "2025-07-01", "--until", "2025-07-28"), JULY_2025_OUTCOMES),
        (("--until", "2021"), ["2028-russian-hubble-like-observatory-planned"]),
    ],
)
def test_events_stay_out_of_windows_where_they_cannot_belong(args: tuple[str, ...], absent: list[str]) -> None:
    got = {e["id"] for e in ok_json("events", *args)}
    assert got.isdisjoint(absent), got & set(absent)


@pytest.mark.parametrize(
    ("args", "present"),
    [
        (("--since", "2027", "--until", "2027"), ["2028-russian-hubble-like-observatory-planned"]),
        (("--since", "2023", "--until", "2023"), ["2022-cooperation-reduced-after-invasion-of-ukraine"]),
        (("--since", "2021-08-04", "--until", "2021-08-04"), NAUKA_REACTIONS),
        (("--until", "2005"), ["2000s-2010s-russian-engines-power-atlas-v-and-antares"]),
        (("--since", "2023-03", "--until", "2023-03"), ["2023-03-soyuz-ms-22-crewed-return-originally-planned"]),
    ],
)
def test_events_appear_in_every_window_they_can_belong_to(args: tuple[str, ...], present: list[str]) -> None:
    got = {e["id"] for e in ok_json("events", *args)}
    assert set(present) <= got, set(present) - got


def test_within_keeps_only_what_must_lie_in_the_window() -> None:
    overlap = {e["id"] for e in ok_json("events", "--since", "2021", "--until", "2021")}
    within = {e["id"] for e in ok_json("events", "--since", "2021", "--until", "2021", "--within")}
    assert within < overlap
    assert "2014-us-push-to-end-reliance-on-rd-180" in overlap - within
    assert set(NAUKA_REACTIONS) <= within
