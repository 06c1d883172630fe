"""The bundled dataset: it loads clean, it is well formed, and its key facts hold.

The data is read through the loader (`issfacts.load.load_path` on `issfacts.load.BUNDLED`),
the same way the tool reads it, not as raw YAML.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from support import edtf_bounds

import issfacts
from issfacts import load
from issfacts.model import PartialDate

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # ../shared/seeds from the repo
# The bundled file is `issfacts.load.BUNDLED`; should that name go missing, the tests below
# still read the file the package ships, and test_load_names_the_bundled_file says so.
BUNDLED: Path = getattr(load, "BUNDLED", None) or Path(issfacts.__file__).parent / "data" / "events.yaml"


@pytest.fixture(scope="module")
def dataset() -> Any:
    return load.load_path(BUNDLED)


def test_load_names_the_bundled_file() -> None:
    assert Path(load.BUNDLED) == Path(issfacts.__file__).parent / "data" / "events.yaml"


def value(member: Any) -> str:
    """An enum member's value, or the string itself."""
    return str(getattr(member, "value", member))


def by_id(dataset: Any) -> dict[str, Any]:
    return {event.id: event for event in dataset.events}


def test_the_bundled_file_is_the_repository_dataset() -> None:
    assert BUNDLED.is_file()
    repo_copy = Path(__file__).resolve().parents[1] / "data" / "events.yaml"
    assert BUNDLED.read_bytes() == repo_copy.read_bytes()


def test_loads_clean(dataset: Any) -> None:
    assert dataset.events


def test_has_at_least_35_events(dataset: Any) -> None:
    assert len(dataset.events) >= 35


def test_every_event_has_a_citation_with_a_quote(dataset: Any) -> None:
    for event in dataset.events:
        assert len(event.sources) >= 1, event.id
        assert all(cite.quote.strip() for cite in event.sources), event.id


def test_ids_are_unique_slugs(dataset: Any) -> None:
    catalog = dataset.catalog
    sections = {
        "events": [event.id for event in dataset.events],
        "sources": list(catalog.sources),
        "agencies": list(catalog.agencies),
        "people": list(catalog.people),
        "spacecraft": list(catalog.spacecraft),
    }
    for section, idents in sections.items():
        assert idents, section
        assert len(idents) == len(set(idents)), section
        for ident in idents:
            assert SLUG.fullmatch(ident), (section, ident)


LEADING_DATE = re.compile(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)-[a-z]")


def test_an_id_that_starts_with_a_date_does_not_contradict_the_date(dataset: Any) -> None:
    """Ids are permanent and need not start with a date, but one that does names a day,
    month or year the event's bounds reach."""
    for event in dataset.events:
        match = LEADING_DATE.match(event.id)
        if match is None:
            continue
        named = PartialDate.parse(match[1])
        earliest, latest = event.date.earliest, event.date.latest
        assert earliest is None or earliest <= named.last_day, event.id
        assert latest is None or latest >= named.first_day, event.id


def all_dates(dataset: Any) -> list[tuple[str, Any]]:
    dates = [(event.id, event.date) for event in dataset.events]
    return dates + [(s.id, s.published) for s in dataset.catalog.sources.values() if s.published is not None]


def test_every_date_is_edtf_with_the_bounds_the_edtf_package_gives(dataset: Any) -> None:
    for ident, date in all_dates(dataset):
        assert edtf_bounds(str(date)) == (date.earliest, date.latest), ident


def test_every_date_lies_in_the_years_the_articles_cover(dataset: Any) -> None:
    for ident, date in all_dates(dataset):
        for bound in (date.earliest, date.latest):
            assert bound is None or 2000 <= bound.year <= 2030, ident
        assert date.earliest is not None or date.latest is not None, ident


def test_events_are_in_order_of_earliest_then_latest_bound_then_id(dataset: Any) -> None:
    keys = [event.sort_key for event in dataset.events]
    assert keys == sorted(keys)


def test_every_event_says_how_its_date_was_read(dataset: Any) -> None:
    """The precision policy: as precise as the texts make certain or a named public
    record corroborates, and the date_note says which."""
    for event in dataset.events:
        assert event.date_note and event.date_note.strip(), event.id


def test_notes_name_their_articles_not_seed_file_numbers(dataset: Any) -> None:
    """A note is read by users: "Ars Technica prints", never "004 prints" (the
    auditors' shorthand for ../shared/seeds/004_*.txt, meaningless outside it)."""
    seed_number = re.compile(r"(?<![\d.-])00\d(?![\d.-])")
    notes = [(event.id, event.date_note) for event in dataset.events]
    notes += [(source.id, source.note) for source in dataset.catalog.sources.values()]
    for owner, note in notes:
        assert not seed_number.search(note or ""), (owner, note)


