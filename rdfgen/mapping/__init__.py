"""Records to triples: the one package that knows the vocabularies (DESIGN.md, "Vocabularies").

The mapping is a generator of ``(subject, predicate, object)`` triples whose terms are N-Triples strings
(``mapping.terms``: rendered once for predicates and classes, escaped only where a literal needs it), never a Graph,
so the same code feeds a streaming N-Quads writer for a baseline file of 30,000 articles and, converted on request,
an rdflib Graph for one record. schema.org and BIBO go
side by side: each fact a search engine needs is said in schema.org; each fact a bibliographic consumer needs in
BIBO/DCTerms (plus FaBiO, CiTO, BiRO, PROV); what neither has is ``rdfgen:`` (ontology/rdfgen.ttl). No blank nodes
except the cells of the ordered author list, and those get labels derived from the PMID so output is deterministic.

One module per part of a record (``article``, ``people``, ``container``, ``subjects``, ``references``,
``provenance``), each a set of functions of the record's context (``core.RecordContext``) that name the predicates
they emit; ``core`` holds that context and the helpers every part shares, and ``record`` composes the parts in the
order they are published. Dependencies point one way: terms <- core <- parts (people <- container <-
references) <- record.
"""

from __future__ import annotations

from rdfgen.mapping.article import FABIO_TYPES, LANGUAGES, REF_TYPES
from rdfgen.mapping.core import KeywordLink, KeywordLinker, MeshDescriptor, MeshTerms, RecordContext, Triple
from rdfgen.mapping.record import _RecordMapper as _RecordMapper  # tests replace a part on it
from rdfgen.mapping.record import record_triples
from rdfgen.mapping.subjects import mesh_tree

__all__ = [
    "FABIO_TYPES", "LANGUAGES", "REF_TYPES", "KeywordLink", "KeywordLinker", "MeshDescriptor", "MeshTerms",
    "RecordContext", "Triple", "mesh_tree", "record_triples",
]
