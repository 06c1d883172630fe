"""Citations for events, in five styles: event records and their sources in, text out.

One citation per (event, source) pair, carrying every quote the event takes from that
source: a reference manager holds one item per article it is given, and the quotes are
the evidence for that one event, so three quotes of one article make one entry with
three quotes, never three entries for the same article under three keys. The same
article cited for two events is two citations (two keys): each carries its own quotes.

What the data does not say is left out, never filled in: a source without an author
has no author field, a date known only to lie in an interval keeps its interval, and an
open end stays open (CSL gets the EDTF string in `raw`, BibTeX an open biblatex range,
RIS no year). Nothing here invents a URL or an access date either: they come only from
the source's `url` and `accessed`.

The styles, and why each is written as it is (README, `issfacts cite`):
- text: a sentence to paste: outlet, author, title, date, then the quotes.
- markdown: the same, the outlet in italics and the title linked when there is a url,
  each quote a blockquote line.
- bibtex: `@article` with `entrysubtype = {newspaper}` (biblatex's mark for a news
  article; plain BibTeX ignores it), `journal` (the name both BibTeX and biblatex read),
  `date` as a biblatex EDTF date or range, and `year`/`month` only where they are
  certain; the quotes in `annotation`, which annotated bibliographies print and others
  do not, since they are evidence rather than part of the reference.
- csl-json: CSL 1.0.2 items (schemas/csl-data.json, what Zotero and pandoc import).
- ris: `TY  - NEWS`, one N1 note per quote, PY and DA per the RIS specification.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from issfacts.model import EdtfDate, PartialDate, Source
from issfacts.render import human_date, printable

if TYPE_CHECKING:
    from issfacts.records import EventRecord

CSL_TYPE = "article-newspaper"  # every source is a news report (RIS NEWS, biblatex newspaper)


class Citation(NamedTuple):
    key: str  # `source-id:event-id`: stable, unique, ASCII (ids are slugs, which have no colon)
    event: str  # the event's id
    source: Source
    quotes: tuple[str, ...]  # verbatim, in the order the event cites them


def citations(events: Sequence[EventRecord], sources: Mapping[str, Source]) -> list[Citation]:
    """The citations of `events`, in their order, each (event, source) pair once: an event
    named twice is cited once, and so is a quote the event repeats."""
    quotes: dict[tuple[str, str], list[str]] = {}
    for record in events:
        for cite in record["sources"]:
            pair = quotes.setdefault((record["id"], cite["source"]), [])
            if cite["quote"] not in pair:
                pair.append(cite["quote"])
    return [
        Citation(f"{source}:{event}", event, sources[source], tuple(said)) for (event, source), said in quotes.items()
    ]


# -- dates ------------------------------------------------------------------------------


def certain(date: EdtfDate) -> PartialDate | None:
    """The year, month and day a date fixes beyond doubt: what both ends of an interval
    share; None when an end is open, the date is qualified, or the ends differ in year."""
    start, end = date.start, date.end
    if start is None or end is None or date.start_qualifier or date.end_qualifier or start.year != end.year:
        return None
    month = start.month if start.month is not None and start.month == end.month else None
    day = start.day if month is not None and start.day is not None and start.day == end.day else None
    return PartialDate(start.year, month, day)


def _parts(date: PartialDate) -> list[int]:
    return [part for part in date if part is not None]


def csl_date(date: EdtfDate) -> dict[str, Any]:
    """A CSL date: date-parts for a date or a closed interval (a CSL range), with `circa`
    when approximate; the EDTF string in `raw` when date-parts cannot say it without a
    guess: an open end (CSL has no open range), or an uncertain date (no CSL flag)."""
    if date.start is None or date.end is None or date.uncertain:
        return {"raw": str(date)}
    parts = [_parts(date.start), _parts(date.end)] if date.interval else [_parts(date.start)]
    return {"date-parts": parts, "circa": True} if date.approximate else {"date-parts": parts}


def _biblatex_date(date: EdtfDate) -> str:
    """biblatex's EDTF: as written, but an open end is empty (`2022-07-15/`), the form the
    biblatex manual gives for open-ended ranges."""
    return str(date).replace("..", "")


def _ris_date(date: EdtfDate) -> str:
    """RIS `DA`: `YYYY/MM/DD/other`, each part only where it is certain; the readable date in
    `other` whenever the date is not one plain day."""
    fixed = certain(date)
    if fixed is None:
        parts = ["", "", ""]
    else:
        parts = [f"{fixed.year:04d}", *("" if part is None else f"{part:02d}" for part in (fixed.month, fixed.day))]
    exact = fixed is not None and not date.interval  # a plain date: the parts say it all
    return "/".join(parts) + "/" + ("" if exact else human_date(str(date)))


# -- the styles -------------------------------------------------------------------------


def _label(citation: Citation, *, outlet: Callable[[str], str], title: Callable[[str, str | None], str]) -> str:
    """`Outlet, Author, "Title", published DATE (accessed DAY)`, leaving out what is unknown."""
    source = citation.source
    parts = [outlet(printable(source.outlet)) if source.outlet else None, source.author and printable(source.author)]
    parts.append(title(printable(source.title), source.url))
    if source.published is not None:
        parts.append(f"published {human_date(str(source.published))}")
    text = ", ".join(part for part in parts if part)
    return text + (f" (accessed {human_date(str(source.accessed))})" if source.accessed is not None else "")


def _quoted(quotes: Sequence[str]) -> str:
    return " ".join(f"“{printable(quote)}”" for quote in quotes)


def text(items: Sequence[Citation]) -> str:
    """One line per citation, to paste into a draft."""

    def title(name: str, url: str | None) -> str:
        return f"“{name}”" + (f", {url}" if url else "")

    lines = [f"{_label(c, outlet=str, title=title)}: {_quoted(c.quotes)}" for c in items]
    return "".join(line + "\n" for line in lines)


_MARKDOWN_LINK_TEXT = re.compile(r"[\\\[\]]")  # what would end a link's text early


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match[0]


def markdown(items: Sequence[Citation]) -> str:
    """A list item per citation, each quote a blockquote line under it."""

    def title(name: str, url: str | None) -> str:
        return f"“[{_MARKDOWN_LINK_TEXT.sub(_backslashed, name)}](<{url}>)”" if url else f"“{name}”"

    out = []
    for c in items:
        out.append(f"- {_label(c, outlet=lambda name: f'*{name}*', title=title)}")
        out.append("\n  >\n".join(f"  > {printable(quote)}" for quote in c.quotes))
    return "".join(line + "\n" for line in out)


# The ten characters BibTeX or LaTeX would read as syntax, and the pairs TeX joins into
# other characters (`--` a dash, ``` `` ``` and `''` curly quotes): each written so that
# LaTeX prints the character itself. Braces become commands, not `\{`: BibTeX counts
# every brace, escaped or not, so a lone `\{` would unbalance the field.
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "`": r"\textasciigrave{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_BIBTEX_ESCAPE = re.compile(r"[\\{}%&$#_~^`<>]|-(?=-)|'(?=')")


def bibtex_escape(value: str) -> str:
    """`value` as BibTeX field text that LaTeX prints as `value` (control characters
    written out, as everywhere: `\\x1b`)."""
    return _BIBTEX_ESCAPE.sub(lambda m: _BIBTEX_SPECIAL.get(m[0], m[0] + "{}"), printable(value))


_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex(items: Sequence[Citation]) -> str:
    """One `@article` per citation; see the module's docstring for the fields."""
    entries = []
    for c in items:
        source = c.source
        fields: list[tuple[str, str]] = []
        if source.author:
            fields.append(("author", f"{{{bibtex_escape(source.author)}}}"))
        # Braced twice: styles that change a title's case (plain BibTeX's lower-cases all
        # but the first letter: `Roscosmos and nasa`) leave it as the outlet printed it.
        fields.append(("title", f"{{{{{bibtex_escape(source.title)}}}}}"))
        if source.outlet:
            fields.append(("journal", f"{{{bibtex_escape(source.outlet)}}}"))
        fields.append(("entrysubtype", "{newspaper}"))
        if source.published is not None:
            fields.append(("date", f"{{{_biblatex_date(source.published)}}}"))
            fixed = certain(source.published)
            if fixed is not None:
                fields.append(("year", f"{{{fixed.year:04d}}}"))
                if fixed.month is not None:
                    fields.append(("month", _MONTH_MACROS[fixed.month - 1]))
        if source.url:  # as it is: biblatex reads url verbatim (the loader let no brace or space in)
            fields.append(("url", f"{{{source.url}}}"))
        if source.accessed is not None:
            fields.append(("urldate", f"{{{source.accessed}}}"))
        fields.append(("annotation", f"{{{bibtex_escape(_quoted(c.quotes))}}}"))
        body = "".join(f"  {name} = {value},\n" for name, value in fields)
        entries.append(f"@article{{{c.key},\n{body}}}\n")
    return "\n".join(entries)


