"""rdfgen/sources/_native.c reads a PubmedArticle's MeSH headings and history dates as their Python twins do
(rdfgen.sources.pubmed_xml._mesh_headings and _history): every field of every heading, qualifier and date the same,
of the same type, and the same FieldError for an impossible date, on generated XML that mixes what the C reader
reads itself with what it leaves to the twin (markup in a name; a date not given as plain numbers) and the traps of
real and hand-edited XML (whitespace Python's str.split knows and the XML does not, empty names, a descriptor
repeated or after its qualifiers, missing attributes, comments, processing instructions and namespaced
look-alikes; month names, seasons, MedlineDate, Feb 29 and 30, non-ASCII digits, leading zeros, no Year); and on
every PubMed XML fixture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from rdfgen.model import Record
from rdfgen.sources import pubmed_xml as px
from rdfgen.sources.text import FieldError
from tests.conftest import DATA
from tests.test_native_references import _ALPHABET, _native_and_twin

_native_abstract = pytest.mark.skipif(px._native_abstract is None,
                                      reason="rdfgen.sources._native was not built (no C compiler or lxml headers)")
_native_ids = pytest.mark.skipif(px._native_ids is None,
                                 reason="rdfgen.sources._native was not built (no C compiler or lxml headers)")
_native_terms = pytest.mark.skipif(px._native_keywords is None or px._native_publication_types is None,
                                   reason="rdfgen.sources._native was not built (no C compiler or lxml headers)")
_native_history = pytest.mark.skipif(px._native_history is None,
                                     reason="rdfgen.sources._native was not built (no C compiler or lxml headers)")
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
        found = [(r.pmid, r.mesh_headings, r.history, r.abstract, r.other_abstracts, r.article_ids, r.doi, r.notes,
                  r.keywords, r.publication_types)
                 for r in px.iter_pubmed_xml(path, on_error=errors.append) if isinstance(r, Record)]
        return [found, [str(e) for e in errors]]

    compared = 0
    for path in _pubmed_xml_fixtures():
        try:
            native_read = read(path)
        except Exception:  # noqa: BLE001 - the malformed and hostile fixtures: their own tests say what happens
            continue
        with monkeypatch.context() as patch:
            patch.setattr(px, "_native_mesh_headings", None)
            patch.setattr(px, "_native_history", None)
            patch.setattr(px, "_native_abstract", None)
            patch.setattr(px, "_native_ids", None)
            patch.setattr(px, "_native_keywords", None)
            patch.setattr(px, "_native_publication_types", None)
            assert repr(read(path)) == repr(native_read), path.name
        compared += len(native_read[0])
    assert compared > 50


# History dates --------------------------------------------------------------------------------------------------

# The first values of each list are the plain numbers PubMed writes (and near misses: a space inside, a 20-digit
# number that wraps to 2013 in 64 bits), the rest what the twin reads.
_YEARS = ["2013", "2000", "1900", "2024", "0013", "20 13", "18446744073709553629", "2023", "13", "0", "0000", "12345",
          "２０１３", "٢٠١٣", "2013a", "2_013", "+2013", "²⁰¹³", ""]
_MONTHS = ["10", "1", "02", "2", "0 2", "01", "001", "0", "13", "Jan", "jan", "January", "Feb", "Sept", "Sep.",
           "Market", "٢", "１", "1x", ""]
_DAYS = ["1", "01", "29", "30", "2 9", "27", "28", "31", "0", "32", "٣", "x", "1.5", "-1", "0000000029", ""]
_PLAIN = 7
_MEDLINE_DATES = ["1998 Dec-1999 Jan", "2021 Spring", "2018 Jun 5", "Winter 1977", "no year", "", " "]
_SEASONS = ["Spring", "Winter", "Fall", "", " "]
_PARTS = {"Year": _YEARS, "Month": _MONTHS, "Day": _DAYS, "MedlineDate": _MEDLINE_DATES, "Season": _SEASONS,
          "Hour": ["6", "x"]}
_pad = st.sampled_from(["", "", "", " ", "\n      ", "\t", "\r", "\xa0", "\u2003", "\x85", "\u200b"])


def _date_part(draw: Any, element: etree._Element, kind: str, plain: bool) -> None:
    if kind == "comment":
        element.append(etree.Comment("Year"))
        return
    child = etree.SubElement(element, _NS + "Year" if kind == "namespaced" else kind)
    values = _PARTS.get(kind, _YEARS)
    text = draw(_pad) + draw(st.sampled_from(values[:_PLAIN] if plain else values)) + draw(_pad)
    child.text = (etree.CDATA(text) if text and not draw(st.integers(0, 9)) else text) or None
    if not draw(st.integers(0, 11)):  # markup: .text is only what comes before it
        etree.SubElement(child, "b").tail = draw(st.sampled_from(_DAYS))


@st.composite
def _pub_date(draw: Any) -> etree._Element:
    element = etree.Element(draw(st.sampled_from(["PubMedPubDate"] * 8 + [_NS + "PubMedPubDate", "Other"])))
    if draw(st.integers(0, 4)):
        element.set("PubStatus", draw(st.sampled_from(["received", "accepted", "entrez", "pubmed", "medline", ""])))
    kinds = [*_PARTS, "Year", "Month", "Day", "comment", "namespaced"]
    if draw(st.integers(0, 2)):  # most dates as PubMed writes them, now and then with a part twice or one more
        for kind in ["Year", "Month", "Day"][:draw(st.integers(1, 3))]:
            _date_part(draw, element, kind, plain=True)
        for _ in range(draw(st.integers(0, 2))):
            kind = draw(st.sampled_from(kinds))
            _date_part(draw, element, kind, plain=kind in ("Year", "Month", "Day"))
            if draw(st.booleans()):  # before the others
                element.insert(0, element[-1])
    else:
        for kind in draw(st.lists(st.sampled_from(kinds), max_size=6)):
            _date_part(draw, element, kind, plain=False)
    return element


@st.composite
def _pubmed_data(draw: Any) -> etree._Element:
    data = etree.Element("PubmedData")
    for _ in range(draw(st.integers(0, 2))):
        history = etree.SubElement(data, draw(st.sampled_from(["History", "History", "History", _NS + "History"])))
        for _ in range(draw(st.integers(0, 4))):
            history.append(draw(_pub_date()))
            if not draw(st.integers(0, 7)):
                history.append(etree.Comment("PubMedPubDate"))
    if not draw(st.integers(0, 3)):
        data.insert(0, etree.Element("ArticleIdList"))
    return data


def _outcome(read: Any) -> Any:
    """What reading gives: its result, or the error (type, field, reason, cause) it raises."""
    try:
        return repr(read())
    except Exception as error:  # noqa: BLE001 - the two twins must fail alike
        cause = error.__cause__
        return (type(error).__name__, getattr(error, "field", None), str(error), type(cause).__name__, str(cause))


@_native_history
@settings(max_examples=600, deadline=None)
@given(_pubmed_data())
def test_native_history_is_the_python_twin(data: etree._Element) -> None:
    native_read, python_read = _native_and_twin(px, "_native_history", lambda: _outcome(lambda: px._history(data)))
    assert native_read == python_read


@_native_history
def test_native_history_reads_these_as_the_twin() -> None:
    """The traps one by one, each named, so a failure says which; an impossible date raises the twin's FieldError."""
    cases = {
        "plain": "<Year>2013</Year><Month>10</Month><Day>27</Day><Hour>6</Hour>",
        "padded, leading zeros": "<Year>\n 2013 </Year><Month>\t09</Month><Day>01 </Day>",
        "no-break space": "<Year>2013\u00a0</Year><Month>1</Month>",
        "Feb 29 of 2000, 1900": "<Year>2000</Year><Month>2</Month><Day>29</Day></PubMedPubDate>"
                                "<PubMedPubDate><Year>1900</Year><Month>2</Month><Day>29</Day>",
        "Feb 30": "<Year>2024</Year><Month>02</Month><Day>30</Day>",
        "month name": "<Year>2013</Year><Month>Sep</Month><Day>3</Day>",
        "month 13": "<Year>2013</Year><Month>13</Month>",
        "no year": "<Month>1</Month><Day>2</Day>",
        "a day without a month": "<Year>2013</Year><Day>2</Day>",
        "season": "<Year>2016</Year><Season>Winter</Season>",
        "MedlineDate": "<MedlineDate>1998 Dec-1999 Jan</MedlineDate><Year>1</Year>",
        "Arabic-Indic digits": "<Year>٢٠١٣</Year>",
        "year 0": "<Year>0000</Year>",
        "two years, the first counts": "<Year>2013</Year><Year>2014</Year><Month>5</Month><Year>x</Year>",
        "a space inside": "<Year>20 13</Year></PubMedPubDate><PubMedPubDate><Year>2013</Year><Month>1 2</Month>",
        "a year that wraps in 64 bits": "<Year>18446744073709553629</Year>",
    }
    for name, children in cases.items():
        data = etree.fromstring(f"<PubmedData><History><PubMedPubDate PubStatus='pubmed'>{children}</PubMedPubDate>"
                                f"</History></PubmedData>")
        native_read, python_read = _native_and_twin(px, "_native_history",
                                                    lambda d=data: _outcome(lambda: px._history(d)))
        assert native_read == python_read, name
    with pytest.raises(FieldError, match="day out of range: 2024-2-30") as raised:
        px._history(etree.fromstring("<PubmedData><History><PubMedPubDate><Year>2024</Year><Month>2</Month>"
                                     "<Day>30</Day></PubMedPubDate></History></PubmedData>"))
    assert raised.value.field == "PubMedPubDate"


