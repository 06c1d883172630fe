"""`events --on MM-DD` and `--on MM`: anniversaries, at the precision the dates are known.

The oracle is the rule of query.Query, written out here from the JSON bounds: a day
matches an event whose earliest and latest bounds are that one day (in any year); a
month, an event whose bounds fall in one such month. Both engines are held to it and to
each other, the SQLite one on a dataset large enough to be kept in SQLite.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import assert_usage_error, invoke, ok_json

from issfacts import cache
from issfacts.model import OPEN_END, OPEN_START, Kind, PartialDate
from issfacts.query import MonthDay, Query, on_date, on_ranges
from issfacts.store import FallbackStore, open_store

# -- the oracle -----------------------------------------------------------------------------


def on(event: dict[str, Any], month: int, day: int | None = None) -> bool:
    earliest, latest = event["earliest"], event["latest"]
    if earliest is None or latest is None:
        return False
    start, end = dt.date.fromisoformat(earliest), dt.date.fromisoformat(latest)
    if day is not None:
        return start == end and (start.month, start.day) == (month, day)
    return (start.year, start.month) == (end.year, end.month) == (start.year, month)


@pytest.fixture(scope="module")
def everything() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = ok_json("events")
    return events


def ids(*args: str, **kwargs: Any) -> list[str]:
    return [event["id"] for event in ok_json("events", *args, **kwargs)]


# -- on the bundled data --------------------------------------------------------------------


def test_on_a_day_lists_that_day_in_every_year(everything: list[dict[str, Any]]) -> None:
    got = ids("--on", "07-29")
    assert got == [e["id"] for e in everything if on(e, 7, 29)]
    assert {e["date"][:4] for e in ok_json("events", "--on", "07-29")} == {"2021", "2025"}  # across years
    assert "2021-07-29-nauka-docking" in got


def test_on_a_day_leaves_out_intervals_that_start_on_it(everything: list[dict[str, Any]]) -> None:
    dates = {e["id"]: e["date"] for e in everything}
    starting = [ident for ident, date in dates.items() if date.startswith("2021-07-29/")]
    assert starting  # the five that run from 29 July to 5 August 2021
    assert not set(starting) & set(ids("--on", "07-29"))


def test_on_a_month_lists_events_within_one_such_month(everything: list[dict[str, Any]]) -> None:
    got = ids("--on", "07")
    assert got == [e["id"] for e in everything if on(e, 7)]
    dates = {e["id"]: e["date"] for e in everything}
    shown = {dates[ident] for ident in got}
    assert "2025-07-29/2025-07-31" in shown  # an interval inside one July
    assert "2021-07-29" in shown  # a day is within its month
    assert "2021-07-29/2021-08-05" not in shown  # runs into August


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_agrees_with_the_rule(month: int, everything: list[dict[str, Any]]) -> None:
    assert ids("--on", f"{month:02d}") == [e["id"] for e in everything if on(e, month)]


@pytest.mark.parametrize(
    ("written", "same_as"), [("7-29", "07-29"), ("7", "07"), (" 07-29 ", "07-29"), ("2-9", "02-09")]
)
def test_one_digit_months_and_days_are_accepted(written: str, same_as: str) -> None:
    assert ids("--on", written) == ids("--on", same_as)


def test_on_combines_with_the_other_filters(everything: list[dict[str, Any]]) -> None:
    assert ids("--on", "07", "--since", "2025") == [e["id"] for e in everything if on(e, 7) and e["earliest"] >= "2025"]
    assert ids("--on", "07-29", "--kind", "docking") == ["2021-07-29-nauka-docking"]
    assert ids("--on", "07-29", "--search", "no such text") == []


def test_on_in_stats_counts_the_same_events() -> None:
    counted = ok_json("stats", "--by", "kind", "--on", "07")
    assert sum(row["count"] for row in counted) == len(ids("--on", "07"))


# -- precision ----------------------------------------------------------------------------

PRECISE = """\
sources:
  - {id: s, title: T}
