"""The Python API in rdfgen/__init__.py gives what the CLI publishes, and the README's Python blocks run as written."""

from __future__ import annotations

import doctest
import gzip
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

import rdfgen
from rdfgen.errors import SourceError, UnsupportedFormat, ValidationError
from rdfgen.model import Record

ROOT = Path(__file__).parent.parent
XML = ROOT / "tests" / "data" / "xml"
ONE = XML / "biopython_pubmed1.xml"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("api") / "out"
    report = rdfgen.build([ONE], out)
    assert report.ok and len(report.published) == 2, report.errors
    return out


def test_import_is_cheap() -> None:
    """``import rdfgen`` loads none of the heavy libraries; the functions import them on first call."""
    heavy = ("rdflib", "lxml", "pyld", "pyshacl", "pyoxigraph", "click")
    code = f"import sys, rdfgen; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("kind", ["path", "str-path", "bytes", "text", "file", "gzip-file", "unbuffered"])
def test_read_takes_paths_content_and_files(kind: str) -> None:
    raw = ONE.read_bytes()
    source = {
        "path": ONE, "str-path": str(ONE), "bytes": raw, "text": raw.decode("utf-8"), "file": io.BytesIO(raw),
        "gzip-file": io.BytesIO(gzip.compress(raw)), "unbuffered": open(ONE, "rb", buffering=0),  # noqa: SIM115
    }[kind]
    records = list(rdfgen.read(source))
    assert [r.pmid for r in records] == ["12091962", "9997"]
    assert all(isinstance(r, Record) for r in records)


def test_read_medline_and_page_content() -> None:
    medline = next((ROOT / "tests" / "data" / "medline").glob("*.txt"))
    assert [r.pmid for r in rdfgen.read(medline.read_bytes())] == [r.pmid for r in rdfgen.read(medline)]
    seed = ROOT / "rdfgen" / "data" / "pubmed-33783695.txt"
    assert next(rdfgen.read(seed.read_bytes(), format="pubmed-page", pmid="33783695")).pmid == "33783695"


def test_read_raises_or_reports_bad_records() -> None:
    broken = XML / "broken_records.xml"
    with pytest.raises(SourceError, match="PMID 900002, field PubDate"):
        list(rdfgen.read(broken))
    problems: list[SourceError] = []
    records = list(rdfgen.read(broken, errors="skip", on_error=problems.append))
    assert {p.pmid for p in problems} >= {"900002", "900004", "900005"}
    assert all(p.field for p in problems)
    assert len(records) >= 1 and all(r.pmid not in {"900002", "900004", "900005"} for r in records)


def test_read_refuses_what_is_no_pubmed() -> None:
    with pytest.raises(SourceError, match="not PubMed XML"):
        list(rdfgen.read(b"just some bytes\nthat are nothing\n"))


def test_triples_and_graph_are_what_build_publishes(built: Path) -> None:
    for record in rdfgen.read(ONE):
        published = Graph().parse(built / "pubmed" / f"{record.pmid}.nt", format="nt")
        assert isomorphic(rdfgen.graph(record), published)
        assert len(rdfgen.triples(record)) == len(published)


def test_embed_is_the_published_embedding(built: Path) -> None:
    record = next(rdfgen.read(ONE))
    assert rdfgen.embed(record) == json.loads((built / "pubmed" / f"{record.pmid}.embed.jsonld").read_text())
    assert rdfgen.serialize([record], "embed") == (built / "pubmed" / f"{record.pmid}.embed.jsonld").read_text()
    assert rdfgen.serialize([record], "html") == (built / "pubmed" / f"{record.pmid}.html").read_text()


def test_serialize_formats_agree() -> None:
    records = list(rdfgen.read(ONE))
    union = Graph()
    for record in records:
        union += rdfgen.graph(record)
    for fmt, parse_as in (("turtle", "turtle"), ("ttl", "turtle"), ("nt", "nt"), ("ntriples", "nt"),
                          ("jsonld", "json-ld"), ("rdfxml", "xml")):
        assert isomorphic(Graph().parse(data=rdfgen.serialize(records, fmt), format=parse_as), union), fmt
    for fmt in ("nquads", "trig"):
        ds = Dataset()
        ds.parse(data=rdfgen.serialize(records, fmt), format=fmt)
        graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
        assert graphs == {f"http://localhost:8000/pubmed/{r.pmid}#graph" for r in records} | {
            "http://localhost:8000/shared#graph"}, fmt
        merged = Graph()
        for g in ds.graphs():
            merged += g
        assert isomorphic(merged, union), fmt
    several = json.loads(rdfgen.serialize(records, "embed"))
    assert [obj["@id"] for obj in several] == [f"http://localhost:8000/pubmed/{r.pmid}" for r in records]


