"""JSON output: golden files for whole answers, and the contract's field names pinned.

Regenerate the golden files after a deliberate change with

    ISSFACTS_UPDATE_GOLDEN=1 pytest tests/test_json_golden.py

and review the diff; otherwise each answer must equal its file (as parsed JSON).
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest
from support import GOLDEN, invoke, ok, ok_json

UPDATE = os.environ.get("ISSFACTS_UPDATE_GOLDEN") == "1"

GOLDEN_CASES: dict[str, tuple[str, ...]] = {
    "events-since-2021.json": ("events", "--since", "2021", "--json"),
    "spacecraft-soyuz-ms-22.json": ("spacecraft", "Soyuz MS-22", "--json"),
    "show-2022-12-14-soyuz-ms-22-coolant-leak.json": ("show", "2022-12-14-soyuz-ms-22-coolant-leak", "--json"),
    "people-alexy-ovchinin.json": ("people", "Alexy Ovchinin", "--json"),
    "sources.json": ("sources", "--json"),
    "spacecraft.json": ("spacecraft", "--json"),
}


@pytest.mark.parametrize("name", GOLDEN_CASES)
def test_json_output_matches_its_golden_file(name: str) -> None:
    result = invoke(*GOLDEN_CASES[name])
    assert result.exit_code == 0, result.stderr
    actual = json.loads(result.stdout)
    path = GOLDEN / name
    if UPDATE:
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert path.exists(), f"{path} is missing; run with ISSFACTS_UPDATE_GOLDEN=1 to write it"
    assert actual == json.loads(path.read_text(encoding="utf-8"))


# -- field names ----------------------------------------------------------------------------
# The contract's names, exactly. Fields the contract does not name are allowed, but only
# those listed in EXTRA, so a new or renamed field is a deliberate change made here.

EVENT_FIELDS = {
    "id",
    "date",
    "earliest",  # the second release: the date's bounds, YYYY-MM-DD or null for an open end
    "latest",
    "title",
    "kind",
    "status",
    "summary",
    "spacecraft",
    "agencies",
    "people",
    "claims",
    "sources",
}
CLAIM_FIELDS = {"claim", "by", "source", "quote"}
CITATION_FIELDS = {"source", "outlet", "title", "author", "published", "quote"}
RECORD_FIELDS = {"id", "name", "aliases"}  # a spacecraft or a person
SOURCE_FIELDS = {"id", "title", "events"}  # `sources --json`; the contract only says "how many events"

EXTRA: dict[str, set[str]] = {
    "event": {"date_note"},
    "claim": set(),
    "citation": {"published_earliest", "published_latest"},
    "spacecraft": {"type", "operators"},
    "person": {"role", "agency"},
    "source": {"outlet", "author", "published", "published_earliest", "published_latest", "note"},
}

POINT = r"\d{4}(?:-\d{2}(?:-\d{2})?)?[?~%]?"
DATE = re.compile(rf"{POINT}|(?:{POINT}|\.\.)/(?:{POINT}|\.\.)")  # the EDTF profile of the contract
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def assert_bounds(earliest: object, latest: object) -> None:
    for bound in (earliest, latest):
        assert bound is None or (isinstance(bound, str) and DAY.fullmatch(bound)), bound
    if isinstance(earliest, str) and isinstance(latest, str):
        assert earliest <= latest


def assert_fields(obj: dict[str, Any], required: set[str], extra: set[str]) -> None:
    keys = set(obj)
    assert required <= keys, f"missing {required - keys}"
    assert keys - required <= extra, f"unlisted fields {keys - required - extra}"


def assert_event(event: dict[str, Any]) -> None:
    assert_fields(event, EVENT_FIELDS, EXTRA["event"])
    assert DATE.fullmatch(event["date"]), event["date"]
    assert_bounds(event["earliest"], event["latest"])
    for key in ("id", "title", "kind", "status", "summary"):
        assert isinstance(event[key], str) and event[key]
    assert event["status"] in ("happened", "planned")
    for key in ("spacecraft", "agencies", "people"):
        assert isinstance(event[key], list)
        assert all(isinstance(name, str) and name for name in event[key])
    assert isinstance(event["claims"], list)
    for claim in event["claims"]:
        assert_fields(claim, CLAIM_FIELDS, EXTRA["claim"])
        assert all(isinstance(claim[key], str) and claim[key] for key in CLAIM_FIELDS)
    assert isinstance(event["sources"], list) and event["sources"]
    for cite in event["sources"]:
        assert_fields(cite, CITATION_FIELDS, EXTRA["citation"])
        assert isinstance(cite["source"], str) and isinstance(cite["title"], str)
        assert isinstance(cite["quote"], str) and cite["quote"]
        assert cite["published"] is None or DATE.fullmatch(cite["published"])
        assert_bounds(cite["published_earliest"], cite["published_latest"])


def test_every_event_has_the_contract_fields() -> None:
    events = ok_json("events")
    assert events
    for event in events:
        assert_event(event)


def test_jsonl_events_have_the_same_fields() -> None:
    for line in ok("events", "--format", "jsonl").stdout.splitlines():
        assert_event(json.loads(line))


def test_show_has_the_contract_fields() -> None:
    assert_event(ok_json("show", "2022-12-14-soyuz-ms-22-coolant-leak"))


@pytest.mark.parametrize(
    ("command", "name", "kind"), [("spacecraft", "Soyuz MS-22", "spacecraft"), ("people", "Alexy Ovchinin", "person")]
)
def test_a_named_record_has_its_fields_and_events(command: str, name: str, kind: str) -> None:
    record = ok_json(command, name)
    assert_fields(record, RECORD_FIELDS | {"events"}, EXTRA[kind])
    assert isinstance(record["aliases"], list)
    assert record["events"]
    for event in record["events"]:
        assert_event(event)


@pytest.mark.parametrize(("command", "kind"), [("spacecraft", "spacecraft"), ("people", "person")])
def test_a_listing_of_records_has_their_fields(command: str, kind: str) -> None:
    records = ok_json(command)
    assert isinstance(records, list) and records
    for record in records:
        # without NAME each record carries its event count, not the events themselves
        assert_fields(record, RECORD_FIELDS, EXTRA[kind] | {"events"})


def test_sources_have_their_fields() -> None:
    for source in ok_json("sources"):
        assert_fields(source, SOURCE_FIELDS, EXTRA["source"])
        assert isinstance(source["events"], int)


def test_json_dates_keep_their_precision() -> None:
    dates = {event["id"]: event["date"] for event in ok_json("events")}
    assert dates["2028-iss-operation-until-2028"] == "2028"
    assert dates["2023-01-soyuz-ms-23-replacement-announced"] == "2023-01"
    assert dates["2022-12-14-soyuz-ms-22-coolant-leak"] == "2022-12-14"
    assert dates["2021-nelson-letter-to-rogozin"] == "2021-07-29/2021-08-05"
    assert dates["2023-03-soyuz-ms-22-uncrewed-return-planned"] == "2023-03?"


@pytest.mark.parametrize(
    ("ident", "earliest", "latest"),
    [
        ("2028-iss-operation-until-2028", "2028-01-01", "2028-12-31"),
        ("2023-01-soyuz-ms-23-replacement-announced", "2023-01-01", "2023-01-31"),
        ("2021-nelson-letter-to-rogozin", "2021-07-29", "2021-08-05"),
        ("2025-us-transition-from-russian-rocket-engines", None, "2025-12-31"),
        ("2028-ros-launch-planned", "2028-01-01", None),
        ("2018-soyuz-booster-failure-emergency-return", "2018-10-01", "2018-10-31"),  # '?' leaves the bounds
    ],
)
def test_json_events_carry_their_bounds(ident: str, earliest: str | None, latest: str | None) -> None:
    event = ok_json("show", ident)
    assert (event["earliest"], event["latest"]) == (earliest, latest)


def test_json_sources_carry_the_bounds_of_published() -> None:
    sources = {s["id"]: s for s in ok_json("sources")}
    insider = sources["spaceflight-insider-2018-soyuz-leak"]
    assert insider["published"] == "2018-09-13/2018-10-10"
    assert (insider["published_earliest"], insider["published_latest"]) == ("2018-09-13", "2018-10-10")
    frontier = sources["frontier-india-2025-talks"]
    assert (frontier["published_earliest"], frontier["published_latest"]) == ("2025-07-29", None)
    cite = ok_json("show", "2021-nelson-letter-to-rogozin")["sources"][0]
    assert (cite["published"], cite["published_earliest"], cite["published_latest"]) == (
        "2021-08-03/2021-08-05",
        "2021-08-03",
        "2021-08-05",
    )


def test_json_is_utf8_not_ascii_escaped() -> None:
    out = ok("show", "2018-08-29-soyuz-ms-09-leak", "--json").stdout
    assert "human hand \u2013" in out  # an en dash, written as itself
