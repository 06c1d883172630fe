"""Properties over generated input (hypothesis), each bounded so the suite stays fast.

- whatever the options of `events`, the exit code is 0, 1 or 2, there is no traceback,
  errors leave stdout empty, and `--json` output parses;
- `--search` and `--since/--until` agree with an oracle written from the contract, on
  the bundled dataset and on a dataset large enough to be answered from the SQLite cache;
- whatever is done to a valid data file, `validate` exits 0 or 1 and prints only
  `PATH:LINE:COL: message` lines, and the other commands agree with it.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from support import FORMATS, PROBLEM_LINE, RAW_CONTROL, SMALL, edtf_bounds, invoke, ok_json, overlaps_or_within

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

KINDS = [
    "launch",
    "docking",
    "undocking",
    "return",
    "incident",
    "investigation",
    "statement",
    "agreement",
    "meeting",
    "operations",
    "policy",
]

# Text a user could type: anything but NUL (argv cannot hold it), plus the lone
# surrogates Python makes of bytes that are not UTF-8 (`issfacts events --search $'\xff'`).
typed = st.text(st.characters(exclude_characters="\x00"), max_size=20) | st.sampled_from(["\udcff", "a\udc80b"])
valid_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31)).flatmap(
    lambda d: st.sampled_from([f"{d.year}", f"{d.year}-{d.month:02d}", d.isoformat()])
)
dates = valid_dates | typed | st.from_regex(r"\A\d{4}-\d{2}-\d{2}\Z")
limits = st.integers(-3, 60).map(str) | typed
names = typed | st.sampled_from(
    [
        "55S",
        "MLM",
        "MS-22",
        "ms22",
        "nauka",
        "Soyuz MS-22",
        "soyuz ms-22",
        "nasa",
        "Alexy Ovchinin",
        "Dmitry",
        "iss",
        "ESA",
    ]
)
formats = st.sampled_from([*FORMATS, "JSON", "xml", ""])
options = st.one_of(
    st.tuples(st.sampled_from(["--since", "--until"]), dates),
    st.tuples(st.sampled_from(["--spacecraft", "--agency", "--person"]), names),
    st.tuples(st.just("--kind"), st.sampled_from([*KINDS, "Incident", "bogus"]) | typed),
    st.tuples(st.just("--status"), st.sampled_from(["happened", "planned", "PLANNED", "maybe"])),
    st.tuples(st.just("--search"), typed),
    st.tuples(st.sampled_from(["--limit", "-n"]), limits),
    st.tuples(st.sampled_from(["--format", "-f"]), formats),
)


# -- the options of `events` ------------------------------------------------------------


@SETTINGS
@given(st.lists(options, max_size=5), st.lists(st.sampled_from(["--reverse", "--json"]), unique=True))
def test_events_never_crashes(pairs: list[tuple[str, str]], flags: list[str]) -> None:
    args = ["events", *[part for pair in pairs for part in pair], *flags]
    result = invoke(*args)  # fails on any uncaught exception or traceback
    assert result.exit_code in (0, 1, 2), (args, result.exit_code)
    if result.exit_code != 0:
        assert result.stdout == ""
        assert result.stderr.strip()
        return
    assert not RAW_CONTROL.search(result.stdout)
    chosen = [value.lower() for option, value in pairs if option in ("--format", "-f")]
    if "--json" in flags or (chosen and chosen[-1] == "json"):
        assert isinstance(json.loads(result.stdout), list)


@pytest.fixture(scope="module")
def bundled() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = ok_json("events")
    return events


def searched(event: dict[str, Any]) -> list[str]:
    parts = [event["title"], event["summary"], *(c["quote"] for c in event["sources"])]
    return parts + [text for c in event["claims"] for text in (c["claim"], c["quote"])]


def matches(event: dict[str, Any], term: str) -> bool:
    return any(term.casefold() in part.casefold() for part in searched(event))


@st.composite
def search_terms(draw: st.DrawFn, events: list[dict[str, Any]]) -> str:
    """Mostly a piece of some event's text, in some case; sometimes anything."""
    if draw(st.booleans()):
        text = draw(st.sampled_from([part for event in events for part in searched(event)]))
        start = draw(st.integers(0, max(0, len(text) - 1)))
        piece = text[start : start + draw(st.integers(1, 12))]
        return draw(st.sampled_from([piece, piece.upper(), piece.lower(), piece.swapcase()]))
    return draw(st.text(st.characters(exclude_characters="\x00\n"), min_size=1, max_size=6))


