#!/usr/bin/env python3
"""Write a synthetic issfacts dataset of N events, in the format of data/events.yaml.

    python benchmarks/gen.py 100000 -o /tmp/events-100000.yaml --seed 1

The same N and seed always give the same bytes. The output passes `issfacts validate`.
What it is for is timing, so its shape follows the real file: a catalogue of a few
hundred spacecraft and people, about twenty sources, dates from 1998 to 2030 at mixed
precision (YYYY, YYYY-MM, YYYY-MM-DD; about 8% EDTF intervals of days and 0.2% open
ends), summaries of about 200 characters, one to three citations per event and a few
claims. Two things are made selective on purpose:

- about 0.5% of events mention "coolant" (no other event contains the word), so
  `events --search coolant` returns few events;
- about 0.1% of events (at least one) name the spacecraft "Soyuz MS-22", so
  `events --spacecraft "Soyuz MS-22"` returns few events.

The text is plain string formatting, not yaml.dump: 100,000 events take a few seconds.
Standard library only. None of the text is a real fact or a real quote.
"""

from __future__ import annotations

import argparse
import bisect
import calendar
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def _list(text: str) -> list[str]:
    return text.split(", ")


# -- the catalogue -----------------------------------------------------------------------

AGENCIES = [
    ("nasa", "NASA", ["National Aeronautics and Space Administration"], "United States"),
    ("roscosmos", "Roscosmos", ["State Space Corporation Roscosmos"], "Russia"),
    ("esa", "ESA", ["European Space Agency"], None),
    ("jaxa", "JAXA", ["Japan Aerospace Exploration Agency"], "Japan"),
    ("csa", "CSA", ["Canadian Space Agency"], "Canada"),
    ("spacex", "SpaceX", [], "United States"),
    ("boeing", "Boeing", [], "United States"),
    ("ula", "United Launch Alliance", ["ULA"], "United States"),
    ("northrop-grumman", "Northrop Grumman", [], "United States"),
    ("rsc-energia", "RSC Energia", ["Energia"], "Russia"),
    ("axiom-space", "Axiom Space", ["Axiom"], "United States"),
    ("sierra-space", "Sierra Space", [], "United States"),
]

OUTLETS = _list(
    "Space.com, Ars Technica, SpaceNews, TASS, RIA Novosti, Spaceflight Now, NASASpaceflight.com, "
    "Reuters, Associated Press, Interfax, NASA Blogs, Spaceflight Insider, Frontier India, CBS News, "
    "BBC News, Russian Space Web, Universe Today, The Verge, Kommersant, SpacePolicyOnline"
)
SOURCE_TOPICS = [
    "Russian spacecraft leaks again at the space station",
    "NASA and Roscosmos agree to extend seat swaps",
    "Station crew works through another pressure drop",
    "Roscosmos blames a micrometeoroid for the latest failure",
    "What the latest Soyuz problem means for the station",
    "Engineers trace the station's slow air leak",
    "US and Russian space chiefs meet for the first time in years",
    "Cargo ship docks after a delay at the launch site",
    "The station's Russian segment is showing its age",
    "Crew shelters as debris passes close to the station",
]
AUTHORS = _list(
    "Chelsea Gohd, Eric Berger, Jason Rhian, Joseph P Chacko, Jeff Foust, Anatoly Zak, Marcia Smith, "
    "Stephen Clark, Joey Roulette, Loren Grush, Mike Wall, Elizabeth Howell, Marina Koren, Irene Klotz, "
    "William Harwood"
)

