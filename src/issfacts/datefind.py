"""Where the dates and sentences of a draft are: English news style, in Markdown or plain text.

Pure functions of a string, for `issfacts check` (check.py reads what they find):

- `mask` blanks what is not prose (fenced code blocks, code spans, link targets, URLs,
  HTML comments, emphasis marks) with spaces of the same length, so every offset in the
  masked text is an offset in the original and columns point at the text as written;
- `sentences` splits masked text into sentences without breaking at "Sept. 13", "U.S.",
  "Dr." or an initial; a blank line, a heading or a list item always starts a new one;
- `find_dates` finds each date expression with its precision: "July 29, 2021",
  "Jul. 29, 2021", "29 July 2021", "December 14 2022", "2022-12-14", "Dec. 14-15, 2022"
  (a day), "March 2023", "2023-03", "in February" (a month), "2028" (a year), year-less
  "Aug. 29"; and a leading "by", "until", "through", "by the end of" makes it a deadline
  (the word is part of the expression: its text and column start there); so does a
  leading "before", "after", "prior to" or "ahead of", which makes it a relation.

It leaves alone what only looks like a date: "may" and "march" in lower case, a month
name with neither a day nor a year unless a preposition introduces it ("in March", but
not "Jenny March said"), numbers inside ids ("Soyuz MS-22", "RD-180", "Expedition 56",
"2022-12-14-soyuz-ms-22"), year ranges ("2022-2025"), decades ("the 2010s") and times
("14:30", "Aug. 29 at 14:30" keeps only the date).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterator
from typing import Literal, NamedTuple

Precision = Literal["day", "month", "year"]

_MONTH_NUMBERS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

# A month as news prose writes it: capitalised or in capitals (so "may" the verb is not
# one), in full or abbreviated with or without its period; longest alternatives first.
_MONTH_NAMES = "January February March April May June July August September October November December"
_MONTH_ABBRS = "Jan Feb Mar Apr Jun Jul Aug Sept Sep Oct Nov Dec"
_FULL = "|".join(f"{name}|{name.upper()}" for name in _MONTH_NAMES.split())
_ABBR = "(?:" + "|".join(f"{name}|{name.upper()}" for name in _MONTH_ABBRS.split()) + r")\.?"
_MONTH = rf"(?:{_FULL}|{_ABBR})(?![\w])"
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)[0-9]{2}"
_NOT_AFTER_DIGIT = (
    r"(?:(?<=[Mm]id-)|(?<![\w.,/$€£-]))"  # a number that starts here is not part of another ("mid-2021" is a year)
)
_NUMBER_ENDS = r"(?![\w%]|[-\u2013/.:,][0-9])"  # ... and does not go on ("2022-2025", "14:30", "2.5")
_DEADLINE = (
    r"(?:(?P<deadline>(?i:by the (?:end|close) of|by|until|till|through|no later than)\s+)"
    r"|(?P<relative>(?i:before|after|prior to|ahead of|earlier than|later than)\s+))?"
)

_DATE = re.compile(
    r"\b(?=[0-9JFMASONDbBuUtTnNaApPeElL])"  # a word that can start a date: a digit, a month, by, after...
    + _DEADLINE
    + "(?:"
    # July 29, 2021 / Jul. 29 2021 / Dec. 14-15, 2022 / Aug. 29 (no year) / March 2023 / Dec. 2022
    + rf"(?P<month>{_MONTH})(?:\s+(?P<md_day>{_DAY})(?:[-\u2013](?P<md_day2>{_DAY}))?(?![\w:])"
    + rf"(?:,?\s+(?P<md_year>{_YEAR}){_NUMBER_ENDS})?"
    + rf"|,?\s+(?P<my_year>{_YEAR}){_NUMBER_ENDS})"
    # 29 July 2021 / 29 July (no year: full month names only)
    + rf"|{_NOT_AFTER_DIGIT}(?P<dm_day>{_DAY})\s+(?:of\s+)?"
    + rf"(?:(?P<dm_month>{_MONTH}),?\s+(?P<dm_year>{_YEAR}){_NUMBER_ENDS}"
    + rf"|(?P<dm_month_only>{_FULL})(?!\w))"
    # 2022-12-14 / 2023-03
    + rf"|{_NOT_AFTER_DIGIT}(?P<iso_year>{_YEAR})-(?P<iso_month>0[1-9]|1[0-2])(?:-(?P<iso_day>0[1-9]|[12][0-9]|3[01]))?"
    + r"(?![\w]|[-\u2013/.:,][0-9a-z])"
    # 2028
    + rf"|{_NOT_AFTER_DIGIT}(?P<year>{_YEAR}){_NUMBER_ENDS}(?!\s*(?:GMT|UTC|hours|hrs)\b)"
    + ")"
)
_DEADLINE_WORDS = re.compile(r"(?i)^(?:by the (?:end|close) of|by|until|till|through|no later than)$")
# A month with neither day nor year is a date only after one of these ("in March").
_MONTH_ALONE = re.compile(
    r"(?P<lead>\b(?i:in|during|since|by|until|through|early|late|mid-?|from|last|next|this|by the end of|the end of)"
    r"\s*)"
    rf"(?P<month>{_FULL})(?![\w-]|\s+{_DAY}(?!\w)|,?\s+{_YEAR})"
)


class DateMention(NamedTuple):
    """A date expression as written, and the days it can mean.

    `year` is None for a year-less date ("Aug. 29", "in February"): check.py gives it
    one from the sentence or from the event it is about (`bounds(year)`).
    """

    start: int  # offset of the first character in the text
    end: int  # offset after the last
    line: int  # 1-based
    column: int  # 1-based, in characters
    text: str
    precision: Precision
    year: int | None
    month: int | None = None
    day: int | None = None
    last_day: int | None = None  # "Dec. 14-15": 15; else the same as day
    deadline: bool = False  # "by 2028", "until 2028": the latest day something happens
    relation: str = ""  # "before" or "after": "before 2022" says the event came earlier, not when
    until: DateMention | None = None  # "between July 29 and Aug. 5, 2021": the end (Aug. 5, 2021)

    def bounds(self, year: int | None = None) -> tuple[int, int]:
        """The first and last day it can mean, as ordinals; a year-less date needs `year`."""
        if self.until is not None:  # an interval: from this start to its end
            last = self.until.bounds(year)[1]
            first = self._replace(until=None).bounds(year)[0]
            if first > last:  # "between Dec. 20 and Jan. 5, 2023": the start is in the year before
                start = self._replace(until=None, year=dt.date.fromordinal(last).year - 1)
                first = start.bounds()[0]
            return first, last
        year = self.year if self.year is not None else year
        assert year is not None, "a year-less date needs a year"
        if self.month is None:
            return dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
        if self.day is None:
            return dt.date(year, self.month, 1).toordinal(), _month_end(year, self.month).toordinal()
        month_end = _month_end(year, self.month).day
        first_day = dt.date(year, self.month, min(self.day, month_end))
        last_day = dt.date(year, self.month, min(self.last_day or self.day, month_end))
        return first_day.toordinal(), max(first_day, last_day).toordinal()

    def valid_in(self, year: int) -> bool:
        """Whether the day exists in `year` (Feb. 29 does only in leap years)."""
        if self.until is not None and not self.until.valid_in(year):
            return False
        return self.day is None or self.month is None or (self.last_day or self.day) <= _month_end(year, self.month).day


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


class Locator:
    """Offsets to 1-based (line, column). Asked in increasing order, as the checker asks,
    each answer costs only the text since the last one."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = self._line = 0
        self._line_start = 0

    def __call__(self, offset: int) -> tuple[int, int]:
        if offset < self._offset:  # asked out of order: start again from the top
            self._offset = self._line = self._line_start = 0
        text = self._text
        self._line += text.count("\n", self._offset, offset)
        if self._line:
            self._line_start = max(self._line_start, text.rfind("\n", 0, offset) + 1)
        self._offset = offset
        return self._line + 1, offset - self._line_start + 1


