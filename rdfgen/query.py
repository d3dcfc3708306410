"""The query library: named SPARQL queries (queries/*.rq), bound to typed parameters and run on any backend.

A query file starts with a header of ``# key: value`` comments (title, description, param, columns or returns) and
marks each parameter's place with a one-variable VALUES block, ``VALUES $pmid { UNDEF }``. Binding rewrites that
block to hold the value as an RDF term serialised by pyoxigraph (escaped, IRI-checked, typed by the declaration),
so a value is never pasted into query text as text, and the same bound query runs unchanged in pyoxigraph, in
rdflib and on a remote endpoint: the three backends cannot disagree about what a parameter meant. Run as is, outside
rdfgen, a file still parses, and UNDEF leaves the parameter unconstrained.

Every backend reads the default graph as the union of the named graphs (one graph per record), as ``oxigraph
serve --union-default-graph`` does; pyoxigraph may then return one row per graph that holds a triple, which is why
the library's queries say DISTINCT or COUNT(DISTINCT ...).
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import sys
import threading
import urllib.error
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from rdfgen import formats
from rdfgen.errors import RdfgenError, UnsupportedFormat
from rdfgen.resources import queries_dir
from rdfgen.vocab import PREFIXES, XSD

T = TypeVar("T")
Term = Node
Row = tuple[Term | None, ...]
ROW_FORMATS = ("table", "csv", "tsv", "json", "xml")
DEFAULT_TIMEOUT = 60.0

_HEADER = re.compile(r"^#\s?(\w+):\s*(.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*(?:=\s*(?P<default>.*?))?\s*(?:\((?P<kind>[^()]+)\)\s*(?P<doc>.*))?$")
# Strings, IRIs and comments, so that a VALUES slot or a keyword is only found in the query's own syntax.
_OPAQUE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                     r'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_SLOT = re.compile(r"VALUES\s+\$(\w+)\s*\{[^{}]*\}", re.IGNORECASE)
_FORM = re.compile(r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)
_XSD_KINDS = {"integer", "decimal", "double", "boolean", "date", "dateTime", "gYear", "gYearMonth", "string"}
_LEXICAL = {"integer": re.compile(r"^[+-]?\d+$"), "decimal": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
            "boolean": re.compile(r"^(true|false|1|0)$"), "gYear": re.compile(r"^-?\d{4,}$"),
            "date": re.compile(r"^-?\d{4,}-\d{2}-\d{2}$")}
ANY = "*"


class QueryError(RdfgenError):
    """A query that cannot run as asked: malformed, a parameter missing or unknown, a backend that failed."""

    exit_code = 2


class QuerySyntaxError(QueryError):
    """The parser's own message, which names line and column (``error at 3:10: ...``)."""


class ParameterError(QueryError):
    pass


class EndpointError(QueryError):
    """A remote endpoint refused, failed or did not answer; names the endpoint, the HTTP status and its message."""


@dataclass(frozen=True)
class Param:
    """A declared parameter: ``# param: name = default (kind) description``.

    ``default`` is None for a required parameter and ``"*"`` for one that is unconstrained unless given. ``kind`` is
    ``literal`` (a plain string), ``iri``, or a datatype (``integer``, ``xsd:gYear``, ``<http://...>``).
    """

    name: str
    default: str | None = None
    kind: str = "literal"
    description: str = ""

    @property
    def datatype(self) -> str | None:
        """The datatype IRI of a typed-literal parameter (None for ``literal`` and ``iri``)."""
        kind = self.kind
        if kind in ("literal", "iri"):
            return None
        if kind.startswith("<") and kind.endswith(">"):
            return kind[1:-1]
        local = kind.removeprefix("xsd:")
        return str(XSD[local])

    def term(self, value: str) -> str:
        """The value as an RDF term in SPARQL syntax, serialised by pyoxigraph so quotes, backslashes and newlines
        are escaped and an IRI is checked; a lexical form that the datatype rejects is refused here."""
        try:
            if self.kind == "iri":
                return str(ox.NamedNode(value.strip().removeprefix("<").removesuffix(">")))
            datatype = self.datatype
            if datatype is None:
                return str(ox.Literal(value))
            local = datatype.removeprefix(str(XSD))
            check = _LEXICAL.get(local)
            if check is not None and not check.match(value.strip()):
                raise ValueError(f"not an xsd:{local}")
            return str(ox.Literal(value.strip(), datatype=ox.NamedNode(datatype)))
        except ValueError as exc:
            raise ParameterError(f"parameter {self.name}: {value!r} is not a valid {self.kind} ({exc})") from exc

    def usage(self) -> str:
        default = "required" if self.default is None else ("any" if self.default == ANY else self.default)
        return f"{self.name} = {default} ({self.kind})"


