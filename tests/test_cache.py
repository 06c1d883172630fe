"""The cache answers exactly as the file does, and never from stale or broken data."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest
import yaml
from support import SMALL

from issfacts import cache
from issfacts.datafile import BUNDLED
from issfacts.errors import IssfactsError
from issfacts.memory_store import MemoryStore
from issfacts.model import Kind, PartialDate, Status
from issfacts.query import MonthDay, Query
from issfacts.store import FallbackStore, open_store

QUERIES = [
    Query(),
    Query(since=PartialDate.parse("2021"), until=PartialDate.parse("2023-02")),
    Query(search=("coolant",)),
    Query(search=("co", "nauka")),  # short terms are scanned, long ones use the index
    Query(search=("*",)),
    Query(spacecraft=frozenset({"soyuz-ms-22"}), reverse=True),
    Query(agencies=frozenset({"nasa"}), kinds=frozenset({Kind.STATEMENT, Kind.INCIDENT}), limit=7),
    Query(statuses=frozenset({Status.PLANNED})),
    Query(people=frozenset({"dmitry-rogozin", "bill-nelson"})),
    Query(limit=0),
    Query(on=MonthDay(7, 29)),  # 2021 and 2025: a day in every year
    Query(on=MonthDay(7), reverse=True),
    Query(on=MonthDay(2, 11), kinds=frozenset({Kind.INCIDENT}), since=PartialDate.parse("2023")),
    Query(on=MonthDay(2, 29)),
]


def answers(store: object) -> list[object]:
    out: list[object] = []
    for q in QUERIES:
        selected = store.select(q)  # type: ignore[attr-defined]
        out.append([(row.id, row.record, row.line) for row in selected])
        # what the JSON formats print: the same lines, as UTF-8, with no record built
        assert store.lines(q) == [row.line.encode() for row in selected]  # type: ignore[attr-defined]
    for field in ("spacecraft", "agencies", "people", "sources"):
        out.append(sorted(store.counts(field).items()))  # type: ignore[attr-defined]
    for ident in ("2021-07-29-nauka-docking", "ms-22-coolant", "nauka", "no-such-event"):
        try:
            out.append(store.find(ident).id)  # type: ignore[attr-defined]
        except IssfactsError as error:  # ambiguous or not found: the same message either way
            out.append(f"{type(error).__name__}: {error}")
    return out


@pytest.fixture
def cache_home(tmp_path: Path) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path)}


def entries(env: dict[str, str]) -> list[Path]:
    directory = Path(env["XDG_CACHE_HOME"]) / "issfacts"
    return sorted(p for p in directory.iterdir() if not p.name.startswith(".")) if directory.exists() else []


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled events, repeated under new ids past the SQLite threshold."""
    raw = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    events = raw["events"]
    copies = cache.SQLITE_FROM_EVENTS // len(events) + 1
    raw["events"] = [{**event, "id": f"{event['id']}-{n}"} for n in range(copies) for event in events]
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_marshal_cache_answers_like_the_file(tmp_path: Path, cache_home: dict[str, str]) -> None:
    fresh = open_store(BUNDLED, environ=cache_home)
    assert [p.suffix for p in entries(cache_home)] == [".marshal"]
    warm = open_store(BUNDLED, environ=cache_home)
    assert isinstance(warm, MemoryStore) and warm is not fresh
    assert answers(warm) == answers(fresh) == answers(open_store(BUNDLED, use_cache=False))


@pytest.fixture(scope="module")
def big_answers(big_file: Path) -> list[object]:
    return answers(open_store(big_file, use_cache=False))


def test_sqlite_cache_answers_like_the_file(
    big_file: Path, big_answers: list[object], cache_home: dict[str, str]
) -> None:
    uncached = big_answers
    open_store(big_file, environ=cache_home)
    assert [p.suffix for p in entries(cache_home)] == [".sqlite"]
    warm = open_store(big_file, environ=cache_home)
    assert isinstance(warm, FallbackStore)
    assert answers(warm) == uncached


