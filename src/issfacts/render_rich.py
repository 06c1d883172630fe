"""Rich renderables for a terminal. The only module that imports rich (ruff TID251).

Every piece of data enters as `Text`, never as markup, so `[bold]` in a title prints as
written; control characters are escaped first by `render.printable`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from issfacts.render import EVENT_COLUMNS, Column, Record, cell, printable_multiline


def print_to_stdout(renderable: object) -> None:
    """Print for a terminal; rich honours NO_COLOR and the terminal's width."""
    console = Console(highlight=False, soft_wrap=False)
    console.print(renderable)
    console.file.flush()


def table(records: Sequence[Record], columns: Sequence[Column], title: str | None = None) -> Table:
    shown = [c for c in columns if c.brief]
    grid = Table(title=title, header_style="bold", title_justify="left", expand=False)
    for column in shown:
        grid.add_column(column.name.capitalize(), overflow="fold", no_wrap=column.name in ("date", "id"))
    for record in records:
        grid.add_row(*(Text(cell(c.value(record))) for c in shown))
    return grid


def _pairs(rows: Sequence[tuple[str, str]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        if value:
            grid.add_row(label, Text(value))
    return grid


def event_detail(record: Record) -> RenderableType:
    date = cell(record["date"]) + (" (planned)" if record["status"] == "planned" else "")
    parts: list[RenderableType] = [
        Text(cell(record["title"]), style="bold"),
        _pairs(
            [
                ("Date", date),
                ("Date note", cell(record["date_note"])),
                ("Kind", cell(record["kind"])),
                ("Spacecraft", cell("; ".join(record["spacecraft"]))),
                ("Agencies", cell("; ".join(record["agencies"]))),
                ("People", cell("; ".join(record["people"]))),
                ("Id", cell(record["id"])),
            ]
        ),
        Text(""),
        Text(printable_multiline(record["summary"])),
    ]
    if record["claims"]:
        parts += [Text(""), Text("Claims", style="bold underline")]
        for claim in record["claims"]:
            parts.append(Text.assemble("• ", cell(claim["claim"]), (f" — {cell(claim['by'])}", "italic")))
            parts.append(Text(f"  “{cell(claim['quote'])}” ({cell(claim['source'])})", style="dim"))
    parts += [Text(""), Text("Sources", style="bold underline")]
    for cite in record["sources"]:
        label = ", ".join(str(x) for x in (cite["outlet"], cite["author"], cite["published"]) if x)
        parts.append(Text.assemble("• ", (cell(cite["title"]), "bold"), f" ({cell(label)})" if label else ""))
        parts.append(Text(f"  “{cell(cite['quote'])}”", style="dim"))
    return Group(*parts)


def record_detail(record: Record, events: Sequence[Record]) -> RenderableType:
    rows = []
    for key, value in record.items():
        if key in ("name", "id") or value in (None, [], ""):
            continue
        shown = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
        rows.append((key.capitalize(), cell(shown)))
    rows.append(("Id", cell(record["id"])))
    heading = Text(cell(record["name"]), style="bold")
    return Group(heading, _pairs(rows), Text(""), table(events, EVENT_COLUMNS, title="Events"))
