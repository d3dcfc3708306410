"""The server in-process (httpx over ASGI): content negotiation for the seed article, documents, HTML, SPARQL,
read-only-ness, timeouts, downloads, path traversal, conditional GET and CORS."""

from __future__ import annotations

import asyncio
import gzip
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic
from starlette.applications import Starlette

from rdfgen.serialize import formats
from rdfgen.server.app import create_app
from rdfgen.server.negotiation import negotiate, parse_accept, quality
from rdfgen.sparql.run import run
from rdfgen.sparql.store import load
from rdfgen.vocab import SDO, XSD
from tests.conftest import ARTICLE, SEED_PMID

pytest_plugins = ["tests.sparql_fixtures"]
RDF_TYPES = [f.media_type for f in formats.FORMATS if f.name != "trig"]
# ~4 s of work on the seed: past the 1 s timeout, yet short enough not to keep a core busy for the whole session.
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g <https://schema.org/name> ?t }"


class Client:
    """A synchronous httpx client over the ASGI app, so tests read as plain calls."""

    def __init__(self, app: Starlette) -> None:
        self.app = app

    def request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                return await client.request(method, url, **kw)

        return asyncio.run(go())

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("POST", url, **kw)

    def raw(self, raw_path: bytes) -> tuple[int, bytes]:
        """GET a path exactly as given (clients normalise ``..`` away before sending)."""
        sent: list[dict[str, Any]] = []

        async def go() -> None:
            scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
                     "scheme": "http", "path": unquote(raw_path.decode()), "raw_path": raw_path, "query_string": b"",
                     "root_path": "", "headers": [(b"host", b"testserver")], "server": ("testserver", 80),
                     "client": ("127.0.0.1", 1)}

            async def receive() -> dict[str, Any]:
                return {"type": "http.request", "body": b"", "more_body": False}

            async def send(message: dict[str, Any]) -> None:
                sent.append(message)

            await self.app(scope, receive, send)

        asyncio.run(go())
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return sent[0]["status"], body


@pytest.fixture(scope="module")
def seed_dir(seed_build: tuple[Path, object]) -> Path:
    return seed_build[0]


@pytest.fixture(scope="module")
def client(seed_dir: Path) -> Client:
    return Client(create_app(seed_dir, timeout=1.0, max_results=100))


@pytest.fixture(scope="module")
def multi(multi_build: Path) -> Client:
    return Client(create_app(multi_build))


def expected(seed_dir: Path) -> Graph:
    return Graph().parse(seed_dir / "pubmed" / f"{SEED_PMID}.ttl", format="turtle")


def parse(response: httpx.Response, media_type: str) -> Graph:
    fmt = formats.from_media_type(media_type)
    if fmt.quads:
        ds = Dataset()
        ds.parse(data=response.content, format=fmt.rdflib)
        graph = Graph()
        for s, p, o, _ in ds.quads():
            graph.add((s, p, o))
        return graph
    return Graph().parse(data=response.content, format=fmt.rdflib)


def assert_same(got: Graph, want: Graph) -> None:
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(got, want)
        pytest.fail(f"graphs differ:\nonly served:\n{only_got.serialize(format='nt')}\n"
                    f"only built:\n{only_want.serialize(format='nt')}")


# --- Accept parsing -----------------------------------------------------------------------------------------------

def test_accept_prefers_specific_ranges_and_q_values() -> None:
    offers = ["text/turtle", "text/html", "application/n-triples"]
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
    assert negotiate(browser, offers) == "text/html"
    assert negotiate("text/*;q=0.3, text/turtle;q=0, */*;q=0.1", offers) == "text/html"
    assert negotiate("application/n-triples;q=0.9, text/turtle;q=0.5", offers) == "application/n-triples"
    assert negotiate("image/png", offers) is None
    assert negotiate(None, offers) == negotiate("*/*", offers) == "text/turtle"
    assert negotiate("TEXT/HTML", offers) == "text/html"
    assert negotiate("text/turtle;q=2, text/html", offers) == "text/html"  # a malformed q drops its range
    assert negotiate('application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"', ["application/ld+json"])


media = st.sampled_from(["text/turtle", "text/html", "application/n-triples", "application/ld+json",
                         "application/rdf+xml", "application/n-quads"])
qvalue = st.integers(0, 1000).map(lambda n: n / 1000)


