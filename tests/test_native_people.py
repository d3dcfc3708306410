"""rdfgen/mapping/_native.c makes an article's authors (with the display name and the rdf:List of their nodes)
and its abstract as their Python twins do (rdfgen.mapping.people._person, Author.display_name and rdf_list;
rdfgen.mapping.article.abstract_py): the same statements in the same order on generated people and abstracts
with the traps of real data, and on every fixture record; the common case made by the C alone."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rdfgen.iris import Iris
from rdfgen.mapping import article, people
from rdfgen.mapping.record import _RecordMapper
from rdfgen.mapping.terms import BIBO, DCTERMS, SDO
from rdfgen.model import Abstract, AbstractSection, Affiliation, ArticleId, Author, Record
from rdfgen.sources import pubmed_xml as px
from tests.conftest import DATA, xml_fixture_records

native = pytest.mark.skipif(people._native_list is None or article._native_abstract is None,
                            reason="rdfgen.mapping._native was not built (no C compiler at install)")

_BASES = ["http://localhost:8000/", "https://example.org/a|é/"]
_TRAPS = ['a "quoted" \\ name', "tab\there\nline\r\x00\x1f\x7f\b\f", "", " ", "é漢", "line\u2028sep\u2029",
          "Ter-Minassian", "O'Neil", "van der Berg", "<b>&amp;</b>", "a & b < c > d", "\U0001F600"]
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=10) | st.sampled_from(_TRAPS)
_optional = st.none() | _text
_ORCIDS = [None, "", "0000-0002-1825-0097", "0000-0002-1694-233X", "0000-0002-1825-009", "0000-0002-1825-0097\n",
           "https://orcid.org/0000-0002-1825-0097", "000X-0002-1825-0097", "٠٠٠٠-0002-1825-0097"]
_PMIDS = ["33783695", "1", "٣٣", "²"]  # digits all (else no IRI); not ASCII: bnode() relabels the list cells


def _seed() -> Record:
    return next(iter(px.iter_pubmed_xml(DATA / "xml" / "metapub_33786689.xml")))


_SEED = _seed()


class _Renamed(Author):
    """An Author whose display name is not the model's: only the twin asks the object for it."""

    @property
    def display_name(self) -> str:
        return "renamed"


@st.composite
def _author(draw: Any) -> Author:
    ids = st.lists(st.tuples(st.sampled_from(["ROR", "GRID", "x"]), st.sampled_from(["https://ror.org/05x", "grid.1"])),
                   max_size=1)
    affiliations = tuple(Affiliation(draw(_text), tuple(ArticleId(s, v) for s, v in draw(ids)) if draw(
        st.integers(0, 4)) == 0 else ()) for _ in range(draw(st.integers(0, 3))))
    kind = _Renamed if draw(st.integers(0, 20)) == 0 else Author
    return kind(draw(_optional), draw(_optional), draw(_optional), draw(st.none() | st.none() | _text),
                draw(st.none() | st.none() | st.none() | _text), draw(st.sampled_from(_ORCIDS)), affiliations,
                draw(st.booleans()), draw(st.booleans()), "author")


