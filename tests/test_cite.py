"""`issfacts cite`: citations read back by tools that are not issfacts.

BibTeX by bibtexparser (LaTeX decoded by pylatexenc), RIS by rispy, CSL-JSON checked by
jsonschema against the vendored CSL 1.0.2 data schema; every quote compared with the
bundled YAML as PyYAML reads it, not as issfacts does.
"""

from __future__ import annotations

import json
import re
import shlex
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import rispy  # type: ignore[import-untyped]
import yaml
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.middlewares import LatexDecodingMiddleware
from bibtexparser.model import Entry
from hypothesis import given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import (  # type: ignore[import-untyped]
    LatexNodes2Text,
    MacroTextSpec,
    get_default_latex_context_db,
)
from support import RAW_CONTROL, REPO, REPO_DATASET, SMALL, assert_failure, assert_usage_error, invoke, ok, ok_json

import issfacts
from issfacts import cite
from issfacts.model import EdtfDate, PartialDate, Source

STYLES = ("text", "markdown", "bibtex", "csl-json", "ris")
CSL_SCHEMA = Path(issfacts.__file__).parent / "schemas" / "csl-data.json"
TASS = "2022-zarya-engineering-support"  # its source has no outlet, no author, an open date
NAUKA = "2021-07-29-nauka-thruster-misfire"  # two sources, four quotes from one of them


@cache
def bundled() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(REPO_DATASET.read_text(encoding="utf-8"))
    return data


@cache
def all_events() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = ok_json("events")
    return events


def bundled_quotes() -> set[str]:
    return {cite["quote"] for event in bundled()["events"] for cite in event["sources"]}


def expected_pairs(events: list[dict[str, Any]]) -> list[tuple[str, str, list[str]]]:
    """(event id, source id, quotes) in the order `cite` must print them."""
    out: dict[tuple[str, str], list[str]] = {}
    for event in events:
        for source in event["sources"]:
            out.setdefault((event["id"], source["source"]), []).append(source["quote"])
    return [(event, source, quotes) for (event, source), quotes in out.items()]


def run(*args: str, data: Path | None = None) -> str:
    prefix = ("--data", str(data)) if data else ()
    return ok(*prefix, "cite", *args).stdout


def everything(style: str) -> str:
    return run(*(event["id"] for event in all_events()), "--style", style)


# -- which citations ---------------------------------------------------------------------


def test_one_citation_per_event_and_source_with_all_its_quotes() -> None:
    lines = run(NAUKA).splitlines()
    [(_, first, quotes), (_, second, [quote])] = expected_pairs([ok_json("show", NAUKA)])
    assert (first, second) == ("spacecom-2021-nauka", "ars-technica-2023-progress-leak")
    assert len(lines) == 2 and len(quotes) == 4
    assert lines[0].endswith(": " + " ".join(f"“{q}”" for q in quotes))
    assert lines[1].endswith(f": “{quote}”")


def test_several_ids_in_order_each_event_once() -> None:
    once = run("ms-22-coolant", TASS)
    assert run("ms-22-coolant", TASS, "2022-12-14-soyuz-ms-22-coolant-leak") == once
    assert once.splitlines()[0].startswith("Ars Technica, Eric Berger, ")
    assert once.splitlines()[1].startswith("“Roscosmos and NASA Collaborate")


def test_an_unknown_id_fails_as_show_does_and_prints_nothing() -> None:
    shown = invoke("show", "no-such-event")
    result = invoke("cite", TASS, "no-such-event")
    assert_failure(result, "no event matches 'no-such-event'")
    assert result.stderr == shown.stderr


def test_an_ambiguous_id_fails_as_show_does() -> None:
    result = invoke("cite", "ms-2", "--style", "bibtex")
    assert_failure(result, "'ms-2' matches", "2022-12-14-soyuz-ms-22-coolant-leak")
    assert result.stderr == invoke("show", "ms-2").stderr


