"""The terminal experience: tables at every width, `show` as a fact sheet, help with
examples, the overview, and the pager.

Tables are checked by shape (widths, which columns, how many lines a title takes, what
never appears), never by full-screen snapshots.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from rich.cells import cell_len
from support import REPO_DATASET, invoke

from issfacts.cli import app
from issfacts.render import PLANNED_LEGEND, PLANNED_MARK, human_date

_TOP = typer.main.get_command(app)
assert isinstance(_TOP, typer.core.TyperGroup)
REGISTRY: typer.core.TyperGroup = _TOP
COMMANDS = tuple(sorted(REGISTRY.commands))
WIDTHS = (50, 60, 80, 100, 120, 160, 200)


def events_json(*args: str) -> list[dict[str, Any]]:
    result = invoke("events", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return list(json.loads(result.stdout))


def screen(*args: str, width: int, tty: Any, no_color: bool = True) -> list[str]:
    env = {"COLUMNS": str(width), "LINES": "100000"}
    if no_color:
        env["NO_COLOR"] = "1"
    result = invoke(*args, "--format", "table", obj=tty, env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def rows(lines: list[str]) -> tuple[list[str], list[list[str]]]:
    """The header's column names and, for each row, its screen lines (a row starts where
    the Date column has text)."""
    header = lines[0]
    names = header.split()
    date_start = header.index("Date")
    grouped: list[list[str]] = []
    for line in lines[2:]:
        if not line.strip() or line.startswith(PLANNED_MARK + " planned"):
            break
        if line[date_start : date_start + 1].strip():
            grouped.append([])
        grouped[-1].append(line)
    return names, grouped


def column_text(header: str, line: str, name: str) -> str:
    start = header.index(name)
    following = [header.index(n) for n in header.split() if header.index(n) > start]
    end = min(following, default=len(line))
    return line[start:end].strip()


# -- tables ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_events_table_fits_every_width(width: int, tty: Any) -> None:
    assert max(cell_len(line) for line in screen("events", width=width, tty=tty)) <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_no_source_slug_in_any_table(width: int, tty: Any) -> None:
    slugs = {cite["source"] for event in events_json() for cite in event["sources"]}
    for args in (("events",), ("sources",), ("spacecraft", "Soyuz MS-22"), ("people", "Rogozin")):
        text = "\n".join(screen(*args, width=width, tty=tty))
        assert not [slug for slug in slugs if slug in text], args


@pytest.mark.parametrize("args", [(), ("--since", "2021")])
def test_titles_take_at_most_two_lines_at_100_columns(args: tuple[str, ...], tty: Any) -> None:
    lines = screen("events", *args, width=100, tty=tty)
    names, grouped = rows(lines)
    assert "Title" in names
    events = events_json(*args)
    assert len(grouped) == len(events)
    for event, row in zip(events, grouped, strict=True):
        title_lines = [column_text(lines[0], line, "Title") for line in row]
        assert len([t for t in title_lines if t]) <= 2, event["title"]
        assert " ".join(t for t in title_lines if t) == event["title"]


@pytest.mark.parametrize("width", [w for w in WIDTHS if w >= 60])
def test_dates_never_wrap_and_come_in_event_order(width: int, tty: Any) -> None:
    lines = screen("events", width=width, tty=tty)
    _, grouped = rows(lines)
    events = events_json()
    for event, row in zip(events, grouped, strict=True):
        assert column_text(lines[0], row[0], "Date") == human_date(event["date"])
        assert all(not column_text(lines[0], line, "Date") for line in row[1:])


def test_sources_show_as_outlets_and_lists_as_first_item_and_count(tty: Any) -> None:
    lines = screen("events", width=200, tty=tty)
    text = "\n".join(lines)
    assert {"Space.com", "Ars Technica", "Frontier India", "Spaceflight Insider"} <= set(
        re.findall(r"[\w.]+(?: [A-Z]\w+)?", text)
    )
    assert "Soyuz MS-22 +1" in text  # the coolant leak names Soyuz MS-22 and the ISS
    assert "International Space Station; " not in text  # lists never joined in the table


def test_a_source_without_an_outlet_is_named_by_its_title(tty: Any) -> None:
    text = "\n".join(screen("events", "--since", "2022", "--until", "2022-07-15", width=200, tty=tty))
    assert "“Roscosmos and NASA Collaborate" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_planned_events_are_marked_without_colour(width: int, tty: Any) -> None:
    lines = screen("events", "--since", "2025", width=width, tty=tty)
    planned = [e["title"] for e in events_json("--since", "2025") if e["status"] == "planned"]
    assert planned
    marked = [line for line in lines if line.lstrip().startswith(PLANNED_MARK)]
    assert len(marked) == len(planned) + 1  # one per planned event, and the legend
    assert PLANNED_LEGEND.split()[0] in lines[-1] or PLANNED_LEGEND.split()[0] in lines[-2]


def test_no_legend_when_nothing_is_planned(tty: Any) -> None:
    text = "\n".join(screen("events", "--status", "happened", width=120, tty=tty))
    assert PLANNED_MARK not in text


def test_planned_mark_has_an_ascii_form(tty: Any) -> None:
    result = invoke(
        "events", "--since", "2028", "--format", "table", obj=tty, env={"COLUMNS": "100", "PYTHONIOENCODING": "ascii"}
    )
    assert result.exit_code == 0


@pytest.mark.parametrize("width", [30, 40, 50, 59])
def test_a_narrow_screen_gets_one_block_per_event(width: int, tty: Any) -> None:
    lines = screen("events", "--since", "2023", width=width, tty=tty)
    events = events_json("--since", "2023")
    assert not any(line.startswith("Date") for line in lines)
    blocks = "\n".join(lines).split("\n\n")
    assert len(blocks) >= len(events)
    joined = " ".join(" ".join(lines).split())
    for event in events:
        assert event["title"] in joined
    assert max(cell_len(line) for line in lines) <= width


def test_wide_screens_show_every_brief_column(tty: Any) -> None:
    header = screen("events", width=200, tty=tty)[0].split()
    assert header == ["Date", "Kind", "Title", "Spacecraft", "Sources"]


def test_columns_give_way_in_order_spacecraft_then_kind(tty: Any) -> None:
    seen = [tuple(screen("events", width=w, tty=tty)[0].split()) for w in (200, 120, 100)]
    assert seen[0] == ("Date", "Kind", "Title", "Spacecraft", "Sources")
    assert "Spacecraft" not in seen[1] and "Kind" in seen[1]
    assert seen[2] == ("Date", "Title", "Sources")


def test_piped_output_is_unchanged_tsv() -> None:
    result = invoke("events", env={"COLUMNS": "50"})
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0].split("\t")
    assert len(first) == 12  # every column, nothing truncated


@pytest.mark.parametrize("width", WIDTHS)
def test_other_listings_fit(width: int, tty: Any) -> None:
    for args in (("spacecraft",), ("people",), ("sources",), ("spacecraft", "ISS")):
        lines = screen(*args, width=width, tty=tty)
        assert max(cell_len(line) for line in lines) <= width, args


def test_unknown_outlet_is_said_not_left_blank(tty: Any) -> None:
    lines = screen("sources", width=120, tty=tty)
    assert any(line.startswith("unknown") and "Roscosmos and NASA Collaborate" in line for line in lines)


# -- show ----------------------------------------------------------------------------------

COOLANT = "2022-12-14-soyuz-ms-22-coolant-leak"


def test_show_groups_citations_under_their_source(tty: Any) -> None:
    lines = screen("show", COOLANT, width=100, tty=tty)
    text = "\n".join(lines)
    sources_at = lines.index("Sources")
    after = lines[sources_at:]
    assert sum("Ars Technica · Eric Berger · 11 Feb 2023" in line for line in after) == 1
    assert sum("Another Russian spacecraft docked" in line for line in after) == 1
    (event,) = [e for e in events_json() if e["id"] == COOLANT]
    flat = " ".join(text.split())
    for cite in event["sources"]:
        assert f"“{cite['quote']}”" in flat


def test_show_quotes_hang_inside_their_marks(tty: Any) -> None:
    lines = screen("show", COOLANT, width=60, tty=tty)
    starts = [n for n, line in enumerate(lines) if line.startswith("  “On December 14 2022")]
    assert starts
    follow = lines[starts[0] + 1]
    assert follow.startswith("   ") and not follow.startswith("    ")  # under the text, not the mark


def test_show_claims_say_who_and_where(tty: Any) -> None:
    flat = " ".join(" ".join(screen("show", COOLANT, width=80, tty=tty)).split())
    # The article's own claim (by: its source) does not name the outlet twice.
    assert "claimed by the article itself, in Ars Technica · Eric Berger · 11 Feb 2023" in flat


def test_show_claims_name_the_person_who_made_them(tty: Any) -> None:
    flat = " ".join(" ".join(screen("show", "2018-08-29-soyuz-ms-09-leak", width=100, tty=tty)).split())
    assert "claimed by Dmitry Rogozin, in Spaceflight Insider · Jason Rhian" in flat


def test_show_keeps_the_date_note_and_readable_interval(tty: Any) -> None:
    text = "\n".join(screen("show", "2021-nasa-says-station-functioning-normally", width=100, tty=tty))
    assert "29 Jul - 5 Aug 2021" in text
    assert "Date note" in text


# -- help and the overview -------------------------------------------------------------------


def examples_of(command: str) -> list[str]:
    epilog = REGISTRY.commands[command].epilog or ""
    return [line.strip().replace("\\[", "[") for line in epilog.splitlines() if line.strip().startswith("issfacts ")]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_examples(command: str) -> None:
    assert len(examples_of(command)) >= 2, f"`issfacts {command} --help` needs two or three examples"
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout
    assert examples_of(command)[0] in " ".join(result.stdout.split())


EXAMPLES = [(command, line) for command in COMMANDS for line in examples_of(command)]


@pytest.mark.parametrize(("command", "line"), EXAMPLES, ids=[line for _, line in EXAMPLES])
def test_every_example_runs(command: str, line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(REPO_DATASET, tmp_path / "my-events.yaml")  # the file examples name
    words = shlex.split(re.split(r" [|>] ", line)[0])
    assert words[0] == "issfacts"
    result = invoke(*words[1:])
    assert result.exit_code == 0, f"{line}: {result.stderr}"


def test_no_arguments_prints_a_short_overview() -> None:
    result = invoke()
    assert result.exit_code == 0
    assert result.stderr == ""
    for command in COMMANDS:
        assert f"  {command} " in result.stdout
    assert "Examples:" in result.stdout
    assert len(result.stdout.splitlines()) < 40


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_overview_fits_the_terminal(columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    prose = [line for line in invoke().stdout.splitlines() if not line.startswith("  issfacts ")]
    assert max(map(len, prose)) <= columns  # the example command lines are left whole


def test_overview_examples_run() -> None:
    from issfacts.cli import OVERVIEW_EXAMPLES

    for line in OVERVIEW_EXAMPLES:
        result = invoke(*shlex.split(re.split(r" [|>] ", line)[0])[1:])
        assert result.exit_code == 0, line


# -- the pager -------------------------------------------------------------------------------


def run_in_pty(args: list[str], env: dict[str, str], rows: int = 24, cols: int = 80) -> tuple[int, str]:
    """Run issfacts with a terminal of `rows` x `cols` as its stdin, stdout and stderr."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    clean = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "PAGER", "ISSFACTS_PAGER", "LESS")}
    with subprocess.Popen(
        [sys.executable, "-m", "issfacts", *args], stdin=slave, stdout=slave, stderr=slave, env={**clean, **env}
    ) as proc:
        os.close(slave)
        out = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        code = proc.wait(timeout=60)
    os.close(master)
    return code, out.decode("utf-8", "replace")


