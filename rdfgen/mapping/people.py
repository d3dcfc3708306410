"""Authors, investigators and editors: the people and organisations, their affiliations, the rdfgen:Authorship
nodes and the ordered author list."""

from __future__ import annotations

from rdfgen import iris as iri
from rdfgen.mapping.core import RecordContext, Triple, _bool, _lit, iri_prefix, own_prefixes, said_in
from rdfgen.mapping.terms import FOAF, OWL, RDF, RDFGEN, SDO, XSD_INTEGER, bnode, uri
from rdfgen.model import Author


def authors(m: RecordContext, people: tuple[Author, ...], role: str, sdo_prop: str, list_prop: str | None,
            dc_prop: str, subject: str | None = None) -> list[Triple]:
    """schema:author/editor/contributor and dcterms:creator/contributor to schema:Person|Organization +
    foaf:Person|Organization (names, rdfgen:initials, schema:affiliation); bibo:authorList/editorList as an
    rdf:List; rdfgen:authorship nodes with rdfgen:position (a plain integer), rdfgen:agent,
    rdfgen:equalContribution; rdfgen:authorListComplete. A list, as the authors are a record's second-largest
    part."""
    a, found = subject or m.article, []
    if role == "author":
        found.append((a, RDFGEN.authorListComplete, _bool(m.r.authors_complete)))
    nodes: list[str] = []
    terms, ship_p, role_lit = _role_tables(role)
    props = (sdo_prop, dc_prop, ship_p, role_lit)
    prefixes = own_prefixes(m, _native_prefixes, role) if _native_people is not None else None
    if prefixes is not None:
        _native_people(people, a, sdo_prop, dc_prop, prefixes, terms, found, nodes,
                       lambda n, person: _person(m, a, n, person, role, props, found, nodes), Author)
    else:
        for n, person in enumerate(people, start=1):
            _person(m, a, n, person, role, props, found, nodes)
    if list_prop is not None and nodes:
        key = f"{role[0]}{m.r.pmid}"
        if _native_list is not None and key.isascii() and key.isalnum():  # labels bnode() would keep as they are
            _native_list(found, a, list_prop, nodes, f"_:{key}x", _LIST_TERMS)
        else:
            found += rdf_list(a, list_prop, nodes, key)
    return found


def _person(m: RecordContext, a: str, n: int, person: Author, role: str, props: tuple[str, str, str, str],
            found: list[Triple], nodes: list[str]) -> None:
    """The n-th person's statements and authorship, appended to ``found``; their node to ``nodes``. ``props``: the
    schema: and dcterms: properties linking the article to them, the role's authorship property and its literal."""
    sdo_prop, dc_prop, ship_p, role_lit = props
    own = m.own
    node = uri(own.author(n, person.orcid, role))
    nodes.append(node)
    found += ((a, sdo_prop, node), (a, dc_prop, node))
    orgs = agent(m, node, person, n, role, found)
    ship = uri(own.authorship(n, role))
    found += ((a, ship_p, ship), (ship, RDF.type, RDFGEN.Authorship), (ship, RDFGEN.position, _lit(n)),
              (ship, RDFGEN.agent, node), (ship, RDFGEN.role, role_lit))
    # The affiliations this record gives the person, from the authorship the record owns: an ORCID person is
    # shared by all their records, so the person's schema:affiliation lists every record's organisations.
    found += [(ship, RDFGEN.affiliation, org) for org in orgs]
    if person.equal_contribution:
        found.append((ship, RDFGEN.equalContribution, _bool(True)))
    if not person.valid:
        found.append((ship, RDFGEN.validName, _bool(False)))


try:
    from rdfgen.mapping._native import people as _native_people
    from rdfgen.mapping._native import rdf_list as _native_list
except ImportError:  # built without a C compiler: the Python twins serve, with the same statements
    _native_people = _native_list = None

_PEOPLE_TERMS = (RDF.type, SDO.Person, FOAF.Person, SDO.Organization, FOAF.Organization, SDO.name, FOAF.name,
                 SDO.givenName, FOAF.givenName, SDO.familyName, FOAF.familyName, RDFGEN.initials,
                 SDO.honorificSuffix, RDFGEN.orcid, SDO.sameAs, SDO.url, SDO.affiliation, RDFGEN.Authorship,
                 RDFGEN.position, RDFGEN.agent, RDFGEN.role, RDFGEN.affiliation, RDFGEN.equalContribution,
                 RDFGEN.validName, _bool(True), _bool(False), f"^^{XSD_INTEGER}")
