"""`issfacts schema`: every JSON output validates against the schema it names, with an
independent validator (jsonschema, draft 2020-12, formats checked), and the schemas
are strict enough to catch drift: an extra key, a wrong type, a bad date fail."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from support import SMALL, assert_usage_error, invoke, ok, ok_json

from issfacts import json_schema


def validator(name: str) -> Any:
    schema = json.loads(ok("schema", name).stdout)
    cls = jsonschema.validators.validator_for(schema)  # ours 2020-12, the CSL one draft-07
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


OUTPUTS = [
    ("events", ["events"]),
    ("events", ["events", "--since", "2021", "--kind", "incident"]),
    ("events", ["timeline"]),
    ("events", ["--data", str(SMALL), "events"]),
    ("event", ["show", "2022-12-14-soyuz-ms-22-coolant-leak"]),
    ("event", ["show", "2018-08-29-soyuz-ms-09-leak"]),  # with claims
    ("spacecraft", ["spacecraft"]),
    ("spacecraft-record", ["spacecraft", "Soyuz MS-22"]),
    ("people", ["people"]),
    ("person", ["people", "Rogozin"]),
    ("sources", ["sources"]),
    ("stats", ["stats"]),
    ("stats", ["stats", "--by", "spacecraft", "--by", "person", "--by", "source", "--by", "month"]),
    (
        "csl-json",
        ["cite", "ms-22-coolant", "nauka-thruster", "hubble-like", "2025-us-transition", "--style", "csl-json"],
    ),
]


@pytest.mark.parametrize(("name", "args"), OUTPUTS, ids=[" ".join(args) for _, args in OUTPUTS])
def test_real_outputs_validate(name: str, args: list[str]) -> None:
    output = ok(*args, *([] if "--style" in args else ["--json"])).stdout
    validator(name).validate(json.loads(output))


def test_every_schema_is_listed_valid_and_used() -> None:
    listed = [line.split()[0] for line in ok("schema").stdout.splitlines()]
    assert listed == [*json_schema.SCHEMAS, "csl-json"]
    assert {name for name, _ in OUTPUTS} == set(listed)
    for name in listed:
        validator(name)


def test_every_record_field_is_described() -> None:
    """The schema names every key an event has, and nothing else."""
    event = json.loads(ok("schema", "event").stdout)["$defs"]["event"]
    (shown,) = [ok_json("show", "2022-12-14-soyuz-ms-22-coolant-leak")]
    assert list(event["properties"]) == list(shown)


def mutate(value: Any, path: list[Any], new: Any) -> Any:
    changed = copy.deepcopy(value)
    target = changed
    for step in path[:-1]:
        target = target[step]
    if new is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = new
    return changed


@pytest.mark.parametrize(
    ("path", "new"),
    [
        (["extra"], 1),  # a key the contract does not have
        (["date"], "July 2021"),
        (["date"], "2021-7-29"),
        (["earliest"], "2021-02-30"),  # not a day
        (["kind"], "party"),
        (["status"], "maybe"),
        (["spacecraft"], "Soyuz MS-22"),  # a list, not a string
        (["sources"], []),  # every event is sourced
        (["sources", 0, "quote"], None),
        (["sources", 0, "url"], "https://example.org"),
        (["title"], KeyError),
    ],
)
def test_the_schema_catches_drift(path: list[Any], new: Any) -> None:
    event = ok_json("show", "2022-12-14-soyuz-ms-22-coolant-leak")
    check = validator("event")
    check.validate(event)
    with pytest.raises(jsonschema.ValidationError):
        check.validate(mutate(event, path, new))


def test_stats_counts_are_positive_and_fields_known() -> None:
    check = validator("stats")
    rows = ok_json("stats")
    with pytest.raises(jsonschema.ValidationError):
        check.validate([{**rows[0], "count": 0}])
    with pytest.raises(jsonschema.ValidationError):
        check.validate([{**rows[0], "field": "colour"}])


def test_an_unknown_schema_is_a_usage_error_naming_the_known_ones() -> None:
    assert_usage_error(invoke("schema", "evnts"), "no schema 'evnts'", "events", "stats")
