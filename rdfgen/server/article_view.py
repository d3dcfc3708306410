"""The article page's body from the record's triples as N-Triples term strings, what the server reads from its store.

The same view the build's page makes from the Record (:func:`rdfgen.serialize.html.record_view`), with links to
this server's pages and a chart of the references' years. It reads strings, not rdflib terms: making the rdflib
terms of a record and the shared nodes it names (about 1,800 statements on a baseline-size store) was most of a cold
page's CPU, and pyoxigraph writes a term's N-Triples form in native code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rdfgen.iris import MESH_IRI
from rdfgen.mapping.terms import BIBO, BIRO, C4O, DCTERMS, FABIO, FALSE, RDF, RDFGEN, SDO, TRUE
from rdfgen.serialize.html import (
    ArticleView,
    AuthorView,
    HeadingView,
    ItemView,
    Link,
    Section,
    keyword_path,
    marked_up,
    mesh_order,
    orcid_link,
    outside,
    relation_label,
)
from rdfgen.serialize.jsonld import nt_unescape

LinkFn = Callable[[str], str]
"""How a page links to an IRI: our own IRIs to this server's paths (Site.local), others as they are."""
_ORCID = "https://orcid.org/"
_RELATIONS = tuple(RDFGEN[name[0].lower() + name[1:]] for name in (
    "CommentIn", "CommentOn", "ErratumIn", "ErratumFor", "RetractionIn", "RetractionOf", "UpdateIn", "UpdateOf",
    "RepublishedIn", "RepublishedFrom", "ReprintIn", "ReprintOf", "ExpressionOfConcernIn", "ExpressionOfConcernFor",
    "CorrectedandRepublishedIn", "CorrectedandRepublishedFrom", "SummaryForPatientsIn", "OriginalReportIn",
    "AssociatedDataset", "AssociatedPublication", "PartialRetractionIn", "PartialRetractionOf"))
"""CommentsCorrections properties (rdfgen.mapping.article.REF_TYPES), in PubMed's order."""
_LABELS = (SDO.name, SDO.headline, RDFGEN.sectionLabel, C4O.hasContent)


def text(term: str) -> str:
    """What ``str()`` of the rdflib term says: an IRI's IRI, a literal's lexical form, a blank node's label."""
    if term[0] == "<":
        return term[1:-1]
    if term[0] == '"':
        return nt_unescape(term[1:term.rfind('"')])
    return term[2:] if term.startswith("_:") else term


class TermGraph:
    """A record's triples (N-Triples term strings) indexed by subject and predicate, each statement once, objects
    in the order stated: the lookups an article page makes."""

    def __init__(self, triples: Iterable[tuple[str, str, str]]) -> None:
        self.index: dict[str, dict[str, list[str]]] = {}
        for s, p, o in triples:
            objects = self.index.setdefault(s, {}).setdefault(p, [])
            if o not in objects:
                objects.append(o)

    def value(self, subject: str, predicate: str) -> str | None:
        """An object of (subject, predicate), the first stated; None when there is none."""
        found = self.index.get(subject, {}).get(predicate)
        return found[0] if found else None

    def objects(self, subject: str, predicate: str) -> list[str]:
        return self.index.get(subject, {}).get(predicate, [])

    def text(self, subject: str, predicate: str, default: str = "") -> str:
        found = self.value(subject, predicate)
        return default if found is None else text(found)

    def label(self, node: str) -> str:
        for p in _LABELS:
            found = self.value(node, p)
            if found is not None:
                return text(found)
        return text(node)

    def by_position(self, nodes: Iterable[str], prop: str) -> list[str]:
        return sorted(nodes, key=lambda n: (int(self.text(n, prop) or 0), text(n)))


def _sorted(terms: Iterable[str]) -> list[str]:
    """Terms in the order of what they say (an IRI's "<" and ">" must not take part: "<a1>" sorts before "<a>")."""
    return sorted(terms, key=text)


