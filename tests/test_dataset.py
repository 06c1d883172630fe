"""The bundled dataset: it loads clean, it is well formed, and its key facts hold.

The data is read through the loader (`issfacts.load.load_path` on `issfacts.load.BUNDLED`),
the same way the tool reads it, not as raw YAML.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

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


def test_event_ids_start_with_their_date(dataset: Any) -> None:
    for event in dataset.events:
        assert event.id.startswith(str(event.date) + "-"), event.id


def test_dates_are_valid_at_their_precision(dataset: Any) -> None:
    for event in dataset.events:
        text = str(event.date)
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text), event.id
        assert str(PartialDate.parse(text)) == text
        assert 2018 <= event.date.first_day.year <= 2030, event.id


def test_events_are_in_date_order(dataset: Any) -> None:
    starts = [event.date.first_day for event in dataset.events]
    assert starts == sorted(starts)


def test_every_planned_event_is_not_dated_before_its_sources(dataset: Any) -> None:
    """A plan is reported before it is due: a planned event cannot end before the
    earliest day its citing article can have been published."""
    sources = dataset.catalog.sources
    planned = [event for event in dataset.events if value(event.status) == "planned"]
    assert planned
    for event in planned:
        for cite in event.sources:
            published = sources[cite.source].published
            if published is not None:
                assert event.date.last_day >= published.first_day, (event.id, cite.source)


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
    ("2028-russian-hubble-like-observatory-planned", "2028", "planned", "Hubble-like observatory", None),
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
    leak = events["2022-12-14-soyuz-ms-22-coolant-leak"]
    assert any("micrometeorite" in claim.claim for claim in leak.claims)
    assert "micrometeorite" not in leak.summary


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
