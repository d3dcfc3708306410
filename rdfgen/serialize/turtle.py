"""Pretty Turtle: prefixes, subjects grouped, byte-stable for the same graph.

``turtle_text(triples)`` writes it straight from N-Triples term strings, as the mapping emits them, without building
a Graph (rdflib's writer, ~100 ms a record, stays in tests/reference_writers.py as the tests' oracle):
N-Triples terms are already valid Turtle terms, so the work left is grouping, sorting, prefixed names and inline
rdf:List collections (~0.5 ms a record). The grouping and list detection here are shared with the JSON-LD writer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from rdfgen.vocab import PREFIXES

_T = TypeVar("_T")

StrTriple = tuple[str, str, str]
"""One triple of N-Triples term strings: ``<iri>``, ``_:label``, ``"lexical"``, ``"lexical"@lang``,
``"lexical"^^<datatype>``."""

Objects = str | dict[str, None]
"""The objects of one subject and predicate: the one object (most predicates of a subject have one: no container to
build), or several as the keys of a dict, in the order first seen (so a writer that does not sort them is still
deterministic)."""

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = f"<{RDF_NS}type>"
RDF_FIRST = f"<{RDF_NS}first>"
RDF_REST = f"<{RDF_NS}rest>"
RDF_NIL = f"<{RDF_NS}nil>"


# --- shared by turtle_text and jsonld_text ------------------------------------------------------------------------


class Grouped:
    """Triples grouped by subject and predicate, de-duplicated (a graph holds a triple once), with their inline
    rdf:List collections worked out: what the writers of a record's documents start from. Build it once with
    :func:`group_triples` and hand it to :func:`turtle_text`, ``jsonld_text``, ``ntriples`` and ``embed_object``
    when writing several documents of a record; each also takes plain triples. Iterating gives the distinct triples
    back.

    ``index`` maps subject -> predicate -> :data:`Objects`; subjects and predicates in the order first seen.
    """

    __slots__ = ("index", "refs", "_heads", "_order")

    def __init__(self, triples: Iterable[StrTriple]) -> None:
        grouped = _group(triples) if _group is not None else None  # the C twin takes a list of str triples
        self.index, self.refs = grouped if grouped is not None else group_py(triples)
        self._heads: dict[bool, tuple[dict[str, list[str]], set[str]]] = {}
        self._order: list[tuple[str, dict[str, Objects], tuple[str, ...]]] | None = None

    def __iter__(self) -> Iterator[StrTriple]:
        for s, preds in self.index.items():
            for p, objs in preds.items():
                if type(objs) is str:
                    yield s, p, objs
                else:
                    for o in objs:
                        yield s, p, o

    def order(self) -> list[tuple[str, dict[str, Objects], tuple[str, ...]]]:
        """(subject, its predicates, those sorted) for every subject, sorted: sorted once for the N-Triples and the
        Turtle writer. Sorting terms gives the order of sorted N-Triples lines: where a term is a proper prefix of
        another in the same place (``_:b1``, ``_:b10``; ``"x"``, ``"x"@en``), the longer one goes on with a
        character above the space that follows the shorter one in its line."""
        if self._order is None:
            index, known = self.index, _SORTED_KEYS
            if len(known) > _CACHE_LIMIT:
                known.clear()
            self._order = [(s, preds, known.get(keys) or known.setdefault(keys, tuple(sorted(keys))))
                           for s in sorted(index) for preds in (index[s],) for keys in (tuple(preds),)]
        return self._order

    def lists(self, nested: bool = True) -> tuple[dict[str, list[str]], set[str]]:
        """(collection head -> its items in order, every cell of those collections): see :func:`list_heads`."""
        found = self._heads.get(nested)
        if found is None:
            heads = list_heads(self, nested)
            found = self._heads[nested] = (heads, _list_cells(heads, self.index) if heads else set())
        return found


def group_py(triples: Iterable[StrTriple]) -> tuple[dict[str, dict[str, Objects]], dict[str, int]]:
    """Grouped's index (subject -> predicate -> object, or ``{object: None, ...}`` for several, in first-seen order,
    repeats dropped) and, for each blank node, how many distinct statements have it as object. The Python twin of
    ``rdfgen._native.group`` (tests/test_fast_writers.py proves them alike), which takes a list of str triples and
    leaves anything else to this one."""
    index: dict[str, dict[str, Objects]] = {}
    refs: dict[str, int] = {}  # blank node -> how many distinct triples have it as object
    last = None
    preds: dict[str, Objects] = {}
    for s, p, o in triples:
        if s != last:  # the mapping emits a subject's triples together: one look-up per run
            last = s
            found = index.get(s)
            if found is None:
                found = index[s] = {}
            preds = found
        objs = preds.get(p)
        if objs is None:
            preds[p] = o
        elif type(objs) is str:
            if objs == o:
                continue
            preds[p] = {objs: None, o: None}
        elif o in objs:
            continue
        else:
            objs[o] = None
        if o[0] == "_":
            refs[o] = refs.get(o, 0) + 1
    return index, refs


try:
    from rdfgen._native import group as _group
except ImportError:  # built without a C compiler: the Python twin serves
    _group = None


_SORTED_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}
"""A subject's predicates as the mapping emits them -> sorted: subjects of a kind (MeSH terms, references, authors)
come with the same predicates in the same order, so a record's hundred-odd sorts are mostly look-ups."""


