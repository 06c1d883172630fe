"""The streaming compile (stream.py) against the whole-file path (load.py): the same
problems, at the same places, in the same order, on every bad-input file, on generated
edits of a valid file and on valid files whose sections come in any order; the same rows
and catalogue when the file is valid. Then the streamed SQLite entry, the progress bar,
--quiet, and Ctrl-C during a first load.
"""

from __future__ import annotations

import io
import itertools
import json
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from support import BAD, REPO, REPO_DATASET, SMALL, invoke
from test_bad_input import BAD_FILES
from test_properties import NOT_YAML_PRINTABLE, mutated

from issfacts import datafile, load, rows, store, stream
from issfacts.errors import DataError


def whole(path: Path) -> tuple[str, Any]:
    try:
        dataset = load.load_path(path)
    except DataError as error:
        return "problems", [str(problem) for problem in error.problems]
    return "ok", (rows.compile_rows(dataset), dataset.catalog)


def streamed(path: Path) -> tuple[str, Any]:
    sink = stream.ListSink()
    try:
        compiled = stream.compile_stream(lambda: path.open("rb"), str(path), sink)
    except DataError as error:
        return "problems", [str(problem) for problem in error.problems]
    assert compiled.events == len(sink.rows)
    return "ok", (sorted(sink.rows, key=lambda r: (r.first, r.last, r.id)), compiled.catalog)


def same(path: Path) -> None:
    assert streamed(path) == whole(path)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_every_bad_file_is_reported_alike(name: str) -> None:
    same(BAD / name)


@pytest.mark.parametrize("path", [SMALL, REPO_DATASET], ids=["small", "bundled"])
def test_a_valid_file_gives_the_same_rows_and_catalogue(path: Path) -> None:
    kind, _ = streamed(path)
    assert kind == "ok"
    same(path)


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(mutated())
def test_any_edit_is_reported_alike(tmp_path: Path, text: str) -> None:
    assume(not NOT_YAML_PRINTABLE.search(text))
    path = tmp_path / "mutated.yaml"
    path.write_bytes(text.encode("utf-8"))
    same(path)


SECTION = re.compile(r"^(?=[a-z]+:)", re.MULTILINE)


def sections(text: str) -> tuple[str, list[str]]:
    head, *parts = SECTION.split(text)
    return head, [part if part.endswith("\n") else part + "\n" for part in parts]


@SETTINGS
@given(st.permutations(range(5)), st.sampled_from([SMALL, REPO_DATASET]))
def test_sections_in_any_order_are_read_alike(tmp_path: Path, order: list[int], source: Path) -> None:
    """Events before the catalogue: their references point forward, and still resolve."""
    head, parts = sections(source.read_text(encoding="utf-8"))
    assert len(parts) == 5
    path = tmp_path / "reordered.yaml"
    path.write_text(head + "".join(parts[i] for i in order), encoding="utf-8")
    assert streamed(path)[0] == "ok"
    same(path)


@SETTINGS
@given(st.permutations(range(5)), st.integers(0, 2**32))
def test_forward_references_that_fail_are_reported_alike(tmp_path: Path, order: list[int], seed: int) -> None:
    """Unknown ids and duplicate ids, in sections read before or after the events."""
    text = SMALL.read_text(encoding="utf-8")
    ids = re.findall(r"^\s+(?:- )?id: (\S+)$", text, re.MULTILINE)
    rng = random.Random(seed)
    for ident in rng.sample(ids, 3):  # unknown where it is named, or named twice
        text = text.replace(ident, rng.choice([ident + "-x", ids[0]]), 1)
    head, parts = sections(text)
    path = tmp_path / "broken.yaml"
    path.write_text(head + "".join(parts[i] for i in order), encoding="utf-8")
    same(path)


def test_a_duplicate_event_id_names_the_first(tmp_path: Path) -> None:
    text = REPO_DATASET.read_text(encoding="utf-8")
    first = re.search(r"^  - id: (\S+)$", text[text.index("\nevents:") :], re.MULTILINE)
    assert first is not None
    path = tmp_path / "twice.yaml"
    path.write_text(text + text[text.index("\nevents:") + len("\nevents:\n") :], encoding="utf-8")
    kind, problems = streamed(path)
    assert kind == "problems"
    assert any(f"duplicate event id {first[1]!r} (first defined on line" in p for p in problems)
    same(path)