@pytest.mark.parametrize("args", [(), ("",), (TASS, "--style", "apa")])
def test_usage_errors(args: tuple[str, ...]) -> None:
    result = invoke("cite", *args)
    assert_usage_error(result, "--style" if "--style" in args else "ID")


# -- verbatim quotes, nothing invented --------------------------------------------------------


def quotes_in(style: str, output: str) -> list[str]:
    """Every quote `output` carries, read back in that style's own way."""
    if style == "text":
        said = ["“" + line.split(": “", 1)[1] for line in output.splitlines()]  # after `Outlet, ..., DATE: `
        return [q for line in said for q in re.findall(r"“(.*?)”(?= “|$)", line)]
    if style == "markdown":
        return [line[4:] for line in output.splitlines() if line.startswith("  > ")]
    if style == "ris":
        return [note for entry in rispy.loads(output) for note in entry.get("notes", [])]
    if style == "csl-json":
        return [q for item in json.loads(output) for q in re.findall(r"“(.*?)”(?= “|$)", item["annote"])]
    return [q for entry in parse_bibtex(output).entries for q in re.findall(r"“(.*?)”(?= “|$)", entry["annotation"])]


@pytest.mark.parametrize("style", STYLES)
def test_every_quote_is_verbatim_from_the_bundled_data(style: str) -> None:
    found = quotes_in(style, everything(style))
    assert found == [q for _, _, quotes in expected_pairs(all_events()) for q in quotes]
    assert set(found) <= bundled_quotes()


@pytest.mark.parametrize("style", STYLES)
def test_an_unknown_outlet_author_or_date_bound_is_left_out(style: str) -> None:
    output = run(TASS, "--style", style)
    for invented in ("null", "None", "unknown", "Unknown", "TASS", "2023", "/2022-07-15"):
        assert invented not in output, invented
    assert "2022-07-15" in output or "15 Jul 2022" in output


def test_the_quote_checker_reads_quotes_with_quotes_inside() -> None:
    """Quotes hold straight and curly quotes themselves; the reader above still splits them."""
    inner = [q for q in bundled_quotes() if "“" in q or '"' in q]
    assert inner
    assert quotes_in("text", f"A, “T”: “{inner[0]}” “{inner[1]}”\n") == inner[:2]


# -- BibTeX ---------------------------------------------------------------------------------------


def _latex_decoder() -> LatexNodes2Text:
    """pylatexenc, taught the text commands it lacks (it drops `\\textbraceleft`, and
    reads `\\textasciicircum` as a modifier letter), as LaTeX prints them."""
    db = get_default_latex_context_db()
    db.add_context_category(
        "issfacts-test",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textasciicircum", "^"),
            MacroTextSpec("textless", "<"),
            MacroTextSpec("textgreater", ">"),
        ],
    )
    return LatexNodes2Text(latex_context=db, math_mode="verbatim")


DECODER = _latex_decoder()


def parse_bibtex(text: str) -> Library:
    library = parse_string(text, append_middleware=[LatexDecodingMiddleware(decoder=DECODER)])
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    return library


def field(entry: Entry, name: str) -> Any:
    """A field's value, None when the entry has no such field."""
    return entry.fields_dict[name].value if name in entry.fields_dict else None


def test_bibtex_parses_with_the_fields_of_each_source() -> None:
    library = parse_bibtex(everything("bibtex"))
    pairs = expected_pairs(all_events())
    assert [entry.key for entry in library.entries] == [f"{source}:{event}" for event, source, _ in pairs]
    sources = {source["id"]: source for source in bundled()["sources"]}
    for entry in library.entries:
        assert entry.entry_type == "article"
        assert entry.key.isascii() and not re.search(r"[\s,{}%#~\\\"]", entry.key)
        source = sources[entry.key.split(":")[0]]
        assert entry["title"] == source["title"]
        assert field(entry, "journal") == source["outlet"]
        assert field(entry, "author") == source["author"]
        assert entry["date"] == source["published"].replace("..", "")
        assert entry["entrysubtype"] == "newspaper"


