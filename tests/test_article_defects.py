"""Defects found on real PubMed data (issue 12), each on a real record: a CommentsCorrections item without a PMID
(6), abstract markup (7), control characters and "et al." on the HTML page (10).

Fixtures: tests/data/README.md. Every record is also checked against ontology/shapes.ttl with the compiled check.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import lxml.html
import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

import rdfgen
from rdfgen.iris import Iris
from rdfgen.mapping import record_triples
from rdfgen.mapping.core import Triple
from rdfgen.model import CommentCorrection, Record
from rdfgen.publish.shapes_check import compile_shapes
from rdfgen.resources import ontology_path
from rdfgen.serialize.graph import to_graph
from rdfgen.serialize.html import safe_html
from rdfgen.sources import markup
from rdfgen.sources.medline import iter_medline
from rdfgen.sources.pubmed_xml import iter_pubmed_xml
from rdfgen.vocab import BIBO, DCTERMS, OWL, RDF, RDFGEN, SDO

DATA = Path(__file__).parent / "data"
MATHML = "http://www.w3.org/1998/Math/MathML"
IRIS = Iris()
ERRATUM_SOURCE = "AIDS Care. 2024 Jul;36(sup1):24-35. doi: 10.1080/09540121.2024.2308745."
ERRATUM_DOI = "10.1080/09540121.2024.2308745"
# What a page must not carry (HTML parse errors, and most of them illegal in XML 1.0): C0 controls but tab, LF, CR;
# DEL and C1 controls; lone surrogates; noncharacters (U+FDD0 to U+FDEF, and the last two code points of each plane).
_NONCHARACTERS = "".join(chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF))
"""The last two code points of each of the 17 planes: noncharacters, like U+FDD0..U+FDEF."""
NOT_IN_A_PAGE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]")


def xml_record(name: str, pmid: str) -> Record:
    return next(r for r in iter_pubmed_xml(DATA / "xml" / name) if isinstance(r, Record) and r.pmid == pmid)


def mapped(record: Record) -> tuple[list[Triple], Graph]:
    """The record's triples (checked against the shapes) and their graph."""
    triples = list(record_triples(record))
    report = compile_shapes().check(triples)
    assert report.conforms, report
    return triples, to_graph(triples)


def page(record: Record) -> lxml.html.HtmlElement:
    """The record's HTML page as the build writes it, parsed, after checking it carries no forbidden character."""
    text = rdfgen.serialize([record], "html", mesh=False)
    assert NOT_IN_A_PAGE.search(text) is None
    return lxml.html.fromstring(text)


def section_html(element: lxml.html.HtmlElement) -> str:
    """An element's inner HTML, as written back by lxml."""
    return (element.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in element)


# 6. A CommentsCorrections item without a PMID -------------------------------------------------------------------


def test_comment_correction_without_pmid_keeps_its_text_and_doi() -> None:
    r = xml_record("metapub_38962805_erratum_without_pmid.xml", "38962805")
    assert r.comments_corrections == (CommentCorrection("ErratumFor", ref_source=ERRATUM_SOURCE, doi=ERRATUM_DOI),)


def test_medline_reads_the_same_item() -> None:
    """The MEDLINE export of the item (EFR, as PubMed writes it when there is no PMID) gives the same link."""
    text = f"PMID- 38962805\nTI  - Correction.\nEFR - {ERRATUM_SOURCE}\n".encode()
    (r,) = iter_medline(io.BytesIO(text))
    assert r.comments_corrections == (CommentCorrection("ErratumFor", ref_source=ERRATUM_SOURCE, doi=ERRATUM_DOI),)