def test_edit_keeping_size_and_mtime_is_seen(tmp_path: Path, cache_home: dict[str, str]) -> None:
    data = tmp_path / "events.yaml"
    text = BUNDLED.read_text(encoding="utf-8")
    data.write_text(text, encoding="utf-8")
    before = os.stat(data)
    assert (
        open_store(data, environ=cache_home).find("2021-07-29-nauka-docking").record["title"]
        == "Nauka module docks with the ISS"
    )
    data.write_text(text.replace("Nauka module docks with", "Nauka module DOCKS with"), encoding="utf-8")
    os.utime(data, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(data).st_size == before.st_size
    assert (
        open_store(data, environ=cache_home).find("2021-07-29-nauka-docking").record["title"]
        == "Nauka module DOCKS with the ISS"
    )


def test_large_file_edit_keeping_size_and_mtime_is_seen(
    big_file: Path, cache_home: dict[str, str], tmp_path: Path
) -> None:
    original = big_file.read_text(encoding="utf-8")
    big_file = tmp_path / "big.yaml"  # a copy: the module's file stays as it is
    big_file.write_text(original, encoding="utf-8")
    open_store(big_file, environ=cache_home)
    before = os.stat(big_file)
    big_file.write_text(original.replace("Nauka module docks with", "Nauka module DOCKS with", 1), encoding="utf-8")
    os.utime(big_file, ns=(before.st_atime_ns, before.st_mtime_ns))
    titles = {row.record["title"] for row in open_store(big_file, environ=cache_home).select(Query(search=("docks",)))}
    assert "Nauka module DOCKS with the ISS" in titles


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "flip"])
def test_broken_marshal_entry_is_a_miss(damage: str, cache_home: dict[str, str]) -> None:
    expected = answers(open_store(BUNDLED, use_cache=False))
    open_store(BUNDLED, environ=cache_home)
    (entry,) = entries(cache_home)
    blob = entry.read_bytes()
    broken = {
        "truncate": blob[: len(blob) // 2],
        "garbage": os.urandom(len(blob)),
        "empty": b"",
        "flip": blob[:-100] + bytes([blob[-100] ^ 0xFF]) + blob[-99:],
    }[damage]
    entry.write_bytes(broken)
    assert answers(open_store(BUNDLED, environ=cache_home)) == expected
    assert answers(open_store(BUNDLED, environ=cache_home)) == expected  # rewritten whole


@pytest.mark.parametrize("damage", ["truncate", "garbage", "wrong-key"])
def test_broken_sqlite_entry_is_a_miss(
    damage: str, big_file: Path, big_answers: list[object], cache_home: dict[str, str]
) -> None:
    expected = big_answers
    open_store(big_file, environ=cache_home)
    (entry,) = entries(cache_home)
    if damage == "truncate":
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 3])
    elif damage == "garbage":
        entry.write_bytes(b"SQLite format 3\0" + os.urandom(4096))
    else:
        db = sqlite3.connect(entry)
        db.execute("UPDATE meta SET value = 'someone-else' WHERE name = 'key'")
        db.commit()
        db.close()
    assert answers(open_store(big_file, environ=cache_home)) == expected