MODULES = [
    ("zarya", "Zarya", ["FGB"], "roscosmos"),
    ("zvezda", "Zvezda", ["Service Module"], "roscosmos"),
    ("unity", "Unity", ["Node 1"], "nasa"),
    ("destiny", "Destiny", ["US Lab"], "nasa"),
    ("quest", "Quest", ["Joint Airlock"], "nasa"),
    ("pirs", "Pirs", ["Docking Compartment 1"], "roscosmos"),
    ("poisk", "Poisk", ["MRM2"], "roscosmos"),
    ("harmony", "Harmony", ["Node 2"], "nasa"),
    ("columbus", "Columbus", [], "esa"),
    ("kibo", "Kibo", ["JEM"], "jaxa"),
    ("rassvet", "Rassvet", ["MRM1"], "roscosmos"),
    ("tranquility", "Tranquility", ["Node 3"], "nasa"),
    ("leonardo", "Leonardo", ["PMM"], "nasa"),
    ("beam", "BEAM", [], "nasa"),
    ("nauka", "Nauka", ["MLM"], "roscosmos"),
    ("prichal", "Prichal", ["Nodal Module"], "roscosmos"),
    ("bishop", "Bishop Airlock", ["Bishop"], "nasa"),
]
LAUNCHERS = [
    ("soyuz-fg", "Soyuz-FG", "roscosmos"),
    ("soyuz-2-1a", "Soyuz-2.1a", "roscosmos"),
    ("proton-m", "Proton-M", "roscosmos"),
    ("falcon-9", "Falcon 9", "spacex"),
    ("atlas-v", "Atlas V", "ula"),
    ("antares", "Antares", "northrop-grumman"),
    ("vulcan", "Vulcan", "ula"),
    ("h-iib", "H-IIB", "jaxa"),
    ("h3", "H3", "jaxa"),
    ("starship", "Starship", "spacex"),
]

RU_FIRST = _list(
    "Aleksey, Sergey, Oleg, Anton, Dmitri, Nikolai, Andrey, Pyotr, Yuri, Fyodor, Anatoli, Ivan, "
    "Konstantin, Mikhail, Denis, Gennady, Elena, Anna, Yelena, Maksim"
)
RU_LAST = _list(
    "Ovchinin, Prokopyev, Kononenko, Shkaplerov, Petelin, Chub, Borisenko, Skvortsov, Artemyev, "
    "Novitsky, Misurkin, Ryzhikov, Ivanishin, Vagner, Zhukov, Kikina, Serova, Kondratyev, Tikhonov, "
    "Matveev"
)
WEST_FIRST = _list(
    "Nick, Serena, Frank, Kate, Jessica, Christina, Warren, Mark, Scott, Peggy, Jasmin, Loral, Raja, "
    "Kayla, Thomas, Matthew, Victor, Shannon, Sunita, Samantha, Luca, Andreas, Koichi, Satoshi"
)
WEST_LAST = _list(
    "Hague, Rubio, Rubins, Meir, Koch, Hoburg, Kelly, Whitson, Moghbeli, O'Hara, Chari, Barratt, "
    "Marshburn, Dominick, Glover, Walker, Wilmore, Cassada, Bowen, Pesquet, Mogensen, Wakata, Furukawa, "
    "Cristoforetti"
)
TRANSLITERATIONS = {
    "Aleksey": "Alexy",
    "Sergey": "Sergei",
    "Dmitri": "Dmitry",
    "Yuri": "Yury",
    "Fyodor": "Fedor",
    "Andrey": "Andrei",
    "Anatoli": "Anatoly",
    "Pyotr": "Petr",
    "Gennady": "Gennadi",
    "Maksim": "Maxim",
}
WEST_AGENCIES = ["nasa"] * 6 + ["esa", "esa", "jaxa", "csa", "axiom-space"]
ROLES = {
    "nasa": ["NASA astronaut"] * 8
    + ["NASA Administrator", "NASA space station program manager", "NASA flight director", "NASA spokesperson"],
    "roscosmos": ["Roscosmos cosmonaut"] * 8
    + [
        "Roscosmos General Director",
        "Roscosmos director of crewed space programs",
        "Roscosmos spokesperson",
        "Energia flight director",
    ],
    "esa": ["European Space Agency astronaut"],
    "jaxa": ["JAXA astronaut"],
    "csa": ["Canadian Space Agency astronaut"],
    "axiom-space": ["Axiom Space mission commander"],
}

