"""rdfgen/sources/_native.c reads PubMed XML reference lists as their Python twin does
(rdfgen.sources.pubmed_xml._collect_references and _reference, and rdfgen.sources.citation.reference): every field
of every Reference the same, the parts parsed from a citation's text included, on generated lists that mix what
the C reader reads itself with what it must leave to the twin (markup, case-folded and non-ASCII digits, link
labels, second DOIs, malformed and repeated identifiers). And rdfgen/mapping/_native.c makes the statements of
references cited by PMID as rdfgen.mapping.references._reference does, on generated references of every kind (own
PMID or DOI, malformed ones, literals that need escapes, an IRI base that needs escaping) and the fixtures'."""

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
from tests.conftest import DATA, xml_fixture_records

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


def _native_and_twin(module: Any, name: str, make: Any) -> tuple[Any, Any]:
    """What ``make()`` gives with the C part ``module.name`` and with its Python twin (the C part set to None)."""
    native_made = make()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, name, None)
        return native_made, make()


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
        px._native_collect("not an element", None, [], px._REFERENCE_HOOKS)
    with pytest.raises(TypeError):
        px._native_collect(etree.Element("ReferenceList"), None, [], px._REFERENCE_HOOKS[:2])


@native
def test_native_passes_on_what_the_twin_raises() -> None:
    """An exception in a hook (here the twin, reading a Citation with markup) reaches the caller unchanged."""
    reference_list = etree.fromstring("<ReferenceList><Reference><Citation>A <i>b</i></Citation></Reference>"
                                      "</ReferenceList>")

    def broken(*_args: object) -> Reference:
        raise ValueError("from the hook")

    with pytest.raises(ValueError, match="from the hook"):
        px._native_collect(reference_list, None, [], (broken, *px._REFERENCE_HOOKS[1:]))


