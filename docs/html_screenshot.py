"""Take the README's screenshot of the timeline page: `issfacts timeline --format html`
on the bundled data, at 1280 px, in headless Chromium, one event opened on its claims,
quotes and sources.

    python docs/html_screenshot.py       # needs chromium; writes docs/timeline-1280.png

Run it from the repository with the venv's python, after `pip install -e '.[test]'`:
it drives the browser with the page tests' own client (tests/browser.py).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent / "tests"))

from browser import start  # noqa: E402  (tests/ is not a package)

ISSFACTS = Path(sys.executable).parent / "issfacts"
OPENED = "2018-08-29-soyuz-ms-09-leak"  # a claim, who made it, and quotes
WIDTH, HEIGHT = 1280, 1800


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "timeline.html"
        page.write_bytes(
            subprocess.run([ISSFACTS, "timeline", "--format", "html"], check=True, capture_output=True).stdout
        )
        browser = start(Path(folder) / "profile")
        try:
            browser.size(WIDTH, HEIGHT)
            browser.open(page.as_uri())
            browser.click(f"#e-{OPENED} summary")
            browser.evaluate("window.scrollTo(0, 0)")
            browser.call("Input.dispatchMouseEvent", type="mouseMoved", x=0, y=0)  # no hover in the picture
            assert not browser.problems(), browser.problems()
            path = DOCS / f"timeline-{WIDTH}.png"
            browser.screenshot(path, WIDTH, HEIGHT)
            print(path)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