def test_a_file_read_in_many_chunks_is_read_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunk edges fall inside characters, lines and records: nothing changes."""
    text = REPO_DATASET.read_text(encoding="utf-8").replace("Soyuz", "Союз\u2028", 3)
    path = tmp_path / "chunks.yaml"
    path.write_text("\ufeff" + text.replace("\n", "\r\n", 40), encoding="utf-8")
    expected = whole(path)
    monkeypatch.setattr(stream, "CHUNK", 7)
    assert streamed(path) == expected


def test_a_byte_that_is_not_utf8_in_a_later_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = REPO_DATASET.read_bytes()
    path = tmp_path / "latin1.yaml"
    path.write_bytes(data[:5000] + "é".encode("latin-1") + data[5000:])
    monkeypatch.setattr(stream, "CHUNK", 1000)
    kind, problems = streamed(path)
    assert kind == "problems" and "not UTF-8 (byte 0xe9)" in problems[0]
    same(path)


# -- through the commands -----------------------------------------------------------------


@pytest.fixture
def stream_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datafile, "STREAM_FROM_BYTES", 0)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_the_commands_report_bad_files_alike_when_streamed(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(BAD / name)
    before = [invoke("validate", path), invoke("--data", path, "events")]
    monkeypatch.setattr(datafile, "STREAM_FROM_BYTES", 0)
    after = [invoke("validate", path), invoke("--data", path, "events")]
    for old, new in zip(before, after, strict=True):
        assert (new.exit_code, new.stdout, new.stderr) == (old.exit_code, old.stdout, old.stderr)


QUERIES = [
    ["events", "--json"],
    ["events", "--json", "--reverse", "--limit", "7"],
    ["events", "--search", "coolant", "--json"],
    ["events", "--spacecraft", "Soyuz MS-22", "--json"],
    ["events", "--since", "2021", "--until", "2022-06", "--json"],
    ["show", "soyuz", "--json"],
    ["stats", "--by", "spacecraft", "--json"],
    ["sources", "--json"],
]


@pytest.mark.parametrize("words", QUERIES, ids=[" ".join(w) for w in QUERIES])
def test_a_streamed_entry_answers_as_the_file_does(
    words: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head, parts = sections(REPO_DATASET.read_text(encoding="utf-8"))
    path = tmp_path / "events-first.yaml"
    path.write_text(head + parts[4] + "".join(parts[:4]), encoding="utf-8")  # forward references
    direct = invoke("--data", str(path), "--no-cache", *words)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(datafile, "STREAM_FROM_BYTES", 0)
    for run in ("cold", "warm", "no cache"):
        extra = ["--no-cache"] if run == "no cache" else []
        result = invoke("--data", str(path), *extra, *words)
        assert (result.exit_code, result.stdout) == (direct.exit_code, direct.stdout), run
    assert [p.suffix for p in (tmp_path / "cache" / "issfacts").iterdir()] == [".sqlite"]


def test_validate_counts_a_streamed_file(stream_everything: None) -> None:
    result = invoke("validate", str(REPO_DATASET))
    assert result.exit_code == 0
    assert re.search(r": ok, \d+ events, \d+ sources", result.stderr)


# -- a long first load: the bar, --quiet, Ctrl-C ----------------------------------------------


def test_the_progress_bar_shows_events_and_their_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from issfacts.render_rich import LoadProgress

    out = io.StringIO()
    bar = LoadProgress("big.yaml", 1000, Console(file=out, force_terminal=True, width=100))
    monkeypatch.setattr(LoadProgress, "AFTER_S", 0.0)
    try:
        bar(500, 12_345)
    finally:
        bar.close()
    shown = out.getvalue()
    assert "Reading big.yaml" in shown and "12,345 events" in shown and "/s" in shown


def test_a_short_load_shows_no_bar() -> None:
    from rich.console import Console

    from issfacts.render_rich import LoadProgress

    out = io.StringIO()
    bar = LoadProgress("small.yaml", 1000, Console(file=out, force_terminal=True))
    bar(500, 10)
    bar.close()
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("flags", "tty", "drawn"), [([], True, 1), (["--quiet"], True, 0), (["-q"], True, 0), ([], False, 0)]
)
def test_a_bar_only_on_a_terminal_and_not_under_quiet(
    flags: list[str], tty: bool, drawn: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stream_everything: None
) -> None:
    from issfacts import render_rich
    from issfacts.cli import Environment

    made: list[int] = []
    closed: list[int] = []

    class Recorder:
        def __init__(self, label: str, total: int) -> None:
            made.append(total)

        def __call__(self, done: int, events: int) -> None:
            pass

        def close(self) -> None:
            closed.append(1)

    monkeypatch.setattr(render_rich, "LoadProgress", Recorder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    env = Environment(stdout_isatty=False, stderr_isatty=tty)
    result = invoke(*flags, "--data", str(SMALL), "events", "--json", obj=env)
    assert result.exit_code == 0
    assert (len(made), len(closed)) == (drawn, drawn)
    if drawn:
        assert made == [SMALL.stat().st_size]


def test_ctrl_c_during_a_first_load_leaves_no_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stream_everything: None
) -> None:
    def interrupt(total: int) -> Any:
        def tell(done: int, events: int) -> None:
            raise KeyboardInterrupt

        return tell

    directory = tmp_path / "cache"
    with pytest.raises(KeyboardInterrupt):
        store.open_store(REPO_DATASET, environ={"XDG_CACHE_HOME": str(directory)}, progress=interrupt)
    assert list(directory.rglob("*")) == [directory / "issfacts"]


def test_ctrl_c_in_a_real_process(tmp_path: Path) -> None:
    """A real SIGINT in the middle of a real first load of a file that is streamed."""
    import os
    import signal
    import time

    path = tmp_path / "events.yaml"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "gen.py"), "8000", "-o", str(path)], check=True)
    assert datafile.streamed(path.stat().st_size)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    child = subprocess.Popen(
        [sys.executable, "-m", "issfacts", "--data", str(path), "events", "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not any((tmp_path / "cache" / "issfacts").glob(".tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.02)  # until the entry is being written
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert err == b""
    assert list((tmp_path / "cache" / "issfacts").iterdir()) == []


def test_the_json_path_never_imports_rich_for_the_bar(tmp_path: Path) -> None:
    """A warm query on a streamed file: no rich, no YAML (start-up stays at its floor)."""
    import os

    path = tmp_path / "events.yaml"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "gen.py"), "4000", "-o", str(path)], check=True)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    code = (
        "import sys; from issfacts import entry, datafile; datafile.STREAM_FROM_BYTES = 0;"
        "sys.argv = ['issfacts', '--data', sys.argv[1], 'events', '--json', '--limit', '1'];"
        "import contextlib, io\n"
        "with contextlib.suppress(SystemExit): entry.main()\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'yaml'))), file=sys.stderr)"
    )
    for _ in range(2):  # cold, then warm
        done = subprocess.run(
            [sys.executable, "-c", "import json;" + code, str(path)], env=env, capture_output=True, check=True
        )
    assert json.loads(done.stderr.decode().splitlines()[-1]) == []
    assert list(itertools.islice((tmp_path / "cache" / "issfacts").glob("*.sqlite"), 1))


SMALL_TEXT = SMALL.read_text(encoding="utf-8")
_HEAD, _PARTS = sections(SMALL_TEXT)
_EVENTS = _PARTS[4]
ODD_DOCUMENTS = {
    "two documents": SMALL_TEXT + "---\nevents: []\n",
    "a list as a key": "[a, b]: 1\n" + SMALL_TEXT,
    "a mapping as a key": "? {a: 1}\n: x\n" + SMALL_TEXT,
    "a key twice at the top": SMALL_TEXT + "sources: []\n",
    "a key twice after a float": "x: 1.5\n" + SMALL_TEXT + "people: []\n",
    "an int key": "5: five\n" + SMALL_TEXT,
    "events not a list": "".join(_PARTS[:4]) + "events: 5\n",
    "events null": "".join(_PARTS[:4]) + "events:\n",
    "sources a mapping": "sources: {a: 1}\n" + "".join(_PARTS[1:]),
    "events tagged": "".join(_PARTS[:4]) + _EVENTS.replace("events:", "events: !!seq", 1),
    "events anchored": "".join(_PARTS[:4]) + _EVENTS.replace("events:", "events: &all", 1),
    "events anchored with a key twice": "".join(_PARTS[:4])
    + _EVENTS.replace("events:", "events: &all", 1).replace("    title:", "    title: x\n    title:", 1),
    "a record with an anchor and an alias": SMALL_TEXT.replace("    title:", "    title: &t", 1)
    + "  - {id: 2030-01-01-x, date: '2030', title: *t, kind: launch, summary: s, sources: [{source: x, quote: q}]}\n",
    "a bad tag after a key twice": SMALL_TEXT.replace("    title:", "    title: x\n    title:", 1).replace(
        "kind:", "kind: !!int", 1
    ),
    "a key twice after a float in a record": SMALL_TEXT.replace(
        "    title:", "    n: 1.5\n    title: x\n    title:", 1
    ),
    "a boolean title": SMALL_TEXT.replace("    title:", "    title: yes\n    date_note:", 1),
    "nesting too deep in a record": SMALL_TEXT + "  - " + "[" * 70 + "]" * 70 + "\n",
    "a scalar too deep": SMALL_TEXT + "  - " + "- " * 66 + "x\n",
    "the whole document anchored": "--- &doc\n" + SMALL_TEXT,
    "the whole document anchored and broken": "--- &doc\n" + SMALL_TEXT.replace("kind:", "kindd:", 1),
    "a null document": "# nothing but a comment\n",
    "missing field at the end, CR line breaks": SMALL_TEXT.replace("\n", "\r")[:-40],
    "an unknown section keyed by an alias": "a: &k events\n*k : []\n" + SMALL_TEXT,
}


@pytest.mark.parametrize("name", ODD_DOCUMENTS)
def test_odd_documents_are_read_alike(name: str, tmp_path: Path) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(ODD_DOCUMENTS[name], encoding="utf-8")
    same(path)


def test_a_cache_that_cannot_take_the_entry_answers_from_a_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stream_everything: None
) -> None:
    import os

    real = os.replace

    def full(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    directory = tmp_path / "cache"
    answered = store.open_store(REPO_DATASET, environ={"XDG_CACHE_HOME": str(directory)})
    monkeypatch.setattr(os, "replace", real)
    assert answered.find("soyuz-ms-22-coolant").id.endswith("coolant-leak")
    assert list((directory / "issfacts").iterdir()) == []  # nothing kept, nothing left behind