@dataclass(frozen=True)
class QueryInfo:
    """A query and what its header says of it. ``returns`` is "rows", "graph" or "boolean"."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    columns: tuple[str, ...] = ()
    returns: str = "rows"
    path: Path | None = None

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def slots(self) -> list[str]:
        """Names of the ``VALUES $name { ... }`` blocks in the query body, in order of appearance."""
        masked = _mask(self.text)
        return [m.group(1) for m in _SLOT.finditer(masked)]


def _mask(text: str) -> str:
    """The text with strings, IRIs and comments blanked out (same length, so offsets still match)."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), text)


def query_form(text: str) -> str:
    """``rows`` for SELECT, ``graph`` for CONSTRUCT/DESCRIBE, ``boolean`` for ASK (first keyword after prologue)."""
    m = _FORM.search(_mask(text))
    if m is None:
        raise QuerySyntaxError("not a SPARQL query: no SELECT, CONSTRUCT, DESCRIBE or ASK")
    return {"SELECT": "rows", "ASK": "boolean"}.get(m.group(1).upper(), "graph")


def parse_header(text: str) -> dict[str, list[str]]:
    """The leading ``# key: value`` comments; an indented ``#   more`` line continues the previous value."""
    fields: dict[str, list[str]] = {}
    last: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        cont = _CONTINUATION.match(stripped)
        head = _HEADER.match(stripped)
        if cont and last is not None and not head:
            last[-1] = f"{last[-1]} {cont.group(1).strip()}"
        elif head:
            last = fields.setdefault(head.group(1).lower(), [])
            last.append(head.group(2).strip())
        else:
            last = None
    return fields


def parse_param(spec: str) -> Param:
    """``pmid = 33783695 (literal) PubMed ID`` -> Param; see :class:`Param`."""
    m = _PARAM.match(spec.strip())
    if m is None:
        raise QueryError(f"bad param declaration {spec!r}; expected 'name = default (kind) description'")
    default = m.group("default")
    kind = (m.group("kind") or "literal").strip()
    if kind not in ("literal", "iri") and not kind.startswith(("xsd:", "<")) and kind not in _XSD_KINDS:
        raise QueryError(f"param {m.group('name')}: unknown kind {kind!r} (literal, iri, integer, xsd:..., <iri>)")
    if default is not None and kind == "iri":
        default = default.strip().removeprefix("<").removesuffix(">")
    return Param(m.group("name"), default if default else None, kind, (m.group("doc") or "").strip())


def parse_query(text: str, name: str = "-", path: Path | None = None) -> QueryInfo:
    """Read a query's header; a query without one is still runnable (no parameters, columns as the engine says)."""
    fields = parse_header(text)
    returns = fields.get("returns", [""])[0].strip().lower()
    return QueryInfo(
        name=name,
        text=text,
        title=fields.get("title", [""])[0],
        description=" ".join(fields.get("description", [])),
        params=tuple(parse_param(p) for p in fields.get("param", [])),
        columns=tuple(c.strip() for c in ",".join(fields.get("columns", [])).split(",") if c.strip()),
        returns="graph" if returns == "graph" else query_form(text),
        path=path,
    )


def library_paths() -> list[Path]:
    return sorted(queries_dir().glob("*.rq"))


def list_queries() -> list[QueryInfo]:
    """Every query of the library (queries/*.rq, shipped as package data), by name."""
    return [parse_query(p.read_text(encoding="utf-8"), p.stem, p) for p in library_paths()]


def load_query(ref: str | Path) -> QueryInfo:
    """A library name (``article-card``), a path to a .rq file, or ``-`` for standard input."""
    if str(ref) == "-":
        return parse_query(sys.stdin.read(), "-")
    path = Path(ref)
    if path.is_file():
        return parse_query(path.read_text(encoding="utf-8"), path.stem, path)
    named = queries_dir() / f"{str(ref).removesuffix('.rq')}.rq"
    if "/" not in str(ref) and named.is_file():
        return parse_query(named.read_text(encoding="utf-8"), named.stem, named)
    known = ", ".join(p.stem for p in library_paths())
    raise QueryError(f"no query named or at {str(ref)!r}; the library has: {known}")


