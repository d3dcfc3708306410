"""Namespaces of every vocabulary rdfgen publishes with, in one place (mapping, ontology, queries agree on them)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD


class Vocabulary(Namespace):
    """An rdflib Namespace that mints each term once: the mapping names predicates millions of times at scale."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        terms: dict[str, URIRef] = _TERMS.setdefault(str(self), {})
        term = terms.get(name)
        if term is None:
            term = terms[name] = self.term(name)
        return term


_TERMS: dict[str, dict[str, URIRef]] = {}
SDO = Vocabulary("https://schema.org/")
BIBO = Vocabulary("http://purl.org/ontology/bibo/")
CITO = Vocabulary("http://purl.org/spar/cito/")
FABIO = Vocabulary("http://purl.org/spar/fabio/")
BIRO = Vocabulary("http://purl.org/spar/biro/")
C4O = Vocabulary("http://purl.org/spar/c4o/")
FRBR = Vocabulary("http://purl.org/vocab/frbr/core#")
MESH = Vocabulary("http://id.nlm.nih.gov/mesh/")
MESHV = Vocabulary("http://id.nlm.nih.gov/mesh/vocab#")
RDFGEN = Vocabulary("https://w3id.org/rdfgen/vocab#")
SH = Vocabulary("http://www.w3.org/ns/shacl#")
DCTERMS = Vocabulary("http://purl.org/dc/terms/")

PREFIXES: dict[str, Namespace] = {
    "schema": SDO,
    "bibo": BIBO,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "cito": CITO,
    "fabio": FABIO,
    "biro": BIRO,
    "c4o": C4O,
    "frbr": FRBR,
    "prov": PROV,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "xsd": XSD,
    "mesh": MESH,
    "meshv": MESHV,
    "void": VOID,
    "dcat": DCAT,
    "rdfgen": RDFGEN,
}

__all__ = ["BIBO", "BIRO", "C4O", "CITO", "DCAT", "DCTERMS", "FABIO", "FOAF", "FRBR", "MESH", "MESHV", "OWL",
           "PREFIXES", "PROV", "RDF", "RDFGEN", "RDFS", "SDO", "SH", "SKOS", "VOID", "XSD"]
