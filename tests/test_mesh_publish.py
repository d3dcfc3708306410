"""MeSH in the published graph: keyword links (never NLM indexing), descriptors named in records with their labels,
the tree once per dataset (its MeSH graph), hierarchy queries."""

from __future__ import annotations

import gzip
from pathlib import Path

from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef

from rdfgen.cli import main
from rdfgen.mapping import record_triples
from rdfgen.mesh.enrich import MeshEnricher
from rdfgen.model import Keyword, MeshHeading, Record
from rdfgen.publish.records import BuildReport
from rdfgen.serialize.graph import to_graph
from rdfgen.vocab import FABIO, RDFGEN, SDO, SKOS

from .conftest import ARTICLE, SEED_PMID

MESH = "http://id.nlm.nih.gov/mesh/"
SEED_LINKS = {"Computed tomography": "D014057", "Magnetic resonance imaging": "D008279",
              "Neuroendocrine tumor": "D018358", "Positron emission tomography": "D049268",
              "Ultrasound": "D014463"}
UNDER = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfgen: <https://w3id.org/rdfgen/vocab#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?article WHERE {
  ?article dcterms:subject ?term .
  ?term skos:broader* <http://id.nlm.nih.gov/mesh/D009369> .
}"""


def _seed_graph(seed_build: tuple[Path, BuildReport]) -> Graph:
    return Graph().parse(seed_build[0] / "pubmed" / f"{SEED_PMID}.ttl", format="turtle")


def test_seed_keywords_link_to_mesh(seed_build: tuple[Path, BuildReport]) -> None:
    g = _seed_graph(seed_build)
    linked = {str(g.value(m, RDFGEN.keyword)): str(g.value(m, SKOS.exactMatch) or g.value(m, SKOS.closeMatch))
              for m in g.objects(ARTICLE, RDFGEN.keywordMapping)}
    assert linked == {k: MESH + ui for k, ui in SEED_LINKS.items()}
    assert {str(t) for t in g.objects(ARTICLE, RDFGEN.keywordSubject)} == {MESH + ui for ui in SEED_LINKS.values()}
    # A machine mapping is never presented as NLM indexing.
    assert not list(g.objects(ARTICLE, FABIO.hasSubjectTerm)) and not list(g.objects(ARTICLE, SDO.about))


def test_hierarchy_query_finds_the_seed_under_neoplasms(seed_build: tuple[Path, BuildReport]) -> None:
    """The record names its descriptors with their labels; the tree above them is the dataset's MeSH graph."""
    record = _seed_graph(seed_build)
    neuro = URIRef(MESH + "D018358")
    assert (neuro, SDO.termCode, Literal("D018358")) in record
    assert (neuro, SDO.name, Literal("Neuroendocrine Tumors")) in record
    assert not list(record.objects(neuro, RDFGEN.treeNumber)) and not list(record.objects(neuro, SKOS.broader))
    ds = Dataset()
    ds.parse(gzip.open(seed_build[0] / "dataset.nq.gz"), format="nquads")
    tree = ds.graph(URIRef("http://localhost:8000/mesh#graph"))
    assert (neuro, RDFGEN.treeNumber, Literal("C04.557.465.625.650")) in tree
    assert (URIRef(MESH + "D009369"), SDO.name, Literal("Neoplasms")) in tree
    g = record + tree
    g.parse(Path(__file__).parent.parent / "ontology" / "rdfgen.ttl")  # dcterms:subject via the sub-property
    # The published graph carries keywordSubject; the sub-property alignment makes it a dcterms:subject.
    rows = {str(r.article) for r in g.query(UNDER.replace("dcterms:subject", "rdfgen:keywordSubject"))}
    assert rows == {str(ARTICLE)}


