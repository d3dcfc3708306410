"""The embedding object against Bioschemas' ScholarlyArticle profile (0.2-DRAFT-2020_12_03, the profile's
``_profiles/ScholarlyArticle/0.2-DRAFT-2020_12_03.html`` in GitHub ``BioSchemas/bioschemas.github.io``): its
Minimum properties on every fixture record, its Recommended ones wherever the record has the data.

Three Recommended properties have no source in PubMed (``license``: PubMed records carry none per article;
``publisher``: journal articles name none; ``dateCreated``: PubMed's dates are of the MEDLINE record, not the work)
and are left out. What issue 13 asks beyond that (``dateModified``, a ``name`` on each identifier, ``dct:conformsTo``
the profile, authors' ORCID as ``url``) comes from triples the mapping states, and is checked here too.
"""

from __future__ import annotations

from typing import Any

import pytest

from rdfgen.model import Record

from .test_embedding import SOURCES
from .test_jsonld_context import published

MINIMUM = ("identifier", "name")
RECOMMENDED = ("abstract", "author", "citation", "dateCreated", "dateModified", "datePublished", "isPartOf",
               "keywords", "license", "publisher", "url")
NOT_IN_PUBMED = frozenset({"license", "publisher", "dateCreated"})
PROFILE = "https://bioschemas.org/profiles/ScholarlyArticle/0.2-DRAFT-2020_12_03"


def _objects() -> list[tuple[Record, dict[str, Any]]]:
    return [(record, obj) for name in SOURCES for record, _graph, obj in _with_records(name)]


def _with_records(name: str) -> list[tuple[Record, Any, dict[str, Any]]]:
    import rdfgen

    path, options = SOURCES[name]
    records = {r.pmid: r for r in rdfgen.read(path, errors="skip", **options) if isinstance(r, Record)}
    return [(records[pmid], graph, obj) for pmid, graph, obj in published(name) if pmid in records]


def _has(record: Record, prop: str) -> bool:
    """Whether the record has what the property says (the profile asks for it "where available")."""
    return {
        "abstract": record.abstract is not None, "author": bool(record.authors),
        "citation": bool(record.references), "datePublished": record.pub_date is not None,
        "isPartOf": _journal_named(record) or record.kind != "article", "keywords": bool(record.keywords),
        "url": True, "dateModified": record.date_revised is not None,
    }.get(prop, False)


def _journal_named(record: Record) -> bool:
    j = record.journal
    return j is not None and any((j.title, j.iso_abbreviation, j.medline_ta, j.issn_print, j.issn_electronic,
                                  j.issn_linking, j.nlm_id))


def test_minimum_properties_on_every_record() -> None:
    for record, obj in _objects():
        missing = [p for p in MINIMUM if not obj.get(p)]
        assert missing == [], record.pmid


@pytest.mark.parametrize("prop", [p for p in RECOMMENDED if p not in NOT_IN_PUBMED and p != "dateModified"])
def test_recommended_properties_where_the_record_has_them(prop: str) -> None:
    checked = 0
    for record, obj in _objects():
        if _has(record, prop):
            checked += 1
            assert prop in obj, (record.pmid, prop)
    assert checked > 0


def test_date_modified_where_pubmed_revised_the_record() -> None:
    revised = [(r, obj) for r, obj in _objects() if r.date_revised is not None]
    assert revised and all(obj.get("dateModified") == r.date_revised.iso() for r, obj in revised)


def test_every_identifier_has_a_name() -> None:
    for record, obj in _objects():
        assert all(i.get("name") for i in obj["identifier"]), record.pmid


def test_the_object_says_which_profile_it_conforms_to() -> None:
    for record, obj in _objects():
        assert obj.get("dct:conformsTo") == {"@id": PROFILE}, record.pmid


def test_authors_with_an_orcid_are_identified_by_it() -> None:
    """A well-formed ORCID iD is the person's @id (what Bioschemas and Google read as the identifier), and the person
    is not nested in itself (no sameAs or url linking the iD to itself, which framing would embed)."""
    found = 0
    for record, obj in _objects():
        for author in obj.get("author", []):
            if author["@id"].startswith("https://orcid.org/"):
                found += 1
                assert "sameAs" not in author and "url" not in author, record.pmid
                assert author.get("name"), record.pmid
    assert found > 0
