"""rdfgen: publish PubMed records as linked data (schema.org + BIBO), as files, a SPARQL store and a web site.

The functions here are the Python API; the ``rdfgen`` command is a thin layer over them, so a call gives what the
command publishes (MeSH enrichment on, every record checked against ``ontology/shapes.ttl``)::

    import rdfgen

    record = next(rdfgen.read("pubmed25n0001.xml.gz"))       # a path, str/bytes content or a binary file object
    print(rdfgen.serialize([record], "turtle"))               # turtle, nt, nquads, jsonld, rdfxml, embed, html
    snippet = rdfgen.embed(record)                            # the schema.org object for <script type=ld+json>
    report = rdfgen.build(["pubmed25n0001.xml.gz"], "out/")   # what ``rdfgen build`` does
    report = rdfgen.fetch(["33783695"], "out/", references=True)  # what ``rdfgen fetch`` does (NCBI E-utilities)
    rows = rdfgen.query("article-card", {"pmid": "33783695"}, data="out/")
    print(rdfgen.cite(["33783695"], "bibtex", data="out/").text)  # csl, bibtex, ris, text or html

Everything is imported on first use, so ``import rdfgen`` costs next to nothing.
"""

from __future__ import annotations

import io
import os
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pathlib import Path

    from rdflib import Graph
    from rdflib.term import Node

    from rdfgen.errors import SourceError
    from rdfgen.mapping import Triple
    from rdfgen.model import Deletion, Record
    from rdfgen.publish.fetch import FetchReport
    from rdfgen.publish.records import BuildReport
    from rdfgen.publish.validate import Report
    from rdfgen.serialize.citation import Cited
    from rdfgen.sparql.results import Result

__version__ = "0.1.0"

__all__ = ["__version__", "build", "cite", "embed", "fetch", "graph", "query", "read", "serialize", "triples",
           "validate"]

DEFAULT_BASE = "http://localhost:8000/"
"""The base IRI everything is minted under unless told otherwise, so ``rdfgen serve`` dereferences what
``rdfgen build`` wrote (rdfgen.iris takes it from here)."""

Source = str | os.PathLike[str] | bytes | IO[bytes]
"""What :func:`read` takes: a path, the content itself (``str`` holding a document, or ``bytes``), or a binary file."""

OnError = Literal["raise", "skip"]


def read(source: Source, *, format: str | None = None, pmid: str | None = None,
         errors: OnError = "raise",
         on_error: Callable[[SourceError], None] | None = None) -> Iterator[Record | Deletion]:
    """Records (and an update file's deletions) from PubMed XML, MEDLINE text or a saved PubMed page, gzip or not.

    ``source`` is a path (``str`` or ``Path``), the document itself (``bytes``, or a ``str`` that holds a document
    rather than names a file), or a binary file object. The format is recognised by content, as by ``rdfgen build``;
    ``format`` ("pubmed-xml", "medline", "pubmed-page") forces one and ``pmid`` names a saved page that prints none.
    A record that cannot be read raises :class:`rdfgen.errors.SourceError` (file, PMID, field); with
    ``errors="skip"`` it is passed to ``on_error(exc)`` (when given) and the rest of the file is read::

        >>> import rdfgen
        >>> [r.pmid for r in rdfgen.read("tests/data/xml/biopython_pubmed1.xml")][:2]
        ['12091962', '9997']
    """
    from rdfgen.errors import SourceError

    for item in _read_items(source, format, pmid):
        if isinstance(item, SourceError):
            if errors == "raise":
                raise item
            if on_error is not None:
                on_error(item)
        else:
            yield item


def _read_items(source: Source, fmt: str | None, pmid: str | None) -> Iterator[Record | Deletion | SourceError]:
    """The sources' stream for a path; content and file objects go through the same readers as a stream."""
    from rdfgen.sources import read_input, read_stream

    if isinstance(source, os.PathLike) or (isinstance(source, str) and _names_a_file(source)):
        yield from read_input(os.fspath(source), fmt=fmt, pmid=pmid)
    elif isinstance(source, str | bytes):
        data = source.encode("utf-8") if isinstance(source, str) else source
        yield from read_stream(io.BytesIO(data), name="<bytes>", fmt=fmt, pmid=pmid)
    else:
        yield from read_stream(source, name=str(getattr(source, "name", "<stream>")), fmt=fmt, pmid=pmid)


