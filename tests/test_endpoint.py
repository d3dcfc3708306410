"""The same query gives the same rows through --data, --store and --endpoint (a real ``oxigraph serve`` on
127.0.0.1 with --union-default-graph), and endpoint failures are reported with endpoint, status and message."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rdflib.compare import isomorphic

from rdfgen.cli import load, query
from rdfgen.sparql.library import EndpointError, QuerySyntaxError, list_queries
from rdfgen.sparql.run import run
from rdfgen.sparql.store import load as load_store

pytest_plugins = ["tests.sparql_fixtures"]

# Parameters that make each query find something in the seed + multi-record dataset.
PARAMS: dict[str, dict[str, str | list[str]]] = {
    "article-card": {"pmid": ["33783695", "1000001", "1000003"]},
    "article-authors": {"pmid": "1000001"},
    "article-subjects": {"pmid": "1000001"},
    "article-references": {"pmid": "33783695"},
    "citing-articles": {"doi": "10.1000/shared-a"},
    "co-cited-works": {"doi": "10.1000/shared-a"},
    "co-authors": {"min_articles": "1"},
    "related-articles": {"pmid": "1000001"},
    "article-embed": {"pmid": "1000001"},
    "describe-article": {"pmid": "33783695"},
    "mesh-subtree-articles": {"descriptor": "D009369"},
}


@pytest.fixture(scope="module")
def builds(seed_build: tuple[Path, object], multi_build: Path) -> list[Path]:
    return [seed_build[0], multi_build]


@pytest.fixture(scope="module")
def store_path(builds: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("endpoint-store") / "db"
    load_store(builds, path)
    return path


@pytest.mark.parametrize("info", list_queries(), ids=lambda q: q.name)
def test_same_answer_from_data_store_and_endpoint(info, builds, store_path, oxigraph_server) -> None:  # type: ignore[no-untyped-def]
    params = PARAMS.get(info.name)
    via_data = run(info, params, data=builds)
    via_store = run(info, params, store=store_path)
    via_endpoint = run(info, params, endpoint=oxigraph_server.endpoint, timeout=20)
    if info.returns == "graph":
        assert via_data.triples
        assert isomorphic(via_data.graph(), via_store.graph())
        assert isomorphic(via_data.graph(), via_endpoint.graph())
    else:
        assert via_data.rows, f"{info.name} finds something in the test data"
        assert via_data.columns == via_store.columns == via_endpoint.columns == list(info.columns)
        assert via_data.rows == via_store.rows == via_endpoint.rows


def test_cli_gives_identical_json_from_the_three_backends(builds, store_path, oxigraph_server) -> None:  # type: ignore[no-untyped-def]
    group = click.Group("rdfgen")
    group.add_command(query)
    group.add_command(load)
    outputs = []
    for backend in (["--data", str(builds[0]), "--data", str(builds[1])], ["--store", str(store_path)],
                    ["--endpoint", oxigraph_server.endpoint]):
        res = CliRunner().invoke(group, ["query", "co-authors", "-p", "min_articles=1", "-f", "json", *backend])
        assert res.exit_code == 0, res.output
        outputs.append(json.loads(res.output))
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0]["results"]["bindings"]) == 4


def test_endpoint_http_error_names_endpoint_status_and_message(oxigraph_server) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EndpointError) as err:
        run("publication-types", endpoint=f"{oxigraph_server.url}/no-such-path", timeout=10)
    assert f"{oxigraph_server.url}/no-such-path: HTTP 404" in str(err.value)


def test_malformed_query_is_caught_before_it_is_sent(oxigraph_server) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QuerySyntaxError, match=r"error at \d+:\d+"):
        run("SELECT * {\n ?s ?p }", endpoint=oxigraph_server.endpoint)


def test_unreachable_endpoint_exits_2() -> None:
    from tests.sparql_fixtures import free_port

    group = click.Group("rdfgen")
    group.add_command(query)
    url = f"http://127.0.0.1:{free_port()}/query"
    res = CliRunner().invoke(group, ["query", "publication-types", "--endpoint", url])
    assert res.exit_code == 2
    assert f"error: {url}: cannot connect" in res.output


class _Handler(BaseHTTPRequestHandler):
    """A stand-in endpoint: basic auth required, a slow path for timeouts, a 500 with a message."""

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        expected = "Basic " + base64.b64encode(b"reader:secret").decode()
        path = self.path.split("?", 1)[0]
        if path == "/slow":
            time.sleep(3)
        if path == "/broken":
            self._reply(500, b"Internal error\nquery planner exploded\nat line 3\n", "text/plain")
        elif self.headers.get("Authorization") != expected:
            self._reply(401, b"Unauthorized: wrong credentials\n", "text/plain")
        else:
            body = {"head": {"vars": ["type", "articles"]}, "results": {"bindings": [
                {"type": {"type": "literal", "value": "Review"},
                 "articles": {"type": "literal", "value": "1",
                              "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}
            self._reply(200, json.dumps(body).encode(), "application/sparql-results+json")

    def _reply(self, status: int, body: bytes, media_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def fake_endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_basic_auth(fake_endpoint: str) -> None:
    result = run("publication-types", endpoint=f"{fake_endpoint}/sparql", auth=("reader", "secret"))
    assert result.values() == [("Review", "1")]
    with pytest.raises(EndpointError, match=r"HTTP 401\n  Unauthorized: wrong credentials"):
        run("publication-types", endpoint=f"{fake_endpoint}/sparql", auth=("reader", "wrong"))


def test_server_error_shows_first_lines_of_its_message(fake_endpoint: str) -> None:
    group = click.Group("rdfgen")
    group.add_command(query)
    res = CliRunner().invoke(group, ["query", "publication-types", "--endpoint", f"{fake_endpoint}/broken"])
    assert res.exit_code == 2
    assert f"{fake_endpoint}/broken: HTTP 500\n  Internal error\n  query planner exploded" in res.output


def test_timeout(fake_endpoint: str) -> None:
    group = click.Group("rdfgen")
    group.add_command(query)
    res = CliRunner().invoke(group, ["query", "publication-types", "--endpoint", f"{fake_endpoint}/slow",
                                     "--timeout", "1", "--user", "reader", "--password", "secret"])
    assert res.exit_code == 2
    assert "no answer within 1 s" in res.output