events:
"""
DATES = {
    "day": "2019-12-01",
    "day-approximate": "2019-12-02~",
    "month": "2018-12",
    "month-uncertain": "2017-12?",
    "year": "2016",
    "in-a-month": "2015-12-01/2015-12-20",
    "across-months": "2014-11-30/2014-12-01",
    "across-years": "2013-12-31/2014-01-01",
    "open-start": "../2012-12-01",
    "open-end": "2011-12-01/..",
    "leap-day": "2012-02-29",
    "months-of-one-year": "2010-12/2010-12",
}


@pytest.fixture(scope="module")
def precise(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lines = [PRECISE]
    for ident, date in DATES.items():
        lines.append(
            f'  - {{id: {ident}, date: "{date}", title: {ident}, kind: launch, summary: x,'
            " sources: [{source: s, quote: q}]}\n"
        )
    path = tmp_path_factory.mktemp("precise") / "events.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12-01", {"day"}),  # not the month, the interval, nor either open end, though each has 1 Dec as a bound
        ("12-02", {"day-approximate"}),  # a qualifier does not change the bounds
        ("12-20", set()),  # the end of an interval is not a day of it
        ("12", {"day", "day-approximate", "month", "month-uncertain", "in-a-month", "months-of-one-year"}),
        ("01", set()),  # `2016` is not known to be in January; an interval into January is not within it
        ("11", set()),
        ("02-29", {"leap-day"}),
        ("02", {"leap-day"}),
    ],
)
def test_the_precision_of_a_date_decides(precise: Path, value: str, expected: set[str]) -> None:
    assert set(ids("--on", value, env={"ISSFACTS_DATA": str(precise)})) == expected


# -- usage errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("02-30", "February has days 01 to 29"),
        ("04-31", "April has days 01 to 30"),
        ("07-32", "July has days 01 to 31"),
        ("07-00", "July has days 01 to 31"),
        ("13", "month must be 01 to 12"),
        ("00", "month must be 01 to 12"),
        ("00-10", "month must be 01 to 12"),
        ("2021-07-29", "has a year"),
        ("2021-07", "has a year"),
        ("2021", "has a year"),
        ("July", "use MM-DD"),
        ("07/29", "use MM-DD"),
        ("7-4-1", "use MM-DD"),
        ("007", "use MM-DD"),
        ("", "use MM-DD"),
        ("٠٧", "use MM-DD"),  # noqa: RUF001 - digits, but not ASCII ones
        ("\udcff", "use MM-DD"),
    ],
)
def test_bad_values_are_usage_errors_that_say_why(value: str, message: str) -> None:
    result = invoke("events", "--on", value)
    assert_usage_error(result, "--on")
    assert message in result.stderr


def test_a_full_date_is_pointed_to_since_and_until() -> None:
    result = invoke("events", "--on", "2021-07-29")
    assert_usage_error(result, "--on")
    assert "--since 2021-07-29 --until 2021-07-29" in result.stderr


def test_on_needs_a_value() -> None:
    assert_usage_error(invoke("events", "--on"), "--on")


# -- the rule itself: on_date against on_ranges ---------------------------------------------

ORDINALS = st.integers(dt.date(1, 1, 1).toordinal(), dt.date(9999, 12, 31).toordinal())
MONTH_DAYS = st.integers(1, 12).flatmap(
    lambda m: st.tuples(st.just(m), st.none() | st.integers(1, 29 if m == 2 else 30 if m in (4, 6, 9, 11) else 31))
)


@given(ORDINALS, st.integers(0, 40), MONTH_DAYS)
def test_the_ranges_the_sqlite_engine_looks_up_are_the_rule(first: int, length: int, month_day: Any) -> None:
    last = min(first + length, dt.date.max.toordinal())
    wanted = MonthDay(*month_day)
    years = dt.date.fromordinal(first).year, dt.date.fromordinal(last).year
    looked_up = any(start <= first and last <= end for start, end in on_ranges(wanted, *years))
    assert on_date(first, last, wanted) == looked_up


@given(MONTH_DAYS)
def test_an_open_end_is_on_no_day(month_day: Any) -> None:
    wanted = MonthDay(*month_day)
    day = dt.date(2021, 7, 29).toordinal()
    assert not on_date(OPEN_START, day, wanted)
    assert not on_date(day, OPEN_END, wanted)


def test_29_february_is_in_leap_years_only() -> None:
    days = [dt.date.fromordinal(start) for start, _ in on_ranges(MonthDay(2, 29), 1899, 2024)]
    assert [d.year for d in days] == [y for y in range(1899, 2025) if y % 4 == 0 and (y % 100 or y % 400 == 0)]
    assert 1900 not in {d.year for d in days} and 2000 in {d.year for d in days}


# -- the two engines agree, on a dataset large enough for SQLite -----------------------------


def random_date(rng: random.Random) -> str:
    """Every shape of date the precision rule tells apart, leap days included."""
    year = rng.randint(1996, 2032)
    month = rng.randint(1, 12)
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.date(year, month, 1)).days
    day = rng.randint(1, last)
    point = f"{year}-{month:02d}-{day:02d}"
    shape = rng.random()
    if shape < 0.45:
        return point + rng.choice(["", "", "?", "~"])
    if shape < 0.55:
        return f"{year}-{month:02d}" + rng.choice(["", "?"])
    if shape < 0.6:
        return f"{year}"
    if shape < 0.8:  # an interval of up to 40 days: in one month, or into the next, or the next year
        end = dt.date(year, month, day) + dt.timedelta(days=rng.randint(1, 40))
        return f"{point}/{end.isoformat()}"
    if shape < 0.85:
        return f"{year}-02-29" if year % 4 == 0 else f"{year}-02-28"
    return rng.choice([f"{point}/..", f"../{point}", f"{year}-{month:02d}/{year}-{month:02d}", f"{year}/{year + 1}"])


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = random.Random(20250729)
    lines = ["sources:", "  - {id: s, title: T}", "events:"]
    for index in range(cache.SQLITE_FROM_EVENTS + 100):
        lines.append(
            f'  - {{id: e-{index:05d}, date: "{random_date(rng)}", title: t, kind: {rng.choice(["launch", "docking"])},'
            " summary: x, sources: [{source: s, quote: q}]}"
        )
    path = tmp_path_factory.mktemp("big-on") / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ON_VALUES = [MonthDay(month) for month in range(1, 13)] + [
    MonthDay(*pair) for pair in [(1, 1), (1, 31), (2, 28), (2, 29), (3, 1), (6, 30), (7, 29), (12, 31)]
]


def queries() -> list[Query]:
    out = [Query(on=value) for value in ON_VALUES]
    out += [
        Query(on=MonthDay(7), since=PartialDate.parse("2010"), until=PartialDate.parse("2020-06")),
        Query(on=MonthDay(2, 29), within=True, since=PartialDate.parse("2000"), until=PartialDate.parse("2016")),
        Query(on=MonthDay(12), kinds=frozenset({Kind.DOCKING}), reverse=True, limit=9),
        Query(on=MonthDay(3, 1), reverse=True),
    ]
    return out


def test_the_sqlite_engine_answers_on_like_the_memory_engine(big: Path, tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    memory = open_store(big, use_cache=False)
    open_store(big, environ=env)  # writes the entry
    sqlite = open_store(big, environ=env)
    assert isinstance(sqlite, FallbackStore)  # answered from SQLite
    records = [row.record for row in memory.select(Query())]
    for q in queries():
        expected = [row.id for row in memory.select(q)]
        assert [row.id for row in sqlite.select(q)] == expected, q
    for value in ON_VALUES:  # and both are the rule, as the oracle writes it
        wanted = [r["id"] for r in records if on(dict(r), value.month, value.day)]
        assert [row.id for row in sqlite.select(Query(on=value))] == wanted, value
        assert wanted, f"no event is on {value}: the comparison would prove nothing"


@pytest.fixture
def small_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries of 2 events or more in SQLite: its edge cases with tiny files."""
    monkeypatch.setattr(cache, "SQLITE_FROM_EVENTS", 2)