def csl_items(items: Sequence[Citation]) -> list[dict[str, Any]]:
    """The citations as CSL-JSON items (valid against schemas/csl-data.json)."""
    out = []
    for c in items:
        source = c.source
        item: dict[str, Any] = {"id": c.key, "citation-key": c.key, "type": CSL_TYPE, "title": source.title}
        if source.outlet:
            item["container-title"] = source.outlet
        if source.author:
            # As the byline prints it: splitting given from family names is a guess the
            # data cannot check (`Joseph P Chacko`); a literal name is never wrong.
            item["author"] = [{"literal": source.author}]
        if source.published is not None:
            item["issued"] = csl_date(source.published)
        if source.url:
            item["URL"] = source.url
        if source.accessed is not None:
            item["accessed"] = {"date-parts": [_parts(source.accessed)]}
        item["annote"] = " ".join(f"“{quote}”" for quote in c.quotes)
        out.append(item)
    return out


def csl_json(items: Sequence[Citation]) -> str:
    from issfacts.records import json_document

    return json_document(csl_items(items))


def ris(items: Sequence[Citation]) -> str:
    """One RIS record per citation: `TAG  - value` lines, `ER  - ` at the end."""
    records = []
    for c in items:
        source = c.source
        tags: list[tuple[str, str]] = [("TY", "NEWS"), ("ID", c.key)]
        if source.author:
            tags.append(("AU", source.author))
        tags.append(("TI", source.title))
        if source.outlet:
            tags.append(("T2", source.outlet))
        if source.published is not None:
            fixed = certain(source.published)
            if fixed is not None:
                tags.append(("PY", f"{fixed.year:04d}"))
            tags.append(("DA", _ris_date(source.published)))
        if source.url:
            tags.append(("UR", source.url))
        if source.accessed is not None:
            tags.append(("Y2", str(source.accessed).replace("-", "/")))
        tags.extend(("N1", quote) for quote in c.quotes)
        records.append("".join(f"{tag}  - {printable(value)}\n" for tag, value in tags) + "ER  - \n")
    return "\n".join(records)


class Style(NamedTuple):
    render: Callable[[Sequence[Citation]], str]
    json: bool = False  # for streams.write_data: escaped, not recoded, on a stdout that is not UTF-8


STYLES: dict[str, Style] = {
    "text": Style(text),
    "markdown": Style(markdown),
    "bibtex": Style(bibtex),
    "csl-json": Style(csl_json, json=True),
    "ris": Style(ris),
}