ParamValues = Mapping[str, str | Sequence[str]]


def bind(query: QueryInfo | str, params: ParamValues | None = None) -> str:
    """The query text with each ``VALUES $name { ... }`` slot holding its parameter's value(s) as typed RDF terms.

    A parameter given several values (a list) gets one row per value. ``*`` (the declared default or a given value)
    leaves it unconstrained (UNDEF). Unknown and missing parameters are errors that name them.
    """
    info = parse_query(query) if isinstance(query, str) else query
    given = dict(params or {})
    declared = {p.name for p in info.params}
    unknown = sorted(set(given) - declared)
    if unknown:
        takes = ", ".join(p.name for p in info.params) or "no parameters"
        raise ParameterError(f"unknown parameter {', '.join(unknown)} for query {info.name} (it takes {takes})")
    slots = set(info.slots)
    values: dict[str, str] = {}
    for p in info.params:
        if p.name not in slots:
            raise QueryError(f"query {info.name}: param {p.name} is declared but has no 'VALUES ${p.name} {{ UNDEF }}'")
        raw = given.get(p.name, p.default)
        if raw is None:
            raise ParameterError(f"missing parameter {p.name} for query {info.name}: pass --param {p.name}=VALUE"
                                 + (f" ({p.description})" if p.description else ""))
        items = [raw] if isinstance(raw, str) else list(raw)
        if not items:
            raise ParameterError(f"parameter {p.name} of query {info.name}: no value given")
        values[p.name] = "UNDEF" if ANY in items else " ".join(p.term(v) for v in items)
    undeclared = sorted(slots - declared)
    if undeclared:
        raise QueryError(f"query {info.name}: VALUES ${', $'.join(undeclared)} not declared as '# param:'")
    text, masked, out, pos = info.text, _mask(info.text), [], 0
    for m in _SLOT.finditer(masked):
        out += [text[pos:m.start()], f"VALUES ${m.group(1)} {{ {values[m.group(1)]} }}"]
        pos = m.end()
    return "".join(out) + text[pos:]


# --- terms --------------------------------------------------------------------------------------------------------

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


# --- results ------------------------------------------------------------------------------------------------------

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
    from rdfgen.store import to_oxigraph

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


# --- backends -----------------------------------------------------------------------------------------------------

def _with_timeout(fn: Callable[[], T], timeout: float | None) -> T:
    """Run ``fn`` but stop waiting after ``timeout`` seconds. An embedded engine cannot be interrupted, so the work
    goes on in a daemon thread; the caller (a CLI process about to exit) gets its error on time."""
    if not timeout:
        return fn()
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise QueryError(f"query did not finish within {timeout:g} s (--timeout)")
    if "error" in box:
        raise box["error"]
    return box["value"]


def _run_oxigraph(store: ox.Store, text: str) -> Result:
    try:
        answer = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"malformed query: {exc}") from exc
    if isinstance(answer, ox.QuerySolutions):
        columns = [v.value for v in answer.variables]
        rows = [tuple(from_oxigraph(sol[c]) for c in columns) for sol in answer]
        return Result("rows", columns, rows)
    if isinstance(answer, ox.QueryBoolean):
        return Result("boolean", boolean=bool(answer))
    triples = [(from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)) for t in answer]
    return Result("graph", triples=triples)  # type: ignore[arg-type]


def _run_rdflib(graph: Graph, text: str) -> Result:
    try:
        answer = graph.query(text)
    except Exception as exc:  # pyparsing's ParseException carries line and column
        if type(exc).__name__ == "ParseException":
            raise QuerySyntaxError(f"malformed query: {exc}") from exc
        raise
    if answer.type == "SELECT":
        columns = [str(v) for v in answer.vars or []]
        rows = [tuple(_plain(t) for t in row) for row in answer]
        return Result("rows", columns, rows)  # type: ignore[arg-type]
    if answer.type == "ASK":
        return Result("boolean", boolean=bool(answer.askAnswer))
    return Result("graph", triples=[tuple(_plain(t) for t in tr) for tr in answer])  # type: ignore[misc]


def _http_error(endpoint: str, status: int | str, body: bytes | str | None) -> EndpointError:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
    lines = [ln for ln in text.strip().splitlines() if ln.strip()][:5]
    detail = ("\n  " + "\n  ".join(lines)) if lines else ""
    return EndpointError(f"{endpoint}: HTTP {status}{detail}")


