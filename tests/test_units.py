"""The library's stable entry points, one behaviour at a time: partial dates, name
resolution, escaping for the terminal, and what the loader accepts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import SMALL, invoke

from issfacts.errors import Ambiguous, DataError, NotFound
from issfacts.load import load_text
from issfacts.model import Agency, PartialDate
from issfacts.query import Query, resolve
from issfacts.render import printable

# -- PartialDate -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2021", "2021"),
        ("2021-07", "2021-07"),
        ("2021-07-29", "2021-07-29"),
        ("2024-02-29", "2024-02-29"),  # a leap day
        ("2000-02-29", "2000-02-29"),  # divisible by 400
        ("0001", "0001"),
        ("9999-12-31", "9999-12-31"),
    ],
)
def test_partial_date_parses(text: str, shown: str) -> None:
    assert str(PartialDate.parse(text)) == shown


@pytest.mark.parametrize(
    "text",
    [
        "2021-02-30",
        "2021-13",
        "2021-00",
        "2021-01-00",
        "2021-01-32",
        "2023-02-29",
        "1900-02-29",
        "0000",
        "0000-01-01",
        "21",
        "20210",
        "2021-1",
        "2021-01-1",
        "2021/01/01",
        "2021-01-01T00:00",
        "yesterday",
        "",
        " ",
        "-2021",
        "2021-",
        "+2021",
    ],
)
def test_partial_date_rejects(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        PartialDate.parse(text)
    assert str(caught.value)  # says what is wrong


def test_partial_date_error_names_the_problem() -> None:
    with pytest.raises(ValueError, match="February 2021"):
        PartialDate.parse("2021-02-30")
    with pytest.raises(ValueError, match="month"):
        PartialDate.parse("2021-13")


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2021", dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
        ("2021-02", dt.date(2021, 2, 1), dt.date(2021, 2, 28)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2021-12", dt.date(2021, 12, 1), dt.date(2021, 12, 31)),
        ("2021-07-29", dt.date(2021, 7, 29), dt.date(2021, 7, 29)),
    ],
)
def test_partial_date_first_and_last_day(text: str, first: dt.date, last: dt.date) -> None:
    date = PartialDate.parse(text)
    assert date.first_day == first
    assert date.last_day == last


partial_dates = st.dates(min_value=dt.date(1, 1, 1)).flatmap(
    lambda d: st.sampled_from([f"{d.year:04d}", f"{d.year:04d}-{d.month:02d}", d.isoformat()])
)


@settings(max_examples=200, deadline=None)
@given(partial_dates)
def test_partial_date_round_trips(text: str) -> None:
    date = PartialDate.parse(text)
    assert str(date) == text
    assert date.first_day <= date.last_day


# -- Query ----------------------------------------------------------------------------


def test_query_defaults_ask_for_everything() -> None:
    query = Query()
    assert query.since is None and query.until is None
    assert not query.spacecraft and not query.agencies and not query.people
    assert not query.kinds and not query.statuses and not query.search
    assert query.limit is None and query.reverse is False


# -- resolve ---------------------------------------------------------------------------


Rec = Agency  # any named record: `resolve` reads its id, name and aliases

RECORDS = {
    r.id: r
    for r in (
        Rec("soyuz-ms-09", "Soyuz MS-09", ("55S",)),
        Rec("soyuz-ms-22", "Soyuz MS-22"),
        Rec("progress-ms-22", "Progress MS-22"),
        Rec("nauka", "Nauka", ("MLM", "Multipurpose Laboratory Module")),
        Rec("iss", "International Space Station", ("ISS",)),
        Rec("iss-segment", "Russian Orbital Segment", ("ISS RS",)),
    )
}


@pytest.mark.parametrize(
    ("name", "ident"),
    [
        ("Soyuz MS-09", "soyuz-ms-09"),
        ("soyuz-ms-09", "soyuz-ms-09"),
        ("55S", "soyuz-ms-09"),
        ("55s", "soyuz-ms-09"),
        ("SOYUZ MS-22", "soyuz-ms-22"),
        ("mlm", "nauka"),
        ("multipurpose laboratory module", "nauka"),
    ],
)
def test_resolve_by_name_id_or_alias_ignoring_case(name: str, ident: str) -> None:
    assert resolve(name, RECORDS, "spacecraft").id == ident


def test_resolve_exact_beats_partial() -> None:
    # "ISS" is also a part of "ISS RS" and of the id "iss-segment"
    assert resolve("ISS", RECORDS, "spacecraft").id == "iss"


@pytest.mark.parametrize(
    ("name", "ident"), [("ms-09", "soyuz-ms-09"), ("naük", None), ("nauk", "nauka"), ("progress", "progress-ms-22")]
)
def test_resolve_unique_partial(name: str, ident: str | None) -> None:
    if ident is None:
        with pytest.raises(NotFound):
            resolve(name, RECORDS, "spacecraft")
    else:
        assert resolve(name, RECORDS, "spacecraft").id == ident


def test_resolve_ambiguous_lists_every_candidate() -> None:
    with pytest.raises(Ambiguous) as caught:
        resolve("MS-22", RECORDS, "spacecraft")
    assert {ident for ident, _ in caught.value.candidates} == {"soyuz-ms-22", "progress-ms-22"}
    assert "Soyuz MS-22" in str(caught.value) and "Progress MS-22" in str(caught.value)


def test_resolve_two_exact_matches_are_ambiguous() -> None:
    records = {"a": Rec("a", "Alpha", ("twin",)), "b": Rec("b", "Beta", ("Twin",))}
    with pytest.raises(Ambiguous):
        resolve("twin", records, "spacecraft")


def test_resolve_not_found_suggests_close_names() -> None:
    with pytest.raises(NotFound) as caught:
        resolve("Naukka", RECORDS, "spacecraft")
    assert [s.casefold() for s in caught.value.suggestions][:1] == ["nauka"]
    assert "nauka" in str(caught.value).casefold()


def test_resolve_suggests_each_record_once_by_its_name() -> None:
    with pytest.raises(NotFound) as caught:
        resolve("Soyuz MS-99", RECORDS, "spacecraft")
    assert len(caught.value.suggestions) == len(set(caught.value.suggestions))
    assert "soyuz-ms-09" not in caught.value.suggestions  # the id of a record already offered by name


def test_resolve_suggests_by_one_word_of_a_name() -> None:
    people = {"dmitry-rogozin": Rec("dmitry-rogozin", "Dmitry Rogozin", ())}
    with pytest.raises(NotFound) as caught:
        resolve("Rogosin", people, "person")
    assert caught.value.suggestions == ("Dmitry Rogozin",)


def test_resolve_not_found_without_anything_close() -> None:
    with pytest.raises(NotFound) as caught:
        resolve("zzzzzz", RECORDS, "spacecraft")
    assert caught.value.suggestions == ()
    assert str(caught.value)


@pytest.mark.parametrize("name", ["-", "!!!", "   "])
def test_resolve_punctuation_only_is_not_found(name: str) -> None:
    with pytest.raises(NotFound):
        resolve(name, RECORDS, "spacecraft")


# -- printable -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b[31mb", "a\\x1b[31mb"),  # ESC
        ("bell\x07", "bell\\x07"),  # BEL
        ("\x9b31m", "\\x9b31m"),  # CSI, the one-byte form
        ("del\x7f", "del\\x7f"),  # DEL
        ("two\nlines", "two\\nlines"),
        ("a\tb", "a\\tb"),
        ("cr\r", "cr\\r"),
        ("nul\x00", "nul\\x00"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),  # OSC: set the window title
    ],
)
def test_printable_escapes_control_characters(raw: str, shown: str) -> None:
    assert printable(raw) == shown


@pytest.mark.parametrize(
    "text", ["plain", "Soyuz MS-22", "Straße \u2013 “quoted” 東京 🚀", "[bold red]x[/]", "a\\x1b", "\u00a0nbsp"]
)
def test_printable_leaves_printable_text_alone(text: str) -> None:
    assert printable(text) == text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_printable_output_has_no_control_characters(text: str) -> None:
    shown = printable(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    if not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in text):
        assert shown == text


# -- the loader --------------------------------------------------------------------------

MINIMAL = """\
sources:
  - id: article
    title: An article
