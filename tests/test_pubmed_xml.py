"""PubMed XML source: real efetch and baseline records, broken and hostile inputs, streaming."""

from __future__ import annotations

import gzip
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml.etree import _Element

from rdfgen.errors import SourceError
from rdfgen.model import Affiliation, ArticleId, Deletion, Pages, PartialDate, Record
from rdfgen.sources import pubmed_xml
from rdfgen.sources.pubmed_xml import iter_pubmed_xml
from rdfgen.sources.text import expand_page_range, normalise_orcid, parse_date_text

DATA = Path(__file__).parent / "data" / "xml"


def records(name: str) -> list[Record]:
    return [item for item in iter_pubmed_xml(DATA / name) if isinstance(item, Record)]


def record(name: str, pmid: str | None = None) -> Record:
    found = [r for r in records(name) if pmid is None or r.pmid == pmid]
    assert len(found) == 1, [r.pmid for r in found]
    return found[0]


# Real records ---------------------------------------------------------------------------------------------------


def test_equal_contributors_and_collective_author() -> None:
    r = record("metapub_39382274.xml")
    assert r.pmid == "39382274" and r.pmid_version == "1"
    assert len(r.authors) == 18
    assert sum(a.equal_contribution for a in r.authors) == 6
    assert r.authors[-1].collective_name is not None and r.authors[-1].collective_name.startswith("GEMARA-SEIMC")
    assert r.authors[0].family_name == "Blanco-Martín" and r.authors[0].orcid == "0009-0003-1636-6429"
    assert len(r.references) == 42 and [ref.position for ref in r.references] == list(range(1, 43))
    assert len(r.mesh_headings) == 24
    assert r.doi == "10.1128/aac.00924-24" and r.pii == "e00924-24"
    assert r.pages == Pages(raw="e0092424", start="e0092424")
    assert r.pub_date == PartialDate(2024, 11, 6)
    assert r.date_completed == PartialDate(2024, 11, 6) and r.date_revised == PartialDate(2025, 4, 10)
    assert r.title.startswith("Assessment of the activity") and "β-lactams" in r.title
    assert r.abstract is not None and "MIC<sub>50</sub>" in (r.abstract.sections[0].html or "")
    assert "<sub>" not in r.abstract.sections[0].text


def test_mesh_headings_keep_uis_and_major_flags() -> None:
    heading = record("metapub_39382274.xml").mesh_headings[1]
    assert (heading.descriptor_ui, heading.descriptor_name, heading.major) == ("D053961", "Azabicyclo Compounds", True)
    assert [(q.ui, q.name, q.major) for q in heading.qualifiers] == [("Q000494", "pharmacology", False)]


def test_book_chapter_with_editors_authors_and_sections() -> None:
    r = record("metapub_20301546.xml")
    assert r.kind == "chapter"
    assert r.title == "Hereditary Motor and Sensory Neuropathy with Agenesis of the Corpus Callosum"
    assert r.book is not None
    assert r.book.title == "GeneReviews®"
    assert (r.book.publisher, r.book.publisher_location) == ("University of Washington, Seattle", "Seattle (WA)")
    assert [e.family_name for e in r.book.editors] == ["Adam", "Bick", "Mirzaa", "Pagon", "Wallace", "Amemiya"]
    assert {e.role for e in r.book.editors} == {"editor"}
    assert [a.family_name for a in r.authors] == ["Gauvreau", "Brisson", "Dupré"]
    assert {a.role for a in r.authors} == {"author"}
    assert r.book.sections[:2] == ("Summary", "Diagnosis") and len(r.book.sections) == 11
    assert r.pub_date == PartialDate(2006, 2, 2) and r.date_revised == PartialDate(2020, 9, 17)  # ContributionDate
    assert r.book is not None and r.book.date == PartialDate(1993)
    assert ArticleId("bookaccession", "NBK1372") in r.article_ids
    assert r.abstract is not None and [s.label for s in r.abstract.sections][0] == "CLINICAL CHARACTERISTICS"
    assert r.abstract.copyright is not None and r.abstract.copyright.startswith("Copyright ©")
    assert len(r.references) == 16 and r.references[0].pmcid == "PMC4578331" and r.references[0].pmid == "26392352"
    assert r.journal is None and r.publication_status == "ppublish"


