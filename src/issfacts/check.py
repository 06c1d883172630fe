"""`issfacts check`: which dates of a draft the sources confirm, contradict or cannot settle.

Pure: a draft's text, the catalog and the compiled rows in; `Finding`s out, rendered by
one of the emitters at the end (`EMITTERS`: linter lines, JSON, GitHub annotations).

How a date is checked (README, "issfacts check", says the same for users):

1. Anchor. A date is looked at only when its sentence names a known spacecraft, person or
   agency (a name, an alias or a person's surname; any case; "Nauka's", "Roscosmos'").
   A sentence that names none is left alone: no finding.
2. The date's own words. Each word of the sentence belongs to the date nearest to it;
   of those, the date's own are the ones in its stretch between punctuation (commas,
   colons, dashes, brackets), widened to the next stretch while it holds no word but
   the date ("On Feb. 11, Roscosmos said ..."). The other words count half.
3. Match. Every event that shares an entity with the sentence gets a score:
     entities  3 for each spacecraft or person both name (1 for one that more than a
               third of all events name, such as the ISS), 1 for each agency; half when
               the name is nearer another date of the sentence; -1.5 for each spacecraft
               or person near the date that the event does not name
     kind      3 when the date's own words have a word of the event's kind ("leaked" for
               an incident, "docked" for a docking, "said" for a statement: `KIND_WORDS`),
               1.5 when only the rest of the sentence has one and the own words name no
               kind at all; +1 when such a word is within four words of the date
     terms     for each word shared with the event, its rarity over all events (idf),
               times 1 in the title or 0.5 in the summary, quotes and claims only
   An event under MATCH_SCORE (MATCH_DEADLINE for a deadline) does not match. The best
   match decides; the date plays no part in choosing it, so that a wrong date cannot
   pick the wrong event.
4. Decide, at the written precision. The written date is an interval (a day, a month, a
   year, or "between A and B"); the event's date is an interval (its EDTF bounds).
     ok          the intervals meet: "December 2022" and "2022" agree with 2022-12-14;
                 "Aug. 1, 2021" agrees with 2021-07-29/2021-08-05 (the sources allow it)
     conflict    they do not: "Dec. 15, 2022" against 2022-12-14, and the match is
                 strong enough to accuse (`Match.evidence`): score CONFLICT_SCORE or
                 more, and the sentence says what kind of thing happened and shares
                 words with the event (terms MIN_TERMS or more), or shares many words
                 (STRONG_TERMS) while naming no other kind. An event dated only "about"
                 (`~`) or "perhaps" (`?`) never accuses.
     unverified  the sentence names known entities, but no event matches, or none well
                 enough to accuse a date
   A tie (an event scoring at least TIE_SHARE of the best) that agrees with the date
   makes it ok, never a conflict: the message names both events. When every tied event
   excludes the date, the one nearest to it in time (of those within CLOSE_SHARE of the
   best accusing one) is reported: the date breaks a tie, it never makes one.
   A year-less date ("Aug. 29") takes the year of the nearest full date in its sentence,
   else any year the event's bounds allow. A deadline ("by 2028", "until 2028", "by the
   end of 2028") is compared only with events that carry a deadline (an open start,
   `../2025`, or a plan dated to a year or with a planned end: `2028`, `2022-07-15/2028`):
   ok when the event's latest day falls in the written interval. A relation ("before
   2022", "after July 29, 2021") is ok when the event starts before (ends after) it, and
   otherwise unverified: a bound never accuses.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from issfacts import datefind
from issfacts.model import MONTHS, OPEN_END, OPEN_START
from issfacts.render import printable

if TYPE_CHECKING:
    from issfacts.model import Catalog
    from issfacts.rows import Row

Verdict = Literal["ok", "conflict", "unverified"]
VERDICTS: tuple[Verdict, ...] = ("conflict", "unverified", "ok")

MATCH_SCORE = 5.0
CONFLICT_SCORE = 6.0
TIE_SHARE = 0.75
CLOSE_SHARE = 0.9  # of the best accusing score: close enough for the date to choose between them
SPECIFIC, COMMON, AGENCY, STRANGER = 3.0, 1.0, 1.0, -1.5
KIND_OWN, KIND_ELSEWHERE, KIND_NEAR = 3.0, 1.5, 1.0
TITLE_WEIGHT, TEXT_WEIGHT, ELSEWHERE = 1.0, 0.5, 0.5
MIN_TERMS, STRONG_TERMS = 1.0, 5.0
MATCH_DEADLINE = 3.0
NEAR_WORDS = 4
QUOTE_SHOWN = 60  # characters of a quote on a linter line (JSON has it whole)

# The words that say what kind of thing happened, as they are stemmed (`stem`).
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "launch": ("launch", "launched", "launches", "launching", "liftoff", "lifted", "blasted", "rode", "flew"),
    "docking": ("dock", "docked", "docks", "docking", "berthed", "attached", "arrived", "arrival"),
    "undocking": ("undock", "undocked", "undocking", "departed", "departs", "departure", "left", "leave"),
    "return": ("return", "returned", "returns", "returning", "landed", "landing", "home", "reentry"),
    "incident": (
        "leak", "leaked", "leaking", "leaks", "leakage", "hole", "misfire", "misfired", "fired", "failure", "failed",
        "fault", "glitch", "incident", "anomaly", "damage", "damaged", "depressurization", "depressurized",
        "pressure", "struck", "spin", "spun", "lost", "loses", "emergency", "abort", "aborted", "trouble",
    ),
    "investigation": (
        "investigate", "investigated", "investigation", "commission", "probe", "inquiry", "verdict", "declared",
        "concluded", "cause", "blamed",
    ),
    "statement": (
        "statement", "said", "says", "say", "told", "stated", "announced", "announcement", "letter", "keynote",
        "interview", "reported", "report", "comment", "commented", "remarks", "wrote", "insisted",
    ),
    "agreement": ("agree", "agreed", "agreement", "agreements", "signed", "deal", "accord", "contract", "pact"),
    "meeting": (
        "meet", "met", "meeting", "talks", "visit", "visited", "arrived", "arrival", "negotiations", "dialogue",
        "delegation", "tour", "toured", "stop",
    ),
    "operations": (
        "operate", "operating", "operation", "operations", "running", "functioning", "functional", "maintain",
        "support", "sealed", "seal", "worked", "power",
    ),
    "policy": ("prohibited", "ban", "banned", "transition", "transitioned", "phased", "reliance", "sanctions"),
}  # fmt: skip

_STOP_WORDS = (
    "a an the and or but of to in on at by for from with without as is was were be been being are has have had "
    "it its it's this that these those their there they them he she his her him we our you your i not no nor "
    "so than then too very can could would should will may might must do did does done into over under after "
    "before about above below between during since until while which who whom whose what when where why how "
    "also only just more most other some such any each all both few many much own same new said says year years "
    "month months day days first last later earlier early late mid end one two three per via up out off "
    "january february march april june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec according"
)
_STOP = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019]*[A-Za-z]|[A-Za-z]")  # "crossover-flight" is two words
_SUFFIXES = ("ings", "ing", "ied", "ies", "ed", "es", "s", "ly")
_DERIVATIONS = (("ation", "at"), ("ment", ""), ("al", ""))
_SEGMENT_MARK = re.compile(r"[,;:()\u2014\u2013]|\s-\s")
_ACCORDING = re.compile(r"^According to ([^,]+),")
_RUN = re.compile(r"[^\W_]+")  # a run of letters and digits


@functools.lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """A word reduced enough that "leaked", "leaking" and "leaks" meet, and "negotiate" and
    "negotiations": an inflection off, then a few derivations ("-ation", "-ment", "-al")."""
    word = word.casefold().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'-")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):  # "press", "status", "analysis"
                break
            if suffix == "es" and not word[:-2].endswith(("ch", "sh", "ss", "x")):
                suffix = "s"
            word = word[: -len(suffix)] + ("y" if suffix in ("ied", "ies") else "")
            break
    for suffix, instead in _DERIVATIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)] + instead
            break
    return word.rstrip("e") if len(word) > 3 else word


_KIND_STEMS: dict[str, frozenset[str]] = {
    kind: frozenset(stem(word) for word in words) for kind, words in KIND_WORDS.items()
}


# -- the dataset, as check sees it ------------------------------------------------------------


class Entity(NamedTuple):
    id: str
    name: str
    weight: float  # what sharing it is worth (SPECIFIC, COMMON or AGENCY)
    specific: bool  # a spacecraft or person: naming one the event lacks counts against it


class Profile(NamedTuple):
    """One event, ready to be matched: its words, entities, bounds and what it cites."""

    row: Row
    entities: frozenset[str]
    title_terms: frozenset[str]
    terms: frozenset[str]  # title, summary, quotes and claims
    weights: dict[str, float]  # term -> what sharing it is worth: TITLE_WEIGHT or TEXT_WEIGHT, times its idf
    deadline: bool  # whether a "by"/"until" date can be about it
    according_to: str | None  # "According to Frontier India, ..." in its summary
    quotes: tuple[Quote, ...]  # its citations' and claims' quotes, for `_citation`


class Quote(NamedTuple):
    source: str
    quote: str
    claimed_by: str | None  # a claim's: who made it
    terms: frozenset[str]
    dating: bool  # it names its event's year or month (`_names_its_date`)


class Index(NamedTuple):
    """What `check_text` needs of a dataset, built once per run."""

    entities: dict[str, Entity]
    name_of: dict[tuple[str, ...], str]  # a name's casefolded runs of letters and digits -> entity id
    lengths: dict[str, tuple[int, ...]]  # the first run of a name -> how many runs its names have, most first
    profiles: tuple[Profile, ...]
    idf: dict[str, float]
    sources: dict[str, tuple[str | None, str]]  # source id -> (outlet, title)


def build_index(catalog: Catalog, rows: Sequence[Row]) -> Index:
    """Entities with every name they go by, and each event's profile."""
    named = _named_counts(rows)
    common_above = len(rows) / 3
    entities: dict[str, Entity] = {}
    name_of: dict[str, str] = {}
    for items, specific in ((catalog.spacecraft.values(), True), (catalog.people.values(), True)):
        for item in items:
            weight = COMMON if named.get(item.id, 0) > common_above else SPECIFIC
            entities[item.id] = Entity(item.id, item.name, weight, specific)
            for name in (item.name, *item.aliases):
                name_of.setdefault(name.casefold(), item.id)
    for agency in catalog.agencies.values():
        entities[agency.id] = Entity(agency.id, agency.name, AGENCY, False)
        for name in (agency.name, *agency.aliases):
            name_of.setdefault(name.casefold(), agency.id)
    for surname, ident in _surnames(catalog).items():
        name_of.setdefault(surname, ident)
    entity_words = frozenset(stem(w) for name in name_of for w in _WORD.findall(name))
    keys = {_name_key(name): ident for name, ident in name_of.items()}
    profiles = tuple(_profile(row, entity_words) for row in rows)
    df: dict[str, int] = {}
    for profile in profiles:
        for term in profile.terms:
            df[term] = df.get(term, 0) + 1
    idf = {term: math.log(1 + len(rows) / count) for term, count in df.items()}
    profiles = tuple(
        p._replace(weights={t: (TITLE_WEIGHT if t in p.title_terms else TEXT_WEIGHT) * idf[t] for t in p.terms})
        for p in profiles
    )
    sources = {ident: (source.outlet, source.title) for ident, source in catalog.sources.items()}
    lengths: dict[str, set[int]] = {}
    for key in keys:
        if key:
            lengths.setdefault(key[0], set()).add(len(key))
    by_first = {first: tuple(sorted(ns, reverse=True)) for first, ns in lengths.items()}
    return Index(entities, keys, by_first, profiles, idf, sources)


