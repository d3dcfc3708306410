"""rdfgen/sources/_native.c reads PubMed XML reference lists as their Python twin does
(rdfgen.sources.pubmed_xml._collect_references and _reference, and rdfgen.sources.citation.reference): every field
of every Reference the same, the parts parsed from a citation's text included, on generated lists that mix what
the C reader reads itself with what it must leave to the twin (markup, case-folded and non-ASCII digits, link
labels, second DOIs, malformed and repeated identifiers)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from rdfgen.model import Reference
from rdfgen.publish.build import BuildOptions, build_files
from rdfgen.sources import pubmed_xml as px
from tests.conftest import DATA

native = pytest.mark.skipif(px._native_collect is None,
                            reason="rdfgen.sources._native was not built (no C compiler or lxml headers at install)")

# Pieces of real citations and of the traps in them, glued together in any order.
_PIECES = [
    "Modlin IM, Sandor A, et al. ", "Ter-Minassian M. ", "O'Neil J, van der Berg AB. ", "Title of the work. ",
    "Cancer. 1997;79(4):813–29. ", "Lancet. 2001 Jan 6;357:1-5. ", "J Med. 2018;25(1):R11-29.", "N Engl J Med. ",
    "doi:", "doi: ", "DOI:", "Doi:10.1000/XYZ", "https://doi.org/", "http://dx.doi.org/", "HTTPS://DX.DOI.ORG/",
    "10.1000/xyz123", "10.1016/j.cell.2020.01.001.", "10.12345678901/too-long", "10.123/too-short", "10.1000/",
    "10.", "PMID:", "PMID: 12345", "PMID:0", "xPMID: 1", "PMC", "PMC12345", "PMC123x", "_PMC9", " - ", " - PubMed",
    " - DOI", "et al", "  ", "\t", "\n", " ", ".", ";", ":", "(", ")", "/", "ı", "İ", "ſ", "٣", "\u00a0", "\u2009",
    "é", "–", "漢", "_",
]
_PREFIXES = ["doi:", "doi: ", "DOI:", "doi:\t", "xdoi:", "https://doi.org/", "http://dx.doi.org/", "HTTPS://DX.DOI.ORG/",
             "https://dx.doi.org", "httpſ://doi.org/", "https://doı.org/", "doİ:", "ſ", "", " "]
_DOIS = ["10.1000/xyz123", "10.1000/XYZ123", "10.1016/j.cell.2020.01.001.", "10.123456789/nine", "10.1234567890/ten",
         "10.123/three", "10.1000/", "10.1000/a b", "10.١٢٣٤/arabic", "10.1000/x_", "10.1000/a(b)c;"]
_mention = st.tuples(st.sampled_from(_PREFIXES), st.sampled_from(_DOIS)).map("".join)
_ALPHABET = st.characters(blacklist_categories=("Cs", "Cc"), max_codepoint=0x2FFF) | st.sampled_from("\t\n ")
_glued = st.lists(st.sampled_from(_PIECES) | _mention | st.text(_ALPHABET, max_size=6), max_size=14).map("".join)
_IDS = ["10.1000/xyz123", "10.1000/XYZ123.", "10.1000/xyz123 ", " 10.1000/abc", "10.1000/a;10.1000/b", "doi:10.1/x",
        "12345", " 0012345 ", "0", "", "  ", "abc", "PMC12345", "٣٣", "ı"]
_id_value = st.sampled_from(_IDS) | st.sampled_from(_DOIS) | _mention | _glued
_id_type = st.sampled_from(["doi", "pubmed", "pmc", "pii", "DOI", None])


@st.composite
def _reference(draw: Any) -> etree._Element:
    element = etree.Element("Reference")
    parts = draw(st.permutations(["citation", "ids", "other"]))
    for part in parts:
        if part == "citation" and draw(st.integers(0, 9)):
            citation = etree.SubElement(element, "Citation")
            citation.text = draw(_glued) or None
            if not draw(st.integers(0, 7)):  # markup: the twin reads it
                etree.SubElement(citation, draw(st.sampled_from(["i", "sup", "b"]))).text = draw(_glued)
                citation[-1].tail = draw(_glued) or None
        elif part == "ids" and draw(st.booleans()):
            ids = etree.SubElement(element, "ArticleIdList")
            for _ in range(draw(st.integers(0, 4))):
                article_id = etree.SubElement(ids, "ArticleId")
                if (id_type := draw(_id_type)) is not None:
                    article_id.set("IdType", id_type)
                article_id.text = draw(_id_value) or None
        elif part == "other" and draw(st.booleans()):
            etree.SubElement(element, draw(st.sampled_from(["Citation", "Note", "ArticleIdList"]))).text = "x"
    return element


@st.composite
def _reference_list(draw: Any, depth: int = 0) -> etree._Element:
    element = etree.Element("ReferenceList")
    if draw(st.booleans()):
        etree.SubElement(element, "Title").text = draw(st.sampled_from(["References", " Notes ", ""]))
    for _ in range(draw(st.integers(0, 5))):
        if depth < 2 and not draw(st.integers(0, 5)):
            element.append(draw(_reference_list(depth + 1)))
        else:
            element.append(draw(_reference()))
    return element


def _fields(references: tuple[Reference, ...]) -> list[tuple[Any, ...]]:
    """Every field, the parts an unparsed Reference parses when read included."""
    return [tuple(getattr(r, f.name) for f in dataclasses.fields(r)) for r in references]


def _both(container: etree._Element, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[Any]]:
    native_read = _fields(px._references(container))
    with monkeypatch.context() as patch:
        patch.setattr(px, "_native_collect", None)
        python_read = _fields(px._references(container))
    return native_read, python_read


@native
@settings(max_examples=400, deadline=None)
@given(st.lists(_reference_list(), min_size=1, max_size=2))
def test_native_reference_lists_are_the_python_twin(lists: list[etree._Element]) -> None:
    container = etree.Element("PubmedData")
    container.extend(lists)
    with pytest.MonkeyPatch.context() as monkeypatch:
        native_read, python_read = _both(container, monkeypatch)
    assert native_read == python_read


@native
def test_native_reads_the_fixtures_as_the_python_twin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every reference list of the real records in tests/data/xml (notes on malformed DOIs, PMID 0 included)."""
    lists = 0
    for path in sorted((DATA / "xml").glob("*.xml")):
        try:
            tree = etree.parse(str(path), etree.XMLParser(**px._SAFE_PARSER_OPTIONS))
        except etree.XMLSyntaxError:  # the malformed and hostile fixtures: no reference list to read
            continue
        for container in tree.iter("PubmedData"):
            native_read, python_read = _both(container, monkeypatch)
            assert native_read == python_read, path.name
            lists += bool(native_read)
    assert lists >= 10


