"""The README documents every command and every library query (a new one without docs fails here)."""

from __future__ import annotations

from pathlib import Path

from rdfgen.cli import main
from rdfgen.sparql.library import list_queries

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    block = README.split("```bash\n", 1)[1].split("```", 1)[0].splitlines()
    assert len(block) == 2
    assert "rdfgen build" in block[0] and "pip install -e" in block[0]
    assert "python -m pytest" in block[1] and "[test]" in block[1]
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[test]'" in ci and "python -m pytest" in ci


def test_every_command_is_documented() -> None:
    for name in main.commands:
        assert f"`rdfgen {name}" in README, name


def test_every_library_query_is_documented() -> None:
    for info in list_queries():
        assert f"| `{info.name}` |" in README, info.name