def test_every_source_without_a_printed_date_says_so(dataset: Any) -> None:
    for source in dataset.catalog.sources.values():
        assert source.note and ("date" in source.note or "day" in source.note), source.id


def test_every_planned_event_is_not_dated_before_its_sources(dataset: Any) -> None:
    """A plan is reported before it is due: a planned event cannot end before the
    earliest day its citing article can have been published."""
    sources = dataset.catalog.sources
    planned = [event for event in dataset.events if value(event.status) == "planned"]
    assert planned
    for event in planned:
        for cite in event.sources:
            published = sources[cite.source].published
            if published is not None and published.earliest is not None and event.date.latest is not None:
                assert event.date.latest >= published.earliest, (event.id, cite.source)


def test_no_event_that_happened_starts_after_its_article(dataset: Any) -> None:
    """An article reports what has happened by the day it appears: an event it cites as
    happened cannot begin after the latest day the article can have been published."""
    sources = dataset.catalog.sources
    for event in dataset.events:
        if value(event.status) != "happened" or event.date.earliest is None:
            continue
        for cite in event.sources:
            published = sources[cite.source].published
            if published is not None and published.latest is not None:
                assert event.date.earliest <= published.latest, (event.id, cite.source)


def test_status_is_happened_or_planned(dataset: Any) -> None:
    assert {value(event.status) for event in dataset.events} == {"happened", "planned"}


def test_claims_are_attributed_and_cited(dataset: Any) -> None:
    catalog = dataset.catalog
    speakers = {*catalog.people, *catalog.agencies, *catalog.sources}
    claims = [claim for event in dataset.events for claim in event.claims]
    assert claims
    for claim in claims:
        assert claim.by in speakers
        assert claim.source in catalog.sources
        assert claim.quote.strip() and claim.claim.strip()


@pytest.mark.parametrize(
    ("section", "ident", "alias"),
    [
        ("spacecraft", "soyuz-ms-09", "55S"),
        ("spacecraft", "nauka", "MLM"),
        ("people", "aleksey-ovchinin", "Alexy Ovchinin"),
    ],
)
def test_aliases_exist(dataset: Any, section: str, ident: str, alias: str) -> None:
    assert alias in getattr(dataset.catalog, section)[ident].aliases


def test_names_are_canonical(dataset: Any) -> None:
    catalog = dataset.catalog
    assert catalog.spacecraft["soyuz-ms-09"].name == "Soyuz MS-09"
    assert catalog.spacecraft["nauka"].name == "Nauka"
    assert catalog.people["aleksey-ovchinin"].name == "Aleksey Ovchinin"


KEY_FACTS = [
    # (event id, date, status, words in the title, a spacecraft or person it involves)
    ("2021-07-29-nauka-docking", "2021-07-29", "happened", "docks", "nauka"),
    ("2021-07-29-nauka-thruster-misfire", "2021-07-29", "happened", "thrusters", "nauka"),
    ("2018-06-06-soyuz-ms-09-launch", "2018-06-06", "happened", "Soyuz MS-09 launches", "soyuz-ms-09"),
    ("2018-08-29-soyuz-ms-09-leak", "2018-08-29", "happened", "leak", "soyuz-ms-09"),
    ("2018-09-13-bridenstine-rogozin-joint-statement", "2018-09-13", "happened", "joint statement", "jim-bridenstine"),
    ("2018-09-03-tass-reports-rogozin-human-hand", "2018-09-03", "happened", "TASS", "dmitry-rogozin"),
    ("2022-12-14-soyuz-ms-22-coolant-leak", "2022-12-14", "happened", "Soyuz MS-22 leaks", "soyuz-ms-22"),
    ("2023-02-11-progress-ms-21-coolant-leak", "2023-02-11", "happened", "Progress MS-21", "progress-ms-21"),
    ("2022-07-15-crossover-flight-agreement", "2022-07-15", "happened", "crossover", None),
    ("2021-08-03-nelson-keynote-at-iss-rd-conference", "2021-08-03", "happened", "keynote", "bill-nelson"),
    ("2025-07-29-bakanov-arrives-in-houston", "2025-07-29", "happened", "Houston", "dmitry-bakanov"),
    ("2025-07-31-negotiations-with-duffy-scheduled", "2025-07-31", "planned", "Sean Duffy", "sean-duffy"),
    ("2028-russian-hubble-like-observatory-planned", "2022-07-15/2028", "planned", "Hubble-like observatory", None),
    ("2018-soyuz-booster-failure-emergency-return", "2018-10?", "happened", "booster failure", "nick-hague"),
    ("2018-10-baikonur-meeting-planned", "2018-10-10~", "planned", "Baikonur", "jim-bridenstine"),
    ("2018-roscosmos-commission-on-soyuz-ms-09-leak", "2018-08-29/2018-09-13", "happened", "commission", None),
    ("2021-nelson-letter-to-rogozin", "2021-07-29/2021-08-05", "happened", "letter", "bill-nelson"),
    ("2021-krikalev-interview-on-nauka-incident", "2021-07-29/2021-08-05", "happened", "Krikalev", None),
    ("2022-cooperation-reduced-after-invasion-of-ukraine", "2022/2025", "happened", "reduced", None),
    ("2023-02-progress-ms-21-undocking-planned", "2023-02-12/2023-02-19", "planned", "due to leave", None),
    ("2023-03-soyuz-ms-22-crewed-return-originally-planned", "2023-03", "planned", "originally", "frank-rubio"),
    ("2022-12-soyuz-ms-22-micrometeorite-verdict", "2022-12-14/2023-01-31", "happened", "micrometeorite", None),
    ("2000s-2010s-russian-engines-power-atlas-v-and-antares", "2000/2019", "happened", "RD-180", "atlas-v"),
    ("2014-us-push-to-end-reliance-on-rd-180", "2014/2025", "happened", "waivers", None),
    ("2022-new-russian-engine-orders-prohibited", "2022/2025", "happened", "orders", None),
    ("2025-us-transition-from-russian-rocket-engines", "../2025", "happened", "transitioned", None),
    ("2025-07-iss-extension-agreement", "2025-07-29/2025-07-31", "happened", "2028", "iss"),
]