def test_erratum_without_authors() -> None:
    r = record("metapub_38962805.xml")
    assert r.authors == () and r.authors_complete
    assert [p.name for p in r.publication_types] == ["Journal Article", "Published Erratum"]
    (link,) = r.comments_corrections
    assert (link.ref_type, link.pmid) == ("ErratumFor", "38446048")
    assert link.ref_source is not None and link.ref_source.startswith("AIDS Care. 2024 Jul")
    assert r.doi == "10.1080/09540121.2024.2374185"
    assert r.issue == "sup1" and r.volume == "36" and r.cited_medium == "Internet"
    assert r.pages == Pages(raw="228-229", start="228", end="229")
    assert r.electronic_date == PartialDate(2024, 7, 4)
    assert r.journal is not None and r.journal.issn_electronic == "1360-0451" and r.journal.issn_linking == "0954-0121"
    assert r.status == "PubMed-not-MEDLINE"
    assert [h.status for h in r.history] == ["medline", "pubmed", "entrez"]


def test_collective_sole_author_with_investigators() -> None:
    r = record("metapub_7550356.xml")
    assert [a.collective_name for a in r.authors] == ["Alzheimer's Disease Collaborative Group"]
    assert len(r.investigators) == 63 and r.investigators[0].role == "investigator"


def test_vernacular_title_and_other_abstract() -> None:
    r = record("metapub_39731248.xml")
    assert r.title == "[Peripapillary pachychoroid syndrome]."
    assert r.vernacular_title == "Peripapillyarnyi pakhikhorioidal'nyi sindrom."
    assert [(a.kind, a.language) for a in r.other_abstracts] == [("Publisher", "rus")]


def test_update_file_deletion_lists_twenty_pmids() -> None:
    items = list(iter_pubmed_xml(DATA / "pubmed21n1298_excerpt.xml"))
    deletions = [i for i in items if isinstance(i, Deletion)]
    assert len(deletions) == 1 and len(deletions[0].pmids) == 20
    assert deletions[0].pmids[0] == "31688362" and deletions[0].pmids[-1] == "34096142"
    assert len(items) == 15 and isinstance(items[-1], Deletion)


@pytest.mark.parametrize(
    ("pmid", "orcids"),
    [
        ("33480729", ["0000-0002-8404-6596", "0000-0002-2793-6656", "0000-0002-2167-5096"]),  # 16 digits
        ("33821504", ["0000-0001-5751-887X", "0000-0002-7344-6076", "0000-0003-4878-891X", "0000-0001-5077-0642",
                      "0000-0002-7404-6971"]),  # https://orcid.org/...
        ("33884452", ["0000-0003-4975-2679"]),  # bare
        ("34088727", ["0000-0002-9998-8578"]),  # http://orcid.org/...
    ],
)
def test_orcid_spellings_are_normalised(pmid: str, orcids: list[str]) -> None:
    r = record("pubmed21n1298_excerpt.xml", pmid)
    assert [a.orcid for a in r.authors if a.orcid] == orcids
    assert r.notes == ()


def test_malformed_orcid_is_dropped_with_a_note_and_the_author_kept() -> None:
    r = record("pubmed21n1298_excerpt.xml", "32910605")
    campbell = [a for a in r.authors if a.family_name == "Campbell"]
    assert len(campbell) == 1 and campbell[0].orcid is None
    assert any("0000-0001-9206-317" in note for note in r.notes)


