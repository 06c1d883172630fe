"""The domain: events on the ISS, the things they involve and the articles that cite them.

Pure values, no I/O. load.py builds a Dataset (schema.py checks each field on the way);
rows.py compiles it into rows and records.py into the contract's JSON records. After
that the query path works on rows and records, and model objects come back only when a
command asks for the catalog (rows.LazyCatalog: names, aliases, sources). The records
are immutable; a Catalog's dicts are filled once, when it is built, and only read after.

The records are `typing.NamedTuple`s rather than frozen dataclasses for start-up time:
a dataclass compiles its methods on every import, 0.7 ms per class against 0.1 ms for a
NamedTuple (measured with time.perf_counter around class creation, Python 3.11), and
start-up is a feature here (see README, Performance).
"""

import datetime as dt
import enum
import re
from typing import NamedTuple

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # ASCII digits only
# In English whatever the locale (calendar.month_name follows it), and without importing
# calendar for two facts.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def days_in_month(year: int, month: int) -> int:
    if month == 12:  # December has 31 days, and December 9999 has no following month
        return 31
    return (dt.date(year, month + 1, 1) - dt.date(year, month, 1)).days


class Kind(str, enum.Enum):
    """What sort of thing happened."""

    LAUNCH = "launch"
    DOCKING = "docking"
    UNDOCKING = "undocking"
    RETURN = "return"
    INCIDENT = "incident"
    INVESTIGATION = "investigation"
    STATEMENT = "statement"
    AGREEMENT = "agreement"
    MEETING = "meeting"
    OPERATIONS = "operations"
    POLICY = "policy"


class Status(str, enum.Enum):
    """Whether an event has happened or was still planned when its source was written."""

    HAPPENED = "happened"
    PLANNED = "planned"


class SpacecraftType(str, enum.Enum):
    SPACE_STATION = "space station"
    STATION_MODULE = "station module"
    CREWED_SPACECRAFT = "crewed spacecraft"
    CARGO_SPACECRAFT = "cargo spacecraft"
    LAUNCH_VEHICLE = "launch vehicle"
    SPACE_TELESCOPE = "space telescope"


class PartialDate(NamedTuple):
    """A calendar date known to the year, the month or the day: `2028`, `2023-03`, `2023-02-11`."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; ValueError says what is wrong."""
        match = _PARTIAL_DATE.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
        return cls._checked(text, match[1], match[2], match[3])

    @classmethod
    def _checked(cls, text: str, year_text: str, month_text: str | None, day_text: str | None) -> "PartialDate":
        year = int(year_text)
        month = None if month_text is None else int(month_text)
        day = None if day_text is None else int(day_text)
        if year < 1:
            raise ValueError(f"{text!r}: there is no year 0000; use YYYY, YYYY-MM or YYYY-MM-DD")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r}: month must be 01 to 12; use YYYY, YYYY-MM or YYYY-MM-DD")
        if month is not None and day is not None:
            last = days_in_month(year, month)
            if not 1 <= day <= last:
                raise ValueError(f"{text!r}: {MONTHS[month - 1]} {year} has days 01 to {last}")
        return cls(year, month, day)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day is not None and self.month is not None:
            return dt.date(self.year, self.month, self.day)
        month = self.month or 12
        return dt.date(self.year, month, days_in_month(self.year, month))

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


# Day ordinals standing for an open end (`..`): before the first and after the last day
# `datetime.date` can hold, so open and closed bounds compare and sort as plain integers.
OPEN_START = 0
OPEN_END = dt.date.max.toordinal() + 1

QUALIFIERS = {"": "", "?": "uncertain", "~": "approximate", "%": "uncertain and approximate"}
_EDTF_POINT = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([?~%]?)")  # ASCII digits only
_EDTF_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD (a ? or ~ after it if uncertain or approximate), or START/END ('..' if open)"


