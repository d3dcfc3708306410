"""Reference lists as real PubMed files give them: a reference naming the citing article itself, PMIDs that are no
PMIDs (``0``), and DOIs written every way but the right one. Each fixture is a real record minimally edited to show
one case (tests/data/README.md says which edit); the tests assert the published triples, and that the record
passes the compiled shapes check and pySHACL on a written file."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

import rdfgen
from rdfgen.iris import Iris
from rdfgen.mapping import Triple
from rdfgen.mesh.enrich import MeshEnricher
from rdfgen.model import Record, Reference
from rdfgen.publish.records import map_record
from rdfgen.publish.shapes_check import compile_shapes
from rdfgen.serialize.graph import to_graph
from rdfgen.sources.citation import reference, valid_pmid
from rdfgen.sources.doi import DOI_SYNTAX, checked_ids, choose_doi, doi_candidates, normalise_doi
from rdfgen.sources.pubmed_xml import iter_pubmed_xml
from rdfgen.vocab import BIBO, BIRO, C4O, CITO, DCTERMS, RDF, RDFGEN, SDO

from .conftest import DATA

BASE = "http://localhost:8000/"
IRIS = Iris(BASE)
SHAPES_DOI = re.compile(r"^10\.[0-9]{4,9}/\S+$")  # bibo:doi's pattern in ontology/shapes.ttl


def read(name: str) -> Record:
    found = [r for r in iter_pubmed_xml(DATA / "xml" / name) if isinstance(r, Record)]
    assert len(found) == 1
    return found[0]


def publish(record: Record, enricher: MeshEnricher) -> tuple[list[Triple], Graph]:
    """The record's triples as the build publishes them, after the compiled shapes check the build runs."""
    _published, found = map_record(record, IRIS, enricher)
    report = compile_shapes().check(found)
    assert report.conforms, report.text(record.pmid)
    return found, to_graph(found)


def assert_valid_file(records: list[Record], tmp_path: Path) -> None:
    """pySHACL on the Turtle document of ``records`` as ``rdfgen serialize`` writes it (one graph for them all)."""
    path = tmp_path / "records.ttl"
    path.write_text(rdfgen.serialize(records, "turtle", validate=False), encoding="utf-8")
    report = rdfgen.validate(path)[path]
    assert report.conforms, report.text()


def article(pmid: str) -> URIRef:
    return IRIS.article(pmid)


def entry(pmid: str, n: int) -> URIRef:
    return IRIS.reference(pmid, n)


def doi_work(doi: str) -> URIRef:
    return IRIS.doi_work(doi)


def notes(g: Graph, node: URIRef) -> list[str]:
    return sorted(str(o) for o in g.objects(node, RDFGEN.note))


# 2. A reference that cites the article itself ------------------------------------------------------------------

SELF = "ref_self_citation_39382274.xml"
SELF_PMID = "39382274"
DATASET_DOI = "10.5281/zenodo.13385371"


def test_a_reference_naming_the_article_itself_is_published(enricher: MeshEnricher, tmp_path: Path) -> None:
    """Reference 43 is the data set deposited with the paper: PubMed gives it the paper's own PMID and the data
    set's DOI. It cites the data set (by DOI), the article keeps its one DOI and does not cite itself."""
    record = read(SELF)
    assert record.references[42].pmid == SELF_PMID  # the source keeps what the reference says
    _found, g = publish(record, enricher)
    a, ref = article(SELF_PMID), entry(SELF_PMID, 43)
    assert set(g.objects(a, BIBO.doi)) == {Literal("10.1128/aac.00924-24")}
    assert len(set(g.objects(a, DCTERMS.title))) == 1 and len(set(g.objects(a, SDO.name))) == 1
    for p in (CITO.cites, BIBO.cites, SDO.citation):
        assert (a, p, a) not in g
    dataset = doi_work(DATASET_DOI)
    assert (ref, BIRO.references, dataset) in g and (a, CITO.cites, dataset) in g
    assert (dataset, BIBO.doi, Literal(DATASET_DOI)) in g
    assert (dataset, SDO.sameAs, URIRef(f"https://doi.org/{DATASET_DOI}")) in g
    assert (dataset, RDF.type, SDO.CreativeWork) in g
    assert str(g.value(dataset, RDFGEN.authorsText)).startswith("Blanco-Martín T, López-Hernández I, Aracil B")
    text = str(g.value(ref, C4O.hasContent))
    assert text.startswith("Blanco-Martín T, López-Hernández I") and text.endswith("doi:10.5281/zenodo.13385371")
    assert notes(g, ref) == [f"PMID {SELF_PMID} is the citing article's own; not taken as the cited work"]
    assert_valid_file([record], tmp_path)


