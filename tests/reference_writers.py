"""The slow, trusted way to write Turtle, full JSON-LD and the embedding object: rdflib's serialisers and pyld
framing, as rdfgen did before its writers worked straight from N-Triples strings. The tests hold the fast writers to
these (isomorphic graphs, byte-identical JSON-LD and embeddings); rdfgen itself never calls them, so pyld is a test
dependency only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from rdflib import Graph, URIRef

from rdfgen.resources import ontology_path
from rdfgen.serialize.embedding import BEYOND_SCHEMA
from rdfgen.serialize.graph import to_graph
from rdfgen.serialize.jsonld import jsonld_context
from rdfgen.serialize.ntriples import Triple
from rdfgen.vocab import BIRO, RDF, RDFGEN, SDO


def turtle(graph: Graph) -> str:
    """Pretty Turtle: prefixes, subjects grouped, lists inline. rdflib orders subjects and predicates by sort."""
    return graph.serialize(format="turtle")


def _canonical_json(value: Any) -> Any:
    """Sort unordered JSON-LD arrays and nodes so the text does not depend on graph iteration order."""
    if isinstance(value, dict):
        return {k: (v if k == "@list" else _canonical_json(v)) if k != "@list" else [_canonical_json(x) for x in v]
                for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def jsonld_full(graph: Graph) -> str:
    """The whole graph as compacted JSON-LD with an inline context (all vocabularies, ``@graph``)."""
    data = json.loads(graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=False))
    return json.dumps(_canonical_json(data), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


SCHEMA_CONTEXT_URLS = ("https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/")


def _load_json(name: str) -> Any:
    return json.loads(ontology_path(name).read_text(encoding="utf-8"))


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld loader that serves the bundled schema.org context and refuses everything else: no fetch at run time."""
    from pyld.jsonld import JsonLdError

    if url in SCHEMA_CONTEXT_URLS:
        return {"contextUrl": None, "documentUrl": url, "document": _load_json("context.jsonld")}
    raise JsonLdError(f"rdfgen does not fetch remote JSON-LD documents: {url}", "jsonld.LoadDocumentError",
                      code="loading document failed")


def _schema_subgraph(graph: Graph) -> Iterator[Triple]:
    """Only schema.org statements: what a search engine reads, and a subset of the full graph by construction."""
    for s, p, o in graph:
        if str(p).startswith(str(SDO)) or str(p) in BEYOND_SCHEMA or (p == RDF.type and str(o).startswith(str(SDO))):
            yield s, p, o


def _positions(graph: Graph, article: URIRef) -> dict[str, int]:
    """Order of authors (rdfgen:authorship positions) and of cited works (reference positions), by IRI."""
    order: dict[str, int] = {}
    for ship in graph.objects(article, RDFGEN.authorship):
        pos, agent = graph.value(ship, RDFGEN.position), graph.value(ship, RDFGEN.agent)
        if pos is not None and agent is not None:
            order.setdefault(str(agent), int(pos))
    for entry in graph.objects(article, RDFGEN.reference):
        pos, work = graph.value(entry, SDO.position), graph.value(entry, BIRO.references)
        if pos is not None and work is not None:
            order.setdefault(str(work), int(pos))
    return order


def embed(graph: Graph, article: URIRef, keywords: tuple[str, ...] = ()) -> dict[str, Any]:
    """The article as one nested schema.org object, framed with pyld (the frame's context, ontology/context.jsonld,
    inline in the object, as rdfgen.serialize.embedding writes it).

    JSON-LD arrays of a plain property are unordered in RDF, so after framing the authors and citations are put back
    in list order (and keywords in the record's order): the order a reader of the JSON expects.
    """
    from pyld import jsonld

    sub = to_graph(_schema_subgraph(graph))
    expanded = json.loads(sub.serialize(format="json-ld", auto_compact=False))
    frame = _load_json("frame.jsonld")
    frame["@context"] = _load_json(frame["@context"])["@context"]
    frame["@id"] = str(article)
    options = {"documentLoader": document_loader, "embed": "@always", "omitGraph": True}
    framed: dict[str, Any] = jsonld.frame(expanded, frame, options)
    order = _positions(graph, article)
    for prop in ("author", "citation"):
        value = framed.get(prop)
        if isinstance(value, list):
            value.sort(key=lambda node: (order.get(node.get("@id", ""), 10**9), node.get("@id", "")))
    if keywords and isinstance(framed.get("keywords"), list):
        rank = {k: i for i, k in enumerate(keywords)}
        framed["keywords"].sort(key=lambda k: (rank.get(k, len(rank)), k))
    return _sorted_unordered(framed, keep_order={"author", "citation", "keywords"})


def _sorted_unordered(node: Any, keep_order: set[str]) -> Any:
    """Sort arrays other than the ordered ones, recursively, so the embedding is byte-stable."""
    if isinstance(node, dict):
        return {k: (v if k in keep_order and isinstance(v, list) and all(not isinstance(x, list) for x in v)
                    and k in keep_order else _sorted_unordered(v, keep_order))
                if k not in keep_order else [_sorted_unordered(x, keep_order) for x in v] if isinstance(v, list)
                else _sorted_unordered(v, keep_order)
                for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_unordered(v, keep_order) for v in node]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def embed_json(obj: dict[str, Any]) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def parse_embed(text: str, base: str | None = None) -> Graph:
    """Parse an embedding object back to RDF with the bundled context (tests, validation, the server)."""
    from pyld import jsonld

    nquads = jsonld.to_rdf(json.loads(text), {"documentLoader": document_loader, "format": "application/n-quads"})
    g = Graph()
    g.parse(data=nquads, format="nquads")
    return g
