"""Hostile surroundings: streams that fail, encodings that cannot show the data, paths that
are not files, caches that lie, terminals of no size, Ctrl-C at the worst moment.

Most of these need a real process (file descriptors, locales, signals, ptys), so they run
`python -m issfacts` in a subprocess with an environment of their own. Every run must end
with the exit status the contract gives, at most a message on stderr, and no traceback.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import termios
import textwrap
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from support import BAD, REPO_DATASET, SMALL, invoke, ok

import issfacts
from issfacts import cache, datafile, render_rich
from issfacts.render import EVENT_COLUMNS

SHOW_ID = "2018-08-29-soyuz-ms-09-leak"  # quotes with curly quotes and an en dash


def run(
    *args: str | bytes,
    env: Mapping[str, str] | None = None,
    stdin: Any = subprocess.DEVNULL,
    stdout: Any = subprocess.PIPE,
    shell_redirect: str = "",
    timeout: float = 60,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """`python -m issfacts ARGS` (or through bash, to close descriptors with `>&-`)."""
    environ = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "LC_ALL": "C.UTF-8"}
    environ["XDG_CACHE_HOME"] = os.environ["XDG_CACHE_HOME"]
    environ.update({name: value for name, value in os.environ.items() if name.startswith("COVERAGE_")})
    environ.update(env or {})
    command: Sequence[str | bytes] = [sys.executable, "-m", "issfacts", *args]
    if shell_redirect:
        quoted = " ".join(f"'{a}'" for a in command if isinstance(a, str))
        command = ["bash", "-c", f"exec {quoted} {shell_redirect}"]
    done = subprocess.run(
        command, env=environ, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, timeout=timeout, cwd=cwd
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    return done


def stderr_lines(done: subprocess.CompletedProcess[bytes]) -> list[str]:
    return done.stderr.decode("utf-8", "replace").splitlines()


# -- 1. output streams that fail ----------------------------------------------------------------

WRITING_COMMANDS = [
    ("events",),
    ("events", "--json"),
    ("events", "--format", "csv"),
    ("show", SHOW_ID),
    ("spacecraft", "Soyuz MS-22", "--json"),
    ("people",),
    ("sources", "--format", "markdown"),
    ("validate", str(BAD / "unknown-kind.yaml")),
    ("export", "--json", "-"),
    ("--help",),
    ("events", "--help"),
    ("--version",),
]


@pytest.mark.parametrize("args", WRITING_COMMANDS, ids=" ".join)
def test_a_full_disk_is_one_error_line_and_exit_1(args: tuple[str, ...]) -> None:
    with open("/dev/full", "wb") as full:
        done = run(*args, stdout=full)
    assert done.returncode == 1
    assert stderr_lines(done)[-1] == "Error: cannot write output: No space left on device"
    assert len([line for line in stderr_lines(done) if line.startswith("Error:")]) == 1


@pytest.mark.parametrize("args", WRITING_COMMANDS, ids=" ".join)
def test_a_closed_stdout_is_one_error_line_and_exit_1(args: tuple[str, ...]) -> None:
    done = run(*args, shell_redirect=">&-")
    assert done.returncode == 1
    assert stderr_lines(done)[-1] == "Error: cannot write output: stdout is closed"


@pytest.mark.parametrize("args", [("events", "--json"), ("spacecraft", "MS-22"), ("--help",), ("nosuch",)])
def test_closed_stdout_and_stderr_still_end_with_a_status(args: tuple[str, ...]) -> None:
    done = run(*args, shell_redirect=">&- 2>&-")
    assert done.returncode in (1, 2)
    assert done.stderr == b""


def test_a_closed_stderr_keeps_the_answer_and_the_status() -> None:
    done = run("events", "--json", shell_redirect="2>&-")
    assert done.returncode == 0
    assert json.loads(done.stdout)
    failed = run("spacecraft", "MS-22", shell_redirect="2>&-")
    assert failed.returncode == 1


def test_stderr_on_a_full_disk_keeps_the_status() -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "issfacts", "spacecraft", "MS-22"], stdout=subprocess.PIPE, stderr=full, timeout=60
        )
    assert done.returncode == 1
    assert done.stdout == b""


def test_a_reader_that_goes_away_mid_json_ends_quietly() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "issfacts", "events", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(10).startswith(b"[")
        process.stdout.close()
        assert process.wait(timeout=60) == 0
        assert process.stderr.read() == b""


# -- 2. encodings -----------------------------------------------------------------------------

ENCODINGS = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "C locale": {"PYTHONUTF8": "0", "LC_ALL": "C", "LANG": "C"},
}


@pytest.fixture(scope="module")
def utf8_answers() -> dict[tuple[str, ...], bytes]:
    return {}


def utf8(*args: str, cache: dict[tuple[str, ...], bytes]) -> bytes:
    if args not in cache:
        done = run(*args)
        assert done.returncode == 0
        cache[args] = done.stdout
    return cache[args]


MACHINE = [
    ("events", "--json"),
    ("events", "--format", "jsonl"),
    ("show", SHOW_ID, "--json"),
    ("spacecraft", "Soyuz MS-09", "--json"),
    ("sources", "--json"),
    ("cite", SHOW_ID, "--style", "csl-json"),
]
TEXTUAL = [
    ("events", "--format", "tsv"),
    ("events", "--format", "csv"),
    ("events", "--format", "markdown"),
    ("show", SHOW_ID, "--format", "tsv"),
    ("show", SHOW_ID, "--format", "markdown"),
    ("people", "--format", "csv"),
    ("cite", SHOW_ID),
    ("cite", SHOW_ID, "--style", "bibtex"),
    ("cite", SHOW_ID, "--style", "ris"),
]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("args", MACHINE, ids=" ".join)
def test_json_stays_valid_and_complete_in_any_encoding(
    args: tuple[str, ...], encoding: str, utf8_answers: dict[tuple[str, ...], bytes]
) -> None:
    done = run(*args, env=ENCODINGS[encoding])
    assert done.returncode == 0, done.stderr
    assert done.stdout.isascii()  # escaped: readable in any ASCII-compatible encoding
    expected = utf8(*args, cache=utf8_answers)
    if "jsonl" in args:
        assert [json.loads(line) for line in done.stdout.splitlines()] == [
            json.loads(line) for line in expected.splitlines()
        ]
    else:
        assert json.loads(done.stdout) == json.loads(expected)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("args", TEXTUAL, ids=" ".join)
def test_tsv_csv_and_markdown_are_utf8_in_any_encoding(
    args: tuple[str, ...], encoding: str, utf8_answers: dict[tuple[str, ...], bytes]
) -> None:
    done = run(*args, env=ENCODINGS[encoding])
    assert done.returncode == 0, done.stderr
    assert done.stdout == utf8(*args, cache=utf8_answers)  # the same bytes: nothing replaced


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(
    "args", [("events", "--format", "table"), ("show", SHOW_ID, "--format", "table"), ("--help",)], ids=" ".join
)
def test_terminal_text_degrades_to_what_the_encoding_can_show(args: tuple[str, ...], encoding: str) -> None:
    done = run(*args, env={**ENCODINGS[encoding], "COLUMNS": "100"})
    assert done.returncode == 0, done.stderr
    shown = done.stdout.decode("latin-1" if encoding == "latin-1" else "ascii")
    if "show" in args:
        flowing = " ".join(shown.split())
        assert '"It was done by a human hand - there are traces of a drill' in flowing  # quotes, dash as ASCII


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_messages_reach_stderr_in_any_encoding(encoding: str) -> None:
    done = run("spacecraft", "Sojuz MS-22\u2019", env=ENCODINGS[encoding])
    assert done.returncode == 1
    assert "Error: no spacecraft matches" in done.stderr.decode("ascii", "replace")


def test_file_names_that_are_not_utf8_are_shown_escaped(tmp_path: Path) -> None:
    name = os.fsencode(tmp_path) + b"/bad-\xff-name.yaml"
    with open(name, "wb") as file:
        file.write((BAD / "unknown-kind.yaml").read_bytes())
    done = run("validate", name.decode("utf-8", "surrogateescape"))
    assert done.returncode == 1
    assert b"bad-\\xff-name.yaml:8:11:" in done.stdout
    assert b"bad-\\xff-name.yaml: 1 problem" in done.stderr


# -- 3. data paths that are not regular files, or too big --------------------------------------


def refused(path: str | Path, fragment: str) -> None:
    started = time.monotonic()
    for args in (("--data", str(path), "events"), ("validate", str(path))):
        done = run(*args, timeout=20)
        assert done.returncode == 1, (args, done.stderr)
        assert fragment in (done.stdout + done.stderr).decode(), done.stderr  # validate lists it on stdout
    assert time.monotonic() - started < 20, "refused at once, not read"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "events.yaml"
    os.mkfifo(fifo)
    refused(fifo, "is a named pipe (FIFO), not a regular file")


def test_a_character_device_is_refused_before_reading() -> None:
    refused("/dev/zero", "is a character device, not a regular file")


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    try:
        refused(path, "is a socket, not a regular file")
    finally:
        server.close()


def test_a_directory_is_refused(tmp_path: Path) -> None:
    refused(tmp_path, "is a directory")


def test_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    refused(tmp_path / "a.yaml", "symlink loop")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as file:
        file.truncate(datafile.MAX_STREAM_BYTES + 1)  # sparse: no disk, no memory
    refused(path, "issfacts reads data files of up to")


def test_piped_yaml_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datafile, "MAX_BYTES", 1000)
    result = invoke("--data", "/dev/stdin", "events", input=SMALL.read_bytes())
    assert result.exit_code == 1
    assert "is more than" in result.stderr


def test_piped_yaml_still_works() -> None:
    with SMALL.open("rb") as piped:
        done = run("--data", "/dev/stdin", "events", "--json", stdin=piped)
    assert done.returncode == 0
    assert json.loads(done.stdout)


def test_stdin_from_a_terminal_is_refused_not_waited_for() -> None:
    parent, child = pty.openpty()
    try:
        done = run("--data", "/dev/stdin", "events", stdin=child, timeout=20)
    finally:
        os.close(parent)
        os.close(child)
    assert done.returncode == 1
    assert b"stdin is a terminal" in done.stderr


# -- 5. the cache never serves what the current code and data would not ------------------------


def test_a_changed_installation_misses_the_old_entries(tmp_path: Path) -> None:
    """Edit a module of a copy of the package after warming its cache: the next run
    answers from the edited code, not from the old entry (the review's demonstration)."""
    package = tmp_path / "site" / "issfacts"
    shutil.copytree(Path(issfacts.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    env = {
        "PYTHONPATH": str(package.parent),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "COVERAGE_PROCESS_CONFIG": "",  # the copy is not the code under measurement
        "COVERAGE_PROCESS_START": "",
    }
    before = json.loads(run("show", "2021-07-29-nauka-docking", "--json", env=env).stdout)
    assert before["title"] == "Nauka module docks with the ISS"
    records = package / "records.py"
    source = records.read_text()
    assert '"title": event.title,' in source  # the edit below must change something
    records.write_text(source.replace('"title": event.title,', '"title": event.title.upper(),'))
    after = json.loads(run("show", "2021-07-29-nauka-docking", "--json", env=env).stdout)
    assert after["title"] == "NAUKA MODULE DOCKS WITH THE ISS"


@pytest.mark.parametrize("xdg", ["relative/cache", "~/cache", "./cache"])
def test_a_relative_cache_home_is_ignored(xdg: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    done = run("events", "--json", env={"XDG_CACHE_HOME": xdg, "HOME": str(home)}, cwd=work)
    assert done.returncode == 0
    assert list(work.iterdir()) == []  # nothing written relative to where the user stands
    assert list((home / ".cache" / "issfacts").iterdir())


def test_a_cache_path_too_long_answers_without_the_cache(tmp_path: Path) -> None:
    expected = run("--no-cache", "events", "--json").stdout
    done = run("events", "--json", env={"XDG_CACHE_HOME": str(tmp_path / ("x" * 300) / ("y" * 300))})
    assert done.returncode == 0
    assert done.stdout == expected


def test_a_garbage_entry_under_a_tight_memory_limit_is_a_miss(tmp_path: Path) -> None:
    directory = tmp_path / "issfacts"
    directory.mkdir()
    key = cache.content_key(REPO_DATASET.read_bytes())
    # marshal: a list that says it holds 2^31 - 1 items
    (directory / f"{key}.marshal").write_bytes(b"[" + struct.pack("<i", 2**31 - 1))
    expected = run("--no-cache", "events", "--json").stdout
    limited = textwrap.dedent(
        """
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        sys.argv = ["issfacts", "events", "--json"]
        from issfacts.entry import main
        main()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", limited],
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
        capture_output=True,
        timeout=60,
    )
    assert b"Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected


@pytest.mark.parametrize("engine", ["marshal", "sqlite"])
@pytest.mark.parametrize(
    "args",
    [
        ("--search", "\x00"),
        ("--search", "a\x00b"),
        ("--search", "\x1b[31m"),
        ("--search", "a\u0085b"),
        ("--limit", str(2**64)),
        ("--limit", str(2**63)),
        ("--search", "leak", "--limit", str(10**30)),
    ],
    ids=repr,
)
def test_cached_answers_equal_uncached_for_odd_queries(
    args: tuple[str, ...], engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine == "sqlite":
        monkeypatch.setattr(cache, "SQLITE_FROM_EVENTS", 1)
    uncached = ok("--no-cache", "events", *args, "--json").stdout
    assert ok("events", *args, "--json").stdout == uncached  # builds the entry
    assert ok("events", *args, "--json").stdout == uncached  # answers from it


def test_text_with_nul_is_found_through_both_engines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "nul.yaml"
    text = SMALL.read_text(encoding="utf-8").replace("Its thrusters fired.", "Its\\0thrusters fired.", 1)
    data.write_text(text, encoding="utf-8")
    expected = ok("--no-cache", "--data", str(data), "events", "--search", "\x00", "--json").stdout
    assert json.loads(expected), "the dataset changed: the NUL is not in a quote"
    monkeypatch.setattr(cache, "SQLITE_FROM_EVENTS", 1)
    for _ in range(2):
        assert ok("--data", str(data), "events", "--search", "\x00", "--json").stdout == expected


# -- 6. data that validates counts right -------------------------------------------------------


@pytest.mark.parametrize(("command", "field"), [("spacecraft", "spacecraft"), ("people", "people")])
def test_listed_counts_equal_the_events_each_record_lists(command: str, field: str) -> None:
    for record in json.loads(ok(command, "--json").stdout):
        events = json.loads(ok(command, record["id"], "--json").stdout)["events"]
        assert record["events"] == len(events), record["id"]


# -- 7. usage edge cases -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "env",
    [
        {"COLUMNS": "0"},
        {"COLUMNS": "-5"},
        {"COLUMNS": "abc"},
        {"COLUMNS": "9" * 5000},
        {"TERMINAL_WIDTH": "abc"},
        {"TERMINAL_WIDTH": "0"},
        {"LINES": "-1"},
    ],
    ids=repr,
)
@pytest.mark.parametrize(
    ("args", "status"),
    [(("events", "--format", "table"), 0), (("--help",), 0), (("events", "--bogus"), 2), (("show", "zzz"), 1)],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else str(value),
)
def test_odd_terminal_sizes_get_a_default_width(env: dict[str, str], args: tuple[str, ...], status: int) -> None:
    done = run(*args, env=env)
    assert done.returncode == status
    if status:
        assert done.stderr.strip()
    lines = done.stdout.decode().splitlines()
    assert all(len(line) <= 200 for line in lines)


def test_a_zero_size_pty_gets_a_default_width() -> None:
    parent, child = pty.openpty()
    fcntl_winsize = struct.pack("HHHH", 0, 0, 0, 0)
    import fcntl

    fcntl.ioctl(child, termios.TIOCSWINSZ, fcntl_winsize)
    process = subprocess.Popen(
        [sys.executable, "-m", "issfacts", "--no-pager", "events", "--since", "2021"],  # less would wait for keys
        stdin=child,
        stdout=child,
        stderr=child,
        env={k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
    )
    os.close(child)
    output = b""
    try:
        while True:
            try:
                chunk = os.read(parent, 65536)
            except OSError:  # the child side closed
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(parent)
    assert process.wait(timeout=60) == 0
    text = re.sub(r"\x1b\[[0-9;]*m", "", output.decode("utf-8", "replace"))  # colours: it is a terminal
    assert "Traceback" not in text
    assert "Nauka" in text
    assert max(len(line) for line in text.splitlines()) <= 82  # rich's default of 80, plus \r


def test_ctrl_c_during_start_up_imports_exits_130_quietly() -> None:
    """A SIGINT that arrives while typer is being imported, deterministically: an import
    hook sends it the moment `typer` is looked up."""
    script = textwrap.dedent(
        """
        import importlib.abc, os, signal, sys

        class Interrupt(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name == "typer":
                    os.kill(os.getpid(), signal.SIGINT)
                return None

        sys.meta_path.insert(0, Interrupt())
        sys.argv = ["issfacts", "events"]
        from issfacts.entry import main
        main()
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 130
    assert done.stderr == b""


def test_ctrl_c_while_writing_exits_130_quietly(tmp_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "issfacts", "events", "--json"],
        stdout=subprocess.PIPE,  # never read: the process blocks writing
        stderr=subprocess.PIPE,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
    ) as process:
        time.sleep(2)
        process.send_signal(signal.SIGINT)
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        assert process.wait(timeout=60) == 130
        assert b"Traceback" not in process.stderr.read()
    assert not [p for p in (tmp_path / "issfacts").glob(".tmp-*")], "a half-written cache entry was left"


# -- 8. time stays linear in the input ---------------------------------------------------------


def show_seconds(summary_size: int) -> float:
    words = ("lorem ipsum dolor sit amet " * (summary_size // 27 + 1))[:summary_size]
    one_word = "x" * (summary_size // 2)
    record = json.loads(ok("show", SHOW_ID, "--json").stdout)
    record.update(title=one_word, summary=words)
    from rich.console import Console

    console = Console(file=open(os.devnull, "w"), width=40, force_terminal=True)  # noqa: SIM115
    started = time.perf_counter()
    console.print(render_rich.event_detail(record))
    console.print(render_rich.table([record], EVENT_COLUMNS))
    console.file.close()
    return time.perf_counter() - started


def test_long_text_renders_in_time_proportional_to_its_size() -> None:
    small, large = min(show_seconds(200_000) for _ in range(2)), show_seconds(1_600_000)
    assert large < 16 * small, (small, large)  # linear: about 8x; quadratic: 64x
    assert large < 30


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_data_option_is_a_usage_error(value: str) -> None:
    result = invoke("--data", value, "events")
    assert result.exit_code == 2
    assert "must not be empty" in result.stderr


@pytest.mark.parametrize("value", ["", "   "])
def test_a_blank_issfacts_data_means_the_bundled_dataset(value: str) -> None:
    assert ok("events", "--json", env={"ISSFACTS_DATA": value}).stdout == ok("events", "--json").stdout