@_native_history
def test_native_history_of_the_fixtures() -> None:
    dates = 0
    for path in _pubmed_xml_fixtures():
        try:
            tree = etree.parse(str(path), etree.XMLParser(**px._SAFE_PARSER_OPTIONS))
        except etree.XMLSyntaxError:
            continue
        for data in [*tree.iter("PubmedData"), *tree.iter("PubmedBookData")]:
            native_read, python_read = _native_and_twin(px, "_native_history", lambda d=data: px._history(d))
            _same(native_read, python_read)
            dates += len(native_read)
    assert dates > 200


@_native_history
def test_native_history_refuses_bad_arguments_and_passes_on_what_the_twin_raises() -> None:
    data = etree.fromstring("<PubmedData><History><PubMedPubDate><Year>2013</Year><Month>Sep</Month></PubMedPubDate>"
                            "</History></PubmedData>")
    with pytest.raises(TypeError):
        px._native_history("not an element", px._HISTORY_HOOKS)
    with pytest.raises(TypeError):
        px._native_history(data, px._HISTORY_HOOKS[:2])

    def broken(_element: etree._Element, _field: str) -> Any:
        raise KeyError("from the hook")

    with pytest.raises(KeyError, match="from the hook"):
        px._native_history(data, (broken, *px._HISTORY_HOOKS[1:]))