def find_dates(text: str, locate: Callable[[int], tuple[int, int]] | None = None) -> list[DateMention]:
    """Every date expression in `text` (mask Markdown first), in order. `locate` turns an
    offset into (line, column); by default, those of `text` itself."""
    locate = locate or Locator(text)
    found = [mention for match in _DATE.finditer(text) if (mention := _mention(match, locate)) is not None]
    # A month alone never overlaps a date found above: its lookahead refuses a day or year after it.
    found += [_month_alone(match, locate) for match in _MONTH_ALONE.finditer(text)]
    found = [m for m in sorted(found) if not _in_dateline(text, m)]
    return _intervals(text, found, locate)


# "MOSCOW, Sept. 14, 2018 - The heads of ...": the day the story was filed, not a date it claims.
_DATELINE_BEFORE = re.compile(r"[ \t]*[A-Z][A-Z.'\u2019 -]*[A-Z]\.?,[ \t]*")
_DATELINE_AFTER = re.compile(r"[ \t]*(?:[-\u2013\u2014]|\(\w+\)\s*[-\u2013\u2014])")
_BETWEEN = re.compile(r"(?i)\bbetween\s+$")
_AND = re.compile(r"\s+and\s+")


def _in_dateline(text: str, mention: DateMention) -> bool:
    line_start = text.rfind("\n", 0, mention.start) + 1
    return bool(
        _DATELINE_BEFORE.fullmatch(text, line_start, mention.start) and _DATELINE_AFTER.match(text, mention.end)
    )


