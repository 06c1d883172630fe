"""Fixtures every test shares: an isolated cache and environment, and the one place
an `Environment` is built (its constructor is not part of the contract)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session", autouse=True)
def isolate_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The same isolation for fixtures wider than one test (they run before `isolate`)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache-session")))
        patch.delenv("ISSFACTS_DATA", raising=False)
        yield


@pytest.fixture(autouse=True)
def isolate(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the user's cache or dataset; make terminal output predictable."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.delenv("ISSFACTS_DATA", raising=False)
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # rich tables and error panels: fewer wrapped lines
    return cache


@pytest.fixture
def environment(isolate: Path) -> Callable[..., Any]:
    """Build an `issfacts.cli.Environment`, e.g. `environment(stdout_isatty=True)`."""
    from issfacts.cli import Environment

    def make(*, stdout_isatty: bool) -> Any:
        return Environment(stdout_isatty=stdout_isatty)

    return make


@pytest.fixture
def tty(environment: Callable[..., Any]) -> Any:
    """An Environment whose stdout is a terminal: the default format is `table`."""
    return environment(stdout_isatty=True)