def test_the_mesh_tree_is_stated_once_per_dataset(tmp_path: Path) -> None:
    """Two records naming the same descriptors: the tree is in the MeSH graph once, in no record graph."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--out", str(out), str(Path(__file__).parent / "data" / "xml" /
                                                                           "biopython_pubmed1.xml")])
    assert result.exit_code == 0, result.output
    lines = gzip.open(out / "dataset.nq.gz", "rt").read().splitlines()
    tree = [line for line in lines if " <https://w3id.org/rdfgen/vocab#treeNumber> " in line]
    assert tree and all(line.endswith("<http://localhost:8000/mesh#graph> .") for line in tree)
    assert len(tree) == len(set(tree))
    for nt in (out / "pubmed").glob("*.nt"):
        assert "vocab#treeNumber>" not in nt.read_text() and "core#broader>" not in nt.read_text()


def test_nonsense_keyword_stays_a_keyword(enricher: MeshEnricher) -> None:
    record = enricher(Record(pmid="5", title="T", keywords=(Keyword("zqxv blorft"),)))
    g = to_graph(record_triples(record, linker=enricher.link))
    art = URIRef("http://localhost:8000/pubmed/5")
    assert (art, SDO.keywords, Literal("zqxv blorft")) in g
    assert not list(g.objects(art, RDFGEN.keywordMapping)) and not list(g.objects(art, RDFGEN.keywordSubject))


def test_heading_names_gain_uis(enricher: MeshEnricher) -> None:
    record = enricher(Record(pmid="6", title="T", mesh_headings=(MeshHeading(None, "Humans"),)))
    assert record.mesh_headings[0].descriptor_ui == "D006801"


def test_mesh_command_prints_the_decision_and_why() -> None:
    result = CliRunner().invoke(main, ["mesh", "Neuroendocrine tumor", "zqxv blorft", "stress", "Acute appendicitis"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("Neuroendocrine tumor\tD018358\tNeuroendocrine Tumors\tentry-term\t1.000\texactMatch\t"
                        "an entry term of the descriptor")
    assert lines[1].startswith("zqxv blorft\t-\tno link (stays a plain keyword): no descriptor term has the head")
    assert lines[2].startswith("stress\t-\tno link (stays a plain keyword): ambiguous: 14 descriptors")
    assert lines[3].startswith("Acute appendicitis\tD001064\tAppendicitis\tbroader\t0.700\tbroadMatch\t")
    settled = CliRunner().invoke(main, ["mesh", "--heading", "D013315", "stress"])
    assert settled.exit_code == 0, settled.output
    assert settled.output.startswith("stress\tD013315\tStress, Psychological\trecord-heading\t0.850\tcloseMatch\t")


def test_broader_descriptor_is_published_as_broad_match(enricher: MeshEnricher) -> None:
    record = Record(pmid="7", title="T", keywords=(Keyword("Acute appendicitis"), Keyword("stress")),
                    mesh_headings=(MeshHeading("D013315", "Stress, Psychological"),))
    g = to_graph(record_triples(record, linker=enricher.link))
    art = URIRef("http://localhost:8000/pubmed/7")
    nodes = {str(g.value(n, RDFGEN.keyword)): n for n in g.objects(art, RDFGEN.keywordMapping)}
    assert (nodes["Acute appendicitis"], SKOS.broadMatch, URIRef(MESH + "D001064")) in g
    assert not list(g.objects(nodes["Acute appendicitis"], SKOS.closeMatch))
    assert (nodes["stress"], SKOS.closeMatch, URIRef(MESH + "D013315")) in g  # settled by the record's heading
    assert (nodes["stress"], RDFGEN.mappingMethod, Literal("record-heading")) in g


def test_library_hierarchy_queries_on_the_seed(seed_build: tuple[Path, BuildReport]) -> None:
    from rdfgen.sparql.run import run

    rows = run("mesh-subtree-articles", {"descriptor": "D009369"}, data=seed_build[0]).values()
    assert {(r[1], r[3], r[5]) for r in rows} == {(SEED_PMID, MESH + "D018358", "keyword")}
    counts = {r[0]: r[2:] for r in run("mesh-subtree-counts", data=seed_build[0]).values()}
    assert counts["D009369"] == ("1", "0", "1")  # Neoplasms: the seed, through its keyword "Neuroendocrine tumor"
    assert counts["D003952"] == ("1", "0", "1")  # Diagnostic Imaging: CT, MRI, PET, ultrasound
    assert "D014057" in counts and counts["D014057"][0] == "1"
    assert run("mesh-subtree-articles", {"descriptor": "D001829"}, data=seed_build[0]).values() == []
