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

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib.term import Node

from rdfgen.errors import RdfgenError
from rdfgen.resources import queries_dir
from rdfgen.vocab import XSD

T = TypeVar("T")


Term = Node


ROW_FORMATS = ("table", "csv", "tsv", "json", "xml")


DEFAULT_TIMEOUT = 60.0


_HEADER = re.compile(r"^#\s?(\w+):\s*(.*)$")


_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")


_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*(?:=\s*(?P<default>.*?))?\s*(?:\((?P<kind>[^()]+)\)\s*(?P<doc>.*))?$")


# Strings, IRIs and comments, so that a VALUES slot or a keyword is only found in the query's own syntax.
_OPAQUE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                     r'|<[^<>"{}|^`\\\s]*>|#[^\n]*')


_SLOT = re.compile(r"VALUES\s+\$(\w+)\s*\{[^{}]*\}", re.IGNORECASE)


# The solution modifier a ``limit`` parameter binds: every LIMIT clause of a query that declares one.
_LIMIT = re.compile(r"\bLIMIT\s+\d+", re.IGNORECASE)


LIMIT = "limit"
"""The parameter that caps a query's rows: declared as ``# param: limit = 100 (integer) ...``, its value replaces
the number of each ``LIMIT n`` clause (SPARQL takes no variable there), and ``*`` removes them, every row. A
``VALUES $limit { UNDEF }`` slot, where a query has one, gets the same value, so that a fast form can tell whether
its precomputed rows cover the request."""


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
    ``literal`` (a plain string), ``lowercase`` (a plain string folded to lower case: a value the query compares
    without regard to case, such as a DOI, so that a fast form can look it up as it is), ``iri``, or a datatype
    (``integer``, ``xsd:gYear``, ``<http://...>``).
    """

    name: str
    default: str | None = None
    kind: str = "literal"
    description: str = ""

    @property
    def datatype(self) -> str | None:
        """The datatype IRI of a typed-literal parameter (None for ``literal`` and ``iri``)."""
        kind = self.kind
        if kind in ("literal", "lowercase", "iri"):
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
                return str(ox.Literal(value.lower() if self.kind == "lowercase" else value))
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
        names = [m.group(1) for m in _SLOT.finditer(masked)]
        if self.param(LIMIT) is not None and _LIMIT.search(masked):
            names.append(LIMIT)
        return names


def _mask(text: str) -> str:
    """The text with strings, IRIs and comments blanked out (same length, so offsets still match)."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), text)


_PROLOGUE = re.compile(r"^\s*(?:(?:BASE|PREFIX\s+[^\s:]*:)\s*)*", re.IGNORECASE)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_UPDATE = re.compile(r"^(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
# FROM as a keyword (not ?from, ex:from or from:x); its IRI is blanked by _mask, so only the keyword is looked for.
_OWN_DATASET = re.compile(r"(?<![?$\w:.-])FROM\s", re.IGNORECASE)


def is_update(text: str) -> bool:
    """An update (INSERT, DELETE, LOAD, DROP...) sent as a query: refused without being parsed or run."""
    masked = _mask(text)
    return bool(_UPDATE.match(masked[_PROLOGUE.match(masked).end():]))  # type: ignore[union-attr]


def uses_service(text: str) -> bool:
    """A federated query: the embedded engine would fetch the SERVICE IRI, so a query could make the server (or
    the CLI) call anywhere."""
    return bool(_SERVICE.search(_mask(text)))


def names_dataset(text: str) -> bool:
    """Whether the query gives its own dataset (FROM or FROM NAMED), which then replaces the default union."""
    return bool(_OWN_DATASET.search(_mask(text)))


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
    if kind not in ("literal", "lowercase", "iri") and not kind.startswith(("xsd:", "<")) and kind not in _XSD_KINDS:
        raise QueryError(f"param {m.group('name')}: unknown kind {kind!r} "
                         f"(literal, lowercase, iri, integer, xsd:..., <iri>)")
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


def fast_form(info: QueryInfo) -> QueryInfo | None:
    """The library query's form that reads the statistics graph (``queries/statistics/{name}.rq``), with the plain
    form's header (parameters, columns), or None. Only a query of the library has one: a user's own file of the
    same name is run as written. The plain form stays the library's text, portable to any engine and endpoint; the
    fast form is for stores that hold the statistics (rdfgen.sparql.statistics), and returns the same rows."""
    if info.path is None or info.path.parent != queries_dir():
        return None
    fast = queries_dir() / "statistics" / info.path.name
    if not fast.is_file():
        return None
    return replace(info, text=fast.read_text(encoding="utf-8"), path=fast)


ParamValues = Mapping[str, str | Sequence[str]]


def bind(query: QueryInfo | str, params: ParamValues | None = None) -> str:
    """The query text with each ``VALUES $name { ... }`` slot holding its parameter's value(s) as typed RDF terms.

    A parameter given several values (a list) gets one row per value. ``*`` (the declared default or a given value)
    leaves it unconstrained (UNDEF). A ``limit`` parameter also sets every LIMIT clause (see :data:`LIMIT`).
    Unknown and missing parameters are errors that name them.
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
    cap: str | None = None  # what each LIMIT clause becomes, when a limit parameter binds them
    for p in info.params:
        if p.name not in slots:
            where = "LIMIT clause" if p.name == LIMIT else f"'VALUES ${p.name} {{ UNDEF }}'"
            raise QueryError(f"query {info.name}: param {p.name} is declared but has no {where}")
        raw = given.get(p.name, p.default)
        if raw is None:
            raise ParameterError(f"missing parameter {p.name} for query {info.name}: pass --param {p.name}=VALUE"
                                 + (f" ({p.description})" if p.description else ""))
        items = [raw] if isinstance(raw, str) else list(raw)
        if not items:
            raise ParameterError(f"parameter {p.name} of query {info.name}: no value given")
        if p.name == LIMIT:
            if len(items) != 1 or not re.fullmatch(r"\d+|\*", items[0].strip()):
                raise ParameterError(f"parameter {LIMIT} of query {info.name}: {raw!r} is not one number of rows "
                                     f"(or * for all of them)")
            cap = "" if items[0].strip() == ANY else f"LIMIT {int(items[0])}"
        values[p.name] = "UNDEF" if ANY in items else " ".join(p.term(v) for v in items)
    undeclared = sorted(slots - declared)
    if undeclared:
        raise QueryError(f"query {info.name}: VALUES ${', $'.join(undeclared)} not declared as '# param:'")
    text, masked, out, pos = info.text, _mask(info.text), [], 0
    slots_and_limits = sorted([*_SLOT.finditer(masked), *(_LIMIT.finditer(masked) if cap is not None else ())],
                              key=lambda m: m.start())
    for m in slots_and_limits:
        bound = f"VALUES ${m.group(1)} {{ {values[m.group(1)]} }}" if m.re is _SLOT else cap
        out += [text[pos:m.start()], bound]
        pos = m.end()
    return "".join(out) + text[pos:]