@pytest.fixture
def fake_pager(tmp_path: Path) -> tuple[str, Path]:
    """A pager that keeps what it was given, and the LESS it saw, in files."""
    script = tmp_path / "pager.sh"
    script.write_text(f'cat > "{tmp_path}/paged.txt"\nprintf %s "$LESS" > "{tmp_path}/less.txt"\necho FAKE-PAGER\n')
    return f"sh {shlex.quote(str(script))}", tmp_path / "paged.txt"


needs_pty = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


@needs_pty
def test_long_output_on_a_terminal_goes_through_the_pager(fake_pager: tuple[str, Path]) -> None:
    command, paged = fake_pager
    code, out = run_in_pty(["events"], {"ISSFACTS_PAGER": command})
    assert code == 0
    assert "FAKE-PAGER" in out
    assert "Soyuz MS-22" in paged.read_text(encoding="utf-8")
    assert (paged.parent / "less.txt").read_text() == "FRX"


@needs_pty
def test_pager_keeps_a_less_the_user_set(fake_pager: tuple[str, Path]) -> None:
    command, paged = fake_pager
    run_in_pty(["events"], {"ISSFACTS_PAGER": command, "LESS": "-S"})
    assert (paged.parent / "less.txt").read_text() == "-S"


@needs_pty
def test_pager_falls_back_to_PAGER(fake_pager: tuple[str, Path]) -> None:
    command, _ = fake_pager
    code, out = run_in_pty(["events"], {"PAGER": command})
    assert code == 0 and "FAKE-PAGER" in out


