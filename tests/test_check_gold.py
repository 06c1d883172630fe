"""`issfacts check` against the gold set in tests/data/drafts/ (issue 15, item 5).

Every draft there has `<draft>.gold.json`: the verdict each date expression must get
(`none`: the checker must not report it), located by 1-based line and column. Findings
are matched to gold entries by (line, column). Figures (`pytest -s` prints them, and the
assertion messages carry them):

- conflict precision: reported conflicts that gold calls conflicts, over all reported
  conflicts (a conflict on a gold `ok`, `unverified`, `none` or on no gold entry at all
  counts against it). Must be 100%: a false conflict costs a reporter more than a miss.
- conflict recall: gold conflicts reported as conflicts with the gold event, over all
  gold conflicts. Must be at least 90%.
- precision: findings on a gold entry that is not `none`, over all findings.
- ok and unverified agreement: gold ok (unverified) entries that get that verdict.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from support import DATA

from issfacts import check
from issfacts.datafile import BUNDLED
from issfacts.query import Query
from issfacts.store import open_store

DRAFTS = DATA / "drafts"
CONFLICT_PRECISION = 1.0
CONFLICT_RECALL = 0.9


def drafts() -> list[Path]:
    if not DRAFTS.is_dir():
        return []
    return sorted(p for p in DRAFTS.iterdir() if p.suffix in (".md", ".txt") and p.name != "README.md")


class Scored(NamedTuple):
    draft: str
    gold: dict[str, Any] | None
    finding: check.Finding | None


def pairs(index: check.Index) -> Iterator[Scored]:
    """Every gold entry with the finding at its place (or None), then every finding with
    no gold entry."""
    for draft in drafts():
        gold = json.loads(draft.with_name(draft.name + ".gold.json").read_text(encoding="utf-8"))
        findings = {
            (f.line, f.column): f for f in check.check_text(draft.read_text(encoding="utf-8"), draft.name, index)
        }
        for entry in gold:
            yield Scored(draft.name, entry, findings.pop((entry["line"], entry["column"]), None))
        for finding in findings.values():
            yield Scored(draft.name, None, finding)


class Figures(NamedTuple):
    conflict_precision: float
    conflict_recall: float
    precision: float
    ok_agreement: float
    unverified_agreement: float
    misses: list[str]  # what went wrong, one line each

    def __str__(self) -> str:
        return (
            f"conflict precision {self.conflict_precision:.1%}, conflict recall {self.conflict_recall:.1%}, "
            f"precision {self.precision:.1%}, ok agreement {self.ok_agreement:.1%}, "
            f"unverified agreement {self.unverified_agreement:.1%}"
        )


def _share(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def figures(scored: list[Scored]) -> Figures:
    misses: list[str] = []

    def where(item: Scored) -> str:
        place = item.gold or (item.finding and item.finding._asdict()) or {}
        return f"{item.draft}:{place.get('line')}:{place.get('column')}"

    reported = [s for s in scored if s.finding is not None]
    conflicts = [s for s in reported if s.finding is not None and s.finding.verdict == "conflict"]
    true_conflicts = [s for s in conflicts if s.gold is not None and s.gold["verdict"] == "conflict"]
    for item in conflicts:
        if item not in true_conflicts:
            assert item.finding is not None
            misses.append(f"false conflict at {where(item)}: {item.finding.message}")
    gold_conflicts = [s for s in scored if s.gold is not None and s.gold["verdict"] == "conflict"]
    found = [
        s
        for s in gold_conflicts
        if s.finding is not None
        and s.gold is not None
        and s.finding.verdict == "conflict"
        and s.finding.event is not None
        and s.finding.event.id == s.gold["event"]
    ]
    for item in gold_conflicts:
        if item not in found:
            assert item.gold is not None
            got = "nothing" if item.finding is None else f"{item.finding.verdict}: {item.finding.message}"
            misses.append(f"missed conflict at {where(item)} ({item.gold['planted']}): {got}")
    on_gold = [s for s in reported if s.gold is not None and s.gold["verdict"] != "none"]
    for item in reported:
        if item not in on_gold:
            assert item.finding is not None
            misses.append(f"reported what gold leaves alone at {where(item)}: {item.finding.message}")
    agreement = {}
    for verdict in ("ok", "unverified"):
        entries = [s for s in scored if s.gold is not None and s.gold["verdict"] == verdict]
        agreed = [s for s in entries if s.finding is not None and s.finding.verdict == verdict]
        agreement[verdict] = _share(len(agreed), len(entries))
        for item in entries:
            if item not in agreed:
                got = "nothing" if item.finding is None else f"{item.finding.verdict}: {item.finding.message}"
                misses.append(f"gold {verdict} at {where(item)}, got {got}")
    return Figures(
        _share(len(true_conflicts), len(conflicts)),
        _share(len(found), len(gold_conflicts)),
        _share(len(on_gold), len(reported)),
        agreement["ok"],
        agreement["unverified"],
        misses,
    )


@pytest.fixture(scope="module")
def measured() -> Figures:
    if not drafts():
        pytest.skip(f"no gold drafts in {DRAFTS}")
    store = open_store(BUNDLED, use_cache=False)
    scored = list(pairs(check.build_index(store.catalog, store.select(Query()))))
    result = figures(scored)
    print(f"\ngold set: {len(drafts())} drafts, {sum(1 for s in scored if s.gold)} gold entries: {result}")
    for miss in result.misses:
        print(f"  {miss}")
    return result


def test_no_false_conflicts(measured: Figures) -> None:
    false = [m for m in measured.misses if m.startswith("false conflict")]
    assert measured.conflict_precision >= CONFLICT_PRECISION, f"{measured}\n" + "\n".join(false)


def test_recall_of_planted_conflicts(measured: Figures) -> None:
    missed = [m for m in measured.misses if m.startswith("missed conflict")]
    assert measured.conflict_recall >= CONFLICT_RECALL, f"{measured}\n" + "\n".join(missed)


def test_every_gold_file_points_at_its_text() -> None:
    """A gold entry's line and column point at its text in the draft, so a finding can meet it."""
    for draft in drafts():
        lines = draft.read_text(encoding="utf-8").split("\n")
        for entry in json.loads(draft.with_name(draft.name + ".gold.json").read_text(encoding="utf-8")):
            line = lines[entry["line"] - 1]
            assert line[entry["column"] - 1 :].startswith(entry["text"]), (draft.name, entry)