def test_serialize_nt_is_sorted_and_deterministic() -> None:
    records = list(rdfgen.read(ONE))
    text = rdfgen.serialize(records, "nt")
    assert text.splitlines() == sorted(set(text.splitlines()))
    assert text == rdfgen.serialize(list(rdfgen.read(ONE)), "nt")


def test_base_and_mesh_options() -> None:
    record = next(rdfgen.read(ONE))
    g = rdfgen.graph(record, base="https://example.org/ld/")
    assert (URIRef(f"https://example.org/ld/pubmed/{record.pmid}"), None, None) in g
    assert not any(str(s).startswith("http://localhost:8000/") for s in g.subjects())
    assert len(rdfgen.triples(record, mesh=False)) < len(rdfgen.triples(record))


def test_bad_requests_are_clear() -> None:
    records = list(rdfgen.read(ONE))
    with pytest.raises(UnsupportedFormat, match="unknown RDF format 'png'"):
        rdfgen.serialize(records, "png")
    with pytest.raises(rdfgen.errors.RdfgenError, match="one record's; got 2"):
        rdfgen.serialize(records, "html")


def test_a_record_breaking_the_shapes_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation is on by default, as in the CLI: a record whose graph breaks a shape raises with the report."""
    from rdfgen.publish import records as publishing

    real = publishing.record_triples

    def without_titles(*args: object, **kwargs: object) -> object:
        return (t for t in real(*args, **kwargs) if not str(t[1]).rstrip(">").endswith(("headline", "title", "/name")))

    monkeypatch.setattr(publishing, "record_triples", without_titles)
    record = next(rdfgen.read(ONE))
    with pytest.raises(ValidationError, match=f"PMID {record.pmid}: does not conform"):
        rdfgen.triples(record)
    assert rdfgen.triples(record, validate=False)


def test_validate_reports_per_file(built: Path) -> None:
    reports = rdfgen.validate(built / "pubmed")
    assert len(reports) >= 6 and all(r.conforms for r in reports.values())
    assert set(rdfgen.validate([built / "pubmed" / "9997.ttl"])) == {built / "pubmed" / "9997.ttl"}


def test_build_and_query(built: Path) -> None:
    result = rdfgen.query("article-card", {"pmid": "9997"}, data=built)
    assert len(result.rows) == 1
    assert "9997" in result.format("csv")
    seed = rdfgen.build(out=built.parent / "seed")
    assert seed.published == ["33783695"]
    dumps = rdfgen.build([ONE], built.parent / "dumps", documents=False)
    assert dumps.ok and not (built.parent / "dumps" / "pubmed").exists()
    assert (built.parent / "dumps" / "dataset.nq.gz").stat().st_size > 0


def test_docstrings_run() -> None:
    """The examples in the API's docstrings (run from the checkout, as they are written)."""
    import os

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        failures, tried = doctest.testmod(rdfgen, optionflags=doctest.ELLIPSIS)
    finally:
        os.chdir(here)
    assert tried >= 1 and failures == 0


@pytest.mark.parametrize("block", python_blocks(), ids=lambda b: b.split("\n", 2)[1][:40] if "\n" in b else b)
def test_readme_python_blocks_run(block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each fenced python block of the README runs as written, in a folder where tests/data is where it says."""
    shutil.copytree(ROOT / "tests" / "data" / "xml", tmp_path / "tests" / "data" / "xml")
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {"__name__": "__readme__"})  # noqa: S102


def test_functions_survive_subpackages_of_the_same_name() -> None:
    import rdfgen.serialize.ntriples  # noqa: F401  (binds nothing over the function)

    assert callable(rdfgen.serialize)
    assert sys.modules["rdfgen.serialize"].__name__ == "rdfgen.serialize"


def test_readme_has_the_python_section() -> None:
    assert "## Use from Python" in README
    assert len(python_blocks()) >= 4
    for name in ("read", "triples", "graph", "serialize", "embed", "build", "validate", "query"):
        assert f"rdfgen.{name}(" in README, name
