"""rdfgen/mapping/_native.c makes the statements of a record's dates, identifiers and container as their Python
twins (rdfgen.mapping.article.dates_py and identifiers_py, rdfgen.mapping.container.container_py) do: the same
statements in the same order, on generated records with dates of every precision, MedlineDate and season texts,
history events of every status (escapes included), books, dates not as the readers make them; identifiers of
repeated schemes in any case, "pubmed" ones, DOIs with characters to percent-encode or escape, PMCIDs and schemes
an IRI would escape; journals keyed by each ISSN, NLM ID or title, volumes and issues to encode, pages; odd bases
(which the C parts hand back to the twins), and every fixture record."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rdfgen.iris import Iris
from rdfgen.mapping import article, container
from rdfgen.mapping.record import _RecordMapper
from rdfgen.model import ArticleId, Book, HistoryDate, Journal, Pages, PartialDate, Record
from tests.conftest import xml_fixture_records
from tests.test_native_references import _SEED, _lit_text, _native_and_twin

native = pytest.mark.skipif(article._native_dates is None,
                            reason="rdfgen.mapping._native was not built (no C compiler at install)")
_BASES = st.sampled_from(["http://localhost:8000/", "https://example.org/a|é/", "https://example.org/x/"])


class _OwnDate(PartialDate):
    """Not a PartialDate as the readers make it: the twin's."""


def _forced(date: PartialDate, field: str, value: Any) -> PartialDate:
    """A date whose field holds what PartialDate's checks refuse (as a careless maker could leave it)."""
    date.__dict__[field] = value
    return date


_raw = st.sampled_from([None, "", "1998 Dec-1999 Jan", "Spring", "2000 Winter", 'a "quoted"\\ date\n\t\x00\x7f',
                        "é 漢"]) | _lit_text


@st.composite
def _date(draw: Any, odd: bool = True) -> PartialDate:
    year = draw(st.sampled_from([1, 5, 99, 999, 1000, 2021, 9999]) | st.integers(1, 9999))
    month = draw(st.none() | st.integers(1, 12))
    day = None if month is None else draw(st.none() | st.integers(1, 28))
    made = PartialDate(year, month, day, draw(st.sampled_from([None, "Spring", "Winter"])), draw(_raw))
    if odd and not draw(st.integers(0, 19)):
        field, value = draw(st.sampled_from([("year", 0), ("year", 10000), ("year", True), ("year", 2.0),
                                             ("month", 13), ("month", 0), ("day", 40), ("raw", 5), ("month", None),
                                             ("year", -3), ("year", 10**30), ("month", "1")]))
        made = _forced(made, field, value)
    elif odd and not draw(st.integers(0, 19)):
        made = _OwnDate(year, month, day)
    return made


_status = st.sampled_from(["received", "accepted", "revised", "pubmed", "medline", "entrez", "", "Received",
                           "accepted ", 'a "status"\n', "é"]) | _lit_text


@st.composite
def _dated_record(draw: Any) -> Record:
    history = tuple(HistoryDate(draw(_status), draw(_date())) for _ in range(draw(st.integers(0, 7))))
    if not draw(st.integers(0, 29)):
        history = list(history)  # not the tuple the readers make
    book = draw(st.none() | st.builds(Book, st.just("B"), date=st.none() | _date()))
    return dataclasses.replace(
        _SEED, pub_date=draw(st.none() | _date()), electronic_date=draw(st.none() | _date()), book=book,
        date_completed=draw(st.none() | _date()), date_revised=draw(st.none() | _date()), history=history,
        publication_status=draw(st.sampled_from([None, "", "ppublish", "epublish", 'a "q"'])),
        status=draw(st.sampled_from([None, "", "MEDLINE", "PubMed-not-MEDLINE", "In-Data-Review\n"])))


def _native_made_by_c(record: Record, base: str) -> bool:
    """Whether the C part made the record's identifiers itself (rather than handing them back to the twin)."""
    m = _RecordMapper(record, Iris(base), None)
    prefixes = article.own_prefixes(m, article._identifier_prefixes)
    return prefixes is not None and article._native_identifiers(record, m.article, prefixes,
                                                                article._ID_TERMS) is not None


def _mapped(record: Record, base: str, part: str) -> Any:
    """The part's statements, or what it raised (a date the twin cannot render raises in both alike)."""
    try:
        return list(getattr(_RecordMapper(record, Iris(base), None), part)())
    except (TypeError, ValueError) as error:
        return type(error), str(error)


@native
@settings(max_examples=400, deadline=None)
@given(_dated_record(), _BASES)
def test_native_dates_are_the_python_twin(record: Record, base: str) -> None:
    native_made, python_made = _native_and_twin(article, "_native_dates", lambda: _mapped(record, base, "dates"))
    assert native_made == python_made


