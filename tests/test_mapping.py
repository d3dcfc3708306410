"""The mapping of the seed, one triple at a time, built from namespace terms (DESIGN.md vocabulary table)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from rdfgen.errors import MappingError
from rdfgen.iris import Iris
from rdfgen.mapping import record_triples
from rdfgen.model import (
    Affiliation,
    ArticleId,
    Author,
    CommentCorrection,
    Keyword,
    MeshHeading,
    MeshQualifier,
    Record,
)
from rdfgen.serialize.graph import to_graph
from rdfgen.vocab import BIBO, BIRO, C4O, CITO, DCTERMS, FABIO, OWL, RDF, RDFGEN, SDO, XSD

from .conftest import ARTICLE

BASE = "http://localhost:8000/"
ISSUE = URIRef(BASE + "journal/rev-endocr-metab-disord/volume/22/issue/3")
VOLUME = URIRef(BASE + "journal/rev-endocr-metab-disord/volume/22")
JOURNAL = URIRef(BASE + "journal/rev-endocr-metab-disord")
TITLE = ("Imaging of neuroendocrine tumors: A pictorial review of the clinical value of different imaging "
         "modalities")


def test_article_types_and_title(seed_graph: Graph) -> None:
    for t in (SDO.ScholarlyArticle, BIBO.AcademicArticle, FABIO.ReviewArticle):
        assert (ARTICLE, RDF.type, t) in seed_graph
    for p in (SDO.headline, SDO.name, DCTERMS.title):
        assert (ARTICLE, p, Literal(TITLE)) in seed_graph


def test_identifiers(seed_graph: Graph) -> None:
    g = seed_graph
    assert (ARTICLE, BIBO.doi, Literal("10.1007/s11154-021-09631-7")) in g
    assert (ARTICLE, SDO.sameAs, URIRef("https://doi.org/10.1007/s11154-021-09631-7")) in g
    assert (ARTICLE, OWL.sameAs, URIRef("https://doi.org/10.1007/s11154-021-09631-7")) in g
    assert (ARTICLE, BIBO.pmid, Literal("33783695")) in g
    assert (ARTICLE, OWL.sameAs, URIRef("http://rdf.ncbi.nlm.nih.gov/pubmed/33783695")) in g
    pv = URIRef(BASE + "pubmed/33783695/id/doi")
    assert (ARTICLE, SDO.identifier, pv) in g
    assert (pv, SDO.value, Literal("10.1007/s11154-021-09631-7")) in g


def test_container_chain(seed_graph: Graph) -> None:
    g = seed_graph
    assert (ARTICLE, SDO.isPartOf, ISSUE) in g and (ARTICLE, DCTERMS.isPartOf, ISSUE) in g
    assert (ISSUE, SDO.issueNumber, Literal("3")) in g
    assert (ISSUE, SDO.isPartOf, VOLUME) in g and (VOLUME, SDO.volumeNumber, Literal("22")) in g
    assert (VOLUME, SDO.isPartOf, JOURNAL) in g and (JOURNAL, RDF.type, BIBO.Journal) in g
    assert (ARTICLE, SDO.pageStart, Literal("539")) in g and (ARTICLE, BIBO.pageEnd, Literal("552")) in g


def test_dates_keep_precision(seed_graph: Graph) -> None:
    assert (ARTICLE, SDO.datePublished, Literal("2021-09")) in seed_graph
    assert (ARTICLE, DCTERMS.issued, Literal("2021-09", datatype=XSD.gYearMonth)) in seed_graph
    assert (ARTICLE, RDFGEN.electronicPublicationDate, Literal("2021-03-30", datatype=XSD.date)) in seed_graph


def test_authors_ordered_and_marked_incomplete(seed_graph: Graph) -> None:
    g = seed_graph
    author = URIRef(BASE + "pubmed/33783695/author/1")
    assert (ARTICLE, SDO.author, author) in g and (ARTICLE, DCTERMS.creator, author) in g
    assert (author, SDO.givenName, Literal("Ali")) in g and (author, SDO.familyName, Literal("Pirasteh")) in g
    assert (ARTICLE, RDFGEN.authorListComplete, Literal(False)) in g
    head = g.value(ARTICLE, BIBO.authorList)
    assert isinstance(head, BNode) and list(Collection(g, head)) == [author]
    ship = URIRef(BASE + "pubmed/33783695/authorship/1")
    assert (ship, RDFGEN.position, Literal(1)) in g and (ship, RDFGEN.agent, author) in g


def test_keywords(seed_graph: Graph) -> None:
    assert len(set(seed_graph.objects(ARTICLE, SDO.keywords))) == 5
    assert (ARTICLE, SDO.keywords, Literal("Neuroendocrine tumor")) in seed_graph


def test_references_linked_three_ways(seed_graph: Graph) -> None:
    g = seed_graph
    works = set(g.objects(ARTICLE, SDO.citation))
    assert len(works) == 5
    assert works == set(g.objects(ARTICLE, BIBO.cites)) == set(g.objects(ARTICLE, CITO.cites))
    assert sum(1 for w in works if g.value(w, BIBO.doi) is not None) == 4
    entry = URIRef(BASE + "pubmed/33783695/reference/1")
    assert (entry, RDF.type, BIRO.BibliographicReference) in g
    assert (entry, SDO.position, Literal(1)) in g
    work1 = URIRef(BASE + "pubmed/33783695/reference/1/work")
    assert (entry, BIRO.references, work1) in g
    assert str(g.value(entry, C4O.hasContent)).startswith("Modlin IM, Sandor A. An analysis")
    assert (work1, SDO.pageEnd, Literal("829")) in g
    doi_work = URIRef(BASE + "doi/10.1530%2Ferc-12-0340")
    assert (doi_work, BIBO.doi, Literal("10.1530/ERC-12-0340")) in g


def test_no_blank_nodes_but_list_cells(seed_graph: Graph) -> None:
    for s, p, o in seed_graph:
        if isinstance(s, BNode):
            assert p in (RDF.first, RDF.rest)
        if isinstance(o, BNode):
            assert p in (BIBO.authorList, BIBO.editorList, RDF.rest)


def test_base_is_configurable(seed_record: Record) -> None:
    g = to_graph(record_triples(seed_record, Iris("https://data.example.org/lit/")))
    assert (URIRef("https://data.example.org/lit/pubmed/33783695"), BIBO.pmid, Literal("33783695")) in g
    assert not any(str(s).startswith(BASE) for s in g.subjects())
    with pytest.raises(MappingError, match="--base"):
        Iris("not an iri")


def test_orcid_affiliation_mesh_and_retraction() -> None:
    record = Record(
        pmid="1", title="T",
        authors=(Author(family_name="Doe", given_name="Jane", orcid="0000-0002-1825-0097", equal_contribution=True,
                        affiliations=(Affiliation("Univ X", (ArticleId("ROR", "https://ror.org/02mhbdp94"),)),)),
                 Author(collective_name="The Study Group")),
        mesh_headings=(MeshHeading("D018358", "Neuroendocrine Tumors", major=False,
                                   qualifiers=(MeshQualifier("Q000000981", "diagnostic imaging", major=True),)),),
        comments_corrections=(CommentCorrection("RetractionIn", "J X 2020", pmid="2"),),
    )
    g = to_graph(record_triples(record))
    art, orcid = URIRef(BASE + "pubmed/1"), URIRef("https://orcid.org/0000-0002-1825-0097")
    assert (art, SDO.author, orcid) in g and (orcid, RDF.type, SDO.Person) in g
    aff = URIRef(BASE + "pubmed/1/author/1/affiliation/1")
    assert (orcid, SDO.affiliation, aff) in g and (aff, OWL.sameAs, URIRef("https://ror.org/02mhbdp94")) in g
    assert (URIRef(BASE + "pubmed/1/authorship/1"), RDFGEN.equalContribution, Literal(True)) in g
    assert (URIRef(BASE + "pubmed/1/author/2"), RDF.type, SDO.Organization) in g
    desc = URIRef("http://id.nlm.nih.gov/mesh/D018358")
    assert (art, SDO.about, desc) in g and (art, FABIO.hasSubjectTerm, desc) in g
    assert (art, FABIO.hasPrimarySubjectTerm, URIRef("http://id.nlm.nih.gov/mesh/D018358Q000000981")) in g
    assert (desc, SDO.termCode, Literal("D018358")) in g
    assert (art, RDFGEN.retractionIn, URIRef(BASE + "pubmed/2")) in g
    assert (art, RDFGEN.retracted, Literal(True)) in g
    assert (art, SDO.creativeWorkStatus, Literal("Retracted")) in g


def test_mapping_emits_no_empty_literal() -> None:
    g = to_graph(record_triples(Record(pmid="3", title="T", keywords=(Keyword(""), Keyword("k")))))
    assert set(g.objects(URIRef(BASE + "pubmed/3"), SDO.keywords)) == {Literal("k")}


def test_affiliation_identifiers_link_only_known_schemes() -> None:
    """ROR becomes a sameAs link; an identifier in a scheme with no IRI (here "Ringgold") is left out, not a crash."""
    from rdfgen.model import Affiliation, ArticleId, Author

    aff = Affiliation("Univ", (ArticleId("ROR", "03yrm5c26"), ArticleId("Ringgold", "12345")))
    record = Record(pmid="7", title="T", authors=(Author(family_name="Doe", given_name="J", affiliations=(aff,)),))
    g = to_graph(record_triples(record))
    org = URIRef("http://localhost:8000/pubmed/7/author/1/affiliation/1")
    assert set(g.objects(org, OWL.sameAs)) == {URIRef("https://ror.org/03yrm5c26")}


def test_record_iris_are_the_iris_minted_as_urirefs() -> None:
    """The mapping mints its IRIs as strings (``Iris.record``, ``*_iri``); they are the public URIRefs' values."""
    from rdfgen import iris as iri_module
    from rdfgen.iris import Iris, segment
    from rdfgen.model import Reference

    for iris in (Iris(), Iris("https://example.org/ld/")):
        own = iris.record("123")
        assert own.article == str(iris.article("123"))
        assert own.reference(4) == str(iris.reference("123", 4))
        assert own.author(2, None, "editor") == str(iris.author("123", 2, None, "editor"))
        assert own.author(2, "0000-0002-1825-0097") == str(iris.author("123", 2, "0000-0002-1825-0097"))
        assert own.authorship(2, "investigator") == str(iris.authorship("123", 2, "investigator"))
        assert own.affiliation(2, 3) == str(iris.affiliation("123", 2, 3))
        assert own.identifier("doi") == str(iris.identifier("123", "doi"))
        assert own.abstract_section(2, 1) == str(iris.abstract_section("123", 2, 1))
        assert own.heading(5) == str(iris.heading("123", 5))
        for ref in (Reference(position=1, citation="x", pmid="99"), Reference(position=2, citation="x", doi="10.1/A B"),
                    Reference(position=3, citation="x")):
            assert own.reference_work(ref) == str(iris.reference_work("123", ref))
        assert iris.issue_iri("k", "1 2", "3/4") == str(iris.issue("k", "1 2", "3/4"))
        assert iris.dataset_iri() == str(iris.dataset())
    assert iri_module.doi_url_iri("10.1/a<b>é") == "https://doi.org/10.1/a%3Cb%3E%C3%A9"
    assert iri_module.doi_url_iri("10.1/ab(c)") == "https://doi.org/10.1/ab(c)"
    assert segment(" a b/é ") == "a%20b%2F%C3%A9" and segment("ab-c_d.e~") == "ab-c_d.e~"


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 9999), st.one_of(st.none(), st.integers(1, 12)), st.one_of(st.none(), st.integers(1, 31)))
def test_date_literals_are_typed_at_their_precision(year: int, month: int | None, day: int | None) -> None:
    """core._date_literal, spelled out for speed, is typed(iso, the precision's datatype), and parses as that."""
    from rdfgen.mapping.core import _DATE_TYPES, _date_literal
    from rdfgen.mapping.terms import typed
    from rdfgen.model import PartialDate

    try:
        date = PartialDate(year, month, day)
    except ValueError:
        return
    assert _date_literal(date) == typed(date.iso(), _DATE_TYPES[date.precision.value])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=20), st.text(st.sampled_from("aZ09._~-/ %:é"), max_size=20),
                 st.from_regex(r"\A10\.[0-9]{4,5}/[a-z0-9./-]{1,20}\Z")))
def test_iri_segments_are_what_quote_makes(value: str) -> None:
    """rdfgen.iris.segment's fast paths (nothing to encode; only "/" to encode, as in a DOI) are quote()'s."""
    from urllib.parse import quote

    from rdfgen.iris import segment

    assert segment(value) == quote(value.strip(), safe="-._~")
