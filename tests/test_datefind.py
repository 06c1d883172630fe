"""The date finder of `issfacts check`: every form issue 15 names, the look-alikes it must
leave alone, Markdown masking, sentence splitting, and columns that point at the text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from issfacts.datefind import DateMention, Locator, find_dates, mask, sentences


def one(text: str) -> DateMention:
    found = find_dates(text)
    assert len(found) == 1, found
    return found[0]


def day(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal()


@pytest.mark.parametrize(
    ("text", "written", "precision", "ymd"),
    [
        ("It docked on July 29, 2021 at last.", "July 29, 2021", "day", (2021, 7, 29)),
        ("It docked on Jul. 29, 2021.", "Jul. 29, 2021", "day", (2021, 7, 29)),
        ("The statement of Sept. 13, 2018 said so.", "Sept. 13, 2018", "day", (2018, 9, 13)),
        ("Sep 13 2018 it was.", "Sep 13 2018", "day", (2018, 9, 13)),
        ("It docked on 29 July 2021.", "29 July 2021", "day", (2021, 7, 29)),
        ("On December 14 2022, it leaked.", "December 14 2022", "day", (2022, 12, 14)),
        ("On the 14th of December, 2022 it leaked.", "14th of December, 2022", "day", (2022, 12, 14)),
        ("Logged as 2022-12-14.", "2022-12-14", "day", (2022, 12, 14)),
        ("It happened in March 2023.", "March 2023", "month", (2023, 3, None)),
        ("It happened in Dec. 2022.", "Dec. 2022", "month", (2022, 12, None)),
        ("Logged as 2023-03.", "2023-03", "month", (2023, 3, None)),
        ("It happens in 2028.", "2028", "year", (2028, None, None)),
        ("2022's agreements held.", "2022", "year", (2022, None, None)),
        ("By mid-2021 it had docked.", "2021", "year", (2021, None, None)),
        ("The Aug. 29 leak", "Aug. 29", "day", (None, 8, 29)),
        ("The 29 August leak", "29 August", "day", (None, 8, 29)),
        ("It is due back in February.", "February", "month", (None, 2, None)),
        ("Due in late March, they said.", "March", "month", (None, 3, None)),
    ],
)
def test_finds_each_form_with_its_precision(
    text: str, written: str, precision: str, ymd: tuple[int | None, int | None, int | None]
) -> None:
    mention = one(text)
    assert (mention.text, mention.precision, (mention.year, mention.month, mention.day)) == (written, precision, ymd)
    assert text[mention.start : mention.end] == written
    assert not mention.deadline


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("The ISS will operate until 2028.", "until 2028"),
        ("By 2025, it was over.", "By 2025"),
        ("It flies by the end of 2028.", "by the end of 2028"),
        ("It flies by the close of 2028.", "by the close of 2028"),
        ("Work continues through 2030.", "through 2030"),
        ("Home by December 2022.", "by December 2022"),
        ("Home by March, they hoped.", "by March"),
    ],
)
def test_a_leading_by_or_until_makes_a_deadline_and_belongs_to_the_text(text: str, written: str) -> None:
    mention = one(text)
    assert (mention.text, mention.deadline) == (written, True)


def test_a_day_range_is_one_mention_spanning_its_days() -> None:
    mention = one("It lasted Dec. 14-15, 2022.")
    assert mention.text == "Dec. 14-15, 2022"
    assert mention.bounds() == (day("2022-12-14"), day("2022-12-15"))


@pytest.mark.parametrize(
    "text",
    [
        "The crew may return soon.",  # may, the verb
        "Jenny March said the crew was safe.",  # March, a name: no day, no year, no preposition
        "They march on.",
        "Soyuz MS-22 and Progress MS-21 leaked.",  # numbers in ids
        "Expedition 56 flew on the RD-180.",
        "See event 2022-12-14-soyuz-ms-22-coolant-leak.",  # an id that starts with a date
        "The burn began at 14:30.",  # a time
        "It cost 2.5 million and 1,000 people.",
        "Cooperation from 2022-2025 was reduced.",  # a year range is not two dates
        "Throughout the 2000s and 2010s it flew.",  # decades
        "It fired at 2030 GMT.",  # a time of day, not the year 2030
        "Feb. 30, 2023 is not a day.",
        "Page 1999x.",
    ],
)
def test_leaves_look_alikes_alone(text: str) -> None:
    assert find_dates(text) == []


def test_a_time_after_a_date_is_not_part_of_it() -> None:
    assert one("On Aug. 29 at 14:30 it began.").text == "Aug. 29"


def test_bounds_at_each_precision() -> None:
    assert one("in 2022").bounds() == (day("2022-01-01"), day("2022-12-31"))
    assert one("in February 2024").bounds() == (day("2024-02-01"), day("2024-02-29"))
    assert one("the Aug. 29 leak").bounds(2018) == (day("2018-08-29"), day("2018-08-29"))


def test_february_29_exists_only_in_leap_years() -> None:
    mention = one("On Feb. 29 it leaked.")
    assert mention.valid_in(2024)
    assert not mention.valid_in(2023)


def test_line_and_column_are_one_based_and_count_characters() -> None:
    text = "Première ligne.\nLe 2e: «Dec. 15, 2022»."
    mention = one(text)
    assert (mention.line, mention.column) == (2, 9)
    assert Locator(text)(0) == (1, 1)


# -- Markdown --------------------------------------------------------------------------------


def test_mask_keeps_every_offset() -> None:
    text = "# Title\n\nSee [the leak](https://x.org/2022/12/14) and `2021-07-29`.\n```\n2020-01-01\n```\n"
    masked = mask(text)
    assert len(masked) == len(text)
    assert [i for i, c in enumerate(text) if c == "\n"] == [i for i, c in enumerate(masked) if c == "\n"]


@pytest.mark.parametrize(
    "text",
    [
        "```\nSoyuz MS-22 leaked on 2022-12-20\n```\n",
        "~~~python\nDec. 15, 2022\n~~~\n",
        "Run `issfacts events --since 2021` first.",
        "Read [it](https://example.org/2022/12/14/leak) now.",
        "Read https://example.org/news/2022-12-14 now.",
        "<!-- drafted 2022-12-20 -->",
        "<!--\ndrafted\n2022-12-20\n-->",
        "[ref]: https://example.org/2022-12-20",
    ],
)
def test_code_links_and_comments_are_not_prose(text: str) -> None:
    assert find_dates(mask(text)) == []


def test_emphasis_around_a_date_is_masked_but_the_date_stays() -> None:
    text = "It leaked on **Dec. 15, 2022**, and _in 2023_ again."
    found = find_dates(mask(text))
    assert [text[m.start : m.end] for m in found] == ["Dec. 15, 2022", "2023"]


def test_link_text_is_prose() -> None:
    text = "The [leak of Dec. 14, 2022](https://example.org/a) was bad."
    assert [m.text for m in find_dates(mask(text))] == ["Dec. 14, 2022"]


# -- sentences -------------------------------------------------------------------------------


def split(text: str) -> list[str]:
    masked = mask(text)
    return [text[s.start : s.end] for s in sentences(text, masked)]


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "On Sept. 13, 2018, the U.S. and Russia spoke. Dr. Smith and Joseph P. Chacko agreed. It ended in Jul. 2021."
    assert split(text) == [
        "On Sept. 13, 2018, the U.S. and Russia spoke.",
        "Dr. Smith and Joseph P. Chacko agreed.",
        "It ended in Jul. 2021.",
    ]


def test_headings_list_items_and_blank_lines_start_sentences() -> None:
    text = "# Soyuz MS-22\nIt leaked\n\n- Nauka docked\n- Soyuz launched\n1. First\n> Quoted"
    assert split(text) == ["Soyuz MS-22", "It leaked", "- Nauka docked", "- Soyuz launched", "1. First", "Quoted"]


def test_a_sentence_may_wrap_across_lines() -> None:
    assert split("The Soyuz MS-22 leaked on\nDec. 14, 2022. Then") == [
        "The Soyuz MS-22 leaked on\nDec. 14, 2022.",
        "Then",
    ]


def test_quotes_after_the_period_stay_with_the_sentence() -> None:
    assert split('He said "it leaked." Then it stopped.') == ['He said "it leaked."', "Then it stopped."]


# -- properties ------------------------------------------------------------------------------

_PIECES = [*"0123456789 -.,:/\n#*_`[]()'\u2019abcDJMSTeuglnoprty", "Dec. ", "July ", "20", "by ", "Sept. ", "```"]
_PROSE = st.lists(st.sampled_from(_PIECES), max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(_PROSE)
def test_never_crashes_and_every_mention_points_at_its_text(text: str) -> None:
    masked = mask(text)
    assert len(masked) == len(text)
    locate = Locator(text)
    for mention in find_dates(masked, locate):
        assert masked[mention.start : mention.end] == mention.text
        line, column = mention.line, mention.column
        assert text.split("\n")[line - 1][column - 1 :].startswith(text[mention.start : mention.end].split("\n")[0])
        if mention.year is not None:
            first, last = mention.bounds()
            assert first <= last
    for sentence in sentences(text, masked):
        assert 0 <= sentence.start < sentence.end <= len(text)


def test_an_interval_across_new_year_starts_the_year_before() -> None:
    mention = one("between Dec. 20 and Jan. 5, 2023")
    assert mention.bounds() == (day("2022-12-20"), day("2023-01-05"))


def test_an_interval_whose_end_a_year_lacks_is_not_valid_in_it() -> None:
    mention = one("between Feb. 20 and Feb. 29")
    assert mention.valid_in(2024)
    assert not mention.valid_in(2023)


def test_a_backwards_day_range_is_not_a_date() -> None:
    assert find_dates("It lasted Dec. 15-14, 2022.") == []
