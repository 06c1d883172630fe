"""`issfacts export`: the database and the JSON document hold the dataset exactly, the
tools they are for open them as they are, and a file is written whole or not at all.

The database is checked row by row against the JSON the other commands print, with the
standard library's sqlite3, then opened with sqlite-utils', Datasette's and DuckDB's own
Python APIs (the `test` extra installs them; see the README, `issfacts export`).
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import REPO, REPO_DATASET, SMALL, assert_failure, assert_usage_error, invoke, ok, ok_json

from issfacts import __version__, export

COOLANT = "2022-12-14-soyuz-ms-22-coolant-leak"


def generated(directory: Path, events: int = 150) -> Path:
    """A synthetic dataset from benchmarks/gen.py: hundreds of spacecraft and people, and
    claims by people, agencies and sources."""
    path = directory / f"generated-{events}.yaml"
    command = [sys.executable, str(REPO / "benchmarks" / "gen.py"), str(events), "-o", str(path), "--seed", "3"]
    subprocess.run(command, check=True, timeout=60)
    return path


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {"bundled": REPO_DATASET, "small": SMALL, "generated": generated(tmp_path_factory.mktemp("gen"))}


class Exported:
    """One dataset exported once, both ways, and what the other commands print for it."""

    def __init__(self, data: Path, directory: Path) -> None:
        self.data = data
        self.db = directory / "facts.db"
        self.metadata = directory / "facts.metadata.json"
        self.json = directory / "facts.json"
        ok("--data", str(data), "export", "--sqlite", str(self.db), "--json", str(self.json))

    def cli(self, *args: str) -> Any:
        return ok_json("--data", str(self.data), *args)

    def query(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db) as connection:
            return connection.execute(sql, params).fetchall()


@pytest.fixture(scope="module", params=["bundled", "small", "generated"])
def exported(
    request: pytest.FixtureRequest, datasets: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Exported:
    return Exported(datasets[request.param], tmp_path_factory.mktemp(request.param))


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    return Exported(REPO_DATASET, tmp_path_factory.mktemp("bundled"))


# -- the database holds the dataset exactly ---------------------------------------------------


def test_every_event_in_order_with_its_fields(exported: Exported) -> None:
    events = exported.cli("events")
    rows = exported.query(
        "SELECT id, date, earliest, latest, title, kind, status, summary, date_note FROM events ORDER BY position"
    )
    fields = ("id", "date", "earliest", "latest", "title", "kind", "status", "summary", "date_note")
    assert rows == [tuple(event[f] for f in fields) for event in events]
    assert exported.query("SELECT min(position), max(position), count(*) FROM events") == [
        (1, len(events), len(events))
    ]


def test_every_citation_with_its_quote_verbatim(exported: Exported) -> None:
    expected = [
        (event["id"], at, cite["source"], cite["quote"])
        for event in exported.cli("events")
        for at, cite in enumerate(event["sources"], 1)
    ]
    rows = exported.query(
        "SELECT c.event_id, c.position, c.source_id, c.quote FROM citations c "
        "JOIN events e ON e.id = c.event_id ORDER BY e.position, c.position"
    )
    assert rows == expected


def test_every_claim_attributed_as_the_json_attributes_it(exported: Exported) -> None:
    expected = [
        (event["id"], claim["claim"], claim["by"], claim["source"], claim["quote"])
        for event in exported.cli("events")
        for claim in event["claims"]
    ]
    rows = exported.query(
        "SELECT k.event_id, k.claim, k.by_name, k.source_id, k.quote FROM claims k "
        "JOIN events e ON e.id = k.event_id ORDER BY e.position, k.position"
    )
    assert rows == expected


def test_a_claim_names_its_maker_by_kind_and_id(exported: Exported) -> None:
    rows = exported.query(
        "SELECT by_kind, by_id, coalesce(p.name, a.name, s.outlet, s.title), by_name FROM claims "
        "LEFT JOIN people p ON p.id = by_person_id LEFT JOIN agencies a ON a.id = by_agency_id "
        "LEFT JOIN sources s ON s.id = by_source_id"
    )
    for kind, ident, joined, name in rows:
        assert kind in ("person", "agency", "source")
        assert joined == name, (kind, ident)


def test_the_bundled_claims_are_made_by_people_agencies_and_articles(bundled: Exported) -> None:
    kinds = dict(bundled.query("SELECT by_kind, count(*) FROM claims GROUP BY by_kind"))
    assert set(kinds) == {"person", "agency", "source"}
    rogozin = bundled.query("SELECT by_person_id FROM claims WHERE by_name = 'Dmitry Rogozin'")
    assert rogozin and all(ident == "dmitry-rogozin" for (ident,) in rogozin)


def test_links_keep_the_events_order_of_names(exported: Exported) -> None:
    for link, ref, table, field in (
        ("event_spacecraft", "spacecraft_id", "spacecraft", "spacecraft"),
        ("event_agencies", "agency_id", "agencies", "agencies"),
        ("event_people", "person_id", "people", "people"),
    ):
        rows = exported.query(
            f"SELECT l.event_id, t.name FROM {link} l JOIN {table} t ON t.id = l.{ref} "
            "JOIN events e ON e.id = l.event_id ORDER BY e.position, l.position"
        )
        expected = [(event["id"], name) for event in exported.cli("events") for name in event[field]]
        assert rows == expected, link


def test_spacecraft_with_aliases_and_operators(exported: Exported) -> None:
    for craft in exported.cli("spacecraft"):
        ident = craft["id"]
        assert exported.query("SELECT name, type FROM spacecraft WHERE id = ?", ident) == [
            (craft["name"], craft["type"])
        ]
        aliases = exported.query(
            "SELECT alias FROM spacecraft_aliases WHERE spacecraft_id = ? ORDER BY position", ident
        )
        assert [a for (a,) in aliases] == craft["aliases"]
        operators = exported.query(
            "SELECT a.name FROM spacecraft_operators o JOIN agencies a ON a.id = o.agency_id "
            "WHERE o.spacecraft_id = ? ORDER BY o.position",
            ident,
        )
        assert [o for (o,) in operators] == craft["operators"]
        counted = exported.query("SELECT count(*) FROM event_spacecraft WHERE spacecraft_id = ?", ident)
        assert counted == [(craft["events"],)]


def test_people_with_aliases_and_agency(exported: Exported) -> None:
    for person in exported.cli("people"):
        ident = person["id"]
        rows = exported.query(
            "SELECT p.name, p.role, a.name FROM people p LEFT JOIN agencies a ON a.id = p.agency_id WHERE p.id = ?",
            ident,
        )
        assert rows == [(person["name"], person["role"], person["agency"])]
        aliases = exported.query("SELECT alias FROM person_aliases WHERE person_id = ? ORDER BY position", ident)
        assert [a for (a,) in aliases] == person["aliases"]


def test_sources_with_their_date_bounds(exported: Exported) -> None:
    fields = ("id", "title", "outlet", "author", "published", "published_earliest", "published_latest", "note")
    rows = exported.query(f"SELECT {', '.join(fields)} FROM sources ORDER BY rowid")
    assert rows == [tuple(source[f] for f in fields) for source in exported.cli("sources")]


def test_sources_keep_where_and_when_they_were_read(tmp_path: Path) -> None:
    exported = Exported(SMALL, tmp_path)  # its first source has both, as written in the file
    rows = exported.query("SELECT id, url, accessed FROM sources ORDER BY rowid")
    read = ("https://example.com/articles/station", "2021-09-01")
    assert rows == [("example-article", *read), ("second-article", None, None)]
    document = json.loads(exported.json.read_text(encoding="utf-8"))
    assert [(s["url"], s["accessed"]) for s in document["sources"]] == [read, (None, None)]


def test_year_is_the_year_stats_files_an_event_under(exported: Exported) -> None:
    counts = {row["value"]: row["count"] for row in exported.cli("stats", "--by", "year")}
    rows = exported.query("SELECT year, count(*) FROM events GROUP BY year")
    assert {str(year): n for year, n in rows} == counts


def test_foreign_keys_are_declared_and_hold(exported: Exported) -> None:
    assert exported.query("PRAGMA foreign_key_check") == []
    assert exported.query("PRAGMA integrity_check") == [("ok",)]
    declared = {(table, target) for table in ("citations", "claims") for (_, _, target, *_rest) in
                exported.query(f"PRAGMA foreign_key_list({table})")}  # fmt: skip
    assert declared == {("citations", "events"), ("citations", "sources"), ("claims", "events"),
                        ("claims", "sources"), ("claims", "people"), ("claims", "agencies")}  # fmt: skip
    for link, target in (("event_spacecraft", "spacecraft"), ("event_people", "people"), ("people", "agencies")):
        assert target in {row[2] for row in exported.query(f"PRAGMA foreign_key_list({link})")}


def test_foreign_key_check_sees_a_broken_reference(bundled: Exported, tmp_path: Path) -> None:
    """The check above can fail: a citation of a source that is not there is found."""
    copy = tmp_path / "broken.db"
    copy.write_bytes(bundled.db.read_bytes())
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE citations SET source_id = 'no-such-source' WHERE id = 1")
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == [("citations", 1, "sources", 0)]


def test_every_table_has_a_primary_key_and_the_ids_are_it(bundled: Exported) -> None:
    for table in export.TABLES:
        keys = [row[1] for row in bundled.query(f"PRAGMA table_info({table.name})") if row[5]]
        assert keys, table.name
    for name in ("events", "sources", "agencies", "people", "spacecraft"):
        assert [row[1] for row in bundled.query(f"PRAGMA table_info({name})") if row[5]] == ["id"]


def test_not_null_where_the_model_guarantees_a_value(bundled: Exported) -> None:
    required = {row[1] for row in bundled.query("PRAGMA table_info(events)") if row[3]}
    assert {"date", "title", "kind", "status", "summary", "year"} <= required
    assert {"earliest", "latest", "date_note"}.isdisjoint(required)  # open ends, no note: null


def test_the_date_bounds_are_indexed(bundled: Exported) -> None:
    def indexed(table: str) -> set[str]:
        names = [row[1] for row in bundled.query(f"PRAGMA index_list({table})")]
        return {column for name in names for (_, _, column) in bundled.query(f"PRAGMA index_info({name})")}

    assert {"earliest", "latest"} <= indexed("events")
    assert {"published_earliest", "published_latest"} <= indexed("sources")
    plan = " ".join(
        str(row) for row in bundled.query("EXPLAIN QUERY PLAN SELECT id FROM events WHERE latest >= ?", "2021")
    )
    assert "events_latest" in plan


def test_open_ends_are_null(bundled: Exported) -> None:
    assert bundled.query("SELECT earliest, latest FROM events WHERE date = '../2025'")[0] == (None, "2025-12-31")
    rows = bundled.query("SELECT published_latest FROM sources WHERE published LIKE '%/..'")
    assert rows and all(latest is None for (latest,) in rows)


def test_the_views_join_as_show_and_spacecraft_print(bundled: Exported) -> None:
    event = bundled.cli("show", COOLANT)
    cited = bundled.query(
        "SELECT outlet, author, quote FROM event_citations WHERE event_id = ? ORDER BY position", COOLANT
    )
    assert cited == [(c["outlet"], c["author"], c["quote"]) for c in event["sources"]]
    timeline = bundled.query(
        "SELECT spacecraft, agencies, people, citations, claims FROM event_timeline WHERE id = ?", COOLANT
    )
    assert timeline == [
        (
            "; ".join(event["spacecraft"]) or None,
            "; ".join(event["agencies"]) or None,
            "; ".join(event["people"]) or None,
            len(event["sources"]),
            len(event["claims"]),
        )
    ]
    craft = ok_json("spacecraft", "Soyuz MS-22")
    rows = bundled.query("SELECT event_id FROM spacecraft_events WHERE spacecraft_id = ?", craft["id"])
    assert [r for (r,) in rows] == [e["id"] for e in craft["events"]]
    assert bundled.query("SELECT record, id FROM names WHERE spelling = '55S'") == [("spacecraft", "soyuz-ms-09")]
    claims = bundled.query("SELECT count(*) FROM event_claims")[0][0]
    assert claims == sum(len(e["claims"]) for e in bundled.cli("events"))


def test_every_view_answers(exported: Exported) -> None:
    for view in export.VIEWS:
        exported.query(f"SELECT * FROM {view.name}")  # no error, whatever the data


def test_the_database_says_what_wrote_it(bundled: Exported) -> None:
    assert dict(bundled.query("SELECT name, value FROM export_info")) == {
        "generator": f"issfacts {__version__}",
        "format": str(export.FORMAT_VERSION),
    }
    assert bundled.query("PRAGMA user_version") == [(export.FORMAT_VERSION,)]


def test_full_text_search_finds_the_words_events_search_finds(bundled: Exported) -> None:
    sql = "SELECT e.id FROM events_fts JOIN events e ON e.rowid = events_fts.rowid WHERE events_fts MATCH ?"
    for word in ("coolant", "Rogozin", "micrometeorite"):
        found = {ident for (ident,) in bundled.query(sql, word)}
        assert found == {e["id"] for e in bundled.cli("events", "--search", word)}, word
    # Quotes and claims are searched too, as --search searches them.
    drill = bundled.query(sql, "claims_text : drill")  # Rogozin's claim of a drill hole
    assert [ident for (ident,) in drill] == ["2018-08-29-soyuz-ms-09-leak"]
    assert bundled.query(sql, "quotes_text : coolant")


# -- the tools open it as it is -----------------------------------------------------------------


def test_sqlite_utils_counts_the_tables_and_searches_events(bundled: Exported) -> None:
    from sqlite_utils import Database

    db = Database(bundled.db)
    events = bundled.cli("events")
    assert db.table("events").count == len(events)
    assert db.table("citations").count == sum(len(e["sources"]) for e in events)
    assert db.table("events").detect_fts() == "events_fts"
    found = [row["id"] for row in db.table("events").search("coolant")]
    assert sorted(found) == sorted(e["id"] for e in bundled.cli("events", "--search", "coolant"))
    assert {view.name for view in export.VIEWS} <= set(db.view_names())
    assert {fk.other_table for fk in db.table("citations").foreign_keys} == {"events", "sources"}


def datasette_get(db: Path, metadata: dict[str, Any], *paths: str) -> list[Any]:
    """GET each path from a Datasette serving `db` with `metadata`, through its own
    internal client (no server, no network)."""
    from datasette.app import Datasette

    async def fetch() -> list[Any]:
        datasette = Datasette(files=[str(db)], metadata=metadata)
        await datasette.invoke_startup()
        answers = []
        for path in paths:
            response = await datasette.client.get(path)
            assert response.status_code == 200, (path, response.text[:500])
            answers.append(response.json() if ".json" in path else response.text)
        return answers

    return asyncio.run(fetch())


def test_datasette_facets_and_searches_with_the_metadata(bundled: Exported) -> None:
    metadata = json.loads(bundled.metadata.read_text(encoding="utf-8"))
    searched, faceted, served, page = datasette_get(
        bundled.db,
        metadata,
        "/facts/events.json?_search=coolant&_shape=objects",
        "/facts/events.json?_facet=kind&_size=0",
        "/-/metadata.json",
        "/facts/events",
    )
    assert sorted(row["id"] for row in searched["rows"]) == sorted(
        e["id"] for e in bundled.cli("events", "--search", "coolant")
    )
    facet = {row["value"]: row["count"] for row in faceted["facet_results"]["kind"]["results"]}
    assert facet == {row["value"]: row["count"] for row in bundled.cli("stats", "--by", "kind")}
    assert served["title"] == metadata["title"]
    assert served["databases"]["facts"]["tables"]["events"]["facets"] == ["kind", "status", "year"]
    assert 'name="_search"' in page  # the search box: Datasette found the FTS index


def test_datasette_opens_it_without_the_metadata(bundled: Exported) -> None:
    (searched,) = datasette_get(bundled.db, {}, "/facts/events.json?_search=micrometeorite&_shape=objects")
    assert {row["id"] for row in searched["rows"]} == {
        e["id"] for e in bundled.cli("events", "--search", "micrometeorite")
    }


def test_duckdb_reads_the_tables_and_views(bundled: Exported) -> None:
    duckdb = pytest.importorskip("duckdb", reason="duckdb is in the test extra")
    duckdb_ext = pytest.importorskip(
        "duckdb_ext", reason="duckdb-ext[sqlite] (DuckDB's sqlite extension) is in the test extra"
    )
    # The sqlite extension from the package, signed by DuckDB (unsigned ones are refused
    # by default), never downloaded.
    connection = duckdb_ext.init(duckdb.connect())
    connection.execute("LOAD sqlite")
    connection.execute(f"ATTACH '{bundled.db}' AS facts (TYPE sqlite, READ_ONLY)")
    by_kind = dict(connection.execute("SELECT kind, count(*) FROM facts.events GROUP BY kind").fetchall())
    assert by_kind == {row["value"]: row["count"] for row in bundled.cli("stats", "--by", "kind")}
    quotes = connection.execute(
        "SELECT quote FROM facts.event_citations WHERE event_id = ? ORDER BY position", [COOLANT]
    ).fetchall()
    assert [q for (q,) in quotes] == [c["quote"] for c in bundled.cli("show", COOLANT)["sources"]]
    span = connection.execute("SELECT max(CAST(latest AS DATE) - CAST(earliest AS DATE)) FROM facts.events").fetchone()
    assert span is not None and span[0] > 0


# -- Datasette's metadata ---------------------------------------------------------------------


def test_metadata_describes_every_table_view_and_column(bundled: Exported) -> None:
    metadata = json.loads(bundled.metadata.read_text(encoding="utf-8"))
    tables = metadata["databases"]["facts"]["tables"]
    shown = {
        name
        for (name,) in bundled.query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
        if not name.startswith("events_fts")
    }
    assert set(tables) == shown
    for table in export.TABLES:
        columns = {row[1] for row in bundled.query(f"PRAGMA table_info({table.name})")}
        assert set(tables[table.name]["columns"]) == columns
        assert all(tables[table.name]["columns"].values())
    assert all(entry["description"] for entry in tables.values())


def test_metadata_credits_every_article(bundled: Exported) -> None:
    metadata = json.loads(bundled.metadata.read_text(encoding="utf-8"))
    for source in bundled.cli("sources"):
        assert source["title"] in metadata["description"]
        assert source["title"].replace("'", "&#x27;") in metadata["description_html"]
        if source["outlet"]:
            assert source["outlet"] in metadata["source"]
        if source["author"]:
            assert source["author"] in metadata["description"]


def test_metadata_names_the_database_by_its_file(tmp_path: Path) -> None:
    ok("export", "--sqlite", str(tmp_path / "iss-2025.sqlite"))
    metadata = json.loads((tmp_path / "iss-2025.metadata.json").read_text(encoding="utf-8"))
    assert list(metadata["databases"]) == ["iss-2025"]


def test_metadata_goes_where_asked(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    result = ok("export", "--sqlite", str(tmp_path / "facts.db"), "--metadata", str(tmp_path / "site" / "m.json"))
    assert json.loads((tmp_path / "site" / "m.json").read_text(encoding="utf-8"))["databases"]["facts"]
    assert not (tmp_path / "facts.metadata.json").exists()
    assert f"datasette {tmp_path / 'facts.db'} -m {tmp_path / 'site' / 'm.json'}" in result.stderr


# -- the JSON document ----------------------------------------------------------------------


def test_the_json_document_holds_what_the_commands_print(exported: Exported) -> None:
    document = json.loads(exported.json.read_text(encoding="utf-8"))
    assert list(document) == ["generator", "version", "sources", "agencies", "people", "spacecraft", "events"]
    assert document["generator"] == f"issfacts {__version__}"
    assert document["version"] == export.FORMAT_VERSION
    assert document["events"] == exported.cli("events")
    assert [{k: v for k, v in s.items() if k not in ("url", "accessed")} for s in document["sources"]] == exported.cli(
        "sources"
    )
    assert document["people"] == exported.cli("people")
    assert document["spacecraft"] == exported.cli("spacecraft")


def test_the_json_document_lists_every_agency_with_its_events(bundled: Exported) -> None:
    document = json.loads(bundled.json.read_text(encoding="utf-8"))
    agencies = {a["id"]: a for a in document["agencies"]}
    assert set(agencies) == {ident for (ident,) in bundled.query("SELECT id FROM agencies")}
    nasa = agencies["nasa"]
    assert (nasa["name"], nasa["events"]) == ("NASA", len(bundled.cli("events", "--agency", "nasa")))
    assert set(nasa) == {"id", "name", "aliases", "country", "events"}


def test_json_to_stdout_is_the_same_document(bundled: Exported) -> None:
    result = ok("export", "--json", "-")
    assert result.stdout == bundled.json.read_text(encoding="utf-8")
    assert result.stderr == ""  # nothing written to a file, nothing to say


# -- writing safely ---------------------------------------------------------------------------


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def listing(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


def test_an_existing_file_is_kept_without_force(workdir: Path) -> None:
    (workdir / "facts.db").write_text("mine")
    assert_failure(invoke("export", "--sqlite", "facts.db"), "Error: facts.db exists; pass --force")
    assert (workdir / "facts.db").read_text() == "mine"
    assert listing(workdir) == ["facts.db"]  # nor its metadata written, nor a temporary file left


def test_an_existing_metadata_file_is_kept_without_force(workdir: Path) -> None:
    (workdir / "facts.metadata.json").write_text("mine")
    assert_failure(invoke("export", "--sqlite", "facts.db"), "facts.metadata.json exists")
    assert listing(workdir) == ["facts.metadata.json"]


def test_an_existing_json_file_is_kept_without_force(workdir: Path) -> None:
    (workdir / "facts.json").write_text("mine")
    assert_failure(invoke("export", "--sqlite", "facts.db", "--json", "facts.json"), "facts.json exists")
    assert listing(workdir) == ["facts.json"]  # the database is not written either


def test_force_replaces_the_files(workdir: Path) -> None:
    for name in ("facts.db", "facts.metadata.json", "facts.json"):
        (workdir / name).write_text("old")
    ok("export", "--sqlite", "facts.db", "--json", "facts.json", "--force")
    with sqlite3.connect(workdir / "facts.db") as connection:
        assert connection.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    assert json.loads((workdir / "facts.json").read_text())["events"]
    assert listing(workdir) == ["facts.db", "facts.json", "facts.metadata.json"]


def test_the_dataset_itself_is_never_overwritten(workdir: Path) -> None:
    data = workdir / "events.yaml"
    data.write_bytes(REPO_DATASET.read_bytes())
    for option in ("--json", "--sqlite"):
        result = invoke("--data", str(data), "export", option, str(data), "--force")
        assert_failure(result, "is the dataset itself; export never writes to it")
    assert data.read_bytes() == REPO_DATASET.read_bytes()


def test_anything_but_a_regular_file_is_never_replaced(workdir: Path) -> None:
    """Not a FIFO, not a symbolic link, even with --force (nor a device: replacing
    /dev/null with a regular file as root would break the machine)."""
    os.mkfifo(workdir / "pipe")
    (workdir / "real.json").write_text("mine")
    (workdir / "link.json").symlink_to("real.json")
    assert_failure(invoke("export", "--json", "pipe", "--force"), "pipe is a named pipe (FIFO), not a regular file")
    assert_failure(invoke("export", "--json", "link.json", "--force"), "link.json is a symbolic link")
    assert (workdir / "pipe").is_fifo() and (workdir / "link.json").is_symlink()
    assert (workdir / "real.json").read_text() == "mine"
    assert listing(workdir) == ["link.json", "pipe", "real.json"]


def test_a_device_is_refused_before_anything_is_written(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A character device as the target, with --force: refused, with the way to stdout.
    (The device is /dev/null; the refusal comes before a byte is written or a file is made.)"""
    monkeypatch.setattr(export, "write_files", lambda *a, **k: pytest.fail("export tried to write"))
    result = invoke("export", "--json", os.devnull, "--force")
    assert_failure(result, f"{os.devnull} is a character device, not a regular file", "--json -")
    assert Path(os.devnull).is_char_device()


