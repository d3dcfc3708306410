"""Authors, investigators and editors: the people and organisations, their affiliations, the rdfgen:Authorship
nodes and the ordered author list."""

from __future__ import annotations

from collections.abc import Iterator

from rdfgen import iris as iri
from rdfgen.mapping.core import RecordContext, Triple, _bool, _lit
from rdfgen.mapping.terms import FOAF, OWL, RDF, RDFGEN, SDO, bnode, uri
from rdfgen.model import Author


def authors(m: RecordContext, people: tuple[Author, ...], role: str, sdo_prop: str, list_prop: str | None,
            dc_prop: str, subject: str | None = None) -> Iterator[Triple]:
    """schema:author/editor/contributor and dcterms:creator/contributor to schema:Person|Organization +
    foaf:Person|Organization (names, rdfgen:initials, schema:affiliation); bibo:authorList/editorList as an
    rdf:List; rdfgen:authorship nodes with rdfgen:position (a plain integer), rdfgen:agent,
    rdfgen:equalContribution; rdfgen:authorListComplete."""
    a, pmid = subject or m.article, m.r.pmid
    if role == "author":
        yield a, RDFGEN.authorListComplete, _bool(m.r.authors_complete)
    nodes = []
    for n, person in enumerate(people, start=1):
        node = uri(m.iris.author(pmid, n, person.orcid, role))
        nodes.append(node)
        yield a, sdo_prop, node
        yield a, dc_prop, node
        yield from agent(m, node, person, n, role)
        ship = uri(m.iris.authorship(pmid, n, role))
        yield a, RDFGEN[f"{role}ship"], ship
        yield ship, RDF.type, RDFGEN.Authorship
        yield ship, RDFGEN.position, _lit(n)
        yield ship, RDFGEN.agent, node
        yield ship, RDFGEN.role, _lit(role)
        if person.equal_contribution:
            yield ship, RDFGEN.equalContribution, _bool(True)
        if not person.valid:
            yield ship, RDFGEN.validName, _bool(False)
    if list_prop is not None and nodes:
        yield from rdf_list(a, list_prop, nodes, f"{role[0]}{pmid}")


def agent(m: RecordContext, node: str, person: Author, n: int, role: str) -> Iterator[Triple]:
    """A person or organisation: schema:/foaf: types and names, rdfgen:initials, schema:honorificSuffix,
    rdfgen:orcid, schema:sameAs ORCID; schema:affiliation to a schema:Organization (owl:sameAs, schema:sameAs to
    its ROR or GRID IRI)."""
    if person.is_collective:
        yield from ((node, RDF.type, t) for t in (SDO.Organization, FOAF.Organization))
    else:
        yield from ((node, RDF.type, t) for t in (SDO.Person, FOAF.Person))
    yield node, SDO.name, _lit(person.display_name)
    yield node, FOAF.name, _lit(person.display_name)
    if person.given_name:
        yield node, SDO.givenName, _lit(person.given_name)
        yield node, FOAF.givenName, _lit(person.given_name)
    if person.family_name:
        yield node, SDO.familyName, _lit(person.family_name)
        yield node, FOAF.familyName, _lit(person.family_name)
    if person.initials:
        yield node, RDFGEN.initials, _lit(person.initials)
    if person.suffix:
        yield node, SDO.honorificSuffix, _lit(person.suffix)
    if person.orcid:
        yield node, RDFGEN.orcid, _lit(person.orcid)
        yield node, SDO.sameAs, uri(iri.orcid_url(person.orcid))
    for k, aff in enumerate(person.affiliations, start=1):
        org = uri(m.iris.affiliation(m.r.pmid, n, k, role))
        yield node, SDO.affiliation, org
        yield org, RDF.type, SDO.Organization
        yield org, SDO.name, _lit(aff.name)
        for ident in aff.identifiers:
            found = iri.ror_or_grid(ident.scheme, ident.value)
            if found is not None:
                link = uri(found)
                yield org, OWL.sameAs, link
                yield org, SDO.sameAs, link


def rdf_list(subject: str, prop: str, items: list[str], key: str) -> Iterator[Triple]:
    """An rdf:List whose cells are the only blank nodes we publish, labelled from ``key`` for determinism."""
    cells = [bnode(f"{key}x{k}") for k in range(1, len(items) + 1)]
    yield subject, prop, cells[0]
    for k, (cell, item) in enumerate(zip(cells, items, strict=True)):
        yield cell, RDF.first, item
        yield cell, RDF.rest, cells[k + 1] if k + 1 < len(cells) else RDF.nil