@native
def test_native_refuses_what_is_not_an_element() -> None:
    with pytest.raises(TypeError):
        px._native_collect("not an element", None, [], px._NATIVE_HOOKS)
    with pytest.raises(TypeError):
        px._native_collect(etree.Element("ReferenceList"), None, [], px._NATIVE_HOOKS[:2])


@native
def test_native_passes_on_what_the_twin_raises() -> None:
    """An exception in a hook (here the twin, reading a Citation with markup) reaches the caller unchanged."""
    reference_list = etree.fromstring("<ReferenceList><Reference><Citation>A <i>b</i></Citation></Reference>"
                                      "</ReferenceList>")

    def broken(*_args: object) -> Reference:
        raise ValueError("from the hook")

    with pytest.raises(ValueError, match="from the hook"):
        px._native_collect(reference_list, None, [], (broken, *px._NATIVE_HOOKS[1:]))


@native
def test_a_build_through_the_python_reader_gives_the_same_bytes(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the extension could not be built, a build of real records is byte for byte the same."""
    sources = [str(DATA / "xml" / name) for name in ("metapub_39166619.xml", "pubmed21n1298_excerpt.xml")]
    build_files(sources, tmp_path / "native", BuildOptions(documents=False))
    monkeypatch.setattr(px, "_native_collect", None)
    build_files(sources, tmp_path / "python", BuildOptions(documents=False))
    written = sorted(p.relative_to(tmp_path / "native") for p in (tmp_path / "native").rglob("*.gz"))
    assert len(written) >= 4
    for path in written:
        assert (tmp_path / "native" / path).read_bytes() == (tmp_path / "python" / path).read_bytes(), path
