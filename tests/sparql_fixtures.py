"""Fixtures for the query tests: a hand-made multi-record dataset and a real ``oxigraph serve`` on 127.0.0.1.

The seed has one known author and no MeSH, so cross-article queries (co-citation, co-authorship, shared MeSH, ORCID
across articles, retractions) need records made for them. They are built from rdfgen.model dataclasses and published
through rdfgen.publish.publish with validation on, so the queries read exactly what a build writes. Every count the
tests assert follows from the table in the module docstring of tests/test_queries.py.
"""

from __future__ import annotations

import gzip
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from rdfgen.model import (
    Abstract,
    AbstractSection,
    Affiliation,
    Author,
    CommentCorrection,
    Journal,
    Keyword,
    MeshHeading,
    MeshQualifier,
    PartialDate,
    PublicationType,
    Record,
    Reference,
)
from rdfgen.publish.documents import publish

ALICE, BOB, CAROL = "0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X"
SHARED_A, SHARED_B, OTHER = "10.1000/shared-a", "10.1000/shared-b", "10.1000/other"
NEOPLASMS = MeshHeading("D009369", "Neoplasms", major=True)
HUMANS = MeshHeading("D006801", "Humans")
IMAGING = MeshHeading("D003952", "Diagnostic Imaging", qualifiers=(MeshQualifier("Q000379", "methods", major=True),))
JOURNAL = Journal(title="Journal of Tests", iso_abbreviation="J Tests", issn_linking="1234-5678")


def _abstract(text: str) -> Abstract:
    return Abstract((AbstractSection(text),))


def multi_records() -> list[Record]:
    """Four articles: shared ORCID authors, MeSH with major flags, shared cited DOIs (one in upper case), a record
    cited by PMID, one retracted with RetractionIn, one corrected and lacking DOI and abstract."""
    alice = Author("Smith", "Alice", "A", orcid=ALICE, affiliations=(Affiliation("University of Testing"),))
    bob = Author("Jones", "Bob", "B", orcid=BOB)
    carol = Author("Brown", "Carol", "C", orcid=CAROL)
    dan = Author("Green", "Dan", "D")
    article = PublicationType("Journal Article", "D016428")
    a1 = Record(
        pmid="1000001", title="First test article", doi="10.1000/a1", abstract=_abstract("About imaging."),
        journal=JOURNAL, volume="1", issue="1", pub_date=PartialDate(2020, 1), authors=(alice, bob, carol),
        publication_types=(article,), mesh_headings=(NEOPLASMS, HUMANS, IMAGING),
        keywords=(Keyword("Imaging"), Keyword("PET")),
        references=(
            Reference(1, "Shared A. J Tests. 2010.", title="Shared work A", journal="J Tests", year=2010,
                      doi=SHARED_A),
            Reference(2, "Shared B. J Tests. 2012.", title="Shared work B", journal="J Tests", year=2012,
                      doi=SHARED_B),
            Reference(3, "Third article as cited. Other J. 2019.", title="Third article as cited",
                      journal="Other J", year=2019, pmid="1000003"),
            Reference(4, "A book without identifiers. 1999.", year=1999),
        ),
    )
    a2 = Record(
        pmid="1000002", title="Second test article, retracted", doi="10.1000/a2",
        abstract=_abstract("Retracted findings."), journal=JOURNAL, volume="1", issue="2",
        pub_date=PartialDate(2020, 6), authors=(alice, bob),
        publication_types=(article, PublicationType("Retracted Publication", "D016441")),
        mesh_headings=(MeshHeading("D009369", "Neoplasms"), HUMANS), keywords=(Keyword("imaging"), Keyword("MRI")),
        comments_corrections=(CommentCorrection("RetractionIn", "J Tests. 2021", "1000099"),),
        references=(
            Reference(1, "Shared A again.", title="Shared work A", journal="J Tests", year=2010,
                      doi="10.1000/SHARED-A"),
            Reference(2, "Shared B again.", title="Shared work B", journal="J Tests", year=2012, doi=SHARED_B),
            Reference(3, "Other work.", title="Other work", journal="Other J", year=2015, doi=OTHER),
        ),
    )
    a3 = Record(
        pmid="1000003", title="Third test article", journal=JOURNAL, pub_date=PartialDate(2020, 5),
        authors=(bob, dan), publication_types=(article,), mesh_headings=(HUMANS,),
        comments_corrections=(CommentCorrection("ErratumIn", "J Tests. 2021", "1000098"),),
        references=(Reference(1, "Shared A, third time.", title="Shared work A", journal="J Tests", year=2010,
                              doi=SHARED_A),),
    )
    a4 = Record(
        pmid="1000004", title="Fourth test article", doi="10.1000/a4", abstract=_abstract("A review."),
        journal=JOURNAL, pub_date=PartialDate(2021), authors=(alice, carol),
        publication_types=(article, PublicationType("Review", "D016454")), mesh_headings=(NEOPLASMS,),
        keywords=(Keyword("PET"),),
        references=(Reference(1, "Shared B, again.", title="Shared work B", journal="J Tests", year=2012,
                              doi=SHARED_B),),
    )
    return [a1, a2, a3, a4]


@pytest.fixture(scope="session")
def multi_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("multi-out")
    report = publish(multi_records(), out, validate=True)
    assert report.ok, report.errors
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OxigraphServer:
    """``oxigraph serve`` on 127.0.0.1 with the union default graph, as a deployment would run it."""

    def __init__(self, location: Path) -> None:
        exe = shutil.which("oxigraph")
        if exe is None:
            pytest.skip("the oxigraph CLI is not installed (pip install oxigraph)")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait()

    @property
    def endpoint(self) -> str:
        return f"{self.url}/query"

    def _wait(self, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited: {self.process.stderr.read().decode()}")  # type: ignore
            try:
                with urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        raise RuntimeError("oxigraph serve did not become ready")

    def post_nquads(self, path: Path) -> None:
        """Load a build's dataset.nq.gz through the Graph Store protocol (the graphs stay named)."""
        body = gzip.decompress(path.read_bytes())
        request = urllib.request.Request(f"{self.url}/store", data=body, method="POST",
                                         headers={"Content-Type": "application/n-quads"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status in (200, 201, 204)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr is not None:
            self.process.stderr.close()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory, multi_build: Path,
                    seed_build: tuple[Path, object]) -> Iterator[OxigraphServer]:
    """One server holding the seed and the multi-record dataset, killed at the end of the session."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-server"))
    try:
        server.post_nquads(seed_build[0] / "dataset.nq.gz")
        server.post_nquads(multi_build / "dataset.nq.gz")
        yield server
    finally:
        server.stop()