events:
  - id: an-event
    date: {date}
    title: An event
    kind: incident
    summary: Something happened.
    sources:
      - source: article
        quote: A quote.
"""


def event_of(text: str) -> Any:
    (event,) = load_text(text, "test.yaml").events
    return event


@pytest.mark.parametrize(
    ("unquoted", "quoted"),
    [("2021", '"2021"'), ("2022-12-14", '"2022-12-14"'), ("2021-07", '"2021-07"'), ("2022-12-14", "'2022-12-14'")],
)
def test_unquoted_dates_mean_the_same_as_quoted(unquoted: str, quoted: str) -> None:
    plain = event_of(MINIMAL.format(date=unquoted))
    assert plain.date == event_of(MINIMAL.format(date=quoted)).date
    assert str(plain.date) == unquoted


def test_unquoted_impossible_date_is_a_located_problem() -> None:
    with pytest.raises(DataError) as caught:
        load_text(MINIMAL.format(date="2021-02-30"), "test.yaml")
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.column) == ("test.yaml", 6, 11)
    assert "February 2021" in problem.message
    assert str(problem) == f"test.yaml:6:11: {problem.message}"


@pytest.mark.parametrize("date", ["0x7E5", "03745", "33:41", "2_021", "+2021"])
def test_a_date_written_as_another_kind_of_number_is_rejected(date: str) -> None:
    with pytest.raises(DataError):
        load_text(MINIMAL.format(date=date), "test.yaml")


@pytest.mark.parametrize("date", ["2021.0", "true", "null", "[2021]", "{y: 2021}", "2021-07-29 10:00:00"])
def test_a_date_of_the_wrong_type_is_rejected(date: str) -> None:
    with pytest.raises(DataError) as caught:
        load_text(MINIMAL.format(date=date), "test.yaml")
    assert caught.value.problems[0].line == 6


def test_a_bom_is_ignored() -> None:
    text = SMALL.read_text(encoding="utf-8")
    assert len(load_text("\ufeff" + text, "bom.yaml").events) == len(load_text(text, "plain.yaml").events)


def test_bom_and_crlf_files_load_through_the_cli(tmp_path: Any) -> None:
    plain = invoke("--data", str(SMALL), "events", "--json")
    for name, data in (
        ("bom.yaml", b"\xef\xbb\xbf" + SMALL.read_bytes()),
        ("crlf.yaml", SMALL.read_bytes().replace(b"\n", b"\r\n")),
        ("both.yaml", b"\xef\xbb\xbf" + SMALL.read_bytes().replace(b"\n", b"\r\n")),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        assert invoke("validate", str(path)).exit_code == 0, name
        result = invoke("--data", str(path), "events", "--json")
        assert result.exit_code == 0, name
        assert json.loads(result.stdout) == json.loads(plain.stdout), name


def test_crlf_problems_keep_their_line_numbers() -> None:
    text = MINIMAL.format(date='"2021-13"')
    for variant in (text, text.replace("\n", "\r\n"), "\ufeff" + text.replace("\n", "\r\n")):
        with pytest.raises(DataError) as caught:
            load_text(variant, "test.yaml")
        (problem,) = caught.value.problems
        assert (problem.line, problem.column) == (6, 11)


def test_every_problem_is_reported_in_file_order() -> None:
    text = (
        MINIMAL.format(date='"2021-13"')
        .replace("title: An event", "title: 2021")
        .replace("kind: incident", "kind: bang")
    )
    with pytest.raises(DataError) as caught:
        load_text(text, "test.yaml")
    lines = [problem.line for problem in caught.value.problems]
    assert lines == sorted(lines) and len(lines) == 3