@SETTINGS
@given(st.data())
def test_search_agrees_with_the_contract(bundled: list[dict[str, Any]], data: st.DataObject) -> None:
    term = data.draw(search_terms(bundled))
    assume(term.strip() and "\n" not in term)
    got = [e["id"] for e in ok_json("events", "--search", term)]
    assert got == [e["id"] for e in bundled if matches(e, term)]


def span(date: str) -> tuple[dt.date, dt.date]:
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 3:
        return dt.date(*parts), dt.date(*parts)
    month_first, month_last = (parts[1], parts[1]) if len(parts) == 2 else (1, 12)
    last = calendar.monthrange(parts[0], month_last)[1]
    return dt.date(parts[0], month_first, 1), dt.date(parts[0], month_last, last)


def in_window(date: str, since: str | None, until: str | None, *, within: bool = False) -> bool:
    """The contract's rule on an EDTF date, its bounds taken from the edtf package."""
    return overlaps_or_within(
        edtf_bounds(date),
        None if since is None else span(since)[0],
        None if until is None else span(until)[1],
        within=within,
    )


def on_the_day(date: str, on: str) -> bool:
    """The contract's `--on MM-DD|MM` on an EDTF date, its bounds from the edtf package:
    one day with that month and day, or both bounds in one month that is that month."""
    earliest, latest = edtf_bounds(date)
    if earliest is None or latest is None:
        return False
    month, _, day = on.partition("-")
    if day:
        return earliest == latest and (earliest.month, earliest.day) == (int(month), int(day))
    return (earliest.year, earliest.month) == (latest.year, latest.month) and earliest.month == int(month)


def sort_key(date: str, ident: str) -> tuple[dt.date, dt.date, str]:
    earliest, latest = edtf_bounds(date)
    return (earliest or dt.date.min, latest or dt.date.max, ident)


@SETTINGS
@given(st.none() | valid_dates, st.none() | valid_dates, st.booleans())
def test_date_windows_agree_with_the_contract(
    bundled: list[dict[str, Any]], since: str | None, until: str | None, within: bool
) -> None:
    assume(since is None or until is None or span(since)[0] <= span(until)[1])  # inverted: see test_cli
    assume(not within or since or until)
    args = [*(["--since", since] if since else []), *(["--until", until] if until else [])]
    got = [e["id"] for e in ok_json("events", *args, *(["--within"] if within else []))]
    assert got == [e["id"] for e in bundled if in_window(e["date"], since, until, within=within)]


# -- a large dataset, answered from the cache ---------------------------------------------

# Words for titles and quotes, with what a full-text index might trip on: case that folds
# to more letters, quotes, LIKE wildcards, query-language words. (No `*` or `&`: they
# would send the whole file down the slower anchor-safe YAML path.)
WORDS = [
    "leak",
    "Soyuz",
    "progress",
    "Nauka",
    "ISS",
    "crew",
    "coolant",
    "drill",
    "hole",
    "thruster",
    "straße",
    "STRASSE",
    "İstanbul",
    "東京",
    "ǅ",
    "“quoted”",
    "50%",
    "a_b",
    'x"y',
    "NEAR",
    "AND",
    "OR",
]
QUERY_SYNTAX = ["*", '"', "NEAR(a b)", "a OR b", "-leak", "^leak", "leak*", "(", ")", ":", "%", "_", "\\"]
BIG_EVENTS = 2_100  # above the size at which the cache keeps an index rather than one blob


