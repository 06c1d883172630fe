"""`issfacts check`: entities, the match, the verdicts at each precision, and the command
(formats, stdin, --text, exit statuses, unreadable files).

The sentences are about the bundled dataset, whose events they name by date; the
golden file pins the whole JSON answer for tests/data/check/leaks.md.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from support import DATA, GOLDEN, invoke

from issfacts import check
from issfacts.datafile import BUNDLED
from issfacts.query import Query
from issfacts.store import open_store

UPDATE = os.environ.get("ISSFACTS_UPDATE_GOLDEN") == "1"
LEAKS = DATA / "check" / "leaks.md"
CONTRACT_KEYS = ["path", "line", "column", "text", "verdict", "event", "citation", "message"]


@pytest.fixture(scope="module")
def index() -> check.Index:
    store = open_store(BUNDLED, use_cache=False)
    return check.build_index(store.catalog, store.select(Query()))


def verdicts(text: str, index: check.Index) -> list[tuple[str, str, str | None]]:
    return [(f.text, f.verdict, f.event and f.event.id) for f in check.check_text(text, "-", index)]


# -- entities --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "ident"),
    [
        ("the soyuz ms-22 crew", "soyuz-ms-22"),
        ("Nauka's thrusters", "nauka"),
        ("Roscosmos' press service", "roscosmos"),
        ("Roscosmos\u2019s chief", "roscosmos"),
        ("a Roscosmos-NASA meeting", "nasa"),
        ("the 55S spacecraft", "soyuz-ms-09"),  # an alias
        ("Alexy Ovchinin flew", "aleksey-ovchinin"),
        ("Rogozin said", "dmitry-rogozin"),  # a surname
        ("the MLM module", "nauka"),
    ],
)
def test_names_aliases_case_and_possessives_name_an_entity(sentence: str, ident: str, index: check.Index) -> None:
    assert ident in check._entities_in(sentence, index)


@pytest.mark.parametrize("sentence", ["the NASAL spray", "a Nasaesque plan", "Soyuz MS-220 is not real", "kissing"])
def test_a_name_inside_another_word_is_not_a_mention(sentence: str, index: check.Index) -> None:
    assert check._entities_in(sentence, index) == {}


def test_stems_meet_across_inflections() -> None:
    assert len({check.stem(w) for w in ("leak", "leaked", "leaking", "leaks")}) == 1
    assert len({check.stem(w) for w in ("dock", "docked", "docking", "docks")}) == 1
    assert len({check.stem(w) for w in ("launch", "launched", "launches")}) == 1
    assert len({check.stem(w) for w in ("arrive", "arrived", "arrives")}) == 1


# -- verdicts --------------------------------------------------------------------------------

LEAK = "2022-12-14-soyuz-ms-22-coolant-leak"


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("The Soyuz MS-22 leak began on Dec. 14, 2022.", "ok"),
        ("The Soyuz MS-22 leak began on Dec. 15, 2022.", "conflict"),  # wrong day
        ("The Soyuz MS-22 leak began on Nov. 14, 2022.", "conflict"),  # wrong month
        ("The Soyuz MS-22 leak began on Dec. 14, 2021.", "conflict"),  # wrong year
        ("The Soyuz MS-22 leak began in December 2022.", "ok"),  # month precision
        ("The Soyuz MS-22 leak began in November 2022.", "conflict"),
        ("The Soyuz MS-22 leak began in 2022.", "ok"),  # year precision
        ("The Soyuz MS-22 leak began in 2021.", "conflict"),
        ("The Soyuz MS-22 leak began on Dec. 14.", "ok"),  # year-less, from the event
        ("The Soyuz MS-22 leak began on Dec. 16.", "conflict"),
        ("The Soyuz MS-22 leak was logged as 2022-12-14.", "ok"),
    ],
)
def test_a_date_is_judged_at_its_written_precision(sentence: str, verdict: str, index: check.Index) -> None:
    [(_, got, event)] = verdicts(sentence, index)
    assert (got, event) == (verdict, LEAK)


def test_an_interval_event_agrees_with_any_date_it_allows(index: check.Index) -> None:
    # The verdict on Soyuz MS-22 is dated 2022-12-14/2023-01-31: 2022 and 2023 both meet it.
    text = "Russian engineers declared that a micrometeorite struck Soyuz MS-22 and deemed it unsafe, in {}."
    assert verdicts(text.format("January 2023"), index)[0][1] == "ok"
    assert verdicts(text.format("2022"), index)[0][1] == "ok"
    assert verdicts(text.format("March 2023"), index)[0][1] == "conflict"


def test_a_yearless_date_takes_the_year_of_a_full_date_in_its_sentence(index: check.Index) -> None:
    found = verdicts(
        "On Aug. 29, 2019 the Soyuz MS-09 leaked, and on Sept. 13 NASA and Roscosmos issued a statement.", index
    )
    assert [v for _, v, _ in found] == ["conflict", "conflict"]
    found = verdicts(
        "On Aug. 29, 2018 the Soyuz MS-09 leaked, and on Sept. 13 NASA and Roscosmos issued a statement.", index
    )
    assert [v for _, v, _ in found] == ["ok", "ok"]


def test_between_is_one_interval_whose_start_takes_the_end_year(index: check.Index) -> None:
    text = "Between Aug. 29 and Sept. 13, {}, the Expedition 56 crew traced the leak and sealed the Soyuz MS-09 hole."
    assert verdicts(text.format(2018), index) == [
        ("Between Aug. 29 and Sept. 13, 2018", "ok", "2018-expedition-56-crew-seals-soyuz-ms-09-hole")
    ]
    assert verdicts(text.format(2019), index)[0][1] == "conflict"


def test_a_dateline_is_not_a_claim_of_the_story(index: check.Index) -> None:
    found = verdicts("MOSCOW, Sept. 14, 2018 - NASA and Roscosmos issued a joint statement on Sept. 13, 2018.", index)
    assert [(text, verdict) for text, verdict, _ in found] == [("Sept. 13, 2018", "ok")]


def test_a_date_moved_to_the_wrong_event_is_a_conflict_with_the_right_one(index: check.Index) -> None:
    # Dec. 14, 2022 is the Soyuz MS-22 leak's day, not Progress MS-21's.
    [(_, verdict, event)] = verdicts("Progress MS-21 began leaking coolant on Dec. 14, 2022.", index)
    assert (verdict, event) == ("conflict", "2023-02-11-progress-ms-21-coolant-leak")


def test_deadlines_are_compared_with_the_events_that_carry_them(index: check.Index) -> None:
    assert verdicts("Roscosmos and NASA agreed to keep the ISS operating until 2028.", index) == [
        ("until 2028", "ok", "2028-iss-operation-until-2028")
    ]
    [(_, verdict, event)] = verdicts("The ISS will keep operating until 2027, NASA and Roscosmos said.", index)
    assert (verdict, event) == ("conflict", "2028-iss-operation-until-2028")
    # The agreement's own date (July 2025) is not the deadline's: no conflict from it.
    found = verdicts("In July 2025 the chiefs of Roscosmos and NASA agreed to extend the ISS until 2028.", index)
    assert [v for _, v, _ in found] == ["ok", "ok"]


def test_a_tie_that_agrees_makes_the_date_ok_and_says_so(index: check.Index) -> None:
    # Two events match "the ISS ... until 2030": the 2028 plan and the 2030 possibility.
    [finding] = check.check_text("NASA and Roscosmos say the ISS could remain functional until 2030.", "-", index)
    assert finding.verdict == "ok"
    assert finding.event is not None and finding.event.id == "2030-iss-operation-possibly-until-2030"


def test_known_entities_without_a_matching_event_are_unverified(index: check.Index) -> None:
    [finding] = check.check_text("NASA celebrated its anniversary on Oct. 1, 2019.", "-", index)
    assert (finding.verdict, finding.event, finding.citation) == ("unverified", None, None)
    assert "names NASA" in finding.message


def test_sentences_naming_no_entity_are_left_alone(index: check.Index) -> None:
    assert check.check_text("The weather was fine on March 3, 2019. It leaked on Dec. 15, 2022.", "-", index) == []


def test_a_date_known_from_an_account_names_who_gives_it(index: check.Index) -> None:
    [finding] = check.check_text(
        "By 2024, the United States had transitioned Vulcan and Falcon from Russian engines.", "-", index
    )
    assert finding.verdict == "conflict"
    assert "according to Frontier India" in finding.message


def test_a_claim_quoted_as_the_citation_names_who_claimed_it(index: check.Index) -> None:
    text = "Rogozin claimed the Soyuz MS-09 hole was made by a human hand with a drill, TASS reported on Sept. 3, 2018."
    [finding] = check.check_text(text, "-", index)
    assert finding.verdict == "ok"
    assert finding.citation is not None


def test_the_message_cites_outlet_and_a_shortened_quote(index: check.Index) -> None:
    [finding] = check.check_text("The Soyuz MS-22 leak began on Dec. 15, 2022.", "-", index)
    assert finding.message == (
        '"Dec. 15, 2022" - the sources date Soyuz MS-22 leaks coolant from its external cooling loop to 2022-12-14 '
        '[Ars Technica: "On December 14 2022, as two cosmonauts were preparing to ..."]'
    )
    assert finding.citation is not None and finding.citation.quote.endswith("external cooling loop.")


def test_columns_are_those_of_the_original_markdown(index: check.Index) -> None:
    text = "# Notes\n\nThe **Soyuz MS-22** leak began on *Dec. 15, 2022*."
    [finding] = check.check_text(text, "-", index)
    assert (finding.line, finding.column, finding.text) == (3, 36, "Dec. 15, 2022")


# -- the command -----------------------------------------------------------------------------


def test_conflicts_exit_1_with_linter_lines_and_a_summary() -> None:
    result = invoke("check", str(LEAKS))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f'{LEAKS}:6:4: conflict: "Dec. 15, 2022" - the sources date')
    assert all(": ok: " not in line for line in lines)
    assert result.stderr == "3 conflicts, 10 ok, 1 unverified in 1 file\n"


def test_verbose_lists_the_dates_that_agree() -> None:
    result = invoke("check", "--verbose", str(LEAKS))
    assert sum(": ok: " in line for line in result.stdout.splitlines()) == 10


def test_no_conflict_exits_0() -> None:
    result = invoke("check", "--text", "The Soyuz MS-22 leak began on Dec. 14, 2022.")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "0 conflicts, 1 ok, 0 unverified in 1 file\n")


def test_stdin_is_read_with_no_path_or_with_dash() -> None:
    for args in (("check",), ("check", "-")):
        result = invoke(*args, input="The Soyuz MS-22 leak began on Dec. 15, 2022.\n")
        assert result.exit_code == 1
        assert result.stdout.startswith('-:1:31: conflict: "Dec. 15, 2022"')


def test_text_findings_carry_the_text_path() -> None:
    result = invoke("check", "--text", "The Soyuz MS-22 leak began on Dec. 15, 2022.")
    assert result.stdout.startswith("<text>:1:31: conflict:")


def test_text_and_paths_together_are_a_usage_error() -> None:
    result = invoke("check", "--text", "x", str(LEAKS))
    assert result.exit_code == 2
    assert "--text or PATHs" in result.stderr


def test_an_unknown_format_is_a_usage_error() -> None:
    assert invoke("check", "--format", "xml", str(LEAKS)).exit_code == 2


def test_unreadable_files_are_reported_and_the_rest_checked(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.md"
    latin.write_bytes("Soyuz MS-22 leaked on Dec. 15, 2022 \u2014 caf\xe9".encode("latin-1", "replace"))
    result = invoke("check", str(tmp_path / "missing.md"), str(tmp_path), str(latin), str(LEAKS))
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0] == f"Error: cannot check {tmp_path / 'missing.md'}: no such file or directory"
    assert errors[1].startswith(f"Error: cannot check {tmp_path}: is a directory")
    assert errors[2].startswith(f"Error: cannot check {latin}: not UTF-8 (byte 42, line 1)")
    assert errors[3] == "3 conflicts, 10 ok, 1 unverified in 1 file"
    assert result.stdout.count(str(LEAKS)) == 4


def test_an_unreadable_file_alone_still_exits_1(tmp_path: Path) -> None:
    result = invoke("check", str(tmp_path / "missing.md"))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.endswith("0 conflicts, 0 ok, 0 unverified in 0 files\n")


def test_a_bom_is_not_text(tmp_path: Path) -> None:
    draft = tmp_path / "bom.md"
    draft.write_bytes(b"\xef\xbb\xbfThe Soyuz MS-22 leak began on Dec. 15, 2022.")
    assert invoke("check", str(draft)).stdout.startswith(f"{draft}:1:31: conflict:")


def findings_json(*args: str) -> list[dict[str, Any]]:
    result = invoke("check", "--format", "json", *args)
    value = json.loads(result.stdout)
    assert isinstance(value, list)
    return value


def test_json_holds_every_finding_with_the_contract_keys_exactly() -> None:
    findings = findings_json(str(LEAKS))
    assert len(findings) == 14  # ok ones included: the reader filters
    for finding in findings:
        assert list(finding) == CONTRACT_KEYS
        assert finding["verdict"] in ("ok", "conflict", "unverified")
        if finding["event"] is not None:
            assert list(finding["event"]) == ["id", "date", "earliest", "latest", "title"]
            assert list(finding["citation"]) == ["source", "outlet", "quote"]
        else:
            assert finding["citation"] is None


def test_json_quotes_are_whole() -> None:
    [finding] = findings_json("--text", "The Soyuz MS-22 leak began on Dec. 15, 2022.")
    assert finding["citation"] == {
        "source": "ars-technica-2023-progress-leak",
        "outlet": "Ars Technica",
        "quote": "On December 14 2022, as two cosmonauts were preparing to conduct a spacewalk outside the space "
        "station, the Soyuz MS-22 spacecraft docked nearby began to leak uncontrollably from its external cooling "
        "loop.",
    }
    assert finding["event"] == {
        "id": LEAK,
        "date": "2022-12-14",
        "earliest": "2022-12-14",
        "latest": "2022-12-14",
        "title": "Soyuz MS-22 leaks coolant from its external cooling loop",
    }


def test_json_of_a_draft_matches_its_golden_file() -> None:
    actual = findings_json(str(LEAKS.relative_to(Path.cwd())) if LEAKS.is_relative_to(Path.cwd()) else str(LEAKS))
    for finding in actual:
        finding["path"] = "leaks.md"
    path = GOLDEN / "check-leaks.json"
    if UPDATE:
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert actual == json.loads(path.read_text(encoding="utf-8"))


def test_github_annotations() -> None:
    result = invoke("check", "--format", "github", "--verbose", str(LEAKS))
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"::error file={LEAKS},line=6,col=4,title=issfacts check%3A conflict::")
    assert any(line.startswith("::warning ") for line in lines)
    assert any(line.startswith("::notice ") for line in lines)
    assert len(lines) == 14


def test_github_escapes_what_would_end_a_property() -> None:
    assert check._github_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_a_nasty_title_does_not_reach_the_terminal(tmp_path: Path) -> None:
    data = tmp_path / "events.yaml"
    text = BUNDLED.read_text(encoding="utf-8").replace(
        'title: "Soyuz MS-22 leaks coolant from its external cooling loop"',
        'title: "Soyuz MS-22 leaks \\e[31mcoolant"',
    )
    data.write_text(text, encoding="utf-8")
    result = invoke("--data", str(data), "check", "--text", "The Soyuz MS-22 leak began on Dec. 15, 2022.")
    assert "\x1b" not in result.stdout
    assert "\\x1b[31mcoolant" in result.stdout


# -- how much it takes to accuse a date --------------------------------------------------------


def test_a_kind_named_near_the_date_overrides_one_named_elsewhere(index: check.Index) -> None:
    # "supported" is the Zarya support event's word, but the date's own word is "launched":
    # no event records Zarya's launch, so the date cannot be called wrong.
    text = "The Zarya module, supported by Roscosmos engineers under long-standing contracts, was launched in 1998."
    assert verdicts(text, index)[0][1] == "unverified"


def test_names_alone_do_not_accuse_a_date(index: check.Index) -> None:
    # Bakanov's only events are the July 2025 visit; nothing records his appointment.
    assert verdicts("Dmitry Bakanov became head of Roscosmos in February 2025.", index)[0][1] == "unverified"


def test_an_event_dated_only_perhaps_never_accuses(index: check.Index) -> None:
    # The uncrewed return is dated 2023-03? ("likely in March"): May cannot be shown wrong by it.
    text = "The leaky Soyuz MS-22 will make an autonomous return to Earth without a crew, likely in May 2023."
    [finding] = check.check_text(text, "-", index)
    assert finding.verdict == "unverified"
    assert "to return to Earth without a crew only loosely, to 2023-03?" in finding.message


def test_a_missed_deadline_is_a_conflict_with_the_plan(index: check.Index) -> None:
    text = "Roscosmos intends to put the Russian Hubble-like observatory into orbit by the end of 2026."
    assert verdicts(text, index) == [("by the end of 2026", "conflict", "2028-russian-hubble-like-observatory-planned")]
    assert verdicts(text.replace("2026", "2028"), index)[0][1] == "ok"


def test_a_statement_is_not_attributed_to_the_people_it_names(index: check.Index) -> None:
    """A statement's people are whom it concerns, not its speakers: Nelson wrote to Rogozin."""
    text = "Nelson praised Roscosmos in a letter to Rogozin after the Nauka docking in July 2021."
    [finding] = check.check_text(text, "-", index)
    assert finding.verdict == "ok"
    assert "statement by" not in finding.message
    assert '[Space.com: "' in finding.message  # the quote says who wrote