def group_triples(triples: Iterable[StrTriple]) -> Grouped:
    """The triples grouped once for all writers (a no-op on a Grouped)."""
    return triples if isinstance(triples, Grouped) else Grouped(triples)


def list_heads(grouped: Grouped, nested: bool = True) -> dict[str, list[str]]:
    """The blank nodes that can be written as an inline collection, each with its items in order.

    A cell qualifies when it is a blank node with exactly one rdf:first, one rdf:rest and nothing else, is the object
    of exactly one triple, and its rest chain ends in rdf:nil through such cells only (no cycle, no shared tail). A
    collection is written at its single use, so it must be reachable from a subject that is written on its own;
    collections nested in collections count (``nested=False`` refuses them: the JSON-LD writer keeps a list that is
    an item of a list as plain nodes, which every JSON-LD 1.0 reader understands). Everything else, however odd,
    stays plain ``_:label`` triples: the writers never lose a triple to this optimisation.
    """
    index, refs = grouped.index, grouped.refs
    cells: dict[str, tuple[str, str]] = {}
    for b, n in refs.items():
        preds = index.get(b)
        if n != 1 or preds is None or len(preds) != 2:
            continue
        first, rest = preds.get(RDF_FIRST), preds.get(RDF_REST)
        if type(first) is str and type(rest) is str:
            cells[b] = (first, rest)
    if not cells:
        return {}
    tails = {rest for _, rest in cells.values() if rest in cells}
    heads: dict[str, list[str]] = {}
    members: dict[str, list[str]] = {}
    for head in cells:
        if head in tails:
            continue
        items: list[str] = []
        chain: list[str] = []
        seen: set[str] = set()
        cell = head
        while cell in cells and cell not in seen:
            chain.append(cell)
            seen.add(cell)
            first, cell = cells[cell]
            items.append(first)
        if cell == RDF_NIL:
            heads[head] = items
            members[head] = chain
    if not nested:
        for items in list(heads.values()):
            for item in items:
                heads.pop(item, None)
    # Only what a plain subject reaches is written inline. Without nesting every collection is: its one use is a
    # triple of a subject that is not a cell of an inline collection. With nesting, a collection reached only from a
    # collection that is not reached itself (a cycle through rdf:first) is demoted to plain cells, one at a time,
    # until everything left is reached.
    while heads and any(item in heads for items in heads.values() for item in items):
        consumed = {cell for head in heads for cell in members[head]}
        reached: set[str] = set()
        todo = [o for s, p, o in grouped if s not in consumed and o in heads]
        while todo:
            head = todo.pop()
            if head not in reached:
                reached.add(head)
                todo.extend(item for item in heads[head] if item in heads)
        if len(reached) == len(heads):
            break
        del heads[min(h for h in heads if h not in reached)]
    return heads


def _list_cells(heads: Mapping[str, list[str]], index: Mapping[str, Mapping[str, Objects]]) -> set[str]:
    """Every cell of the inline collections: subjects the writers do not print as nodes of their own."""
    cells: set[str] = set()
    for head in heads:
        cell = head
        while cell != RDF_NIL:
            cells.add(cell)
            cell = index[cell][RDF_REST]  # type: ignore[assignment]  # a cell's one rest: a str
    return cells


# --- turtle_text --------------------------------------------------------------------------------------------------

_PN_PREFIX = re.compile(r"(?:[A-Za-z](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?")
"""Prefix names we declare: PN_PREFIX restricted to ASCII (or the empty prefix ``:``)."""