@pytest.mark.parametrize(
    ("event", "date", "year", "month"),
    [
        ("2023-02-11-progress-ms-21-coolant-leak", "2023-02-11", "2023", "feb"),
        ("2021-07-29-nauka-docking", "2021-08-03/2021-08-05", "2021", "aug"),  # both ends in August
        ("2018-09-13-bridenstine-rogozin-joint-statement", "2018-09-13/2018-10-10", "2018", None),
        (TASS, "2022-07-15/", None, None),  # open: no year is certain
    ],
)
def test_bibtex_year_and_month_only_where_certain(event: str, date: str, year: str | None, month: str | None) -> None:
    [entry] = parse_bibtex(run(event, "--style", "bibtex")).entries
    assert (entry["date"], field(entry, "year"), field(entry, "month")) == (date, year, month)


def test_bibtex_keeps_the_title_case_as_printed() -> None:
    text = run(TASS, "--style", "bibtex")
    assert "title = {{Roscosmos and NASA Collaborate on ISS Missions Today}}," in text


def _round_trip(title: str, quote: str, author: str) -> tuple[str, str, str]:
    source = Source(id="s", title=title, author=author, outlet="Outlet")
    [entry] = parse_bibtex(cite.bibtex([cite.Citation("s:e", "e", source, (quote,))])).entries
    return entry["title"], entry["annotation"], entry["author"]


# Text as the data holds it: printable characters (control characters are written out as
# escapes before any style sees them), not blank at either end (the loader's text rule).
TEXT = st.text(st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=40).filter(
    lambda text: text.strip() == text and text != ""
)


@settings(max_examples=300, deadline=None)
@given(title=TEXT, quote=TEXT, author=TEXT)
def test_bibtex_escaping_round_trips_arbitrary_text(title: str, quote: str, author: str) -> None:
    assert _round_trip(title, quote, author) == (title, f"“{quote}”", author)