@given(st.dictionaries(media, qvalue, min_size=1), st.lists(media, min_size=1, unique=True))
def test_accept_chooses_an_offer_of_highest_quality(weights: dict[str, float], offers: list[str]) -> None:
    header = ", ".join(f"{m};q={q:.3f}" for m, q in weights.items())
    chosen = negotiate(header, offers)
    best = max(weights.get(o, 0.0) for o in offers)
    if best == 0:
        assert chosen is None
    else:
        assert chosen is not None and weights[chosen] == best
        assert chosen == next(o for o in offers if weights.get(o, 0.0) == best)  # ties: server order


@given(media, qvalue, qvalue)
def test_the_most_specific_range_decides(offer: str, exact: float, wild: float) -> None:
    main = offer.split("/")[0]
    assert quality(parse_accept(f"*/*;q={wild}, {main}/*;q=0.5, {offer};q={exact}"), offer) == exact
    assert quality(parse_accept(f"*/*;q={wild}, {main}/*;q={exact}"), offer) == exact


@given(st.text(max_size=200))
def test_any_header_parses_without_error(header: str) -> None:
    for r in parse_accept(header):
        assert 0 <= r.q <= 1


# --- dereferencing the seed article -------------------------------------------------------------------------------

@pytest.mark.parametrize("media_type", RDF_TYPES)
def test_article_negotiates_each_rdf_format(client: Client, seed_dir: Path, media_type: str) -> None:
    r = client.get(f"/pubmed/{SEED_PMID}", headers={"Accept": media_type})
    fmt = formats.from_media_type(media_type)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"./{SEED_PMID}.{fmt.extension}"
    assert "Accept" in r.headers["vary"]
    doc = client.get(f"/pubmed/{SEED_PMID}.{fmt.extension}")
    assert doc.status_code == 200
    assert doc.headers["content-type"].split(";")[0] == media_type
    assert doc.headers["link"] == f'<{ARTICLE}>; rel="describes"'
    assert_same(parse(doc, media_type), expected(seed_dir))


def test_published_documents_are_served_as_built(client: Client, seed_dir: Path) -> None:
    for ext in ("ttl", "nt", "jsonld", "embed.jsonld"):
        r = client.get(f"/pubmed/{SEED_PMID}.{ext}")
        assert r.status_code == 200
        assert r.content == (seed_dir / "pubmed" / f"{SEED_PMID}.{ext}").read_bytes()


def test_quads_carry_the_record_graph(client: Client) -> None:
    ds = Dataset()
    ds.parse(data=client.get(f"/pubmed/{SEED_PMID}.nq").content, format="nquads")
    assert {str(c.identifier) for c in ds.graphs() if len(c)} == {f"{ARTICLE}#graph"}


def test_browser_gets_html_with_embedded_json_ld(client: Client, seed_dir: Path) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get(f"/pubmed/{SEED_PMID}", headers={"Accept": accept}, follow_redirects=True)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    embedded = json.loads(html[start:html.index("</script>", start)])
    assert embedded == json.loads((seed_dir / "pubmed" / f"{SEED_PMID}.embed.jsonld").read_text())
    for f in formats.FORMATS:
        if f.name != "trig":
            assert f'<link rel="alternate" type="{f.media_type}" href="/pubmed/{SEED_PMID}.{f.extension}">' in html
    assert "Imaging of neuroendocrine tumors" in html and "Ali Pirasteh" in html
    assert "<svg" in html and "References by publication year" in html  # the seed's references span 3+ years
    assert ">reference 1</a>" in html and ">DOI 10.1530/ERC-12-0340 at doi.org</a>" in html
    assert html.index("Cite: ") < html.index("<h2>References")  # citations and formats near the top
    assert 'href="https://doi.org/10.1007/s11154-021-09631-7"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/33783695/"' in html
    assert 'href="/pubmed/33783695/reference/1"' in html  # numbered references link to their own pages


def test_article_page_shows_orcid_affiliation_mesh_and_labels(multi: Client) -> None:
    html = multi.get("/pubmed/1000001.html").text
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in html
    assert "University of Testing" in html
    assert 'href="/mesh/D009369">Neoplasms*</a>' in html  # major topic starred, the local page linked
    assert "Humans</a>" in html and 'href="/keyword/Imaging">Imaging</a>' in html
    mesh = multi.get("/mesh/D009369").text  # the local page: the articles, and NLM
    assert "<h1>Neoplasms</h1>" in mesh and 'href="http://id.nlm.nih.gov/mesh/D009369"' in mesh
    assert mesh.count('<li><a href="/pubmed/') == 3
    keyword = multi.get("/keyword/PET").text
    assert keyword.count('<li><a href="/pubmed/') == 2
    assert multi.get("/mesh/D999999999").status_code == 404 and multi.get("/keyword/none%20such").status_code == 404
    assert multi.get("/mesh/D009369?page=0").status_code == 400