def _names_a_file(text: str) -> bool:
    """A ``str`` names a file unless it looks like a document: several lines, markup, or too long for a path."""
    return text == "-" or ("\n" not in text and not text.lstrip().startswith("<") and len(text) < 4096)


def triples(record: Record, *, base: str = DEFAULT_BASE, mesh: bool = True,
            validate: bool = True) -> list[tuple[Node, Node, Node]]:
    """The record's triples as ``rdfgen build`` publishes them, as rdflib terms.

    ``mesh`` enriches with the bundled MeSH table (descriptor UIs, keyword links, the tree); ``validate`` checks the
    result against ``ontology/shapes.ttl`` and raises :class:`rdfgen.errors.ValidationError` with the report.
    """
    from rdfgen.serialize.graph import rdflib_term

    return [(rdflib_term(s), rdflib_term(p), rdflib_term(o)) for s, p, o in _published(record, base, mesh, validate)[1]]


def graph(record: Record, *, base: str = DEFAULT_BASE, mesh: bool = True, validate: bool = True) -> Graph:
    """The record's triples in an rdflib Graph with rdfgen's prefixes bound: ``rdfgen.graph(r).serialize()``."""
    from rdfgen.serialize.graph import to_graph

    return to_graph(_published(record, base, mesh, validate)[1])


def embed(record: Record, *, base: str = DEFAULT_BASE, mesh: bool = True, validate: bool = True) -> dict[str, Any]:
    """The embeddable schema.org object (``"@context": "https://schema.org"``), for a page's
    ``<script type="application/ld+json">``; ``json.dumps`` it, or take ``serialize([r], "embed")``."""
    from rdfgen.iris import Iris
    from rdfgen.serialize.embedding import embed_object

    published, found = _published(record, base, mesh, validate)
    return embed_object(found, str(Iris(base).article(published.pmid)), tuple(k.text for k in published.keywords))


def serialize(records: Iterable[Record], format: str, *, base: str = DEFAULT_BASE,
              mesh: bool = True, validate: bool = True) -> str:
    """Records in one document: any RDF format of the registry (``turtle``/``ttl``, ``ntriples``/``nt``,
    ``nquads``/``nq``, ``jsonld``, ``rdfxml``, ``trig``), ``embed`` (the schema.org object; a JSON array for several
    records) or ``html`` (the article page, one record). Quad formats put each record in its graph
    ``BASE pubmed/{pmid}#graph`` and shared statements (journals, MeSH terms, cited works) once in
    ``BASE shared#graph``, as the dumps do."""
    from rdfgen.errors import UnsupportedFormat

    name = format.lower()
    published = [_published(r, base, mesh, validate) for r in records]
    if name in ("embed", "embed.jsonld", "html"):
        return _embedding_documents(published, name, base)
    from rdfgen.serialize import formats

    fmt = formats.from_name(name)
    if fmt.quads:
        return _quads(published, fmt.name, base)
    from rdfgen.serialize.graph import to_graph
    from rdfgen.serialize.jsonld import jsonld_text
    from rdfgen.serialize.ntriples import ntriples
    from rdfgen.serialize.turtle import turtle_text

    every = [t for _r, found in published for t in found]
    if fmt.name == "ntriples":
        return ntriples(every)
    if fmt.name == "turtle":
        return turtle_text(every)
    if fmt.name == "jsonld":
        return jsonld_text(every)
    if fmt.name == "rdfxml":
        return to_graph(every).serialize(format="xml")
    raise UnsupportedFormat(f"cannot write {format!r}")  # pragma: no cover - every registry format is handled


def _embedding_documents(published: list[tuple[Record, list[Triple]]], name: str, base: str) -> str:
    import json

    from rdfgen.errors import RdfgenError
    from rdfgen.iris import Iris
    from rdfgen.serialize.embedding import embed_object, embed_text
    from rdfgen.serialize.html import article_page

    iris = Iris(base)
    objects = [(r, embed_object(found, str(iris.article(r.pmid)), tuple(k.text for k in r.keywords)))
               for r, found in published]
    if name == "html":
        if len(objects) != 1:
            raise RdfgenError(f"an HTML page is one record's; got {len(objects)} records")
        return article_page(objects[0][0], iris, objects[0][1])
    if len(objects) == 1:
        return embed_text(objects[0][1])
    return json.dumps([obj for _r, obj in objects], ensure_ascii=False, indent=2) + "\n"


