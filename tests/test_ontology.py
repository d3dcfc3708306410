"""ontology/: the vocabulary declares every rdfgen: term we publish; shapes, context and frame parse."""

from __future__ import annotations

import json

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from rdfgen.resources import ontology_path
from rdfgen.vocab import RDFGEN


def _vocab() -> Graph:
    return Graph().parse(ontology_path("rdfgen.ttl"), format="turtle")


def test_every_published_rdfgen_term_is_declared(seed_graph: Graph) -> None:
    from rdfgen.mapping import REF_TYPES

    vocab = _vocab()
    declared = {s for s in vocab.subjects(RDF.type, None) if str(s).startswith(str(RDFGEN))}
    used = {t for triple in seed_graph for t in triple if isinstance(t, URIRef) and str(t).startswith(str(RDFGEN))}
    used |= {URIRef(term[1:-1]) for term in REF_TYPES.values()}  # N-Triples terms
    assert used - declared == set()


def test_terms_have_labels_comments_and_alignment() -> None:
    vocab = _vocab()
    for term in vocab.subjects(RDF.type, OWL.ObjectProperty | OWL.DatatypeProperty | OWL.Class):  # type: ignore[operator]
        assert vocab.value(term, RDFS.label) is not None, term
        assert vocab.value(term, RDFS.comment) is not None, term
    assert (RDFGEN.keywordSubject, RDFS.subPropertyOf, URIRef("http://purl.org/dc/terms/subject")) in vocab


def test_shapes_context_frame_parse() -> None:
    shapes = Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    assert len(shapes) > 50
    assert json.loads(ontology_path("context.jsonld").read_text())["@context"]["@vocab"] == "https://schema.org/"
    assert json.loads(ontology_path("frame.jsonld").read_text())["@type"] == "ScholarlyArticle"
