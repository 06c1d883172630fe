"""Shell completion from the active dataset: what TAB offers after `--spacecraft`,
`--person`, `--agency`, `--fields`, `show`, `spacecraft`, `people` and `cite`.

A shell asks through typer's completion protocol (`_ISSFACTS_COMPLETE=complete_bash|
complete_zsh|complete_fish` and the words typed so far); only then does cli.run import
this module and `attach` these completers to the parameters of the command it built.
They are attached as click completers, not as typer `autocompletion=` callbacks: typer
keeps only candidates that begin with the typed text, case and all, which would drop
`Soyuz MS-22` for `soy`, every substring match, and bash's quoted values; and a run
that is not completing pays for none of this. The dataset comes from the compiled cache,
as any warm query reads it (never the YAML on a warm run), of the file `--data` or
ISSFACTS_DATA names, else the bundled one. Completion never fails: a file that cannot
be read completes nothing.

Candidates are (value, help): names first, then aliases, then ids, each once, those that
begin with what was typed (any case), else those that contain it (`MS-22` offers Soyuz
MS-22 and Progress MS-22). bash inserts a candidate as it is, so one with a space or a
quote is quoted for it; zsh and fish quote for themselves.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from issfacts.model import Named
    from issfacts.store import Store

Candidate = tuple[str, str]  # value, and the line of help zsh and fish show beside it
SECTIONS = {"spacecraft": "spacecraft", "person": "people", "agency": "agencies"}


def _store(ctx: Any) -> Store:
    from issfacts.datafile import default_path
    from issfacts.store import open_store

    data = ctx.find_root().params.get("data")
    path = Path(data) if data else default_path(os.environ)
    return open_store(path, use_cache=True, environ=os.environ)


def _safely(make: Any) -> list[Candidate]:
    try:
        return list(make())
    except Exception:  # noqa: BLE001 - a TAB must never print an error or a traceback into the prompt
        return []


def matching(candidates: Iterable[Candidate], incomplete: str) -> list[Candidate]:
    """Those that begin with `incomplete` (any case), else those that contain it; each value once."""
    unique = dict(candidates)
    typed = incomplete.casefold()
    begin = [(value, text) for value, text in unique.items() if value.casefold().startswith(typed)]
    if begin or not typed:
        return begin
    return [(value, text) for value, text in unique.items() if typed in value.casefold()]


def for_shell(candidates: list[Candidate], environ: Mapping[str, str] = os.environ) -> list[Candidate]:
    if environ.get("_ISSFACTS_COMPLETE") != "complete_bash":
        return candidates
    return [(value if shlex.quote(value) == value else shlex.quote(value), text) for value, text in candidates]


def _named(records: Mapping[str, Named], what: str) -> Iterable[Candidate]:
    from issfacts.render import cell

    items = list(records.values())
    for item in items:
        yield cell(item.name), what
    for item in items:
        for alias in item.aliases:
            yield cell(alias), f"{what}: {cell(item.name)}"
    for item in items:
        yield cell(item.id), f"{what}: {cell(item.name)}"


def names(ctx: Any, incomplete: str, what: str) -> list[Candidate]:
    """Names, aliases and ids of the catalog's `what` (spacecraft, person, agency)."""

    def make() -> list[Candidate]:
        records = getattr(_store(ctx).catalog, SECTIONS[what])
        return matching(_named(records, what), incomplete)

    return for_shell(_safely(make))


def event_ids(ctx: Any, incomplete: str) -> list[Candidate]:
    """Event ids, each with its date and title; any part of an id selects it (`show coolant`)."""
    from issfacts.query import Query
    from issfacts.render import cell

    def make() -> list[Candidate]:
        rows = _store(ctx).select(Query())
        return matching(((row.id, f"{row.record['date']} {cell(row.title)}") for row in rows), incomplete)

    return for_shell(_safely(make))


def fields(ctx: Any, incomplete: str) -> list[Candidate]:
    """The fields of the command's records, after the ones already typed and a comma:
    `--fields id,da<TAB>` offers `id,date`. With a NAME, spacecraft and people list events."""
    from issfacts import fields as known

    kind = {"spacecraft": "spacecraft", "people": "person", "sources": "source"}.get(ctx.info_name or "", "event")
    # With a NAME (`spacecraft 55S --fields ...`) the events are listed. While an option
    # waits for its value click may leave the NAME among ctx.args, unparsed.
    if ctx.params.get("name") or any(not arg.startswith("-") for arg in ctx.args):
        kind = "event"
    done = incomplete.rpartition(",")[0]
    prefix = f"{done}," if done else ""
    chosen = set(done.split(",")) if done else set()
    helps = {field.name: field.help for field in known.KINDS[kind].fields}
    kind_fields = known.KINDS[kind]
    for parent, subs in kind_fields.nested.items():
        helps.update({f"{parent}.{sub.name}": sub.help for sub in subs})
    offered = [(f"{prefix}{name}", helps[name]) for name in kind_fields.names() if name not in chosen]
    return for_shell([(value, text) for value, text in offered if value.casefold().startswith(incomplete.casefold())])


# The parameter each completer serves, by its name in the command functions (cli.py).
COMPLETERS: dict[str, Any] = {
    "spacecraft": lambda ctx, incomplete: names(ctx, incomplete, "spacecraft"),
    "person": lambda ctx, incomplete: names(ctx, incomplete, "person"),
    "agency": lambda ctx, incomplete: names(ctx, incomplete, "agency"),
    "fields": fields,
    "event_id": event_ids,
    "event_ids": event_ids,
    "schema_name": lambda ctx, incomplete: matching(_schemas(), incomplete),
}


def _schemas() -> list[Candidate]:
    from issfacts import json_schema

    return json_schema.names()


NAME_ARGUMENTS = {"spacecraft": "spacecraft", "people": "person"}  # `spacecraft NAME`, `people NAME`


def attach(command: Any) -> None:
    """Give every parameter of `command` (a click group) and its commands that names
    data its completer."""
    from typer._click.shell_completion import CompletionItem

    def completer(complete: Any) -> Any:
        def shell_complete(ctx: Any, param: Any, incomplete: str) -> list[CompletionItem]:
            return [CompletionItem(value, help=text) for value, text in complete(ctx, incomplete)]

        return shell_complete

    for name, sub in getattr(command, "commands", {}).items():
        for param in sub.params:
            key = NAME_ARGUMENTS.get(name, "") if param.name == "name" else param.name
            if key in COMPLETERS:
                param._custom_shell_complete = completer(COMPLETERS[key])