def test_mathml_and_markup_in_title() -> None:
    """MathML's msubsup is T with 2 below and ∗ above; plain text marks a superscript with a caret unless it is only
    signs (rdfgen.sources.markup)."""
    r = record("pubmed21n1298_excerpt.xml", "33821504")
    assert r.title == ("Cardiac T2∗ measurement of hyperpolarized ^13 C metabolites using metabolite-selective "
                       "multi-echo spiral imaging.")
    assert r.title_html == ("Cardiac T<sub>2</sub><sup>∗</sup> measurement of hyperpolarized <sup>13</sup> C "
                            "metabolites using metabolite-selective multi-echo spiral imaging.")
    assert r.abstract is not None and r.abstract.sections[0].nlm_category == "OBJECTIVE"
    assert r.references[0].title_of_list == "REFERENCES"


def test_empty_article_title_falls_back_to_vernacular() -> None:
    r = record("pubmed21n1298_excerpt.xml", "34097092")
    assert r.title == r.vernacular_title == "Mitteilungen der DGN."
    assert r.notes


@pytest.mark.parametrize(
    ("pmid", "date"),
    [
        ("399698", PartialDate(1979, 11, raw="1979 Nov-1980 May")),
        ("399825", PartialDate(1977, raw="1977-1978")),
        ("402750", PartialDate(1977, 1, raw="1977 Jan-Feb")),
        ("417507", PartialDate(1977, 4, raw="1977 Apr 17-21")),
        ("414376", PartialDate(1977, season="Winter", raw="1977 Winter")),
        ("420797", PartialDate(1979, 2, 6)),
    ],
)
def test_medline_dates_and_seasons(pmid: str, date: PartialDate) -> None:
    assert record("pubmed20n0014_excerpt.xml", pmid).pub_date == date


def test_quarter_medline_date() -> None:
    dates = [r.pub_date for r in records("pubmed21n1298_excerpt.xml")]
    assert PartialDate(2021, raw="2021 3rd Quarter") in dates
    assert PartialDate(2020, 7, raw="2020 Jul-Sep") in dates


def test_baseline_1977_fields() -> None:
    by_pmid = {r.pmid: r for r in records("pubmed20n0014_excerpt.xml")}
    assert [a.suffix for a in by_pmid["414376"].authors] == ["Jr"]
    assert [(d.name, d.accessions) for d in by_pmid["423961"].databanks] == [("GENBANK", ("M10670",))]
    concept = by_pmid["401388"].supplementary_concepts[0]
    assert (concept.name, concept.ui, concept.type) == ("CAF protocol", "C035000", "Protocol")
    assert by_pmid["399825"].authors == ()
    assert len(by_pmid["420797"].references) == 14
    assert by_pmid["420797"].pmcid == "PMC6821520" and ArticleId("mid", "NIHMS1055565") in by_pmid["420797"].article_ids
    pip = by_pmid["427512"]
    assert [(a.kind, a.language) for a in pip.other_abstracts] == [("PIP", "eng")]
    assert any(k.owner == "PIP" and k.major for k in pip.keywords)


def test_keywords_coi_and_provenance() -> None:
    r = records("dreamytang_pubmed_result.xml")[0]
    assert [k.text for k in r.keywords][:2] == ["U.S. Chinese older women", "cancer"]
    assert {k.owner for k in r.keywords} == {"NOTNLM"}
    assert r.coi_statement is not None and r.coi_statement.startswith("Declaration of Conflicting Interests")
    assert r.provenance is not None and r.provenance.source_format == "pubmed-xml"
    assert r.provenance.source_file == str(DATA / "dreamytang_pubmed_result.xml")
    assert r.abstract is not None and r.abstract.sections[0].html is not None
    assert r.abstract.sections[0].html.startswith("<b>Objective:</b> To examine")


def test_grants_and_structured_abstract() -> None:
    r = record("biopython_pubmed4.xml")
    assert r.grants and r.grants[0].grant_id == "KL2 TR001100" and r.grants[0].agency == "NCATS NIH HHS"
    assert r.abstract is not None and len(r.abstract.sections) == 4
    assert len(r.comments_corrections) == 49 and r.pmcid is not None