# -- the words of events -------------------------------------------------------------------
# Nothing here contains "coolant": only the chosen events say it (see COOLANT_*).

SYSTEMS = _list(
    "orbital module, descent module, service module, docking port, solar array, "
    "attitude control thrusters, pressure hatch, oxygen generator, carbon dioxide scrubber, "
    "external radiator, ammonia pump, antenna boom, propellant line, docking mechanism, heat shield, "
    "life support rack, power distribution unit, thermal blanket, window shutter, airlock seal"
)
PROBLEMS = _list(
    "a slow pressure leak, a thruster misfire, a sensor fault, a software glitch, "
    "a loss of attitude control, a power outage, a false smoke alarm, a communications dropout, "
    "a crack in the hull, an air leak, a stuck valve, a jammed latch, an unexpected vibration, "
    "a computer reboot"
)
COOLANT_PROBLEMS = [
    "a coolant leak",
    "a loss of coolant pressure",
    "a spray of coolant from the radiator loop",
    "coolant flakes drifting away from the spacecraft",
]
CAUSES = _list(
    "a micrometeoroid strike, a manufacturing defect, a drill hole, worn seals, an operator error, "
    "a faulty valve, orbital debris, a software update, fatigue cracks in the hull, a damaged cable"
)
PLACES = _list(
    "the Baikonur Cosmodrome, Kennedy Space Center, Mission Control in Houston, "
    "the Russian mission control centre near Moscow, Star City, Vostochny, Tanegashima, "
    "the Johnson Space Center"
)
OUTCOMES = _list(
    "the crew was never in danger, station operations continued normally, "
    "the hatch was closed as a precaution, the crew sheltered in their spacecraft, "
    "engineers patched the hole with sealant, the pressure held overnight, "
    "the flight plan was unchanged, the undocking was postponed by a day"
)
LAUNCH_SITES = _list(
    "the Baikonur Cosmodrome, Kennedy Space Center, Cape Canaveral, Vostochny, Tanegashima, Wallops Island"
)
TOPICS = [
    "cross-flights of astronauts and cosmonauts",
    "the future of the station after 2028",
    "the integrated crew agreement",
    "the deorbit of the station",
    "lunar exploration",
    "sanctions on the Russian space industry",
    "seat swaps on Soyuz and Crew Dragon",
    "joint research on the station",
]
KIND_WEIGHTS = {
    "launch": 12,
    "docking": 12,
    "undocking": 8,
    "return": 8,
    "incident": 14,
    "investigation": 6,
    "statement": 16,
    "agreement": 5,
    "meeting": 7,
    "operations": 9,
    "policy": 3,
}
VERBS_SAID = ["said", "told reporters", "wrote", "confirmed", "added", "noted", "explained"]

_encode = json.encoder.encode_basestring  # type: ignore[attr-defined]  # the C one
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def bare(phrase: str) -> str:
    """`a slow leak` -> `slow leak`."""
    for article in ("a ", "an "):
        if phrase.startswith(article):
            return phrase[len(article) :]
    return phrase