# Abstracts ------------------------------------------------------------------------------------------------------

_LABELS = {"Label": ["BACKGROUND", "METHODS", "", " RESULTS ", "Résumé"],
           "NlmCategory": ["BACKGROUND", "METHODS", "UNASSIGNED", ""]}


@st.composite
def _abstract(draw: Any) -> etree._Element:
    element = etree.Element(draw(st.sampled_from(["Abstract", "OtherAbstract"])))
    kinds = ["AbstractText"] * 5 + ["CopyrightInformation"] * 2 + [_NS + "AbstractText", _NS + "CopyrightInformation",
                                                                    "Other", "comment", "pi"]
    for kind in draw(st.lists(st.sampled_from(kinds), max_size=6)):
        if kind == "comment":
            element.append(etree.Comment("AbstractText"))
        elif kind == "pi":
            element.append(etree.ProcessingInstruction("AbstractText", "x"))
        else:
            child = etree.SubElement(element, kind)
            _set_attributes(draw, child, _LABELS)
            _fill(draw, child)
            if child.text and not draw(st.integers(0, 7)):  # CDATA reads as text
                child.text = etree.CDATA(child.text)
            if not draw(st.integers(0, 9)):  # markup in the middle, and a second run of it
                etree.SubElement(child, draw(st.sampled_from(["sup", "sub", "u"]))).text = draw(_text) or None
                child[-1].tail = draw(_text) or None
    if not draw(st.integers(0, 5)):
        element.text = draw(_text) or None  # stray text of the container is not a paragraph
    return element


@_native_abstract
@settings(max_examples=600, deadline=None)
@given(_abstract(), st.sampled_from([None, "Publisher", "plain-language-summary", ""]),
       st.sampled_from([None, "eng", "fre", ""]))
def test_native_abstract_is_the_python_twin(element: etree._Element, kind: str | None, language: str | None) -> None:
    _same(*_native_and_twin(px, "_native_abstract", lambda: px._abstract(element, kind, language)))