def test_a_conflict_between_equal_matches_names_the_other(index: check.Index) -> None:
    [finding] = check.check_text("NASA and Roscosmos signed the crossover agreement on July 15, 2021.", "-", index)
    assert finding.verdict == "conflict"
    assert "; it also matches " in finding.message and "which excludes it too" in finding.message


def test_the_date_own_stretch_decides_between_two_events_of_one_day(index: check.Index) -> None:
    # Docking and misfire share July 29, 2021; "docked" is the date's own word.
    text = "Nauka docked with the ISS on Aug. 2, 2021, hours before its thrusters began to misfire."
    assert verdicts(text, index) == [("Aug. 2, 2021", "conflict", "2021-07-29-nauka-docking")]


def test_an_open_ended_plan_carries_no_deadline(index: check.Index) -> None:
    # The Russian Orbital Space Station launches in 2028 or later: no "by" date can contradict it.
    text = "Roscosmos plans to launch the Russian Orbital Space Station by 2030, after the ISS retires."
    assert verdicts(text, index)[0][1] == "unverified"


def test_a_yearless_deadline_takes_the_year_of_the_events_last_day(index: check.Index) -> None:
    text = "Progress MS-21, packed with trash, is due to leave the ISS and burn up on reentry by February."
    assert verdicts(text, index) == [("by February", "ok", "2023-02-progress-ms-21-undocking-planned")]