def test_a_new_file_gets_the_mode_of_a_new_file(workdir: Path) -> None:
    previous = os.umask(0o022)
    try:
        ok("export", "--sqlite", "facts.db", "--json", "facts.json")
    finally:
        os.umask(previous)
    for name in listing(workdir):
        assert (workdir / name).stat().st_mode & 0o777 == 0o644, name


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), SystemExit(130)], ids=["KeyboardInterrupt", "SIGINT handler"])
@pytest.mark.parametrize("where", ["database", "metadata", "json"])
def test_an_interruption_midway_leaves_no_file(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, stop: BaseException, where: str
) -> None:
    """Ctrl-C while any of the files is being written: none of them appears, and no
    temporary file or SQLite journal is left behind."""
    target = {"database": "table_rows", "metadata": "metadata_json", "json": "dataset_json"}[where]

    def interrupted(*args: object) -> None:
        raise stop

    monkeypatch.setattr(export, target, interrupted)
    result = invoke("export", "--sqlite", "facts.db", "--json", "facts.json")
    assert result.exit_code == 130
    assert listing(workdir) == []


def test_ctrl_c_while_the_database_is_written_leaves_no_file(tmp_path: Path) -> None:
    """A real SIGINT, sent once the temporary database has appeared: exit 130, quietly,
    and nothing left in the directory."""
    import signal
    import time

    data = generated(tmp_path, 5000)
    out = tmp_path / "out"
    out.mkdir()
    environ = {name: value for name, value in os.environ.items() if name != "ISSFACTS_TRACEBACK"}
    command = [sys.executable, "-m", "issfacts", "--data", str(data), "export", "--sqlite", "facts.db"]
    process = subprocess.Popen(command, cwd=out, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(out.glob(".facts.db.*.tmp")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr.decode(errors="replace")
    assert (stdout, stderr) == (b"", b"")
    assert listing(out) == []


def test_a_full_disk_is_one_error_line_and_no_file(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's own "database or disk is full" (its page limit stands for the disk)."""
    statements = export.schema_statements
    monkeypatch.setattr(export, "schema_statements", lambda: ["PRAGMA max_page_count = 8", *statements()])
    result = invoke("export", "--sqlite", "facts.db")
    assert_failure(result, "Error: cannot write facts.db: database or disk is full")
    assert len(result.stderr.splitlines()) == 1
    assert listing(workdir) == []


def test_a_sqlite_error_that_is_not_the_disks_is_a_bug(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "schema_statements", lambda: ["CREATE TABLE broken ("])
    result = invoke("export", "--sqlite", "facts.db", env={"ISSFACTS_TRACEBACK": ""})
    assert_failure(result, "This is a bug in issfacts")
    assert listing(workdir) == []


def test_a_directory_that_does_not_exist(workdir: Path) -> None:
    result = invoke("export", "--json", "out/facts.json")
    assert_failure(result, "Error: cannot write out/facts.json: the directory out does not exist; create it first")
    assert listing(workdir) == []


def test_a_directory_given_as_the_path(workdir: Path) -> None:
    (workdir / "out").mkdir()
    assert_failure(invoke("export", "--sqlite", "out"), "Error: out is a directory; give the path of a file")


def test_no_permission_to_write_the_directory(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    result = invoke("export", "--json", "facts.json")
    assert_failure(result, "Error: cannot write facts.json: permission denied in .; give a path in a directory you can")


def test_the_report_names_each_file_and_how_to_browse_it(workdir: Path) -> None:
    result = ok("export", "--sqlite", "facts.db", "--json", "facts.json")
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("wrote facts.db: ") and " events, " in lines[0]
    assert "browse it with: datasette facts.db -m facts.metadata.json" in lines
    assert lines[-1].startswith("wrote facts.json: ")


def test_a_bad_dataset_writes_nothing(workdir: Path) -> None:
    bad = workdir / "bad.yaml"
    bad.write_text("events: [1]\n")
    assert_failure(invoke("--data", str(bad), "export", "--sqlite", "facts.db"), "cannot use the dataset")
    assert listing(workdir) == ["bad.yaml"]


def test_a_missing_dataset_replaces_nothing(workdir: Path) -> None:
    (workdir / "facts.json").write_text("mine")
    result = invoke("--data", "missing.yaml", "export", "--json", "facts.json", "--force")
    assert_failure(result, "missing.yaml", "no such file")
    assert (workdir / "facts.json").read_text() == "mine"


def test_a_dataset_piped_in_exports_too(workdir: Path) -> None:
    result = ok("--data", "/dev/stdin", "export", "--json", "-", input=SMALL.read_bytes())
    assert [e["id"] for e in json.loads(result.stdout)["events"]] == [
        e["id"] for e in ok_json("--data", str(SMALL), "events")
    ]


@pytest.mark.parametrize(
    ("args", "names"),
    [
        ((), ["nothing to export"]),
        (("--sqlite", "-"), ["--sqlite", "stdout"]),
        (("--sqlite", ""), ["--sqlite", "empty"]),
        (("--json", "facts.json", "--metadata", "m.json"), ["--metadata", "--sqlite"]),
        (("--sqlite", "facts.db", "--metadata", "-"), ["--metadata", "stdout"]),
        (("--sqlite", "facts.db", "--json", "facts.db"), ["--json", "same file"]),
        (("--sqlite", "facts.db", "--json", "./facts.metadata.json"), ["--json", "metadata beside the database"]),
    ],
)
def test_usage_errors(workdir: Path, args: tuple[str, ...], names: list[str]) -> None:
    assert_usage_error(invoke("export", *args), *names)
    assert listing(workdir) == []


def test_the_readme_names_every_table_and_view() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### `issfacts export`") :]
    section = section[: section.index("\n## ")]
    for name in [table.name for table in export.TABLES] + [view.name for view in export.VIEWS] + [export.FTS_TABLE]:
        assert f"`{name}`" in section, name
    assert "datasette facts.db -m facts.metadata.json" in section