def big_date(rng: random.Random, year: int) -> str:
    """Mostly single dates; one in five an interval, some with an open end or a qualifier."""

    def point(year: int) -> str:
        return rng.choice(
            [f"{year}", f"{year}-{rng.randint(1, 12):02d}", f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"]
        )

    if rng.random() < 0.8:
        return point(year) + rng.choice(["", "", "", "?", "~"])
    start, end = point(year), point(year + rng.randint(1, 3))
    return rng.choice([f"{start}/{end}", f"{start}/..", f"../{end}", f"{start}?/{end}"])


@pytest.fixture(scope="module")
def big_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module's runs on the large dataset: it is compiled once."""
    return tmp_path_factory.mktemp("big-cache")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    rng = random.Random(20250729)
    lines = [
        "sources:",
        "  - {id: s, title: T}",
        "spacecraft:",
        "  - {id: iss, name: ISS, type: space station}",
        "  - {id: nauka, name: Nauka, type: station module}",
        "events:",
    ]
    events = []
    for index in range(BIG_EVENTS):
        date = big_date(rng, 1998 + index % 40)
        title = " ".join(rng.choice(WORDS) for _ in range(4))
        quote = " ".join(rng.choice(WORDS) for _ in range(3))
        kind = rng.choice(KINDS)
        craft = rng.choice([[], ["iss"], ["nauka"], ["iss", "nauka"]])
        events.append(
            {
                "id": f"e-{index:05d}",
                "date": date,
                "title": title,
                "summary": f"summary {index}",
                "quote": quote,
                "kind": kind,
                "spacecraft": craft,
            }
        )
        lines += [
            f"  - id: e-{index:05d}",
            f'    date: "{date}"',
            f"    title: {json.dumps(title, ensure_ascii=False)}",
            f"    kind: {kind}",
            f'    summary: "summary {index}"',
            f"    spacecraft: [{', '.join(craft)}]",
            f"    sources: [{{source: s, quote: {json.dumps(quote, ensure_ascii=False)}}}]",
        ]
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, events


def big_ids(path: Path, *args: str, cache: Path | None = None) -> list[str]:
    env = None if cache is None else {"XDG_CACHE_HOME": str(cache)}
    result = invoke("--data", str(path), "events", "--format", "tsv", *args, env=env)
    assert result.exit_code == 0, result.stderr[:500]
    return [line.split("\t")[1] for line in result.stdout.splitlines()]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    term=st.sampled_from(WORDS).flatmap(lambda w: st.sampled_from([w, w.lower(), w.upper(), w[:2], w[1:], w[:3]]))
    | st.sampled_from(QUERY_SYNTAX)
    | st.text(st.characters(exclude_characters="\x00\n"), min_size=1, max_size=4),
    since=st.none() | valid_dates,
    until=st.none() | valid_dates,
    within=st.booleans(),
    kind=st.none() | st.sampled_from(KINDS),
    craft=st.none() | st.sampled_from(["iss", "nauka"]),
    on=st.none() | st.sampled_from(["07", "12", "02", "07-15", "03-01", "02-28", "12-28"]),
)
def test_a_large_dataset_answers_like_a_small_one(
    big: tuple[Path, list[dict[str, Any]]],
    big_cache: Path,
    term: str,
    since: str | None,
    until: str | None,
    within: bool,
    kind: str | None,
    craft: str | None,
    on: str | None,
) -> None:
    assume(term.strip())
    assume(since is None or until is None or span(since)[0] <= span(until)[1])
    within = within and bool(since or until)
    path, events = big
    args = [
        "--search",
        term,
        *(["--since", since] if since else []),
        *(["--until", until] if until else []),
        *(["--within"] if within else []),
        *(["--kind", kind] if kind else []),
        *(["--spacecraft", craft] if craft else []),
        *(["--on", on] if on else []),
    ]
    expected = [
        e["id"]
        for e in events
        if any(term.casefold() in text.casefold() for text in (e["title"], e["summary"], e["quote"]))
        and in_window(e["date"], since, until, within=within)
        and (kind is None or e["kind"] == kind)
        and (craft is None or craft in e["spacecraft"])
        and (on is None or on_the_day(e["date"], on))
    ]
    got = big_ids(path, *args, cache=big_cache)
    assert sorted(got) == sorted(expected)
    dates = {e["id"]: e["date"] for e in events}
    keys = [sort_key(dates[ident], ident) for ident in got]
    assert keys == sorted(keys)  # earliest, latest, id


def test_a_large_dataset_keeps_date_order_limit_and_reverse(
    big: tuple[Path, list[dict[str, Any]]], big_cache: Path
) -> None:
    path, events = big
    everything = big_ids(path, cache=big_cache)
    assert sorted(everything) == sorted(e["id"] for e in events)
    dates = {e["id"]: e["date"] for e in events}
    keys = [sort_key(dates[ident], ident) for ident in everything]
    assert keys == sorted(keys)
    assert big_ids(path, "--limit", "7", cache=big_cache) == everything[:7]
    assert big_ids(path, "--reverse", "--limit", "7", cache=big_cache) == everything[::-1][:7]
    assert big_ids(path, "--search", "zzzz-nothing", cache=big_cache) == []