def test_empty_set_yields_nothing() -> None:
    assert list(iter_pubmed_xml(DATA / "metapub_37909814.xml")) == []


def test_affiliation_identifiers_and_explicit_pages() -> None:
    good = next(iter_pubmed_xml(DATA / "broken_records.xml", on_error=lambda e: None))
    assert isinstance(good, Record)
    assert good.authors[0].affiliations == (
        Affiliation("Example University, Exampletown.",
                    (ArticleId("ROR", "https://ror.org/02mhbdp94"), ArticleId("GRID", "grid.7119.e"))),
    )
    assert good.pages == Pages(raw="R11-29", start="R11", end="R29")
    assert not good.authors_complete


# Broken and hostile input ---------------------------------------------------------------------------------------


def test_broken_records_are_reported_and_the_rest_yielded() -> None:
    reported: list[SourceError] = []
    items = list(iter_pubmed_xml(DATA / "broken_records.xml", on_error=reported.append))
    assert [r.pmid for r in items if isinstance(r, Record)] == ["900001", "900006"]
    assert len(items) + len(reported) == 6
    assert [(e.pmid, e.field) for e in reported] == [
        ("900002", "PubDate"), (None, "PMID"), ("900004", "ArticleTitle"), ("900005", "DateCompleted"),
    ]
    assert all(e.file == str(DATA / "broken_records.xml") and e.position for e in reported)
    assert "month out of range: 13" in str(reported[0])
    season = items[1]
    assert isinstance(season, Record) and season.pub_date == PartialDate(2019, season="Winter", raw="2019 Winter")
    assert season.pmid_version == "2"


def test_broken_record_raises_without_on_error() -> None:
    with pytest.raises(SourceError, match="PMID 900002, field PubDate"):
        list(iter_pubmed_xml(DATA / "broken_records.xml"))


