"""The W3C SPARQL 1.1 Protocol test suite (tests/data/w3c-sparql-protocol/manifest.ttl, from w3c/rdf-tests) replayed
request by request against the real server process on 127.0.0.1, one pytest case per manifest entry.

The manifest is read with rdflib: each mf:ProtocolTest's ht:requests list of ht:Request (ht:methodName,
ht:absolutePath, ht:headers, ht:body's cnt:chars in its cnt:characterEncoding) and each request's ht:resp
(mf:expectedStatus as hts:StatusCodeNxx classes, mf:expectedFormat "boolean"/"tabular"/"RDF", mf:expectedBoolean).
Every request is sent as the manifest gives it, with three rewrites:

* **Path**: the suite's ``/sparql/`` is this server's ``/sparql`` (the manifest asks runners to substitute it).
* **Graphs onto fixture graphs**: the suite's data are four one-triple graphs, data0.rdf ... data3.rdf under
  ``http://kasei.us/2009/09/sparql/data/``, each holding ``<dataN.rdf> a foaf:Document`` (data1.nt ... data3.nt,
  kept beside the manifest; data0 is named by requests whose queries read no data). The server here holds the
  four hand-made records of tests/sparql_fixtures.py, so data0 is PMID 1000004, data1 1000001, data2 1000002 and
  data3 1000003 (``SUITE_PMIDS``). A suite IRI given as a graph -- the value of ``default-graph-uri``,
  ``named-graph-uri``, ``using-graph-uri`` or ``using-named-graph-uri`` in the URL or a form body, or written after
  FROM, FROM NAMED or GRAPH in a query or update -- becomes that record's graph, ``{base}pubmed/{pmid}#graph``. Any
  other occurrence in a query is the subject of ``a ?type`` in its own graph, so it becomes the record's article,
  ``{base}pubmed/{pmid}``, which is typed in its record graph as ``<dataN.rdf>`` is in dataN. Each test thus asks
  our data the question it asks its own (``test_the_fixture_graphs_hold_what_the_suite_graphs_hold`` checks that
  the mapping keeps the answer); no suite IRI is left in a rewritten request.
* **Body encoding**: a body is sent in its cnt:characterEncoding (UTF-16 for the ``*_non_utf8`` cases).

The endpoint is read-only by design (DESIGN.md), so the suite's update operations cannot succeed here. Where the
suite expects an update to succeed (``update_*``), this test asserts instead that it is refused with 403 and a
"read-only" message, that the store holds the same quads afterwards, and that the suite's follow-up ASK, which looks
for what the update would have written, answers as the suite expects in status and format but ``false``. The
``bad_update_*`` cases expect a 4xx, which a refusal is, so they are held to the suite's expectation as they stand.
Every query case is held to the suite's expectation: status class, result format, media type and boolean.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode

import httpx
import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.query import Result

from rdfgen.iris import Iris
from rdfgen.serialize import formats
from tests.conftest import DATA
from tests.test_server_process import ServerProcess

pytest_plugins = ["tests.sparql_fixtures"]

SUITE = DATA / "w3c-sparql-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
IRIS = Iris()
SUITE_PMIDS = {"0": "1000004", "1": "1000001", "2": "1000002", "3": "1000003"}
SUITE_IRI = re.compile(r"http://kasei\.us/2009/09/sparql/data/data(\d)\.rdf")
# A suite IRI in a query: as a graph name after FROM / FROM NAMED / GRAPH, else as the subject of ``a ?type``.
QUERY_IRI = re.compile(r"(\b(?:FROM\s+NAMED|FROM|GRAPH)\s*)?<" + SUITE_IRI.pattern + ">", re.IGNORECASE)
GRAPH_PARAMS = {"default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"}
FORM = "application/x-www-form-urlencoded"
# The media types each mf:expectedFormat allows (the suite's test names: "expect one of: ..."), with rdflib's
# results-parser names; RDF is parsed through rdfgen's format registry.
RESULT_PARSERS = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
                  "text/csv": "csv", "text/tab-separated-values": "tsv"}
EXPECTED_TYPES = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": set(RESULT_PARSERS),
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples", "text/html", "application/xhtml+xml"},
}
QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
JSON_RESULTS = {"Accept": "application/sparql-results+json"}


@dataclass(frozen=True)
class SuiteRequest:
    """One ht:Request and what its ht:resp expects."""

    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    encoding: str
    status_classes: frozenset[int]
    expected_format: str | None
    expected_boolean: bool | None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def is_update(self) -> bool:
        """An update operation: sent as application/sparql-update, or as an ``update=`` parameter."""
        params = parse_qsl(self.path.partition("?")[2])
        if self.body is not None and self.content_type == FORM:
            params += parse_qsl(self.body)
        return self.content_type == "application/sparql-update" or any(k == "update" for k, _ in params)


@dataclass(frozen=True)
class SuiteCase:
    name: str
    title: str
    requests: tuple[SuiteRequest, ...]


def _status_class(term: URIRef) -> int:
    """``hts:StatusCode2xx`` -> 2."""
    match = re.fullmatch(r".*StatusCode(\d)xx", str(term))
    assert match, term
    return int(match.group(1))


def _request(g: Graph, node: URIRef) -> SuiteRequest:
    headers: dict[str, str] = {}
    header_list = g.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(g, header_list):
            headers[str(g.value(header, HT.fieldName)).lower()] = str(g.value(header, HT.fieldValue))
    body = g.value(node, HT.body)
    resp = g.value(node, HT.resp)
    boolean = g.value(resp, MF.expectedBoolean)
    fmt = g.value(resp, MF.expectedFormat)
    return SuiteRequest(
        method=str(g.value(node, HT.methodName)), path=str(g.value(node, HT.absolutePath)), headers=headers,
        body=None if body is None else str(g.value(body, CNT.chars)),
        encoding="UTF-8" if body is None else str(g.value(body, CNT.characterEncoding) or "UTF-8"),
        status_classes=frozenset(_status_class(s) for s in g.objects(resp, MF.expectedStatus)),
        expected_format=None if fmt is None else str(fmt),
        expected_boolean=None if boolean is None else bool(boolean.toPython()))


def read_manifest(path: Path) -> list[SuiteCase]:
    """The manifest's mf:entries in order, each with its requests in order."""
    g = Graph().parse(path, format="turtle")
    manifest = g.value(predicate=RDF.type, object=MF.Manifest)
    cases = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        assert (entry, RDF.type, MF.ProtocolTest) in g, entry
        requests = Collection(g, g.value(g.value(entry, MF.action), HT.requests))
        cases.append(SuiteCase(str(entry).rsplit("#", 1)[1], str(g.value(entry, MF.name)),
                               tuple(_request(g, r) for r in requests)))
    return cases