def q(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return _encode(text)  # type: ignore[no-any-return]


def flow(ids: Sequence[str]) -> str:
    return "[" + ", ".join(ids) + "]"


class Catalogue:
    def __init__(self, rng: random.Random) -> None:
        self.sources = self._sources(rng)
        self.people = self._people(rng)
        self.spacecraft = self._spacecraft()
        self.craft_by_id = {c[0]: c for c in self.spacecraft}
        # Soyuz MS-22 is left out of the random pool: the generator places it on purpose.
        self.pool = [c for c in self.spacecraft if c[0] not in ("soyuz-ms-22", "iss")]
        self.vehicles = [c for c in self.pool if c[3] in ("crewed spacecraft", "cargo spacecraft")]
        self.launchers = [c[0] for c in self.spacecraft if c[3] == "launch vehicle"]
        self.modules = [c for c in self.spacecraft if c[3] == "station module"]

    @staticmethod
    def _sources(rng: random.Random) -> list[tuple[str, str, str | None, str | None, str, str | None]]:
        out = []
        for index, outlet in enumerate(OUTLETS):
            year = rng.randint(2000, 2025)
            topic = SOURCE_TOPICS[index % len(SOURCE_TOPICS)]
            published = rng.choice(
                [
                    f"{year}",
                    f"{year}-{rng.randint(1, 12):02d}",
                    f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                ]
            )
            author = None if index % 7 == 3 else AUTHORS[index % len(AUTHORS)]
            note = None
            if len(published) < 10:
                note = (
                    "Publication date not printed. The text describes the events of "
                    f"{published} in the past tense, so it appeared soon after."
                )
            out.append(
                (
                    f"{slug(outlet)}-{year}-{slug(topic)[:24].rstrip('-')}",
                    topic,
                    None if index == 5 else outlet,
                    author,
                    published,
                    note,
                )
            )
        return out

    @staticmethod
    def _people(rng: random.Random) -> list[tuple[str, str, list[str], str, str | None]]:
        russian = [(f, la) for f in RU_FIRST for la in RU_LAST]
        western = [(f, la) for f in WEST_FIRST for la in WEST_LAST]
        chosen = [(f, la, "roscosmos") for f, la in rng.sample(russian, 150)]
        chosen += [(f, la, rng.choice(WEST_AGENCIES)) for f, la in rng.sample(western, 150)]
        out = []
        for first, last, agency in chosen:
            name = f"{first} {last}"
            aliases = []
            if first in TRANSLITERATIONS and rng.random() < 0.3:
                aliases.append(f"{TRANSLITERATIONS[first]} {last}")
            role = rng.choice(ROLES[agency])
            out.append((slug(name), name, aliases, role, None if rng.random() < 0.05 else agency))
        out.sort()
        return out

    @staticmethod
    def _spacecraft() -> list[tuple[str, str, list[str], str, list[str]]]:
        out: list[tuple[str, str, list[str], str, list[str]]] = [
            ("iss", "International Space Station", ["ISS"], "space station", ["nasa", "roscosmos"]),
            ("ros", "Russian Orbital Space Station", ["ROS"], "space station", ["roscosmos"]),
        ]
        out += [(i, n, a, "station module", [op]) for i, n, a, op in MODULES]
        out += [(f"soyuz-tm-{n}", f"Soyuz TM-{n}", [], "crewed spacecraft", ["roscosmos"]) for n in range(31, 35)]
        out += [(f"soyuz-tma-{n}", f"Soyuz TMA-{n}", [], "crewed spacecraft", ["roscosmos"]) for n in range(1, 23)]
        out += [
            (f"soyuz-tma-{n:02d}m", f"Soyuz TMA-{n:02d}M", [], "crewed spacecraft", ["roscosmos"]) for n in range(1, 21)
        ]
        out += [
            (f"soyuz-ms-{n:02d}", f"Soyuz MS-{n:02d}", [f"{n + 46}S"], "crewed spacecraft", ["roscosmos"])
            for n in range(1, 121)
        ]
        out += [
            (f"progress-ms-{n:02d}", f"Progress MS-{n:02d}", [f"{n + 61}P"], "cargo spacecraft", ["roscosmos"])
            for n in range(1, 121)
        ]
        out += [
            (f"progress-m-{n:02d}m", f"Progress M-{n:02d}M", [], "cargo spacecraft", ["roscosmos"])
            for n in range(1, 30)
        ]
        out += [
            (f"dragon-crs-{n}", f"Dragon CRS-{n}", [f"SpX-{n}"], "cargo spacecraft", ["spacex"]) for n in range(1, 41)
        ]
        out += [
            (f"crew-{n}", f"SpaceX Crew-{n}", [f"Crew-{n}"], "crewed spacecraft", ["spacex", "nasa"])
            for n in range(1, 31)
        ]
        out += [
            (f"cygnus-ng-{n}", f"Cygnus NG-{n}", [f"NG-{n}"], "cargo spacecraft", ["northrop-grumman"])
            for n in range(10, 41)
        ]
        out += [(f"htv-{n}", f"HTV-{n}", [f"Kounotori {n}"], "cargo spacecraft", ["jaxa"]) for n in range(1, 10)]
        out += [
            ("crew-dragon", "Crew Dragon", [], "crewed spacecraft", ["spacex"]),
            ("starliner", "CST-100 Starliner", ["Starliner"], "crewed spacecraft", ["boeing"]),
            ("dream-chaser", "Dream Chaser", [], "cargo spacecraft", ["sierra-space"]),
        ]
        out += [(i, n, [], "launch vehicle", [op]) for i, n, op in LAUNCHERS]
        return out


def _dates(rng: random.Random, n: int) -> list[tuple[int, int, int]]:
    """n dates, sorted, as (year, month or 0, day or 0): 70% to the day, 20% month, 10% year."""
    out = []
    randint, rand = rng.randint, rng.random
    for _ in range(n):
        year = randint(1998, 2030)
        p = rand()
        if p < 0.1:
            out.append((year, 0, 0))
            continue
        month = randint(1, 12)
        if p < 0.3:
            out.append((year, month, 0))
        else:
            out.append((year, month, randint(1, calendar.monthrange(year, month)[1])))
    out.sort()
    return out


def _date_text(d: tuple[int, int, int]) -> str:
    year, month, day = d
    if not month:
        return f"{year}"
    if not day:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{day:02d}"


class _Writer:
    def __init__(self, rng: random.Random, cat: Catalogue) -> None:
        self.rng = rng
        self.cat = cat
        self.ids: dict[str, int] = {}
        self.kinds = list(KIND_WEIGHTS)
        self.kind_cum: list[int] = []
        total = 0
        for weight in KIND_WEIGHTS.values():
            total += weight
            self.kind_cum.append(total)
        self.rand = rng.random

    def _written(self, d: tuple[int, int, int], date: str) -> str:
        """The date as the file writes it: some EDTF intervals, as in the bundled data (a
        span of days after a known day), and a few open ends, which every window matches."""
        r = self.rand()
        if r < 0.08 and d[2]:
            end = dt.date(*d) + dt.timedelta(days=1 + int(self.rand() * 60))
            return f"{date}/{end.isoformat()}"
        if 0.08 <= r < 0.081:
            return f"{date}/.."
        if 0.081 <= r < 0.082:
            return f"../{date}"
        return date

    def pick(self, seq: Sequence[T]) -> T:
        # rng.choice costs three times as much, and a large file makes millions of picks
        return seq[int(self.rand() * len(seq))]

    def event(self, d: tuple[int, int, int], coolant: bool, ms22: bool) -> str:
        rng = self.rng
        choice, rand = self.pick, self.rand
        cat = self.cat
        date = _date_text(d)
        kind = "incident" if coolant else self.kinds[bisect.bisect(self.kind_cum, rand() * self.kind_cum[-1])]
        planned = d[0] >= 2026 or rand() < 0.03
        craft = cat.craft_by_id["soyuz-ms-22"] if ms22 else choice(cat.vehicles)
        other = choice(cat.modules) if kind in ("docking", "undocking") else choice(cat.pool)
        craft_ids = [craft[0]]
        if rand() < 0.6:
            craft_ids.append("iss")
        if other[0] not in craft_ids and rand() < 0.35:
            craft_ids.append(other[0])
        if kind == "launch" and rand() < 0.5:
            launcher = choice(cat.launchers)  # drawn either way: the same seed keeps its other choices
            if launcher not in craft_ids:  # `other` may be that launcher already: each id once
                craft_ids.append(launcher)
        agencies = list(dict.fromkeys(craft[4] + (["nasa"] if rand() < 0.5 else [])))
        people = rng.sample(cat.people, choice((0, 1, 1, 2, 2, 3)))
        names = [p[1] for p in people]
        who = names[0] if names else choice(("A NASA spokesperson", "Roscosmos", "The crew"))
        cname, oname = craft[1], other[1]
        system, place, outcome = choice(SYSTEMS), choice(PLACES), choice(OUTCOMES)
        problem = choice(COOLANT_PROBLEMS) if coolant else choice(PROBLEMS)

        title, lead = self._title_and_lead(kind, cname, oname, names, system, place, problem)
        summary = lead
        extra = [
            f"{who} said {outcome}.",
            f"Engineers at {place} reviewed data from the {system} before the next step.",
            f"The {system} of {cname} was checked by teams in Houston and Moscow.",
            f"The event followed talks on {choice(TOPICS)}.",
            f"According to {choice(OUTLETS)}, {outcome}.",
        ]
        while len(summary) < 170:
            summary += " " + extra.pop(int(rand() * len(extra)))
        if planned:
            summary += " It was planned at the time of writing."

        lines = [f"  - id: {self._id(date, title)}", f'    date: "{self._written(d, date)}"']
        if d[2] == 0 and rand() < 0.3:
            precision = "year" if d[1] == 0 else "month"
            lines.append(f"    date_note: {q(f'The source gives only the {precision}. The day is not certain.')}")
        lines += [
            f"    title: {q(title)}",
            f"    kind: {kind}",
            f"    status: {'planned' if planned else 'happened'}",
            f"    summary: {q(summary)}",
            f"    spacecraft: {flow(craft_ids)}",
            f"    agencies: {flow(agencies)}",
            f"    people: {flow([p[0] for p in people])}",
        ]
        if kind in ("incident", "investigation") and rand() < 0.4:
            lines.append("    claims:")
            for _ in range(choice((1, 1, 2))):
                speaker = choice((choice(cat.people)[0], choice(("roscosmos", "nasa")), choice(cat.sources)[0]))
                cause = choice(CAUSES)
                lines += [
                    f"      - claim: {q(f'The {bare(problem)} was caused by {cause}.')}",
                    f"        by: {speaker}",
                    f"        source: {choice(cat.sources)[0]}",
                    f"        quote: {q(self._quote(who, cname, system, problem, place, outcome, cause))}",
                ]
        lines.append("    sources:")
        for _ in range(choice((1, 2, 2, 3))):
            lines += [
                f"      - source: {choice(cat.sources)[0]}",
                f"        quote: {q(self._quote(who, cname, system, problem, place, outcome, choice(CAUSES)))}",
            ]
        return "\n".join(lines) + "\n\n"

    def _title_and_lead(
        self, kind: str, cname: str, oname: str, names: list[str], system: str, place: str, problem: str
    ) -> tuple[str, str]:
        crew = " and ".join(names) if names else "a crew of three"
        topic = self.pick(TOPICS)
        if kind == "launch":
            site = self.pick(LAUNCH_SITES)
            return (
                f"{cname} launches {crew} from {site}",
                f"{cname} lifted off from {site} carrying {crew} to the International Space Station.",
            )
        if kind == "docking":
            return (
                f"{cname} docks with the {oname} module",
                f"{cname} docked with the {oname} module after a two-day rendezvous.",
            )
        if kind == "undocking":
            return (
                f"{cname} undocks from the station",
                f"{cname} undocked from the station and moved clear of the {oname} module.",
            )
        if kind == "return":
            return (f"{cname} returns {crew} to Earth", f"{cname} landed with {crew} after a flight of several months.")
        if kind == "incident":
            return (
                f"{problem[0].upper()}{problem[1:]} on {cname}",
                f"The crew reported {problem} in the {system} of {cname}.",
            )
        if kind == "investigation":
            return (
                f"Commission investigates {problem} on {cname}",
                f"A commission began to investigate {problem} in the {system} of {cname}.",
            )
        if kind == "agreement":
            return (
                f"NASA and Roscosmos sign an agreement on {topic}",
                f"NASA and Roscosmos signed an agreement on {topic} at {place}.",
            )
        if kind == "meeting":
            return (
                f"Agency heads meet at {place} to discuss {topic}",
                f"The heads of the agencies met at {place} and discussed {topic}.",
            )
        if kind == "operations":
            return (
                f"Crew inspects the {system} of {cname}",
                f"The crew spent the day inspecting the {system} of {cname}.",
            )
        if kind == "policy":
            return (f"New policy on {topic}", f"The agencies announced a new policy on {topic}.")
        speaker = names[0] if names else "Roscosmos"
        return (
            f"{speaker} comments on {cname} and {topic}",
            f"{speaker} commented on the state of {cname} and on {topic}.",
        )

    def _quote(self, who: str, cname: str, system: str, problem: str, place: str, outcome: str, cause: str) -> str:
        verb = self.pick(VERBS_SAID)
        parts = [
            f"\u201cWe are looking at the {system} very closely,\u201d {who} {verb}, adding that {outcome}.",
            f"Specialists at {place} believe that {problem} on {cname} may have been caused by {cause}.",
            f"The {system} on {cname} showed signs of {bare(problem)} "
            f"late in the day, and controllers asked the crew to check it.",
            f"It was an unforeseen situation that requires a detailed study, {who} {verb}.",
            f"Teams in Houston and Moscow worked through the night, and by morning {outcome}.",
        ]
        quote = parts.pop(int(self.rand() * len(parts)))
        if self.rand() < 0.5:
            quote += " " + parts.pop(int(self.rand() * len(parts)))
        return quote

    def _id(self, date: str, title: str) -> str:
        base = f"{date}-{slug(title)[:48].rstrip('-')}"
        seen = self.ids.get(base, 0) + 1
        self.ids[base] = seen
        return base if seen == 1 else f"{base}-{seen}"


def generate(n: int, seed: int = 1) -> str:
    """The whole dataset as YAML text."""
    rng = random.Random(seed)
    cat = Catalogue(rng)
    out = [
        f"# Synthetic issfacts dataset: {n} events, seed {seed}, written by benchmarks/gen.py.\n",
        "# For benchmarks only: none of this is a real fact or a real quote.\n\nsources:\n",
    ]
    for ident, title, outlet, author, published, note in cat.sources:
        out.append(
            f"  - id: {ident}\n    outlet: {q(outlet) if outlet else 'null'}\n"
            f"    title: {q(title)}\n    author: {q(author) if author else 'null'}\n"
            f'    published: "{published}"\n'
        )
        if note:
            out.append(f"    note: {q(note)}\n")
    out.append("\nagencies:\n")
    for ident, name, aliases, country in AGENCIES:
        out.append(
            f"  - id: {ident}\n    name: {q(name)}\n    aliases: {flow([q(a) for a in aliases])}\n"
            f"    country: {q(country) if country else 'null'}\n"
        )
    out.append("\npeople:\n")
    for ident, name, aliases, role, agency in cat.people:
        out.append(
            f"  - id: {ident}\n    name: {q(name)}\n    aliases: {flow([q(a) for a in aliases])}\n    role: {q(role)}\n"
        )
        if agency:
            out.append(f"    agency: {agency}\n")
    out.append("\nspacecraft:\n")
    for ident, name, aliases, kind, operators in cat.spacecraft:
        out.append(
            f"  - id: {ident}\n    name: {q(name)}\n    aliases: {flow([q(a) for a in aliases])}\n"
            f"    type: {kind}\n    operators: {flow(operators)}\n"
        )
    out.append("\nevents:\n")
    coolant = set(rng.sample(range(n), max(1, round(n * 0.005)))) if n else set()
    ms22 = set(rng.sample(range(n), max(1, round(n * 0.001)))) if n else set()
    writer = _Writer(rng, cat)
    for index, d in enumerate(_dates(rng, n)):
        out.append(writer.event(d, index in coolant, index in ms22))
    if not n:
        out[-1] = "\nevents: []\n"
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, metavar="N", help="number of events")
    parser.add_argument("-o", "--output", default="-", metavar="PATH", help="file to write (default: stdout)")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default: 1)")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be 0 or more")
    text = generate(args.n, args.seed)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