def test_a_large_dataset_survives_a_corrupt_cache(big: tuple[Path, list[dict[str, Any]]], isolate: Path) -> None:
    path, _ = big
    before = big_ids(path, "--search", "leak")  # builds the cache in this test's own directory
    assert before
    for entry in isolate.rglob("*"):
        if entry.is_file():
            entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    assert big_ids(path, "--search", "leak") == before
    for entry in isolate.rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"not a database" * 100)
    assert big_ids(path, "--search", "leak") == before


def test_a_large_dataset_show_and_lookups(big: tuple[Path, list[dict[str, Any]]]) -> None:
    path, events = big
    for _ in range(2):  # cold (this test's own cache directory), then warm
        shown = invoke("--data", str(path), "show", "e-00042", "--json")
        assert shown.exit_code == 0
        assert json.loads(shown.stdout)["id"] == "e-00042"
        assert invoke("--data", str(path), "show", "E-00042 ", "--json").stdout == shown.stdout
        ambiguous = invoke("--data", str(path), "show", "e-0004")
        assert ambiguous.exit_code == 1
        assert "e-00040" in ambiguous.stderr and "e-00049" in ambiguous.stderr
        missing = invoke("--data", str(path), "show", "e-99999")
        assert missing.exit_code == 1 and missing.stdout == ""
        counts = {c["id"]: c["events"] for c in json.loads(invoke("--data", str(path), "spacecraft", "--json").stdout)}
        assert counts == {
            "iss": sum("iss" in e["spacecraft"] for e in events),
            "nauka": sum("nauka" in e["spacecraft"] for e in events),
        }


# -- mutated data files --------------------------------------------------------------------

SMALL_LINES = SMALL.read_text(encoding="utf-8").splitlines(keepends=True)


@st.composite
def mutated(draw: Any) -> str:
    lines = list(SMALL_LINES)
    for _ in range(draw(st.integers(1, 3))):
        text = "".join(lines)
        how = draw(st.sampled_from(["delete", "duplicate", "replace", "insert", "truncate", "swap"]))
        if how == "delete" and len(lines) > 1:
            del lines[draw(st.integers(0, len(lines) - 1))]
        elif how == "duplicate":
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
        elif how == "swap" and len(lines) > 1:
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif how in ("replace", "insert") and text:
            at = draw(st.integers(0, len(text) - 1))
            char = draw(
                st.sampled_from(list(":-[]{}\"'#&*!|>%@`\t\n ,?") + ["x", "0", "é", "\ufeff"]) | st.characters()
            )
            text = text[:at] + char + text[at + (how == "replace") :]
            lines = text.splitlines(keepends=True)
        elif how == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
            lines = text.splitlines(keepends=True) or [""]
    return "".join(lines)


# Surrogates cannot be written as UTF-8 at all; every other character may appear.
NOT_YAML_PRINTABLE = re.compile("[\ud800-\udfff]")
MUTATION_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@MUTATION_SETTINGS
@given(mutated())
def test_validate_survives_any_edit(tmp_path: Path, text: str) -> None:
    assume(not NOT_YAML_PRINTABLE.search(text))
    path = tmp_path / "mutated.yaml"
    path.write_bytes(text.encode("utf-8"))
    result = invoke("validate", str(path))
    assert result.exit_code in (0, 1)
    for line in result.stdout.splitlines():
        assert PROBLEM_LINE.match(line), line
        assert line.startswith(str(path) + ":"), line
    assert len(result.stderr.splitlines()) == 1
    if result.exit_code == 0:
        assert result.stdout == ""
    else:
        assert result.stdout
    listed = invoke("--data", str(path), "events", "--json")
    assert listed.exit_code == result.exit_code  # the commands agree with validate
    if listed.exit_code == 0:
        assert isinstance(json.loads(listed.stdout), list)
    else:
        assert listed.stdout == ""


@MUTATION_SETTINGS
@given(st.binary(max_size=300))
def test_validate_survives_any_bytes(tmp_path: Path, data: bytes) -> None:
    with contextlib.suppress(UnicodeDecodeError):  # not UTF-8: reported as such, keep it
        assume(not NOT_YAML_PRINTABLE.search(data.decode("utf-8").replace("\x00", "")))
    path = tmp_path / "bytes.yaml"
    path.write_bytes(data)
    result = invoke("validate", str(path))
    assert result.exit_code in (0, 1)
    assert len(result.stderr.splitlines()) == 1
    for line in result.stdout.splitlines():
        assert PROBLEM_LINE.match(line), line