CASES = read_manifest(SUITE / "manifest.ttl")


# --- Mapping the suite's graphs onto the fixture records -----------------------------------------------------------

def suite_graph(n: str) -> str:
    return str(IRIS.graph(SUITE_PMIDS[n]))


def suite_article(n: str) -> str:
    return str(IRIS.article(SUITE_PMIDS[n]))


def map_query(text: str) -> str:
    """Suite IRIs in a query or update: graph names become record graphs, resources their record's article."""
    def one(m: re.Match[str]) -> str:
        if m.group(1):
            return f"{m.group(1)}<{suite_graph(m.group(2))}>"
        return f"<{suite_article(m.group(2))}>"

    return QUERY_IRI.sub(one, text)


def map_params(text: str) -> str:
    """A URL query string or form body, its graph parameters and its query/update texts mapped, re-encoded."""
    mapped = []
    for key, value in parse_qsl(text, keep_blank_values=True):
        if key in GRAPH_PARAMS:
            value = SUITE_IRI.sub(lambda m: suite_graph(m.group(1)), value)
        elif key in ("query", "update"):
            value = map_query(value)
        mapped.append((key, value))
    return urlencode(mapped, quote_via=quote)


def rewrite(request: SuiteRequest) -> tuple[str, bytes | None]:
    """The path on this server and the body as bytes, with the suite's graphs mapped onto the fixture records."""
    path, _, query = request.path.partition("?")
    assert path == "/sparql/", request.path
    url = "/sparql" + (f"?{map_params(query)}" if query else "")
    body = request.body
    if body is not None:
        body = map_params(body) if request.content_type == FORM else map_query(body)
    assert not SUITE_IRI.search(f"{unquote(url)} {body}"), (url, body)
    return url, None if body is None else body.encode(request.encoding)


# --- Checking a response against the suite ------------------------------------------------------------------------