@_native_abstract
def test_native_abstract_reads_these_as_the_twin() -> None:
    """The traps one by one, each named, so a failure says which."""
    cases = {
        "plain": "<AbstractText>We  assessed\n   pregnancy.</AbstractText>",
        "labelled": "<AbstractText Label='BACKGROUND' NlmCategory='BACKGROUND'>A.</AbstractText>"
                    "<AbstractText Label='METHODS' NlmCategory='METHODS'>B.</AbstractText>",
        "unicode spaces": "<AbstractText>\u2003A\u00a0\u00a0B\x85 C\u3000</AbstractText>",
        "zero-width space is text": "<AbstractText>\u200b</AbstractText>",
        "only a label": "<AbstractText Label='RESULTS'> \n </AbstractText><AbstractText Label='X'/>",
        "markup": "<AbstractText Label='L'>Resistance by <i>S. aureus</i> at 37 <sup>o</sup>C</AbstractText>",
        "markup only": "<AbstractText><i> </i></AbstractText><AbstractText><b>x</b></AbstractText>",
        "markup first": "<AbstractText><sub>2</sub>CO</AbstractText>",
        "MathML": "<AbstractText>a <mml:math xmlns:mml='http://www.w3.org/1998/Math/MathML'><mml:mi>x</mml:mi>"
                  "</mml:math> b</AbstractText>",
        "comment inside": "<AbstractText>A<!-- c -->B</AbstractText>",
        "CDATA": "<AbstractText><![CDATA[p < 0.001 &amp;]]></AbstractText>",
        "copyright only": "<CopyrightInformation>\u00a9 2013  The Authors.</CopyrightInformation>",
        "copyright with markup, twice": "<CopyrightInformation>\u00a9 <i>Elsevier</i>\n Inc.</CopyrightInformation>"
                                        "<AbstractText>A</AbstractText><CopyrightInformation>2</CopyrightInformation>",
        "empty copyright": "<CopyrightInformation> </CopyrightInformation>",
        "empty copyright first": "<CopyrightInformation/><CopyrightInformation>c</CopyrightInformation>",
        "nothing": "",
        "namespaced look-alike": "<x:AbstractText xmlns:x='urn:x'>A</x:AbstractText>",
    }
    for name, children in cases.items():
        element = etree.fromstring(f"<Abstract>{children}</Abstract>")
        for kind, language in ((None, None), ("Publisher", "spa")):
            native_made, python_made = _native_and_twin(
                px, "_native_abstract", lambda e=element, k=kind, la=language: px._abstract(e, k, la))
            assert repr(native_made) == repr(python_made), name
    assert px._abstract(etree.fromstring("<Abstract><AbstractText> </AbstractText></Abstract>")) is None


@_native_abstract
def test_native_abstracts_of_the_fixtures() -> None:
    sections = 0
    for path in _pubmed_xml_fixtures():
        try:
            tree = etree.parse(str(path), etree.XMLParser(**px._SAFE_PARSER_OPTIONS))
        except etree.XMLSyntaxError:
            continue
        for element in [*tree.iter("Abstract"), *tree.iter("OtherAbstract")]:
            native_made, python_made = _native_and_twin(
                px, "_native_abstract", lambda e=element: px._abstract(e, e.get("Type"), e.get("Language")))
            _same(native_made, python_made)
            sections += len(native_made.sections) if native_made is not None else 0
    assert sections > 100


@_native_abstract
def test_native_abstract_refuses_bad_arguments_and_passes_on_what_the_twin_raises() -> None:
    element = etree.fromstring("<Abstract><AbstractText>A <i>b</i></AbstractText></Abstract>")
    with pytest.raises(TypeError):
        px._native_abstract("not an element", None, None, px._ABSTRACT_HOOKS)
    with pytest.raises(TypeError):
        px._native_abstract(element, None, None, px._ABSTRACT_HOOKS[:3])
    with pytest.raises(TypeError, match="text, html"):
        px._native_abstract(element, None, None, (px._text, *px._ABSTRACT_HOOKS[1:]))

    def broken(_element: etree._Element) -> Any:
        raise ValueError("from the hook")

    with pytest.raises(ValueError, match="from the hook"):
        px._native_abstract(element, None, None, (broken, *px._ABSTRACT_HOOKS[1:]))


# Identifiers ----------------------------------------------------------------------------------------------------