def test_a_reference_with_the_articles_own_doi_adds_nothing_to_it(enricher: MeshEnricher) -> None:
    """The same reference giving the article's own DOI (in another case) and no PMID: neither the article node nor
    its ``BASE doi/…`` twin (owl:sameAs the article) becomes the cited work; the entry's own work is."""
    record = read(SELF)
    dataset = record.references[42]
    own = Reference(dataset.position, dataset.citation, title=dataset.title, doi="10.1128/AAC.00924-24")
    _found, g = publish(_with_reference(record, own), enricher)
    a, ref = article(SELF_PMID), entry(SELF_PMID, 43)
    work = URIRef(f"{ref}/work")
    assert (ref, BIRO.references, work) in g and (a, CITO.cites, work) in g
    assert not set(g.predicate_objects(doi_work("10.1128/aac.00924-24")))
    assert set(g.objects(a, BIBO.doi)) == {Literal("10.1128/aac.00924-24")}
    assert not set(g.objects(work, BIBO.doi))
    assert notes(g, ref) == ["DOI 10.1128/AAC.00924-24 is the citing article's own; not taken as the cited work"]


def test_a_work_cited_by_pmid_gets_only_what_its_pmid_says(enricher: MeshEnricher) -> None:
    """Another record's article node: the reference's title, journal, year and DOI are the citing article's
    account, kept on the entry (text, rdfgen:citedDoi/citedPmcid), never on that node."""
    record = read(SELF)
    _found, g = publish(record, enricher)
    by_pmid = [r for r in record.references if r.pmid and r.pmid != SELF_PMID]
    assert len(by_pmid) > 30 and any(r.doi for r in by_pmid) and any(r.pmcid for r in by_pmid)
    for ref in by_pmid:
        work, node = article(ref.pmid), entry(SELF_PMID, ref.position)
        assert (node, BIRO.references, work) in g
        assert set(g.predicate_objects(work)) == {
            (RDF.type, SDO.CreativeWork), (BIBO.pmid, Literal(ref.pmid)),
            (SDO.sameAs, URIRef(f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"))}
        assert set(g.objects(node, RDFGEN.citedDoi)) == ({Literal(ref.doi)} if ref.doi else set())
        assert set(g.objects(node, RDFGEN.citedPmcid)) == ({Literal(ref.pmcid)} if ref.pmcid else set())


def test_citing_and_cited_records_validate_together(enricher: MeshEnricher, tmp_path: Path) -> None:
    """A dataset holding a record and one that cites it: the cited record's node keeps its one title and DOI.
    33786689's first reference cites PMID 32409977 (title without PubMed's final full stop); the cited record here
    stands in for PubMed's with the fields that clash."""
    citing = read("metapub_33786689.xml")
    assert citing.references[0].pmid == "32409977"
    cited = Record(
        pmid="32409977",
        title=("Angiography-derived index of microcirculatory resistance as a novel, pressure-wire-free tool to "
               "assess coronary microcirculation in ST elevation myocardial infarction."),
        doi="10.1007/s10554-020-01831-7",
    )
    _found, g = publish(citing, enricher)
    assert not set(g.objects(article("32409977"), DCTERMS.title))
    assert_valid_file([cited, citing], tmp_path)


def _with_reference(record: Record, ref: Reference) -> Record:
    from dataclasses import replace

    return replace(record, references=(*record.references[: ref.position - 1], ref))


# 3. PMID 0 and other ids that are no PMIDs ---------------------------------------------------------------------

ZERO = "ref_pmid_zero_33786689.xml"
EDITORIAL = "33786689"


def test_pmid_zero_mints_no_node_and_merges_nothing(enricher: MeshEnricher, tmp_path: Path) -> None:
    """References 8 and 9 give PMID 0, reference 10 a PMCID as its PMID: each cites its own work, by DOI."""
    record = read(ZERO)
    assert [r.pmid for r in record.references[7:]] == [None, None, None]
    found, g = publish(record, enricher)
    zero = f"<{BASE}pubmed/0"
    assert not [t for t in found if t[0].startswith(zero) or t[2].startswith(zero)]
    expected = {8: "10.1007/s10554-020-01907-4", 9: "10.1007/s10554-020-01796-7", 10: "10.1007/s10554-020-02051-9"}
    for n, doi in expected.items():
        work = doi_work(doi)
        assert (entry(EDITORIAL, n), BIRO.references, work) in g
        assert set(g.objects(work, BIBO.doi)) == {Literal(doi)}
        assert set(g.objects(work, SDO.sameAs)) == {URIRef(f"https://doi.org/{doi}")}
    assert notes(g, entry(EDITORIAL, 8)) == notes(g, entry(EDITORIAL, 9)) == ["PMID '0' is not a valid PMID; dropped"]
    assert notes(g, entry(EDITORIAL, 10)) == ["PMID 'PMC7541759' is not a valid PMID; dropped"]
    assert (entry(EDITORIAL, 1), BIRO.references, article("32409977")) in g  # the valid ones still link
    assert_valid_file([record], tmp_path)


@pytest.mark.parametrize(("given_id", "expected"), [
    ("0", None), ("00000", None), ("-1", None), ("PMC7541759", None), ("NA", None), ("", None), ("²", None),
    ("32409977", "32409977"), (" 32409977 ", "32409977"), ("0032409977", "32409977")])
def test_valid_pmid(given_id: str, expected: str | None) -> None:
    assert valid_pmid(given_id) == expected


def test_a_pmid_of_zero_in_the_text_is_dropped_too() -> None:
    ref = reference(3, "Smith J. A study. Lancet. 2001;357:1-5. PMID: 0", pmid=None)
    assert ref.pmid is None and ref.notes == ("PMID '0' is not a valid PMID; dropped",)


def test_a_hand_made_reference_with_pmid_zero_is_guarded_in_the_mapping(enricher: MeshEnricher) -> None:
    """Records not read by rdfgen's sources (the API takes any Record) get the same treatment."""
    record = read(ZERO)
    ref = Reference(1, "Anonymous. Untitled.", pmid="0", doi="10.1000/×yz")
    found, g = publish(_with_reference(record, ref), enricher)
    assert not [t for t in found if f"{BASE}pubmed/0>" in t[2]]
    work = URIRef(f"{entry(EDITORIAL, 1)}/work")
    assert (entry(EDITORIAL, 1), BIRO.references, work) in g and not set(g.objects(work, BIBO.doi))
    assert notes(g, entry(EDITORIAL, 1)) == ["DOI '10.1000/×yz' is not a valid DOI; no link made from it",
                                             "PMID '0' is not a valid PMID; dropped"]


# 4. DOIs as references write them ------------------------------------------------------------------------------

DOIS = "ref_malformed_dois_33786689.xml"
# position: (DOI used, notes on the entry), for the ArticleId each reference of the fixture gives
EXPECTED = {
    1: ("10.1007/s10554-020-01831-7", []),                       # trailing full stop
    2: ("10.1007/s10554-020-01895-5", []),                       # "doi:"
    3: ("10.1007/s10554-019-01684-9", []),                       # https://doi.org/
    4: ("10.1007/s10554-020-01892-8", []),                       # http://dx.doi.org/
    5: ("10.1007/s10554-019-01737-z", []),                       # a space after the slash
    6: ("10.1007/s10554-020-01769-w",                            # U+2010 in the id; the printed DOI is valid
        ["DOI '10.1007/s10554-020-01769\u2010w' is not a valid DOI; no link made from it"]),
    7: ("10.1007/s10554-020-01775-y", []),                       # %2F
    8: ("10.1007/s10554-020-01907-4",                            # two DOIs in one ArticleId
        ["another DOI, 10.1007/s10554-020-01796-7, also given; not used"]),
    9: ("10.1007/S10554-020-01796-7", []),                       # upper case: the same DOI, the same node
    10: (None, ["DOI '10.1007/s10554\u2010020\u201002051\u20109' is not a valid DOI; no link made from it"]),
}


def test_reference_dois_are_normalised_and_checked(enricher: MeshEnricher, tmp_path: Path) -> None:
    record = read(DOIS)
    assert [r.doi for r in record.references] == [doi for doi, _notes in EXPECTED.values()]
    _found, g = publish(record, enricher)
    for n, (doi, expected_notes) in EXPECTED.items():
        node = entry(EDITORIAL, n)
        assert notes(g, node) == sorted(expected_notes), n
        work = g.value(node, BIRO.references)
        if doi is None:
            assert work == URIRef(f"{node}/work")
            assert not set(g.objects(work, BIBO.doi)) and not set(g.objects(work, SDO.sameAs))
            assert "02051" in str(g.value(node, C4O.hasContent))  # the raw DOI stays in the text
            continue
        assert work == URIRef(f"{BASE}doi/{quote(doi.lower(), safe='-._~')}"), n
        assert set(g.objects(work, BIBO.doi)) == {Literal(doi)}
        assert (work, SDO.sameAs, URIRef(f"https://doi.org/{doi}")) in g
    assert doi_work("10.1007/S10554-020-01796-7") == doi_work("10.1007/s10554-020-01796-7")
    assert_valid_file([record], tmp_path)


def test_a_hand_made_reference_doi_is_normalised_in_the_mapping(enricher: MeshEnricher) -> None:
    record = read(ZERO)
    ref = Reference(1, "Anonymous. Untitled.", doi="https://doi.org/10.1000/XYZ.")
    _found, g = publish(_with_reference(record, ref), enricher)
    work = doi_work("10.1000/xyz")
    assert (entry(EDITORIAL, 1), BIRO.references, work) in g
    assert set(g.objects(work, BIBO.doi)) == {Literal("10.1000/XYZ")} and not notes(g, entry(EDITORIAL, 1))


def test_the_articles_own_doi_is_normalised(enricher: MeshEnricher) -> None:
    """ArticleIdList gives "https://doi.org/10.1007/…", ELocationID the bare DOI: one DOI, published once."""
    record = read(DOIS)
    assert record.doi == "10.1007/s10554-021-02227-x"
    assert [i.value for i in record.article_ids if i.scheme == "doi"] == ["10.1007/s10554-021-02227-x"]
    _found, g = publish(record, enricher)
    a = article(EDITORIAL)
    assert set(g.objects(a, BIBO.doi)) == {Literal("10.1007/s10554-021-02227-x")}
    assert URIRef("https://doi.org/10.1007/s10554-021-02227-x") in set(g.objects(a, SDO.sameAs))


def test_a_real_malformed_doi_is_not_linked(enricher: MeshEnricher) -> None:
    """39166619, unedited: reference 393 gives "10.1177/2515690×19829380" (× for X) in its ArticleId and text."""
    record = read("metapub_39166619.xml")
    ref = record.references[392]
    assert ref.doi is None and ref.pmid == "30868921"
    assert ref.notes == ("DOI '10.1177/2515690×19829380' is not a valid DOI; no link made from it",)
    _found, g = publish(record, enricher)
    node = entry("39166619", 393)
    assert notes(g, node) == list(ref.notes) and not set(g.objects(node, RDFGEN.citedDoi))
    assert not [o for o in g.objects() if "2515690" in str(o) and str(o).startswith("https://doi.org/")]


def test_medline_article_dois_are_normalised() -> None:
    """The MEDLINE twin: AID and LID written as a URL and with a full stop give one DOI; a malformed one is dropped
    with a note on the record."""
    text = (DATA / "medline" / "biopython_pubmed_result3.txt").read_text(encoding="utf-8")
    assert text.count("10.1118/1.4748329 [doi]") == 2
    spelled = text.replace("LID - 10.1118/1.4748329 [doi]", "LID - 10.1118/1.4748329. [doi]").replace(
        "AID - 10.1118/1.4748329 [doi]", "AID - https://doi.org/10.1118/1.4748329 [doi]")
    record = next(r for r in rdfgen.read(spelled.encode(), format="medline") if isinstance(r, Record))
    assert record.doi == "10.1118/1.4748329"
    assert [i.value for i in record.article_ids if i.scheme == "doi"] == ["10.1118/1.4748329"]
    broken = text.replace("10.1118/1.4748329 [doi]", "10.1118/1.4748329\u00d7 [doi]")
    record = next(r for r in rdfgen.read(broken.encode(), format="medline") if isinstance(r, Record))
    assert record.doi is None
    assert "malformed DOI '10.1118/1.4748329\u00d7' of the article dropped" in record.notes


def test_every_doi_the_fixtures_publish_is_valid(enricher: MeshEnricher) -> None:
    """Over every real XML fixture: each bibo:doi and rdfgen:citedDoi passes the syntax, each doi.org link is built
    from one that does."""
    paths = [p for p in sorted((DATA / "xml").glob("*.xml")) if not p.name.startswith(("hostile", "broken"))]
    seen = 0
    for path in paths:
        for record in iter_pubmed_xml(path):
            if not isinstance(record, Record):
                continue
            _published, found = map_record(record, IRIS, enricher)
            for _s, p, o in found:
                if p in (f"<{BIBO.doi}>", f"<{RDFGEN.citedDoi}>"):
                    seen += 1
                    assert DOI_SYNTAX.fullmatch(o[1:-1]), (path.name, o)
                elif o.startswith("<https://doi.org/"):
                    assert SHAPES_DOI.match(o[len("<https://doi.org/"):-1]), (path.name, o)
    assert seen > 500


# The normaliser ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("10.1007/s10554-020-01831-7.", "10.1007/s10554-020-01831-7"),
    ("doi: 10.1016/S0140-6736(20)31194-9", "10.1016/S0140-6736(20)31194-9"),
    ("DOI:10.1000/xyz", "10.1000/xyz"),
    ("https://doi.org/10.1530/ERC-12-0340 .", "10.1530/ERC-12-0340"),
    ("http://dx.doi.org/10.1000/xyz", "10.1000/xyz"),
    ("https://www.doi.org/10.1000/xyz", "10.1000/xyz"),
    ("info:doi/10.1000/xyz", "10.1000/xyz"),
    ("(doi:10.1000/xyz).", "10.1000/xyz"),
    ("<https://doi.org/10.1000/xyz>", "10.1000/xyz"),
    ("10.1000%2Fxyz", "10.1000/xyz"),
    ("https%3A%2F%2Fdoi.org%2F10.1000%2Fxyz", "10.1000/xyz"),
    ("10.1007/ s10554-019-01737-z", "10.1007/s10554-019-01737-z"),
    ("10.1000/\u200bxyz", "10.1000/xyz"),
    ("10.1000/a 10.1000/b", "10.1000/a"),
    ("10.1/a 10.1000/b", "10.1000/b"),
    ("doi: 10.1016/j.x.2019.01.001. Epub 2019 Jan 5.", "10.1016/j.x.2019.01.001"),
    ("Lancet. 2020;395:1820. doi: 10.1016/S0140-6736(20)31194-9", "10.1016/S0140-6736(20)31194-9"),
    ("10.1002/(SICI)1097-0142(19960101)77:1<1::AID-CNCR1>3.0.CO;2-#",
     "10.1002/(SICI)1097-0142(19960101)77:1<1::AID-CNCR1>3.0.CO;2-#"),
    ("10.1002/(SICI)1097-0142(19960101)77:1&lt;1::AID-CNCR1&gt;3.0.CO;2-#",
     "10.1002/(SICI)1097-0142(19960101)77:1<1::AID-CNCR1>3.0.CO;2-#"),
    ("10.1177/2515690×19829380", None),
    ("10.1007/s10554\u2010020\u201002051\u20109", None),
    ("10.1/abc", None),
    ("10.1000/", None),
    ("doi:", None),
    ("n/a", None),
    ("", None),
])
def test_normalise_doi(text: str, expected: str | None) -> None:
    assert normalise_doi(text) == expected


def test_choose_doi_prefers_a_valid_one_and_says_what_it_left() -> None:
    assert choose_doi(["10.1177/2515690×19829380", "10.1177/2515690X19829380."]) == (
        "10.1177/2515690X19829380", ("DOI '10.1177/2515690×19829380' is not a valid DOI; no link made from it",))
    assert choose_doi(["10.1000/ABC", "10.1000/abc."]) == ("10.1000/ABC", ())  # the same DOI, printed twice
    assert choose_doi([None, "doi:10.1000/a; doi:10.1000/b"]) == (
        "10.1000/a", ("another DOI, 10.1000/b, also given; not used",))
    assert choose_doi(["NA"]) == (None, ("DOI 'NA' is not a valid DOI; no link made from it",))


def test_checked_ids_drop_a_malformed_article_doi() -> None:
    from rdfgen.model import ArticleId

    found: list[str] = []
    ids = (ArticleId("pubmed", "1"), ArticleId("doi", "doi:10.1000/x."), ArticleId("doi", "10.1000/x"),
           ArticleId("doi", "10.1000/×"))
    assert checked_ids(ids, found) == (ArticleId("pubmed", "1"), ArticleId("doi", "10.1000/x"))
    assert found == ["malformed DOI '10.1000/×' of the article dropped"]


def _dois(suffix_characters: str) -> st.SearchStrategy[str]:
    """DOIs in the accepted form, ending as a DOI does (no trailing punctuation to strip)."""
    return st.builds(lambda registrant, suffix, last: f"10.{registrant}/{suffix}{last}",
                     st.integers(1000, 999_999_999), st.text(st.sampled_from(suffix_characters), max_size=20),
                     st.sampled_from("AZaz09-_#"))


DOIS_ = _dois("-._()/:<>#ABCXYZabcxyz0123456789")
UNBRACKETED = _dois("-._/:#ABCXYZabcxyz0123456789")  # a bracket around these closes nothing inside
SPELLINGS = st.sampled_from(["{}", "doi:{}", "DOI: {}", "doi {}", "https://doi.org/{}", "http://dx.doi.org/{}",
                             "https://www.doi.org/{}", "info:doi/{}", "urn:doi:{}", "({})", "\"{}\"", " {} "])
TRAILING = st.text(st.sampled_from(".,;:'\")]"), max_size=3)


@given(DOIS_)
def test_a_doi_in_the_accepted_form_is_its_own_normal_form(doi: str) -> None:
    assert normalise_doi(doi) == doi
    assert DOI_SYNTAX.fullmatch(doi) and SHAPES_DOI.match(doi)


@given(UNBRACKETED, SPELLINGS, TRAILING)
def test_labels_resolvers_and_trailing_punctuation_are_stripped(doi: str, spelling: str, trailing: str) -> None:
    assert normalise_doi(spelling.format(doi) + trailing) == doi


@given(DOIS_)
def test_url_encoded_dois_decode(doi: str) -> None:
    assert normalise_doi(quote(doi, safe="")) == doi
    assert normalise_doi("https://doi.org/" + quote(doi, safe="/")) == doi


@given(DOIS_, DOIS_)
def test_of_two_dois_the_first_valid_one(first: str, second: str) -> None:
    assert normalise_doi(f"{first} {second}") == first
    assert normalise_doi(f"doi:10.1/{first[-3:]} {second}") == second  # a malformed first one
    assert doi_candidates(f"doi: {first}; doi: {second}") == [first, second]


_TOKENS = ["10.", "1000", "12345", "/", "abc", "ABC", ".", ",", ";", ":", " ", "doi:", "DOI ", "https://doi.org/",
           "http://dx.doi.org/", "%2F", "%25", "&amp;", "&", "(", ")", "<", ">", "#", "×", "\u200b", "-", "_", "[",
           "]", "\"", "'", "10.1234/", "lt;", "%3B", "info:doi/", "\u00a0", "\u2010"]


@given(st.one_of(st.lists(st.sampled_from(_TOKENS), max_size=14).map("".join), st.text(max_size=40)))
def test_normalise_doi_is_idempotent_and_gives_a_doi_or_none(text: str) -> None:
    doi = normalise_doi(text)
    if doi is not None:
        assert DOI_SYNTAX.fullmatch(doi) and SHAPES_DOI.match(doi)
        assert normalise_doi(doi) == doi
        assert IRIS.doi_work_iri(doi) == IRIS.doi_work_iri(doi.lower())