_PN_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?")
"""Local names we write: the ASCII part of Turtle 1.1's PN_LOCAL (leading digits allowed, no trailing dot), or empty
(``mesh:``, the namespace itself). Anything else (``%``, ``/``, ``:``, escapes, non-ASCII) keeps its ``<...>``
form: always valid, and parsers disagree on the rarer corners of PN_LOCAL."""

_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
"""Characters an IRIREF cannot hold unescaped: a namespace with one is not declared."""

_CACHE_LIMIT = 1 << 16


class _Prefixer:
    """IRI term -> prefixed name for one prefix mapping, with a cache: predicates, classes, datatypes and MeSH IRIs
    recur in every record. Longest namespace wins (``meshv:`` over ``mesh:``)."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.by_ns: dict[str, str] = {}  # namespaces ending in '/' or '#': found by splitting the IRI there
        self.others: list[tuple[str, str]] = []  # any other namespace: tried one by one (longest first)
        for prefix, ns in sorted(prefixes.items(), key=lambda kv: (kv[0] == "", kv[0])):
            ns = str(ns)
            if (not ns or not _PN_PREFIX.fullmatch(prefix) or _IRI_BAD.search(ns) or ns in self.by_ns
                    or any(ns == n for n, _ in self.others)):
                continue  # an undeclarable prefix or namespace, or a second prefix for a namespace: first by name wins
            if ns[-1] in "/#":
                self.by_ns[ns] = prefix
            else:
                self.others.append((ns, prefix))
        self.others.sort(key=lambda np: -len(np[0]))
        self.namespaces = {prefix: ns for ns, prefix in [*self.by_ns.items(), *self.others]}
        self.lead = min(map(len, self.namespaces.values()), default=0)
        self.leads = frozenset(ns[:self.lead] for ns in self.namespaces.values())
        """The first characters every namespace has: an IRI that starts otherwise (a record's own nodes, most of its
        IRIs) has no prefixed name, found with one look-up and not cached (they would crowd out what recurs)."""
        self.cache: dict[str, tuple[str, str | None]] = {}

    def __call__(self, term: str) -> tuple[str, str | None]:
        """``<iri>`` -> (its Turtle form, the prefix it uses or None)."""
        return self.cache.get(term) or self._name(term)

    def render(self, term: str) -> tuple[str, str | None]:
        """Any IRI or literal term not in the cache -> (its Turtle text, the prefix it uses or None): an IRI's prefixed
        name, a typed literal with its datatype shortened; any other literal is its own Turtle. What recurs is
        cached (classes, MeSH IRIs, typed values such as years), not plain or language literals, which hardly do."""
        if term[0] == "<":
            return self._name(term)
        if term[-1] != ">":
            return term, None
        q = term.rfind('"')
        if not term.startswith("^^<", q + 1):
            return term, None
        dt, prefix = self(term[q + 3:])
        return self._keep(term, (term[:q + 3] + dt, prefix) if prefix is not None else (term, None))

    def _name(self, term: str) -> tuple[str, str | None]:
        if term[1:self.lead + 1] not in self.leads:
            return term, None
        iri = term[1:-1]
        best: tuple[str, str | None] = (term, None)
        if "\\" not in iri:  # UCHAR escapes: keep the IRIREF form
            cut = max(iri.rfind("/"), iri.rfind("#")) + 1
            if cut:
                prefix = self.by_ns.get(iri[:cut])
                if prefix is not None and _PN_LOCAL.fullmatch(iri, cut):
                    best = (f"{prefix}:{iri[cut:]}", prefix)
            for ns, prefix in self.others:
                if len(ns) > cut and iri.startswith(ns) and _PN_LOCAL.fullmatch(iri, len(ns)):
                    best = (f"{prefix}:{iri[len(ns):]}", prefix)
                    break
        return self._keep(term, best)

    def _keep(self, term: str, found: tuple[str, str | None]) -> tuple[str, str | None]:
        if len(self.cache) >= _CACHE_LIMIT:
            self.cache.clear()
        self.cache[term] = found
        return found


_PREFIXERS: dict[tuple[tuple[str, str], ...], _Prefixer] = {}


def per_mapping(cache: dict[tuple[tuple[str, str], ...], _T], mapping: Mapping[str, Any],
                make: Callable[[dict[str, str]], _T]) -> _T:
    """One object per distinct prefix mapping or context (the default one, in practice), made once and kept in
    ``cache`` (a handful at most)."""
    key = tuple(sorted((k, str(v)) for k, v in mapping.items()))
    found = cache.get(key)
    if found is None:
        if len(cache) > 16:
            cache.clear()
        found = cache[key] = make(dict(key))
    return found


def _prefixer(prefixes: Mapping[str, str]) -> _Prefixer:
    return per_mapping(_PREFIXERS, prefixes, _Prefixer)


def prefix_block(prefixes: Mapping[str, str] = PREFIXES) -> str:
    """Every prefix, for a Turtle file assembled from documents that each declare only the prefixes they use."""
    return "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(prefixes.items())) + "\n"


def turtle_text(triples: Iterable[StrTriple], prefixes: Mapping[str, str] = PREFIXES) -> str:
    """Pretty, byte-stable Turtle from N-Triples term strings, without rdflib.

    ``@prefix`` lines for the prefixes used (sorted by name), then one block per subject (sorted by N-Triples term;
    inline collection cells are not subjects of their own), ``a`` first and the other predicates sorted by IRI (as
    rdflib does), objects sorted by their Turtle text and joined with ``,``. IRIs become prefixed names when the local
    part is a plain PN_LOCAL; literals keep their N-Triples form (which is valid Turtle) with the datatype IRI
    shortened the same way; rdf:List cells are written ``( a b c )`` at their single use. Same set of triples, same
    bytes, whatever the order (or repetition) of the input.
    """
    grouped = group_triples(triples)
    heads, cells = grouped.lists() if grouped.refs else ({}, set())
    pname = _prefixer(prefixes)
    known, render = pname.cache, pname.render
    used: set[str] = set()
    memo: dict[str, str] = {}  # this document's IRIs and typed literals, each of whose prefix is in `used`
    verbs: dict[str, str] = {RDF_TYPE: "a "}  # predicates and the space after them: rdf:type is `a` only there

    def verb(p: str) -> str:
        text, prefix = known.get(p) or render(p)
        if prefix is not None:
            used.add(prefix)
        text = verbs[p] = text + " "
        return text

    def term(t: str) -> str:
        """A term's Turtle text (memo misses only: the loop below looks in ``memo`` first)."""
        if t[0] == "_":
            items = heads.get(t)
            text = t if items is None else "( " + " ".join([memo.get(i) or term(i) for i in items]) + " )"
        else:
            text, prefix = known.get(t) or render(t)
            if prefix is not None:
                used.add(prefix)
        memo[t] = text
        return text

    body = _turtle_body(grouped.order(), cells, RDF_TYPE, verbs, verb, memo, term)
    namespaces = pname.namespaces
    head = "".join([f"@prefix {prefix}: <{namespaces[prefix]}> .\n" for prefix in sorted(used)])
    if head and body:
        head += "\n"
    return head + body