# Values PubMed writes, with repeats across the lists (a DOI in both ArticleIdList and ELocationID), padding, case
# variants and empties.
_ID_VALUES = ["10.1000/xyz123", "10.1000/XYZ123", " 10.1000/xyz123\n", "23456789", "PMC12345", "S0140-6736(13)1",
              "e1002", "", " ", "\xa0", "\u200b", "10.1000/a b", "12\u2003345"]
_ID_TYPES = ["doi", "pubmed", "pmc", "pii", "mid", "", " doi", "DOI"]


def _id_element(draw: Any, parent: etree._Element, tag: str, type_attribute: str) -> None:
    child = etree.SubElement(parent, tag)
    if draw(st.integers(0, 5)):
        child.set(type_attribute, draw(st.sampled_from(_ID_TYPES)))
    if tag.endswith("ELocationID") and draw(st.booleans()):
        child.set("ValidYN", draw(st.sampled_from(["Y", "N", "y", "", " Y"])))
    text = draw(st.sampled_from(_ID_VALUES) | _text)
    child.text = (etree.CDATA(text) if text and not draw(st.integers(0, 9)) else text) or None
    if not draw(st.integers(0, 9)):  # markup: .text is only what comes before it
        etree.SubElement(child, "i").tail = draw(st.sampled_from(_ID_VALUES))
    if not draw(st.integers(0, 9)):
        child.addprevious(etree.Comment("ArticleId"))


def _id_lists(draw: Any, parent: etree._Element) -> None:
    for _ in range(draw(st.integers(0, 2))):
        id_list = etree.SubElement(parent, draw(st.sampled_from(["ArticleIdList"] * 4 + [_NS + "ArticleIdList"])))
        for _ in range(draw(st.integers(0, 4))):
            _id_element(draw, id_list, draw(st.sampled_from(["ArticleId"] * 6 + [_NS + "ArticleId", "Other"])),
                        "IdType")


@st.composite
def _id_sources(draw: Any) -> tuple[etree._Element | None, list[etree._Element]]:
    """A PubmedData (or none) and one or two containers (an Article; a BookDocument and its Book)."""
    data = None
    if draw(st.integers(0, 5)):
        data = etree.Element("PubmedData")
        etree.SubElement(data, "History")
        _id_lists(draw, data)
    containers = []
    for _ in range(draw(st.integers(1, 2))):
        container = etree.Element("Article")
        etree.SubElement(container, "ArticleTitle").text = "T"
        for _ in range(draw(st.integers(0, 3))):
            if draw(st.booleans()):
                _id_element(draw, container, draw(st.sampled_from(["ELocationID"] * 5 + [_NS + "ELocationID"])),
                            "EIdType")
            else:
                _id_lists(draw, container)
            if draw(st.booleans()):  # the ids need not be next to each other
                etree.SubElement(container, "Language").text = "eng"
        containers.append(container)
    return data, containers


@_native_ids
@settings(max_examples=600, deadline=None)
@given(_id_sources())
def test_native_ids_are_the_python_twin(sources: tuple[etree._Element | None, list[etree._Element]]) -> None:
    data, containers = sources
    native_made, python_made = _native_and_twin(px, "_native_ids", lambda: px._ids(data, *containers))
    _same(native_made, python_made)
    if len(containers) == 1:  # as _article_record asks, with the Article's children it has already grouped
        _same(native_made, _native_and_twin(
            px, "_native_ids", lambda: px._ids(data, containers[0], groups=px._group_children(containers[0])))[1])