def test_comment_correction_without_pmid_is_a_node_under_the_record() -> None:
    """The same predicate as with a PMID, to ``BASE pubmed/{pmid}/related/{n}`` with the text and the DOI."""
    _, g = mapped(xml_record("metapub_38962805_erratum_without_pmid.xml", "38962805"))
    article = IRIS.article("38962805")
    node = URIRef(f"{IRIS.base}pubmed/38962805/related/1")
    assert set(g.objects(article, RDFGEN.erratumFor)) == {node}
    assert (node, RDF.type, SDO.CreativeWork) in g
    assert (node, DCTERMS.bibliographicCitation, Literal(ERRATUM_SOURCE)) in g
    assert (node, BIBO.doi, Literal(ERRATUM_DOI)) in g
    assert (node, SDO.sameAs, URIRef(f"https://doi.org/{ERRATUM_DOI}")) in g
    assert (node, OWL.sameAs, IRIS.doi_work(ERRATUM_DOI)) in g
    assert not list(g.objects(article, RDFGEN.relatedNote))


def test_with_a_pmid_the_same_predicate_links_the_article() -> None:
    """The unedited record: the predicate is the same, its object PubMed's article, and no node is minted."""
    _, g = mapped(xml_record("metapub_38962805.xml", "38962805"))
    assert set(g.objects(IRIS.article("38962805"), RDFGEN.erratumFor)) == {IRIS.article("38446048")}
    assert not list(g.subjects(RDF.type, SDO.CreativeWork))


def test_page_lists_the_item_with_its_doi() -> None:
    doc = page(xml_record("metapub_38962805_erratum_without_pmid.xml", "38962805"))
    (item,) = doc.xpath('//ul[@class="related"]/li')
    assert " ".join(item.text_content().split()) == f"Erratum for: {ERRATUM_SOURCE} DOI"
    assert [a.get("href") for a in item.iter("a")] == [f"https://doi.org/{ERRATUM_DOI}"]


# 7. Abstract markup ---------------------------------------------------------------------------------------------


def test_superscripts_read_with_a_caret_and_stay_sup_in_html() -> None:
    """PMID 38914053: "10<sup>18</sup>cm<sup>-3</sup>" is not "1018cm-3"; the missing spaces are the source's."""
    (s,) = xml_record("metapub_38914053.xml", "38914053").abstract.sections  # type: ignore[union-attr]
    assert "carrier concentration reached up 2.5 × 10^18cm^-3for the as-deposited" in s.text
    assert "Nb-doped SnO2(NTO) thin films" in s.text
    assert s.html is not None
    assert "2.5 × 10<sup>18</sup>cm<sup>-3</sup>for" in s.html and "SnO<sub>2</sub>(NTO)" in s.html


def test_mathml_prescripts_and_thin_spaces() -> None:
    """PMID 29963580: mmultiscripts with mprescripts is ³He (the mass number first), and ``<mtext>&#x2009;</mtext>``
    is a space: "^3He/^129Xe MRI", not "He3/Xe129MRI"."""
    (s,) = xml_record("biopython_pubmed7.xml", "29963580").abstract.sections  # type: ignore[union-attr]
    assert "(1) inhaled ^3He/^129Xe MRI ventilation" in s.text
    assert "(3) ultrashort echo-time ^1H MRI proton density" in s.text
    assert s.html is not None and "inhaled <sup>3</sup>He/<sup>129</sup>Xe MRI ventilation" in s.html


def test_mathml_subsup_charges_and_underlined_signs() -> None:
    """PMID 33821504: msubsup T, 2, ∗ is T<sub>2</sub><sup>∗</sup>, plain "T2∗" (a sign needs no caret);
    34096326: an underlined "<" is "≤"; 34095936: an ion's charge reads "Mn2+"."""
    t2 = xml_record("pubmed21n1298_excerpt.xml", "33821504").abstract.sections[0]  # type: ignore[union-attr]
    assert "understanding MR characteristics such as T2∗ s of the HP signals" in t2.text
    assert t2.html is not None and "such as T<sub>2</sub><sup>∗</sup> s of the HP" in t2.html
    egfr = xml_record("pubmed21n1298_excerpt.xml", "34096326").abstract.sections[-1]  # type: ignore[union-attr]
    assert "CKD stages 3b, 4 & 5 (eGFR ≤44 ml/min/1.73m^2)" in egfr.text
    assert egfr.html is not None and "4 &amp; 5 (eGFR <u>&lt;</u>44 ml/min/1.73m<sup>2</sup>)" in egfr.html
    ion = xml_record("pubmed21n1298_excerpt.xml", "34095936")
    assert ion.title == "Construction of a novel mechanoluminescent phosphor Li2MgGeO4:xMn2+ by defect control."