INDEX_FORMAT = 1
_INDEX_MAGIC = "issfacts-check-index"


def load_index(catalog: Catalog, rows: Sequence[Row], directory: Path | None) -> Index:
    """`build_index`, kept in the cache `directory` (None: not kept) as a marshal entry
    beside the store's, keyed by the rows and catalog it is built from and by the
    installed issfacts (`cache.generation`), and pruned with them. Reading it costs
    about 1 ms where building it costs 6 to 9 (a third of checking a 2,000-word draft).
    An entry that cannot be read or does not fit is a miss: the index is built again."""
    if directory is None:
        return build_index(catalog, rows)
    import marshal

    from issfacts import cache

    made_from = "\n".join(row.line for row in rows) + "\n" + repr(catalog)
    key = f"x{cache.digest(made_from.encode('utf-8', 'surrogatepass'))}-{cache.generation()}"
    path = directory / f"{key}.marshal"
    try:
        index = _index_from_plain(marshal.loads(path.read_bytes()), key, rows)
    except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError):  # missing, damaged or foreign
        index = None
    if index is not None:
        cache.touch(path)
        return index
    index = build_index(catalog, rows)
    payload = marshal.dumps(_index_to_plain(index, key))

    def write(tmp: Path) -> None:
        tmp.write_bytes(payload)

    cache.atomic_write(directory, path, write)
    return index