def _authors(graph: TermGraph, article: str, link: LinkFn) -> tuple[AuthorView, ...]:
    """The authorships in order: a person's page (an ORCID person is its ORCID link), ORCID links, affiliations.
    "et al." is no authorship, so it is never listed or counted here."""
    out = []
    for ship in graph.by_position(graph.objects(article, RDFGEN.authorship), RDFGEN.position):
        agent = graph.value(ship, RDFGEN.agent)
        if agent is None:
            continue
        iri = text(agent)
        is_orcid = iri.startswith(_ORCID)
        orcids = {text(o) for o in graph.objects(agent, SDO.sameAs) if text(o).startswith(_ORCID)}
        if is_orcid:
            orcids.add(iri)
        affiliations = tuple(graph.label(org) for org in _sorted(graph.objects(agent, SDO.affiliation)))
        out.append(AuthorView(graph.label(agent), "" if is_orcid else link(iri),
                              tuple(orcid_link(o) for o in sorted(orcids)), affiliations))
    return tuple(out)


def _journal(graph: TermGraph, article: str, link: LinkFn) -> tuple[Link, ...]:
    """The journal (linked), the date, and volume(issue):pages, walking up the isPartOf chain."""
    parts, volume, issue, periodical = [], None, None, None
    node = graph.value(article, SDO.isPartOf)
    seen = set()
    while node is not None and node not in seen:
        seen.add(node)
        kinds = graph.objects(node, RDF.type)
        if SDO.PublicationIssue in kinds:
            issue = graph.value(node, SDO.issueNumber)
        elif SDO.PublicationVolume in kinds:
            volume = graph.value(node, SDO.volumeNumber)
        else:
            periodical = node
        node = graph.value(node, SDO.isPartOf)
    if periodical is not None:
        name = graph.value(periodical, SDO.name) or graph.value(periodical, SDO.alternateName) or periodical
        parts.append(Link(link(text(periodical)), text(name)))
    if (date := graph.value(article, SDO.datePublished)) is not None:
        parts.append(Link("", text(date)))
    where = (text(volume) if volume else "") + (f"({text(issue)})" if issue else "")
    if (pages := graph.value(article, SDO.pagination)) is not None:
        where += f":{text(pages)}"
    return (*parts, Link("", where)) if where else tuple(parts)


def _abstract(graph: TermGraph, article: str) -> tuple[Section, ...]:
    """The abstract's sections with their labels and inline markup (sup, sub, i...) made safe."""
    sections = graph.by_position(graph.objects(article, RDFGEN.abstractSection), SDO.position)
    if sections:
        return tuple(Section(graph.text(s, RDFGEN.sectionLabel),
                             marked_up(graph.text(s, RDFGEN.abstractHtml) or None, graph.text(s, SDO.text)))
                     for s in sections)
    marked = graph.text(article, RDFGEN.abstractHtml)
    if marked:
        return tuple(Section("", marked_up(p, p)) for p in marked.split("\n") if p.strip())
    abstract = graph.text(article, SDO.abstract)
    return (Section("", marked_up(None, abstract)),) if abstract else ()


def _related(graph: TermGraph, article: str, link: LinkFn) -> tuple[ItemView, ...]:
    """CommentsCorrections ("Erratum in: ..."), as the build's page lists them: the citation text when the graph
    has it (an item PubMed has no record of), its DOI, and the PubMed record it names."""
    items = []
    for prop in _RELATIONS:
        for node in _sorted(graph.objects(article, prop)):
            iri = text(node)
            links = [Link(s, "DOI") for s in sorted(map(text, graph.objects(node, SDO.sameAs)))
                     if s.startswith("https://doi.org/")]
            last = iri.rsplit("/", 1)[-1]
            pmid = graph.text(node, BIBO.pmid) or (last if "/pubmed/" in iri and last.isdigit() else None)
            if pmid:
                links.append(Link(link(iri), f"PubMed {pmid}"))
            items.append(ItemView(relation_label(prop[1:-1].rsplit("#", 1)[-1]),
                                  graph.text(node, DCTERMS.bibliographicCitation), tuple(links)))
    return tuple(items)


