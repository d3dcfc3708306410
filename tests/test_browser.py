"""A real browser (headless Debian chromium) loads the article from the real server: the JSON-LD a crawler reads from
the rendered DOM parses to a ScholarlyArticle, and extruct finds the same object as the build's .embed.jsonld.
The screenshot lands in out/browser/ for CI to keep as an artifact."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import extruct
import httpx
import pytest
from rdflib import RDF, URIRef

from rdfgen.vocab import SDO
from tests.conftest import ARTICLE, SEED_PMID
from tests.test_server_process import ServerProcess

from .reference_writers import parse_embed

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "out" / "browser"
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian chromium is not installed (apt-get install -y chromium)")
_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture(scope="module")
def data(seed_build: tuple[Path, object]) -> Path:
    return seed_build[0]


@pytest.fixture(scope="module")
def server(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(data, tmp_path_factory.mktemp("browser-server") / "server.log")
    try:
        yield proc
    finally:
        proc.stop()


def chromium(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", *args, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)


def test_browser_dom_carries_the_scholarly_article(server: ServerProcess, tmp_path: Path) -> None:
    dom = chromium(tmp_path, f"{server.url}/pubmed/{SEED_PMID}", "--dump-dom").stdout
    scripts = _SCRIPT.findall(dom)
    assert len(scripts) == 1, dom[:2000]
    graph = parse_embed(scripts[0])
    assert (ARTICLE, RDF.type, SDO.ScholarlyArticle) in graph
    assert str(graph.value(ARTICLE, SDO.headline)).startswith("Imaging of neuroendocrine tumors")
    assert str(graph.value(ARTICLE, SDO.datePublished)) == "2021-09"
    assert {str(graph.value(a, SDO.name)) for a in graph.objects(ARTICLE, SDO.author)} == {"Ali Pirasteh"}
    assert len(set(graph.objects(ARTICLE, SDO.citation))) == 5
    assert URIRef("https://pubmed.ncbi.nlm.nih.gov/33783695/") in set(graph.objects(ARTICLE, SDO.sameAs))
    embedded = json.loads(scripts[0])  # RDF forgets order; the JSON keeps authors and citations in list order
    assert [a["@id"] for a in embedded["author"]] == [f"{ARTICLE}/author/1"]
    assert embedded["citation"][0]["@id"] == f"{ARTICLE}/reference/1/work"


def test_screenshot(server: ServerProcess, tmp_path: Path) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"article-{SEED_PMID}.png"
    shot.unlink(missing_ok=True)
    chromium(tmp_path, f"{server.url}/pubmed/{SEED_PMID}", f"--screenshot={shot}", "--window-size=1200,1600",
             "--hide-scrollbars")
    assert shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_extruct_finds_the_build_embedding(server: ServerProcess, data: Path) -> None:
    html = httpx.get(f"{server.url}/pubmed/{SEED_PMID}", headers={"Accept": "text/html"}, follow_redirects=True).text
    found = extruct.extract(html, base_url=f"{server.url}/pubmed/{SEED_PMID}", syntaxes=["json-ld"])["json-ld"]
    assert found == [json.loads((data / "pubmed" / f"{SEED_PMID}.embed.jsonld").read_text(encoding="utf-8"))]
