"""The real server process on 127.0.0.1 under abuse and at the edges of the SPARQL protocol: bombs that are really
stopped while a point query is answered, a per-client limit, caps on bodies and queries, no 500 on bad paths,
FROM/FROM NAMED and the protocol's graph parameters, the service description, relative IRIs, a non-default base."""

from __future__ import annotations

import concurrent.futures
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from SPARQLWrapper import JSON, SPARQLWrapper

from rdfgen.publish.documents import publish
from rdfgen.sources import read_inputs
from tests.conftest import SEED_PMID, seed_path
from tests.test_server_process import HEAVY, ServerProcess, raw_get

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
TIMEOUT = 3.0
BOMBS = 8
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def data(seed_build: tuple[Path, object]) -> Path:
    return seed_build[0]


@pytest.fixture(scope="module")
def server(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(data, tmp_path_factory.mktemp("abuse") / "server.log", "--timeout", str(TIMEOUT),
                         "--per-client", str(BOMBS), "--max-body", "65536")
    try:
        yield proc
    finally:
        proc.stop()


def _count(server: ServerProcess, query: str, **params: str) -> int:
    r = httpx.get(f"{server.url}/sparql", params={"query": query, **params},
                  headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def _children_cpu(pid: int) -> dict[int, float]:
    """CPU seconds of each child process of ``pid`` (from /proc), to see whether a stopped query still runs."""
    found: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[1]) == pid:
            found[int(entry)] = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    return found


# --- bombs --------------------------------------------------------------------------------------------------------

def test_bombs_are_stopped_and_a_point_query_is_answered_meanwhile(server: ServerProcess) -> None:
    """Eight cartesian-product aggregates from one client, then a point query from another address: it is answered
    while they run, each bomb ends with 503 at the timeout, and no process goes on computing one afterwards."""
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(BOMBS) as pool:
        bombs = [pool.submit(httpx.get, f"{server.url}/sparql", params={"query": HEAVY}, timeout=30)
                 for _ in range(BOMBS)]
        time.sleep(0.5)
        other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=30)
        point = other.get(f"{server.url}/sparql", params={"query": f'ASK {{ ?a <http://purl.org/ontology/bibo/pmid> '
                                                                     f'"{SEED_PMID}" }}'},
                          headers={"Accept": "application/sparql-results+json"})
        answered = time.monotonic()
        answers = [b.result() for b in bombs]
    assert point.status_code == 200 and point.json()["boolean"] is True
    assert answered - started < TIMEOUT, "the point query waited for the bombs"
    assert [a.status_code for a in answers] == [503] * BOMBS, [a.text for a in answers]
    stopped = [a.text for a in answers if not ("did not finish within 3 s" in a.text and "stopped" in a.text)]
    assert not stopped, f"{stopped}\n{server.output()[-3000:]}"
    before = _children_cpu(server.process.pid)
    time.sleep(1.0)
    after = _children_cpu(server.process.pid)
    burning = {pid: after[pid] - before[pid] for pid in after if pid in before and after[pid] - before[pid] > 0.3}
    assert not burning, f"query workers still computing after their timeout: {burning}"
    assert _count(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://purl.org/ontology/bibo/AcademicArticle> }") == 1


def test_a_client_past_its_limit_gets_429(server: ServerProcess) -> None:
    with concurrent.futures.ThreadPoolExecutor(BOMBS + 2) as pool:
        answers = [pool.submit(httpx.get, f"{server.url}/sparql", params={"query": HEAVY}, timeout=30)
                   for _ in range(BOMBS + 2)]
        codes = sorted(a.result().status_code for a in answers)
    assert codes == [429] * 2 + [503] * BOMBS


# --- caps and bad input -------------------------------------------------------------------------------------------

def test_an_oversized_body_is_413(server: ServerProcess) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000
    r = httpx.post(f"{server.url}/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    form = httpx.post(f"{server.url}/sparql", data={"query": big})
    assert form.status_code == 413
    long_get = raw_get(server, b"/sparql?query=ASK%7B%7D%23" + b"x" * 70_000, 10)  # httpx refuses such a URL
    status = int(long_get.split(b" ", 2)[1])
    assert status in (413, 414, 431)


def test_a_body_that_never_arrives_does_not_hold_the_server(server: ServerProcess) -> None:
    """A client that announces a body and sends none: the server answers others meanwhile (uvicorn's event loop is
    not blocked) and ends the stalled request itself."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                  b"Content-Length: 1000\r\n\r\nSELECT")
        assert _count(server, COUNT) > 0
        s.settimeout(30)
        answer = s.recv(65536)
    assert answer.split(b" ", 2)[1] in (b"408", b"400") or answer == b""


@pytest.mark.parametrize("raw", [b'/pubmed/33783695"', b"/pubmed/a\\b", b"/pubmed/%ZZ", b"/%", b"/pubmed/%zz.ttl",
                                 b"/journal/%G0", b"/a%2", b"/pubmed/<x>", b"/pubmed/x^y", b"/mesh/{x}"])
def test_bad_paths_are_4xx_not_500(server: ServerProcess, raw: bytes) -> None:
    answer = raw_get(server, raw)
    assert int(answer.split(b" ", 2)[1]) in (400, 404), answer[:200]


# --- SPARQL semantics ---------------------------------------------------------------------------------------------

def test_from_and_the_protocol_graph_parameters(server: ServerProcess) -> None:
    graph = f"http://localhost:8000/pubmed/{SEED_PMID}#graph"
    everything = _count(server, COUNT)
    own = _count(server, f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}")
    assert 0 < own < everything
    assert _count(server, "SELECT (COUNT(*) AS ?n) FROM <http://example.org/unknown> WHERE { ?s ?p ?o }") == 0
    assert _count(server, "SELECT (COUNT(*) AS ?n) FROM NAMED <http://example.org/unknown> "
                          "WHERE { GRAPH ?g { ?s ?p ?o } }") == 0
    assert _count(server, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == own
    assert _count(server, COUNT, **{"default-graph-uri": graph}) == own
    assert _count(server, COUNT, **{"default-graph-uri": "http://example.org/unknown"}) == 0
    # The request's dataset is exactly the graphs it names: no named graph unless named-graph-uri gives one.
    in_named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert _count(server, in_named, **{"default-graph-uri": graph}) == 0
    # The protocol's parameters win over the query's own FROM (SPARQL 1.1 Protocol, 2.1.4).
    assert _count(server, "SELECT (COUNT(*) AS ?n) FROM <http://example.org/unknown> WHERE { ?s ?p ?o }",
                  **{"default-graph-uri": graph}) == own
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}")
    client.setReturnFormat(JSON)
    assert int(client.queryAndConvert()["results"]["bindings"][0]["n"]["value"]) == own  # type: ignore[index]


def test_relative_iris_resolve_against_the_endpoints_base(server: ServerProcess) -> None:
    assert _count(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ <pubmed/{SEED_PMID}> ?p ?o }}") > 10


def test_service_description_over_http(server: ServerProcess) -> None:
    g = Graph().parse(f"{server.url}/sparql", format="turtle")
    service = URIRef(f"{server.url}/sparql")
    assert (service, SD.endpoint, service) in g and (service, SD.supportedLanguage, SD.SPARQL11Query) in g


# --- another base -------------------------------------------------------------------------------------------------

BASE = "http://example.org/ld/"


@pytest.fixture(scope="module")
def other_base(tmp_path_factory: pytest.TempPathFactory, enricher: object) -> Path:
    out = tmp_path_factory.mktemp("other-base")
    report = publish(read_inputs([str(seed_path())]), out, base=BASE, enricher=enricher)  # type: ignore[arg-type]
    assert report.ok
    return out


def test_a_dataset_built_under_another_base_is_served_under_it(other_base: Path,
                                                              tmp_path_factory: pytest.TempPathFactory) -> None:
    proc = ServerProcess(other_base, tmp_path_factory.mktemp("base") / "server.log")
    try:
        r = httpx.get(f"{proc.url}/pubmed/{SEED_PMID}", headers={"Accept": "text/turtle"}, follow_redirects=True)
        assert r.status_code == 200 and BASE in r.text and "localhost:8000" not in r.text
        index = httpx.get(f"{proc.url}/", headers={"Accept": "text/html"})
        assert SEED_PMID in index.text
        assert _count(proc, f"SELECT (COUNT(*) AS ?n) WHERE {{ <pubmed/{SEED_PMID}> ?p ?o }}") > 10
        assert "no records" not in proc.output()
    finally:
        proc.stop()


def test_the_wrong_base_is_warned_about(other_base: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    proc = ServerProcess(other_base, tmp_path_factory.mktemp("wrong") / "server.log", "--base", "http://elsewhere/")
    try:
        assert "the dataset has no records under http://elsewhere/" in proc.output()
        assert "http://example.org/ld/" in proc.output()
    finally:
        proc.stop()
