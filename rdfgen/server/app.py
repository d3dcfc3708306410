"""``rdfgen serve``: the dataset as Linked Data over HTTP (Starlette app, run by uvicorn).

* Every IRI the build minted under BASE dereferences. The IRIs name things (an article, a person, a journal), not
  documents, so the server answers ``303 See Other`` to the document in the negotiated format (Cool URIs for the
  Semantic Web, section 4.3): ``/pubmed/33783695`` + ``Accept: text/turtle`` -> ``/pubmed/33783695.ttl``. Documents
  (``.ttl .nt .jsonld .rdf .nq .html``, and ``.embed.jsonld`` for articles) answer 200 with ETag and Last-Modified.
* ``/sparql``: the SPARQL 1.1 protocol, read-only, with a timeout and a cap on results; ``/download/``: the dumps;
  ``/.well-known/void``: the VoID description; ``/``: the records with a search box.

Build-folder files are served as written (a record's .ttl, .nt, .jsonld, .embed.jsonld); everything else, the HTML
pages included, is rendered from the store's graphs, so ``--store`` serves the same site as ``--data``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import pyoxigraph as ox
from isal import igzip
from rdflib import Graph, URIRef
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from rdfgen.errors import UnsupportedFormat
from rdfgen.iris import DEFAULT_BASE
from rdfgen.serialize import formats
from rdfgen.serialize.citation import NEGOTIATED as CITATIONS
from rdfgen.serialize.citation import CitationFormat, Work, citation_format_for
from rdfgen.serialize.citation import render as render_citation
from rdfgen.serialize.embedding import embed_object, embed_text
from rdfgen.serialize.harvest import Signpost, link_header
from rdfgen.serialize.html import render
from rdfgen.serialize.void import dataset_object
from rdfgen.server import DEFAULT_MAX_RESULTS, DEFAULT_PER_CLIENT, DEFAULT_TIMEOUT, DEFAULT_WORKERS
from rdfgen.server.browse import BrowseError, BrowseQuery, browse_page
from rdfgen.server.charts import dataset_charts, figure
from rdfgen.server.editor import editor_page, library_query_page, static_file
from rdfgen.server.endpoint import (
    FORMAT_PARAMS,
    RESULT_TYPES,
    Engine,
    Limits,
    TooManyQueriesError,
    service_description,
)
from rdfgen.server.negotiation import negotiate, parameters
from rdfgen.server.pages import (
    article_page,
    dataset_facts,
    downloads_page,
    harvest_from,
    harvest_of,
    index_page,
    inverse_section,
    not_found_page,
    resource_page,
    results_page,
)
from rdfgen.server.pagestore import PageStore, store_stamp
from rdfgen.server.resources import DESCRIPTOR, Listing, articles_section, descriptor_page, keyword_page, page_number
from rdfgen.server.site import (
    DUMPS,
    INVERSE_PER_GROUP,
    PAGE_NODE_QUADS,
    RDF_FORMATS,
    Site,
    data_dir_of,
    file_etag,
    modified_time,
    normalise_path,
    render_rdf,
)
from rdfgen.server.workers import QueryFailedError, QueryTimeoutError
from rdfgen.sparql.cache import cached_store
from rdfgen.sparql.catalog import Catalog
from rdfgen.sparql.library import QueryError, bind, is_update, list_queries, load_query, uses_service
from rdfgen.sparql.store import load, open_store

log = logging.getLogger("rdfgen.server")
HTML = "text/html"
RDF_TYPES = [f.media_type for f in RDF_FORMATS]
# A query in a request body is UTF-8 (the W3C protocol suite's bad_query_non_utf8): another charset is refused.
_CHARSET = re.compile(r'\bcharset\s*=\s*"?([^";\s]+)', re.IGNORECASE)
# What a resource is offered as, in the server's order of preference: Turtle for */* (a linked-data client),
# HTML for a browser (it names text/html).
RESOURCE_OFFERS = ["text/turtle", HTML, "application/xhtml+xml", *RDF_TYPES[1:]]
# An article also answers as a citation (CSL-JSON, BibTeX, RIS, a formatted reference), as Crossref answers a DOI.
CITATION_TYPES = [f.media_type for f in CITATIONS]
RECORD_OFFERS = [*RESOURCE_OFFERS, *CITATION_TYPES]
CITATION_EXTENSIONS = {f.extension: f for f in CITATIONS}
RECORD_ONLY = frozenset({"embed.jsonld", *CITATION_EXTENSIONS})
DOC_EXTENSIONS = ("embed.jsonld", *CITATION_EXTENSIONS, *(f.extension for f in RDF_FORMATS), "html")
BIBLIOGRAPHY_PARAMETERS = ("style", "locale")  # what text/x-bibliography takes, in Accept or in the query string
SITEMAP_SIZE = 50_000  # URLs a sitemap file may list (sitemaps.org)
_RECORD = re.compile(r"^/pubmed/(\d+)$")
_DOC = re.compile(r"^(?P<path>/.+?)\.(?P<ext>embed\.jsonld|" + "|".join(re.escape(e) for e in DOC_EXTENSIONS) + ")$")
# RFC 3987 ipath characters (any non-ASCII is ucschar here) and %HH escapes: what a minted IRI's path can hold.
_IRI_PATH = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2}|[^\x00-\x7f])*")
DUMP_TYPES = {".gz": "application/gzip", ".ttl": "text/turtle"}


# --- conditional GET ----------------------------------------------------------------------------------------------

def _http_date(ts: float) -> str:
    return formatdate(ts, usegmt=True)


def not_modified(request: Request, etag: str, modified: float | None) -> bool:
    """RFC 9110 section 13.1: If-None-Match wins over If-Modified-Since; ETags compare weakly."""
    inm = request.headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    ims = request.headers.get("if-modified-since")
    if ims is None or modified is None:
        return False
    try:
        return int(modified) <= parsedate_to_datetime(ims).timestamp()
    except (TypeError, ValueError):
        return False


def _validators(etag: str, modified: float | None, extra: dict[str, str] | None) -> dict[str, str]:
    headers = {"ETag": etag, **(extra or {})}
    if modified is not None:
        headers["Last-Modified"] = _http_date(modified)
    return headers


def send_bytes(request: Request, body: str | bytes, media_type: str, modified: float | None,
               headers: dict[str, str] | None = None) -> Response:
    """A rendered document, with an ETag of its content, answering conditional requests with 304."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    etag = f'"{hashlib.blake2b(data, digest_size=12).hexdigest()}"'
    all_headers = _validators(etag, modified, headers)
    if not_modified(request, etag, modified):
        return Response(status_code=304, headers=all_headers)
    return Response(data, media_type=media_type, headers=all_headers)


