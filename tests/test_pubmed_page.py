"""The saved PubMed page source, on the seed and on broken pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from rdfgen.errors import SourceError
from rdfgen.model import Pages, PartialDate, Record
from rdfgen.resources import seed_path
from rdfgen.sources.pubmed_page import parse_page, pmid_from_filename, read_page

from .conftest import DATA

PAGES = DATA / "pages"


def test_seed_fields(seed_record: Record) -> None:
    r = seed_record
    assert r.pmid == "33783695"
    assert r.title.startswith("Imaging of neuroendocrine tumors: A pictorial review")
    assert [p.name for p in r.publication_types] == ["Review"]
    assert r.journal is not None and r.journal.iso_abbreviation == "Rev Endocr Metab Disord"
    assert r.pub_date == PartialDate(2021, 9)
    assert r.electronic_date == PartialDate(2021, 3, 30)
    assert (r.volume, r.issue, r.pages) == ("22", "3", Pages(raw="539-552", start="539", end="552"))
    assert r.doi == "10.1007/s11154-021-09631-7"
    assert r.abstract is not None and r.abstract.text.startswith("Neuroendocrine tumors (NETs) are multifaceted")
    assert r.abstract.text.endswith("aimed to provide a practical guide for all clinicians.")
    assert [k.text for k in r.keywords] == ["Computed tomography", "Magnetic resonance imaging",
                                            "Neuroendocrine tumor", "Positron emission tomography", "Ultrasound"]


def test_seed_authors_are_truncated_not_invented(seed_record: Record) -> None:
    assert len(seed_record.authors) == 1
    author = seed_record.authors[0]
    assert (author.given_name, author.family_name) == ("Ali", "Pirasteh")
    assert seed_record.authors_complete is False


def test_seed_references(seed_record: Record) -> None:
    refs = seed_record.references
    assert [r.position for r in refs] == [1, 2, 3, 4, 5]
    assert [r.doi for r in refs] == [None, "10.1530/ERC-12-0340", "10.1677/ERC-08-0017", "10.1016/j.ecl.2010.12.001",
                                     "10.1530/ERC-17-0269"]
    assert refs[0].authors == ("Modlin IM", "Sandor A") and not refs[0].authors_truncated
    assert refs[0].title == "An analysis of 8305 cases of carcinoid tumors"
    assert (refs[0].journal, refs[0].year, refs[0].volume, refs[0].issue) == ("Cancer", 1997, "79", "4")
    assert refs[0].pages == Pages(raw="813–29", start="813", end="829")
    assert refs[1].authors_truncated and refs[1].authors[-1] == "Heafield R"
    assert refs[3].pages is not None and refs[3].pages.extra == "viii"
    assert refs[4].pages is not None and (refs[4].pages.start, refs[4].pages.end) == ("R11", "R29")
    assert refs[4].citation.startswith("Marotta V, Zatelli MC") and "- DOI" not in refs[4].citation


def test_pmid_sources_in_order(tmp_path: Path) -> None:
    text = seed_path().read_text(encoding="utf-8")
    # The page's own PMID line wins over --pmid and the file name.
    assert parse_page(text + "\nPMID: 123\n", pmid="456").pmid == "123"
    assert parse_page(text, pmid="456").pmid == "456"
    named = tmp_path / "pubmed-33783695.txt"
    named.write_text(text, encoding="utf-8")
    assert next(read_page(named)).pmid == "33783695"
    anonymous = tmp_path / "saved-page.txt"
    anonymous.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=r"saved-page\.txt.*no PMID.*--pmid"):
        next(read_page(anonymous))


def test_pmid_from_filename() -> None:
    assert pmid_from_filename("pubmed-33783695.txt") == "33783695"
    assert pmid_from_filename("/a/b/33783695.txt") == "33783695"
    assert pmid_from_filename("page.txt") is None
    assert pmid_from_filename("pubmed-1-2.txt") is None


@pytest.mark.parametrize(("name", "message"), [
    ("empty-1.txt", r"empty-1\.txt.*empty file"),
    ("no-title-33783695.txt", r"no-title-33783695\.txt.*PMID 33783695.*field title"),
    ("not-pubmed.txt", r"not-pubmed\.txt.*field citation: not a PubMed abstract page"),
])
def test_bad_pages_name_file_and_field(name: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        next(read_page(PAGES / name, pmid=None if "33783695" in name else "1"))


def test_structured_abstract_and_mesh_section() -> None:
    text = seed_path().read_text(encoding="utf-8")
    text = text.replace(
        "Neuroendocrine tumors (NETs) are multifaceted",
        "Background: NETs are rare.\nMethods: We looked.\nResults: We saw.\n\nNeuroendocrine tumors (NETs) are")
    text = text.replace("MeSH terms\n", "MeSH terms\n\nHumans\nNeuroendocrine Tumors / diagnostic imaging*\n"
                        "Positron-Emission Tomography*\n\n")
    r = parse_page(text, pmid="33783695")
    assert r.abstract is not None
    assert [s.label for s in r.abstract.sections][:3] == ["Background", "Methods", "Results"]
    assert [(h.descriptor_name, h.is_major) for h in r.mesh_headings] == [
        ("Humans", False), ("Neuroendocrine Tumors", True), ("Positron-Emission Tomography", True)]
    assert r.mesh_headings[1].qualifiers[0].name == "diagnostic imaging"