@native
def test_native_dates_hand_back_what_they_do_not_make() -> None:
    """None (the twin makes them all) for a date not as the readers make it; the statements for a plain one."""
    plain = dataclasses.replace(_SEED, pub_date=PartialDate(2001, 2, 3), history=())
    m = _RecordMapper(plain, Iris(), None)
    args = (m.article, article.own_prefixes(m, article._dates_prefixes), article._DATE_TERMS, PartialDate)
    assert article._native_dates(plain, *args) is not None
    for odd in (_OwnDate(2001), _forced(PartialDate(2001), "year", 0), _forced(PartialDate(2001), "day", 3)):
        assert article._native_dates(dataclasses.replace(plain, pub_date=odd), *args) is None
    with pytest.raises(TypeError):
        article._native_dates(plain, m.article, args[1], article._DATE_TERMS[:-1], PartialDate)


def _fixture_records() -> list[Record]:
    return [record for _path, record in xml_fixture_records()]


@native
@pytest.mark.parametrize("part, module, name", [("dates", article, "_native_dates"),
                                                ("identifiers", article, "_native_identifiers"),
                                                ("container", container, "_native_container")])
def test_native_parts_of_the_fixtures(part: str, module: Any, name: str) -> None:
    """Every record of tests/data/xml: the same statements."""
    compared = 0
    for record in _fixture_records():
        native_made, python_made = _native_and_twin(module, name, lambda r=record: _mapped(r, "http://localhost:8000/",
                                                                                            part))
        assert native_made == python_made, record.pmid
        compared += len(native_made)
    assert compared > 500


_ASCII = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=10)
_DOIS = ["10.1000/xyz123", "10.1000/XYZ.123", "10.1016/S0140-6736(20)30183-5", "10.1000/a;b:c", "10.1000/a b",
         "10.1000/x<y>", "10.1000/%41", '10.1000/A"B', " 10.1000/x ", "10.1000/x\t", "10.1000/{}|^`\\", "10.1000/é",
         "10.1000/a#b?c=d&e", "10.1000/a+b", "10.1000/~_-.", "10.1000/\x7f", ""]
_doi_value = st.sampled_from(_DOIS) | _ASCII.map(lambda t: "10.1000/" + t) | _lit_text
_SCHEMES = ["doi", "DOI", "Doi", "pubmed", "PubMed", "pmc", "PMC", "pii", "mid", "pmcid", "pmid", "PMID", " doi",
            "do i", "a/b", "x~y.z_-1", "", "é", "K", "İ", "ſ"]
_id_value = st.sampled_from(["", "PMC123", "S0140-6736(20)30183-5", "12345", "PMC 1", "PMC<1>", "é"]) | _doi_value


@st.composite
def _identified_record(draw: Any) -> Record:
    article_ids = tuple(ArticleId(draw(st.sampled_from(_SCHEMES) | _ASCII), draw(_id_value))
                        for _ in range(draw(st.integers(0, 7))))
    if not draw(st.integers(0, 29)):
        article_ids = list(article_ids)  # not the tuple the readers make
    return dataclasses.replace(
        _SEED, pmid=draw(st.sampled_from(["33786689", "1", "١٢٣"])), article_ids=article_ids,
        pmid_version=draw(st.sampled_from([None, "", "1", "2\n"])), doi=draw(st.none() | _doi_value),
        pmcid=draw(st.sampled_from([None, "", "PMC8009459", "PMC 1", "PMC<1>", "é", "PMC%1"])),
        pii=draw(st.none() | _id_value))


@native
@settings(max_examples=500, deadline=None)
@given(_identified_record(), _BASES)
def test_native_identifiers_are_the_python_twin(record: Record, base: str) -> None:
    native_made, python_made = _native_and_twin(article, "_native_identifiers",
                                                lambda: _mapped(record, base, "identifiers"))
    assert native_made == python_made


@native
def test_native_identifiers_hand_back_what_they_do_not_make() -> None:
    """None (the twin makes them all) for a scheme or a DOI the C part does not encode; the statements for a
    DOI it percent-encodes as quote() does."""
    plain = dataclasses.replace(_SEED, doi="10.1016/S0140-6736(20)30183-5", article_ids=())
    m = _RecordMapper(plain, Iris(), None)
    args = (m.article, article.own_prefixes(m, article._identifier_prefixes), article._ID_TERMS)
    made = article._native_identifiers(plain, *args)
    assert made is not None and made == list(article.identifiers_py(m))
    assert any("%28" in o for _s, _p, o in made)
    for odd in ({"doi": "10.1000/é"}, {"doi": "10.1000/a b"}, {"pmcid": "PMC 1"},
                {"article_ids": (ArticleId("my id", "1"),)}, {"article_ids": (ArticleId("İd", "1"),)}):
        assert article._native_identifiers(dataclasses.replace(plain, **odd), *args) is None
    with pytest.raises(TypeError):
        article._native_identifiers(plain, m.article, args[1][:-1], article._ID_TERMS)


