"""What the article is about: author keywords (with their machine links to MeSH), NLM's MeSH headings and
substances; and, once per dataset, the MeSH hierarchy above every descriptor its records name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdfgen import iris as iri
from rdfgen.mapping.core import (
    _MESH_SET,
    MeshTerms,
    RecordContext,
    Triple,
    _bool,
    _lit,
    defined_term,
    iri_prefix,
    own_prefixes,
    term_triples,
)
from rdfgen.mapping.terms import DCTERMS, FABIO, RDF, RDFGEN, SDO, SKOS, XSD, XSD_INTEGER, shared_uri, typed, uri
from rdfgen.model import MeshHeading


def keywords(m: RecordContext) -> Iterator[Triple]:
    """schema:keywords, one literal each, and rdfgen:keywordKey (case-folded, so queries can join on it); a
    machine link to MeSH as rdfgen:keywordSubject (under dcterms:subject) with skos:exactMatch, skos:closeMatch
    or skos:broadMatch (the descriptor is broader than the keyword) on an rdfgen:KeywordMapping node. The
    record's own heading UIs go to the linker as evidence for keywords with several readings."""
    headings = tuple(h.descriptor_ui for h in m.r.mesh_headings if h.descriptor_ui) if m.linker else ()
    for k, kw in enumerate(m.r.keywords, start=1):
        yield m.article, SDO.keywords, _lit(kw.text)
        yield m.article, RDFGEN.keywordKey, _lit(" ".join(kw.text.casefold().split()))
        link = m.linker(kw.text, headings) if m.linker else None
        if link is None:
            continue
        term = shared_uri(iri.mesh_iri(link.ui))
        node = uri(m.own.keyword(k))
        yield m.article, RDFGEN.keywordSubject, term
        yield m.article, RDFGEN.keywordMapping, node
        yield node, RDF.type, RDFGEN.KeywordMapping
        yield node, RDFGEN.keyword, _lit(kw.text)
        yield node, _STRENGTH[link.relation], term
        yield node, RDFGEN.mappingMethod, _lit(link.method)
        yield node, RDFGEN.mappingScore, typed(str(round(link.score, 4)), XSD.decimal)
        yield from defined_term(m, term, link.label, link.ui)


_STRENGTH = {"exact": SKOS.exactMatch, "close": SKOS.closeMatch, "broad": SKOS.broadMatch}
"""A keyword link's relation as the SKOS mapping property it is published with."""


def mesh(m: RecordContext) -> list[Triple]:
    """NLM indexing: schema:about and dcterms:subject to the descriptor; fabio:hasPrimarySubjectTerm (major) or
    fabio:hasSubjectTerm to the descriptor and to one descriptor-qualifier pair per qualifier; an
    rdfgen:MeshHeading node (rdfgen:descriptor, rdfgen:qualifier, rdfgen:majorTopic, rdfgen:descriptorName).
    A list: the headings are a record's third-largest part, made by rdfgen.mapping._native where it was built
    (``_heading`` is its twin, and makes what it leaves: a UI that is not letters and digits, an odd base)."""
    found: list[Triple] = []
    prefixes = own_prefixes(m, _native_prefixes) if _native_mesh is not None else None
    if prefixes is not None:
        _native_mesh(m.r.mesh_headings, m.article, prefixes, _MESH_TERMS, found, m.descriptors,
                     lambda k, h: _heading(m, k, h, found))
        return found
    for k, h in enumerate(m.r.mesh_headings, start=1):
        _heading(m, k, h, found)
    return found


def _heading(m: RecordContext, k: int, h: MeshHeading, found: list[Triple]) -> None:
    """The statements of the k-th heading, appended to ``found``."""
    a, node = m.article, uri(m.own.heading(k))
    found += ((a, RDFGEN.meshHeading, node), (node, RDF.type, RDFGEN.MeshHeading), (node, SDO.position, _lit(k)),
              (node, RDFGEN.descriptorName, _lit(h.descriptor_name)), (node, RDFGEN.majorTopic, _bool(h.is_major)))
    if h.type:
        found.append((node, RDFGEN.headingType, _lit(h.type)))
    found += [(node, RDFGEN.qualifierName, _lit(q.name)) for q in h.qualifiers]
    if h.descriptor_ui:
        indexed_descriptor(m, node, h, found)


try:
    from rdfgen.mapping._native import mesh as _native_mesh
except ImportError:  # built without a C compiler: the Python twin serves, with the same statements
    _native_mesh = None

_MESH_TERMS = (RDFGEN.meshHeading, RDF.type, RDFGEN.MeshHeading, SDO.position, RDFGEN.descriptorName,
               RDFGEN.majorTopic, RDFGEN.headingType, RDFGEN.qualifierName, RDFGEN.descriptor, SDO.about,
               DCTERMS.subject, FABIO.hasPrimarySubjectTerm, FABIO.hasSubjectTerm, RDFGEN.qualifier, SKOS.Concept,
               SKOS.prefLabel, SDO.DefinedTerm, SDO.name, SDO.termCode, SDO.inDefinedTermSet, _MESH_SET, _bool(True),
               _bool(False), f"^^{XSD_INTEGER}")