def test_unwritable_cache_directory_still_answers(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the cache directory would go")
    env = {"XDG_CACHE_HOME": str(blocked)}
    assert answers(open_store(BUNDLED, environ=env)) == answers(open_store(BUNDLED, use_cache=False))


def test_nothing_is_written_beside_the_data(tmp_path: Path, cache_home: dict[str, str]) -> None:
    data = tmp_path / "data" / "events.yaml"
    data.parent.mkdir()
    data.write_bytes(BUNDLED.read_bytes())
    open_store(data, environ=cache_home)
    assert sorted(p.name for p in data.parent.iterdir()) == ["events.yaml"]
    assert data.read_bytes() == BUNDLED.read_bytes()


def test_concurrent_writers_leave_one_whole_entry(cache_home: dict[str, str]) -> None:
    import concurrent.futures

    expected = answers(open_store(BUNDLED, use_cache=False))
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: answers(open_store(BUNDLED, environ=cache_home)), range(16)))
    assert all(result == expected for result in results)
    assert [p.suffix for p in entries(cache_home)] == [".marshal"]
    assert answers(open_store(BUNDLED, environ=cache_home)) == expected


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG shortcut is for Linux and the BSDs")
@pytest.mark.parametrize("xdg", [None, "", "   ", "/tmp/somewhere"])
def test_cache_dir_matches_platformdirs(xdg: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache.cache_dir(os.environ) == Path(platformdirs.user_cache_dir("issfacts", appauthor=False))


# -- pruning ---------------------------------------------------------------------------


GEN = cache.generation()  # what this issfacts's keys end with
OLD = f"{cache.FORMAT - 1}g000000000000"  # another version's


def fake_entry(directory: Path, name: str, size: int, age_s: float) -> Path:
    path = directory / name
    path.write_bytes(b"\0" * size)
    stamp = path.stat().st_mtime - age_s
    os.utime(path, (stamp, stamp))
    return path


def written_after(directory: Path, monkeypatch: pytest.MonkeyPatch, **limits: int) -> set[str]:
    """The entries left once a fresh entry (the bundled data's) has been written."""
    for name, value in limits.items():
        monkeypatch.setattr(cache, name, value)
    open_store(BUNDLED, environ={"XDG_CACHE_HOME": str(directory.parent)})
    return {p.name for p in directory.iterdir()}


def test_pruning_keeps_the_most_recently_used_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "issfacts"
    directory.mkdir()
    for age in range(1, 6):
        fake_entry(directory, f"c{age}-{GEN}.marshal", 10, age * 100)
    left = written_after(directory, monkeypatch, KEEP_ENTRIES=3)
    assert len(left) == 3
    assert {f"c1-{GEN}.marshal", f"c2-{GEN}.marshal"} < left  # and the new entry


def test_pruning_keeps_the_cache_within_its_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "issfacts"
    directory.mkdir()
    fake_entry(directory, f"c1-{GEN}.sqlite", 3000, 100)
    fake_entry(directory, f"c2-{GEN}.sqlite", 3000, 200)
    left = written_after(directory, monkeypatch, KEEP_BYTES=cache.KEEP_BYTES)
    assert len(left) == 3  # well within the real limit
    new = (left - {f"c1-{GEN}.sqlite", f"c2-{GEN}.sqlite"}).pop()
    limit = (directory / new).stat().st_size + 3500
    (directory / new).unlink()  # written again, and the cache pruned again
    assert written_after(directory, monkeypatch, KEEP_BYTES=limit) == {new, f"c1-{GEN}.sqlite"}


def test_the_newest_entry_is_kept_whatever_its_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "issfacts"
    directory.mkdir()
    fake_entry(directory, f"c1-{GEN}.sqlite", 3000, 100)
    assert len(written_after(directory, monkeypatch, KEEP_BYTES=1)) == 1


def test_entries_of_another_version_go_after_a_week(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "issfacts"
    directory.mkdir()
    fake_entry(directory, f"c1-{OLD}.sqlite", 10, 8 * 24 * 3600)
    fake_entry(directory, f"c2-{OLD}.sqlite", 10, 3600)
    fake_entry(directory, ".tmp-abandoned.sqlite", 10, 2 * 3600)
    fake_entry(directory, ".tmp-being-written.sqlite", 10, 10)
    left = written_after(directory, monkeypatch)
    assert f"c1-{OLD}.sqlite" not in left
    assert {f"c2-{OLD}.sqlite", ".tmp-being-written.sqlite"} < left
    assert ".tmp-abandoned.sqlite" not in left


def test_a_hit_marks_the_entry_as_used(tmp_path: Path, cache_home: dict[str, str]) -> None:
    open_store(BUNDLED, environ=cache_home)
    (entry,) = entries(cache_home)
    day_ago = entry.stat().st_mtime - 24 * 3600
    os.utime(entry, (day_ago, day_ago))
    open_store(BUNDLED, environ=cache_home)
    assert entry.stat().st_mtime > day_ago + 3600


# -- the risky paths, reached by lowering the thresholds rather than by huge files -------------


@pytest.fixture
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files over 1 KiB keyed by stat, entries of 10 events or more kept in SQLite: the
    paths of 4 MiB and 2,000-event files, with the bundled 60 KB dataset."""
    monkeypatch.setattr(cache, "CONTENT_KEY_UP_TO", 1024)
    monkeypatch.setattr(cache, "SQLITE_FROM_EVENTS", 10)


def copy_of_bundled(tmp_path: Path) -> Path:
    data = tmp_path / "events.yaml"
    data.write_bytes(BUNDLED.read_bytes())
    return data


def docking_title(data: Path, env: dict[str, str]) -> str:
    title = open_store(data, environ=env).find("2021-07-29-nauka-docking").record["title"]
    assert isinstance(title, str)
    return title


def edit_keeping_size_and_mtime(data: Path) -> None:
    before = os.stat(data)
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("Nauka module docks with", "Nauka module DOCKS with"), encoding="utf-8")
    os.utime(data, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(data).st_size == before.st_size


@pytest.mark.usefixtures("small_thresholds")
def test_a_stat_keyed_file_edited_keeping_size_and_mtime_is_seen(
    tmp_path: Path, cache_home: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    data = copy_of_bundled(tmp_path)
    now = time.time_ns
    with monkeypatch.context() as patch:  # an entry that says it was built after any edit to come,
        patch.setattr(time, "time_ns", lambda: now() + 3600 * 10**9)  # so its age cannot give the edit away
        assert docking_title(data, cache_home) == "Nauka module docks with the ISS"
    (entry,) = entries(cache_home)
    assert entry.name.startswith("s") and entry.suffix == ".sqlite"  # the stat-keyed SQLite path
    edit_keeping_size_and_mtime(data)  # ctime changes, and with it the key: only the key decides
    assert docking_title(data, cache_home) == "Nauka module DOCKS with the ISS"


@pytest.mark.usefixtures("small_thresholds")
@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_a_racily_clean_entry_is_checked_against_the_content(
    tmp_path: Path, cache_home: dict[str, str], monkeypatch: pytest.MonkeyPatch, streamed: bool
) -> None:
    """On a filesystem whose timestamps are too coarse to tell an edit apart, the key
    stays the same; an entry built within RACY_NS of the file's change is then verified
    against the content hash it stores (git's rule for racily clean files)."""
    from issfacts import datafile

    if streamed:  # compiled as read, hashed a chunk at a time
        monkeypatch.setattr(datafile, "STREAM_FROM_BYTES", 0)
    data = copy_of_bundled(tmp_path)
    coarse = cache.stat_key

    def coarse_key(path: Path, st: os.stat_result) -> str:  # as if size, mtime and ctime never changed
        return coarse(path, os.stat_result((st.st_mode, st.st_ino, st.st_dev, 1, 0, 0, 1, 1, 1, 1)))

    monkeypatch.setattr(cache, "stat_key", coarse_key)
    assert docking_title(data, cache_home) == "Nauka module docks with the ISS"
    edit_keeping_size_and_mtime(data)
    assert docking_title(data, cache_home) == "Nauka module DOCKS with the ISS"


@pytest.mark.usefixtures("small_thresholds")
@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_a_corrupt_sqlite_page_found_mid_query_is_recovered_from(
    tmp_path: Path, cache_home: dict[str, str], monkeypatch: pytest.MonkeyPatch, streamed: bool
) -> None:
    from issfacts import datafile

    if streamed:  # the fallback compiles the file as it is read too
        monkeypatch.setattr(datafile, "STREAM_FROM_BYTES", 0)
    data = copy_of_bundled(tmp_path)
    expected = answers(open_store(data, use_cache=False))
    open_store(data, environ=cache_home)
    (entry,) = entries(cache_home)
    db = sqlite3.connect(entry)
    (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'events'").fetchone()
    (page_size,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    blob = bytearray(entry.read_bytes())
    blob[(root - 1) * page_size : root * page_size] = os.urandom(page_size)  # the events table, not the meta
    entry.write_bytes(bytes(blob))
    warm = open_store(data, environ=cache_home)  # opens: the meta table is whole
    assert answers(warm) == expected  # the first query meets the damage and falls back to the file
    assert not entry.exists()  # dropped, to be built again on the next run
    assert answers(open_store(data, environ=cache_home)) == expected


@pytest.mark.parametrize("threshold", [10_000, 1], ids=["marshal", "sqlite"])
def test_a_sources_url_and_access_day_survive_the_cache(
    threshold: int, tmp_path: Path, cache_home: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The catalog travels as plain tuples in both backends: the optional fields too."""
    monkeypatch.setattr(cache, "SQLITE_FROM_EVENTS", threshold)
    data = tmp_path / "small.yaml"
    data.write_bytes(SMALL.read_bytes())
    fresh = open_store(data, environ=cache_home).catalog.sources["example-article"]
    warm_store = open_store(data, environ=cache_home)
    assert isinstance(warm_store, FallbackStore if threshold == 1 else MemoryStore)
    warm = warm_store.catalog.sources["example-article"]
    assert warm == fresh
    assert (warm.url, str(warm.accessed)) == ("https://example.com/articles/station", "2021-09-01")