def mesh_page(iri: str) -> str:
    """A MeSH descriptor's local page (its articles here, broader and narrower terms, the link to NLM)."""
    ui = iri[len(MESH_IRI):] if iri.startswith(MESH_IRI) else ""
    return f"/mesh/{ui}" if ui[:1] == "D" and ui[1:].isdigit() else iri


def _mesh(graph: TermGraph, article: str) -> tuple[HeadingView, ...]:
    """The MeSH headings by name, major topics starred, each with its qualifiers (starred when the pair is major)."""
    major = set(graph.objects(article, FABIO.hasPrimarySubjectTerm))
    qualifiers: dict[str, list[str]] = {}
    for heading in graph.objects(article, RDFGEN.meshHeading):
        descriptor = graph.value(heading, RDFGEN.descriptor)
        if descriptor is None:
            continue
        for q in graph.objects(heading, RDFGEN.qualifier):
            pair = f"<{text(descriptor)}{text(q)[len(MESH_IRI):]}>"
            qualifiers.setdefault(descriptor, []).append(graph.label(q) + ("*" if pair in major else ""))
    terms = sorted(((graph.label(t), t) for t in graph.objects(article, SDO.about)), key=lambda x: mesh_order(x[0]))
    return tuple(HeadingView(Link(mesh_page(text(t)), name + ("*" if t in major else "")),
                             tuple(sorted(qualifiers.get(t, ()), key=mesh_order))) for name, t in terms)


def _references(graph: TermGraph, article: str, link: LinkFn) -> tuple[tuple[ItemView, ...], list[int]]:
    """The numbered reference list, and the publication year of each cited work that has one (for the chart)."""
    items, years = [], []
    for entry in graph.by_position(graph.objects(article, RDFGEN.reference), SDO.position):
        n = graph.text(entry, SDO.position)
        cited = graph.value(entry, BIRO.references)
        links = [Link(link(text(entry)), f"reference {n}")]
        if cited is not None:
            links.append(Link(link(text(cited)), "the cited work here"))
            links += [Link(s, outside(s)) for s in sorted(map(text, graph.objects(cited, SDO.sameAs)))]
            date = graph.text(cited, SDO.datePublished)
            if date[:4].isdigit():
                years.append(int(date[:4]))
        items.append(ItemView(n, graph.text(entry, C4O.hasContent) or graph.label(entry), tuple(links)))
    return tuple(items), years


def terms_view(triples: Iterable[tuple[str, str, str]], article: str, link: LinkFn) -> ArticleView:
    """The article page's body from the record's triples; ``article`` is the article's IRI (not a term)."""
    from rdfgen.server.pages import CITATION_LINKS, formats_links, reference_chart

    graph = TermGraph(triples)
    doc = link(article)
    node = f"<{article}>"
    pmid, doi = graph.text(node, BIBO.pmid), graph.text(node, BIBO.doi)
    ids = [Link(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", f"PubMed {pmid}")] if pmid else []
    if doi:
        ids.append(Link(f"https://doi.org/{doi}", f"doi:{doi}"))
    title = graph.text(node, SDO.headline) or graph.text(node, SDO.name) or article
    title_html = graph.text(node, RDFGEN.titleHtml)
    references, years = _references(graph, node, link)
    keywords = sorted(map(text, graph.objects(node, SDO.keywords)))
    return ArticleView(
        title=title, title_html=marked_up(title_html, title) if title_html else None,
        types=tuple(sorted(map(text, graph.objects(node, RDFGEN.publicationTypeName)))),
        retracted=TRUE in graph.objects(node, RDFGEN.retracted), authors=_authors(graph, node, link),
        complete=graph.value(node, RDFGEN.authorListComplete) != FALSE,
        journal=_journal(graph, node, link), ids=tuple(ids),
        citations=tuple(Link(f"{doc}.{ext}", label) for ext, label in CITATION_LINKS), formats=formats_links(doc),
        abstract=_abstract(graph, node), related=_related(graph, node, link),
        keywords=tuple(Link("/" + keyword_path(k), k) for k in keywords), mesh=_mesh(graph, node),
        references=references, chart=reference_chart(years))
