"""The SQLite entry written beside the parse, in a process of its own
(sqlite_store.ChildFile), against the same entry written in this process (EntryFile):
the same tables and the same answers; its failures reach the parent as errors, never as
a hang, a traceback or a partial entry; and a checkout in the working directory is not
the issfacts it runs.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO

from issfacts import cache, sqlite_store, stream
from issfacts.rows import LazyCatalog, Row

EVENTS = 5000  # three batches of stream.BATCH: the child starts at the first


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "events.yaml"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "gen.py"), str(EVENTS), "-o", str(path)], check=True)
    return path


def write(source: Path, entry: Path, *, beside: bool) -> sqlite_store.EntryWriter:
    writer = sqlite_store.EntryWriter(entry, beside=beside)
    try:
        compiled = stream.compile_stream(lambda: source.open("rb"), str(source), writer)
        writer.finish("key", cache.EntryStamp(compiled.digest, 1), LazyCatalog(catalog=compiled.catalog))
    finally:
        writer.close()
    return writer


def tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = sqlite3.connect(path)
    try:
        out = {
            name: sorted(db.execute(f"SELECT * FROM {name}").fetchall())
            for name in ("meta", "events", "refs", "haystack")
        }
        db.execute("INSERT INTO search(search) VALUES ('integrity-check')")  # raises if the index is not the text's
        for term in ("coolant", "soyuz", "the", "ms-22", "zzzz"):
            out[f"search {term}"] = db.execute(
                "SELECT rowid FROM search WHERE text GLOB ? ORDER BY rowid", [f"*{term}*"]
            ).fetchall()
        out["indexes"] = db.execute("SELECT name, sql FROM sqlite_schema ORDER BY name").fetchall()
        return out
    finally:
        db.close()


def test_written_beside_or_here_the_entry_is_the_same(generated: Path, tmp_path: Path) -> None:
    started: list[Path] = []
    real_start = sqlite_store.ChildFile.start

    def spy(path: Path) -> sqlite_store.ChildFile:
        started.append(path)
        return real_start(path)

    here, beside = tmp_path / "here.sqlite", tmp_path / "beside.sqlite"
    write(generated, here, beside=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sqlite_store.ChildFile, "start", staticmethod(spy))
        write(generated, beside, beside=True)
    assert started == [beside]  # written by a child indeed
    ours, theirs = tables(here), tables(beside)
    assert len(ours["events"]) == EVENTS
    assert ours["search coolant"]  # the comparison compares something
    assert theirs == ours


def test_a_small_file_starts_no_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path) -> sqlite_store.ChildFile:
        raise AssertionError("a child for one batch")

    monkeypatch.setattr(sqlite_store.ChildFile, "start", staticmethod(refuse))
    source = REPO / "data" / "events.yaml"
    write(source, tmp_path / "entry.sqlite", beside=True)
    assert tables(tmp_path / "entry.sqlite")["events"]


def test_no_interpreter_to_start_writes_here(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", "")
    writer = write(generated, tmp_path / "entry.sqlite", beside=True)
    assert isinstance(writer._file, sqlite_store.EntryFile)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    writer = write(generated, tmp_path / "again.sqlite", beside=True)
    assert isinstance(writer._file, sqlite_store.EntryFile)
    assert tables(tmp_path / "again.sqlite")["events"] == tables(tmp_path / "entry.sqlite")["events"]


def rows_of(source: Path) -> list[Row]:
    sink = stream.ListSink()
    stream.compile_stream(lambda: source.open("rb"), str(source), sink)
    return sink.rows


def test_an_error_in_the_child_is_the_parents_error(generated: Path, tmp_path: Path) -> None:
    """Rows numbered twice: the child's insert fails, it says so and ends; the parent
    learns it as an error at its next question, and closing does not hang."""
    batch = rows_of(generated)[:1500]
    writer = sqlite_store.EntryWriter(tmp_path / "entry.sqlite", beside=True)
    try:
        writer.add(batch)
        assert isinstance(writer._file, sqlite_store.ChildFile)
        writer.count = 0  # the same numbers again
        with pytest.raises((sqlite3.Error, OSError)):
            writer.add(batch)
            writer.seqs_of({batch[0].id})  # answered by the error, or the pipe is broken
    finally:
        writer.close()
    assert writer._file is not None and writer._file.child.returncode is not None


def test_a_child_that_cannot_write_its_file(generated: Path, tmp_path: Path) -> None:
    writer = sqlite_store.EntryWriter(tmp_path / "no such directory" / "entry.sqlite", beside=True)
    try:
        with pytest.raises((sqlite3.Error, OSError)):
            writer.add(rows_of(generated)[:1500])
            writer.finish("key", cache.EntryStamp("d", 1), LazyCatalog(plain={}))
    finally:
        writer.close()


def test_the_error_answer_is_raised_as_sqlite_error(tmp_path: Path) -> None:
    """The message framing, both ways, with a child that answers an error: the parent
    raises it as sqlite3.OperationalError, with the child's words."""
    code = (
        "import sys; from issfacts import sqlite_store as s;"
        "s._receive(sys.stdin.buffer);"
        "sys.stdout.buffer.write(s._framed(('error', 'DatabaseError: database or disk is full')));"
        "sys.stdout.buffer.flush()"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    file = sqlite_store.ChildFile(child)
    try:
        with pytest.raises(sqlite3.OperationalError, match="disk is full"):
            file.seqs_of({"x"})
    finally:
        file.close()


def test_a_message_cut_short_is_the_end(tmp_path: Path) -> None:
    path = tmp_path / "cut"
    path.write_bytes((100).to_bytes(8, "little") + b"short")
    with path.open("rb") as cut:
        assert sqlite_store._receive(cut) is None
    path.write_bytes(b"\x01\x02")
    with path.open("rb") as cut:
        assert sqlite_store._receive(cut) is None


def test_a_checkout_in_the_working_directory_is_not_imported(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -c` looks in the working directory first; the child must run the
    issfacts that started it, not a directory named issfacts where the user stands."""
    decoy = tmp_path / "cwd" / "issfacts"
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text("raise SystemExit('the decoy was imported')\n")
    monkeypatch.chdir(tmp_path / "cwd")
    writer = write(generated, tmp_path / "entry.sqlite", beside=True)
    assert isinstance(writer._file, sqlite_store.ChildFile)
    assert len(tables(tmp_path / "entry.sqlite")["events"]) == EVENTS


@pytest.mark.parametrize(("signum", "status"), [(2, 130), (15, 143)], ids=["SIGINT", "SIGTERM"])
def test_a_signal_leaves_no_entry_and_no_writer(tmp_path: Path, signum: int, status: int) -> None:
    """A real Ctrl-C, or the SIGTERM `timeout` sends, while a first query streams a large
    file: exit 130 or 143 without a word, no entry, and the writer process gone with
    its parent (by default SIGTERM would kill issfacts where it stood)."""
    import time

    big = tmp_path / "big.yaml"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "gen.py"), "30000", "-o", str(big)], check=True)
    cache_dir = tmp_path / "cache"
    process = subprocess.Popen(
        [sys.executable, "-m", "issfacts", "--data", str(big), "events", "--json"],
        env={**os.environ, "XDG_CACHE_HOME": str(cache_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    writers: list[int] = []
    while not writers and time.monotonic() < deadline:
        writers = [pid for pid in _children(process.pid) if b"serve" in _cmdline(pid)]
        time.sleep(0.02)
    assert writers, "no writer process was started"
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (status, b"")
    assert list((cache_dir / "issfacts").iterdir()) == []
    time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() and b"serve" in _cmdline(pid) for pid in writers)


def test_a_writer_that_does_not_stop_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing waits a while for the child to finish after its pipe closes, then kills it."""
    monkeypatch.setattr(sqlite_store.ChildFile, "CLOSE_WAIT_S", 0.2)
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    sqlite_store.ChildFile(child).close()
    assert child.returncode is not None and child.returncode < 0  # killed


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