def test_a_day_the_events_years_do_not_have_is_a_conflict(index: check.Index) -> None:
    [(_, verdict, event)] = verdicts("The Soyuz MS-22 leak began on Feb. 29.", index)
    assert (verdict, event) == ("conflict", LEAK)


def test_a_date_alone_in_its_stretch_takes_the_words_of_the_next() -> None:
    index = check.build_index(*_catalog_and_rows())
    # "55S" is only digits and a letter: no word of the sentence is a term at all.
    assert [f.verdict for f in check.check_text("55S: Aug. 29, 2018.", "-", index)] == ["unverified"]


def _catalog_and_rows() -> tuple[Any, Any]:
    store = open_store(BUNDLED, use_cache=False)
    return store.catalog, store.select(Query())


def test_a_surname_two_people_share_names_neither() -> None:
    from issfacts.model import Person

    catalog, rows = _catalog_and_rows()
    people = dict(catalog.people)
    people["anna-rogozin"] = Person("anna-rogozin", "Anna Rogozin")
    people["cher"] = Person("cher", "Cher", ("...",))  # one word: no surname; an alias of no letters names nothing
    index = check.build_index(catalog._replace(people=people), rows)
    assert check._entities_in("Rogozin said so", index) == {}
    assert check._entities_in("Dmitry Rogozin and Cher", index) == {"dmitry-rogozin": 0, "cher": 19}


