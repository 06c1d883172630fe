"""The timeline page in a real browser: headless Chromium (Debian's `chromium`, which
.ci/run installs when it is missing), driven over the DevTools protocol (tests/browser.py).

One browser for the module; each test opens the page it needs from a file:// URL and
reads the console, the network and the DOM: no console errors, no request but the file
itself, every event there and visible, an event opened from the keyboard shows its
quote, planned events marked, the controls working, events opening without the script,
no sideways scrolling at a phone's width, and hostile data running nothing.

Skipped, saying so, only when no Chromium can be found (ISSFACTS_BROWSER names one).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import Browser, find_browser, start
from support import DATA, ok, ok_json

SOYUZ_MS_22_LEAK = "2022-12-14-soyuz-ms-22-coolant-leak"

pytestmark = pytest.mark.skipif(
    find_browser() is None,
    reason="no Chromium to run the page in: install Debian's chromium (.ci/run does) or set ISSFACTS_BROWSER",
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    made = {
        "bundled": ok("timeline", "--format", "html").stdout,
        "hostile": ok("--data", str(DATA / "hostile-html.yaml"), "timeline", "--format", "html").stdout,
    }
    for name, page in made.items():
        (folder / f"{name}.html").write_text(page, encoding="utf-8")
    return {name: folder / f"{name}.html" for name in made}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    started = start(tmp_path_factory.mktemp("profile"))
    try:
        yield started
    finally:
        started.close()


def load(browser: Browser, page: Path, *, width: int = 1280, script: bool = True) -> None:
    browser.events.clear()
    browser.call("Emulation.setScriptExecutionDisabled", value=not script)
    browser.size(width, 900)
    browser.open(page.as_uri())


def assert_quiet(browser: Browser, page: Path) -> None:
    """No console errors, and no request but the page's own file."""
    assert browser.problems() == []
    assert set(browser.requests()) == {page.as_uri()}


EVENTS_SHOWN = """[...document.querySelectorAll("li.ev")].map(li => {
  const summary = li.querySelector("summary"), r = summary.getBoundingClientRect();
  return {id: li.id, visible: summary.checkVisibility() && r.width > 0 && r.height > 0,
          planned: li.classList.contains("planned"),
          tag: [...li.querySelectorAll(".tag.planned")].some(t => t.checkVisibility()),
          border: getComputedStyle(summary).borderTopStyle,
          track: li.querySelector(".track .bar")?.checkVisibility() ?? false};
})"""


def test_the_page_loads_quietly_and_shows_every_event(browser: Browser, pages: dict[str, Path]) -> None:
    load(browser, pages["bundled"])
    assert_quiet(browser, pages["bundled"])
    shown = browser.evaluate(EVENTS_SHOWN)
    events = ok_json("events")
    assert sorted(item["id"] for item in shown) == sorted(f"e-{event['id']}" for event in events)
    assert all(item["visible"] and item["track"] for item in shown), [i["id"] for i in shown if not i["visible"]]
    planned = {f"e-{event['id']}" for event in events if event["status"] == "planned"}
    assert {item["id"] for item in shown if item["planned"]} == planned
    for item in shown:  # planned: in words and by a dashed border, not by colour alone
        assert item["tag"] == (item["id"] in planned)
        assert item["border"] == ("dashed" if item["id"] in planned else "solid")
    assert browser.evaluate("document.documentElement.scrollWidth") <= 1280
    assert browser.evaluate("document.getElementById('controls').hidden") is False  # the script ran


def test_an_event_opens_from_the_keyboard_on_its_quote(browser: Browser, pages: dict[str, Path]) -> None:
    load(browser, pages["bundled"])
    event = ok_json("show", SOYUZ_MS_22_LEAK)
    selector = f"#e-{SOYUZ_MS_22_LEAK}"
    quote = f"{selector} .sources .quote"
    assert browser.evaluate(f"document.querySelector({json.dumps(quote)}).checkVisibility()") is False
    browser.evaluate(f"document.querySelector({json.dumps(selector + ' summary')}).focus()")
    browser.press("Enter", 13, "\r")
    assert browser.evaluate(f"document.querySelector({json.dumps(selector + ' details')}).open") is True
    shown = browser.evaluate(
        f"[...document.querySelectorAll({json.dumps(quote)})].map(q => [q.checkVisibility(), q.textContent])"
    )
    assert shown == [[True, cite["quote"]] for cite in event["sources"]]
    browser.press("Enter", 13, "\r")
    assert browser.evaluate(f"document.querySelector({json.dumps(selector + ' details')}).open") is False
    assert_quiet(browser, pages["bundled"])