def send_file(request: Request, path: Path, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """A published file, streamed, with ETag and Last-Modified from its stat, answering 304 when unchanged."""
    etag, modified = file_etag(path), path.stat().st_mtime
    all_headers = _validators(etag, modified, headers)
    if not_modified(request, etag, modified):
        return Response(status_code=304, headers=all_headers)
    return FileResponse(path, media_type=media_type, headers=all_headers)


# --- the application ----------------------------------------------------------------------------------------------

PAGE_CACHE_BYTES = 32 * 1024 * 1024
"""Rendered article pages kept in memory, gzip-compressed (about 4,000 pages of 8 KB; 40 to 60 KB uncompressed):
the store is read-only while serving. Part of the server's memory budget, so it is counted in bytes as stored."""


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding header (RFC 9110 section 12.5.3) admits gzip: named or ``*``, with q above 0."""
    if not header:
        return False
    for item in header.lower().split(","):
        coding, _, params = item.partition(";")
        if coding.strip() in ("gzip", "x-gzip", "*"):
            q = params.strip().removeprefix("q=")
            try:
                return not params.strip() or float(q) > 0
            except ValueError:
                return False
    return False


@dataclass(frozen=True)
class CachedPage:
    """A rendered page as the cache keeps it: UTF-8, gzip-compressed once (most clients take it as it is, and it is
    a fifth of the size), the ETag of the uncompressed bytes, and the page's Link header."""

    gzipped: bytes
    etag: str
    links: str

    @classmethod
    def of(cls, page: str, links: str) -> CachedPage:
        data = page.encode("utf-8")
        return cls(igzip.compress(data, 1, mtime=0), f'"{hashlib.blake2b(data, digest_size=12).hexdigest()}"', links)

    @property
    def size(self) -> int:
        return len(self.gzipped) + len(self.links) + 200  # the object and its strings' headers, roughly

    def response(self, request: Request, media_type: str, modified: float | None) -> Response:
        """The page gzip-encoded where the client accepts it, else decompressed; each coding has its own strong
        ETag (RFC 9110 section 8.8.3: a different representation), and both vary on Accept-Encoding."""
        gzip = accepts_gzip(request.headers.get("accept-encoding"))
        etag = self.etag[:-1] + '-gzip"' if gzip else self.etag
        headers = _validators(etag, modified, {"Link": self.links, "Vary": "Accept-Encoding"})
        if not_modified(request, etag, modified):
            return Response(status_code=304, headers=headers)
        if gzip:
            headers["Content-Encoding"] = "gzip"
            return Response(self.gzipped, media_type=media_type, headers=headers)
        return Response(igzip.decompress(self.gzipped), media_type=media_type, headers=headers)


class PageCache:
    """Pages by key, the least recently used dropped once their stored sizes pass ``max_bytes``; thread-safe (pages
    are rendered in the thread pool), ``renders`` at a time. Two threads missing the same key may both render it."""

    def __init__(self, max_bytes: int, renders: int = 2) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.items: OrderedDict[str, CachedPage] = OrderedDict()
        self.lock = threading.Lock()
        # Rendering is CPU work under the GIL: more at once is no faster, and each holds a record's triples, so 40
        # pool threads rendering together grow the heap for good.
        self.rendering = threading.BoundedSemaphore(renders)

    def get(self, key: str, make: Callable[[str], tuple[str, str]],
            stored: Callable[[str], CachedPage | None] = lambda _key: None) -> CachedPage:
        """The page from memory, else as ``stored`` has it (rendered ahead of time), else rendered by ``make``."""
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
                return found
        value = stored(key)
        if value is None:
            with self.rendering:
                value = CachedPage.of(*make(key))
        with self.lock:
            if key not in self.items:
                self.items[key] = value
                self.size += value.size
                while self.size > self.max_bytes and self.items:
                    _, old = self.items.popitem(last=False)
                    self.size -= old.size
        return value


def render_article_page(site: Site, pmid: str) -> tuple[str, str]:
    """The article's page and its Link header (Signposting), from one reading of the record as N-Triples terms:
    they feed the page's view, the citation Work, the signposts and, without a build's file, the embedding."""
    article = str(site.iris.article(pmid))
    terms = site.record_terms(pmid, PAGE_NODE_QUADS)
    harvest = harvest_from(terms, article)
    page = article_page(terms, article, embedding_of(site, pmid, terms), site.local, harvest)
    return page, link_header(harvest[1])


def embedding_of(site: Site, pmid: str, terms: list[tuple[str, str, str]] | None = None) -> dict[str, Any]:
    """The build's embeddable object when there is one (byte for byte what a crawler gets from the static page),
    else framed afresh from the record's triples (``terms``, N-Triples, when the caller read them)."""
    file = site.record_file(pmid, "embed.jsonld")
    if file is not None:
        return json.loads(file.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    if terms is None:
        terms = site.record_terms(pmid)
    return embed_object(terms, str(site.iris.article(pmid)))


class Server:
    """The handlers over one :class:`Site`; :func:`create_app` wires them into Starlette."""

    def __init__(self, site: Site, engine: Engine, data_dir: Path | None, limits: Limits | None = None,
                 catalog: Catalog | None = None) -> None:
        self.site = site
        self.catalog = catalog
        self.engine = engine
        self.limits = limits or Limits()
        self.data_dir = data_dir
        self.queries = list_queries()
        self.render = lru_cache(maxsize=1024)(self._render)
        self.pages = PageCache(PAGE_CACHE_BYTES)
        self.prerendered: PageStore | None = None
        self.stamp: str | None = None
        self.sitemap_size = SITEMAP_SIZE
        self.cite = lru_cache(maxsize=1024)(self._cite)
        self.harvest = lru_cache(maxsize=256)(self._harvest)

    # --- errors ---------------------------------------------------------------------------------------------------

    def not_found(self, request: Request, iri: str) -> Response:
        total = len(self.site.entries)
        if negotiate(request.headers.get("accept"), ["text/plain", HTML]) == HTML:
            return Response(not_found_page(iri, total), 404, media_type=HTML)
        return PlainTextResponse(f"404 Not Found: nothing is known about <{iri}>.\nThis dataset has {total} records; "
                                 "see the index at /, the SPARQL endpoint at /sparql, the dumps at /download/.\n", 404)

    @staticmethod
    def not_acceptable(accept: str | None, offers: list[str]) -> Response:
        """406 that lists what the client could have asked for instead."""
        return PlainTextResponse(f"406 Not Acceptable: nothing here matches Accept: {accept or ''}\nAvailable: "
                                 + ", ".join(offers) + "\n", 406, headers={"Vary": "Accept"})

    # --- resources and documents ----------------------------------------------------------------------------------

    def resource(self, request: Request) -> Response:
        """A minted IRI (303 to a document by Accept), a document (200), or a dump linked from the VoID."""
        path = normalise_path(request.scope.get("raw_path") or request.url.path.encode())
        if not _IRI_PATH.fullmatch(path):
            return PlainTextResponse("400 Bad Request: the path is not one an IRI can have (a character such as \" "
                                     "or \\, or a % not followed by two hex digits)\n", 400)
        if path.lstrip("/") in DUMPS:
            return self.download_file(request, path.lstrip("/"))
        doc = self._document_of(path)
        if doc is not None:
            return self.document(request, *doc)
        if not self._known(path):
            return self.not_found(request, self.site.iri(path))
        record = _RECORD.match(path)
        accept = request.headers.get("accept")
        offers = RECORD_OFFERS if record and self.site.is_record(record.group(1)) else RESOURCE_OFFERS
        chosen = negotiate(accept, offers)
        if chosen is None:
            return self.not_acceptable(accept, offers)
        query = ""
        if chosen in CITATION_TYPES:
            cited = citation_format_for(chosen)
            ext, given = cited.extension, parameters(accept, chosen) if cited.name == "text" else {}
            asked = {k: given[k] for k in BIBLIOGRAPHY_PARAMETERS if k in given}
            query = "?" + urlencode(asked) if asked else ""
        else:
            ext = "html" if chosen in (HTML, "application/xhtml+xml") else formats.from_media_type(chosen).extension
        target = "./" + path.rsplit("/", 1)[-1] + "." + ext + query
        return RedirectResponse(target, 303, headers={"Vary": "Accept"})

    def _known(self, path: str) -> bool:
        record = _RECORD.match(path)
        return bool(record and self.site.is_record(record.group(1))) or self.site.exists(self.site.iri(path))

    def _document_of(self, path: str) -> tuple[str, str] | None:
        """(resource path, extension) when ``path`` is a document of a known resource rather than a resource."""
        m = _DOC.match(path)
        if m is None or (m.group("ext") in RECORD_ONLY and not _RECORD.match(m.group("path"))):
            return None
        if self._known(m.group("path")) and not self.site.exists(self.site.iri(path)):
            return m.group("path"), m.group("ext")
        return None

    def document(self, request: Request, path: str, ext: str) -> Response:
        record = _RECORD.match(path)
        if ext in CITATION_EXTENSIONS:
            assert record is not None  # _document_of offers citations of records only
            return self.citation(request, path, record.group(1), CITATION_EXTENSIONS[ext])
        media_type = HTML if ext == "html" else formats.from_name("jsonld" if ext == "embed.jsonld" else ext).media_type
        headers = {"Link": f'<{self.site.iri(path)}>; rel="describes"'}
        if record and ext == "html" and self.site.is_record(record.group(1)):
            page = self.pages.get(record.group(1), self._article, self._prerendered)
            return page.response(request, media_type, self.site.modified)
        if record and self.site.is_record(record.group(1)):
            file = self.site.record_file(record.group(1), ext)
            if file is not None:
                return send_file(request, file, media_type, headers)
        page_no, rel = 1, None
        if ext == "html":
            rel = request.query_params.get("rel") or None
            try:
                page_no = page_number(request.query_params.get("page"))
                if rel is not None and (len(rel) > 2000 or any(c in rel for c in '<>"{}|\\^` \t\r\n')):
                    raise ValueError("rel must be the IRI of a property")
            except ValueError as exc:
                return PlainTextResponse(f"400 Bad Request: {exc}\n", 400)
        return send_bytes(request, self.render(path, ext, page_no, rel), media_type, self.site.modified, headers)

    def _article(self, pmid: str) -> tuple[str, str]:
        return render_article_page(self.site, pmid)

    def _prerendered(self, pmid: str) -> CachedPage | None:
        """The page ``rdfgen pages`` rendered for this very store, if any (rdfgen.server.pagestore)."""
        if self.prerendered is None or self.stamp is None:
            return None
        found = self.prerendered.get(pmid, self.stamp)
        return CachedPage(found.gzipped, found.etag, found.links) if found is not None else None

    def citation(self, request: Request, path: str, pmid: str, fmt: CitationFormat) -> Response:
        """The record as a citation: the build's file when there is one, else made from the store; a formatted
        reference in the ``style`` and ``locale`` of the query string (apa, en-US by default), 400 naming an
        unknown one."""
        headers = {"Link": f'<{self.site.iri(path)}>; rel="describes"'}
        if not self.site.is_record(pmid):
            return self.not_found(request, self.site.iri(path))
        if fmt.name == "text":
            asked = request.query_params
            style, locale = asked.get("style") or "apa", asked.get("locale") or "en-US"
        else:
            style, locale = "apa", "en-US"
            file = self.site.record_file(pmid, fmt.extension)
            if file is not None:
                return send_file(request, file, fmt.media_type, headers)
        try:
            body = self.cite(pmid, fmt.name, style, locale)
        except UnsupportedFormat as exc:
            return PlainTextResponse(f"400 Bad Request: {exc}\n", 400)
        return send_bytes(request, body, fmt.media_type, self.site.modified, headers)

    def _cite(self, pmid: str, name: str, style: str, locale: str) -> str:
        """A record's citation from its graph in the store (cached; failures, such as an unknown style, are not)."""
        return render_citation([self.harvest(pmid)[0]], name, style, locale)

    def _harvest(self, pmid: str) -> tuple[Work, list[Signpost]]:
        """What a record's page gives harvesters: its Work (citations, meta tags) and its Signposting links."""
        return harvest_of(self.site.record_graph(pmid), self.site.iris.article(pmid))

    def _render(self, path: str, ext: str, page: int = 1, rel: str | None = None) -> str:
        """A document made from the store (cached: the store is read-only while the server runs); ``page``, of the
        articles an HTML page of a journal or person lists, or with ``rel``, of the subjects pointing at it by that
        property."""
        iri = URIRef(self.site.iri(path))
        record = _RECORD.match(path)
        pmid = record.group(1) if record and self.site.is_record(record.group(1)) else None
        if pmid is not None and ext == "embed.jsonld":  # a record's page is _article's, by way of the page cache
            return embed_text(embedding_of(self.site, pmid))
        triples, links = (self.site.record_triples(pmid), 0) if pmid is not None else self.site.describe(str(iri))
        if ext == "html":
            graph = Graph()
            for t in triples:
                graph.add(t)
            groups = self.site.inverse_groups(str(iri), rel, page)
            inverse = inverse_section(groups, f"/{path.lstrip('/')}.html", self.site.local, INVERSE_PER_GROUP)
            articles = self._articles_of(path, str(iri), page if rel is None else 1)
            return resource_page(graph, iri, self.site.local, links, articles, inverse)
        graph_name = self.site.iris.graph(pmid) if pmid is not None else None
        return render_rdf(triples, formats.from_name(ext), graph_name)

    def _articles_of(self, path: str, iri: str, page: int) -> str:
        """A journal's articles (by volume and issue) or a person's (an ORCID iD across records), from the
        catalog, a page at a time; nothing for other resources."""
        if self.catalog is None:
            return ""
        for facet, sort in (("journal-iri", "volume"), ("author-iri", "date")):
            section = articles_section(self.catalog, Listing("Articles", facet, iri, f"/{path.lstrip('/')}.html",
                                                             sort=sort, page=page))
            if section:  # empty when no article is linked to it that way
                return section
        return ""

    # --- index, VoID, downloads -----------------------------------------------------------------------------------

    def index(self, request: Request) -> Response:
        """The records, paged, sorted and faceted from the catalog (the first 200 from SPARQL without one)."""
        if self.catalog is not None:
            try:
                query = BrowseQuery.from_params(parse_qs(request.url.query))
            except BrowseError as exc:
                return PlainTextResponse(f"400 Bad Request: {exc}\n", 400)
            return Response(browse_page(self.catalog, query, self.dataset_description()), media_type=HTML)
        text = request.query_params.get("q", "").strip()
        entries = self.site.search(text) if text else self.site.entries
        page = index_page(entries, text, len(self.site.entries), shown=200, dataset=self.dataset_description())
        return Response(page, media_type=HTML)

    def mesh(self, request: Request) -> Response:
        """The local page of a MeSH descriptor the dataset names: its articles, broader and narrower terms."""
        ui = request.path_params["ui"]
        return self._term_page(request, f"http://id.nlm.nih.gov/mesh/{ui}", lambda page: descriptor_page(
            self.site.store, self.catalog, ui, page) if DESCRIPTOR.fullmatch(ui) else None)

    def keyword(self, request: Request) -> Response:
        """The local page of an author keyword: the articles that give it."""
        word = request.path_params["keyword"]
        return self._term_page(request, self.site.iri(f"keyword/{word}"), lambda page: keyword_page(
            self.catalog, word, page) if self.catalog is not None and len(word) <= 500 else None)

    def _term_page(self, request: Request, iri: str, render: Callable[[int], str | None]) -> Response:
        """A local page listing articles (``page=`` in the query string): 400 for a bad page number, 404 when
        ``render`` finds nothing."""
        try:
            page = page_number(request.query_params.get("page"))
        except ValueError as exc:
            return PlainTextResponse(f"400 Bad Request: {exc}\n", 400)
        html = render(page)
        if html is None:
            return self.not_found(request, iri)
        return Response(html, media_type=HTML)

    def static(self, request: Request) -> Response:
        """The SPARQL editor's files (vendored YASGUI and the page's script and style), cached for a day."""
        found = static_file(request.path_params["name"])
        if found is None:
            return PlainTextResponse("404 Not Found\n", 404)
        path, media_type = found
        return send_file(request, path, media_type, {"Cache-Control": "public, max-age=86400"})

    def library(self, request: Request) -> Response:
        """A library query with its parameters bound from the query string (by rdfgen.sparql.library.bind, which
        types and escapes them): the SPARQL text for a script, a form and the query for a browser."""
        name = request.path_params["name"]
        try:
            info = load_query(name) if name in {q.name for q in self.queries} else None
        except QueryError:
            info = None
        if info is None:
            return PlainTextResponse(f"404 Not Found: no library query named {name!r}\n", 404)
        values = {k: v for k, v in request.query_params.items() if v.strip()}
        try:
            bound = bind(info, values)
        except QueryError as exc:
            if negotiate(request.headers.get("accept"), ["text/plain", HTML]) == HTML:
                return Response(library_query_page(info, info.text, values, str(exc)), 400, media_type=HTML)
            return PlainTextResponse(f"400 Bad Request: {exc}\n", 400)
        if negotiate(request.headers.get("accept"), ["application/sparql-query", "text/plain", HTML]) == HTML:
            return Response(library_query_page(info, bound, values), media_type=HTML)
        return Response(bound, media_type="application/sparql-query")

    @lru_cache(maxsize=1)  # noqa: B019 - one Server per app; void.ttl does not change while it runs
    def dataset_description(self) -> dict[str, Any] | None:
        """The schema.org Dataset the landing pages embed, from the build's VoID (None on a bare store)."""
        path = self.site.dump("void.ttl")
        return None if path is None else dataset_object(path.read_text(encoding="utf-8"), self.site.iris.dataset_iri())

    # --- sitemap and robots.txt -----------------------------------------------------------------------------------

    def sitemap(self, request: Request) -> Response:
        """Every article with its revision date as ``lastmod``; past ``sitemap_size`` URLs, a sitemap index of
        pages (sitemaps.org: at most 50,000 URLs a file). Each page is one bounded query."""
        total = self.site.record_count()
        if total <= self.sitemap_size:
            return self._sitemap_urls(request, 0)
        pages = -(-total // self.sitemap_size)
        body = render("sitemap_index.xml", sitemaps=[self.site.iri(f"sitemap-{n}.xml") for n in range(1, pages + 1)])
        return send_bytes(request, body, "application/xml", self.site.modified)

    def sitemap_page(self, request: Request) -> Response:
        n = request.path_params["n"]
        if n < 1 or (n - 1) * self.sitemap_size >= max(self.site.record_count(), 1):
            return self.not_found(request, self.site.iri(f"sitemap-{n}.xml"))
        return self._sitemap_urls(request, n - 1)

    def _sitemap_urls(self, request: Request, page: int) -> Response:
        rows = self.site.sitemap_page(page * self.sitemap_size, self.sitemap_size)
        return send_bytes(request, render("sitemap.xml", urls=rows), "application/xml", self.site.modified)

    def robots(self, request: Request) -> Response:
        """Crawl everything but the SPARQL endpoint (queries are no pages), and find the articles in the sitemap."""
        return PlainTextResponse(f"User-agent: *\nDisallow: /sparql\nSitemap: {self.site.iri('sitemap.xml')}\n")

    def void(self, request: Request) -> Response:
        path = self.site.dump("void.ttl")
        if path is None:
            return self.not_found(request, self.site.iri(".well-known/void"))
        chosen = negotiate(request.headers.get("accept"), RDF_TYPES)
        if chosen is None:
            return self.not_acceptable(request.headers.get("accept"), RDF_TYPES)
        fmt = formats.from_media_type(chosen)
        headers = {"Vary": "Accept", "Content-Location": "/void.ttl" if fmt.name == "turtle" else "/.well-known/void"}
        if fmt.name == "turtle":
            return send_file(request, path, fmt.media_type, headers)
        graph = Graph().parse(path, format="turtle")
        return send_bytes(request, render_rdf(list(graph), fmt), fmt.media_type, path.stat().st_mtime, headers)

    def downloads(self, request: Request) -> Response:
        files = [(name, path.stat().st_size) for name, path in self.site.dumps()]
        void = self.site.dump("void.ttl")
        facts = dataset_facts(void.read_text(encoding="utf-8"), self.site.iris.dataset_iri()) if void else ""
        return Response(downloads_page(files, self.dataset_description(), self.charts(), facts), media_type=HTML)

    @lru_cache(maxsize=1)  # noqa: B019 - one Server per app; the store is read-only while it runs
    def charts(self) -> str:
        """The dataset's pictures (rdfgen.server.charts), drawn once: the store does not change while serving."""
        return "".join(figure(chart) for chart in dataset_charts(self.catalog, self.site.store))

    def download(self, request: Request) -> Response:
        return self.download_file(request, request.path_params["name"])

    def download_file(self, request: Request, name: str) -> Response:
        path = self.site.dump(name)
        if path is None:
            return self.not_found(request, self.site.iri(f"download/{name}"))
        return send_file(request, path, DUMP_TYPES[path.suffix])

    # --- SPARQL ---------------------------------------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        """SPARQL 1.1 Protocol, query operation only: GET ?query=, POST form, POST application/sparql-query; without
        a query, the service description (or the query form, for a browser)."""
        if len(request.url.query) > self.limits.max_query:
            return PlainTextResponse(f"414 URI Too Long: a query string may hold {self.limits.max_query} characters; "
                                     "POST longer queries\n", 414)
        params = parse_qs(request.url.query, keep_blank_values=True)
        if request.method == "POST":
            kind, _, options = request.headers.get("content-type", "").partition(";")
            kind = kind.strip().lower()
            if kind == "application/sparql-update":
                return self.read_only()
            if kind not in ("application/sparql-query", "application/x-www-form-urlencoded"):
                return PlainTextResponse("415: POST a query as application/sparql-query or as the query= field of "
                                         "application/x-www-form-urlencoded\n", 415)
            charset = _CHARSET.search(options)
            if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
                return PlainTextResponse(f"415: a query is sent in UTF-8, not in {charset.group(1)}\n", 415)
            body = await self._body(request)
            if isinstance(body, Response):
                return body
            if kind == "application/sparql-query":
                params["query"] = [body]
            else:
                for key, values in parse_qs(body, keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
        if "update" in params:
            return self.read_only()
        queries = params.get("query", [])
        accept = request.headers.get("accept")
        if not queries:
            return self.service_description(request)
        if len(queries) > 1:
            return PlainTextResponse("400: exactly one query= parameter, please\n", 400)
        text = queries[0]
        if len(text) > self.limits.max_query:
            return PlainTextResponse(f"413 Content Too Large: a query may hold {self.limits.max_query} characters\n",
                                     413)
        if is_update(text):
            return self.read_only()
        if uses_service(text):
            return PlainTextResponse("400: federated queries (SERVICE) are not run by this endpoint\n", 400)
        forced = FORMAT_PARAMS.get((params.get("format") or params.get("output") or [""])[0].lower())
        client = request.client.host if request.client else "?"
        try:
            async with self.engine.client(client):
                return await self._answer(text, params, forced or accept)
        except TooManyQueriesError:
            return PlainTextResponse(f"429 Too Many Requests: {self.engine.per_client} of your queries are already "
                                     "running; wait for one to end\n", 429, headers={"Retry-After": "1"})

    async def _body(self, request: Request) -> str | Response:
        """The request body, read within the body timeout and cut off past the size cap (413 before it is read
        when Content-Length says so); a client that trickles its body gets 408."""
        cap = self.limits.max_body
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            return PlainTextResponse(f"413 Content Too Large: a request body may hold {cap} bytes\n", 413)
        chunks: list[bytes] = []
        size = 0

        async def read() -> Response | None:
            nonlocal size
            async for chunk in request.stream():
                size += len(chunk)
                if size > cap:
                    return PlainTextResponse(f"413 Content Too Large: a request body may hold {cap} bytes\n", 413)
                chunks.append(chunk)
            return None

        try:
            refused = await asyncio.wait_for(read(), self.limits.body_timeout)
        except TimeoutError:
            return PlainTextResponse(f"408 Request Timeout: the body did not arrive within "
                                     f"{self.limits.body_timeout:g} s\n", 408)
        if refused is not None:
            return refused
        try:
            return b"".join(chunks).decode("utf-8")
        except UnicodeDecodeError as exc:
            return PlainTextResponse(f"400 Bad Request: the body is not UTF-8 (byte {exc.start})\n", 400)

    def service_description(self, request: Request) -> Response:
        """SPARQL 1.1 Service Description at the endpoint (section 2: GET without a query); browsers get the form."""
        chosen = negotiate(request.headers.get("accept"), [*RDF_TYPES[:1], HTML, *RDF_TYPES[1:]])
        if chosen in (HTML, None) and negotiate(request.headers.get("accept"), [HTML]) == HTML:
            return Response(editor_page(self.queries), media_type=HTML)
        if chosen is None or chosen == HTML:
            return self.not_acceptable(request.headers.get("accept"), RDF_TYPES)
        fmt = formats.from_media_type(chosen)
        endpoint = str(request.url.replace(query="", fragment=""))
        body = render_rdf(service_description(endpoint, self.site.base), fmt)
        return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})

    @staticmethod
    def read_only() -> Response:
        return PlainTextResponse("403 Forbidden: this SPARQL endpoint is read-only; updates (INSERT, DELETE, LOAD, "
                                 "CLEAR, DROP, ...) are refused. Download the dumps at /download/ to change a copy.\n",
                                 403)

    async def _answer(self, text: str, params: dict[str, list[str]], accept: str | None) -> Response:
        timeout = self.engine.timeout
        job = self.engine.job(text, params.get("default-graph-uri", []), params.get("named-graph-uri", []))
        try:
            answer = await self.engine.run(job)
        except QueryTimeoutError:
            log.warning("query stopped after %g s: %.200s", timeout, " ".join(text.split()))
            return PlainTextResponse(f"503 Service Unavailable: the query did not finish within {timeout:g} s "
                                     "(the server's --timeout) and was stopped. Narrow it (LIMIT, more specific "
                                     "patterns) or run it on a downloaded dump.\n", 503, headers={"Retry-After": "5"})
        except QueryFailedError as exc:
            if exc.syntax:
                if negotiate(accept, [*RESULT_TYPES]) == HTML:  # the plain form: the query back, with the error
                    return Response(editor_page(self.queries, text, f"Malformed query: {exc}"), 400,
                                    media_type=HTML)
                return PlainTextResponse(f"400 Bad Request: malformed query: {exc}\n", 400)
            if exc.status == 503:
                return PlainTextResponse(f"503 Service Unavailable: {exc}\n", 503)
            return PlainTextResponse(f"400 Bad Request: the query failed: {exc}\n", 400)
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers["X-Result-Limit"] = str(self.engine.max_results)
        result = answer.result
        if result.kind == "graph":
            chosen = negotiate(accept, RDF_TYPES)
            if chosen is None:
                return self.not_acceptable(accept, RDF_TYPES)
            fmt = formats.from_media_type(chosen)
            body = await run_in_threadpool(render_rdf, list(result.triples), fmt)
            return Response(body, media_type=fmt.media_type, headers=headers)
        offers = list(RESULT_TYPES)
        chosen = negotiate(accept, offers)
        if chosen is None:
            return self.not_acceptable(accept, offers)
        if RESULT_TYPES[chosen] == "html":
            page = await run_in_threadpool(results_page, result, text, answer.truncated, self.site.local)
            return Response(page, media_type=HTML, headers=headers)
        body = await run_in_threadpool(result.format, RESULT_TYPES[chosen])
        return Response(body, media_type=chosen, headers=headers)

    def dataset(self, request: Request) -> Response:
        """The dataset's IRI names the dataset: 303 to its landing page (the downloads, with its schema.org
        description) for a browser, else to its VoID description."""
        html = negotiate(request.headers.get("accept"), [*RDF_TYPES[:1], HTML]) == HTML
        return RedirectResponse("/download/" if html else "/.well-known/void", 303, headers={"Vary": "Accept"})


def _open(data_dir: Path | None, store: ox.Store | Path | str | None) -> tuple[ox.Store, Path | None]:
    """The store to serve, and its path when queries can run in worker processes (an on-disk store: ``store``, or
    the store cached beside ``data_dir``'s dump; else the dump is loaded in memory)."""
    if isinstance(store, ox.Store):
        return store, None
    if store is not None:
        return open_store(store, read_only=True), Path(store)
    assert data_dir is not None
    folder = data_dir_of(data_dir)
    cached = cached_store(folder)
    if cached is not None:
        return open_store(cached, read_only=True), cached
    return load([folder / "dataset.nq.gz"])[0], None


def _catalog(store: ox.Store, store_path: Path | None, base: str) -> Catalog | None:
    """The store's catalog (index, search, facets): the one ``rdfgen load`` keeps beside an on-disk store when its
    records are under ``base``; one built in memory for a store loaded in memory; None for an on-disk store loaded
    without one (an older rdfgen's), whose index pages then come from SPARQL."""
    if store_path is None:
        return Catalog.in_memory(store, base)
    catalog = Catalog.of_store(store_path, read_only=True)
    if catalog is not None and catalog.base != base:
        catalog.close()
        return None
    return catalog


def dataset_base(data_dir: Path | None) -> str | None:
    """The base IRI a build minted its IRIs under, as its VoID says (void:uriSpace), or None."""
    if data_dir is None:
        return None
    void = data_dir_of(data_dir) / "void.ttl"
    if not void.is_file():
        return None
    try:
        quads = ox.parse(path=str(void), format=ox.RdfFormat.TURTLE)
        return next((q.object.value for q in quads if q.predicate.value == _URI_SPACE), None)
    except (OSError, SyntaxError):
        return None


_URI_SPACE = "http://rdfs.org/ns/void#uriSpace"


def create_app(data_dir: Path | str | None = None, store: ox.Store | Path | str | None = None, *,
               base: str | None = None, timeout: float = DEFAULT_TIMEOUT, max_results: int = DEFAULT_MAX_RESULTS,
               workers: int = DEFAULT_WORKERS, per_client: int = DEFAULT_PER_CLIENT,
               limits: Limits | None = None) -> Starlette:
    """The Starlette app over a build folder (``data_dir``, default ``out/``: its dataset.nq.gz is loaded into a
    store cached beside it and its files are served) or a persistent store (``store``, opened read-only), or both.

    ``base`` defaults to the one the build's VoID names, else rdfgen's default. SPARQL queries run in up to
    ``workers`` processes that are killed at ``timeout``; a client may have ``per_client``
    queries in flight."""
    folder = Path(data_dir) if data_dir is not None else (Path("out") if store is None else None)
    base = base or dataset_base(folder) or DEFAULT_BASE
    oxstore, store_path = _open(folder, store)
    site = Site(oxstore, folder, base, max_results, modified_time(folder, store_path if store is not None else None))
    engine = Engine(oxstore, timeout, max_results, store_path=store_path, base_iri=base, per_client=per_client,
                    workers=workers)
    catalog = _catalog(oxstore, store_path, base)
    server = Server(site, engine, folder, limits, catalog)
    if store_path is not None and folder is None:  # a build's files (its pages) win over pages rendered ahead
        server.prerendered = PageStore.of_store(store_path)
        server.stamp = store_stamp(store_path, base)
    records = len(catalog) if catalog is not None else len(site.entries)
    log.info("serving %d records (%d quads) under %s", records, len(oxstore), base)
    if not records:
        log.warning("the dataset has no records under %s: is the base right (--base)? Its IRIs start with: %s",
                    base, ", ".join(sorted(_graph_prefixes(oxstore))[:3]) or "(no named graphs)")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        engine.close()

    routes = [
        Route("/", server.index),
        Route("/sparql", server.sparql, methods=["GET", "POST"]),
        Route("/download", lambda r: RedirectResponse("/download/", 301)),
        Route("/download/", server.downloads),
        Route("/download/{name:path}", server.download),
        Route("/.well-known/void", server.void),
        Route("/dataset", server.dataset),
        Route("/sitemap.xml", server.sitemap),
        Route("/sitemap-{n:int}.xml", server.sitemap_page),
        Route("/robots.txt", server.robots),
        Route("/static/{name:path}", server.static),
        Route("/sparql/library/{name}", server.library),
        Route("/mesh/{ui}", server.mesh),
        Route("/keyword/{keyword:path}", server.keyword),
        Route("/{path:path}", server.resource),
    ]
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST"],
                             allow_headers=["Accept", "Content-Type"],
                             expose_headers=["ETag", "Last-Modified", "Location", "Content-Location", "Link", "Vary"])]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.server = server
    return app



def _graph_prefixes(store: ox.Store) -> set[str]:
    """Where the store's first named graphs live (the part before ``pubmed/``), to say what base a build used."""
    found: set[str] = set()
    for n, graph in enumerate(store.named_graphs()):
        if n >= 100:
            break
        if isinstance(graph, ox.NamedNode) and "/pubmed/" in graph.value:
            found.add(graph.value.split("/pubmed/", 1)[0] + "/")
    return found
