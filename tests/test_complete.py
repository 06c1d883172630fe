"""Shell completion of the data, through typer's own protocol, as bash, zsh and fish ask.

Each test runs the real process with the environment a shell's completion function sets
(typer's scripts: `COMP_WORDS`/`COMP_CWORD` for bash, `_TYPER_COMPLETE_ARGS` for zsh and
fish) and reads the candidates it prints.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import SMALL

ENV = {k: v for k, v in os.environ.items() if not k.startswith(("_ISSFACTS", "_TYPER", "COMP_", "ISSFACTS_"))}


def complete(shell: str, line: str, *, env: dict[str, str] | None = None) -> tuple[list[str], str]:
    """What TAB offers after `line` ("issfacts events --spacecraft soy"): the candidates
    (for zsh and fish with their help), and stderr."""
    extra = {"_ISSFACTS_COMPLETE": f"complete_{shell}", **(env or {})}
    if shell == "bash":
        words = line.split(" ")
        extra |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        extra |= {"_TYPER_COMPLETE_ARGS": line}
        if shell == "fish":
            extra["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = subprocess.run(
        [sys.executable, "-m", "issfacts"], env={**ENV, **extra}, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    if shell == "zsh":
        if out.strip() == "_files":
            return [], done.stderr
        assert out.startswith("_arguments '*: :((") and out.rstrip().endswith("))'"), out
        body = out.strip()[len("_arguments '*: :((") : -len("))'")]
        return [item.split('":"')[0].strip('"') for item in body.split("\n")], done.stderr
    return [line.split("\t")[0] for line in out.splitlines() if line], done.stderr


def test_bash_spacecraft_by_name_alias_and_id_any_case() -> None:
    offered, err = complete("bash", "issfacts events --spacecraft soy")
    assert err == ""
    assert offered[:3] == ["'Soyuz MS-09'", "'Soyuz MS-22'", "'Soyuz MS-23'"]  # quoted: bash inserts as is
    assert "soyuz-ms-22" in offered
    assert complete("bash", "issfacts events --spacecraft 55")[0] == ["55S"]
    assert complete("bash", "issfacts events --spacecraft ml")[0] == ["MLM"]


def test_a_part_of_a_name_offers_every_record_that_has_it() -> None:
    offered, _ = complete("bash", "issfacts spacecraft MS-22")
    assert offered == ["'Soyuz MS-22'", "'Progress MS-22'", "soyuz-ms-22", "progress-ms-22"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_get_values_with_help(shell: str) -> None:
    extra = {"_ISSFACTS_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": "issfacts show 2022-12-14"}
    if shell == "fish":
        extra["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = subprocess.run([sys.executable, "-m", "issfacts"], env={**ENV, **extra}, capture_output=True, text=True)
    assert "2022-12-14-soyuz-ms-22-coolant-leak" in done.stdout
    assert "Soyuz MS-22 leaks coolant from its external cooling loop" in done.stdout  # the title as help
    offered, _ = complete(shell, "issfacts people rog")
    assert offered == ["Dmitry Rogozin", "dmitry-rogozin"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_data_parameter_completes(shell: str) -> None:
    cases = {
        "issfacts events --person nel": "Bill Nelson",
        "issfacts events --agency ros": "Roscosmos",
        "issfacts timeline --spacecraft nau": "Nauka",
        "issfacts stats --person bri": "Jim Bridenstine",
        "issfacts show nauka-thr": "2021-07-29-nauka-thruster-misfire",
        "issfacts cite 2021-07-29-nauka-thr": "2021-07-29-nauka-thruster-misfire",
        "issfacts schema ev": "events",
        "issfacts people alexy": "Alexy Ovchinin",
        "issfacts events --kind inc": "incident",
        "issfacts events --status pl": "planned",
        "issfacts events --fields id,ti": "id,title",
    }
    for line, wanted in cases.items():
        offered, err = complete(shell, line)
        assert err == ""
        assert any(wanted in value for value in offered), (line, offered)


def test_fields_follow_the_command_and_what_is_typed() -> None:
    assert complete("bash", "issfacts events --fields sources.ou")[0] == ["sources.outlet"]
    assert complete("bash", "issfacts events --fields id,date,")[0][:2] == ["id,date,earliest", "id,date,latest"]
    assert "aliases" in complete("bash", "issfacts spacecraft --fields al")[0]
    assert complete("bash", "issfacts spacecraft 55S --fields a")[0] == ["agencies"]  # with NAME: its events
    assert complete("bash", "issfacts spacecraft --fields a")[0] == ["aliases"]
    assert complete("bash", "issfacts sources --fields ev")[0] == ["events"]


def test_completion_reads_the_data_named_by_data(tmp_path: Path) -> None:
    offered, _ = complete("bash", f"issfacts --data {SMALL} events --spacecraft ")
    assert "Nauka" in offered and "'Soyuz MS-22'" not in offered  # the small file's, not the bundled
    offered_env, _ = complete("bash", "issfacts events --spacecraft ", env={"ISSFACTS_DATA": str(SMALL)})
    assert offered_env == offered


def test_a_broken_data_file_completes_nothing_quietly(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("events: [\n", encoding="utf-8")
    assert complete("bash", f"issfacts --data {broken} events --spacecraft so") == ([], "")
    assert complete("bash", f"issfacts --data {tmp_path}/missing.yaml show 20") == ([], "")


def test_commands_still_complete() -> None:
    assert "events" in complete("bash", "issfacts ev")[0]
    assert "--spacecraft" in complete("bash", "issfacts events --sp")[0]


def test_a_warm_tab_reads_neither_yaml_nor_rich(tmp_path: Path) -> None:
    """The compiled cache answers; typer's help sanitizer (rich) is kept out for zsh."""
    env = {**ENV, "XDG_CACHE_HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "issfacts", "events", "--json"], env=env, capture_output=True, check=True)
    extra = {"_ISSFACTS_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "issfacts show 2022"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "issfacts"], env={**env, **extra}, capture_output=True, text=True
    )
    assert "2022-12-14-soyuz-ms-22-coolant-leak" in done.stdout
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "yaml" not in imported and "rich" not in imported, sorted(m for m in imported if "yaml" in m or "rich" in m)


def test_help_text_from_the_data_is_not_markup(tmp_path: Path) -> None:
    data = tmp_path / "marked.yaml"
    text = SMALL.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if "Soyuz MS-09 launches" in line)
    data.write_text(text.replace(title, title.split("title:")[0] + 'title: "[bold]Marked[/bold] up"', 1), "utf-8")
    extra = {"_ISSFACTS_COMPLETE": "complete_fish", "_TYPER_COMPLETE_ARGS": f"issfacts --data {data} show ''"}
    extra["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = subprocess.run([sys.executable, "-m", "issfacts"], env={**ENV, **extra}, capture_output=True, text=True)
    assert "[bold]Marked[/bold] up" in done.stdout, done.stdout