@_native_ids
def test_native_ids_read_these_as_the_twin() -> None:
    """The traps one by one, each named, so a failure says which."""
    cases = {
        "the DOI twice": ("<ArticleIdList><ArticleId IdType='doi'>10.1/x</ArticleId>"
                          "<ArticleId IdType='pubmed'>1</ArticleId></ArticleIdList>",
                          "<ELocationID EIdType='doi' ValidYN='Y'>10.1/x</ELocationID>"),
        "same value, other scheme": ("<ArticleIdList><ArticleId IdType='pii'>e1</ArticleId></ArticleIdList>",
                                     "<ELocationID EIdType='pii'> e1 </ELocationID><ELocationID>e1</ELocationID>"),
        "invalid ELocationID": ("", "<ELocationID EIdType='doi' ValidYN='N'>10.1/x</ELocationID>"
                                    "<ELocationID EIdType='doi' ValidYN=''>10.1/y</ELocationID>"),
        "empty and no IdType": ("<ArticleIdList><ArticleId IdType=''>a</ArticleId><ArticleId>b</ArticleId>"
                                "<ArticleId IdType='doi'> </ArticleId><ArticleId IdType='doi'/></ArticleIdList>", ""),
        "unicode spaces": ("<ArticleIdList><ArticleId IdType='pii'>\u2003S01\xa0 4\x85</ArticleId>"
                           "<ArticleId IdType='pii'>S01 4</ArticleId></ArticleIdList>", ""),
        "zero-width space is a value": ("<ArticleIdList><ArticleId IdType='doi'>\u200b</ArticleId></ArticleIdList>",
                                        ""),
        "markup": ("<ArticleIdList><ArticleId IdType='doi'>10.1/<i>x</i></ArticleId></ArticleIdList>",
                   "<ELocationID EIdType='doi'><i>10.1/y</i></ELocationID>"),
        "ids after the ELocationIDs in the Article": ("", "<ELocationID EIdType='doi'>10.1/x</ELocationID>"
                                                          "<ArticleIdList><ArticleId IdType='doi'>10.1/z</ArticleId>"
                                                          "</ArticleIdList>"),
    }
    for name, (in_data, in_article) in cases.items():
        data = etree.fromstring(f"<PubmedData>{in_data}</PubmedData>")
        article = etree.fromstring(f"<Article>{in_article}</Article>")
        native_made, python_made = _native_and_twin(px, "_native_ids", lambda d=data, a=article: px._ids(d, a))
        assert repr(native_made) == repr(python_made), name
    both = etree.fromstring("<Article><ELocationID EIdType='doi'>10.1/x</ELocationID></Article>")
    assert [i.value for i in px._ids(None, both)] == ["10.1/x"]


@_native_ids
def test_native_ids_of_the_fixtures() -> None:
    found = 0
    for path in _pubmed_xml_fixtures():
        try:
            tree = etree.parse(str(path), etree.XMLParser(**px._SAFE_PARSER_OPTIONS))
        except etree.XMLSyntaxError:
            continue
        sources = [(a.find("PubmedData"), (a.find("MedlineCitation/Article"),)) for a in tree.iter("PubmedArticle")]
        sources += [(b.find("PubmedBookData"), (b.find("BookDocument"), b.find("BookDocument/Book")))
                    for b in tree.iter("PubmedBookArticle")]
        for data, containers in sources:
            if None in containers:
                continue
            native_made, python_made = _native_and_twin(px, "_native_ids", lambda d=data, c=containers: px._ids(d, *c))
            _same(native_made, python_made)
            found += len(native_made)
    assert found > 200


@_native_ids
def test_native_ids_refuse_bad_arguments_and_pass_on_what_the_class_raises() -> None:
    article = etree.fromstring("<Article><ELocationID EIdType='doi'>10.1/x</ELocationID></Article>")
    with pytest.raises(TypeError):
        px._native_ids("not an element", (article,), px._ID_HOOKS)
    with pytest.raises(TypeError):
        px._native_ids(None, (article, "not an element"), px._ID_HOOKS)
    with pytest.raises(TypeError):
        px._native_ids(None, (article,), ())

    def broken(_scheme: str, _value: str) -> Any:
        raise ValueError("from the class")

    with pytest.raises(ValueError, match="from the class"):
        px._native_ids(None, (article,), (broken,))


# Keywords and publication types ---------------------------------------------------------------------------------


@st.composite
def _term_parents(draw: Any, parent_tag: str, tag: str, attributes: dict[str, list[str]]) -> list[etree._Element]:
    parents = []
    for _ in range(draw(st.integers(0, 3))):
        parent = etree.Element(parent_tag)
        _set_attributes(draw, parent, {"Owner": ["NOTNLM", "NLM", "", "PIP"]})
        for _ in range(draw(st.integers(0, 5))):
            kind = draw(st.sampled_from([tag] * 6 + [_NS + tag, "Other", "comment", "pi"]))
            if kind == "comment":
                parent.append(etree.Comment(tag))
            elif kind == "pi":
                parent.append(etree.ProcessingInstruction(tag, "x"))
            else:
                child = etree.SubElement(parent, kind)
                _set_attributes(draw, child, attributes)
                _fill(draw, child)
                if child.text and not draw(st.integers(0, 7)):
                    child.text = etree.CDATA(child.text)
        parents.append(parent)
    return parents