def _quads(published: list[tuple[Record, list[Triple]]], fmt: str, base: str) -> str:
    from rdflib import Dataset

    from rdfgen.iris import Iris
    from rdfgen.publish.dumps import owns
    from rdfgen.serialize.graph import rdflib_term
    from rdfgen.serialize.ntriples import nt_term, ntriples

    iris = Iris(base)
    if fmt == "nquads":
        lines: set[str] = set()
        for r, found in published:
            own = [t for t in found if owns(iris, r.pmid, nt_term(t[0]))]
            shared = [t for t in found if not owns(iris, r.pmid, nt_term(t[0]))]
            lines.update(ntriples(own, iris.graph(r.pmid)).splitlines(keepends=True))
            lines.update(ntriples(shared, iris.shared_graph()).splitlines(keepends=True))
        return "".join(sorted(lines))
    ds = Dataset()
    for r, found in published:
        record_graph, shared_graph = ds.graph(iris.graph(r.pmid)), ds.graph(iris.shared_graph())
        for t in found:
            target = record_graph if owns(iris, r.pmid, nt_term(t[0])) else shared_graph
            target.add((rdflib_term(t[0]), rdflib_term(t[1]), rdflib_term(t[2])))
    return ds.serialize(format=fmt)


def _published(record: Record, base: str, mesh: bool, validate: bool) -> tuple[Record, list[Triple]]:
    """The record as the build publishes it (MeSH-enriched) and its triples, refused when it breaks the shapes."""
    from rdfgen.errors import ValidationError
    from rdfgen.iris import Iris
    from rdfgen.mesh import load_enricher
    from rdfgen.publish.records import map_record

    published, found = map_record(record, Iris(base), load_enricher() if mesh else None)
    if validate:
        from rdfgen.publish.shapes_check import compile_shapes

        report = compile_shapes().check(found)
        if not report.conforms:
            raise ValidationError(report.text(f"PMID {published.pmid}"))
    return published, found


def build(inputs: Iterable[str | os.PathLike[str]] = (), out: str | os.PathLike[str] = "out", *,
          base: str = DEFAULT_BASE, validate: bool = True, mesh: bool | str | os.PathLike[str] = True,
          documents: bool | None = True, format: str | None = None, pmid: str | None = None,
          jobs: int | None = 1, log: Any = None) -> BuildReport:
    """What ``rdfgen build`` does: publish the inputs (default: the bundled seed, PubMed 33783695) into ``out``.

    ``mesh`` is True (the bundled table), False, or the path of a MeSH release; ``documents=False`` writes the
    shards and dumps only (PubMed scale; None: only for small inputs); ``jobs`` worker processes take one input file
    each (None: every core). Returns the report: records read, published, skipped (with the errors), deleted.
    """
    from pathlib import Path

    from rdfgen.publish.build import BuildOptions, build_files
    from rdfgen.resources import seed_path

    paths = [os.fspath(p) for p in inputs] or [str(seed_path())]
    options = BuildOptions(base=base, validate=validate, mesh=None if isinstance(mesh, bool) else os.fspath(mesh),
                           no_mesh=mesh is False, fmt=format, pmid=pmid, documents=documents)
    return build_files(paths, Path(out), options, jobs=jobs, log=log or (lambda _m: None))