def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def check_result(response: httpx.Response, expected_format: str, expected_boolean: bool | None) -> None:
    """The body is a result in a media type the suite allows for its form, and it parses as one."""
    kind = media_type(response)
    assert kind in EXPECTED_TYPES[expected_format], (kind, response.text[:300])
    if expected_format == "RDF":
        Graph().parse(data=response.content, format=formats.from_media_type(kind).rdflib)
        return
    result = Result.parse(io.BytesIO(response.content), format=RESULT_PARSERS[kind])
    if expected_format == "boolean":
        assert result.type == "ASK", response.text
        if expected_boolean is not None:
            assert result.askAnswer is expected_boolean, response.text
    else:
        assert result.type == "SELECT" and result.vars, response.text


@pytest.fixture(scope="module")
def server(multi_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(multi_build, tmp_path_factory.mktemp("protocol-suite") / "server.log")
    try:
        yield proc
    finally:
        proc.stop()


def quads(server: ServerProcess) -> int:
    r = httpx.get(f"{server.url}/sparql", params={"query": QUADS}, headers=JSON_RESULTS)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def send(server: ServerProcess, request: SuiteRequest) -> httpx.Response:
    url, body = rewrite(request)
    return httpx.request(request.method, server.url + url, headers=request.headers, content=body, timeout=30)


def test_the_manifest_is_read_whole() -> None:
    assert len(CASES) == 34
    assert sum(len(case.requests) for case in CASES) == 39  # five cases update, then ask
    assert all(r.status_classes for case in CASES for r in case.requests)


@pytest.mark.parametrize("n", ["1", "2", "3"])
def test_the_fixture_graphs_hold_what_the_suite_graphs_hold(server: ServerProcess, n: str) -> None:
    """dataN.nt types <dataN.rdf> in graph dataN; the mapped article is typed in the mapped graph, and not in the
    others (so a test that names the wrong graph fails)."""
    suite = Graph().parse(SUITE / f"data{n}.nt", format="nt")
    assert len(suite) == 1 and next(iter(suite))[1] == RDF.type
    query = map_query(f"ASK {{ GRAPH <http://kasei.us/2009/09/sparql/data/data{n}.rdf> "
                      f"{{ <http://kasei.us/2009/09/sparql/data/data{n}.rdf> a ?type }} }}")
    for m in SUITE_PMIDS:
        ask = query.replace(suite_graph(n), suite_graph(m))
        r = httpx.get(f"{server.url}/sparql", params={"query": ask}, headers=JSON_RESULTS)
        assert r.json()["boolean"] is (m == n), (m, ask)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_protocol_case(server: ServerProcess, case: SuiteCase) -> None:
    before = quads(server)
    refused = False
    for request in case.requests:
        response = send(server, request)
        if case.name.startswith("update_") and request.is_update():
            # The suite expects the update to succeed; a read-only endpoint refuses it instead.
            assert response.status_code == 403 and "read-only" in response.text, (response.status_code, response.text)
            refused = True
            continue
        assert response.status_code // 100 in request.status_classes, (response.status_code, response.text)
        if request.expected_format is not None:
            # After a refused update, the suite's follow-up ASK finds nothing of what the update would have written.
            boolean = False if refused and request.expected_boolean is not None else request.expected_boolean
            check_result(response, request.expected_format, boolean)
    assert quads(server) == before


@pytest.mark.parametrize(("content_type", "body", "status", "says"), [
    ("application/sparql-query; charset=UTF-16", "ASK {}".encode("utf-16"), 415, "UTF-8"),
    ('application/sparql-query; charset="latin1"', "ASK { ?s ?p 'café' }".encode("latin-1"), 415, "UTF-8"),
    ("application/sparql-query", "ASK { ?s ?p 'café' }".encode("latin-1"), 400, "not UTF-8"),
    ("application/sparql-query; charset=utf-8", "ASK { FILTER('café' != '') }".encode(), 200, "true"),
])
def test_a_body_is_read_as_utf8_only(server: ServerProcess, content_type: str, body: bytes, status: int,
                                     says: str) -> None:
    """bad_query_non_utf8 is refused for its charset, not because guessing decoded it into a syntax error."""
    r = httpx.post(f"{server.url}/sparql", content=body, headers={"Content-Type": content_type})
    assert r.status_code == status and says in r.text, r.text
