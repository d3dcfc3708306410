"""Every RDF file a build writes parses: with rdflib, and the Turtle, N-Triples and N-Quads also with independent
parsers (rapper from Debian's raptor2-utils, serdi), over all fixtures and dumps of records in several orders
(issue 12, defect 1 and "what must hold")."""

from __future__ import annotations

import gzip
import itertools
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from rdfgen.cli import main

DATA = Path(__file__).parent / "data"
BROKEN = {"broken_records.xml", "broken_records.txt", "hostile_billion_laughs.xml", "hostile_xxe.xml"}
FIXTURES = sorted(p for p in [*(DATA / "xml").glob("*.xml"), *(DATA / "medline").glob("*.txt")]
                  if p.name not in BROKEN)
PARSERS = [name for name in ("rapper", "serdi") if shutil.which(name)]
SYNTAX = {"rapper": {"ttl": "turtle", "nt": "ntriples", "nq": "nquads"},
          "serdi": {"ttl": "turtle", "nt": "ntriples", "nq": "nquads"}}


def _independent(path: Path, kind: str) -> None:
    """Parse with every independent parser installed; each must accept the file and find statements."""
    if not PARSERS:
        pytest.skip("neither rapper (raptor2-utils) nor serdi is installed: apt-get install raptor2-utils serdi")
    for parser in PARSERS:
        syntax = SYNTAX[parser][kind]
        if parser == "rapper":
            command = ["rapper", "-q", "-i", syntax, "-c", str(path), "http://example.org/base/"]
        else:
            command = ["serdi", "-i", syntax, "-o", "ntriples", str(path)]
        result = subprocess.run(command, capture_output=True, text=True)
        assert result.returncode == 0, f"{parser} refuses {path.name}: {result.stderr[-2000:]}"


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("all-fixtures")
    result = CliRunner().invoke(main, ["build", "-q", "--documents", "--jobs", "1", "--out", str(out),
                                       *map(str, FIXTURES)])
    assert result.exit_code == 0, result.output
    return out


def test_every_document_parses(everything: Path) -> None:
    files = sorted((everything / "pubmed").iterdir())
    assert len(files) > 100
    for path in files:
        if path.suffix == ".ttl":
            assert len(Graph().parse(path, format="turtle")) > 10, path.name
            _independent(path, "ttl")
        elif path.suffix == ".nt":
            assert len(Graph().parse(path, format="nt")) > 10, path.name
            _independent(path, "nt")
        elif path.name.endswith(".jsonld"):
            doc = json.loads(path.read_text(encoding="utf-8"))  # the embedding's context is inline: nothing to fetch
            assert len(Graph().parse(data=json.dumps(doc), format="json-ld")) > 3, path.name


def test_every_dump_parses(everything: Path, tmp_path: Path) -> None:
    for name, kind in (("dataset.nt.gz", "nt"), ("dataset.nq.gz", "nq")):
        plain = tmp_path / name.removesuffix(".gz")
        plain.write_bytes(gzip.decompress((everything / name).read_bytes()))
        _independent(plain, kind)
    assert len(Dataset().parse(tmp_path / "dataset.nq", format="nquads")) > 1000
    assert len(Graph().parse(everything / "dataset.ttl", format="turtle")) > 1000
    _independent(everything / "dataset.ttl", "ttl")
    _independent(everything / "void.ttl", "ttl")


@pytest.mark.parametrize("order", list(itertools.permutations(["metapub_38534005.xml", "metapub_1000.xml",
                                                               "biopython_pubmed1.xml"])), ids=str)
def test_dataset_turtle_parses_in_every_order(tmp_path: Path, order: tuple[str, ...]) -> None:
    """The first record's prefixes must not be the dump's: some records use cito:, biro:, c4o: and others not."""
    result = CliRunner().invoke(main, ["build", "-q", "--documents", "--jobs", "1", "--out", str(tmp_path),
                                       *(str(DATA / "xml" / name) for name in order)])
    assert result.exit_code == 0, result.output
    Graph().parse(tmp_path / "dataset.ttl", format="turtle")
    _independent(tmp_path / "dataset.ttl", "ttl")
