"""rdfgen/sources/_native.c reads a PubmedArticle's MeSH headings as their Python twin does
(rdfgen.sources.pubmed_xml._mesh_headings): every field of every heading and qualifier the same, of the same type,
on generated lists that mix what the C reader reads itself with what it leaves to the twin (markup in a name) and
the traps of real and hand-edited XML (whitespace Python's str.split knows and the XML does not, empty names, a
descriptor repeated or after its qualifiers, missing attributes, comments, processing instructions and namespaced
look-alikes); and on every PubMed XML fixture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from rdfgen.model import Record
from rdfgen.sources import pubmed_xml as px
from tests.conftest import DATA
from tests.test_native_references import _ALPHABET, _native_and_twin

_native_mesh = pytest.mark.skipif(px._native_mesh_headings is None,
                                  reason="rdfgen.sources._native was not built (no C compiler or lxml headers)")

# Whitespace as Python's str.split() sees it (NEL, no-break and the typographic spaces, line and paragraph
# separators) and two look-alikes it does not split on (zero-width space, BOM).
_SPACES = [" ", "  ", "\t", "\n", "\r\n", "\x85", "\xa0", "\u1680", "\u2000", "\u2009", "\u200a", "\u2028", "\u2029",
           "\u202f", "\u205f", "\u3000", "\u200b", "\ufeff"]
_WORDS = ["Neoplasms", "Humans", "Carcinoma, Non-Small-Cell Lung", "Vitamin B 12", "drug therapy", "Ñúñez", "漢",
          "β-Lactams", "0"]
_piece = st.sampled_from(_WORDS) | st.sampled_from(_SPACES) | st.text(_ALPHABET, max_size=3)
_text = st.lists(_piece, max_size=5).map("".join)
_NS = "{http://example.org/ns}"


def _set_attributes(draw: Any, element: etree._Element, choices: dict[str, list[str]]) -> None:
    for name, values in choices.items():
        if draw(st.booleans()):
            element.set(name, draw(st.sampled_from(values)))
    if not draw(st.integers(0, 9)):  # an attribute in a namespace is not the one .get reads
        element.set(_NS + "UI", "D0")


def _fill(draw: Any, element: etree._Element) -> None:
    """Text, and now and then markup (the twin's _text reads it), a comment or a processing instruction."""
    element.text = draw(_text) or None
    if not draw(st.integers(0, 5)):
        kind = draw(st.sampled_from(["i", "sup", "b", "comment", "pi"]))
        child = (etree.Comment(" note ") if kind == "comment" else etree.ProcessingInstruction("pi", "x")
                 if kind == "pi" else etree.Element(kind))
        if kind not in ("comment", "pi"):
            child.text = draw(_text) or None
        element.append(child)
        child.tail = draw(_text) or None


@st.composite
def _heading(draw: Any) -> etree._Element:
    heading = etree.Element(draw(st.sampled_from(["MeshHeading"] * 6 + [_NS + "MeshHeading", "Other"])))
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["DescriptorName", "DescriptorName", "QualifierName", "QualifierName",
                                     "QualifierName", _NS + "DescriptorName", _NS + "QualifierName", "Other",
                                     "comment", "pi"]))
        if kind == "comment":
            heading.append(etree.Comment("DescriptorName"))
        elif kind == "pi":
            heading.append(etree.ProcessingInstruction("QualifierName", "x"))
        else:
            child = etree.SubElement(heading, kind)
            _set_attributes(draw, child, {"UI": ["D009369", "Q000188", "", " D1 "],
                                          "MajorTopicYN": ["Y", "N", "y", "", " Y"],
                                          "Type": ["Geographic", ""]})
            _fill(draw, child)
    return heading


@st.composite
def _heading_lists(draw: Any) -> list[etree._Element]:
    lists = []
    for _ in range(draw(st.integers(1, 2))):
        heading_list = etree.Element("MeshHeadingList")
        for _ in range(draw(st.integers(0, 5))):
            heading_list.append(draw(_heading()))
            if not draw(st.integers(0, 7)):
                heading_list.append(etree.Comment("MeshHeading"))
        lists.append(heading_list)
    return lists


def _same(native_made: Any, python_made: Any) -> None:
    """Equal, and of the same types all the way down (repr shows True where 1 would pass ==)."""
    assert native_made == python_made
    assert repr(native_made) == repr(python_made)