def _index_to_plain(index: Index, key: str) -> tuple[Any, ...]:
    profiles = [
        (
            p.row.id,
            p.entities,
            p.title_terms,
            p.terms,
            p.weights,
            p.deadline,
            p.according_to,
            [tuple(q) for q in p.quotes],
        )
        for p in index.profiles
    ]
    entities = [tuple(entity) for entity in index.entities.values()]
    name_of = list(index.name_of.items())
    return (
        _INDEX_MAGIC,
        INDEX_FORMAT,
        key,
        entities,
        name_of,
        index.lengths,
        profiles,
        index.idf,
        index.sources,
    )


def _index_from_plain(plain: tuple[Any, ...], key: str, rows: Sequence[Row]) -> Index | None:
    magic, version, entry_key, entities, name_of, lengths, profiles, idf, sources = plain
    if (magic, version, entry_key) != (_INDEX_MAGIC, INDEX_FORMAT, key) or len(profiles) != len(rows):
        return None
    built = []
    for row, (ident, shared, title_terms, terms, weights, deadline, according_to, quotes) in zip(
        rows, profiles, strict=True
    ):
        if ident != row.id:
            return None
        built.append(
            Profile(row, shared, title_terms, terms, weights, deadline, according_to, tuple(Quote(*q) for q in quotes))
        )
    return Index({e[0]: Entity(*e) for e in entities}, dict(name_of), lengths, tuple(built), idf, sources)


