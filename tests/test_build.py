"""`rdfgen build` and `rdfgen validate` end to end: files, formats agreeing, embedding, determinism, bad input."""

from __future__ import annotations

import filecmp
import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from rdfgen.cli import main
from rdfgen.publish.documents import DOCUMENT_EXTENSIONS
from rdfgen.publish.files import AtomicFile, write_atomic
from rdfgen.publish.records import BuildReport
from rdfgen.vocab import BIBO, RDF, SDO, VOID

from .conftest import ARTICLE, DATA, SEED_PMID
from .reference_writers import parse_embed

FILES = [f"pubmed/{SEED_PMID}.{ext}" for ext in ("ttl", "nt", "jsonld", "embed.jsonld", "html")] + [
    "dataset.nt.gz", "dataset.nq.gz", "dataset.ttl", "void.ttl"]


def _parse(path: Path) -> Graph:
    fmt = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[path.suffix.lstrip(".")]
    return Graph().parse(path, format=fmt)


def _diff(a: Graph, b: Graph) -> str:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return "only in first:\n" + only_a.serialize(format="nt") + "only in second:\n" + only_b.serialize(format="nt")


def test_build_with_no_arguments_publishes_the_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert "records read: 1, published: 1, skipped: 0" in result.output
    for name in FILES:
        assert (tmp_path / "out" / name).stat().st_size > 0, name


def test_formats_are_the_same_graph(seed_build: tuple[Path, BuildReport]) -> None:
    out, _ = seed_build
    ttl, nt, jsonld = (_parse(out / "pubmed" / f"{SEED_PMID}.{e}") for e in ("ttl", "nt", "jsonld"))
    assert isomorphic(ttl, nt), _diff(ttl, nt)
    assert isomorphic(ttl, jsonld), _diff(ttl, jsonld)
    assert (ARTICLE, BIBO.doi, Literal("10.1007/s11154-021-09631-7")) in ttl
    nt_lines = (out / "pubmed" / f"{SEED_PMID}.nt").read_text(encoding="utf-8").splitlines()
    assert nt_lines == sorted(nt_lines) and len(nt_lines) == len(set(nt_lines))


def test_turtle_is_pretty(seed_build: tuple[Path, BuildReport]) -> None:
    text = (seed_build[0] / "pubmed" / f"{SEED_PMID}.ttl").read_text(encoding="utf-8")
    assert "@prefix schema: <https://schema.org/> ." in text
    assert "<http://localhost:8000/pubmed/33783695> a " in text
    assert text.count("<http://localhost:8000/pubmed/33783695> ") == 1  # subject written once, grouped


def test_embedding_is_a_subset_and_has_the_article(seed_build: tuple[Path, BuildReport]) -> None:
    out, _ = seed_build
    full = _parse(out / "pubmed" / f"{SEED_PMID}.ttl")
    text = (out / "pubmed" / f"{SEED_PMID}.embed.jsonld").read_text(encoding="utf-8")
    obj = json.loads(text)
    assert obj["@context"]["@vocab"] == "https://schema.org/"
    assert obj["@type"] == "ScholarlyArticle" and obj["@id"] == str(ARTICLE)
    assert obj["headline"].startswith("Imaging of neuroendocrine tumors")
    assert [a["name"] for a in obj["author"]] == ["Ali Pirasteh"]
    assert obj["datePublished"] == "2021-09"
    assert obj["isPartOf"]["@type"] == "PublicationIssue"
    assert obj["isPartOf"]["isPartOf"]["isPartOf"]["@type"] == "Periodical"
    assert [c.get("pageEnd") for c in obj["citation"]] == ["829", "196", "1097", "134", "R29"]
    assert {i["propertyID"]: i["value"] for i in obj["identifier"]} == {
        "pmid": SEED_PMID, "doi": "10.1007/s11154-021-09631-7"}
    embedded = parse_embed(text)
    missing = [t for t in embedded if t not in full]
    assert not missing, missing
    assert len(embedded) > 50


