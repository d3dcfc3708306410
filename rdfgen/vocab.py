"""Namespaces of every vocabulary rdfgen publishes with, in one place (mapping, ontology, queries agree on them)."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

SDO = Namespace("https://schema.org/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
CITO = Namespace("http://purl.org/spar/cito/")
FABIO = Namespace("http://purl.org/spar/fabio/")
BIRO = Namespace("http://purl.org/spar/biro/")
C4O = Namespace("http://purl.org/spar/c4o/")
FRBR = Namespace("http://purl.org/vocab/frbr/core#")
MESH = Namespace("http://id.nlm.nih.gov/mesh/")
MESHV = Namespace("http://id.nlm.nih.gov/mesh/vocab#")
RDFGEN = Namespace("https://w3id.org/rdfgen/vocab#")
SH = Namespace("http://www.w3.org/ns/shacl#")

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