def test_abstract_html_is_published_beside_the_plain_text() -> None:
    """PMID 27797938, a structured abstract with i, sub and sup: rdfgen:abstractHtml on the article mirrors
    schema:abstract ("LABEL: text" paragraphs) with the markup kept, and each section node has its own."""
    r = xml_record("biopython_pubmed4.xml", "27797938")
    _, g = mapped(r)
    article = IRIS.article(r.pmid)
    (plain,) = g.objects(article, SDO.abstract)
    (marked,) = g.objects(article, RDFGEN.abstractHtml)
    assert "(comparing extreme quintiles of telomere length, OR 1.72; 95% CI 1.07 to 2.78; ptrend=0.048)" in plain
    assert "Three SNPs at TERT (linkage disequilibrium r^2<0.25)" in plain and "<" not in plain.replace("r^2<0", "")
    assert str(marked).split("\n\n")[0].startswith("OBJECTIVE: Telomere shortening occurs")
    assert [p.split(":")[0] for p in str(marked).split("\n\n")] == ["OBJECTIVE", "DESIGN", "RESULTS", "CONCLUSIONS"]
    assert "p<sub>trend</sub>=0.048" in marked and "Three SNPs at <i>TERT</i> (linkage disequilibrium r<sup>2</sup>" \
        "&lt;0.25)" in marked
    results = URIRef(f"{IRIS.base}pubmed/27797938/abstract/3")
    assert (results, RDFGEN.sectionLabel, Literal("RESULTS")) in g
    (section,) = g.objects(results, RDFGEN.abstractHtml)
    assert str(section) == r.abstract.sections[2].html  # type: ignore[union-attr]


def test_abstract_without_markup_has_no_html_form() -> None:
    _, g = mapped(xml_record("metapub_1000.xml", "1000"))
    assert list(g.objects(IRIS.article("1000"), SDO.abstract)) and not list(g.triples((None, RDFGEN.abstractHtml,
                                                                                          None)))


def test_embedding_carries_the_readable_plain_text() -> None:
    """schema.org's abstract is text: the embedding has the caret form and no markup; the HTML form is rdfgen's."""
    r = xml_record("metapub_38914053.xml", "38914053")
    embedding = rdfgen.embed(r, mesh=False)
    assert embedding["abstract"] == r.abstract.text  # type: ignore[union-attr]
    assert "10^18cm^-3" in embedding["abstract"] and "<" not in embedding["abstract"]
    assert embedding["headline"] == "Doped SnO2thin films fabricated at low temperature by atomic layer deposition " \
                                    "with a precise incorporation of niobium atoms."
    assert not any("abstractHtml" in key for key in embedding)


def test_page_shows_the_markup_and_nothing_else() -> None:
    """The page renders the HTML form: sup, sub and i elements, in the abstract and the title."""
    doc = page(xml_record("biopython_pubmed4.xml", "27797938"))
    (h1,) = doc.iter("h1")
    assert section_html(h1) == ("Leucocyte telomere length, genetic variants at the <i>TERT</i> gene region and risk "
                                "of pancreatic cancer.")
    paragraphs = [p for p in doc.iter("p") if p.find("span") is not None and p.find("span").get("class") == "label"]
    assert [p.find("span").text for p in paragraphs] == ["OBJECTIVE:", "DESIGN:", "RESULTS:", "CONCLUSIONS:"]
    results = paragraphs[2]
    assert {e.tag for e in results.iter()} == {"p", "span", "i", "sub", "sup"}
    assert [(e.tag, e.text) for e in results.iter("sub", "sup")] == [("sub", "trend"), ("sup", "2")]
    assert "(linkage disequilibrium r2<0.25)" in results.text_content()