def test_the_controls_expand_everything_and_filter_by_kind(browser: Browser, pages: dict[str, Path]) -> None:
    load(browser, pages["bundled"])
    browser.click("#expand")
    assert browser.evaluate("[...document.querySelectorAll('li.ev details')].every(d => d.open)") is True
    browser.click("#collapse")
    assert browser.evaluate("[...document.querySelectorAll('li.ev details')].some(d => d.open)") is False
    browser.click("input[data-kind=incident]")
    visible = browser.evaluate("[...document.querySelectorAll('li.ev')].filter(li => li.checkVisibility()).length")
    events = ok_json("events")
    assert visible == sum(event["kind"] != "incident" for event in events)
    assert browser.evaluate("document.getElementById('shown').textContent") == (
        f"Showing {visible} of {len(events)} events."
    )
    assert_quiet(browser, pages["bundled"])


def test_a_link_to_an_event_opens_it(browser: Browser, pages: dict[str, Path]) -> None:
    load(browser, pages["bundled"])
    browser.evaluate(f"location.hash = {json.dumps('#e-' + SOYUZ_MS_22_LEAK)}")
    opened = browser.evaluate(
        f"new Promise(done => setTimeout(() => done(document.querySelector('#e-{SOYUZ_MS_22_LEAK} details').open), 50))"
    )
    assert opened is True


def test_without_the_script_events_still_open(browser: Browser, pages: dict[str, Path]) -> None:
    load(browser, pages["bundled"], script=False)
    assert browser.evaluate("document.getElementById('controls').checkVisibility()") is False  # nothing dead shown
    browser.click(f"#e-{SOYUZ_MS_22_LEAK} summary")
    assert browser.evaluate(f"document.querySelector('#e-{SOYUZ_MS_22_LEAK} .quote').checkVisibility()") is True
    assert_quiet(browser, pages["bundled"])


def test_a_phone_width_scrolls_only_down(browser: Browser, pages: dict[str, Path]) -> None:
    load(browser, pages["bundled"], width=390)
    browser.click(f"#e-{SOYUZ_MS_22_LEAK} summary")  # an open event's quotes fit too
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    titles: Any = browser.evaluate(
        "[...document.querySelectorAll('li.ev .title')].map(t => t.getBoundingClientRect().right)"
    )
    assert max(titles) <= 390
    assert_quiet(browser, pages["bundled"])


def test_hostile_data_runs_nothing_and_reads_as_written(browser: Browser, pages: dict[str, Path]) -> None:
    load(browser, pages["hostile"])
    browser.click("#expand")
    assert_quiet(browser, pages["hostile"])  # an injected script would be a dialog or a CSP error
    event = ok_json("--data", str(DATA / "hostile-html.yaml"), "show", "2021-07-29-hostile-html")
    assert browser.evaluate("document.querySelector('#e-2021-07-29-hostile-html .title').textContent") == event["title"]
    assert browser.evaluate("document.scripts.length") == 1
    assert browser.evaluate("document.querySelectorAll('img, svg, a[href^=javascript], b').length") == 0


def test_printing_opens_every_event_and_hides_the_controls(browser: Browser, pages: dict[str, Path]) -> None:
    load(browser, pages["bundled"])
    browser.call("Emulation.setEmulatedMedia", media="print")
    try:
        assert browser.evaluate("document.getElementById('controls').checkVisibility()") is False
        assert browser.evaluate("document.querySelector('.strip').checkVisibility()") is False
        browser.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert browser.evaluate("[...document.querySelectorAll('li.ev details')].every(d => d.open)") is True
        browser.evaluate("window.dispatchEvent(new Event('afterprint'))")
        assert browser.evaluate("[...document.querySelectorAll('li.ev details')].some(d => d.open)") is False
    finally:
        browser.call("Emulation.setEmulatedMedia", media="")
    assert_quiet(browser, pages["bundled"])