@native
def test_a_build_through_the_python_twins_gives_the_same_bytes(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the extensions could not be built, a build of real records is byte for byte the same."""
    sources = [str(DATA / "xml" / name) for name in ("metapub_39166619.xml", "pubmed21n1298_excerpt.xml")]
    build_files(sources, tmp_path / "native", BuildOptions(documents=False))
    from rdfgen.mapping import article, container, people, record, subjects
    from rdfgen.mapping import references as mapping

    monkeypatch.setattr(px, "_native_collect", None)
    monkeypatch.setattr(px, "_native_authors", None)
    monkeypatch.setattr(px, "_native_mesh_headings", None)
    monkeypatch.setattr(px, "_native_history", None)
    monkeypatch.setattr(px, "_native_abstract", None)
    monkeypatch.setattr(px, "_native_ids", None)
    monkeypatch.setattr(px, "_native_keywords", None)
    monkeypatch.setattr(px, "_native_publication_types", None)
    monkeypatch.setattr(mapping, "_native_references", None)
    monkeypatch.setattr(subjects, "_native_mesh", None)
    monkeypatch.setattr(people, "_native_people", None)
    monkeypatch.setattr(people, "_native_list", None)
    monkeypatch.setattr(article, "_native_abstract", None)
    monkeypatch.setattr(article, "_native_dates", None)
    monkeypatch.setattr(article, "_native_identifiers", None)
    monkeypatch.setattr(container, "_native_container", None)
    monkeypatch.setattr(record, "_nonempty", record.nonempty_py)
    build_files(sources, tmp_path / "python", BuildOptions(documents=False))
    written = sorted(p.relative_to(tmp_path / "native") for p in (tmp_path / "native").rglob("*.gz"))
    assert len(written) >= 4
    for path in written:
        assert (tmp_path / "native" / path).read_bytes() == (tmp_path / "python" / path).read_bytes(), path


# The mapping's twin: rdfgen/mapping/_native.c makes the statements of references cited by PMID ------------------

_OWN_PMID, _OWN_DOI = "33783695", "10.3389/fonc.2021.624457"
_lit_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8) | st.sampled_from(
    ['a "quoted" \\ text', "tab\there\nnew line\r\x00\x1f\x7f\b\f", "", "é漢"])
_pmid = (st.sampled_from(["12345", "1", "0", "0123", "12a", "", " 12", "٣٣", _OWN_PMID, None])
         | st.integers(1, 10**9).map(str))
_doi = st.sampled_from([None, "", "10.1000/xyz123", "10.1000/XYZ.", "10.1000/a;b", "doi:10.1000/x", _OWN_DOI,
                        _OWN_DOI.upper(), "10.1000/é", "10.123/short", "10.1234567890/long", "10.1000/x_",
                        "10.1000/x&y", "10.١٢٣٤/x"])


@st.composite
def _mapped_reference(draw: Any) -> Reference:
    position = draw(st.integers(1, 400) | st.just(True))
    identifiers = {"doi": draw(_doi), "pmid": draw(_pmid), "pmcid": draw(st.sampled_from([None, "", "PMC123"])),
                   "title_of_list": draw(st.sampled_from([None, "", "References", 'A "list"'])),
                   "notes": tuple(draw(st.lists(_lit_text, max_size=2)))}
    citation = draw(_lit_text)
    if draw(st.booleans()):  # as the readers make them, parsed only when read
        from rdfgen.sources.citation import _bibliography_of
        return Reference.unparsed(position, citation, _bibliography_of, **identifiers)
    return Reference(position, citation, ("Doe J",), False, draw(st.sampled_from([None, "T"])),
                     draw(st.sampled_from([None, "J Med"])), draw(st.sampled_from([None, 2001])), **identifiers)


def _seed_record() -> Any:
    from rdfgen.sources.pubmed_xml import iter_pubmed_xml
    return next(iter(iter_pubmed_xml(DATA / "xml" / "metapub_33786689.xml")))


_SEED = _seed_record()


def _statements(refs: tuple[Reference, ...], base: str) -> list[Any]:
    from rdfgen.iris import Iris
    from rdfgen.mapping.record import _RecordMapper

    record = dataclasses.replace(_SEED, pmid=_OWN_PMID, doi=_OWN_DOI, references=refs)
    return _RecordMapper(record, Iris(base), None).references()


native_mapping = pytest.mark.skipif(
    __import__("rdfgen.mapping.references", fromlist=["_"])._native_references is None,
    reason="rdfgen.mapping._native was not built (no C compiler at install)")


@native_mapping
@settings(max_examples=300, deadline=None)
@given(st.lists(_mapped_reference(), max_size=6).map(tuple), st.sampled_from(["http://localhost:8000/",
                                                                              "https://example.org/a|é/"]))
def test_native_reference_statements_are_the_python_twin(refs: tuple[Reference, ...], base: str) -> None:
    from rdfgen.mapping import references as mapping

    native_made, python_made = _native_and_twin(mapping, "_native_references", lambda: _statements(refs, base))
    assert native_made == python_made


@native_mapping
def test_native_reference_statements_of_the_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every record of tests/data/xml, whose references are nearly all cited by PMID (and some by DOI or nothing):
    the same statements."""
    from rdfgen.iris import Iris
    from rdfgen.mapping import references as mapping
    from rdfgen.mapping.record import _RecordMapper

    compared = without_pmid = 0
    for path, record in xml_fixture_records():
        native_made = _RecordMapper(record, Iris(), None).references()
        with monkeypatch.context() as patch:
            patch.setattr(mapping, "_native_references", None)
            assert _RecordMapper(record, Iris(), None).references() == native_made, path.name
        compared += len(native_made)
        without_pmid += sum(ref.pmid is None for ref in record.references)
    assert compared > 5000
    assert without_pmid > 100


# Works cited without a PMID: what their citation text says of them, made by rdfgen/mapping/_native.c as
# rdfgen.mapping.references.cited_work does ----------------------------------------------------------------------

_trap_text = _lit_text | st.sampled_from(['O\'Neil "the" \\ \\\\', "\x00\x01\x1f\x7f\u0085\u2028\xad", "\t\r\n\b\f",
                                          "İstanbul ſ ı", "漢字 é 𝔘", " ", "a\ud7ff\ue000\U0010ffff"])
_JOURNAL_TITLES = ["J Med", "N Engl J Med", "Lancet ", " Cell", "漢字", 'A "q" \\ j', "\x00ctrl", "ſ", "---", "İ Med J",
                   "Proc Natl Acad Sci U S A", ""]
_CLEAN_DOIS = [None, "10.1000/xyz123", "10.1000/XYZ123", "10.1000/a#b", "10.1002/(SICI)1097<3::AID-JBM1>3.0.CO:2-#",
               "10.1000/A<B>C_", "10.1000/a(b)c:d-"]
_TRAP_DOIS = ["10.1000/x&y", "10.1000/a;b", "10.1000/x.", "", "doi:10.1000/x", _OWN_DOI, _OWN_DOI.upper(), "10.1000/é",
              "10.123/short", _OWN_DOI + "."]


@st.composite
def _pages_value(draw: Any) -> Any:
    from rdfgen.model import Pages

    raw = draw(_trap_text | st.sampled_from(["813-29", "e1234", "R11-29", "111-34, viii", "1486–1499"]))
    if not draw(st.integers(0, 29)):  # not as the readers make them: the twin's
        raw = 5
    return Pages(raw, draw(st.none() | _trap_text), draw(st.none() | _trap_text), draw(st.none() | _trap_text))


@st.composite
def _work_reference(draw: Any) -> Reference:
    """A reference without a PMID (now and then with one, or one that is no PMID), parts drawn one by one with the
    traps of real citations, or parsed from glued pieces of real citations when read."""
    odd = not draw(st.integers(0, 7))  # parts not of the types the parsers make: the twin's
    position = draw(st.just(True) | st.integers(1, 9) if odd else st.integers(1, 400))
    identifiers = {"doi": draw(st.sampled_from(_CLEAN_DOIS) | st.sampled_from(_TRAP_DOIS)),
                   "pmid": None if draw(st.integers(0, 4)) else draw(st.sampled_from(["", "0", "12345", _OWN_PMID])),
                   "pmcid": draw(st.sampled_from([None, "", "PMC123", 'PMC"1\\'])),
                   "title_of_list": draw(st.sampled_from([None, "", "References", 'A "list"'])),
                   "notes": tuple(draw(st.lists(_trap_text, max_size=3)))}
    citation = draw(_trap_text | _glued)
    if not draw(st.integers(0, 3)):  # as the readers make them, parsed only when read
        from rdfgen.sources.citation import _bibliography_of
        return Reference.unparsed(position, citation, _bibliography_of, **identifiers)
    authors = draw(st.lists(_trap_text, max_size=4))
    return Reference(
        position, citation, authors if odd and draw(st.booleans()) else tuple(authors),
        draw(st.sampled_from([0, 1]) if odd else st.booleans()), draw(st.none() | _trap_text),
        draw(st.none() | st.sampled_from(_JOURNAL_TITLES) | _trap_text),
        draw(st.none() | st.integers(0, 12000) | st.sampled_from([0, 2001]) | (
            st.sampled_from([-5, True, 10**30]) if odd else st.nothing())),
        draw(st.none() | _trap_text), draw(st.none() | _trap_text), draw(st.none() | _pages_value()), **identifiers)


@native_mapping
@settings(max_examples=500, deadline=None)
@given(st.lists(_work_reference(), max_size=6).map(tuple), st.sampled_from(["http://localhost:8000/",
                                                                           "https://example.org/a|é/"]))
def test_native_statements_of_works_without_pmid_are_the_python_twin(refs: tuple[Reference, ...],
                                                                     base: str) -> None:
    """The same statements in the same order: the type by whether a journal is named, title, authors as printed
    (et al.), the journal's shared node, year (xsd:gYear), volume, issue, pages, the DOI and its doi.org page (percent
    encoded), PMCID; literals with every escape, the citing article's own DOI, several notes, an odd base."""
    from rdfgen.mapping import references as mapping

    native_made, python_made = _native_and_twin(mapping, "_native_references", lambda: _statements(refs, base))
    assert native_made == python_made


_COMMON_WORKS = (
    Reference(3, 'Doe J, Roe R, et al. "A" title. J Med. 2001;5(2):813-29. doi:10.1000/A<B>#c', ("Doe J", "Roe R"),
              True, 'A "title" \\ \x01', "J Med", 2001, "5", "2", __import__("rdfgen.model").model.Pages(
                  "813-29", "813", "829"), "10.1000/A<B>#c", None, "PMC9", "Refs", ("a note", "another")),
    Reference(4, "WHO. Fact sheet [Internet]. 2018."),
    Reference(5, "Anon. N Engl J Med. 0099;", journal="N Engl J Med", year=99, doi="10.1056/NEJM(99):x_"),
)


@native_mapping
def test_native_makes_the_common_works_without_pmid_itself() -> None:
    """The common case is made in C, not handed to the twin: else the property above would hold of the twin alone."""
    from rdfgen.iris import Iris
    from rdfgen.mapping import references as mapping
    from rdfgen.mapping.core import own_prefixes
    from rdfgen.mapping.record import _RecordMapper

    def refused(ref: Reference) -> None:
        raise AssertionError(f"handed to the twin: {ref}")

    m = _RecordMapper(dataclasses.replace(_SEED, pmid=_OWN_PMID, doi=_OWN_DOI, references=_COMMON_WORKS), Iris(),
                      None)
    found: list[Any] = []
    mapping._native_references(_COMMON_WORKS, m.article, _OWN_PMID, _OWN_DOI, own_prefixes(m, mapping._native_prefixes),
                               mapping._TERMS, mapping._journals(m.iris), found, refused)
    _native_made, python_made = _native_and_twin(mapping, "_native_references", lambda: _statements(_COMMON_WORKS,
                                                                                                     m.iris.base))
    assert found == python_made
    assert ("<https://doi.org/10.1000/A%3CB%3E%23c>" in {o for _s, _p, o in found}
            and "<http://localhost:8000/doi/10.1000%2Fa%3Cb%3E%23c>" in {s for s, _p, _o in found})


@native_mapping
def test_the_journal_terms_are_minted_once_and_kept_within_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    from rdfgen.iris import Iris
    from rdfgen.mapping import references as mapping

    journals = mapping._journals(Iris("http://localhost:8000/"))
    assert journals is mapping._journals(Iris("http://localhost:8000/"))
    assert journals["Rev Endocr Metab Disord"] == "<http://localhost:8000/journal/rev-endocr-metab-disord>"
    assert mapping._journals(Iris("https://x.org/"))["Lancet"] == "<https://x.org/journal/lancet>"
    monkeypatch.setattr(mapping, "_JOURNALS_KEPT", 2)
    for title in ("A", "B", "C"):
        assert journals[title] == f"<http://localhost:8000/journal/{title.lower()}>"
    assert len(journals) <= 2


@native_mapping
def test_native_reference_statements_refuse_bad_arguments() -> None:
    from rdfgen.mapping import references as mapping

    prefixes = ("a", "b", "c", "d", "e", "f", "g")
    with pytest.raises(TypeError):
        mapping._native_references((), "<a>", "1", None, prefixes, mapping._TERMS[:-1], {}, [], print)
    with pytest.raises(TypeError):
        mapping._native_references((), "<a>", "1", None, prefixes[:4], mapping._TERMS, {}, [], print)
    with pytest.raises(TypeError):
        mapping._native_references((), "<a>", "1", None, prefixes, mapping._TERMS, None, [], print)
    with pytest.raises(AttributeError):
        mapping._native_references((object(),), "<a>", "1", None, prefixes, mapping._TERMS, {}, [], print)


# Author lists: rdfgen/sources/_native.c reads them as pubmed_xml._authors does ----------------------------------

_name_text = st.sampled_from(["Doe", "  Jane  ", "", " ", "Ann-Marie\nO'Neil", "Ñúñez", "J", "Jr", "\t"]) | st.text(
    _ALPHABET, max_size=5)
_ORCIDS = ["0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097", "0000000218250097", " 0000-0002-1825-0097 ",
           "0000-0002-1825-0098", "", "not an orcid", "0000-0001-5109-3700", "http://orcid.org/0000-0001-5109-370X",
           "0000-0002-1694-233X"]


@st.composite
def _author_element(draw: Any) -> etree._Element:
    element = etree.Element(draw(st.sampled_from(["Author", "Author", "Investigator", "Editor"])))
    for name, value in (("ValidYN", st.sampled_from(["Y", "N", "y", ""])),
                        ("EqualContrib", st.sampled_from(["Y", "N"]))):
        if draw(st.booleans()):
            element.set(name, draw(value))
    for _ in range(draw(st.integers(0, 7))):
        kind = draw(st.sampled_from(["LastName", "ForeName", "Initials", "Suffix", "CollectiveName", "Identifier",
                                     "Identifier", "AffiliationInfo", "Other", "comment"]))
        if kind == "comment":
            element.append(etree.Comment("a comment"))
            continue
        child = etree.SubElement(element, kind)
        if kind == "Identifier":
            if draw(st.integers(0, 4)):
                child.set("Source", draw(st.sampled_from(["ORCID", "ORCID", "ISNI", "orcid"])))
            child.text = draw(st.sampled_from(_ORCIDS)) or None
        elif kind == "AffiliationInfo":
            for _ in range(draw(st.integers(0, 3))):
                part = etree.SubElement(child, draw(st.sampled_from(["Affiliation", "Identifier", "Other"])))
                part.text = draw(_name_text) or None
                if part.tag == "Identifier" and draw(st.booleans()):
                    part.set("Source", draw(st.sampled_from(["ROR", "GRID", ""])))
                if part.tag == "Affiliation" and not draw(st.integers(0, 5)):
                    etree.SubElement(part, "sup").text = "1"
        else:
            child.text = draw(_name_text) or None
            if not draw(st.integers(0, 9)):  # markup in a name: the twin's _text reads it
                etree.SubElement(child, "i").text = draw(_name_text)
    for value in draw(st.lists(st.sampled_from(_ORCIDS), max_size=3)):  # several ORCIDs: the first valid one wins
        etree.SubElement(element, "Identifier", Source="ORCID").text = value
    return element


@native
@settings(max_examples=300, deadline=None)
@given(st.lists(_author_element(), max_size=6), st.sampled_from(["author", "investigator"]))
def test_native_author_lists_are_the_python_twin(elements: list[etree._Element], role: str) -> None:
    author_list = etree.Element("AuthorList")
    author_list.extend(elements)
    if elements:
        author_list.insert(1, etree.Comment("between authors"))

    def read() -> tuple[Any, list[str]]:
        notes: list[str] = []
        return px._authors(author_list, notes, role), notes

    native_read, python_read = _native_and_twin(px, "_native_authors", read)
    assert native_read == python_read


@native
def test_native_author_lists_of_the_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every record of tests/data/xml: the same authors, investigators and notes."""
    from rdfgen.model import Record

    def read(path: Path) -> list[Any]:
        return [(r.authors, r.investigators, r.notes) for r in px.iter_pubmed_xml(path) if isinstance(r, Record)]

    authors = 0
    for path in sorted((DATA / "xml").glob("*.xml")):
        try:
            native_read = read(path)
        except Exception:  # noqa: BLE001 - the malformed and hostile fixtures: their own tests say what happens
            continue
        with monkeypatch.context() as patch:
            patch.setattr(px, "_native_authors", None)
            assert read(path) == native_read, path.name
        authors += sum(len(a) for a, _i, _n in native_read)
    assert authors > 100


# MeSH headings: rdfgen/mapping/_native.c makes their statements as rdfgen.mapping.subjects._heading does ---------

_UIS = [None, "", "D000001", "D009369", "Q000235", "C012345", "D 1", "D00é", "d000002", "D0000000000001"]


@st.composite
def _heading_value(draw: Any) -> Any:
    from rdfgen.model import MeshHeading, MeshQualifier

    qualifiers = tuple(MeshQualifier(draw(st.sampled_from(_UIS)), draw(_lit_text), draw(st.booleans()))
                       for _ in range(draw(st.integers(0, 3))))
    return MeshHeading(draw(st.sampled_from(_UIS)), draw(_lit_text), draw(st.booleans()), qualifiers,
                       draw(st.sampled_from([None, "", "Geographic"])))


def _mesh_statements(headings: tuple[Any, ...], base: str) -> tuple[list[Any], set[str]]:
    from rdfgen.iris import Iris
    from rdfgen.mapping.record import _RecordMapper

    mapper = _RecordMapper(dataclasses.replace(_SEED, mesh_headings=headings), Iris(base), None)
    return mapper.mesh(), mapper.descriptors


@native_mapping
@settings(max_examples=300, deadline=None)
@given(st.lists(_heading_value(), max_size=6).map(tuple), st.sampled_from(["http://localhost:8000/",
                                                                           "https://example.org/a|é/"]))
def test_native_heading_statements_are_the_python_twin(headings: tuple[Any, ...], base: str) -> None:
    """The same statements in the same order, and the same descriptors noted for the dataset's MeSH graph."""
    from rdfgen.mapping import subjects

    native_made, python_made = _native_and_twin(subjects, "_native_mesh", lambda: _mesh_statements(headings, base))
    assert native_made == python_made


@native_mapping
def test_native_heading_statements_of_the_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    from rdfgen.iris import Iris
    from rdfgen.mapping import subjects
    from rdfgen.mapping.record import _RecordMapper
    from rdfgen.mesh.enrich import load_enricher
    from rdfgen.model import Record

    enricher, compared = load_enricher(), 0
    for path in sorted((DATA / "xml").glob("*.xml")):
        try:
            records = [enricher(r) for r in px.iter_pubmed_xml(path) if isinstance(r, Record)]
        except Exception:  # noqa: BLE001 - the malformed and hostile fixtures: their own tests say what happens
            continue
        for record in records:
            native_mapper = _RecordMapper(record, Iris(), None)
            native_made = native_mapper.mesh()
            with monkeypatch.context() as patch:
                patch.setattr(subjects, "_native_mesh", None)
                python_mapper = _RecordMapper(record, Iris(), None)
                assert python_mapper.mesh() == native_made, path.name
            assert python_mapper.descriptors == native_mapper.descriptors
            compared += len(native_made)
    assert compared > 1000


_objects = st.sampled_from(['""', '"x"', "<a>", '""@en', '"" ', "", '""^^<http://www.w3.org/2001/XMLSchema#string>'])


@pytest.mark.skipif(__import__("rdfgen.mapping.record", fromlist=["_"])._native_nonempty is None,
                    reason="rdfgen.mapping._native was not built (no C compiler at install)")
@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["<s>", "_:b"]), st.sampled_from(["<p>", "<q>"]),
                          _objects.map(lambda o: "".join(list(o)))), max_size=30))
