"""The query library, asserted by value: on the seed (PubMed 33783695) and on a hand-made multi-record dataset.

The multi-record dataset (tests/sparql_fixtures.py):

| PMID    | authors (ORCID)    | MeSH (major*)                      | keywords     | cites                            |
|---------|--------------------|------------------------------------|--------------|----------------------------------|
| 1000001 | Alice, Bob, Carol  | Neoplasms*, Humans, Diag. Imaging* | Imaging, PET | shared-a, shared-b, 1000003, book |
| 1000002 | Alice, Bob         | Neoplasms, Humans                  | imaging, MRI | SHARED-A, shared-b, other        |
| 1000003 | Bob, Dan (none)    | Humans                             |              | shared-a                         |
| 1000004 | Alice, Carol       | Neoplasms*                         | PET          | shared-b                         |

1000002 is retracted (RetractionIn 1000099), 1000003 has an erratum (ErratumIn 1000098) and no DOI or abstract.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import RDF, BNode, Literal, URIRef

from rdfgen.cli import load, queries, query
from rdfgen.iris import Iris
from rdfgen.sparql.library import (
    LIMIT,
    ParameterError,
    QueryError,
    QuerySyntaxError,
    bind,
    list_queries,
    load_query,
    parse_param,
    parse_query,
)
from rdfgen.sparql.results import Result
from rdfgen.sparql.run import run
from rdfgen.sparql.store import load as load_store
from rdfgen.sparql.store import load_rdflib
from rdfgen.vocab import SDO, XSD

pytest_plugins = ["tests.sparql_fixtures"]

IRIS = Iris()
SEED = "33783695"
SEED_REFERENCE_DOIS = [None, "10.1530/ERC-12-0340", "10.1677/ERC-08-0017", "10.1016/j.ecl.2010.12.001",
                       "10.1530/ERC-17-0269"]
SEED_KEYWORDS = ["Computed tomography", "Magnetic resonance imaging", "Neuroendocrine tumor",
                 "Positron emission tomography", "Ultrasound"]
ALICE, BOB, CAROL = (f"https://orcid.org/{o}" for o in ("0000-0002-1825-0097", "0000-0001-5109-3700",
                                                           "0000-0002-1694-233X"))


def art(pmid: str) -> str:
    return str(IRIS.article(pmid))


@pytest.fixture(scope="module")
def seed_store(seed_build: tuple[Path, object]):  # type: ignore[no-untyped-def]
    return load_store([seed_build[0]])[0]


@pytest.fixture(scope="module")
def multi_store(multi_build: Path):  # type: ignore[no-untyped-def]
    return load_store([multi_build])[0]


@pytest.fixture(scope="module")
def multi_rdflib(multi_build: Path):  # type: ignore[no-untyped-def]
    return load_rdflib([multi_build])


@pytest.fixture(scope="module")
def seed_rdflib(seed_build: tuple[Path, object]):  # type: ignore[no-untyped-def]
    return load_rdflib([seed_build[0]])


# --- the library's files ------------------------------------------------------------------------------------------

LIBRARY = list_queries()


def test_library_has_the_queries_the_issue_asks_for() -> None:
    names = {q.name for q in LIBRARY}
    assert len(names) >= 15
    assert {"article-card", "article-authors", "article-subjects", "article-references", "references-by-year",
            "journals-most-cited", "citing-articles", "co-cited-works", "co-authors", "related-articles",
            "mesh-frequency", "publication-types", "authors-by-orcid", "data-quality", "retractions-corrections",
            "article-embed", "describe-article"} <= names


@pytest.mark.parametrize("info", LIBRARY, ids=lambda q: q.name)
def test_header_is_complete_and_params_match_values_slots(info) -> None:  # type: ignore[no-untyped-def]
    header = info.text.split("\n")
    assert header[0].startswith("# title: ") and info.title
    assert info.description and len(info.description) > 40
    if info.returns == "rows":
        assert info.columns, "a SELECT query declares '# columns:'"
        assert run(info, data=pyoxigraph.Store()).columns == list(info.columns), "columns as the engine projects"
    else:
        assert re.search(r"^# returns: graph$", info.text, re.M)
    declared = [p.name for p in info.params]
    assert sorted(declared) == sorted(set(info.slots)), "every VALUES $slot is a declared param, and vice versa"
    for p in info.params:
        assert p.default is not None, f"library params have defaults: {p.name}"
        if p.name == LIMIT:  # its slots are the LIMIT clauses, which say the default as the file runs unbound
            assert set(re.findall(r"\bLIMIT\s+(\d+)", info.text)) == {p.default}, info.name
            continue
        assert re.search(rf"\?{p.name}\b|\${p.name}\b", info.text.split(f"VALUES ${p.name}", 1)[1])


def test_param_declarations() -> None:
    assert parse_param("pmid = 33783695 (literal) PubMed ID") == parse_param("pmid = 33783695 (literal) PubMed ID")
    p = parse_param("pmid = 33783695 (literal) PubMed ID")
    assert (p.name, p.default, p.kind, p.description) == ("pmid", "33783695", "literal", "PubMed ID")
    assert parse_param("work = <http://x/y> (iri)").default == "http://x/y"
    assert parse_param("n (integer)").default is None
    assert parse_param("n = 2 (integer)").datatype == str(XSD.integer)
    assert parse_param("y = 2020 (xsd:gYear)").datatype == str(XSD.gYear)
    with pytest.raises(QueryError, match="unknown kind"):
        parse_param("x = 1 (banana)")


def test_bind_writes_typed_escaped_terms_into_the_values_slot() -> None:
    info = parse_query('# param: t (literal)\n# param: w (iri)\n# param: n = 2 (integer)\n'
                       'SELECT * { VALUES $t { UNDEF } VALUES $w { UNDEF } VALUES $n { UNDEF } }')
    text = bind(info, {"t": 'a "quoted" } VALUES $x {\nline', "w": "http://example.org/a?b=1"})
    assert 'VALUES $t { "a \\"quoted\\" } VALUES $x {\\nline" }' in text
    assert "VALUES $w { <http://example.org/a?b=1> }" in text
    assert 'VALUES $n { "2"^^<http://www.w3.org/2001/XMLSchema#integer> }' in text
    assert bind(info, {"t": ["a", "b"], "w": "http://x/"}).count('"a" "b"') == 1
    assert "VALUES $t { UNDEF }" in bind(info, {"t": "*", "w": "http://x/"})
    with pytest.raises(ParameterError, match="not a valid iri"):
        bind(info, {"t": "a", "w": "http://x/> } DROP ALL"})
    with pytest.raises(ParameterError, match="not a valid integer"):
        bind(info, {"t": "a", "w": "http://x/", "n": "2 } "})


def test_bind_names_missing_and_unknown_parameters() -> None:
    info = parse_query("# param: pmid (literal) PubMed ID\nSELECT * { VALUES $pmid { UNDEF } }", "q")
    with pytest.raises(ParameterError, match="missing parameter pmid for query q"):
        bind(info, {})
    with pytest.raises(ParameterError, match="unknown parameter doi for query q"):
        bind(info, {"pmid": "1", "doi": "x"})
    with pytest.raises(QueryError, match=r"VALUES \$x not declared"):
        bind(parse_query("SELECT * { VALUES $x { UNDEF } }", "q"), {})


def test_a_limit_parameter_sets_every_limit_clause() -> None:
    info = parse_query("# param: limit = 100 (integer) rows\n# param: a = * (literal)\n"
                       "SELECT * { VALUES $a { UNDEF } { SELECT ?x { VALUES $limit { UNDEF } ?x ?p ?o } LIMIT 100 } }\n"
                       "ORDER BY ?x LIMIT 100", "q")
    assert sorted(set(info.slots)) == ["a", LIMIT]
    text = bind(info, {"limit": "7"})
    assert text.count("LIMIT 7") == 2 and "LIMIT 100" not in text
    assert 'VALUES $limit { "7"^^<http://www.w3.org/2001/XMLSchema#integer> }' in text
    assert "LIMIT 100" in bind(info) and "LIMIT" not in bind(info, {"limit": "*"}).split("\n", 2)[2]
    assert "VALUES $limit { UNDEF }" in bind(info, {"limit": "*"})
    for bad in ("-1", "ten", ["1", "2"], "1 } DROP ALL"):
        with pytest.raises(ParameterError, match="parameter limit of query q"):
            bind(info, {"limit": bad})
    with pytest.raises(QueryError, match="param limit is declared but has no LIMIT clause"):
        bind(parse_query("# param: limit = 1 (integer)\nSELECT * { ?s ?p ?o }", "q"))


def test_values_slot_inside_strings_and_comments_is_not_a_slot() -> None:
    info = parse_query('# param: a = 1 (literal)\nSELECT * { # VALUES $b { UNDEF }\n'
                       'BIND("VALUES $c { UNDEF }" AS ?s) VALUES $a { UNDEF } }')
    assert info.slots == ["a"]


# --- the seed, by value -------------------------------------------------------------------------------------------

def test_seed_card(seed_store) -> None:  # type: ignore[no-untyped-def]
    assert run("article-card", data=seed_store).values() == [(
        art(SEED), SEED, "Imaging of neuroendocrine tumors: A pictorial review of the clinical value of different "
        "imaging modalities", "Rev Endocr Metab Disord", "2021-09", "22", "3", "539-552", "10.1007/s11154-021-09631-7")]


def test_seed_authors(seed_store) -> None:  # type: ignore[no-untyped-def]
    assert run("article-authors", data=seed_store).values() == [
        ("1", f"{art(SEED)}/author/1", "Ali Pirasteh", None, None)]


def test_seed_subjects_are_its_five_keywords(seed_store) -> None:  # type: ignore[no-untyped-def]
    r = run("article-subjects", data=seed_store)
    assert r.column("kind") == ["keyword"] * 5
    assert r.column("label") == SEED_KEYWORDS


def test_seed_references_in_order_with_four_dois(seed_store) -> None:  # type: ignore[no-untyped-def]
    r = run("article-references", {"pmid": SEED}, data=seed_store)
    assert r.column("position") == ["1", "2", "3", "4", "5"]
    assert r.column("doi") == SEED_REFERENCE_DOIS
    assert r.column("year") == ["1997", "2013", "2008", "2011", "2018"]
    assert r.column("title")[0] == "An analysis of 8305 cases of carcinoid tumors"
    assert r.column("work")[0] == f"{art(SEED)}/reference/1/work"
    assert r.column("work")[1] == str(IRIS.doi_work("10.1530/ERC-12-0340"))
    assert r.rows[0][3] == Literal("1997", datatype=XSD.integer)


def test_seed_aggregates(seed_store) -> None:  # type: ignore[no-untyped-def]
    assert run("references-by-year", data=seed_store).values() == [
        ("1997", "1", "1"), ("2008", "1", "1"), ("2011", "1", "1"), ("2013", "1", "1"), ("2018", "1", "1")]
    assert run("journals-most-cited", data=seed_store).values() == [
        (str(IRIS.journal("endocr-relat-cancer")), "Endocr Relat Cancer", "3", "1"),
        (str(IRIS.journal("cancer")), "Cancer", "1", "1"),
        (str(IRIS.journal("endocrinol-metab-clin-north-am")), "Endocrinol Metab Clin North Am", "1", "1")]
    assert run("publication-types", data=seed_store).values() == [("Review", "1")]
    assert run("keyword-frequency", data=seed_store).values() == [(k, "1") for k in SEED_KEYWORDS]
    assert run("data-quality", data=seed_store).values() == [
        (SEED, art(SEED), "complete author list"), (SEED, art(SEED), "mesh headings")]


def test_seed_citing_and_co_cited(seed_store) -> None:  # type: ignore[no-untyped-def]
    title = "Imaging of neuroendocrine tumors: A pictorial review of the clinical value of different imaging modalities"
    assert run("citing-articles", {"doi": "10.1530/erc-12-0340"}, data=seed_store).values() == [
        (art(SEED), SEED, title, "2")]
    co = run("co-cited-works", data=seed_store)
    assert co.column("doi") == ["10.1016/j.ecl.2010.12.001", "10.1530/ERC-17-0269", "10.1677/ERC-08-0017", None]
    assert co.column("co_citations") == ["1"] * 4


def test_seed_queries_with_nothing_to_find_return_no_rows(seed_store) -> None:  # type: ignore[no-untyped-def]
    for name in ("co-authors", "related-articles", "mesh-frequency", "authors-by-orcid", "retractions-corrections"):
        r = run(name, data=seed_store)
        assert r.rows == [], name
        assert r.columns == list(load_query(name).columns)


def test_seed_embed_is_schema_org_only(seed_store) -> None:  # type: ignore[no-untyped-def]
    g = run("article-embed", data=seed_store).graph()
    a = URIRef(art(SEED))
    assert {str(p) for p in g.predicates()} <= {str(SDO[x]) for x in (
        "name", "headline", "datePublished", "abstract", "keywords", "pageStart", "pageEnd", "pagination", "sameAs",
        "url", "author", "identifier", "isPartOf", "citation", "givenName", "familyName", "propertyID", "value",
        "issueNumber", "volumeNumber", "alternateName", "issn")} | {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}
    assert len(set(g.objects(a, SDO.keywords))) == 5
    assert len(set(g.objects(a, SDO.citation))) == 5
    assert (a, SDO.datePublished, Literal("2021-09")) in g
    assert (URIRef(f"{art(SEED)}/author/1"), SDO.name, Literal("Ali Pirasteh")) in g
    assert (URIRef(f"{art(SEED)}/id/doi"), SDO.value, Literal("10.1007/s11154-021-09631-7")) in g


def test_seed_describe(seed_store) -> None:  # type: ignore[no-untyped-def]
    g = run("describe-article", data=seed_store).graph()
    assert (URIRef(art(SEED)), SDO.headline, None) in g
    assert {s for s in g.subjects() if not isinstance(s, BNode)} == {URIRef(art(SEED))}
    assert len(list(g.objects(None, RDF.first))) == 1, "the author list's one cell, as a concise bounded description"


# --- the multi-record dataset, by value ---------------------------------------------------------------------------

def test_co_citation(multi_store) -> None:  # type: ignore[no-untyped-def]
    r = run("co-cited-works", {"doi": "10.1000/SHARED-A"}, data=multi_store)
    assert r.values()[0] == (str(IRIS.doi_work("10.1000/shared-b")), "10.1000/shared-b", "Shared work B", "2")
    assert sorted(r.values()[1:]) == sorted([
        (str(IRIS.doi_work("10.1000/other")), "10.1000/other", "Other work", "1"),
        (f"{art('1000001')}/reference/4/work", None, None, "1"),
        (art("1000003"), None, "Third test article", "1")])  # a record cited by PMID: named by its own record
    assert run("citing-articles", {"doi": "10.1000/shared-a"}, data=multi_store).column("pmid") == [
        "1000001", "1000002", "1000003"]


CAPPED = [("citing-articles", {"doi": "10.1000/shared-a"}), ("co-cited-works", {"doi": "10.1000/SHARED-A"}),
          ("related-articles", {"pmid": "1000001"}), ("authors-by-orcid", {}),
          ("authors-by-orcid", {"orcid": "0000-0002-1825-0097"}), ("co-authors", {"min_articles": "1"})]


@pytest.mark.parametrize(("name", "params"), CAPPED, ids=lambda v: v if isinstance(v, str) else "")
def test_a_limit_gives_the_first_rows_of_the_whole_listing(name: str, params: dict[str, str], multi_store,
                                                           multi_rdflib) -> None:  # type: ignore[no-untyped-def]
    """The listings that grow with the data are capped (100 rows by default, ``limit=*`` for all); a limit of n
    gives the first n rows of the whole, in an order without ties, on both engines."""
    assert load_query(name).param(LIMIT).default == "100"
    whole = run(name, {**params, "limit": "*"}, data=multi_store)
    assert len(whole.rows) >= 2, "the fixtures give the limit something to cut"
    assert run(name, params, data=multi_store).rows == whole.rows[:100]
    assert run(name, {**params, "limit": "*"}, data=multi_rdflib).values() == whole.values()
    for n in range(len(whole.rows) + 2):
        assert run(name, {**params, "limit": str(n)}, data=multi_store).rows == whole.rows[:n], (name, n)
        assert run(name, {**params, "limit": str(n)}, data=multi_rdflib).values() == whole.values()[:n], (name, n)


def test_co_authorship_counts(multi_store) -> None:  # type: ignore[no-untyped-def]
    assert run("co-authors", data=multi_store).values() == [
        (BOB, "Bob Jones", ALICE, "Alice Smith", "2"), (CAROL, "Carol Brown", ALICE, "Alice Smith", "2")]
    everyone = run("co-authors", {"min_articles": "1"}, data=multi_store)
    assert len(everyone.rows) == 4
    assert (BOB, "Bob Jones", CAROL, "Carol Brown", "1") in everyone.values()


def test_related_articles_ranked_by_shared_mesh_and_keywords(multi_store) -> None:  # type: ignore[no-untyped-def]
    r = run("related-articles", {"pmid": "1000001"}, data=multi_store)
    assert [(row[1], row[3], row[4], row[5]) for row in r.values()] == [
        ("1000002", "2", "1", "3"), ("1000004", "1", "1", "2"), ("1000003", "1", "0", "1")]


def test_mesh_frequency_major_and_minor(multi_store) -> None:  # type: ignore[no-untyped-def]
    assert [row[1:] for row in run("mesh-frequency", data=multi_store).values()] == [
        ("Neoplasms", "3", "2", "1"), ("Humans", "3", "0", "3"), ("Diagnostic Imaging", "1", "1", "0")]


def test_subjects_major_first(multi_store) -> None:  # type: ignore[no-untyped-def]
    r = run("article-subjects", {"pmid": "1000001"}, data=multi_store)
    assert [(k, lab, m) for k, _p, lab, _d, m in r.values()] == [
        ("mesh", "Neoplasms", "true"), ("mesh", "Diagnostic Imaging", "true"), ("mesh", "Humans", "false"),
        ("keyword", "Imaging", None), ("keyword", "PET", None)]


def test_orcid_across_articles(multi_store) -> None:  # type: ignore[no-untyped-def]
    r = run("authors-by-orcid", {"orcid": "0000-0002-1825-0097"}, data=multi_store)
    assert [(row[2], row[3], row[5]) for row in r.values()] == [
        ("Alice Smith", "1000001", "1"), ("Alice Smith", "1000002", "1"), ("Alice Smith", "1000004", "1")]
    assert len(run("authors-by-orcid", data=multi_store).rows) == 8


def test_authors_keep_only_this_articles_affiliations(multi_store) -> None:  # type: ignore[no-untyped-def]
    r = run("article-authors", {"pmid": "1000002"}, data=multi_store)
    assert r.values() == [
        ("1", ALICE, "Alice Smith", "0000-0002-1825-0097", "University of Testing"),
        ("2", BOB, "Bob Jones", "0000-0001-5109-3700", None)]


def test_a_shared_orcid_person_gets_each_articles_own_affiliations(tmp_path: Path) -> None:
    """The person node of an ORCID iD is shared by their records, and carries every record's organisations; the
    author queries read an article's own from its authorship nodes (rdfgen:affiliation)."""
    from rdfgen.model import Affiliation, Author, Record
    from rdfgen.publish.documents import publish

    def alice(place: str) -> Author:
        return Author("Smith", "Alice", "A", orcid="0000-0002-1825-0097", affiliations=(Affiliation(place),))

    records = [Record(pmid="2000001", title="One", authors=(alice("University of One"),)),
               Record(pmid="2000002", title="Two", authors=(alice("Institute of Two"), Author("Doe", "J", "J")))]
    assert publish(records, tmp_path, validate=True).ok
    store = load_store([tmp_path])[0]
    for pmid, place in (("2000001", "University of One"), ("2000002", "Institute of Two")):
        rows = run("article-authors", {"pmid": pmid}, data=store).values()
        assert [(row[0], row[4]) for row in rows if row[0] == "1"] == [("1", place)]
        embedded = run("article-embed", {"pmid": pmid}, data=store).triples
        names = {str(o) for _s, p, o in embedded if str(p) == str(SDO.name) and "/affiliation/" in str(_s)}
        assert names == {place}
    assert sorted(str(q.object.value) for q in store.quads_for_pattern(
        None, pyoxigraph.NamedNode(str(SDO.name)), None, None) if "/affiliation/" in q.subject.value) == \
        ["Institute of Two", "University of One"]