def _intervals(text: str, found: list[DateMention], locate: Callable[[int], tuple[int, int]]) -> list[DateMention]:
    """`between A and B` as one mention from A to B (a year-less A takes B's year)."""
    merged: list[DateMention] = []
    index = 0
    while index < len(found):
        first = found[index]
        after = found[index + 1] if index + 1 < len(found) else None
        lead = _BETWEEN.search(text, max(0, first.start - 16), first.start)
        if after is not None and lead and not first.deadline and _AND.fullmatch(text, first.end, after.start):
            line, column = locate(lead.start())
            year = first.year if first.year is not None else after.year
            merged.append(
                first._replace(
                    start=lead.start(),
                    end=after.end,
                    line=line,
                    column=column,
                    text=text[lead.start() : after.end],
                    year=year,
                    until=after,
                )
            )
            index += 2
        else:
            merged.append(first)
            index += 1
    return merged


def _month_number(word: str) -> int:
    return _MONTH_NUMBERS[word.rstrip(".").casefold()]


def _day(text: str) -> int:
    return int(text.rstrip("stndrh"))


def _mention(match: re.Match[str], locate: Callable[[int], tuple[int, int]]) -> DateMention | None:
    fields = _fields(match.groupdict())
    if fields is None:
        return None
    precision, year, month, day, last = fields
    if month is not None and day is not None and (last or day) > _month_end(year or 2000, month).day:
        return None  # "Feb. 30": not a date (2000 is a leap year: Feb. 29 passes without a year)
    line, column = locate(match.start())
    deadline = match["deadline"] is not None
    relative = (match["relative"] or "").split()
    relation = "" if not relative else "before" if relative[0].casefold() in ("before", "prior", "earlier") else "after"
    return DateMention(
        match.start(), match.end(), line, column, match[0], precision, year, month, day, last, deadline, relation
    )


_Fields = tuple[Precision, "int | None", "int | None", "int | None", "int | None"]  # precision, year, month, day, last


def _fields(groups: dict[str, str | None]) -> _Fields | None:
    """What a match of `_DATE` says, by the alternative that matched."""
    text: dict[str, str] = {name: value for name, value in groups.items() if value is not None}
    year = next((int(text[k]) for k in ("md_year", "dm_year", "my_year", "iso_year", "year") if k in text), None)
    if "md_day" in text:
        day = _day(text["md_day"])
        last = _day(text["md_day2"]) if "md_day2" in text else day
        return None if last < day else ("day", year, _month_number(text["month"]), day, last)
    if "dm_day" in text:
        day = _day(text["dm_day"])
        return "day", year, _month_number(text.get("dm_month") or text["dm_month_only"]), day, day
    if "month" in text:
        return "month", year, _month_number(text["month"]), None, None
    if "iso_month" in text:
        iso_day = int(text["iso_day"]) if "iso_day" in text else None
        return ("month" if iso_day is None else "day"), year, int(text["iso_month"]), iso_day, iso_day
    return "year", year, None, None, None


def _month_alone(match: re.Match[str], locate: Callable[[int], tuple[int, int]]) -> DateMention:
    lead = match["lead"].strip()
    deadline = bool(_DEADLINE_WORDS.match(lead))
    start = match.start("lead") if deadline else match.start("month")
    line, column = locate(start)
    return DateMention(
        start,
        match.end("month"),
        line,
        column,
        match.string[start : match.end("month")],
        "month",
        None,
        _month_number(match["month"]),
        deadline=deadline,
    )