@pytest.mark.usefixtures("small_sqlite")
@pytest.mark.parametrize(
    ("dates", "value", "expected"),
    [
        (["../2021-07-29", "../2021-07"], "07-29", []),  # no event with a known start
        (["../2021-07-29", "../2021-07"], "07", []),
        (["2021-02-28", "2023-02"], "02-29", []),  # no leap year in the span
        (["2020-02-29", "2023-02"], "02-29", ["a"]),
        (["2021-07-29", "2021-07-29/.."], "07-29", ["a"]),
        (["0001-07-29", "9999-07"], "07", ["a", "b"]),  # 9,999 years of ranges
        (["0001-07-29", "9999-07-29"], "07-29", ["a", "b"]),
    ],
)
def test_the_sqlite_engine_edges(tmp_path: Path, dates: list[str], value: str, expected: list[str]) -> None:
    path = tmp_path / "events.yaml"
    events = "".join(
        f'  - {{id: {ident}, date: "{date}", title: t, kind: launch, summary: x, sources: [{{source: s, quote: q}}]}}\n'
        for ident, date in zip("ab", dates, strict=True)
    )
    path.write_text(PRECISE + events, encoding="utf-8")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    for _ in range(2):  # compiled, then from the SQLite entry
        result = invoke("--data", str(path), "events", "--on", value, "--json", env=env)
        assert result.exit_code == 0, result.stderr
        assert [e["id"] for e in json.loads(result.stdout)] == expected
    assert isinstance(open_store(path, environ=env), FallbackStore)