def turtle_body_py(order: list[tuple[str, dict[str, Objects], tuple[str, ...]]], cells: Container[str], rdf_type: str,
                   verbs: dict[str, str], verb: Callable[[str], str], memo: dict[str, str],
                   term: Callable[[str], str]) -> str:
    """The subject blocks of a Turtle document, joined by blank lines: each subject of ``order`` but the inline
    collections' ``cells``, ``a`` first, then its predicates in order, ``;`` between them and ``,`` between a
    predicate's objects (sorted by their text). A plain literal is its own text; other terms' texts come from
    ``memo``, else ``term`` (which keeps them there); verbs from ``verbs``, else ``verb``. ``rdfgen._native.
    turtle_body`` is its twin, which joins the pieces once (tests/test_fast_writers.py proves them alike)."""
    blocks = []
    for s, preds, ps in order:
        if s in cells:
            continue
        if rdf_type in preds:
            at = ps.index(rdf_type)
            ps = (rdf_type, *ps[:at], *ps[at + 1:])
        lines = [(verbs.get(p) or verb(p)) + (
            (objs if objs[-1] == '"' else memo.get(objs) or term(objs)) if type(objs) is str
            else ",\n        ".join(sorted([o if o[-1] == '"' else memo.get(o) or term(o) for o in objs])))
            for p in ps for objs in (preds[p],)]
        blocks.append((memo.get(s) or term(s)) + " " + " ;\n    ".join(lines) + " .\n")
    return "\n".join(blocks)


try:
    from rdfgen._native import turtle_body as _native_turtle_body
except ImportError:  # built without a C compiler: the Python twin serves
    _native_turtle_body = None
_turtle_body = _native_turtle_body if _native_turtle_body is not None else turtle_body_py