@_native_terms
@settings(max_examples=400, deadline=None)
@given(_term_parents("KeywordList", "Keyword", {"MajorTopicYN": ["Y", "N", "y", "", " Y"]}),
       _term_parents("PublicationTypeList", "PublicationType", {"UI": ["D016428", "", " D1 "]}))
def test_native_keywords_and_publication_types_are_the_python_twins(keyword_lists: list[etree._Element],
                                                                     type_lists: list[etree._Element]) -> None:
    _same(*_native_and_twin(px, "_native_keywords", lambda: px._keywords(keyword_lists)))
    _same(*_native_and_twin(px, "_native_publication_types", lambda: px._publication_types(type_lists)))


@_native_terms
def test_native_keywords_and_publication_types_read_these_as_the_twins() -> None:
    """The traps one by one, each named, so a failure says which."""
    cases = {
        "plain": "<{0} UI='D1' MajorTopicYN='Y'>Journal Article</{0}><{0}>Review</{0}>",
        "unicode spaces": "<{0}>\u2003Case\u00a0\u00a0Reports\x85</{0}>",
        "zero-width space is text": "<{0}>\u200b</{0}>",
        "empty": "<{0} UI='D1'> </{0}><{0}/>",
        "markup": "<{0} MajorTopicYN='N'>CO<sub>2</sub> laser</{0}><{0}><i>in vitro</i></{0}>",
        "comment inside": "<{0}>A<!-- c -->B</{0}>",
        "namespaced look-alike": "<x:{0} xmlns:x='urn:x'>A</x:{0}>",
    }
    for name, children in cases.items():
        for parent_tag, tag, read, native in (("KeywordList Owner='NOTNLM'", "Keyword", px._keywords,
                                               "_native_keywords"),
                                              ("PublicationTypeList", "PublicationType", px._publication_types,
                                               "_native_publication_types")):
            parent = etree.fromstring(f"<{parent_tag}>{children.format(tag)}</{parent_tag.split()[0]}>")
            native_made, python_made = _native_and_twin(px, native, lambda p=parent, r=read: r([p, p]))
            assert repr(native_made) == repr(python_made), (name, tag)


@_native_terms
def test_native_keywords_and_publication_types_of_the_fixtures() -> None:
    found = 0
    for path in _pubmed_xml_fixtures():
        try:
            tree = etree.parse(str(path), etree.XMLParser(**px._SAFE_PARSER_OPTIONS))
        except etree.XMLSyntaxError:
            continue
        for parent in [*tree.iter("MedlineCitation"), *tree.iter("BookDocument")]:
            keyword_lists = parent.findall("KeywordList")
            native_made, python_made = _native_and_twin(px, "_native_keywords", lambda k=keyword_lists: px._keywords(k))
            _same(native_made, python_made)
            found += len(native_made)
            type_parents = parent.findall("Article/PublicationTypeList") or [parent]
            native_made, python_made = _native_and_twin(px, "_native_publication_types",
                                                        lambda t=type_parents: px._publication_types(t))
            _same(native_made, python_made)
            found += len(native_made)
    assert found > 300


@_native_terms
def test_native_keywords_and_publication_types_refuse_bad_arguments_and_pass_on_what_the_twin_raises() -> None:
    keyword_list = etree.fromstring("<KeywordList><Keyword>A <i>b</i></Keyword></KeywordList>")
    type_list = etree.fromstring("<PublicationTypeList><PublicationType>A <i>b</i></PublicationType>"
                                 "</PublicationTypeList>")
    with pytest.raises(TypeError):
        px._native_keywords(["not an element"], px._KEYWORD_HOOKS)
    with pytest.raises(TypeError):
        px._native_keywords(None, px._KEYWORD_HOOKS)
    with pytest.raises(TypeError):
        px._native_publication_types([type_list], px._PUBLICATION_TYPE_HOOKS[:1])

    def broken(_element: etree._Element) -> str:
        raise ValueError("from the hook")

    with pytest.raises(ValueError, match="from the hook"):
        px._native_keywords([keyword_list], (broken, px._KEYWORD_HOOKS[1]))
    with pytest.raises(ValueError, match="from the hook"):
        px._native_publication_types([type_list], (broken, px._PUBLICATION_TYPE_HOOKS[1]))
