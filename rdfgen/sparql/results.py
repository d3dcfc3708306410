"""Query results from any backend in one shape, and written as a table, CSV, TSV, SPARQL JSON or SPARQL XML.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from rdfgen.errors import UnsupportedFormat
from rdfgen.serialize import formats
from rdfgen.sparql.library import ROW_FORMATS, QueryError, Term
from rdfgen.vocab import PREFIXES, XSD

Row = tuple[Term | None, ...]


def from_oxigraph(term: Any) -> Term | None:
    """A pyoxigraph term as the rdflib term rdfgen uses everywhere (xsd:string literals become plain literals)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value) if dt == str(XSD.string) else Literal(term.value, datatype=URIRef(dt))
    raise QueryError(f"unsupported term in results: {term!r}")


def _from_json(binding: Mapping[str, str]) -> Term:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    dt = binding.get("datatype")
    return Literal(value, datatype=URIRef(dt)) if dt and dt != str(XSD.string) else Literal(value)


def _plain(term: Term | None) -> Term | None:
    """rdflib may type a plain literal as xsd:string; results compare equal whichever backend made them."""
    if isinstance(term, Literal) and term.datatype == XSD.string and not term.language:
        return Literal(str(term))
    return term


@dataclass
class Result:
    """Rows (SELECT), a graph (CONSTRUCT/DESCRIBE) or a boolean (ASK), in rdflib terms whatever the backend."""

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    boolean: bool | None = None

    def values(self) -> list[tuple[str | None, ...]]:
        """Rows as Python strings (lexical forms and IRIs), the handiest shape for tests and scripts."""
        return [tuple(None if t is None else str(t) for t in row) for row in self.rows]

    def column(self, name: str) -> list[str | None]:
        k = self.columns.index(name)
        return [None if row[k] is None else str(row[k]) for row in self.rows]

    def dicts(self) -> list[dict[str, str]]:
        return [{c: str(t) for c, t in zip(self.columns, row, strict=True) if t is not None} for row in self.rows]

    def graph(self) -> Graph:
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        for t in self.triples:
            g.add(t)
        return g

    def format(self, fmt: str | None = None) -> str:
        """Serialise as table|csv|tsv|json|xml (SPARQL 1.1 results) or, for a graph, any RDF format of formats.py."""
        fmt = (fmt or ("turtle" if self.kind == "graph" else "table")).lower()
        if self.kind == "graph":
            if fmt in ("table", "csv", "tsv"):
                raise UnsupportedFormat(f"--format {fmt} is for SELECT/ASK; a graph result takes an RDF format "
                                        f"({', '.join(f.name for f in formats.FORMATS)})")
            rdf = formats.from_name("jsonld" if fmt == "json" else fmt)
            return self.graph().serialize(format=rdf.rdflib)
        writer = _WRITERS.get(fmt)
        if writer is None:
            raise UnsupportedFormat(f"unknown results format {fmt!r}; known: {', '.join(ROW_FORMATS)}")
        return writer(self)


def _display(term: Term | None) -> str:
    return "" if term is None else str(term)


def _table(r: Result, width: int = 80) -> str:
    if r.kind == "boolean":
        return f"{str(r.boolean).lower()}\n"
    cells = [[_display(t).replace("\n", " ") for t in row] for row in r.rows]
    cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(c)] + [len(row[k]) for row in cells]) for k, c in enumerate(r.columns)]
    line = "  ".join
    out = [line(c.ljust(w) for c, w in zip(r.columns, widths, strict=True)).rstrip(),
           line("-" * w for w in widths)]
    out += [line(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    out.append(f"({len(r.rows)} row{'s' if len(r.rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _csv(r: Result) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if r.kind == "boolean":
        w.writerow(["boolean"])
        w.writerow([str(r.boolean).lower()])
    else:
        w.writerow(r.columns)
        for row in r.rows:
            w.writerow([("_:" + t if isinstance(t, BNode) else _display(t)) for t in row])
    return buf.getvalue()


def _tsv(r: Result) -> str:
    if r.kind == "boolean":
        return f"?boolean\n{str(r.boolean).lower()}\n"
    lines = ["\t".join("?" + c for c in r.columns)]
    lines += ["\t".join("" if t is None else _nt(t) for t in row) for row in r.rows]
    return "\n".join(lines) + "\n"


def _nt(term: Term) -> str:
    from rdfgen.sparql.store import to_oxigraph

    return str(to_oxigraph(term))


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def _json(r: Result) -> str:
    if r.kind == "boolean":
        doc: dict[str, Any] = {"head": {}, "boolean": r.boolean}
    else:
        bindings = [{c: _json_term(t) for c, t in zip(r.columns, row, strict=True) if t is not None} for row in r.rows]
        doc = {"head": {"vars": r.columns}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _xml_term(term: Term) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    attr = (f" xml:lang={quoteattr(term.language)}" if term.language
            else f" datatype={quoteattr(str(term.datatype))}" if term.datatype else "")
    return f"<literal{attr}>{escape(str(term))}</literal>"


def _xml(r: Result) -> str:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    out += [f"    <variable name={quoteattr(c)}/>" for c in r.columns]
    out.append("  </head>")
    if r.kind == "boolean":
        out.append(f"  <boolean>{str(r.boolean).lower()}</boolean>")
    else:
        out.append("  <results>")
        for row in r.rows:
            out.append("    <result>")
            out += [f"      <binding name={quoteattr(c)}>{_xml_term(t)}</binding>"
                    for c, t in zip(r.columns, row, strict=True) if t is not None]
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


_WRITERS: dict[str, Callable[[Result], str]] = {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json,
                                                "xml": _xml}
