"""Bad data files and hostile text in good ones.

Each committed file under tests/data/bad/ holds one defect; BAD_FILES pairs it with the
LINE:COL and the message fragment it must produce. Inputs too big to commit (bombs)
are generated into tmp_path. For every bad input:

- `issfacts validate FILE` exits 1, prints `FILE:LINE:COL: message` lines on stdout
  and a one-line summary on stderr;
- `issfacts --data FILE events` exits 1, with the message on stderr and nothing on stdout;
- never a traceback (checked by support.invoke for every run).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import BAD, FORMATS, PROBLEM_LINE, RAW_CONTROL, SMALL, invoke

# name: (line, column, fragment of the message on that line)
BAD_FILES: dict[str, tuple[int, int, str]] = {
    "wrong-type-title.yaml": (7, 12, "events[0].title: expected text, found a number (2021)"),
    "missing-summary.yaml": (5, 5, "missing required field 'summary'"),
    "unknown-field-titel.yaml": (9, 5, "unknown field 'titel'; did you mean 'title'?"),
    "impossible-date.yaml": (6, 11, "'2021-02-30': February 2021 has days 01 to 28"),
    "month-13.yaml": (6, 11, "'2021-13': month must be 01 to 12"),
    "date-yesterday.yaml": (6, 11, "'yesterday' is not a date"),
    "id-not-slug.yaml": (5, 9, "'Soyuz_MS_22 Leak' is not an id"),
    "duplicate-key.yaml": (10, 5, "the key 'date' appears twice in one mapping (first on line 6); keep one"),
    "duplicate-event-id.yaml": (13, 9, "duplicate event id '2021-07-29-an-event' (first defined on line 5)"),
    "unknown-source.yaml": (11, 17, "unknown source 'no-such-article'"),
    "unknown-spacecraft.yaml": (10, 18, "unknown spacecraft 'soyuz-ms-99'"),
    "unknown-person.yaml": (10, 14, "unknown person 'nobody-at-all'"),
    "unknown-agency.yaml": (10, 16, "unknown agency 'nasaa'"),
    "unknown-claim-speaker.yaml": (12, 13, "unknown person, agency or source 'someone-unknown'"),
    "unknown-kind.yaml": (8, 11, "'incidnet' is not allowed; did you mean 'incident'?"),
    "unknown-section.yaml": (4, 1, "unknown section 'evnets'; did you mean 'events'?"),
    "missing-events.yaml": (1, 1, "missing the 'events' section"),
    "empty-quote.yaml": (12, 16, "events[0].sources[0].quote: must not be empty"),
    "no-citations.yaml": (10, 14, "an event needs at least one citation"),
    "tab-indent.yaml": (9, 1, "indent with spaces, not tabs"),
    "unclosed-bracket.yaml": (11, 12, "invalid YAML"),
    "bad-indentation.yaml": (8, 11, "invalid YAML"),
    "empty.yaml": (1, 1, "the file is empty"),
    "whitespace-only.yaml": (1, 1, "the file is empty"),
    "top-level-list.yaml": (1, 1, "a dataset is a YAML mapping"),
    "top-level-scalar.yaml": (1, 1, "a dataset is a YAML mapping"),
    "invalid-utf8.yaml": (7, 15, "not UTF-8 (byte 0xe9)"),
    "nul-byte.yaml": (9, 18, "NUL byte"),
    "null-key.yaml": (1, 1, "null: unknown section null"),
    "date-interval-reversed.yaml": (6, 11, "'2021-08-05/2021-07-29': the interval starts (2021-08-05) after it ends"),
    "date-interval-impossible-day.yaml": (6, 11, "'2021-02-30': February 2021 has days 01 to 28"),
    "date-bad-qualifier.yaml": (6, 11, "'??' is not a qualifier: write one of ? (uncertain), ~ (approximate)"),
    "date-open-both-ends.yaml": (6, 11, "'../..': an interval needs at least one known end"),
    "date-unknown-end.yaml": (6, 11, "write '..' for an open end"),
    "published-interval-reversed.yaml": (4, 16, "sources[0].published: '2021/2020': the interval starts (2021)"),
    "tag-int-not-a-number.yaml": (6, 11, "'abc' is not a valid !!int; fix the value or remove the tag"),
    "tag-int-empty.yaml": (6, 11, "'' is not a valid !!int"),
    "tag-float-not-a-number.yaml": (6, 11, "'abc' is not a valid !!float"),
    "tag-bool-maybe.yaml": (6, 11, "'maybe' is not a valid !!bool"),
    "tag-timestamp-garbage.yaml": (6, 11, "'garbage' is not a valid !!timestamp"),
    "tag-timestamp-feb-30.yaml": (6, 11, "'2021-02-30' is not a valid !!timestamp (day is out of range for month)"),
    "tag-map-on-a-scalar.yaml": (6, 11, "the tag !!map needs a mapping, not a plain value"),
    "tag-seq-on-a-mapping.yaml": (6, 11, "the tag !!seq needs a list, not a mapping"),
    "tag-str-on-a-mapping.yaml": (6, 11, "the tag !!str needs a plain value, not a mapping"),
    "tag-binary.yaml": (6, 11, "events[0].date: expected a date"),
    "integer-5000-digits.yaml": (6, 11, "a number of 5,000 digits is too long to read"),
    # Lines counted as grep -n and editors count them: by LF alone (YAML also breaks at the others)
    "line-breaks-crlf.yaml": (6, 11, "'2021-02-30': February 2021 has days 01 to 28"),
    "line-breaks-cr.yaml": (1, 94, "'2021-02-30': February 2021 has days 01 to 28"),
    "line-breaks-nel.yaml": (1, 94, "'2021-02-30': February 2021 has days 01 to 28"),
    "line-breaks-u2028.yaml": (1, 94, "'2021-02-30': February 2021 has days 01 to 28"),
    "spacecraft-listed-twice.yaml": (12, 23, "events[0].spacecraft[1]: 'iss' is listed twice (also item 1)"),
    "source-url-not-absolute.yaml": (5, 10, "sources[0].url: 'arstechnica.com/science/leak' is not a web address"),
    "source-url-with-space.yaml": (5, 10, "'https://example.com/an article' is not a web address; write an absolute"),
    "source-url-with-brace.yaml": (5, 10, "'https://example.com/{an-article}' is not a web address"),
    "source-url-bad-port.yaml": (5, 10, "'https://example.com:80x/article' is not a web address"),
    "source-accessed-impossible-day.yaml": (6, 15, "accessed: '2023-02-30': February 2023 has days 01 to 28"),
    "source-accessed-not-a-day.yaml": (6, 15, "sources[0].accessed: '2023-02' is not a day; write the day it was read"),
    "source-accessed-without-url.yaml": (5, 15, "an access date says when the url was read; add the url"),
    "source-accessed-before-published.yaml": (6, 15, "accessed 2021-02-10 is before the article can have appeared"),
}


def test_every_bad_file_is_in_the_table() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(BAD_FILES)


def check_validate(path: Path, line: int | None, column: int | None, fragment: str) -> None:
    shown = str(path)
    result = invoke("validate", shown)
    assert result.exit_code == 1, (result.stdout[:500], result.stderr[:500])
    lines = result.stdout.splitlines()
    assert lines, "no problem printed"
    for printed in lines:
        assert PROBLEM_LINE.match(printed), printed
        assert printed.startswith(shown + ":"), printed
    where = shown + (":" if line is None else f":{line}:{column}: ")
    assert any(printed.startswith(where) and fragment in printed for printed in lines), lines
    summary = result.stderr.splitlines()
    assert len(summary) == 1, result.stderr
    assert shown in summary[0] and "problem" in summary[0]


def check_events(path: Path, fragment: str) -> None:
    result = invoke("--data", str(path), "events")
    assert result.exit_code == 1, (result.stdout[:500], result.stderr[:500])
    assert result.stdout == ""
    assert fragment in result.stderr
    assert str(path) in result.stderr


@pytest.mark.parametrize("name", BAD_FILES)
def test_validate_locates_the_problem(name: str) -> None:
    check_validate(BAD / name, *BAD_FILES[name])


@pytest.mark.parametrize("name", BAD_FILES)
def test_commands_refuse_bad_data(name: str) -> None:
    check_events(BAD / name, BAD_FILES[name][2])


@pytest.mark.parametrize("name", ["wrong-type-title.yaml", "nul-byte.yaml", "missing-events.yaml"])
def test_bad_data_through_the_environment_variable(name: str) -> None:
    result = invoke("events", env={"ISSFACTS_DATA": str(BAD / name)})
    assert result.exit_code == 1
    assert result.stdout == ""
    assert BAD_FILES[name][2] in result.stderr


def test_many_problems_are_all_validated_but_summarised_elsewhere(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8")
    for n in range(8):  # each with a bad date, a number for a title and no citation
        text += f'\n  - id: extra-{n}\n    date: "2021-02-3{n % 2}"\n    title: {n}\n'
        text += "    kind: launch\n    summary: s\n    sources: []\n"
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    validated = invoke("validate", str(path))
    assert validated.exit_code == 1
    count = len(validated.stdout.splitlines())
    assert count >= 16
    assert str(count) in validated.stderr
    listed = invoke("--data", str(path), "events")
    assert listed.exit_code == 1
    assert listed.stdout == ""
    assert "validate" in listed.stderr  # points at the full list


# -- generated bad inputs ----------------------------------------------------------------


def billion_laughs() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return "\n".join([*lines, "events: *a9"]) + "\n"


def billion_laughs_broken_by(line_break: str) -> str:
    """A bomb whose anchors and aliases each start a line that YAML breaks with
    `line_break` (CR, NEL, U+2028...), where a scan that knows only LF sees none of them."""
    lines = ["a0:", "  &a0", "  [" + ", ".join(['"lol"'] * 10) + "]"]
    for i in range(1, 10):
        lines += [f"a{i}:", f"  &a{i}"]
        for j in range(10):
            lines += [f"  k{j}:", f"    *a{i - 1}"]
    return line_break.join([*lines, "events:", "  *a9"]) + line_break


def merge_key_bomb() -> str:
    lines = ["m0: &m0 {" + ", ".join(f"k{j}: v" for j in range(10)) + "}"]
    for i in range(1, 10):
        lines.append(f"m{i}: &m{i}\n  <<: [" + ", ".join([f"*m{i - 1}"] * 10) + f"]\n  own{i}: x")
    return "\n".join([*lines, "events:\n  - *m9"]) + "\n"


GENERATED: dict[str, tuple[Callable[[Path], str | bytes], str]] = {
    "billion-laughs.yaml": (lambda tmp: billion_laughs(), "aliases expand"),
    "merge-key-bomb.yaml": (lambda tmp: merge_key_bomb(), "aliases expand"),
    "billion-laughs-cr.yaml": (lambda tmp: billion_laughs_broken_by("\r"), "aliases expand"),
    "billion-laughs-nel.yaml": (lambda tmp: billion_laughs_broken_by("\x85"), "aliases expand"),
    "billion-laughs-u2028.yaml": (lambda tmp: billion_laughs_broken_by("\u2028"), "aliases expand"),
    "billion-laughs-u2029.yaml": (lambda tmp: billion_laughs_broken_by("\u2029"), "aliases expand"),
    "deep-brackets.yaml": (lambda tmp: "events: " + "[" * 100_000 + "]" * 100_000 + "\n", "nesting deeper than"),
    "deep-unclosed-brackets.yaml": (lambda tmp: "events: " + "[" * 100_000 + "\n", "invalid YAML"),
    "deep-block-sequences.yaml": (lambda tmp: "events:\n" + "- " * 100_000 + "x\n", "nesting deeper than"),
    # closers inside a string must not hide the real nesting after them from the depth scan
    "deep-brackets-after-closers.yaml": (
        lambda tmp: 'note: "' + "]" * 100_000 + '"\nevents: ' + "[" * 100_000 + "]" * 100_000 + "\n",
        "nesting deeper than",
    ),
    "deep-block-lines.yaml": (
        lambda tmp: "events:\n" + "".join(" " * i + "-\n" for i in range(3000)),
        "invalid YAML",
    ),
    "python-tag.yaml": (
        lambda tmp: f'events: !!python/object/apply:os.system ["touch {tmp / "pwned"}"]\n',
        "remove the tag",
    ),
    "python-name-tag.yaml": (lambda tmp: "events: !!python/name:os.system\n", "remove the tag"),
    "utf16.yaml": (lambda tmp: SMALL.read_text(encoding="utf-8").encode("utf-16"), "NUL byte"),
    "long-line.yaml": (lambda tmp: "events: [" + "x, " * 10_000 + "]\n", "expected a mapping"),
}


@pytest.mark.parametrize("name", GENERATED)
def test_generated_bad_input(name: str, tmp_path: Path) -> None:
    make, fragment = GENERATED[name]
    content = make(tmp_path)
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    started = time.monotonic()
    check_validate(path, None, None, fragment)
    check_events(path, fragment)
    assert time.monotonic() - started < 10, "a bomb must be refused quickly"
    assert not (tmp_path / "pwned").exists(), "a YAML tag ran a command"


def test_a_directory_as_data(tmp_path: Path) -> None:
    check_validate(tmp_path, 1, 1, "is a directory")
    check_events(tmp_path, "is a directory")


def test_a_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such.yaml"
    check_validate(missing, 1, 1, "no such file")
    check_events(missing, "no such file")


def test_an_unreadable_file(tmp_path: Path) -> None:
    import os

    path = tmp_path / "secret.yaml"
    path.write_bytes(SMALL.read_bytes())
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read anything")
        check_validate(path, 1, 1, "permission denied")
        check_events(path, "permission denied")
    finally:
        path.chmod(0o644)


# -- hostile text in valid data ------------------------------------------------------------

# Every text field carries terminal control sequences, written as YAML escapes:
# ESC [2J (clear screen), ESC ] 0;... BEL (set the window title), CSI 0x9b, DEL, NEL 0x85.
PAYLOAD = r"\e[2J\e]0;pwned\a\x9b31m\x7f\x85!"
PAYLOAD_TEXT = "\x1b[2J\x1b]0;pwned\x07\x9b31m\x7f\x85!"
MARKUP = "[bold red]x[/] [link=http://e.x]y[/link] :rocket: [/]"

HOSTILE = f"""\
sources:
  - id: article
    outlet: "Outlet {PAYLOAD}"
    title: "Article {PAYLOAD}"
    author: "Author {PAYLOAD}"
    published: "2021-08"
    note: "Note {PAYLOAD}"
