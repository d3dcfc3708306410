"""MEDLINE source: real exports, agreement with the XML of the same records, broken input, continuations."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rdfgen.errors import SourceError
from rdfgen.model import Affiliation, ArticleId, CommentCorrection, Grant, Pages, PartialDate, Record
from rdfgen.sources.medline import iter_medline
from rdfgen.sources.pubmed_xml import iter_pubmed_xml
from rdfgen.sources.text import squash

DATA = Path(__file__).parent / "data"
DREAMYTANG_MEDLINE = DATA / "medline" / "dreamytang_pubmed_result.txt"
DREAMYTANG_XML = DATA / "xml" / "dreamytang_pubmed_result.xml"


def medline_records(name: str) -> list[Record]:
    return list(iter_medline(DATA / "medline" / name))


# The same seven records as XML and as MEDLINE -------------------------------------------------------------------


def paired() -> list[tuple[Record, Record]]:
    xml = [r for r in iter_pubmed_xml(DREAMYTANG_XML) if isinstance(r, Record)]
    return list(zip(xml, iter_medline(DREAMYTANG_MEDLINE), strict=True))


def test_xml_and_medline_agree_on_pmids_titles_dois() -> None:
    pairs = paired()
    assert len(pairs) == 7
    for xml, medline in pairs:
        assert xml.pmid == medline.pmid
        assert squash(xml.title) == squash(medline.title)
        assert xml.doi == medline.doi
        assert xml.pmcid == medline.pmcid
    assert sum(xml.doi is not None for xml, _ in pairs) == 6


def test_xml_and_medline_agree_on_authors() -> None:
    for xml, medline in paired():
        assert [a.family_name for a in xml.authors] == [a.family_name for a in medline.authors]
        assert [a.given_name for a in xml.authors] == [a.given_name for a in medline.authors]
        assert [a.initials for a in xml.authors] == [a.initials for a in medline.authors]
        assert [a.orcid for a in xml.authors] == [a.orcid for a in medline.authors]
        assert [a.affiliations for a in xml.authors] == [a.affiliations for a in medline.authors]


def mesh(record: Record) -> list[tuple[str, bool, list[tuple[str, bool]]]]:
    return [(h.descriptor_name, h.major, [(q.name, q.major) for q in h.qualifiers]) for h in record.mesh_headings]


def test_xml_and_medline_agree_on_mesh() -> None:
    for xml, medline in paired():
        assert mesh(xml) == mesh(medline)  # these 2018 records were not indexed yet: both empty


@pytest.mark.parametrize("name", ["metapub_39382274.xml", "pubmed21n1298_excerpt.xml", "pubmed20n0014_excerpt.xml"])
def test_mesh_written_as_medline_reads_back_as_the_xml(name: str) -> None:
    """No indexed record has both an XML and a MEDLINE copy here, so write the XML's headings as MEDLINE MH lines
    (the "*" convention) and check the MEDLINE reader returns the same names and major flags."""
    compared = 0
    for xml in iter_pubmed_xml(DATA / "xml" / name):
        if not isinstance(xml, Record) or not xml.mesh_headings:
            continue
        lines = [f"PMID- {xml.pmid}", "TI  - Title."]
        for h in xml.mesh_headings:
            parts = ["*" * h.major + h.descriptor_name] + ["*" * q.major + q.name for q in h.qualifiers]
            lines.append("MH  - " + "/".join(parts))
        (medline,) = iter_medline(io.BytesIO("\n".join(lines).encode()))
        assert mesh(medline) == mesh(xml)
        assert all(h.descriptor_ui is None for h in medline.mesh_headings)
        compared += len(xml.mesh_headings)
    assert compared >= 20


def test_xml_and_medline_agree_on_dates_pages_journal_and_keywords() -> None:
    for xml, medline in paired():
        for name in ("pub_date", "electronic_date", "date_revised", "date_completed", "history", "pages", "volume",
                     "issue", "status", "publication_status", "languages", "keywords", "coi_statement"):
            assert getattr(xml, name) == getattr(medline, name), (xml.pmid, name)
        assert xml.journal is not None and medline.journal is not None
        assert xml.journal == medline.journal.__class__(**{**vars(medline.journal),
                                                           "iso_abbreviation": xml.journal.iso_abbreviation})
        assert [p.name for p in xml.publication_types] == [p.name for p in medline.publication_types]
        assert set(medline.article_ids) <= set(xml.article_ids) | {ArticleId("pmc", medline.pmcid or "")}


# Real exports ---------------------------------------------------------------------------------------------------


def test_crlf_export_fields() -> None:
    first = medline_records("dreamytang_pubmed_result.txt")[0]
    assert first.pmid == "30038950" and first.status == "PubMed-not-MEDLINE"
    assert first.title == ("Association Between Cancer and Utilization of Traditional Chinese Medicine in U.S. Chinese "
                           "Women: Findings From the PINE Study.")
    assert first.pub_date == PartialDate(2018, 1, raw="2018 Jan-Dec")
    assert first.pii == "10.1177_2333721418778199" and first.pmcid == "PMC6050798"
    assert first.history[0].status == "received" and first.history[0].date == PartialDate(2016, 12, 14)
    assert first.provenance is not None and first.provenance.source_format == "medline"
    assert not any("\r" in a.affiliations[0].name for a in first.authors)


def test_orcid_from_auid() -> None:
    orcids = [a.orcid for r in medline_records("dreamytang_pubmed_result.txt") for a in r.authors if a.orcid]
    assert orcids == ["0000-0001-8031-5667"]


def test_continued_mesh_heading_and_expanded_pages() -> None:
    (r,) = medline_records("biopython_pubmed_result3.txt")
    heading = r.mesh_headings[1]
    assert heading.descriptor_name == "High-Intensity Focused Ultrasound Ablation"
    assert [(q.name, q.major) for q in heading.qualifiers] == [
        ("adverse effects", False), ("instrumentation", False), ("methods", True),
    ]
    assert heading.is_major and not heading.major
    assert r.pages == Pages(raw="5795-813", start="5795", end="5813")
    assert r.doi == "10.1118/1.4748329"
    assert r.date_completed == PartialDate(2012, 12, 5)


def test_old_export_affiliation_before_authors_and_dates_without_phst() -> None:
    (r,) = medline_records("biopython_pubmed_result1.txt")
    assert r.authors[0].affiliations == (Affiliation("tacg Informatics, Irvine, CA 92612, USA. hjm@tacgi.com"),)
    assert [(h.status, h.date) for h in r.history] == [
        ("pubmed", PartialDate(2002, 9, 17)), ("medline", PartialDate(2003, 6, 7)),
    ]
    assert [(h.descriptor_name, h.major) for h in r.mesh_headings][:2] == [
        ("Computational Biology", True), ("Computer Systems", False),
    ]


def test_hand_made_record_with_rarer_tags() -> None:
    (r,) = medline_records("hand_made_features.txt")
    assert r.journal is not None
    assert (r.journal.issn_print, r.journal.issn_electronic, r.journal.issn_linking) == (
        "1234-567X", "1234-5678", "1234-567X")
    assert r.pages == Pages(raw="111-34, viii", start="111", end="134", extra="viii")
    assert r.pub_date == PartialDate(1998, 12, raw="1998 Dec-1999 Jan")
    smith, doe, group = r.authors
    assert (smith.family_name, smith.given_name, smith.initials, smith.suffix) == ("Smith", "John", "J", "Jr")
    assert [a.name for a in smith.affiliations] == ["First affiliation.", "Second affiliation."]
    assert smith.orcid is None and any("0000-0002-1825-009" in n for n in r.notes)
    assert doe.orcid == "0000-0002-1825-0097"
    assert group.collective_name == "The Hand-made Study Group"
    assert r.grants[0] == Grant("R01 AG042318", "NIA NIH HHS", "AG", "United States")
    assert r.grants[1] == Grant("12/34/5", "Wellcome Trust", None, "United Kingdom")
    assert [(c.name, c.registry_number) for c in r.chemicals] == [
        ("Antineoplastic Agents", None), ("DNA", "9007-49-2"), ("Receptor, ErbB-2", "EC 2.7.10.1")]
    assert [(d.name, d.accessions) for d in r.databanks] == [
        ("GENBANK", ("M10670", "M10671")), ("ClinicalTrials.gov", ("NCT00000001",))]
    assert r.comments_corrections[0] == CommentCorrection("CommentIn", "Lancet. 1999 Feb;353(9152):500.", "10023944")
    assert [(c.ref_type, c.pmid) for c in r.comments_corrections[1:]] == [
        ("ErratumIn", None), ("RetractionIn", "10023945"), ("RetractionOf", "10023946"), ("UpdateOf", None)]
    assert r.is_retracted
    assert [(k.text, k.owner, k.major) for k in r.keywords] == [
        ("first keyword", "NOTNLM", True), ("second keyword", "NOTNLM", False)]
    assert r.abstract is not None and r.abstract.copyright == "(c) 1999 Somebody."
    assert r.doi == "10.1000/hand.made" and r.pii == "e12345"
    assert r.languages == ("eng", "fre") and r.electronic_date == PartialDate(1998, 12, 1)


# Broken input, encodings, streams --------------------------------------------------------------------------------


def test_broken_records_are_reported_and_the_rest_yielded() -> None:
    reported: list[SourceError] = []
    good = list(iter_medline(DATA / "medline" / "broken_records.txt", on_error=reported.append))
    assert [r.pmid for r in good] == ["900201", "900205"]
    assert len(good) + len(reported) == 5
    assert [(e.pmid, e.field) for e in reported] == [("900202", "DCOM"), (None, "PMID"), ("900204", "TI")]
    assert reported[0].position == "10" and "month out of range" in reported[0].reason
    assert good[1].pub_date == PartialDate(2019, season="Winter", raw="2019 Winter")


def test_broken_record_raises_without_on_error() -> None:
    with pytest.raises(SourceError, match="PMID 900202, field DCOM"):
        list(iter_medline(DATA / "medline" / "broken_records.txt"))


def test_bom_gzip_and_stream() -> None:
    raw = DREAMYTANG_MEDLINE.read_bytes()
    expected = [r.pmid for r in medline_records("dreamytang_pubmed_result.txt")]
    with_bom = io.BytesIO(gzip.compress(b"\xef\xbb\xbf" + raw.lstrip()))
    assert [r.pmid for r in iter_medline(with_bom, name="-")] == expected


def test_invalid_utf8_costs_one_record() -> None:
    text = b"PMID- 1\nTI  - Caf\xe9 broken.\n\nPMID- 2\nTI  - Fine.\n"
    reported: list[SourceError] = []
    assert [r.pmid for r in iter_medline(io.BytesIO(text), on_error=reported.append)] == ["2"]
    assert reported[0].pmid == "1" and reported[0].position == "2" and "UTF-8" in reported[0].reason


def test_records_without_blank_separator_and_stray_line() -> None:
    text = b"PMID- 1\nTI  - One.\nPMID- 2\nTI  - Two.\n\nnot a tag line\nPMID- 3\nTI  - Three.\n"
    reported: list[SourceError] = []
    assert [r.title for r in iter_medline(io.BytesIO(text), on_error=reported.append)] == ["One.", "Two."]
    assert len(reported) == 1 and reported[0].position == "6"


# Continuation lines (property) ----------------------------------------------------------------------------------

_WORD = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=12).filter(
    lambda w: w.strip() == w and w == squash(w))


@given(words=st.lists(_WORD, min_size=1, max_size=40), breaks=st.lists(st.booleans(), max_size=40),
       crlf=st.booleans())
def test_continuation_lines_join_back_to_the_value(words: list[str], breaks: list[bool], crlf: bool) -> None:
    value = " ".join(words)
    lines, current = [], words[0]
    for word, new_line in zip(words[1:], breaks + [False] * len(words), strict=False):
        if new_line:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}"
    lines.append(current)
    end = "\r\n" if crlf else "\n"
    body = f"PMID- 1{end}TI  - " + f"{end}      ".join(lines) + f"{end}AB  - {value}{end}"
    (r,) = iter_medline(io.BytesIO(body.encode("utf-8")))
    assert r.title == value
    assert r.abstract is not None and r.abstract.sections[0].text == value