def test_ontology_declares_abstract_html() -> None:
    vocab = Graph().parse(ontology_path("rdfgen.ttl"), format="turtle")
    assert (RDFGEN.abstractHtml, RDF.type, OWL.DatatypeProperty) in vocab
    assert vocab.value(RDFGEN.abstractHtml, RDFS.label) and vocab.value(RDFGEN.abstractHtml, RDFS.comment)


# 10. Control characters; "et al." --------------------------------------------------------------------------------

CONTROL_TITLE = "The Bio*\x01 toolkits--a\x00 brief\x1a overview.\x7f"  # as the fixture's TI line has it
READ_TITLE = "The Bio* toolkits--a brief overview.\x7f"  # less what XML 1.0 cannot carry (DEL it can)
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def control_record() -> Record:
    """PMID 12230038 as MEDLINE text, its title with NUL, U+0001, U+001A and DEL written in."""
    (r,) = iter_medline(DATA / "medline" / "biopython_pubmed_result1_control_chars.txt")
    return r


def test_medline_drops_what_xml_cannot_carry() -> None:
    """Raptor ends a literal at U+0000 and RDF/XML cannot hold U+0001: the reader drops them; DEL is legal XML."""
    r = control_record()
    assert r.title == READ_TITLE
    mapped(r)


@pytest.mark.parametrize("title", [READ_TITLE, CONTROL_TITLE], ids=["as-read", "as-built"])
def test_page_drops_control_characters(title: str) -> None:
    """The page drops them from text whoever built the record (other sources, the Python API), and the JSON-LD
    in its head keeps the data as it is, escaped."""
    doc = page(replace(control_record(), title=title))
    assert doc.findtext(".//title") == doc.findtext(".//h1") == "The Bio* toolkits--a brief overview."
    (script,) = doc.iter("script")
    assert json.loads(script.text)["headline"] == title