def _python_twins(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(people, "_native_people", None)
    patch.setattr(people, "_native_list", None)
    patch.setattr(article, "_native_abstract", None)


def _both(make: Any) -> tuple[Any, Any]:
    native_made = make()
    with pytest.MonkeyPatch.context() as patch:
        _python_twins(patch)
        return native_made, make()


def _authors(record: Record, base: str) -> list[Any]:
    mapper = _RecordMapper(record, Iris(base), None)
    return [*mapper.authors(record.authors, "author", SDO.author, BIBO.authorList, DCTERMS.creator),
            *mapper.authors(record.investigators, "investigator", SDO.contributor, None, DCTERMS.contributor)]


@native
@settings(max_examples=400, deadline=None)
@given(st.lists(_author(), max_size=6).map(tuple), st.lists(_author(), max_size=3).map(tuple),
       st.sampled_from(_PMIDS), st.sampled_from(_BASES), st.booleans())
def test_native_authors_are_the_python_twin(authors: tuple[Author, ...], investigators: tuple[Author, ...],
                                            pmid: str, base: str, complete: bool) -> None:
    """Names with escapes, U+2028 and empty parts, collectives, ORCIDs of every form, affiliations with and without
    organisation identifiers, equal contributions, invalid names, a subclass's own display name, PMIDs whose list
    cells bnode() relabels, an IRI base that needs escaping: the same statements in the same order."""
    record = dataclasses.replace(_SEED, pmid=pmid, authors=authors, investigators=investigators,
                                 authors_complete=complete)
    native_made, python_made = _both(lambda: _authors(record, base))
    assert native_made == python_made


@st.composite
def _section(draw: Any) -> AbstractSection:
    text = draw(_text)
    html = draw(st.sampled_from([None, "", "escaped", "marked", "other"]))
    if html == "escaped":  # the reader's html of a paragraph without markup: the text escaped, saying nothing more
        from html import escape
        html = escape(text, quote=False)
    elif html == "marked":
        html = f"<i>{text}</i>"
    elif html == "other":
        html = draw(_text)
    return AbstractSection(text, draw(_optional), draw(st.none() | st.sampled_from(["BACKGROUND", "", 'a"b'])), html)


@st.composite
def _abstract(draw: Any) -> Abstract:
    return Abstract(tuple(draw(st.lists(_section(), max_size=5))), draw(st.none() | st.just("eng")), None,
                    draw(_optional))


_other = st.builds(Abstract, st.lists(_section(), max_size=3).map(tuple), st.sampled_from([None, "fre", "xx"]),
                   st.just("Publisher"), st.none())


@native
@settings(max_examples=400, deadline=None)
@given(st.none() | _abstract(), st.lists(_other, max_size=2).map(tuple), st.sampled_from(_BASES))
def test_native_abstracts_are_the_python_twin(abstract: Abstract | None, others: tuple[Abstract, ...],
                                              base: str) -> None:
    """Several sections or one, labels (empty, with markup characters), NLM categories, HTML that marks up, that
    only escapes the text, or empty; copyright; other abstracts after; an odd base: the same statements."""
    record = dataclasses.replace(_SEED, abstract=abstract, other_abstracts=others)
    native_made, python_made = _both(lambda: _RecordMapper(record, Iris(base), None).abstracts())
    assert native_made == python_made


@native
def test_native_authors_and_abstracts_of_the_fixtures() -> None:
    """Every record of every fixture that reads: the same authors, investigators and abstracts."""
    compared = 0
    for path, record in xml_fixture_records():
        def both(r: Record = record) -> tuple[list[Any], list[Any]]:
            return _authors(r, _BASES[0]), _RecordMapper(r, Iris(), None).abstracts()
        native_made, python_made = _both(both)
        assert native_made == python_made, path.name
        compared += sum(map(len, native_made))
    assert compared > 1000


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the Python twin was asked")


@native
def test_native_makes_the_common_authors_and_abstracts_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """A structured abstract with markup and copyright, people with ORCIDs, affiliations, a collective, an equal
    contribution, suffixes: the C alone (the twins raise if asked)."""
    authors = (Author("Doe", "Jane Q", "JQ", None, None, "0000-0002-1825-0097",
                      (Affiliation("Dept. of \"Things\", Univ"), Affiliation("Inst é")), True, True),
               Author("Roe", None, "R", "Jr", None, None, (), False),
               Author(collective_name="The Group\u2028Consortium"),
               Author(None, "Madonna"))
    abstract = Abstract((AbstractSection("Why <b>.", "BACKGROUND", "BACKGROUND", "Why &lt;b&gt;."),
                         AbstractSection("What, x<sup>2</sup>.", "RESULTS", None, "What, x<sup>2</sup>.")),
                        copyright="© 2024 \"Them\"")
    record = dataclasses.replace(_SEED, authors=authors, investigators=authors[:2], abstract=abstract)
    monkeypatch.setattr(people, "_person", _refuse)
    monkeypatch.setattr(people, "rdf_list", _refuse)
    monkeypatch.setattr(article, "abstract_py", _refuse)
    made = _authors(record, _BASES[0])
    assert sum(t[1] == people.RDF.first for t in made) == 4
    assert any(t[2] == '"Jane Q Doe"' for t in made) and any(t[2] == '"Roe R Jr"' for t in made)
    abstract_made = _RecordMapper(record, Iris(), None).abstracts()
    assert (article.RDFGEN.abstractHtml, '"BACKGROUND: Why &lt;b&gt;.\\n\\nRESULTS: What, x<sup>2</sup>."') in [
        t[1:] for t in abstract_made]
    assert len(abstract_made) == 2 + 1 + 2 * 6 + 2


@native
def test_native_parts_refuse_bad_arguments() -> None:
    from rdfgen.mapping import _native

    with pytest.raises(TypeError, match="3 terms"):
        _native.rdf_list([], "<s>", "<p>", ["<a>"], "_:x", ("<f>", "<r>"))
    with pytest.raises(TypeError, match="terms"):
        _native.abstract(Abstract(()), "<a>", "<p", ("<x>",), Abstract)