def _named_counts(rows: Iterable[Row]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        for ident in (*row.spacecraft, *row.people):
            counts[ident] = counts.get(ident, 0) + 1
    return counts


def _surnames(catalog: Catalog) -> dict[str, str]:
    """People by their last name ("Rogozin"), as news prose names them after the first
    mention; a surname two people share names neither."""
    owners: dict[str, set[str]] = {}
    for person in catalog.people.values():
        for name in (person.name, *person.aliases):
            parts = name.split()
            if len(parts) > 1 and len(parts[-1]) >= 4:
                owners.setdefault(parts[-1].casefold(), set()).add(person.id)
    return {surname: next(iter(ids)) for surname, ids in owners.items() if len(ids) == 1}


def _terms(text: str, entity_words: frozenset[str] = frozenset()) -> frozenset[str]:
    stems = (stem(word) for word in _WORD.findall(text) if word.casefold() not in _STOP)
    return frozenset(s for s in stems if len(s) > 2 and s not in entity_words)


def _profile(row: Row, entity_words: frozenset[str]) -> Profile:
    record = row.record
    texts = [record["summary"], *(c["quote"] for c in record["sources"])]
    texts += [part for claim in record["claims"] for part in (claim["claim"], claim["quote"])]
    title_terms = _terms(record["title"], entity_words)
    planned_end = row.status == "planned" and (record["date"].isdigit() or "/" in record["date"])
    according = _ACCORDING.match(record["summary"])
    return Profile(
        row=row,
        entities=frozenset((*row.spacecraft, *row.people, *row.agencies)),
        title_terms=title_terms,
        terms=title_terms | _terms(" ".join(texts), entity_words),
        weights={},  # filled in by build_index, once every event's terms are known
        quotes=_quotes(row),
        deadline=(row.first == OPEN_START or planned_end) and row.last != OPEN_END,  # a deadline has a last day
        according_to=None if according is None else according[1],
    )


# -- findings ---------------------------------------------------------------------------------


class EventRef(NamedTuple):
    id: str
    date: str
    earliest: str | None
    latest: str | None
    title: str


class Citation(NamedTuple):
    source: str
    outlet: str | None
    quote: str
    shown_as: str  # the outlet, or the article's title when the outlet is unknown
    claimed_by: str | None  # when the quote is a claim's: who made it


class Finding(NamedTuple):
    path: str
    line: int
    column: int
    text: str
    verdict: Verdict
    event: EventRef | None
    citation: Citation | None
    message: str


def check_text(text: str, path: str, index: Index) -> list[Finding]:
    """The findings for one draft, in the order of its dates."""
    masked = datefind.mask(text)
    locate = datefind.Locator(text)
    findings: list[Finding] = []
    for span in datefind.sentences(text, masked):
        body = masked[span.start : span.end]
        mentions = datefind.find_dates(body, functools.partial(_located, locate, span.start))
        if not mentions:
            continue
        named = _entities_in(body, index)
        if not named:
            continue  # nothing to anchor the dates to: left alone
        candidates = [p for p in index.profiles if not p.entities.isdisjoint(named)]
        tokens = _tokens(body)
        terms = frozenset(stemmed for _, stemmed, term in tokens if term)
        sentence = _Sentence(body, mentions, named, terms, candidates, tokens)
        for found in mentions:
            start, end = span.start + found.start, span.start + found.end
            mention = found._replace(text=text[start:end])  # as written, markup and all
            findings.append(_finding(path, sentence, mention, index))
    return findings


def _located(locate: datefind.Locator, start: int, offset: int) -> tuple[int, int]:
    return locate(start + offset)


def _name_key(name: str) -> tuple[str, ...]:
    return tuple(run.casefold() for run in _RUN.findall(name))


def _entities_in(body: str, index: Index) -> dict[str, int]:
    """The entities a sentence names, each with the offset of its first mention.

    Names are compared as runs of letters and digits, longest first, any case: "Soyuz
    MS-22" is (soyuz, ms, 22), so "soyuz ms-22's" names it and "MS-220" does not, and
    "Roscosmos-NASA" names both. Within a name the runs may be apart by spaces or a hyphen
    only; "Nauka's" and "Roscosmos'" are the name and a possessive left over."""
    runs = [(match.start(), match.end(), match[0].casefold()) for match in _RUN.finditer(body)]
    found: dict[str, int] = {}
    index_of = index.name_of
    i = 0
    while i < len(runs):
        if runs[i][2] not in index.lengths:
            i += 1
            continue
        for n in index.lengths[runs[i][2]]:
            if i + n > len(runs):
                continue
            ident = index_of.get(tuple(run[2] for run in runs[i : i + n]))
            if ident is not None and all(_joins(body[runs[j][1] : runs[j + 1][0]]) for j in range(i, i + n - 1)):
                found.setdefault(ident, runs[i][0])
                i += n
                break
        else:
            i += 1
    return found


def _joins(gap: str) -> bool:
    """Whether the text between two runs can be inside a name: spaces or one hyphen."""
    return gap == "-" or (gap.isspace() and "\n\n" not in gap)


_Token = tuple[int, str, bool]  # start, stem, whether it counts as a term (not a stopword, not too short)


def _tokens(body: str) -> list[_Token]:
    return [(match.start(), *_word(match[0])) for match in _WORD.finditer(body)]


@functools.lru_cache(maxsize=4096)
def _word(word: str) -> tuple[str, bool]:
    """A word's stem, and whether it counts as a term."""
    stemmed = stem(word)
    return stemmed, word.casefold() not in _STOP and len(stemmed) > 2


class _Words(NamedTuple):
    """The sentence as one of its dates sees it: what is nearer this date than any other
    date of the sentence is its own; the rest counts half."""

    own: frozenset[str]  # terms (stems of words that are not stopwords)
    rest: frozenset[str]
    own_words: frozenset[str]  # every stem, stopwords too ("said" is one, and a kind word)
    rest_words: frozenset[str]
    near: frozenset[str]  # within NEAR_WORDS words of the date
    own_entities: frozenset[str]


def _words_around(sentence: _Sentence, mention: datefind.DateMention) -> _Words:
    tokens = sentence.tokens
    others = [(m.start, m.end) for m in sentence.mentions if m.start != mention.start]

    def mine(offset: int) -> bool:
        if not others:
            return True
        distance = _distance(offset, mention.start, mention.end)
        return all(distance <= _distance(offset, start, end) for start, end in others)

    first, last = _segment(sentence, mention)
    own: set[str] = set()
    own_words: set[str] = set()
    rest: set[str] = set()
    rest_words: set[str] = set()
    before: list[str] = []
    after: list[str] = []
    for start, stemmed, term in tokens:
        if first <= start < last and mine(start):
            own_words.add(stemmed)
            if term:
                own.add(stemmed)
        else:
            rest_words.add(stemmed)
            if term:
                rest.add(stemmed)
        if start < mention.start:
            before.append(stemmed)
        elif start >= mention.end:
            after.append(stemmed)
    own_entities = frozenset(ident for ident, offset in sentence.named.items() if mine(offset))
    near = frozenset(before[-NEAR_WORDS:] + after[:NEAR_WORDS])
    return _Words(
        frozenset(own),
        frozenset(rest - own),
        frozenset(own_words),
        frozenset(rest_words - own_words),
        near,
        own_entities,
    )


def _segment(sentence: _Sentence, mention: datefind.DateMention) -> tuple[int, int]:
    """The stretch of the sentence a date belongs to: between the punctuation marks around
    it (commas, colons, dashes, brackets), widened to the next stretch, then the one
    before, while it holds no word but the date ("On Feb. 11, Roscosmos said ...")."""
    body = sentence.body
    marks = [m.start() for m in _SEGMENT_MARK.finditer(body) if not mention.start <= m.start() < mention.end]
    bounds = [0, *marks, len(body)]
    after = next(i for i, b in enumerate(bounds) if b >= mention.end)
    before = after - 1
    while not any(term and bounds[before] <= start < bounds[after] for start, _, term in sentence.tokens):
        if after < len(bounds) - 1:
            after += 1
        elif before > 0:
            before -= 1
        else:
            break
    return bounds[before], bounds[after]


def _distance(offset: int, start: int, end: int) -> int:
    return start - offset if offset < start else max(0, offset - end)


def kind_scores(words: _Words) -> dict[str, float]:
    """What the kind words around one date make of an event of each kind. When the date's
    own words name a kind ("was launched in 1998"), a kind named only elsewhere in the
    sentence ("that Roscosmos still maintains") says nothing about that date."""
    own = {kind for kind, kind_words in _KIND_STEMS.items() if not words.own_words.isdisjoint(kind_words)}
    scores = {}
    for kind, kind_words in _KIND_STEMS.items():
        total = 0.0
        if kind in own:
            total += KIND_OWN
        elif not own and not words.rest_words.isdisjoint(kind_words):
            total += KIND_ELSEWHERE
        if not words.near.isdisjoint(kind_words):
            total += KIND_NEAR
        scores[kind] = total
    return scores


class _Sentence(NamedTuple):
    body: str  # masked
    mentions: list[datefind.DateMention]
    named: dict[str, int]  # entity id -> offset of its first mention
    terms: frozenset[str]
    candidates: list[Profile]  # the events sharing an entity with it
    tokens: list[_Token]


class Match(NamedTuple):
    score: float
    profile: Profile
    kind: float  # the kind words' part of the score
    terms: float  # the shared words' part

    def evidence(self, deadline: bool, kind_named: bool) -> bool:
        """Enough to accuse a date: the sentence says what kind of thing happened and
        shares words with the event beyond the names, or shares many words with it and
        names no other kind. For a deadline, whose candidates are only the events that
        carry one, either kind or words will do."""
        if self.score < CONFLICT_SCORE:
            return False
        if deadline:
            return self.kind > 0 or self.terms >= MIN_TERMS
        if self.kind > 0:
            return self.terms >= MIN_TERMS
        return self.terms >= STRONG_TERMS and not kind_named  # no word says it is another kind


def _matches(
    sentence: _Sentence, mention: datefind.DateMention, words: _Words, kinds: dict[str, float], index: Index
) -> list[Match]:
    """The events that match one date, best first, scored as the module's docstring says:
    entities, kind (`kind_scores`) and terms, in one loop (the hot one: 2,300 events are
    scored for a 2,000-word draft)."""
    # Every named entity counts `absent` for an event that does not name it (a stranger
    # near the date: STRANGER; else nothing) and `shared` for one that does.
    base = 0.0
    delta: dict[str, float] = {}
    for ident in sentence.named:
        entity = index.entities[ident]
        own = ident in words.own_entities
        absent = STRANGER if entity.specific and own else 0.0
        base += absent
        delta[ident] = (entity.weight if own else entity.weight * ELSEWHERE) - absent
    named = frozenset(delta)
    own_terms, rest_terms = words.own, words.rest
    threshold = MATCH_DEADLINE if mention.deadline else MATCH_SCORE
    found = []
    for profile in sentence.candidates:
        if mention.deadline and not profile.deadline:
            continue
        weights = profile.weights
        terms = sum(map(weights.__getitem__, own_terms & profile.terms))
        terms += ELSEWHERE * sum(map(weights.__getitem__, rest_terms & profile.terms))
        kind = kinds[profile.row.kind]
        total = terms + kind + base + sum(map(delta.__getitem__, profile.entities & named))
        if total >= threshold:
            found.append(Match(total, profile, kind, terms))
    found.sort(key=lambda m: -m.score)
    return found


def _finding(path: str, sentence: _Sentence, mention: datefind.DateMention, index: Index) -> Finding:
    line, column = mention.line, mention.column
    words = _words_around(sentence, mention)
    named = sentence.named
    kinds = kind_scores(words)
    matches = _matches(sentence, mention, words, kinds, index)
    context_year = _context_year(mention, sentence.mentions)

    def unverified(message: str) -> Finding:
        return Finding(path, line, column, mention.text, "unverified", None, None, message)

    def dated(verdict: Verdict, match: Match, note: str = "") -> Finding:
        citation = _citation(match.profile, sentence.terms, index)
        message = _dated(mention, match.profile, citation) + note
        return Finding(path, line, column, mention.text, verdict, _event_ref(match.profile.row), citation, message)

    if not matches:
        names = " and ".join(index.entities[i].name for i in sorted(named, key=named.__getitem__))
        what = "no recorded deadline" if mention.deadline else "no recorded event"
        return unverified(f"{_quoted(mention)} - names {printable(names)} but matches {what} well enough to check it")
    best = matches[0]
    ties = [m for m in matches if m.score >= best.score * TIE_SHARE]
    agreeing = [m for m in ties if _agrees(mention, m.profile.row, context_year)]
    if agreeing:
        chosen = agreeing[0]
        row = best.profile.row
        note = "" if chosen is best else f"; it also matches {_title(row)}, dated {row.record['date']}"
        return dated("ok", chosen, note)
    if mention.relation:  # "before 2022" bounds the event without dating it: too loose to accuse
        row = best.profile.row
        return unverified(
            f"{_quoted(mention)} - the sources date {_title(row)} to {row.record['date']}: "
            f"not {mention.relation} the written date"
        )
    # An event dated only "about" (~) or "perhaps" (?) cannot show a date wrong.
    kind_named = any(score >= KIND_OWN for score in kinds.values())
    accusing = [m for m in ties if m.evidence(mention.deadline, kind_named) and not _hedged(m.profile.row)]
    hedged = [m for m in ties if m.evidence(mention.deadline, kind_named)]
    if not accusing and hedged:
        row = hedged[0].profile.row
        return unverified(
            f"{_quoted(mention)} - the sources date {_title(row)} only loosely, to {row.record['date']}: "
            "not enough to call the date wrong"
        )
    if not accusing:
        row = best.profile.row
        return unverified(
            f"{_quoted(mention)} - the nearest event, {_title(row)} ({row.record['date']}), "
            "matches too weakly to call the date wrong"
        )
    # The evidence decides that the date is wrong; every event the sentence matches about
    # as well excludes it, and the nearest of them in time is the one the writer most
    # likely meant (the date breaks the tie, it never makes one).
    close = [m for m in ties if m.score >= accusing[0].score * CLOSE_SHARE and not _hedged(m.profile.row)]
    chosen = min(close, key=lambda m: (_gap(mention, m.profile.row, context_year), -m.kind))
    also = [m.profile.row for m in close if m is not chosen][:1]
    note = "".join(
        f"; it also matches {_title(row)}, dated {row.record['date']}, which excludes it too" for row in also
    )
    return dated("conflict", chosen, note)


def _context_year(mention: datefind.DateMention, mentions: Sequence[datefind.DateMention]) -> int | None:
    """For a year-less date: the year of the nearest full date in its sentence."""
    if mention.year is not None:
        return None
    dated = [m for m in mentions if m.year is not None]
    if not dated:
        return None
    return min(dated, key=lambda m: abs(m.start - mention.start)).year


def _agrees(mention: datefind.DateMention, row: Row, context_year: int | None) -> bool:
    """Whether the written date can be the event's, at the written precision."""
    if mention.deadline:  # the event's latest day must fall within the written interval
        first, last = _bounds(mention, row, context_year, row.last)
        return first <= row.last <= last
    if mention.relation:  # "before 2022": the event can start before it; "after": end after it
        first, last = _bounds(mention, row, context_year, row.first)
        return row.first < first if mention.relation == "before" else row.last > last
    if mention.year is not None or context_year is not None:
        first, last = _bounds(mention, row, context_year, row.first)
        return first <= row.last and row.first <= last
    return any(
        first <= row.last and row.first <= last
        for year in _years(row)
        if mention.valid_in(year)
        for first, last in [mention.bounds(year)]
    )


def _hedged(row: Row) -> bool:
    return any(mark in row.record["date"] for mark in "?~%")


def _gap(mention: datefind.DateMention, row: Row, context_year: int | None) -> int:
    """Days between the written date and the event's bounds (for a deadline, its latest day)."""
    first, last = (row.last, row.last) if mention.deadline else (row.first, row.last)
    years = [context_year] if mention.year is None and context_year is not None else [None]
    if mention.year is None and context_year is None and row.first > OPEN_START:
        years = [dt.date.fromordinal(row.first).year]
    start, end = _bounds(mention, row, years[0], first)
    if end < start:
        return OPEN_END
    return max(0, start - last, first - end)


def _bounds(mention: datefind.DateMention, row: Row, context_year: int | None, near: int) -> tuple[int, int]:
    year = mention.year or context_year
    if year is None:  # a year-less deadline ("until March"): the year of the event's day
        year = dt.date.fromordinal(near).year if OPEN_START < near < OPEN_END else _years(row)[0]
    if not mention.valid_in(year):
        return 0, -1
    return mention.bounds(year)


def _years(row: Row) -> list[int]:
    """The years an event's bounds reach (one end when the other is open)."""
    ends = [dt.date.fromordinal(o).year for o in (row.first, row.last) if OPEN_START < o < OPEN_END]
    return list(range(min(ends), max(ends) + 1))


def _title(row: Row) -> str:
    return printable(row.title)


def _quoted(mention: datefind.DateMention) -> str:
    return '"' + printable(" ".join(mention.text.split())) + '"'


def _dated(mention: datefind.DateMention, profile: Profile, citation: Citation) -> str:
    row = profile.row
    message = f"{_quoted(mention)} - the sources date {_title(row)} to {row.record['date']}"
    if citation.claimed_by is not None:
        message += f", as claimed by {printable(citation.claimed_by)}"
    elif profile.according_to is not None:
        message += f", according to {printable(profile.according_to)}"
    # No speaker is read off a statement's people or agencies: they name whom it concerns
    # (Nelson's letter to Rogozin, the Soyuz MS-23 crew), not who spoke. Who said it is in
    # the quote, and in a claim's `by` where the data records one.
    return f'{message} [{printable(citation.shown_as)}: "{printable(_shorten(citation.quote))}"]'


def _shorten(quote: str) -> str:
    if len(quote) <= QUOTE_SHOWN:
        return quote
    cut = quote.rfind(" ", 0, QUOTE_SHOWN)
    return quote[: cut if cut > QUOTE_SHOWN // 2 else QUOTE_SHOWN].rstrip(" ,;:") + " ..."


def _event_ref(row: Row) -> EventRef:
    record = row.record
    return EventRef(row.id, record["date"], record["earliest"], record["latest"], record["title"])


def _citation(profile: Profile, sentence: frozenset[str], index: Index) -> Citation:
    """The quote that best settles the date of the sentence (its `sentence` terms): one
    that names the event's date (`_names_its_date`), and of those the one sharing the
    most rare words with the sentence; the event's first citation of equals."""
    quotes = profile.quotes

    def merit(quote: Quote) -> tuple[bool, float]:
        return quote.dating, sum(index.idf.get(term, 0.0) for term in quote.terms & sentence)

    chosen = max(quotes, key=merit)  # max keeps the first of equals
    outlet, title = index.sources.get(chosen.source, (None, chosen.source))
    return Citation(chosen.source, outlet, chosen.quote, outlet or title, chosen.claimed_by)


def _quotes(row: Row) -> tuple[Quote, ...]:
    record = row.record
    cited: list[tuple[str, str, str | None]] = [(c["source"], c["quote"], None) for c in record["sources"]]
    cited += [(c["source"], c["quote"], c["by"]) for c in record["claims"]]
    return tuple(Quote(source, quote, by, _terms(quote), _names_its_date(quote, row)) for source, quote, by in cited)


def _names_its_date(quote: str, row: Row) -> bool:
    """Whether a quote names its event's year or, for an event known to the month, its
    month ("On December 14 2022", "In January"): likely the passage that dates it."""
    days = [dt.date.fromordinal(o) for o in (row.first, row.last) if OPEN_START < o < OPEN_END]
    if any(str(day.year) in quote for day in days):
        return True
    to_the_month = len(days) == 2 and (days[0].year, days[0].month) == (days[1].year, days[1].month)
    return to_the_month and MONTHS[days[0].month - 1] in quote


# -- reading drafts -----------------------------------------------------------------------------

TEXT_PATH = "<text>"  # the path findings of --text carry; stdin's is "-"
MAX_DRAFT_BYTES = 16 * 1024**2  # a draft, not a book: refuse more before reading it


class Unreadable(NamedTuple):
    """A draft that cannot be checked, and why (reported, the others still checked)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"cannot check {self.path}: {self.reason}"


def read_drafts(paths: Sequence[Path]) -> list[tuple[str, str | Unreadable]]:
    """Each path's text (UTF-8, a BOM allowed), or why it cannot be read; '-' is stdin."""
    return [(str(path), _read_draft(path)) for path in paths]


def _read_draft(path: Path) -> str | Unreadable:
    import stat
    import sys

    shown = str(path)
    try:
        if shown == "-":
            stream = getattr(sys.stdin, "buffer", None)
            if stream is None:
                return Unreadable(shown, "stdin is closed")
            if sys.stdin.isatty():  # waiting for a draft to be typed would look like a hang
                return Unreadable(shown, "stdin is a terminal; pipe a draft in, or give a PATH or --text")
            data = bytes(stream.read(MAX_DRAFT_BYTES + 1))
        else:
            mode = path.stat().st_mode
            if stat.S_ISDIR(mode):
                return Unreadable(shown, "is a directory; give the Markdown or text files in it")
            if not stat.S_ISREG(mode):
                return Unreadable(shown, "is not a regular file")
            with path.open("rb") as file:
                data = file.read(MAX_DRAFT_BYTES + 1)
    except OSError as error:
        return Unreadable(shown, (error.strerror or str(error)).lower())
    if len(data) > MAX_DRAFT_BYTES:
        return Unreadable(shown, f"larger than {MAX_DRAFT_BYTES // 1024**2} MiB; split it")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return Unreadable(
            shown, f"not UTF-8 (byte {error.start + 1}, line {line}); convert it, e.g. iconv -f latin1 -t utf-8"
        )


# -- emitters -----------------------------------------------------------------------------------


class Summary(NamedTuple):
    conflicts: int
    ok: int
    unverified: int
    files: int

    def __str__(self) -> str:
        conflicts = f"{self.conflicts} conflict{'s' if self.conflicts != 1 else ''}"
        files = f"{self.files} file{'s' if self.files != 1 else ''}"
        return f"{conflicts}, {self.ok} ok, {self.unverified} unverified in {files}"


def summarize(findings: Sequence[Finding], files: int) -> Summary:
    counts = {verdict: sum(1 for f in findings if f.verdict == verdict) for verdict in VERDICTS}
    return Summary(counts["conflict"], counts["ok"], counts["unverified"], files)


def shown(findings: Iterable[Finding], *, verbose: bool) -> list[Finding]:
    """What the linter formats print: `ok` only when asked (JSON has every finding)."""
    return [f for f in findings if verbose or f.verdict != "ok"]


def lines(findings: Sequence[Finding], *, verbose: bool) -> str:
    """`PATH:LINE:COL: verdict: message`, one finding a line."""
    return "".join(
        f"{printable(f.path)}:{f.line}:{f.column}: {f.verdict}: {f.message}\n" for f in shown(findings, verbose=verbose)
    )


def finding_record(finding: Finding) -> dict[str, object]:
    """The contract's JSON object for one finding."""
    citation = finding.citation
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "text": finding.text,
        "verdict": finding.verdict,
        "event": None if finding.event is None else finding.event._asdict(),
        "citation": None
        if citation is None
        else {"source": citation.source, "outlet": citation.outlet, "quote": citation.quote},
        "message": finding.message,
    }


def json_findings(findings: Sequence[Finding], *, verbose: bool) -> str:
    """One JSON array of every finding, ok ones included (the reader filters)."""
    from issfacts.records import json_array, json_line

    return json_array([json_line(finding_record(f)) for f in findings])


_GITHUB_LEVEL = {"conflict": "error", "unverified": "warning", "ok": "notice"}


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Finding], *, verbose: bool) -> str:
    """GitHub Actions workflow commands: `::error file=...,line=...,col=...::message`."""
    return "".join(
        f"::{_GITHUB_LEVEL[f.verdict]} file={_github_property(f.path)},line={f.line},col={f.column},"
        f"title={_github_property('issfacts check: ' + f.verdict)}::{_github_data(f.message)}\n"
        for f in shown(findings, verbose=verbose)
    )


EMITTERS: dict[str, Callable[..., str]] = {"text": lines, "json": json_findings, "github": github}