@pytest.mark.parametrize("fmt", ["nt", "nquads", "ttl", "trig", "rdfxml", "jsonld", "embed"])
def test_no_format_carries_what_xml_cannot(fmt: str) -> None:
    """Every format of the registry (and the embedding) is free of XML-illegal characters and keeps the title's DEL:
    N-Triples, N-Quads and Turtle as a \\u escape, the others as itself (legal there); RDF/XML is well-formed."""
    text = rdfgen.serialize([control_record()], fmt, mesh=False)
    assert NOT_XML.search(text) is None
    if fmt in ("jsonld", "embed"):
        assert READ_TITLE in strings(json.loads(text))
        return
    if fmt == "rdfxml":
        etree.fromstring(text.encode())  # a strict XML parser: raises on what XML 1.0 cannot hold
    elif fmt != "trig":  # rdflib writes TriG, and leaves DEL as it is (legal there too)
        assert "\x7f" not in text and "\\u007F" in text
    media = {"nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE,
             "trig": ox.RdfFormat.TRIG, "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
    article = ox.NamedNode(str(IRIS.article("12230038")))
    titles = {q.object.value for q in ox.parse(text.encode(), media)
              if q.subject == article and q.predicate == ox.NamedNode(str(DCTERMS.title))}
    assert titles == {READ_TITLE}


def strings(value: object) -> set[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        value = list(value.values())
    return set().union(*map(strings, value)) if isinstance(value, list) else set()


def test_et_al_is_not_numbered_as_an_author(seed_record: Record) -> None:
    """The seed page names one author and "et al.": the numbered list holds the one author only."""
    assert not seed_record.authors_complete and len(seed_record.authors) == 1
    doc = page(seed_record)
    (authors,) = doc.xpath('//ol[@class="authors"]')
    assert [li.text_content().strip() for li in authors.iter("li")] == ["Ali Pirasteh"]
    (more,) = doc.xpath('//p[contains(@class, "etal")]')
    assert more.text_content() == "et al. (the source lists only these)"


# The page's sanitiser ---------------------------------------------------------------------------------------------

ALLOWED = {"i", "b", "u", "sup", "sub"}
PIECES = st.sampled_from(["<i>", "</i>", "<b>", "</b>", "<u>", "</u>", "<sup>", "</SUP>", "<sub>", "</sub>",
                          "<script>", "</script>", "<a href='x'>", "</a>", "<i class=x>", "<!--", "-->", "<![CDATA[",
                          "<?pi?>", "&lt;", "&amp;", "&#1;", "&#0;", "&#x85;", "&#xD800;", "&", "<", ">", "/", "\x00",
                          "\x01", "\x0c", "\x1f", "\x7f", "\x85", "\ud800", "\ufffe", "\t", "\n", "é"])
FRAGMENTS = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=30).map("".join)


class _Structure(HTMLParser):
    """Records what an HTML parser sees: tags (with attributes), end tags, and anything that is not text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED or attrs:
            self.problems.append(f"start {tag} {attrs}")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"end {tag}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"empty {tag}")

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("declaration")


@given(FRAGMENTS)
def test_sanitiser_lets_only_inline_elements_through(fragment: str) -> None:
    """Whatever the fragment: only the five inline elements, bare and properly nested, no comment or declaration,
    no character a page must not carry; and sanitising again changes nothing."""
    out = safe_html(fragment)
    assert NOT_IN_A_PAGE.search(out) is None
    parser = _Structure()
    parser.feed(out)
    parser.close()
    assert parser.problems == [] and parser.open == []
    assert safe_html(out) == out


XML_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=6)
INLINE_TREES = st.recursive(
    XML_TEXT,
    lambda inner: st.tuples(st.sampled_from(["i", "b", "u", "sup", "sub", "span", "mml:msup", "mml:mi", "mml:mtext",
                                             "mml:mmultiscripts", "mml:mprescripts", "mml:mfrac"]),
                            st.lists(inner, max_size=3)),
    max_leaves=10,
)


def as_xml(tree: str | tuple[str, list[object]]) -> str:
    if isinstance(tree, str):
        return xml_escape(tree)
    tag, children = tree
    return f"<{tag}>{''.join(as_xml(c) for c in children)}</{tag}>"  # type: ignore[arg-type]


@given(st.lists(INLINE_TREES, max_size=4))
def test_parsed_markup_is_already_safe(trees: list[str | tuple[str, list[object]]]) -> None:
    """Whatever inline markup and MathML a record holds, its HTML form is what the page's sanitiser lets through
    unchanged: the parser never writes what the page would have to escape."""
    element = etree.fromstring(f'<AbstractText xmlns:mml="{MATHML}">{"".join(as_xml(t) for t in trees)}'
                               "</AbstractText>")
    marked_up = markup.html(markup.runs(element))
    assert safe_html(marked_up) == marked_up


@given(st.text(alphabet=st.characters(blacklist_characters="<&", blacklist_categories=("Cs",))))
def test_sanitiser_keeps_plain_text(text: str) -> None:
    """Text without markup comes out as itself, escaped, less the characters a page must not carry."""
    out = safe_html(text)
    assert out == NOT_IN_A_PAGE.sub("", text).replace(">", "&gt;")


def test_retractions_query_gives_no_pmid_for_a_notice_without_one() -> None:
    """queries/retractions-corrections.rq: the node's IRI is under the record's, which is no PMID of the notice."""
    from rdfgen.sparql.run import run

    _, g = mapped(xml_record("metapub_38962805_erratum_without_pmid.xml", "38962805"))
    store = ox.Store()
    store.extend(ox.parse(g.serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES))
    for data in (g, store):
        assert run("retractions-corrections", data=data).values() == [
            ("38962805", str(IRIS.article("38962805")), "Correction.", "false", "ErratumFor",
             f"{IRIS.base}pubmed/38962805/related/1", None)]