def test_unacceptable_type_is_406_with_the_offers(client: Client) -> None:
    r = client.get(f"/pubmed/{SEED_PMID}", headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "text/turtle" in r.text and "application/ld+json" in r.text and "text/html" in r.text


def test_unknown_iri_is_404_saying_what_exists(client: Client) -> None:
    r = client.get("/pubmed/1", headers={"Accept": "text/turtle"})
    assert r.status_code == 404
    assert "http://localhost:8000/pubmed/1" in r.text and "1 records" in r.text and "index at /" in r.text
    page = client.get("/pubmed/1", headers={"Accept": "text/html"})
    assert page.status_code == 404 and '<a href="/">the index</a>' in page.text


@pytest.mark.parametrize("path", ["/pubmed/33783695/author/1", "/journal/rev-endocr-metab-disord",
                                  "/doi/10.1530%2Ferc-12-0340", "/pubmed/33783695/reference/1",
                                  "/journal/rev-endocr-metab-disord/volume/22/issue/3"])
def test_every_minted_iri_dereferences(client: Client, path: str) -> None:
    r = client.get(path, headers={"Accept": "application/n-triples"})
    assert r.status_code == 303 and r.headers["location"].endswith(".nt")
    doc = client.get(path + ".nt")
    graph = Graph().parse(data=doc.text, format="nt")
    assert (URIRef("http://localhost:8000" + path), None, None) in graph
    page = client.get(path, headers={"Accept": "text/html"}, follow_redirects=True)
    assert page.status_code == 200 and "<table>" in page.text


# --- SPARQL -------------------------------------------------------------------------------------------------------

SELECT = "PREFIX schema: <https://schema.org/> SELECT ?a ?t WHERE { ?a schema:headline ?t } ORDER BY ?a"


@pytest.mark.parametrize(("accept", "check"), [
    ("application/sparql-results+json", lambda r: json.loads(r.text)["results"]["bindings"][0]["a"]["value"]),
    ("application/sparql-results+xml", lambda r: "<sparql" in r.text and str(ARTICLE) in r.text),
    ("text/csv", lambda r: r.text.startswith("a,t\r\n") and str(ARTICLE) in r.text),
    ("text/tab-separated-values", lambda r: r.text.startswith("?a\t?t\n") and f"<{ARTICLE}>" in r.text),
])
def test_select_in_each_results_format(client: Client, accept: str, check: Any) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == accept
    assert check(r)


def test_select_rows_equal_the_query_library(client: Client, seed_dir: Path) -> None:
    r = client.post("/sparql", content=SELECT, headers={"Content-Type": "application/sparql-query",
                                                         "Accept": "application/sparql-results+json"})
    rows = [(b["a"]["value"], b["t"]["value"]) for b in r.json()["results"]["bindings"]]
    assert rows == run(SELECT, data=seed_dir).values()


def test_ask_and_construct(client: Client, seed_dir: Path) -> None:
    ask = client.post("/sparql", data={"query": f"ASK {{ <{ARTICLE}> a <https://schema.org/ScholarlyArticle> }}"},
                      headers={"Accept": "application/sparql-results+json"})
    assert ask.json() == {"head": {}, "boolean": True}
    construct = f"CONSTRUCT {{ <{ARTICLE}> ?p ?o }} WHERE {{ <{ARTICLE}> ?p ?o }}"
    r = client.get("/sparql", params={"query": construct}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    got = Graph().parse(data=r.text, format="turtle")
    assert (ARTICLE, SDO.headline, None) in got
    assert len(got) == len(list(expected(seed_dir).predicate_objects(ARTICLE)))


def test_results_are_capped(client: Client) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                   headers={"Accept": "application/sparql-results+json"})
    assert len(r.json()["results"]["bindings"]) == 100
    assert r.headers["x-result-limit"] == "100"


@pytest.mark.parametrize("how", ["form-update", "sparql-update", "query-param", "get-update"])
def test_updates_are_refused_and_the_store_unchanged(client: Client, how: str) -> None:
    store = client.app.state.server.site.store
    before = len(store)
    update = f'INSERT DATA {{ <{ARTICLE}> <https://schema.org/name> "vandalised" }}'
    if how == "form-update":
        r = client.post("/sparql", data={"update": update})
    elif how == "sparql-update":
        r = client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
    elif how == "query-param":
        r = client.post("/sparql", data={"query": "PREFIX s: <https://schema.org/>\n# a comment\n" + update})
    else:
        r = client.get("/sparql", params={"update": update})
    assert r.status_code == 403 and "read-only" in r.text
    assert len(store) == before
    assert not run('ASK { ?s ?p "vandalised" }', data=store).boolean


def test_malformed_and_federated_queries_are_400(client: Client) -> None:
    bad = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert bad.status_code == 400 and "malformed" in bad.text
    fed = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert fed.status_code == 400 and "SERVICE" in fed.text


def test_query_timeout_is_503_and_the_server_keeps_answering(client: Client) -> None:
    r = client.get("/sparql", params={"query": HEAVY})
    assert r.status_code == 503 and "did not finish within 1 s" in r.text
    ok = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    assert ok.status_code == 200 and ok.json()["boolean"] is True


def test_sparql_form_lists_the_query_library(client: Client) -> None:
    r = client.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "<textarea" in r.text and "article-card" in r.text


def test_service_description_without_a_query(client: Client) -> None:
    """SPARQL 1.1 Service Description, section 2: the endpoint describes itself when asked with no query."""
    from rdflib import Graph, Namespace, URIRef

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    for accept, fmt in (("*/*", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")):
        r = client.get("/sparql", headers={"Accept": accept})
        assert r.status_code == 200, (accept, r.text)
        g = Graph().parse(data=r.text, format=fmt)
        service = URIRef("http://testserver/sparql")
        assert (service, sd.supportedLanguage, sd.SPARQL11Query) in g
        assert (service, sd.feature, sd.UnionDefaultGraph) in g
        assert (service, sd.resultFormat, URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in g


def test_cors_on_get(client: Client) -> None:
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    doc = client.get(f"/pubmed/{SEED_PMID}.ttl", headers={"Origin": "https://example.org"})
    assert doc.headers["access-control-allow-origin"] == "*"


# --- downloads, VoID, conditional GET, traversal ------------------------------------------------------------------

def test_downloads_list_and_serve_the_dumps(client: Client, seed_dir: Path) -> None:
    page = client.get("/download/").text
    for name in ("dataset.nt.gz", "dataset.nq.gz", "dataset.ttl", "void.ttl"):
        assert f'href="/download/{name}"' in page and f"{(seed_dir / name).stat().st_size:,} bytes" in page
        assert client.get(f"/download/{name}").content == (seed_dir / name).read_bytes()
    nq = client.get("/dataset.nq.gz")  # the VoID's dataDump IRI
    assert gzip.decompress(nq.content) == gzip.decompress((seed_dir / "dataset.nq.gz").read_bytes())


def test_void_is_negotiable(client: Client, seed_dir: Path) -> None:
    want = Graph().parse(seed_dir / "void.ttl", format="turtle")
    for media_type in ("text/turtle", "application/ld+json", "application/n-triples"):
        r = client.get("/.well-known/void", headers={"Accept": media_type})
        assert r.status_code == 200 and "Accept" in r.headers["vary"]
        assert isomorphic(parse(r, media_type), want)
    assert client.get("/dataset").headers["location"] == "/.well-known/void"


@pytest.mark.parametrize("path", [f"/pubmed/{SEED_PMID}.ttl", f"/pubmed/{SEED_PMID}.html", f"/pubmed/{SEED_PMID}.rdf",
                                  "/download/dataset.nq.gz", "/.well-known/void"])
def test_conditional_get(client: Client, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(path, headers={"If-None-Match": f'W/{etag}, "other"'}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200
    assert client.get(path, headers={"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}).status_code == 200


TRAVERSALS = [b"/download/../../etc/passwd", b"/download/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
              b"/download/..%2F..%2Fetc%2Fpasswd", b"/download/%2Fetc%2Fpasswd", b"/download//etc/passwd",
              b"/download/%252e%252e%252fetc%252fpasswd", b"/../../../etc/passwd", b"/%2e%2e/%2e%2e/etc/passwd",
              b"/pubmed/..%2f..%2f..%2fetc%2fpasswd", b"/pubmed/33783695.ttl/../../../../etc/passwd",
              b"/download/dataset.ttl/../../../etc/passwd", b"/etc/passwd", b"/download/C:%5Cwindows%5Cwin.ini"]


@pytest.mark.parametrize("raw", TRAVERSALS, ids=lambda b: b.decode())
def test_path_traversal_never_reaches_a_file(client: Client, raw: bytes) -> None:
    status, body = client.raw(raw)
    assert status in (400, 404)
    assert b"root:" not in body


def test_symlinks_out_of_the_folder_are_not_followed(seed_dir: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(seed_dir, site)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    (site / "void.ttl").unlink()
    (site / "void.ttl").symlink_to(secret)
    (site / "pubmed" / f"{SEED_PMID}.ttl").unlink()
    (site / "pubmed" / f"{SEED_PMID}.ttl").symlink_to(secret)
    c = Client(create_app(site))
    assert c.get("/download/void.ttl").status_code == 404
    assert "void.ttl" not in c.get("/download/").text
    doc = c.get(f"/pubmed/{SEED_PMID}.ttl")  # rendered from the store instead
    assert "TOP SECRET" not in doc.text
    assert_same(Graph().parse(data=doc.text, format="turtle"), expected(seed_dir))


# --- index and a store-backed server ------------------------------------------------------------------------------

def test_index_searches_titles_authors_and_mesh(multi: Client) -> None:
    assert "4 records" in multi.get("/").text
    by_author = multi.get("/", params={"q": "carol brown"}).text
    assert "1000001" in by_author and "1000004" in by_author and "1000002" not in by_author
    by_mesh = multi.get("/", params={"q": "diagnostic imaging"}).text
    assert "1 of 4 records" in by_mesh and "/pubmed/1000001" in by_mesh
    hostile = multi.get("/", params={"q": '<script>alert("x")</script>'}).text
    assert "<script>alert" not in hostile and "&lt;script&gt;" in hostile


def decimals_by_value(graph: Graph) -> Graph:
    """A store keeps a decimal's value, not its lexical form ("1.0" may come back as "1"): compare values."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


def test_serves_a_persistent_store_without_files(seed_dir: Path, tmp_path: Path) -> None:
    load([seed_dir], tmp_path / "db")[0].flush()
    c = Client(create_app(store=tmp_path / "db"))
    served = Graph().parse(data=c.get(f"/pubmed/{SEED_PMID}.ttl").text, format="turtle")
    assert_same(decimals_by_value(served), decimals_by_value(expected(seed_dir)))
    page = c.get(f"/pubmed/{SEED_PMID}.html").text
    assert "Ali Pirasteh" in page and '"@type": "ScholarlyArticle"' in page
    assert "No dumps here" in c.get("/download/").text
    assert (ARTICLE, SDO.headline, Literal(
        "Imaging of neuroendocrine tumors: A pictorial review of the clinical value of different imaging modalities"
    )) in Graph().parse(data=c.get(f"/pubmed/{SEED_PMID}.jsonld").text, format="json-ld")


def test_serve_command_reports_a_missing_build(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rdfgen.server.command import serve

    result = CliRunner().invoke(serve, ["--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2, result.output
    assert "run `rdfgen build" in result.output
    assert "--max-results" in CliRunner().invoke(serve, ["--help"]).output


def test_reference_chart_only_when_it_says_something() -> None:
    from rdfgen.server.pages import reference_chart

    assert reference_chart([2010, 2010, 2011]) == "" and reference_chart([]) == ""
    chart = reference_chart([2001, 2003, 2003, 2009])
    assert chart.count("<rect") == 3 and "<td>2003</td><td>2</td>" in chart


def test_the_download_page_says_what_the_void_says(client: Client) -> None:
    html = client.get("/download/").text
    assert "<h2>About the dataset</h2>" in html and "<dt>Licence</dt>" in html
    assert "terms_and_conditions.html" in html and "<dt>Statements</dt><dd>" in html
    assert "schema, skos" in html and "<td>schema:ScholarlyArticle</td>" in html


def test_what_points_at_a_resource_is_grouped_by_property_counted_and_paged(tmp_path: Path) -> None:
    """A work cited by 45 records: its page lists each property pointing at it with a count and its first 20
    subjects by label, and pages through one property at a time."""
    import re

    from rdfgen.model import Record, Reference
    from rdfgen.publish.build import publish_items

    records = [Record(pmid=str(6000001 + i), title=f"Citing paper {i}",
                      references=(Reference(1, "The classic. J Tests. 1990.", title="The classic", year=1990,
                                            doi="10.1000/classic"),)) for i in range(45)]
    assert publish_items(records, tmp_path / "out", documents=False).ok
    app = Client(create_app(tmp_path / "out"))
    page = app.get("/doi/10.1000%2Fclassic.html").text
    assert '<h2>Referred to by</h2>' in page
    groups = dict(re.findall(r'>([a-z]+:[A-Za-z]+)</a> \((\d+)\)</h3>', page))
    assert groups["biro:references"] == "45" and groups["cito:cites"] == "45"
    cites = page[page.index(">cito:cites</a>"):]
    cites = cites[:cites.index("</ol>")]
    assert cites.count("<li>") == 20 and ">Citing paper" in cites  # labels, not IRIs
    following = re.search(r'href="([^"]*rel=[^"]*cito[^"]*page=2)">next 20 of 45</a>', page)
    assert following is not None
    second = app.get(following.group(1).replace("&amp;", "&")).text
    assert second.count("<h3>") == 1 and '<ol start="21">' in second
    third = app.get(following.group(1).replace("&amp;", "&").replace("page=2", "page=3")).text
    assert third[third.index('<ol start="41">'):].count("<li>") == 5 and ">previous</a>" in third
    assert app.get("/doi/10.1000%2Fclassic.html?page=0").status_code == 400
    assert app.get('/doi/10.1000%2Fclassic.html?rel=%3Cx%3E').status_code == 400


# --- the page cache: gzip once, either coding served -----------------------------------------------------------------

def test_a_cached_article_page_is_served_gzipped_or_plain_as_the_client_accepts(client: Client) -> None:
    """The cache keeps a page compressed: a client that accepts gzip gets those bytes with Content-Encoding, one
    that does not gets the same page decompressed; each coding has its own ETag, both vary on Accept-Encoding,
    and each answers its own conditional request with 304."""
    url = f"/pubmed/{SEED_PMID}.html"
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    zipped = client.get(url, headers={"Accept-Encoding": "br;q=1, gzip;q=0.5"})
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0"})
    assert plain.status_code == zipped.status_code == refused.status_code == 200
    assert "content-encoding" not in plain.headers and "content-encoding" not in refused.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.text == plain.text == refused.text and "<html" in plain.text  # httpx decodes the gzip
    assert "Accept-Encoding" in plain.headers["vary"] and "Accept-Encoding" in zipped.headers["vary"]
    assert plain.headers["etag"] != zipped.headers["etag"] and plain.headers["link"] == zipped.headers["link"]
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["etag"]})
    assert again.status_code == 304
    other = client.get(url, headers={"Accept-Encoding": "identity", "If-None-Match": zipped.headers["etag"]})
    assert other.status_code == 200


@pytest.mark.parametrize(("header", "gzip"), [
    (None, False), ("", False), ("identity", False), ("gzip", True), ("GZIP", True), ("x-gzip", True),
    ("*", True), ("deflate, gzip;q=0.3", True), ("gzip;q=0", False), ("gzip;q=0.0", False), ("gzip;q=zz", False),
    ("br", False), ("gzipped", False),
])
def test_accept_encoding_is_read_as_rfc_9110_says(header: str | None, gzip: bool) -> None:
    from rdfgen.server.app import accepts_gzip

    assert accepts_gzip(header) is gzip


def test_the_page_cache_counts_what_it_stores_and_drops_the_least_recently_used() -> None:
    from rdfgen.server.app import PageCache

    made: list[str] = []

    def make(key: str) -> tuple[str, str]:
        made.append(key)
        return "é" * 5000 + key, f"<{key}>"  # not ASCII: the budget is bytes as stored, not characters

    one = PageCache(max_bytes=1 << 20).get("x", make).size
    assert one < 5000  # compressed, not 10,000 bytes of UTF-8
    cache = PageCache(max_bytes=2 * one)
    made.clear()
    for key in ("a", "b", "a", "c", "a", "b"):
        cache.get(key, make)
    assert made == ["a", "b", "c", "b"]  # "a", used again before "c" came, stayed; "b" went and was made again
    assert list(cache.items) == ["a", "b"]
    assert cache.size == sum(page.size for page in cache.items.values()) <= cache.max_bytes
    assert gzip.decompress(cache.get("a", make).gzipped).decode() == "é" * 5000 + "a"