class EdtfDate(NamedTuple):
    """A date as the data writes it, in a profile of EDTF (ISO 8601-2, level 1).

    `2021`, `2021-07`, `2021-07-29`; an interval `2021-07-29/2021-08-05`, with `..` for an
    end that is open (`2023-02-11/..`, `../2028`); a qualifier after any date: `?`
    uncertain, `~` approximate, `%` both (`2018-10?`). Its bounds are the strict ones
    (EDTF's `lower_strict`/`upper_strict`, which ignore qualifiers): the first day the
    start can mean and the last day the end can mean. A single date is its own start and
    end.
    """

    start: PartialDate | None  # None: open ('..')
    end: PartialDate | None
    start_qualifier: str = ""  # one of QUALIFIERS
    end_qualifier: str = ""
    interval: bool = False

    @classmethod
    def parse(cls, text: str) -> "EdtfDate":
        """Read the profile above; ValueError says what is wrong and how to write it."""
        text = text.strip()
        if not text:
            raise ValueError(f"a date must not be empty; use {_EDTF_FORMS}")
        if any(char.isspace() for char in text):
            raise ValueError(f"{text!r} is not a date: write it without spaces, e.g. 2021-07-29/2021-08-05")
        if "/" not in text:
            start, qualifier = cls._point(text, text)
            assert start is not None
            return cls(start, start, qualifier, qualifier)
        if text.count("/") > 1:
            raise ValueError(f"{text!r} is not a date: an interval has one '/', as in 2021-07-29/2021-08-05")
        left, right = text.split("/")
        if not left or not right:
            raise ValueError(
                f"{text!r}: an interval needs both ends; write '..' for an open end, as in 2023-02-11/.. or ../2028"
            )
        if left == right == "..":
            raise ValueError(f"{text!r}: an interval needs at least one known end")
        start, start_qualifier = cls._point(left, text)
        end, end_qualifier = cls._point(right, text)
        if start is not None and end is not None and start.first_day > end.last_day:
            raise ValueError(
                f"{text!r}: the interval starts ({left}) after it ends ({right}); write the earlier end first"
            )
        return cls(start, end, start_qualifier, end_qualifier, True)

    @staticmethod
    def _point(part: str, text: str) -> tuple[PartialDate | None, str]:
        if part == "..":
            return None, ""
        match = _EDTF_POINT.fullmatch(part)
        if match is None:
            hint = _qualifier_hint(part)
            raise ValueError(f"{text!r} is not a date; {hint or 'use ' + _EDTF_FORMS}")
        return PartialDate._checked(part, match[1], match[2], match[3]), match[4]

    @property
    def first(self) -> int:
        """The earliest day as an ordinal; OPEN_START for an open start."""
        return OPEN_START if self.start is None else self.start.first_day.toordinal()

    @property
    def last(self) -> int:
        """The latest day as an ordinal; OPEN_END for an open end."""
        return OPEN_END if self.end is None else self.end.last_day.toordinal()

    @property
    def earliest(self) -> dt.date | None:
        return None if self.start is None else self.start.first_day

    @property
    def latest(self) -> dt.date | None:
        return None if self.end is None else self.end.last_day

    @property
    def uncertain(self) -> bool:
        return any(q in ("?", "%") for q in (self.start_qualifier, self.end_qualifier))

    @property
    def approximate(self) -> bool:
        return any(q in ("~", "%") for q in (self.start_qualifier, self.end_qualifier))

    @property
    def sort_key(self) -> tuple[int, int]:
        """Earliest bound first, then latest: open starts first, open ends last."""
        return (self.first, self.last)

    def __str__(self) -> str:
        if not self.interval:
            return f"{self.start}{self.start_qualifier}"
        left = ".." if self.start is None else f"{self.start}{self.start_qualifier}"
        right = ".." if self.end is None else f"{self.end}{self.end_qualifier}"
        return f"{left}/{right}"


def _qualifier_hint(part: str) -> str | None:
    """What is wrong with the qualifier of `part`, if that is what is wrong."""
    stripped = part.rstrip("?~%!*#")
    tail = part[len(stripped) :]
    if tail and _EDTF_POINT.fullmatch(stripped):
        return (
            f"{tail!r} is not a qualifier: write one of ? (uncertain), ~ (approximate) or % (both), "
            "once, after the date, e.g. 2018-10?"
        )
    if part[:1] in "?~%" and _EDTF_POINT.fullmatch(part[1:] + part[:1]):
        return f"a qualifier goes after the date: write {part[1:] + part[:1]}"
    return None


class Source(NamedTuple):
    id: str
    title: str
    outlet: str | None = None
    author: str | None = None
    published: EdtfDate | None = None
    note: str | None = None
    url: str | None = None  # an absolute http(s) address, where the article was read
    accessed: PartialDate | None = None  # the day it was read there (always to the day)


class Agency(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None


class Person(NamedTuple):
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    agency: str | None = None


class Spacecraft(NamedTuple):
    id: str
    name: str
    type: SpacecraftType
    aliases: tuple[str, ...] = ()
    operators: tuple[str, ...] = ()


class Citation(NamedTuple):
    """A verbatim passage of a source that supports an event."""

    source: str
    quote: str


class Claim(NamedTuple):
    """A contested statement, attributed to whoever made it (a person, agency or source id)."""

    claim: str
    by: str
    source: str
    quote: str


class Event(NamedTuple):
    id: str
    date: EdtfDate
    title: str
    kind: Kind
    summary: str
    sources: tuple[Citation, ...]
    status: Status = Status.HAPPENED
    spacecraft: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    claims: tuple[Claim, ...] = ()
    date_note: str | None = None

    @property
    def sort_key(self) -> tuple[int, int, str]:
        """The order of events everywhere: earliest bound, latest bound, id."""
        return (*self.date.sort_key, self.id)


Named = Agency | Person | Spacecraft


class Catalog(NamedTuple):
    """Everything an event refers to, by id."""

    sources: dict[str, Source]
    agencies: dict[str, Agency]
    people: dict[str, Person]
    spacecraft: dict[str, Spacecraft]

    def speaker_name(self, ref: str) -> str:
        """The display name of whoever made a claim: a person, an agency or a source's outlet."""
        if ref in self.people:
            return self.people[ref].name
        if ref in self.agencies:
            return self.agencies[ref].name
        if ref in self.sources:
            source = self.sources[ref]
            return source.outlet or source.title
        return ref


class Dataset(NamedTuple):
    catalog: Catalog
    events: tuple[Event, ...]  # in Event.sort_key order