# -- Markdown and sentences -----------------------------------------------------------------

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_LINK_TARGET = re.compile(r"(?<=\])\([^)\s]*(?:\s+\"[^\"]*\")?\)|(?<=\])\[[^\]]*\]")
_URL = re.compile(r"<?(?:https?://|www\.)[^\s>)\]]+>?")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_REFERENCE_DEFINITION = re.compile(r"(?m)^[ \t]{0,3}\[[^\]]+\]:.*$")
_MARKUP = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)|(?<!\S)>+(?=\s)|^#{1,6}(?=\s)|~~|\[|\]", re.MULTILINE)
_MASKED = (  # each pattern, and a string without which it cannot match
    (_HTML_COMMENT, "<!--"),
    (_REFERENCE_DEFINITION, "]:"),
    (_CODE_SPAN, "`"),
    (_LINK_TARGET, "]"),
    (_URL, ""),
    (_MARKUP, ""),
)


def mask(text: str) -> str:
    """`text` with what is not prose replaced by spaces (newlines kept), same length."""

    def blank(match: re.Match[str]) -> str:
        found = match[0]
        if "\n" not in found:
            return " " * len(found)
        return "\n".join(" " * len(line) for line in found.split("\n"))

    lines = text.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence is None and opened:
            fence = opened[1][0] * len(opened[1])
            lines[index] = " " * len(line)
        elif fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            lines[index] = " " * len(line)
    masked = "\n".join(lines)
    for pattern, sign in _MASKED:
        if sign in masked:  # most drafts have no comment, code span or link: spare the pass
            masked = pattern.sub(blank, masked)
    return masked


# Words after which a period does not end a sentence: the month abbreviations, titles,
# and the dotted abbreviations of news style. A lone capital letter ("Joseph P. Chacko")
# and dotted capitals ("U.S.") are caught by pattern.
_ABBREVIATION_WORDS = (
    "jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr prof gen lt col maj capt sgt cmdr adm "
    "sen rep gov pres st jr sr no nos vol vs etc approx inc corp co ltd dept est fig e.g i.e cf"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+|$)")
_BLOCK_LINE = re.compile(r"[ \t]{0,3}(?:#{1,6}\s|[-*+]\s|[0-9]{1,3}[.)]\s|>|\|)")
_HEADING_LINE = re.compile(r"[ \t]{0,3}#{1,6}\s")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]*$")


class Sentence(NamedTuple):
    start: int
    end: int


def sentences(text: str, masked: str | None = None) -> Iterator[Sentence]:
    """The sentences of `text` (its `mask`, if already made), as offsets; blank
    stretches are skipped. Markdown's blocks are read from the text itself: a heading,
    a list item, a quote or a table row starts a sentence, and a heading ends one."""
    masked = mask(text) if masked is None else masked
    blocks = _block_starts(text)
    for block_start, block_end in itertools.pairwise(blocks):
        start = block_start
        for match in _SENTENCE_END.finditer(masked, block_start, block_end):
            if _is_abbreviation(masked[start : match.start() + 1]) or not _next_starts_sentence(masked, match.end()):
                continue
            yield from _span(masked, start, match.end())
            start = match.end()
        yield from _span(masked, start, block_end)


def _block_starts(text: str) -> list[int]:
    starts, offset, after_heading, after_blank = [0], 0, False, False
    for line in text.split("\n"):
        if offset and (after_heading or after_blank or _BLOCK_LINE.match(line)):
            starts.append(offset)
        after_heading, after_blank = bool(_HEADING_LINE.match(line)), not line.strip()
        offset += len(line) + 1
    starts.append(len(text))
    return starts


def _is_abbreviation(before: str) -> bool:
    if not before.endswith("."):
        return False
    if before.strip().rstrip(".").isdigit():  # "1. First": a list item's number
        return True
    found = _WORD_BEFORE.search(before[-24:])  # the word before the period: no abbreviation is longer
    assert found is not None  # the period itself matches
    word = found[1].rstrip(".")
    if "." in word:  # U.S., e.g., a.m.
        return len(word.replace(".", "")) <= 3
    return word.casefold() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _next_starts_sentence(masked: str, offset: int) -> bool:
    rest = masked[offset : offset + 40].lstrip()
    return not rest or not rest[0].islower()


def _span(masked: str, start: int, end: int) -> Iterator[Sentence]:
    while start < end and masked[start].isspace():
        start += 1
    while end > start and masked[end - 1].isspace():
        end -= 1
    if start < end:
        yield Sentence(start, end)