@pytest.mark.parametrize(("ident", "date", "status", "words", "involves"), KEY_FACTS, ids=[f[0] for f in KEY_FACTS])
def test_key_fact(dataset: Any, ident: str, date: str, status: str, words: str, involves: str | None) -> None:
    event = by_id(dataset).get(ident)
    assert event is not None, f"{ident} is missing"
    assert str(event.date) == date
    assert value(event.status) == status
    assert words in event.title
    if involves is not None:
        assert involves in (*event.spacecraft, *event.people)


def test_contested_causes_are_claims_not_facts(dataset: Any) -> None:
    events = by_id(dataset)
    drill = events["2018-08-29-soyuz-ms-09-leak"]
    assert any(claim.by == "dmitry-rogozin" and "drill" in claim.claim for claim in drill.claims)
    for ident in ("2022-12-14-soyuz-ms-22-coolant-leak", "2022-12-soyuz-ms-22-micrometeorite-verdict"):
        event = events[ident]
        assert any("micrometeorite" in claim.claim for claim in event.claims), ident
        assert "micrometeorite" not in event.summary, ident


def test_claims_name_who_really_made_them(dataset: Any) -> None:
    """The articles' own attribution, not a tidier one: an unnamed NASA source is not NASA,
    and 'Russian engineers' are not Roscosmos."""
    for event in dataset.events:
        for claim in event.claims:
            if "one NASA source" in claim.quote:
                assert claim.by != "nasa" and "unnamed NASA source" in claim.claim, event.id
            if claim.quote.startswith("Russian engineers"):
                assert claim.by != "roscosmos" and "Russian engineers" in claim.claim, event.id


# -- quotes are verbatim ------------------------------------------------------------------


@pytest.fixture(scope="module")
def articles() -> dict[str, str]:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not here ({SEEDS})")
    found = {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS.iterdir()) if path.is_file()}
    if not found:
        pytest.skip(f"no seed articles in {SEEDS}")
    return found


def test_every_source_is_one_seed_article(dataset: Any, articles: dict[str, str]) -> None:
    for source in dataset.catalog.sources.values():
        matches = [name for name, text in articles.items() if source.title in text]
        assert len(matches) == 1, (source.id, matches)


def test_every_quote_is_verbatim_in_its_source(dataset: Any, articles: dict[str, str]) -> None:
    article_of = {
        source.id: next(text for text in articles.values() if source.title in text)
        for source in dataset.catalog.sources.values()
    }
    missing = []
    for event in dataset.events:
        for kind, items in (("citation", event.sources), ("claim", event.claims)):
            for index, item in enumerate(items):
                if item.quote not in article_of[item.source]:
                    missing.append(f"{event.id} {kind} {index}: {item.quote[:60]!r}")
    assert not missing, "\n".join(missing)