def test_html_page_embeds_the_json_ld(seed_build: tuple[Path, BuildReport]) -> None:
    html = (seed_build[0] / "pubmed" / f"{SEED_PMID}.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    obj = json.loads(html[start:html.index("</script>", start)])
    assert obj["@type"] == "ScholarlyArticle"
    assert "<h1>Imaging of neuroendocrine tumors" in html
    assert html.count('<li id="ref-') == 5
    assert 'href="https://doi.org/10.1530/ERC-12-0340"' in html
    assert "Computed tomography" in html and "et al." in html


def test_dataset_dumps_and_void(seed_build: tuple[Path, BuildReport]) -> None:
    """The dumps hold the record's graph, the statements it shares, and the dataset's MeSH tree, each once."""
    out, _ = seed_build
    record = _parse(out / "pubmed" / f"{SEED_PMID}.nt")
    quads = gzip.decompress((out / "dataset.nq.gz").read_bytes()).decode().splitlines()
    record_graph = "<http://localhost:8000/pubmed/33783695#graph> ."
    shared_graph = "<http://localhost:8000/shared#graph> ."
    mesh_graph = "<http://localhost:8000/mesh#graph> ."
    assert all(q.endswith((record_graph, shared_graph, mesh_graph)) for q in quads)
    tree = Graph().parse(data="\n".join(q[:-len(mesh_graph)] + "." for q in quads if q.endswith(mesh_graph)),
                         format="nt")
    assert len(tree) > 50 and not set(tree.subjects()) & {ARTICLE}
    everything = record + tree
    dump = Graph().parse(data=gzip.decompress((out / "dataset.nt.gz").read_bytes()).decode(), format="nt")
    assert isomorphic(everything, dump)
    assert isomorphic(everything, Graph().parse(out / "dataset.ttl", format="turtle"))
    own = [q for q in quads if q.endswith(record_graph)]
    mine = ("<http://localhost:8000/pubmed/33783695>", "<http://localhost:8000/pubmed/33783695/", "_:")
    assert own and all(q.startswith(mine) for q in own)
    assert any(q.startswith("<http://localhost:8000/journal/") and q.endswith(shared_graph) for q in quads)
    assert len([q for q in quads if not q.endswith(mesh_graph)]) == len(record)
    void = Graph().parse(out / "void.ttl", format="turtle")
    ds = URIRef("http://localhost:8000/dataset")
    assert (ds, RDF.type, VOID.Dataset) in void
    # Statements as written: a shared statement (a MeSH label) counts once per record and tree that states it.
    written = gzip.decompress((out / "dataset.nt.gz").read_bytes()).decode().count("\n")
    assert void.value(ds, VOID.triples) == Literal(written) and written >= len(everything)
    assert (ds, VOID.exampleResource, ARTICLE) in void
    assert (ds, VOID.dataDump, URIRef("http://localhost:8000/dataset.nt.gz")) in void
    assert (ds, VOID.vocabulary, URIRef(str(SDO))) in void


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("a", "b"):
        result = runner.invoke(main, ["build", "--out", str(tmp_path / name), "-q"])
        assert result.exit_code == 0, result.output
    cmp = filecmp.dircmp(tmp_path / "a", tmp_path / "b")
    assert not cmp.diff_files and not cmp.left_only and not cmp.right_only
    sub = cmp.subdirs["pubmed"]
    assert not sub.diff_files and not sub.left_only and not sub.right_only
    assert len(sub.same_files) == len(DOCUMENT_EXTENSIONS)


def test_validate_conforms_and_fails_on_a_dropped_title(seed_build: tuple[Path, BuildReport],
                                                        tmp_path: Path) -> None:
    out, _ = seed_build
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", str(out)])
    assert ok.exit_code == 0, ok.output
    assert "3 file(s), 0 not conforming" in ok.output
    g = _parse(out / "pubmed" / f"{SEED_PMID}.ttl")
    g.remove((ARTICLE, SDO.headline, None))
    bad = tmp_path / "bad.ttl"
    bad.write_text(g.serialize(format="turtle"), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1, result.output
    assert "schema:headline" in result.output and "does not conform" in result.output
    missing = runner.invoke(main, ["validate", str(tmp_path / "nope.ttl")])
    assert missing.exit_code == 2


@pytest.mark.parametrize("name", ["empty-1.txt", "no-title-33783695.txt", "not-pubmed.txt"])
def test_bad_input_fails_and_keeps_good_output(tmp_path: Path, name: str) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    assert runner.invoke(main, ["build", "--out", str(out), "-q"]).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = runner.invoke(main, ["build", "--out", str(out), str(DATA / "pages" / name)])
    assert result.exit_code == 1, result.output
    assert name in result.output and "skipped: 1" in result.output
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_batch_goes_on_past_a_bad_record(tmp_path: Path) -> None:
    from rdfgen.resources import seed_path

    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path), str(DATA / "pages" / "not-pubmed.txt"),
                                       str(seed_path())])
    assert result.exit_code == 1
    assert "records read: 2, published: 1, skipped: 1" in result.output
    assert (tmp_path / "pubmed" / f"{SEED_PMID}.ttl").exists()


def test_atomic_write_keeps_old_file_on_error(tmp_path: Path) -> None:
    """A write interrupted half way leaves the old file whole and no temporary file behind."""
    target = tmp_path / "f.txt"
    target.write_text("good", encoding="utf-8")
    new = AtomicFile(target)
    new.stream.write("half of a new fi")
    new.discard()
    assert target.read_text(encoding="utf-8") == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_no_validate_publishes_what_validation_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rdfgen import mapping

    original = mapping._RecordMapper.titles
    monkeypatch.setattr(mapping._RecordMapper, "titles", lambda self: iter(()))
    refused = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "a")])
    assert refused.exit_code == 1 and "schema:headline" in refused.output
    assert not (tmp_path / "a" / "pubmed" / f"{SEED_PMID}.ttl").exists()
    forced = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "b"), "--no-validate"])
    assert forced.exit_code == 0, forced.output
    monkeypatch.setattr(mapping._RecordMapper, "titles", original)


def test_dataset_turtle_declares_every_prefix_it_uses(tmp_path: Path) -> None:
    """Records declare only the prefixes they use; the assembled dataset.ttl must still parse (the first record here
    has no references, later ones use cito:, biro:, c4o:), in rdflib and in Oxigraph, and say what the N-Triples say."""
    import pyoxigraph as ox

    files = sorted((Path(__file__).parent / "data" / "xml").glob("metapub_*.xml"))
    result = CliRunner().invoke(main, ["build", "-q", "--out", str(tmp_path), *map(str, files)])
    assert result.exit_code == 0, result.output
    ttl = (tmp_path / "dataset.ttl").read_text(encoding="utf-8")
    assert len(list(ox.parse(ttl.encode(), ox.RdfFormat.TURTLE))) > 1000
    dump = Graph().parse(data=gzip.decompress((tmp_path / "dataset.nt.gz").read_bytes()).decode(), format="nt")
    assert isomorphic(Graph().parse(data=ttl, format="turtle"), dump)
