"""The embedding object means the same to any JSON-LD processor: expanded with schema.org's own context (a bundled
copy of release 30.0, served by a document loader that fetches nothing), every fixture's object gives a subset of
its record's triples. The object declares its context inline (docs/embedding.md says why); the old declaration,
``"@context": "https://schema.org"``, is kept here as the defect this guards against: with the official context it
means none of the record's triples.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld
from rdflib import Graph, URIRef

import rdfgen
from rdfgen.iris import Iris
from rdfgen.mesh import load_enricher
from rdfgen.model import Record
from rdfgen.publish.records import map_record
from rdfgen.serialize.embedding import embed_object, embed_text
from rdfgen.serialize.graph import to_graph
from rdfgen.serialize.ntriples import nt_term

from .test_embedding import SOURCES, _subset_problems

OFFICIAL = Path(__file__).parent / "data" / "schemaorg" / "schemaorgcontext-30.0.jsonld"
OFFICIAL_URLS = frozenset({"https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/",
                           "https://schema.org/docs/jsonldcontext.jsonld", "https://schema.org/docs/jsonldcontext.json"})
"""Where a processor finds schema.org's context: the site answers its root with a Link to docs/jsonldcontext.jsonld."""


class FetchRefusedError(Exception):
    pass


@cache
def _official() -> dict[str, Any]:
    return json.loads(OFFICIAL.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def official_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """schema.org's own context for schema.org's URLs; any other URL is refused, so nothing is ever fetched."""
    if url in OFFICIAL_URLS:
        return {"contextUrl": None, "documentUrl": url, "document": _official()}
    raise FetchRefusedError(url)


def expand_official(obj: dict[str, Any]) -> Graph:
    nquads = jsonld.to_rdf(obj, {"documentLoader": official_loader, "format": "application/n-quads"})
    return Graph().parse(data=nquads, format="nquads")


@cache
def published(name: str) -> tuple[tuple[str, Graph, dict[str, Any]], ...]:
    """Each record of a fixture file as published (MeSH-enriched): PMID, its graph, its embedding object."""
    path, options = SOURCES[name]
    out = []
    for record in rdfgen.read(path, errors="skip", **options):
        if isinstance(record, Record):
            mapped, found = map_record(record, Iris(), load_enricher())
            strings = [(nt_term(s), nt_term(p), nt_term(o)) for s, p, o in found]
            obj = embed_object(strings, Iris().article_iri(mapped.pmid), tuple(k.text for k in mapped.keywords))
            out.append((mapped.pmid, to_graph(found), json.loads(embed_text(obj))))
    return tuple(out)


def test_the_bundled_context_is_schema_orgs() -> None:
    context = _official()["@context"]
    assert context["@vocab"] == "http://schema.org/" and context["schema"] == "http://schema.org/"
    assert context["sameAs"] == {"@id": "schema:sameAs", "@type": "@id"}
    assert len(context) > 3000


@pytest.mark.parametrize("name", SOURCES)
def test_expands_with_the_official_context_to_a_subset_of_the_record(name: str) -> None:
    for pmid, graph, obj in published(name):
        expanded = expand_official(obj)
        assert len(expanded) > 5, pmid
        assert _subset_problems(expanded, graph) == [], pmid


def test_the_old_declaration_meant_none_of_the_triples() -> None:
    """What issue 13 measured on 208 records, on the seed: every triple of ``"@context": "https://schema.org"``
    differs from the record's (http: against https:), so the test above would catch a return to it."""
    (pmid, graph, obj), *_ = published("pubmed-33783695.txt")
    old = expand_official({**obj, "@context": "https://schema.org"})
    assert len(old) > 50
    # Every schema.org statement differs; dct:conformsTo (Dublin Core, the same IRI in both contexts) is the exception.
    assert all((s, p, o) not in graph for s, p, o in old if not str(p).startswith("http://purl.org/dc/terms/"))
    assert {str(p).split("/")[0] for p in old.predicates()} == {"http:"}


def test_the_object_needs_no_remote_context() -> None:
    (pmid, graph, obj), *_ = published("pubmed-33783695.txt")
    assert isinstance(obj["@context"], dict) and obj["@context"]["@vocab"] == "https://schema.org/"

    def refuse(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        raise FetchRefusedError(url)

    nquads = jsonld.to_rdf(obj, {"documentLoader": refuse, "format": "application/n-quads"})
    assert set(Graph().parse(data=nquads, format="nquads")) == set(expand_official(obj))
    assert (URIRef(Iris().article_iri(pmid)), URIRef("https://schema.org/headline"), None) in graph
