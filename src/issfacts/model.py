"""The domain: events on the ISS, the things they involve and the articles that cite them.

Pure values, no I/O. Everything here is immutable, so a Dataset can be shared freely
between the query layer, the renderers and a cache.

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
    """A calendar date known to the year, the month or the day: `2028`, `2023-03`, `2023-02-11`.

    `sort_key` puts a coarser date before the finer dates inside it (`2023` < `2023-01-05`).
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; ValueError says what is wrong."""
        match = _PARTIAL_DATE.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(match[1])
        month = None if match[2] is None else int(match[2])
        day = None if match[3] is None else int(match[3])
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
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day is not None and self.month is not None:
            return dt.date(self.year, self.month, self.day)
        month = self.month or 12
        return dt.date(self.year, month, days_in_month(self.year, month))

    def overlaps(self, since: "PartialDate | None", until: "PartialDate | None") -> bool:
        """True when any day of this date lies in the window; both ends inclusive at their precision."""
        if since is not None and self.last_day < since.first_day:
            return False
        return not (until is not None and self.first_day > until.last_day)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


class Source(NamedTuple):
    id: str
    title: str
    outlet: str | None = None
    author: str | None = None
    published: PartialDate | None = None
    note: str | None = None


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
    date: PartialDate
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
    def sort_key(self) -> tuple[tuple[int, int, int], str]:
        return (self.date.sort_key, self.id)


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
    events: tuple[Event, ...]  # in date order