def test_data_quality_and_retractions(multi_store) -> None:  # type: ignore[no-untyped-def]
    assert run("data-quality", data=multi_store).values() == [
        ("1000003", art("1000003"), "abstract"), ("1000003", art("1000003"), "doi")]
    assert run("retractions-corrections", data=multi_store).values() == [
        ("1000002", art("1000002"), "Second test article, retracted", "true", "RetractionIn", art("1000099"),
         "1000099"),
        ("1000003", art("1000003"), "Third test article", "false", "ErratumIn", art("1000098"), "1000098")]


def test_cards_of_a_set_and_a_record_cited_by_pmid(multi_store) -> None:  # type: ignore[no-untyped-def]
    r = run("article-card", {"pmid": ["1000003", "1000001"]}, data=multi_store)
    assert [row[1:5] for row in r.values()] == [
        ("1000001", "First test article", "Journal of Tests", "2020-01"),
        ("1000003", "Third test article", "Journal of Tests", "2020-05")]


def test_references_per_year_and_journals_of_a_set(multi_store) -> None:  # type: ignore[no-untyped-def]
    # 1000003, cited by PMID, is dated by its own record (2020), not by the reference citing it (2019)
    assert run("references-by-year", data=multi_store).values() == [
        ("1999", "1", "1"), ("2010", "3", "1"), ("2012", "3", "1"), ("2015", "1", "1"), ("2020", "1", "1")]
    r = run("journals-most-cited", {"pmid": ["1000002", "1000004"]}, data=multi_store)
    assert [row[1:] for row in r.values()] == [("J Tests", "3", "2"), ("Other J", "1", "1")]