def _run_endpoint(endpoint: str, text: str, form: str, timeout: float | None,
                  auth: tuple[str, str] | None) -> Result:
    import socket

    from SPARQLWrapper import JSON, POST, POSTDIRECTLY, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(endpoint, agent="rdfgen (https://w3id.org/rdfgen)")
    client.setQuery(text)
    keyword = _FORM.search(_mask(text))
    # SPARQLWrapper guesses the query type by regex and takes a commented header for an update; we know better.
    client.queryType = keyword.group(1).upper() if keyword else "SELECT"
    client.setMethod(POST)
    client.setRequestMethod(POSTDIRECTLY)  # the query as an application/sparql-query body
    client.setReturnFormat(TURTLE if form == "graph" else JSON)
    if timeout:
        client.setTimeout(int(max(1, round(timeout))))
    if auth is not None:
        client.setCredentials(*auth)
    try:
        response = client.query()
        body = response.response.read()
    except SPARQLWrapperException as exc:
        cause = exc.__context__
        status = cause.code if isinstance(cause, urllib.error.HTTPError) else type(exc).__name__
        message = str(exc).split("\n\nResponse:\n", 1)
        raw = ast.literal_eval(message[1]) if len(message) == 2 else None
        raise _http_error(endpoint, status, raw) from exc
    except urllib.error.HTTPError as exc:
        raise _http_error(endpoint, exc.code, exc.read()) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            raise EndpointError(f"{endpoint}: no answer within {timeout:g} s (--timeout)") from exc
        raise EndpointError(f"{endpoint}: cannot connect: {exc.reason}") from exc
    except TimeoutError as exc:
        raise EndpointError(f"{endpoint}: no answer within {timeout:g} s (--timeout)") from exc
    if form == "graph":
        g = Graph().parse(data=body, format="turtle")
        return Result("graph", triples=[tuple(_plain(t) for t in tr) for tr in g])  # type: ignore[misc]
    doc = json.loads(body)
    if "boolean" in doc:
        return Result("boolean", boolean=bool(doc["boolean"]))
    columns = list(doc["head"]["vars"])
    rows = [tuple(_from_json(b[c]) if c in b else None for c in columns) for b in doc["results"]["bindings"]]
    return Result("rows", columns, rows)


def check_syntax(text: str) -> None:
    """Parse locally before a query leaves for an endpoint, so a typo is reported with its line by the same parser
    as for local data. pyoxigraph parses eagerly but evaluates lazily, so an empty store does no work here."""
    try:
        ox.Store().query(text)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"malformed query: {exc}") from exc


DataSource = Path | str | Iterable[Path | str] | ox.Store | Graph


def open_data(data: DataSource) -> ox.Store | Graph:
    """A store or graph to query: pyoxigraph or rdflib objects pass through; paths (a build folder, dump or record
    files) load into an in-memory pyoxigraph store."""
    if isinstance(data, ox.Store | Graph):
        return data
    from rdfgen.store import load

    paths = [data] if isinstance(data, str | Path) else list(data)
    return load(paths)[0]


def run(query: QueryInfo | str, params: ParamValues | None = None, *, data: DataSource | None = None,
        store: ox.Store | Path | str | None = None, endpoint: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT, auth: tuple[str, str] | None = None) -> Result:
    """Bind and run a library query (name, path or QueryInfo) or a query text on exactly one backend.

    ``data``: a build folder or RDF files (in-memory pyoxigraph), or a ready pyoxigraph Store or rdflib
    Graph/Dataset; ``store``: a persistent pyoxigraph store (path or Store); ``endpoint``: a SPARQL 1.1 protocol URL.
    """
    if sum(x is not None for x in (data, store, endpoint)) != 1:
        raise QueryError("give exactly one of data, store or endpoint")
    if isinstance(query, QueryInfo):
        info = query
    elif "{" in query:
        info = parse_query(query)
    else:
        info = load_query(query)
    text = bind(info, params)
    if endpoint is not None:
        check_syntax(text)
        return _run_endpoint(endpoint, text, info.returns, timeout, auth)
    if store is not None:
        from rdfgen.store import open_store

        target: ox.Store | Graph = store if isinstance(store, ox.Store) else open_store(store, read_only=True)
    else:
        assert data is not None
        target = open_data(data)
    if isinstance(target, Graph):
        if isinstance(target, Dataset):
            target.default_union = True
        return _with_timeout(lambda: _run_rdflib(target, text), timeout)
    return _with_timeout(lambda: _run_oxigraph(target, text), timeout)