agencies:
  - id: agency
    name: "Agency {PAYLOAD}"
    aliases: ["Alias {PAYLOAD}"]
    country: "Country {PAYLOAD}"
people:
  - id: person
    name: "Person {PAYLOAD}"
    aliases: ["Alias {PAYLOAD}"]
    role: "Role {PAYLOAD}"
    agency: agency
spacecraft:
  - id: craft
    name: "Craft {PAYLOAD}"
    aliases: ["Alias {PAYLOAD}"]
    type: crewed spacecraft
    operators: [agency]
events:
  - id: 2021-07-29-hostile
    date: "2021-07-29"
    date_note: "Note {PAYLOAD}"
    title: "Title {PAYLOAD} {MARKUP}"
    kind: incident
    summary: "Summary {PAYLOAD}\\nsecond line {MARKUP}"
    spacecraft: [craft]
    agencies: [agency]
    people: [person]
    claims:
      - claim: "Claim {PAYLOAD}"
        by: person
        source: article
        quote: "Claim quote {PAYLOAD}"
    sources:
      - source: article
        quote: "Quote {PAYLOAD} {MARKUP}"
"""

HOSTILE_COMMANDS = {
    "events": ("events",),
    "show": ("show", "2021-07-29-hostile"),
    "spacecraft": ("spacecraft",),
    "spacecraft NAME": ("spacecraft", "craft"),
    "people": ("people",),
    "people NAME": ("people", "person"),
    "sources": ("sources",),
}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def test_the_hostile_dataset_is_valid(hostile: Path) -> None:
    assert invoke("validate", str(hostile)).exit_code == 0
    event = json.loads(invoke("--data", str(hostile), "show", "hostile", "--json").stdout)
    assert event["title"] == f"Title {PAYLOAD_TEXT} {MARKUP}"  # kept exactly, escaped only on output


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", HOSTILE_COMMANDS)
def test_control_characters_in_data_never_reach_stdout(command: str, fmt: str, hostile: Path, tty: Any) -> None:
    result = invoke("--data", str(hostile), *HOSTILE_COMMANDS[command], "--format", fmt, obj=tty, color=True)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "\x1b" not in result.stdout
    assert not RAW_CONTROL.search(result.stdout), repr(RAW_CONTROL.search(result.stdout))
    assert "Title" in result.stdout or command not in ("events", "show")


@pytest.mark.parametrize("command", HOSTILE_COMMANDS)
def test_control_characters_in_data_never_reach_a_colour_terminal(command: str, hostile: Path, tty: Any) -> None:
    result = invoke(
        "--data",
        str(hostile),
        *HOSTILE_COMMANDS[command],
        obj=tty,
        color=True,
        env={"FORCE_COLOR": "1", "TERM": "xterm-256color"},
    )
    assert result.exit_code == 0, result.stderr
    for raw in ("\x1b[2J", "\x1b]0", "\x07", "\x9b", "\x7f", "\x85"):
        assert raw not in result.stdout, repr(raw)


@pytest.mark.parametrize("fmt", ["table", "tsv", "markdown", "csv"])
def test_markup_in_data_prints_literally(fmt: str, hostile: Path, tty: Any) -> None:
    result = invoke("--data", str(hostile), "events", "--format", fmt, obj=tty, env={"COLUMNS": "1000"})
    assert result.exit_code == 0
    assert "[bold red]x[/]" in result.stdout
    assert "[link=http://e.x]y[/link]" in result.stdout
    assert ":rocket:" in result.stdout and "🚀" not in result.stdout


@pytest.mark.parametrize("fmt", ["table", "markdown", "tsv"])
def test_markup_in_data_prints_literally_in_show(fmt: str, hostile: Path, tty: Any) -> None:
    result = invoke("--data", str(hostile), "show", "hostile", "--format", fmt, obj=tty, env={"COLUMNS": "1000"})
    assert result.exit_code == 0
    assert result.stdout.count("[bold red]x[/]") >= 2  # the title and the quote, at least
    assert "[link=http://e.x]y[/link]" in result.stdout


def test_problem_messages_quote_hostile_values_safely(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(HOSTILE.replace("kind: incident", f'kind: "{PAYLOAD}"'), encoding="utf-8")
    result = invoke("validate", str(path), color=True)
    assert result.exit_code == 1
    assert "kind" in result.stdout
    assert not RAW_CONTROL.search(result.stdout + result.stderr)


AMBIGUOUS = f"""\
sources:
  - id: article
    title: An article