@needs_pty
@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["sources"], {}),  # shorter than the screen
        (["--no-pager", "events"], {}),
        (["events", "--no-pager"], {}),
        (["events"], {"ISSFACTS_PAGER": ""}),
        (["events"], {"ISSFACTS_PAGER": "cat"}),
        (["events", "--json"], {}),  # machine formats are never paged
    ],
)
def test_no_pager_when_not_wanted(fake_pager: tuple[str, Path], args: list[str], env: dict[str, str]) -> None:
    command, paged = fake_pager
    code, out = run_in_pty(args, {"PAGER": command, **env})
    assert code == 0
    assert "FAKE-PAGER" not in out
    assert not paged.exists()
    assert "Date" in out or "[" in out or "Outlet" in out


def test_piped_table_is_never_paged(fake_pager: tuple[str, Path]) -> None:
    command, paged = fake_pager
    env = {**os.environ, "ISSFACTS_PAGER": command, "LINES": "5"}
    done = subprocess.run(
        [sys.executable, "-m", "issfacts", "events", "--format", "table"], capture_output=True, env=env, timeout=60
    )
    assert done.returncode == 0
    assert not paged.exists()
    assert b"Soyuz MS-22" in done.stdout


@needs_pty
def test_a_missing_pager_prints_directly() -> None:
    code, out = run_in_pty(["events"], {"ISSFACTS_PAGER": "no-such-pager-anywhere"})
    assert code == 0
    assert "Soyuz MS-22" in out
    assert "Traceback" not in out


@needs_pty
def test_a_pager_that_quits_early_ends_quietly(tmp_path: Path) -> None:
    script = tmp_path / "quit.sh"
    script.write_text("head -c 10 > /dev/null\n")
    code, out = run_in_pty(["events"], {"ISSFACTS_PAGER": f"sh {script}"})
    assert code == 0
    assert "Traceback" not in out and "Error" not in out


def test_help_reflows_docstrings_to_the_terminal() -> None:
    """typer's rich help keeps every source line break of a docstring; they are joined
    first, so a paragraph wraps once, at the terminal's width."""
    text = invoke("events", "--help", env={"COLUMNS": "160"}).stdout
    assert "sort by their earliest possible day, then their latest, then id." in text
    for line in text.splitlines():
        assert line.rstrip() != " possible", text