def fetch(pmids: Iterable[str] = (), out: str | os.PathLike[str] = "out", *, search: str | None = None,
          references: bool = False, cited_by: bool = False, depth: int = 1, refresh: bool = False,
          cache: str | os.PathLike[str] | None = None, eutils_url: str | None = None, email: str | None = None,
          api_key: str | None = None, tries: int = 5, timeout: float = 60.0, threads: int = 2,
          base: str = DEFAULT_BASE, validate: bool = True, documents: bool | None = None,
          log: Any = None) -> FetchReport:
    """What ``rdfgen fetch`` does: records from NCBI E-utilities (the PMIDs, a PubMed ``search``, and with
    ``references``/``cited_by`` what they cite and what cites them, ``depth`` steps out) published into ``out``.

    ``eutils_url`` (else ``NCBI_EUTILS_URL``, else NCBI's) names the server; ``email`` and ``api_key`` (else
    ``NCBI_EMAIL``, ``NCBI_API_KEY``) identify you as NCBI asks, and the key raises the rate limit from 3 to 10
    requests a second. Raw XML is kept per PMID in ``cache`` (default ``~/.cache/rdfgen/eutils``), so a rerun asks
    only for what is missing; ``refresh`` asks again. The report says what was fetched, what PubMed lacks
    (``.missing``, ``.not_found``) and what the build published (``.build``). A PMID that is not a number raises
    :class:`rdfgen.sources.eutils.InvalidPmidError` before any request; a batch the server keeps refusing raises
    :class:`~rdfgen.sources.eutils.RetriesExhaustedError`, and one it answers with broken XML
    :class:`~rdfgen.sources.eutils.MalformedAnswerError`, each naming the batch (``.batch``).
    """
    from rdfgen.publish.build import BuildOptions
    from rdfgen.publish.fetch import fetch as fetch_records
    from rdfgen.sources.eutils import EutilsClient, EutilsConfig

    config = EutilsConfig.from_env(eutils_url, email=email, api_key=api_key, tries=tries, timeout=timeout)
    return fetch_records(list(pmids), out, search=search, references=references, cited_by=cited_by, depth=depth,
                         refresh=refresh, cache=cache, client=EutilsClient(config),
                         options=BuildOptions(base=base, validate=validate, documents=documents), threads=threads,
                         log=log or (lambda _m: None))


def validate(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> dict[Path, Report]:
    """Check RDF files, or the RDF files in folders, against ``ontology/shapes.ttl``: a report per file
    (``report.conforms``, ``report.violations``, ``report.text()``)."""
    from pathlib import Path

    from rdfgen.publish.validate import rdf_files, validate_file

    given = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    return {path: validate_file(path) for path in rdf_files([Path(p) for p in given])}


def query(name_or_text: str, params: dict[str, str | list[str]] | None = None, *,
          data: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
          store: str | os.PathLike[str] | None = None, endpoint: str | None = None,
          timeout: float | None = 60.0) -> Result:
    """Run a library query (``rdfgen queries`` lists them), a ``.rq`` file or a query text on one backend:
    ``data`` (a build folder or RDF files, loaded in memory; the default ``out/``), ``store`` (a persistent store
    made by ``rdfgen load``) or ``endpoint`` (a SPARQL 1.1 protocol URL). ``result.columns``, ``result.values()``
    and ``result.format("csv")`` read the answer."""
    from rdfgen.sparql.run import run

    if data is None and store is None and endpoint is None:
        data = "out"
    source: Any = data
    if isinstance(data, os.PathLike):
        source = os.fspath(data)
    elif data is not None and not isinstance(data, str):
        source = [os.fspath(p) for p in data]
    return run(name_or_text, params, data=source, store=None if store is None else os.fspath(store),
               endpoint=endpoint, timeout=timeout)


def cite(pmids: Iterable[str], format: str = "csl", *, style: str = "apa", locale: str = "en-US",
         data: str | os.PathLike[str] | None = None, store: str | os.PathLike[str] | None = None) -> Cited:
    """Citations of published records, read from a build folder (``data``, default ``out/``: the store cached
    beside its dump) or a persistent store (``store``): CSL-JSON (``csl``), ``bibtex``, ``ris``, or a reference
    formatted by citeproc-py (``text``, ``html``) in a CSL ``style`` and ``locale``. ``.text`` is the document for
    the records found, ``.missing`` the PMIDs the data does not hold."""
    from rdfgen.sparql.cite import cite_stored

    return cite_stored(pmids, format, style=style, locale=locale, data=data, store=store)


class _Package(types.ModuleType):
    """The API's functions keep their names when a subpackage of the same name is imported: Python binds an imported
    submodule as an attribute of its parent, so ``import rdfgen.serialize.ntriples`` would otherwise replace
    ``rdfgen.serialize`` (the function) with the package of serialisers. The package stays in ``sys.modules``."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in __all__ and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