def test_truncated_xml_names_file_and_position(tmp_path: Path) -> None:
    data = (DATA / "dreamytang_pubmed_result.xml").read_bytes()
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(data[: len(data) // 2])
    seen: list[Record | Deletion] = []
    with pytest.raises(SourceError) as caught:
        for item in iter_pubmed_xml(truncated):
            seen.append(item)
    assert caught.value.file == str(truncated)
    assert caught.value.position and ", column " in caught.value.position
    assert "line " in str(caught.value)
    assert 0 < len(seen) < 7


def test_not_pubmed_xml_is_an_error(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text("<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>")
    with pytest.raises(SourceError, match="not <PubmedArticleSet>"):
        list(iter_pubmed_xml(other))


def test_gzip_file_and_stream(tmp_path: Path) -> None:
    plain = (DATA / "dreamytang_pubmed_result.xml").read_bytes()
    packed = tmp_path / "records.xml.gz"
    packed.write_bytes(gzip.compress(plain))
    expected = [r.pmid for r in records("dreamytang_pubmed_result.xml")]
    assert [r.pmid for r in iter_pubmed_xml(packed) if isinstance(r, Record)] == expected
    stream = io.BytesIO(gzip.compress(plain))
    from_stream = [r for r in iter_pubmed_xml(stream, name="stdin") if isinstance(r, Record)]
    assert [r.pmid for r in from_stream] == expected
    assert from_stream[0].provenance is not None and from_stream[0].provenance.source_file == "stdin"


def test_external_entity_is_not_read(tmp_path: Path) -> None:
    r = record("hostile_xxe.xml")
    assert r.title == "Before after."
    assert r.abstract is None
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    hostile = tmp_path / "xxe.xml"
    hostile.write_text((DATA / "hostile_xxe.xml").read_text().replace("file:///etc/passwd", secret.as_uri()))
    (item,) = iter_pubmed_xml(hostile)
    assert isinstance(item, Record)
    assert "TOP-SECRET-MARKER" not in repr(item) and "root:" not in repr(item)


def test_billion_laughs_does_not_expand() -> None:
    try:
        items = list(iter_pubmed_xml(DATA / "hostile_billion_laughs.xml"))
    except SourceError as error:
        assert error.file and error.position
    else:
        assert all(isinstance(i, Record) and len(i.title) < 100 for i in items)


@pytest.fixture
def dtd_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request, to prove the parser never fetches a DTD."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
            requests.append(self.path)
            body = b'<!ENTITY leak "FETCHED-FROM-NETWORK">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def test_external_dtd_is_not_fetched(tmp_path: Path, dtd_server: tuple[str, list[str]]) -> None:
    base, requests = dtd_server
    hostile = tmp_path / "dtd.xml"
    hostile.write_text(
        f'<?xml version="1.0"?>\n'
        f'<!DOCTYPE PubmedArticleSet SYSTEM "{base}/pubmed.dtd" [\n'
        f'  <!ENTITY % remote SYSTEM "{base}/remote.ent"> %remote;\n'
        f']>\n'
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>900103</PMID><Article>"
        "<ArticleTitle>Title &leak; here.</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
        "</PubmedArticleSet>\n"
    )
    items = list(iter_pubmed_xml(hostile))
    assert requests == []
    assert [i.title for i in items if isinstance(i, Record)] == ["Title here."]


def test_external_local_dtd_is_not_loaded(tmp_path: Path) -> None:
    """Recent libxml2 cannot fetch http at all, so also prove that a DTD file next door is not read."""
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "FROM-LOCAL-DTD">')
    hostile = tmp_path / "local-dtd.xml"
    hostile.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet SYSTEM "{dtd.as_uri()}">\n'
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>900104</PMID><Article>"
        "<ArticleTitle>Title &leak; here.</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
        "</PubmedArticleSet>\n"
    )
    (item,) = iter_pubmed_xml(hostile)
    assert isinstance(item, Record) and item.title == "Title here."


# Streaming ------------------------------------------------------------------------------------------------------


def test_each_record_is_released_once_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory must not grow with the file: after a record is read the tree holds nothing before it, only the
    parser's read-ahead after it."""
    before: list[int] = []
    in_tree: list[int] = []
    release = pubmed_xml._release

    def watching_release(element: _Element) -> None:
        release(element)
        before.append(len(list(element.itersiblings(preceding=True))))
        parent = element.getparent()
        in_tree.append(len(parent) if parent is not None else 0)

    monkeypatch.setattr(pubmed_xml, "_release", watching_release)
    body = b"".join(
        b"<PubmedArticle><MedlineCitation><PMID>%d</PMID><Article><ArticleTitle>Record %d</ArticleTitle>"
        b"</Article></MedlineCitation></PubmedArticle>\n" % (n, n)
        for n in range(1, 2001)
    )
    stream = io.BytesIO(b"<PubmedArticleSet>\n" + body + b"</PubmedArticleSet>")
    titles = [r.title for r in iter_pubmed_xml(stream) if isinstance(r, Record)]
    assert len(titles) == 2000 and titles[-1] == "Record 2000"
    assert max(before) == 0
    assert max(in_tree) < 500


# Shared text helpers (rdfgen.sources.text) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "pages"),
    [
        ("813-29", Pages("813-29", "813", "829")),
        ("R11-29", Pages("R11-29", "R11", "R29")),
        ("111-34, viii", Pages("111-34, viii", "111", "134", "viii")),
        ("5795-813", Pages("5795-813", "5795", "5813")),
        ("S1-S10", Pages("S1-S10", "S1", "S10")),
        ("e229391", Pages("e229391", "e229391")),
        ("12-9", Pages("12-9", "12", "19")),
        ("passim", Pages("passim", "passim")),
        ("1-2 contd", Pages("1-2 contd")),
    ],
)
def test_page_ranges(raw: str, pages: Pages) -> None:
    assert expand_page_range(raw) == pages


@given(start=st.integers(1, 10**6), length=st.integers(0, 10**4), prefix=st.sampled_from(["", "R", "S", "e"]))
def test_abbreviated_page_ranges_expand_to_the_full_end(start: int, length: int, prefix: str) -> None:
    end = str(start + length)
    first = str(start)
    shared = 0
    if len(end) == len(first):
        while shared < len(end) - 1 and end[shared] == first[shared]:
            shared += 1
    pages = expand_page_range(f"{prefix}{first}-{end[shared:]}")
    assert (pages.start, pages.end) == (f"{prefix}{first}", f"{prefix}{end}")


@given(digits=st.text("0123456789", min_size=15, max_size=15),
       spelling=st.sampled_from(["{}", "https://orcid.org/{}", "http://orcid.org/{}", "{plain}"]))
def test_orcid_spellings_normalise_to_the_bare_form(digits: str, spelling: str) -> None:
    total = 0
    for char in digits:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    plain = digits + ("X" if check == 10 else str(check))
    bare = "-".join(plain[i : i + 4] for i in range(0, 16, 4))
    assert normalise_orcid(spelling.format(bare, plain=plain)) == bare
    assert normalise_orcid(bare[:-1]) is None
    wrong = bare[:-1] + ("0" if bare[-1] != "0" else "1")
    assert normalise_orcid(wrong) is None


def test_unusual_date_text_keeps_raw() -> None:
    assert parse_date_text("2020 Foo") == PartialDate(2020, raw="2020 Foo")
    assert parse_date_text("2018 September 5") == PartialDate(2018, 9, 5)


@pytest.mark.parametrize("text", ["2020 13", "2021 Feb 30", "Spring"])
def test_impossible_date_text(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date_text(text)


# Fast paths the parser takes must give what the plain forms give -----------------------------------------------

_CITATION_TOKENS = ["Ab", "x", ". ", ".", "? ", "!", " ", "\t", "1999", "2001", "12", ";", "(3)", ":", "45-9", "Jan",
                    " Jan 6", "J.Med", ".\u00a0", ";12(3):45-9.", ". 2001", ". 2001;", "?", "Lancet", "doi:", "DOI: ",
                    "https://dx.doi.org/", "10.", "1234/", "doı", "xdoi:", "/"]


@given(st.lists(st.sampled_from(_CITATION_TOKENS), max_size=16).map("".join))
def test_citation_search_shortcuts_match_the_plain_regexes(text: str) -> None:
    """``_last_source`` is the last ``_SOURCE_RE`` match and the DOI search window loses no DOI."""
    from rdfgen.sources import citation

    def shape(match: object) -> object:
        return None if match is None else (match.span(), match.groupdict())  # type: ignore[attr-defined]

    last = None
    for last in citation._SOURCE_RE.finditer(text):  # noqa: B007 - the last match is the one wanted
        pass
    assert shape(citation._last_source(text)) == shape(last)
    clean = " ".join(text.split())
    at = clean.find("10.")
    window = citation._DOI_RE.search(clean, max(0, at - citation._DOI_PREFIX_MAX)) if at >= 0 else None
    assert shape(window) == shape(citation._DOI_RE.search(clean))


def test_child_lookups_match_elementpath() -> None:
    """The one-walk helpers return what find/iterfind return, namespaced and entity children included."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    root = etree.fromstring(
        b'<!DOCTYPE r [<!ENTITY e "x">]><r xmlns:m="urn:m"><a>1</a>&e;<m:a>2</m:a><b><c>3</c><c>4</c></b>'
        b"<a>5</a><b><c>6</c></b></r>",
        parser,
    )
    for tag in ("a", "b", "c", "{urn:m}a"):
        assert pubmed_xml._first_child(root, tag) is root.find(tag)
        assert pubmed_xml._first_children(root).get(tag) is root.find(tag)
        assert list(pubmed_xml._tagged((root,), tag)) == root.findall(tag)
    assert list(pubmed_xml._grandchildren(root, "b", "c")) == root.findall("b/c")