"""What the C twin says of a heading, in the order of its enum MeshTerm: the vocabulary stays here."""


def _native_prefixes(m: RecordContext) -> tuple[str, str] | None:
    """The IRIs the C twin mints, as prefixes (a heading: + position + ">"; a MeSH term: + UI + ">"); None when the
    record's IRIs need escaping (an odd --base), which the twin does."""
    node, term = iri_prefix(m.own.heading(1), "1"), iri_prefix(iri.mesh_iri("D1"), "D1")
    return (node, term) if node is not None and term is not None else None


def indexed_descriptor(m: RecordContext, node: str, h: MeshHeading, found: list[Triple]) -> None:
    """A heading with a descriptor UI, appended to ``found``: rdfgen:descriptor/rdfgen:qualifier, schema:about,
    dcterms:subject, fabio:hasPrimarySubjectTerm or fabio:hasSubjectTerm, each descriptor-qualifier pair as a
    skos:Concept."""
    a = m.article
    assert h.descriptor_ui is not None
    desc = shared_uri(iri.mesh_iri(h.descriptor_ui))
    found.append((node, RDFGEN.descriptor, desc))
    found += defined_term(m, desc, h.descriptor_name, h.descriptor_ui)
    found += ((a, SDO.about, desc), (a, DCTERMS.subject, desc),
              (a, FABIO.hasPrimarySubjectTerm if h.major else FABIO.hasSubjectTerm, desc))
    for q in h.qualifiers:
        if not q.ui:
            continue
        qual, pair = shared_uri(iri.mesh_iri(q.ui)), shared_uri(iri.mesh_iri(h.descriptor_ui, q.ui))
        found.append((node, RDFGEN.qualifier, qual))
        found += defined_term(m, qual, q.name, q.ui)
        found += ((a, FABIO.hasPrimarySubjectTerm if q.major else FABIO.hasSubjectTerm, pair),
                  (pair, RDF.type, SKOS.Concept), (pair, SKOS.prefLabel, _lit(f"{h.descriptor_name}/{q.name}")),
                  (pair, RDFGEN.descriptor, desc), (pair, RDFGEN.qualifier, qual))


def substances(m: RecordContext) -> Iterator[Triple]:
    """rdfgen:substance (ChemicalList) and rdfgen:supplementaryConcept (SupplMeshList) to MeSH IRIs with
    rdfgen:registryNumber; names kept as rdfgen:substanceName when no UI is given."""
    a = m.article
    for c in m.r.chemicals:
        if c.ui:
            term = shared_uri(iri.mesh_iri(c.ui))
            yield a, RDFGEN.substance, term
            yield from defined_term(m, term, c.name, c.ui)
            if c.registry_number and c.registry_number != "0":
                yield term, RDFGEN.registryNumber, _lit(c.registry_number)
        else:
            yield a, RDFGEN.substanceName, _lit(c.name)
    for s in m.r.supplementary_concepts:
        if s.ui:
            term = shared_uri(iri.mesh_iri(s.ui))
            yield a, RDFGEN.supplementaryConcept, term
            yield from defined_term(m, term, s.name, s.ui)


def mesh_tree(uis: Iterable[str], mesh_terms: MeshTerms) -> Iterator[Triple]:
    """The MeSH graph of a dataset: every descriptor its records name, and all their ancestors, each as a
    schema:DefinedTerm/skos:Concept with its name, rdfgen:treeNumber and skos:broader (from the tree numbers), so
    "articles about any kind of Neoplasms" needs no access to NLM. Descriptors in UI order, each once."""
    for part in mesh_tree_parts(uis, mesh_terms):
        yield from part


def mesh_tree_parts(uis: Iterable[str], mesh_terms: MeshTerms) -> Iterator[list[Triple]]:
    """``mesh_tree`` one descriptor at a time, a list each: a baseline file names most of MeSH, some 170,000
    statements, and a generator's step a statement was a third of writing them."""
    todo, done = sorted(set(uis), reverse=True), set()
    while todo:
        ui = todo.pop()
        if ui in done:
            continue
        done.add(ui)
        desc = mesh_terms.descriptor(ui)
        if desc is None:
            continue
        term = shared_uri(iri.mesh_iri(ui))
        part = list(term_triples(term, desc.label, ui))
        part += [(term, RDFGEN.treeNumber, _lit(number)) for number in desc.tree_numbers]
        parents = mesh_terms.broader(ui)
        part += [(term, SKOS.broader, shared_uri(iri.mesh_iri(parent))) for parent in parents]
        todo += parents
        yield part
