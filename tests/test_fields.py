"""`--fields`: the fields asked for, in their order, in every format, on every listing.

The fields each record offers are those of the contract's records (records.py): the
lists in issfacts.fields must describe exactly the keys the JSON output has, so a key
added to a record without a line of help fails here.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import FORMATS, assert_usage_error, invoke, ok, ok_json, squash

from issfacts import fields

EVENT = fields.KINDS["event"]
COOLANT = "2022-12-14-soyuz-ms-22-coolant-leak"


def names(kind: str) -> list[str]:
    return [field.name for field in fields.KINDS[kind].fields]


# -- the documented fields are the records' keys ------------------------------------------------


def test_event_fields_are_the_json_keys() -> None:
    (event,) = [e for e in ok_json("events") if e["id"] == COOLANT]
    assert names("event") == list(event)
    assert [f.name for f in EVENT.nested["sources"]] == list(event["sources"][0])
    assert [f.name for f in EVENT.nested["claims"]] == list(event["claims"][0])


@pytest.mark.parametrize(
    ("command", "kind"), [("spacecraft", "spacecraft"), ("people", "person"), ("sources", "source")]
)
def test_catalog_fields_are_the_json_keys(command: str, kind: str) -> None:
    records = ok_json(command)
    assert all(list(record) == names(kind) for record in records)


def test_list_fields_are_lists() -> None:
    for kind, command in (("event", "events"), ("spacecraft", "spacecraft"), ("person", "people")):
        records = ok_json(command)
        listed = {name for name in names(kind) if all(isinstance(r[name], list) for r in records)}
        assert listed == fields.KINDS[kind].lists, kind


# -- every format ----------------------------------------------------------------------------

ASKED = "date,id,sources.outlet,title"


def test_json_keys_in_the_order_given_and_nested_lists_cut_down() -> None:
    full = ok_json("events", "--since", "2022-12", "--until", "2022-12")
    cut = ok_json("events", "--since", "2022-12", "--until", "2022-12", "--fields", ASKED)
    assert len(cut) == len(full)
    for whole, part in zip(full, cut, strict=True):
        assert list(part) == ["date", "id", "sources", "title"]
        assert part["sources"] == [{"outlet": s["outlet"]} for s in whole["sources"]]
        assert (part["date"], part["id"], part["title"]) == (whole["date"], whole["id"], whole["title"])


def test_two_keys_of_one_list_stay_together_and_the_whole_list_wins() -> None:
    event = ok_json("show", COOLANT, "--fields", "sources.quote,id,sources.outlet")
    assert list(event) == ["sources", "id"]
    assert list(event["sources"][0]) == ["quote", "outlet"]
    whole = ok_json("show", COOLANT)
    assert ok_json("show", COOLANT, "--fields", "sources.quote,sources") == {"sources": whole["sources"]}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_prints_the_fields_in_order(fmt: str) -> None:
    args = ["events", "--since", "2023-02", "--until", "2023-02", "--fields", "title,date,people", "--format", fmt]
    result = invoke(*args, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.stderr
    full = ok_json("events", "--since", "2023-02", "--until", "2023-02")
    out = result.stdout
    if fmt == "json":
        assert [list(r) for r in json.loads(out)] == [["title", "date", "people"]] * len(full)
    elif fmt == "jsonl":
        assert [list(json.loads(line)) for line in out.splitlines()] == [["title", "date", "people"]] * len(full)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0] == ["title", "date", "people"]
        assert rows[1:] == [[e["title"], e["date"], "; ".join(e["people"])] for e in full]
    elif fmt == "tsv":
        assert out.splitlines() == ["\t".join([e["title"], e["date"], "; ".join(e["people"])]) for e in full]
    elif fmt == "markdown":
        lines = out.splitlines()
        assert lines[0] == "| title | date | people |"
        assert len(lines) == 2 + len(full)
    else:  # the terminal table, here at 160 columns: headers as asked for, in that order
        header = out.splitlines()[0].split()
        assert header == ["title", "date", "people"], out[:400]
        for event in full:
            assert event["title"][:30] in squash(out)


def test_the_terminal_table_reads_well() -> None:
    """Readable dates, lists as `first +N`, the title taking the width."""
    result = invoke("events", "--fields", "date,title,spacecraft", "--format", "table", env={"COLUMNS": "140"})
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["date", "title", "spacecraft"]
    text = "\n".join(lines)
    assert "29 Jul 2021" in text and "2021-07-29" not in text
    assert re.search(r"Soyuz MS-22 \+\d", text)


def test_without_fields_output_is_unchanged() -> None:
    for fmt in ("json", "tsv", "csv"):
        assert ok("events", "--format", fmt).stdout == ok("events", "--format", fmt).stdout
    columns = ok("events", "--format", "csv").stdout.splitlines()[0]
    assert columns == "date,id,kind,status,title,spacecraft,agencies,people,sources,summary,earliest,latest"


# -- the other listings ------------------------------------------------------------------------


def test_catalog_listings_take_their_own_fields() -> None:
    assert ok("spacecraft", "--fields", "name,events", "--format", "tsv").stdout.splitlines()[0] == (
        "International Space Station\t36"
    )
    people = ok_json("people", "--fields", "agency,name")
    assert all(list(p) == ["agency", "name"] for p in people)
    sources = ok("sources", "--fields", "outlet,events", "--format", "csv").stdout.splitlines()
    assert sources[0] == "outlet,events" and "Ars Technica,15" in sources


def test_with_a_name_the_fields_are_those_of_its_events() -> None:
    named = ok_json("spacecraft", "55S", "--fields", "date,title")
    assert named["name"] == "Soyuz MS-09"  # the record itself stays whole
    assert named["events"] and all(list(e) == ["date", "title"] for e in named["events"])
    tsv = ok("people", "Rogozin", "--fields", "id", "--format", "tsv").stdout.split()
    assert tsv == [e["id"] for e in ok_json("people", "Rogozin")["events"]]
    assert_usage_error(invoke("spacecraft", "55S", "--fields", "aliases"), "--fields", "unknown event field")


def test_show_prints_one_object_or_one_row() -> None:
    assert ok_json("show", COOLANT, "--fields", "date,earliest") == {"date": "2022-12-14", "earliest": "2022-12-14"}
    assert ok("show", COOLANT, "--fields", "date,kind", "--format", "tsv").stdout == "2022-12-14\tincident\n"


def test_timeline_machine_formats_take_fields_in_timeline_order() -> None:
    cut = ok_json("timeline", "--since", "2025", "--fields", "id")
    assert [e["id"] for e in cut] == [e["id"] for e in ok_json("events", "--since", "2025")]


# -- errors and help -----------------------------------------------------------------------------


def test_an_unknown_field_is_a_usage_error_listing_the_valid_ones() -> None:
    result = invoke("events", "--fields", "id,dat")
    assert_usage_error(result, "--fields", "'dat'", "did you mean date")
    message = squash(result.stderr)
    for name in EVENT.names():
        assert name in message


@pytest.mark.parametrize("value", ["", " , ", "sources.", "sources.nope", "id.x", "ID"])
def test_bad_field_lists(value: str) -> None:
    assert_usage_error(invoke("events", "--fields", value), "--fields")


@pytest.mark.parametrize(("command", "kind"), [("events", "event"), ("sources", "source"), ("people", "person")])
def test_fields_help_describes_every_field(command: str, kind: str) -> None:
    result = ok(command, "--fields", "help")
    for field in fields.KINDS[kind].fields:
        assert re.search(rf"^  {re.escape(field.name)} +{re.escape(field.help)}$", result.stdout, re.M), field


def test_fields_help_runs_before_the_data_is_read(tmp_path: Any) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("events: [\n", encoding="utf-8")
    assert "sources.outlet" in ok("--data", str(broken), "events", "--fields", "help").stdout


# -- any selection -----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(EVENT.names()), min_size=1, max_size=6))
def test_any_selection_projects_every_record(asked: list[str]) -> None:
    selection = fields.parse(",".join(asked), EVENT)
    full = _events()
    for record in full:
        part = selection.project(record)
        parents = list(dict.fromkeys(name.partition(".")[0] for name in asked))
        assert list(part) == parents
        for parent in parents:
            if parent in asked or parent not in EVENT.nested:
                assert part[parent] == record[parent]
            else:
                keys = list(dict.fromkeys(n.partition(".")[2] for n in asked if n.startswith(parent + ".")))
                assert part[parent] == [{k: item[k] for k in keys} for item in record[parent]]
        row = [column.value(part) for column in selection.columns()]
        assert len(row) == len(dict.fromkeys(asked))


_CACHE: list[Any] = []


def _events() -> list[Any]:
    if not _CACHE:
        _CACHE.extend(ok_json("events"))
    return _CACHE