def balanced(text: str) -> bool:
    """BibTeX's own rule for a braced value: every brace counts, backslash or not."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@given(text=TEXT)
def test_bibtex_escaping_keeps_braces_balanced(text: str) -> None:
    assert balanced(cite.bibtex_escape(text))


def test_the_brace_check_sees_an_escaped_brace() -> None:
    assert not balanced("a \\{ b") and balanced("a \\textbraceleft{} b")


@pytest.mark.parametrize("special", ["{", "}", "%", "&", "$", "#", "_", "~", "^", "\\", "--", "``", "''", "<>", "{}}{"])
def test_bibtex_escapes_each_special_character(special: str) -> None:
    text = f"a {special} b"
    assert _round_trip(text, text, "Jane Writer") == (text, f"“{text}”", "Jane Writer")


# -- CSL-JSON ----------------------------------------------------------------------------------


def csl_validator() -> jsonschema.Draft7Validator:
    schema = json.loads(CSL_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_csl_json_is_valid_against_the_csl_data_schema() -> None:
    items = json.loads(everything("csl-json"))
    errors = [f"{list(error.path)}: {error.message}" for error in csl_validator().iter_errors(items)]
    assert not errors
    assert {item["type"] for item in items} == {"article-newspaper"}
    assert len({item["id"] for item in items}) == len(items) == len(expected_pairs(all_events()))


def test_the_schema_check_rejects_what_csl_does_not_allow() -> None:
    """The vendored schema is the strict one: no EDTF field, no bare string date (that
    branch left CSL in 1.0), no unknown variable."""
    validator = csl_validator()
    for bad in ({"edtf": "2022-07-15/.."}, "2022-07-15/..", {"date-parts": [[2021], [2022], [2023]]}):
        assert not validator.is_valid([{"id": "x", "type": "article-newspaper", "issued": bad}])
    assert not validator.is_valid([{"id": "x", "type": "article-newspaper", "quote": "q"}])


@pytest.mark.parametrize(
    ("event", "issued"),
    [
        ("2023-02-11-progress-ms-21-coolant-leak", {"date-parts": [[2023, 2, 11]]}),
        ("2021-07-29-nauka-docking", {"date-parts": [[2021, 8, 3], [2021, 8, 5]]}),  # a CSL range
        (TASS, {"raw": "2022-07-15/.."}),  # open: no bound invented
    ],
)
def test_csl_issued(event: str, issued: dict[str, Any]) -> None:
    [item] = json.loads(run(event, "--style", "csl-json"))
    assert item["issued"] == issued


@pytest.mark.parametrize(
    ("edtf", "issued"),
    [
        ("2028", {"date-parts": [[2028]]}),
        ("2023-03", {"date-parts": [[2023, 3]]}),
        ("2018-10~", {"date-parts": [[2018, 10]], "circa": True}),
        ("2021-07-29/2021-08~", {"date-parts": [[2021, 7, 29], [2021, 8]], "circa": True}),
        ("2018-10?", {"raw": "2018-10?"}),  # CSL has no word for uncertain: the EDTF says it
        ("2019%", {"raw": "2019%"}),
        ("../2028", {"raw": "../2028"}),
    ],
)
def test_csl_date_forms(edtf: str, issued: dict[str, Any]) -> None:
    assert cite.csl_date(EdtfDate.parse(edtf)) == issued
    item = {"id": "x", "type": "article-newspaper", "issued": issued}
    assert csl_validator().is_valid([item])


def test_csl_authors_are_literal_as_printed() -> None:
    [item] = json.loads(run("2025-07-iss-extension-agreement", "--style", "csl-json"))
    assert item["author"] == [{"literal": "Joseph P Chacko"}]
    assert item["container-title"] == "Frontier India"


# -- RIS -----------------------------------------------------------------------------------------


def test_ris_parses_with_the_fields_of_each_source() -> None:
    entries = rispy.loads(everything("ris"))
    sources = {source["id"]: source for source in bundled()["sources"]}
    assert [entry["id"] for entry in entries] == [f"{s}:{e}" for e, s, _ in expected_pairs(all_events())]
    for entry in entries:
        source = sources[entry["id"].split(":")[0]]
        assert entry["type_of_reference"] == "NEWS"
        assert entry["title"] == source["title"]
        assert entry.get("secondary_title") == source["outlet"]
        assert entry.get("authors") == ([source["author"]] if source["author"] else None)


@pytest.mark.parametrize(
    ("event", "year", "date"),
    [
        ("2023-02-11-progress-ms-21-coolant-leak", "2023", "2023/02/11/"),
        ("2021-07-29-nauka-docking", "2021", "2021/08//3-5 Aug 2021"),
        ("2018-09-13-bridenstine-rogozin-joint-statement", "2018", "2018///13 Sep - 10 Oct 2018"),
        (TASS, None, "///after 15 Jul 2022"),
    ],
)
def test_ris_dates(event: str, year: str | None, date: str) -> None:
    [entry] = rispy.loads(run(event, "--style", "ris"))
    assert entry.get("year") == year
    assert entry["date"] == date


# -- url and accessed ----------------------------------------------------------------------------


SMALL_EVENT = "2018-06-06-soyuz-ms-09-launch"  # cites example-article, which has url and accessed
URL = "https://example.com/articles/station"


def test_url_and_accessed_in_every_style() -> None:
    def style(name: str) -> str:
        return run(SMALL_EVENT, "--style", name, data=SMALL)

    assert style("text") == (
        f"Example Outlet, Jane Writer, “An example article about the station”, {URL}, published Aug 2021"
        " (accessed 1 Sep 2021): “It launched on June 6.”\n"
    )
    assert f"“[An example article about the station](<{URL}>)”" in style("markdown")
    [entry] = parse_bibtex(style("bibtex")).entries
    assert (entry["url"], entry["urldate"]) == (URL, "2021-09-01")
    [item] = json.loads(style("csl-json"))
    assert (item["URL"], item["accessed"]) == (URL, {"date-parts": [[2021, 9, 1]]})
    assert csl_validator().is_valid([item])
    [record] = rispy.loads(style("ris"))
    assert (record["urls"], record["access_date"]) == ([URL], "2021/09/01")


def test_a_url_is_written_as_it_is(tmp_path: Path) -> None:
    """biblatex reads `url` verbatim: `%`, `#` and `_` stay unescaped, as in CSL and RIS."""
    url = "https://example.com/a_b%20c?d=1&e=2#f~g"
    data = tmp_path / "url.yaml"
    data.write_text(SMALL.read_text(encoding="utf-8").replace(URL, url), encoding="utf-8")
    bib = run(SMALL_EVENT, "--style", "bibtex", data=data)
    [entry] = parse_string(bib).entries  # no LaTeX decoding: `%` would start a comment there
    assert entry["url"] == url
    assert json.loads(run(SMALL_EVENT, "--style", "csl-json", data=data))[0]["URL"] == url
    assert rispy.loads(run(SMALL_EVENT, "--style", "ris", data=data))[0]["urls"] == [url]


@pytest.mark.parametrize("style", STYLES)
def test_a_source_with_only_a_title(style: str) -> None:
    """No outlet, author, date or url (small.yaml's second article): only the title and the quote."""
    output = run("2028-planned-observatory", "--style", style, data=SMALL)
    assert "A second article" in output and "by the close of 2028" in output
    for field_name in ("published", "date", "year", "issued", "author", "journal", "container-title", "PY  -", "DA  -"):
        assert field_name not in output.replace("“", "").replace("by the close of 2028", ""), field_name


@pytest.mark.parametrize("style", STYLES)
def test_no_url_or_access_date_is_invented(style: str) -> None:
    output = everything(style)
    assert "http" not in output and "accessed" not in output.replace("accessed_", "")
    assert "urldate" not in output and "Y2  -" not in output


def test_the_bundled_sources_carry_no_url() -> None:
    """The articles' texts print no address: none is guessed (see the brief in README)."""
    assert not any("url" in source or "accessed" in source for source in bundled()["sources"])


# -- hostile text ---------------------------------------------------------------------------------


def hostile_dataset(tmp_path: Path) -> Path:
    text = SMALL.read_text(encoding="utf-8").replace(
        'title: "An example article about the station"', 'title: "An \\e[31mexample\\u009b article [bold]x[/]"'
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("style", STYLES)
def test_control_characters_never_reach_the_terminal(style: str, tmp_path: Path) -> None:
    output = run(SMALL_EVENT, "--style", style, data=hostile_dataset(tmp_path))
    assert not RAW_CONTROL.search(output)
    # literal text, never markup: in markdown's link text the brackets are escaped to stay text
    assert ("\\[bold\\]x\\[/\\]" if style == "markdown" else "[bold]x[/]") in output


def readme_examples() -> list[tuple[str, str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### `issfacts cite`") : text.index("## In a terminal")]
    return re.findall(r"```console\n\$ issfacts (.*?)\n(.*?)```", section, re.S)


def test_the_readme_shows_real_output_of_every_style() -> None:
    examples = readme_examples()
    assert {("--style " + args.split("--style ")[1]) if "--style" in args else "text" for args, _ in examples} == {
        "text",
        *(f"--style {style}" for style in STYLES[1:]),
    }
    for args, printed in examples:
        assert ok(*shlex.split(args)).stdout == printed, args


# -- units -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edtf", "fixed"),
    [
        ("2023-02-11", PartialDate(2023, 2, 11)),
        ("2021-08-03/2021-08-05", PartialDate(2021, 8)),
        ("2021-08/2021-08-05", PartialDate(2021, 8)),
        ("2018-09-13/2018-10-10", PartialDate(2018)),
        ("2021/2022", None),
        ("2022-07-15/..", None),
        ("../2028", None),
        ("2018-10~", None),
    ],
)
def test_certain_parts_of_a_date(edtf: str, fixed: PartialDate | None) -> None:
    assert cite.certain(EdtfDate.parse(edtf)) == fixed