@pytest.mark.parametrize("info", LIBRARY, ids=lambda q: q.name)
def test_rdflib_gives_the_same_answers(info, multi_store, multi_rdflib, seed_store, seed_rdflib) -> None:  # type: ignore[no-untyped-def]
    """pyoxigraph (the store) and rdflib (the reference engine) agree on every library query, on both datasets."""
    params = {"pmid": "1000001"} if any(p.name == "pmid" and p.default != "*" for p in info.params) else None
    for ox_data, rdflib_data, p in ((multi_store, multi_rdflib, params), (seed_store, seed_rdflib, None)):
        a, b = run(info, p, data=ox_data), run(info, p, data=rdflib_data)
        assert same_answer(a, b), (a.format(), b.format())


def same_answer(a: Result, b: Result) -> bool:
    if a.kind == "graph":
        from rdflib.compare import isomorphic

        return isomorphic(a.graph(), b.graph())
    return a.columns == b.columns and a.rows == b.rows


# --- errors and the CLI -------------------------------------------------------------------------------------------

def cli() -> click.Group:
    group = click.Group("rdfgen")
    for command in (query, queries, load):
        group.add_command(command)
    return group


def test_cli_query_table_and_csv(seed_build: tuple[Path, object]) -> None:
    out = str(seed_build[0])
    result = CliRunner().invoke(cli(), ["query", "article-references", "--data", out])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split() == ["position", "work", "title", "year", "doi", "cited_pmid",
                                                     "citation"]
    assert "(5 rows)" in result.output
    result = CliRunner().invoke(cli(), ["query", "article-subjects", "--data", out, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "keyword,,Computed tomography,,"


def test_cli_formats(seed_build: tuple[Path, object]) -> None:
    import json
    import xml.etree.ElementTree as ET

    out = str(seed_build[0])
    res = CliRunner().invoke(cli(), ["query", "publication-types", "--data", out, "-f", "json"])
    assert json.loads(res.output) == {"head": {"vars": ["type", "articles"]}, "results": {"bindings": [
        {"type": {"type": "literal", "value": "Review"},
         "articles": {"type": "literal", "value": "1", "datatype": str(XSD.integer)}}]}}
    res = CliRunner().invoke(cli(), ["query", "publication-types", "--data", out, "-f", "xml"])
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert [b.text for b in ET.fromstring(res.output).iter(f"{ns}literal")] == ["Review", "1"]
    res = CliRunner().invoke(cli(), ["query", "publication-types", "--data", out, "-f", "tsv"])
    assert res.output == '?type\t?articles\n"Review"\t"1"^^<http://www.w3.org/2001/XMLSchema#integer>\n'
    res = CliRunner().invoke(cli(), ["query", "article-embed", "--data", out])
    assert res.exit_code == 0 and "schema:headline" in res.output
    res = CliRunner().invoke(cli(), ["query", "article-embed", "--data", out, "-f", "csv"])
    assert res.exit_code == 2 and "a graph result takes an RDF format" in res.output


def test_cli_malformed_query_exits_2_with_line(seed_build: tuple[Path, object], tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: broken\nSELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER(?s = )\n}\n")
    res = CliRunner().invoke(cli(), ["query", str(bad), "--data", str(seed_build[0])])
    assert res.exit_code == 2
    assert re.search(r"malformed query: error at \d+:\d+: expected", res.output), res.output
    res = CliRunner().invoke(cli(), ["query", "-", "--data", str(seed_build[0])], input="SELECT * { ?s ?p ?o \n")
    assert res.exit_code == 2 and "error at 2:1" in res.output


def test_cli_parameter_errors(seed_build: tuple[Path, object], tmp_path: Path) -> None:
    q = tmp_path / "q.rq"
    q.write_text("# param: doi (literal) DOI of the work\nSELECT * { VALUES $doi { UNDEF } ?w ?p ?doi }\n")
    res = CliRunner().invoke(cli(), ["query", str(q), "--data", str(seed_build[0])])
    assert res.exit_code == 2 and "missing parameter doi" in res.output
    res = CliRunner().invoke(cli(), ["query", "article-card", "-p", "pmdi=1", "--data", str(seed_build[0])])
    assert res.exit_code == 2 and "unknown parameter pmdi" in res.output
    res = CliRunner().invoke(cli(), ["query", "no-such-query", "--data", str(seed_build[0])])
    assert res.exit_code == 2 and "no query named" in res.output


def test_cli_no_data_and_invalid_data(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli(), ["query", "article-card", "--data", str(tmp_path / "missing")])
    assert res.exit_code == 2 and "no such file or folder" in res.output
    broken = tmp_path / "broken.nt"
    broken.write_text("<http://a> <http://b> .\n")
    res = CliRunner().invoke(cli(), ["query", "article-card", "--data", str(broken)])
    assert res.exit_code == 1 and "not valid RDF" in res.output


def test_cli_queries_lists_the_library() -> None:
    res = CliRunner().invoke(cli(), ["queries", "--verbose"])
    assert res.exit_code == 0, res.output
    for info in LIBRARY:
        assert f"{info.name}: {info.title}" in res.output
    assert "--param pmid = 33783695 (literal)" in res.output
    assert "--param orcid = any (literal)" in res.output


def test_syntax_error_type(seed_store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QuerySyntaxError, match="error at 1:"):
        run("SELECT * { ?s ?p }", data=seed_store)