@_native_mesh
@settings(max_examples=500, deadline=None)
@given(_heading_lists())
def test_native_mesh_headings_are_the_python_twin(heading_lists: list[etree._Element]) -> None:
    _same(*_native_and_twin(px, "_native_mesh_headings", lambda: px._mesh_headings(heading_lists)))


@_native_mesh
def test_native_mesh_headings_read_these_as_the_twin() -> None:
    """The traps one by one, each named, so a failure says which."""
    cases = {
        "unicode spaces": "<DescriptorName UI='D1'>\u2003Lung\u00a0\u00a0Neoplasms\x85</DescriptorName>",
        "zero-width space is text": "<DescriptorName>\u200b</DescriptorName>",
        "markup": "<DescriptorName MajorTopicYN='Y'>Vitamin B <sub>12</sub> </DescriptorName>",
        "empty descriptor": "<DescriptorName UI='D1'> </DescriptorName><QualifierName>x</QualifierName>",
        "qualifiers first, descriptor twice": "<QualifierName UI='Q1' MajorTopicYN='Y'>a</QualifierName>"
                                               "<DescriptorName Type='Geographic'>B</DescriptorName>"
                                               "<DescriptorName>C</DescriptorName><QualifierName/>",
        "comment inside a name": "<DescriptorName>A<!-- c -->B</DescriptorName>",
    }
    for name, children in cases.items():
        heading_list = etree.fromstring(f"<MeshHeadingList><MeshHeading>{children}</MeshHeading></MeshHeadingList>")
        native_made, python_made = _native_and_twin(px, "_native_mesh_headings",
                                                    lambda hl=heading_list: px._mesh_headings([hl]))
        assert repr(native_made) == repr(python_made), name


def _pubmed_xml_fixtures() -> list[Path]:
    """Every PubMed XML file of tests/data (the hostile and malformed ones included: they parse to nothing)."""
    return [path for folder in ("xml", "eutils", "mesh-eval") for path in sorted((DATA / folder).glob("*.xml"))]


@_native_mesh
def test_native_mesh_headings_of_the_fixtures() -> None:
    headings = 0
    for path in _pubmed_xml_fixtures():
        try:
            tree = etree.parse(str(path), etree.XMLParser(**px._SAFE_PARSER_OPTIONS))
        except etree.XMLSyntaxError:
            continue
        for citation in tree.iter("MedlineCitation"):
            heading_lists = px._group_children(citation).get("MeshHeadingList", ())
            native_made, python_made = _native_and_twin(px, "_native_mesh_headings",
                                                        lambda hl=heading_lists: px._mesh_headings(hl))
            _same(native_made, python_made)
            headings += len(native_made)
    assert headings > 300


@_native_mesh
def test_native_mesh_headings_refuse_bad_arguments_and_pass_on_what_the_twin_raises() -> None:
    heading_list = etree.fromstring("<MeshHeadingList><MeshHeading><DescriptorName>A <i>b</i></DescriptorName>"
                                    "</MeshHeading></MeshHeadingList>")
    with pytest.raises(TypeError):
        px._native_mesh_headings(["not an element"], px._MESH_HOOKS)
    with pytest.raises(TypeError):
        px._native_mesh_headings([heading_list], px._MESH_HOOKS[:2])

    def broken(_element: etree._Element) -> str:
        raise ValueError("from the hook")

    with pytest.raises(ValueError, match="from the hook"):
        px._native_mesh_headings([heading_list], (broken, *px._MESH_HOOKS[1:]))


@_native_mesh
def test_records_of_the_fixtures_read_through_the_twins_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whole records, and the errors reported for broken ones, as the parse gives them."""
    def read(path: Path) -> list[Any]:
        errors: list[Any] = []
        found = [(r.pmid, r.mesh_headings) for r in px.iter_pubmed_xml(path, on_error=errors.append)
                 if isinstance(r, Record)]
        return [found, [str(e) for e in errors]]

    compared = 0
    for path in _pubmed_xml_fixtures():
        try:
            native_read = read(path)
        except Exception:  # noqa: BLE001 - the malformed and hostile fixtures: their own tests say what happens
            continue
        with monkeypatch.context() as patch:
            patch.setattr(px, "_native_mesh_headings", None)
            assert repr(read(path)) == repr(native_read), path.name
        compared += len(native_read[0])
    assert compared > 50
