"""The real server process (``python -m rdfgen.server``) on 127.0.0.1: content negotiation parsed with rdflib,
SPARQLWrapper against /sparql giving the rows rdfgen.query.run gives, updates refused, traversal refused, a query
that times out while other requests are still answered, and a clean exit on SIGTERM."""

from __future__ import annotations

import concurrent.futures
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from rdfgen.serialize import formats
from rdfgen.sparql.run import run
from tests.conftest import ARTICLE, SEED_PMID

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SELECT = ("PREFIX schema: <https://schema.org/>\n"
          "SELECT ?ref ?text WHERE { ?ref a <http://purl.org/spar/biro/BibliographicReference> ; "
          "<http://purl.org/spar/c4o/hasContent> ?text } ORDER BY ?ref")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """``python -m rdfgen.server --data DIR`` on a free loopback port, ready when /sparql answers ASK {}."""

    def __init__(self, data: Path, log: Path, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("wb") as out:  # a file, not a pipe: a full pipe would block the server's access log
            self.process = subprocess.Popen(
                [sys.executable, "-m", "rdfgen.server", "--data", str(data), "--port", str(self.port), *args],
                stdout=out, stderr=subprocess.STDOUT)
        self._wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def _wait(self, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/sparql?query=ASK%7B%7D", timeout=1):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("the server did not become ready")

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it: uvicorn finishes the requests in flight, runs the shutdown, then
        re-raises the signal, so a clean stop exits by SIGTERM (-15) after "Application shutdown complete"."""
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        assert code in (0, -signal.SIGTERM), self.output()
        assert "Application shutdown complete" in self.output()


def raw_get(server: ServerProcess, raw: bytes, timeout: float = 5) -> bytes:
    """GET a path as given, byte for byte (an HTTP client would encode or refuse it); the whole answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        s.sendall(b"GET " + raw + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return answer


@pytest.fixture(scope="module")
def data(seed_build: tuple[Path, object]) -> Path:
    return seed_build[0]


@pytest.fixture(scope="module")
def server(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(data, tmp_path_factory.mktemp("server") / "server.log", "--timeout", "1")
    try:
        yield proc
    finally:
        proc.stop()


@pytest.mark.parametrize("media_type", [f.media_type for f in formats.FORMATS if f.name != "trig"])
def test_each_media_type_parses_to_the_built_graph(server: ServerProcess, data: Path, media_type: str) -> None:
    r = httpx.get(f"{server.url}/pubmed/{SEED_PMID}", headers={"Accept": media_type}, follow_redirects=True)
    assert r.status_code == 200 and r.history[0].status_code == 303
    fmt = formats.from_media_type(media_type)
    if fmt.quads:
        ds = Dataset()
        ds.parse(data=r.content, format=fmt.rdflib)
        got = Graph()
        for s, p, o, _ in ds.quads():
            got.add((s, p, o))
    else:
        got = Graph().parse(data=r.content, format=fmt.rdflib)
    assert isomorphic(got, Graph().parse(data / "pubmed" / f"{SEED_PMID}.ttl", format="turtle"))


def test_html_and_406(server: ServerProcess) -> None:
    page = httpx.get(f"{server.url}/pubmed/{SEED_PMID}", headers={"Accept": "text/html"}, follow_redirects=True)
    assert page.status_code == 200 and "application/ld+json" in page.text
    assert httpx.get(f"{server.url}/pubmed/{SEED_PMID}", headers={"Accept": "image/png"}).status_code == 406


def _client(server: ServerProcess, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_select_gives_the_library_rows(server: ServerProcess, data: Path, fmt: str) -> None:
    answer = _client(server, SELECT, fmt).queryAndConvert()
    if fmt == JSON:
        rows = [(b["ref"]["value"], b["text"]["value"]) for b in answer["results"]["bindings"]]  # type: ignore
    else:
        rows = [tuple(b.getElementsByTagName(tag)[0].firstChild.data for tag in ("uri", "literal"))
                for b in answer.getElementsByTagName("result")]  # type: ignore[union-attr]
    assert rows == run(SELECT, data=data).values()
    assert len(rows) == 5


def test_sparqlwrapper_ask_and_construct(server: ServerProcess, data: Path) -> None:
    ask = _client(server, f"ASK {{ <{ARTICLE}> ?p ?o }}", JSON).queryAndConvert()
    assert ask["boolean"] is True  # type: ignore[index]
    construct = "CONSTRUCT { ?s <https://schema.org/name> ?n } WHERE { ?s <https://schema.org/name> ?n }"
    client = _client(server, construct, TURTLE)
    client.setMethod(POST)
    got = Graph().parse(data=client.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert len(got) > 0
    assert isomorphic(got, run(construct, data=data).graph())


def test_update_is_refused_and_the_store_unchanged(server: ServerProcess) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = _client(server, count, JSON).queryAndConvert()
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(f'INSERT DATA {{ <{ARTICLE}> <https://schema.org/name> "x" }}')
    client.setMethod(POST)
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        client.query()
    r = httpx.post(f"{server.url}/sparql", content="DELETE WHERE { ?s ?p ?o }",
                   headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403 and "read-only" in r.text
    assert _client(server, count, JSON).queryAndConvert() == before


@pytest.mark.parametrize("raw", [b"/download/../../etc/passwd", b"/download/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                                 b"/download/..%2f..%2f..%2fetc%2fpasswd", b"/../../../../etc/passwd",
                                 b"/download//etc/passwd"])
def test_traversal_is_refused_on_the_wire(server: ServerProcess, raw: bytes) -> None:
    answer = raw_get(server, raw)
    status = int(answer.split(b" ", 2)[1])
    assert status in (400, 404) and b"root:" not in answer


def test_a_timed_out_query_does_not_stop_the_server(server: ServerProcess) -> None:
    def simple() -> httpx.Response:
        time.sleep(0.2)
        return httpx.get(f"{server.url}/pubmed/{SEED_PMID}.ttl", timeout=5)

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        heavy = pool.submit(httpx.get, f"{server.url}/sparql", params={"query": HEAVY}, timeout=10)
        during = pool.submit(simple)
        assert during.result().status_code == 200
        answer = heavy.result()
    assert answer.status_code == 503 and "did not finish within 1 s" in answer.text
    after = httpx.get(f"{server.url}/sparql", params={"query": "ASK {}"},
                      headers={"Accept": "application/sparql-results+json"})
    assert json.loads(after.text)["boolean"] is True
