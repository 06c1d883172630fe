"""Take the README's screenshots: each terminal view at 80 and 120 columns, run in a real
tmux pane (the way a user sees it), captured with its colours and saved as SVG.

    python docs/screenshots.py           # needs tmux; writes docs/*.svg

Run it from the repository with the venv's python, after `pip install -e .`.
"""

from __future__ import annotations

import io
import shlex
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.text import Text

DOCS = Path(__file__).resolve().parent
ISSFACTS = Path(sys.executable).parent / "issfacts"
VIEWS = {
    "events": "events --since 2022-12 --until 2023-03",
    "show": "show 2022-12-14-soyuz-ms-22-coolant-leak",
    "timeline": "timeline --since 2021",
    "stats": "stats --since 2018",
}
WIDTHS = (80, 120)


def capture(command: str, width: int) -> str:
    session = f"issfacts-shot-{width}"
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    shell = f"{shlex.quote(str(ISSFACTS))} --no-pager {command}; sleep 30"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", str(width), "-y", "400", shell], check=True)
    try:
        time.sleep(2.5)
        shown = subprocess.run(
            ["tmux", "capture-pane", "-t", session, "-p", "-e", "-S", "0", "-E", "399"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return shown.rstrip() + "\n"


def main() -> int:
    for name, command in VIEWS.items():
        for width in WIDTHS:
            console = Console(record=True, width=width, file=io.StringIO(), force_terminal=True)
            console.print(Text.from_ansi(capture(command, width)), soft_wrap=True)
            path = DOCS / f"{name}-{width}.svg"
            path.write_text(console.export_svg(title=f"issfacts {command}"), encoding="utf-8")
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