"""What the C twin says of a person, in the order of its enum PeopleTerm (the role's authorship predicate and the
role's literal follow, per call): the vocabulary stays here."""


_LIST_TERMS = (RDF.first, RDF.rest, RDF.nil)
"""The C rdf_list's vocabulary: a cell's item, its next cell, the end of the list."""

_ROLE_TABLES: dict[str, tuple[tuple[str, ...], str, str]] = {}


def _role_tables(role: str) -> tuple[tuple[str, ...], str, str]:
    """The C twin's terms for ``role`` (_PEOPLE_TERMS, then the role's authorship predicate and literal), that
    predicate and that literal: made once per role, not twice a record."""
    found = _ROLE_TABLES.get(role)
    if found is None:
        ship_p, role_lit = RDFGEN[f"{role}ship"], _lit(role)
        found = _ROLE_TABLES[role] = ((*_PEOPLE_TERMS, ship_p, role_lit), ship_p, role_lit)
    return found


def _native_prefixes(m: RecordContext, role: str) -> tuple[str, str, str, str] | None:
    """The IRIs the C twin mints, as prefixes (a person without an ORCID: + n + ">"; an authorship: + n + ">"; an
    ORCID person: + ORCID + ">"; and what lies between a person's n and an affiliation's k); None when the
    record's IRIs need escaping (an odd --base), which the twin does."""
    first = m.own.author(1, None, role)
    affiliation = m.own.affiliation(1, 2, role)
    between = affiliation[len(first):-1]  # "/affiliation/": the n-th person's k-th is person + n + between + k
    found = (iri_prefix(first, "1"), iri_prefix(m.own.authorship(1, role), "1"),
             iri_prefix(iri.orcid_url_iri("0"), "0"), iri_prefix(affiliation, "2"))
    if None in found or affiliation != f"{first}{between}2":
        return None
    return found[0], found[1], found[2], between


def agent(m: RecordContext, node: str, person: Author, n: int, role: str, found: list[Triple]) -> list[str]:
    """A person or organisation, appended to ``found``: schema:/foaf: types and names, rdfgen:initials,
    schema:honorificSuffix, rdfgen:orcid, schema:sameAs ORCID; schema:affiliation to a schema:Organization
    (owl:sameAs, schema:sameAs to its ROR or GRID IRI). Returns the organisations' IRIs."""
    if person.is_collective:
        found += ((node, RDF.type, SDO.Organization), (node, RDF.type, FOAF.Organization))
    else:
        found += ((node, RDF.type, SDO.Person), (node, RDF.type, FOAF.Person))
    found += said_in(node, (SDO.name, FOAF.name), person.display_name)
    if person.given_name:
        found += said_in(node, (SDO.givenName, FOAF.givenName), person.given_name)
    if person.family_name:
        found += said_in(node, (SDO.familyName, FOAF.familyName), person.family_name)
    if person.initials:
        found.append((node, RDFGEN.initials, _lit(person.initials)))
    if person.suffix:
        found.append((node, SDO.honorificSuffix, _lit(person.suffix)))
    if person.orcid:
        found.append((node, RDFGEN.orcid, _lit(person.orcid)))
        orcid = uri(iri.orcid_url_iri(person.orcid))
        if orcid != node:  # a well-formed iD is the person's IRI itself: a link to itself says nothing, and the
            found += ((node, SDO.sameAs, orcid), (node, SDO.url, orcid))  # embedding would nest the person in it
    orgs = []
    for k, aff in enumerate(person.affiliations, start=1):
        org = uri(m.own.affiliation(n, k, role))
        orgs.append(org)
        found += ((node, SDO.affiliation, org), (org, RDF.type, SDO.Organization), (org, SDO.name, _lit(aff.name)))
        for ident in aff.identifiers:
            same = iri.ror_or_grid(ident.scheme, ident.value)
            if same is not None:
                link = uri(same)
                found += ((org, OWL.sameAs, link), (org, SDO.sameAs, link))
    return orgs


def rdf_list(subject: str, prop: str, items: list[str], key: str) -> list[Triple]:
    """An rdf:List whose cells are the only blank nodes we publish, labelled from ``key`` for determinism."""
    cells = [bnode(f"{key}x{k}") for k in range(1, len(items) + 1)]
    found = [(subject, prop, cells[0])]
    for k, (cell, item) in enumerate(zip(cells, items, strict=True)):
        found += ((cell, RDF.first, item), (cell, RDF.rest, cells[k + 1] if k + 1 < len(cells) else RDF.nil))
    return found
