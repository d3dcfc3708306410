"""The server's record page (rdfgen serve renders it from the store) shows what the static page shows (issue 12,
defects 7 and 10): the abstract's inline markup made safe, no control characters, "et al." not numbered."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from lxml import html as lxml_html
from rdflib import Graph

from rdfgen.cli import main
from rdfgen.serialize.ntriples import nt_term
from rdfgen.server.pages import article_page

DATA = Path(__file__).parent / "data"


def _page(tmp_path: Path, source: Path, pmid: str) -> str:
    result = CliRunner().invoke(main, ["build", "-q", "--documents", "--out", str(tmp_path), str(source)])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(tmp_path / "pubmed" / f"{pmid}.nt", format="nt")
    embedding = json.loads((tmp_path / "pubmed" / f"{pmid}.embed.jsonld").read_text(encoding="utf-8"))
    terms = [(nt_term(s), nt_term(p), nt_term(o)) for s, p, o in graph]
    return article_page(terms, f"http://localhost:8000/pubmed/{pmid}", embedding, lambda iri: iri)


def test_abstract_markup_is_shown_safely(tmp_path: Path) -> None:
    page = _page(tmp_path, DATA / "xml" / "metapub_38534005.xml", "38534005")
    tree = lxml_html.fromstring(page)
    assert "Aerococcus urinae, A. sanguinicola" in [i.text_content() for i in tree.iter("i")]
    assert "&lt;i&gt;" not in page


def test_no_control_characters(tmp_path: Path) -> None:
    page = _page(tmp_path, DATA / "medline" / "biopython_pubmed_result1_control_chars.txt", "12230038")
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in page)


def test_et_al_is_not_numbered_as_an_author(tmp_path: Path) -> None:
    """A record whose author list PubMed marks incomplete (CompleteYN="N"; a real record's list, edited)."""
    source = (DATA / "xml" / "metapub_38534005.xml").read_text(encoding="utf-8")
    partial = tmp_path / "partial.xml"
    partial.write_text(source.replace('<AuthorList CompleteYN="Y">', '<AuthorList CompleteYN="N">'), encoding="utf-8")
    tree = lxml_html.fromstring(_page(tmp_path / "out", partial, "38534005"))
    assert not any("et al" in li.text_content() for li in tree.iter("li"))
    assert any("et al" in p.text_content() for p in tree.iter("p"))
    assert len(list(tree.iter("li"))) >= 9


def test_a_saved_page_with_control_characters_publishes_well_formed_rdf_xml(tmp_path: Path) -> None:
    """A copy-and-paste brings control characters into a saved page's title; they never reach any format."""
    from lxml import etree

    import rdfgen
    from rdfgen.resources import seed_path

    text = seed_path().read_text(encoding="utf-8")
    title = "Imaging of neuroendocrine tumors"
    assert title in text
    page = tmp_path / "pubmed-33783695.txt"
    page.write_text(text.replace(title, "Imaging\x01 of neuro\x00endocrine\x1a tumors", 1), encoding="utf-8")
    record = next(iter(rdfgen.read(page)))
    assert title in record.title
    xml = rdfgen.serialize([record], "rdfxml")
    etree.fromstring(xml.encode("utf-8"))  # well-formed: raises on a control character
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in rdfgen.serialize([record], "nt"))
