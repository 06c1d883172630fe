"""The layers of ARCHITECTURE.md, read from the code: every import points down.

Imports are read with `ast`, lazy ones inside functions and type-only ones included, so
a module cannot reach upward by importing late.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import issfacts

PACKAGE = Path(issfacts.__file__).parent

# Top to bottom, as ARCHITECTURE.md draws them. A module may import only modules on a
# lower line; modules on one line do not import each other.
LAYERS: list[set[str]] = [
    {"__main__"},
    {"entry"},
    {"cli"},
    {"options"},
    {"complete"},  # shell completion: imported by cli.run only when a shell asks
    {"formats", "cite"},  # cite: the citation styles, for `cite` alone (cli imports it lazily)
    {"render_rich"},
    {"render_stats", "render_timeline", "render_html"},  # render_rich's (below it), and formats' page
    {"json_schema", "check"},  # `schema` (its descriptions are fields'); `check`: drafts -> findings
    {"fields"},  # --fields: the fields of each record, records cut down, their columns
    {"render", "facets", "chronology", "export", "datefind"},
    {"store"},
    {"memory_store", "sqlite_store"},
    {"query"},
    {"stream"},  # a large file compiled as it is read, for store.py
    {"rows"},
    {"records"},
    {"load"},
    {"schema", "yamlio", "datafile"},
    {"model", "cache", "errors", "streams"},
    {"__init__"},  # the package itself: its __version__
]
RANK = {module: depth for depth, layer in enumerate(LAYERS) for module in layer}


def imports(path: Path) -> set[str]:
    """The issfacts modules `path` imports, wherever in the file the import is."""
    used: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "issfacts":
            used |= {"__init__" if alias.name == "__version__" else alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("issfacts."):
            used.add((node.module or "").split(".")[1])
        elif isinstance(node, ast.Import):
            used |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("issfacts.")}
    return used


MODULES = sorted(path.stem for path in PACKAGE.glob("*.py"))


def test_every_module_has_a_place_on_the_map() -> None:
    assert set(MODULES) == set(RANK), "add the new module to LAYERS here and to ARCHITECTURE.md"


@pytest.mark.parametrize("module", MODULES)
def test_imports_point_down(module: str) -> None:
    upward = {used for used in imports(PACKAGE / f"{module}.py") if RANK[used] <= RANK[module]}
    assert not upward, f"{module} imports {sorted(upward)}, which are not below it"


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The reader above finds each way of writing an import, lazy ones included."""
    sample = tmp_path / "rows.py"
    sample.write_text(
        "def f():\n    from issfacts import store\n    import issfacts.cli\n    from issfacts.query import Q\n"
    )
    assert imports(sample) == {"store", "cli", "query"}