spacecraft:
  - id: soyuz-ms-22
    name: "Soyuz MS-22 {PAYLOAD}"
    type: crewed spacecraft
  - id: progress-ms-22
    name: "Progress MS-22 {PAYLOAD}"
    type: cargo spacecraft
events:
  - id: 2022-12-14-one
    date: "2022-12-14"
    title: "One {PAYLOAD}"
    kind: incident
    summary: S
    sources: [{{source: article, quote: Q}}]
  - id: 2022-12-14-two
    date: "2022-12-14"
    title: "Two {PAYLOAD}"
    kind: incident
    summary: S
    sources: [{{source: article, quote: Q}}]
"""


@pytest.mark.parametrize(
    "args",
    [("spacecraft", "MS-22"), ("events", "--spacecraft", "MS-22"), ("show", "2022-12-14")],
    ids=["spacecraft", "events --spacecraft", "show"],
)
def test_ambiguity_messages_escape_hostile_names(args: tuple[str, ...], tmp_path: Path) -> None:
    path = tmp_path / "ambiguous.yaml"
    path.write_text(AMBIGUOUS, encoding="utf-8")
    result = invoke("--data", str(path), *args, color=True)  # color=True: stderr is a terminal
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "soyuz-ms-22" in result.stderr or "2022-12-14-one" in result.stderr
    assert not RAW_CONTROL.search(result.stderr), repr(result.stderr)


def test_validate_escapes_hostile_keys(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(
        SMALL.read_text(encoding="utf-8").replace(
            '    title: "Soyuz MS-09 launches"', '    title: "Soyuz MS-09 launches"\n    "ti\\e[2Jtle\\nnext": x'
        ),
        encoding="utf-8",
    )
    result = invoke("validate", str(path), color=True)
    assert result.exit_code == 1
    assert result.stdout
    for line in result.stdout.splitlines():
        assert PROBLEM_LINE.match(line), line
    assert not RAW_CONTROL.search(result.stdout)


@pytest.mark.parametrize(
    ("raw", "column"),
    [(b"\x1b", 14), (b"\x01", 14), (b"\x7f", 14), (b"\xc2\x9b", 14)],
    ids=["ESC", "SOH", "DEL", "CSI"],
)
def test_a_raw_control_character_is_located_on_one_line(raw: bytes, column: int, tmp_path: Path) -> None:
    path = tmp_path / "control.yaml"
    path.write_bytes(b'events:\n  - id: x\n    title: "a' + raw + b'b"\n')
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}:3:{column}: "), lines
    assert "tab" not in lines[0].replace("unacceptable", "")