def test_native_nonempty_is_the_python_twin(found: list[tuple[str, str, str]]) -> None:
    """The empty literal dropped, equal or the same object, everything else kept in order; and what is not a
    statement refused."""
    from rdfgen.mapping import record
    from rdfgen.mapping.terms import EMPTY

    assert record._native_nonempty(found, EMPTY) == record.nonempty_py(found, EMPTY)
    with pytest.raises(TypeError, match="statement"):
        record._native_nonempty([*found, ("<s>", "<p>")], EMPTY)


# People: rdfgen/mapping/_native.c makes their statements as rdfgen.mapping.people._person does -----------------

_ORCID_VALUES = [None, "", "0000-0002-1825-0097", "0000-0002-1694-233X", "0000-0002-1825-009", "0000-0002-1825-0097\n",
                 "٠٠٠٠-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097", "0000_0002_1825_0097",
                 "000X-0002-1825-0097"]
_optional_text = st.none() | _lit_text


@st.composite
def _person_value(draw: Any) -> Any:
    from rdfgen.model import Affiliation, ArticleId, Author

    organisation_ids = st.lists(st.tuples(st.sampled_from(["ROR", "GRID", "ISNI", "x"]),
                                          st.sampled_from(["https://ror.org/05x", "grid.1"])), max_size=1)
    affiliations = tuple(
        Affiliation(draw(_lit_text), tuple(ArticleId(scheme, value) for scheme, value in draw(organisation_ids)))
        for _ in range(draw(st.integers(0, 2))))
    return Author(draw(_optional_text), draw(_optional_text), draw(_optional_text), draw(_optional_text),
                  draw(st.none() | st.none() | _lit_text), draw(st.sampled_from(_ORCID_VALUES)), affiliations,
                  draw(st.booleans()), draw(st.booleans()), "author")


def _people_statements(people: tuple[Any, ...], role: str, base: str) -> list[Any]:
    from rdfgen.iris import Iris
    from rdfgen.mapping.record import _RecordMapper
    from rdfgen.mapping.terms import BIBO, DCTERMS, SDO

    mapper = _RecordMapper(_SEED, Iris(base), None)
    return mapper.authors(people, role, SDO.author, BIBO.authorList if role == "author" else None, DCTERMS.creator)


@native_mapping
@settings(max_examples=300, deadline=None)
@given(st.lists(_person_value(), max_size=5).map(tuple), st.sampled_from(["author", "investigator"]),
       st.sampled_from(["http://localhost:8000/", "https://example.org/a|é/"]))
def test_native_people_statements_are_the_python_twin(people: tuple[Any, ...], role: str, base: str) -> None:
    """The same statements in the same order (the rdf:List of the people's nodes included), whatever the ORCID's
    form, collective names, affiliations with and without organisation identifiers, escapes and the IRI base."""
    from rdfgen.mapping import people as mapping

    native_made, python_made = _native_and_twin(mapping, "_native_people",
                                                lambda: _people_statements(people, role, base))
    assert native_made == python_made