@native
@pytest.mark.parametrize("base", ["http://localhost:8000/", "https://example.org/x/"])
def test_native_identifiers_encode_each_character_as_the_twin(base: str) -> None:
    """A DOI, a scheme and a PMCID holding each printable ASCII character in turn: the same statements (what is
    percent-encoded for the DOI's two IRIs, what is escaped in the literals, what is handed back)."""
    made = 0
    for code in range(0x20, 0x7F):
        c = chr(code)
        for change in ({"doi": f"10.1000/A{c}b"}, {"pmcid": f"PMC{c}1"},
                       {"article_ids": (ArticleId(f"Sch{c}eme", f"v{c}"), ArticleId("DOI", "10.1/x"))}):
            record = dataclasses.replace(_SEED, **change)
            native_made, python_made = _native_and_twin(article, "_native_identifiers",
                                                        lambda r=record: _mapped(r, base, "identifiers"))
            assert native_made == python_made, (c, change)
            made += _native_made_by_c(record, base)
    assert made > 95 * 2


_part = st.sampled_from([None, "", "37", "4", "Suppl 1", " 12", "12 ", "1-2", "S1/2", "é", "Pt 2\n", 'a"b', "~x_y.z",
                         "%20"]) | _ASCII
_key = st.sampled_from([None, "", "1569-5794", "1875-8312", "100969716", " 0000-0001", "0000 0001", "é1", "a/b"])
_journal = st.builds(Journal, st.none() | _lit_text, st.sampled_from([None, "", "Int J Cardiovasc Imaging", 'J "Q"']),
                     st.sampled_from([None, "", "Int J Cardiovasc Imaging"]), _key, _key, _key, _key,
                     st.sampled_from([None, "", "United States", "Tab\t"]))
_pages = st.builds(Pages, _lit_text, st.none() | _lit_text, st.none() | _lit_text, st.none() | _lit_text)


@st.composite
def _contained_record(draw: Any) -> Record:
    pages = draw(st.none() | _pages)
    if pages is not None and not draw(st.integers(0, 29)):
        pages = _forced(pages, "start", 1)  # type: ignore[arg-type]
    return dataclasses.replace(
        _SEED, journal=draw(st.none() | _journal), volume=draw(_part), issue=draw(_part),
        pub_date=draw(st.none() | _date()), cited_medium=draw(st.sampled_from([None, "", "Internet", "Print\n"])),
        pages=pages)


@native
@settings(max_examples=500, deadline=None)
@given(_contained_record(), _BASES)
def test_native_container_is_the_python_twin(record: Record, base: str) -> None:
    native_made, python_made = _native_and_twin(container, "_native_container",
                                                lambda: _mapped(record, base, "container"))
    assert native_made == python_made


@native
@pytest.mark.parametrize("base", ["http://localhost:8000/", "https://example.org/x/"])
def test_native_container_encodes_each_character_as_the_twin(base: str) -> None:
    """A journal key, volume and issue holding each printable ASCII character in turn: the same statements."""
    made = 0
    for code in range(0x20, 0x7F):
        c = chr(code)
        for change in ({"volume": f"V{c}1"}, {"issue": f"I{c}1", "volume": None}, {"issue": f"I{c}1"},
                       {"journal": Journal("J", issn_linking=f"1{c}2")}):
            record = dataclasses.replace(_SEED, **change)
            native_made, python_made = _native_and_twin(container, "_native_container",
                                                        lambda r=record: _mapped(r, base, "container"))
            assert native_made == python_made, (c, change)
            m = _RecordMapper(record, Iris(base), None)
            made += container._native_container(record, m.article, article.own_prefixes(
                m, container._container_prefixes), container._CONTAINER_TERMS, PartialDate) is not None
    assert made == 95 * 4  # every one made in C, none handed back


@native
def test_native_container_hands_back_what_it_does_not_make() -> None:
    plain = dataclasses.replace(_SEED, volume="37", issue="4", pub_date=PartialDate(2021, 4))
    m = _RecordMapper(plain, Iris(), None)
    args = (m.article, article.own_prefixes(m, container._container_prefixes), container._CONTAINER_TERMS,
            PartialDate)
    assert container._native_container(plain, *args) == list(container.container_py(m))
    for odd in ({"journal": Journal("Only a title")}, {"volume": " 37"}, {"issue": "é"}, {"pub_date": _OwnDate(2021)},
                {"volume": 37}):
        assert container._native_container(dataclasses.replace(plain, **odd), *args) is None
    with pytest.raises(TypeError):
        container._native_container(plain, m.article, args[1], container._CONTAINER_TERMS[1:], PartialDate)
