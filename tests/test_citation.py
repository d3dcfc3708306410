"""Parsing printed references and page ranges (PubMed page reference lists)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rdfgen.model import Pages
from rdfgen.sources.citation import parse_citation, parse_pages, split_authors


def test_abbreviated_ranges_expand() -> None:
    assert parse_pages("813–29") == Pages(raw="813–29", start="813", end="829")
    assert parse_pages("R11–29") == Pages(raw="R11–29", start="R11", end="R29")
    assert parse_pages("111–34, viii") == Pages(raw="111–34, viii", start="111", end="134", extra="viii")
    assert parse_pages("539-552") == Pages(raw="539-552", start="539", end="552")
    assert parse_pages("1083–97").end == "1097"
    assert parse_pages("e1234").start == "e1234" and parse_pages("e1234").end is None
    assert parse_pages("S12-S15").end == "S15"


@given(start=st.integers(1, 99999), length=st.integers(0, 5000), prefix=st.sampled_from(["", "R", "S", "e"]))
def test_abbreviated_range_round_trip(start: int, length: int, prefix: str) -> None:
    """Any range printed with the end shortened (common leading digits dropped) expands back to the full end."""
    end = start + length
    s, e = str(start), str(end)
    common = 0
    while len(e) == len(s) and common < len(s) - 1 and s[common] == e[common]:
        common += 1
    pages = parse_pages(f"{prefix}{s}-{e[common:]}")
    assert pages.start == f"{prefix}{s}"
    assert pages.end == f"{prefix}{e}"
    assert parse_pages(f"{prefix}{s}-{prefix}{e}").end == f"{prefix}{e}"


SURNAMES = st.from_regex(r"[A-Z][a-z]{1,10}(-[A-Z][a-z]{1,8})?", fullmatch=True)
INITIALS = st.from_regex(r"[A-Z]{1,3}", fullmatch=True)


@given(names=st.lists(st.tuples(SURNAMES, INITIALS), min_size=1, max_size=8), etal=st.booleans())
def test_name_lists(names: list[tuple[str, str]], etal: bool) -> None:
    printed = [f"{s} {i}" for s, i in names]
    text = ", ".join(printed + (["et al"] if etal else []))
    assert split_authors(text) == (tuple(printed), etal)
    citation = parse_citation(f"{text}. A title of a paper. J Test. 2001;12(3):45-9.")
    assert citation.authors == tuple(printed)
    assert citation.authors_truncated is etal
    assert citation.title == "A title of a paper"
    assert (citation.journal, citation.year, citation.volume, citation.issue) == ("J Test", 2001, "12", "3")
    assert citation.pages is not None and citation.pages.end == "49"


def test_not_a_name_list() -> None:
    assert split_authors("An analysis of 8305 cases of carcinoid tumors") is None


def test_seed_reference_shapes() -> None:
    ref = parse_citation(
        "Lawrence B, Gustafsson BI, Kidd M, Pavel M, Svejda B, Modlin IM. The clinical relevance of chromogranin A "
        "as a biomarker for gastroenteropancreatic neuroendocrine tumors. Endocrinol Metab Clin North Am. "
        "2011;40(1):111–34, viii. https://doi.org/10.1016/j.ecl.2010.12.001 .")
    assert ref.authors[-1] == "Modlin IM" and not ref.authors_truncated
    assert ref.journal == "Endocrinol Metab Clin North Am"
    assert ref.pages == Pages(raw="111–34, viii", start="111", end="134", extra="viii")
    assert ref.doi == "10.1016/j.ecl.2010.12.001"


def test_link_markers_and_ids() -> None:
    ref = parse_citation("Smith J. A study. Lancet. 2001 Jan 6;357(9250):1-5. doi: 10.1016/S0140(01)1. "
                         "PMID: 11197395 PMCID: PMC123 - DOI - PubMed - PMC")
    assert ref.doi == "10.1016/S0140(01)1"
    assert (ref.pmid, ref.pmcid, ref.year, ref.volume) == ("11197395", "PMC123", 2001, "357")


def test_unparseable_keeps_text() -> None:
    ref = parse_citation("Personal communication with the author")
    assert ref.text == "Personal communication with the author"
    assert ref.journal is None and ref.title is None and ref.authors == ()


CITATIONS = [
    "Modlin IM, Sandor A, et al. A 50-year analysis of 562 gastric carcinoids. Cancer. 1997;79(4):813–29.",
    "Smith J. Untitled. 2001.",
    "Not a citation at all",
    "Doe J, Roe R. Title: a study. Lancet. 2001 Jan 6;357:1-5. doi: 10.1016/S0140-6736(00)03562-5. PMID: 123",
]


@given(text=st.one_of(st.sampled_from(CITATIONS), st.text(max_size=80)), given_pmid=st.sampled_from(["99", None, "0"]))
def test_reference_parsed_when_read_is_the_same(text: str, given_pmid: str | None) -> None:
    """A reference cited by PMID parses its parts only when read (Reference.unparsed): whatever is read, compared,
    hashed, pickled or replaced, it is the reference parsed at once."""
    import dataclasses
    import pickle

    from rdfgen.model import BIBLIOGRAPHIC, Reference
    from rdfgen.sources.citation import reference

    ref = reference(3, text, pmid=given_pmid, doi="10.1000/abc")
    parsed = parse_citation(ref.citation)
    eager = Reference(3, ref.citation, *(getattr(parsed, part) for part in BIBLIOGRAPHIC), doi=ref.doi,
                      pmid=ref.pmid, pmcid=ref.pmcid, notes=ref.notes)
    fresh = reference(3, text, pmid=given_pmid, doi="10.1000/abc")
    assert pickle.loads(pickle.dumps(fresh)) == eager  # pickled before any part was read
    assert fresh == eager and hash(fresh) == hash(eager) and repr(fresh) == repr(eager)
    assert ref.title == eager.title and ref.pages == eager.pages and ref.authors == eager.authors
    assert dataclasses.replace(reference(3, text, pmid=given_pmid), pmid=None).journal == parsed.journal
    assert dataclasses.asdict(reference(3, text, pmid=given_pmid, doi="10.1000/abc")) == dataclasses.asdict(eager)


def test_reference_fields_are_accounted_for() -> None:
    """Reference.unparsed sets every field: the parsed parts and the identifiers together are all the fields."""
    import dataclasses

    from rdfgen.model import _IDENTIFIER_DEFAULTS, BIBLIOGRAPHIC, Reference

    names = [f.name for f in dataclasses.fields(Reference)]
    assert set(names) == {"position", "citation", *BIBLIOGRAPHIC, *_IDENTIFIER_DEFAULTS}
    assert [n for n in names if n in BIBLIOGRAPHIC] == list(BIBLIOGRAPHIC)
    with __import__("pytest").raises(AttributeError):
        _ = Reference(1, "x").no_such_field