def test_a_device_is_not_a_draft() -> None:
    result = invoke("check", "/dev/null")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot check /dev/null: is not a regular file")


def test_a_draft_too_large_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "MAX_DRAFT_BYTES", 10)
    draft = tmp_path / "big.md"
    draft.write_text("x" * 11)
    assert invoke("check", str(draft)).stderr.startswith(f"Error: cannot check {draft}: larger than")
    assert invoke("check", "-", input="x" * 11).stderr.startswith("Error: cannot check -: larger than")


def test_a_closed_stdin_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO("no byte layer"))
    assert check.read_drafts([Path("-")]) == [("-", check.Unreadable("-", "stdin is closed"))]


# -- the index, kept in the cache ------------------------------------------------------------

SENTENCE = "The Soyuz MS-22 leak began on Dec. 15, 2022."


def index_entries(cache: Path) -> list[Path]:
    return sorted((cache / "issfacts").glob("x*.marshal"))


def test_the_index_is_kept_and_read_back(isolate: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = invoke("check", "--text", SENTENCE)
    [entry] = index_entries(isolate)

    def refuse(*args: object) -> None:
        raise AssertionError("the index was built again")

    monkeypatch.setattr(check, "build_index", refuse)
    again = invoke("check", "--text", SENTENCE)
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    assert index_entries(isolate) == [entry]


def test_a_damaged_index_entry_is_built_again(isolate: Path) -> None:
    first = invoke("check", "--text", SENTENCE)
    [entry] = index_entries(isolate)
    for damage in (b"", b"garbage", entry.read_bytes()[:100]):
        entry.write_bytes(damage)
        assert invoke("check", "--text", SENTENCE).stdout == first.stdout
        assert entry.read_bytes() not in (b"", b"garbage") and len(entry.read_bytes()) > 100


def test_an_index_of_other_rows_is_not_used(isolate: Path) -> None:
    store = open_store(BUNDLED, use_cache=False)
    rows = store.select(Query())
    check.load_index(store.catalog, rows, isolate)
    [entry] = sorted(isolate.glob("x*.marshal"))
    other = rows[1:] + rows[:1]  # the same events in another order: the entry must not fit
    assert check._index_from_plain(__import__("marshal").loads(entry.read_bytes()), entry.stem, other) is None
    index = check.load_index(store.catalog, other, isolate)
    assert [p.row.id for p in index.profiles] == [r.id for r in other]


def test_an_entry_of_another_key_is_not_used(isolate: Path) -> None:
    import marshal

    store = open_store(BUNDLED, use_cache=False)
    rows = store.select(Query())
    check.load_index(store.catalog, rows, isolate)
    [entry] = sorted(isolate.glob("x*.marshal"))
    assert check._index_from_plain(marshal.loads(entry.read_bytes()), "x-other", rows) is None
    plain = list(marshal.loads(entry.read_bytes()))
    plain[6] = [("not-" + p[0], *p[1:]) for p in plain[6]]  # the same count of events, other ids
    assert check._index_from_plain(tuple(plain), entry.stem, rows) is None


def test_no_cache_keeps_no_index(isolate: Path) -> None:
    invoke("--no-cache", "check", "--text", SENTENCE)
    assert index_entries(isolate) == []


def test_before_and_after_bound_an_event_and_never_accuse_it(index: check.Index) -> None:
    assert verdicts("Nauka docked with the ISS before 2022.", index)[0][:2] == ("before 2022", "ok")
    assert verdicts("Nauka docked with the ISS after 2020.", index)[0][:2] == ("after 2020", "ok")
    assert verdicts("Nauka docked with the ISS before 2021.", index)[0][:2] == ("before 2021", "unverified")
    assert verdicts("Nauka docked with the ISS prior to July 29, 2021.", index)[0][:2] == (
        "prior to July 29, 2021",
        "unverified",
    )


def test_a_terminal_on_stdin_is_not_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    class Terminal(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal(io.BytesIO(b"")))
    [(_, content)] = check.read_drafts([Path("-")])
    assert isinstance(content, check.Unreadable)
    assert content.reason.startswith("stdin is a terminal")
