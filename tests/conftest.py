"""Shared fixtures: the seed record, its graph, and one build of it (built once per session)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from rdfgen.iris import Iris
from rdfgen.mapping import record_triples
from rdfgen.mesh.enrich import MeshEnricher, load_enricher
from rdfgen.model import Record
from rdfgen.publish.documents import publish
from rdfgen.publish.records import BuildReport
from rdfgen.resources import CACHE_ENV, seed_path
from rdfgen.serialize.graph import to_graph
from rdfgen.sources import read_inputs
from rdfgen.sources.pubmed_page import read_page

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tests' own rdfgen cache (the keyword index), shared by the session and the processes it starts, so a
    run neither reads nor fills the user's."""
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("rdfgen-cache"))
SEED_PMID = "33783695"
ARTICLE = Iris().article(SEED_PMID)


@pytest.fixture(scope="session")
def seed_record() -> Record:
    return next(read_page(seed_path()))


@pytest.fixture(scope="session")
def seed_graph(seed_record: Record) -> Graph:
    return to_graph(record_triples(seed_record))


@pytest.fixture(scope="session")
def enricher() -> MeshEnricher:
    return load_enricher()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory, enricher: MeshEnricher) -> tuple[Path, BuildReport]:
    """The seed published as `rdfgen build` publishes it (with MeSH enrichment)."""
    out = tmp_path_factory.mktemp("seed-out")
    report = publish(read_inputs([str(seed_path())]), out, enricher=enricher)
    assert report.ok, report.errors
    return out, report


def xml_fixture_records() -> Iterator[tuple[Path, Record]]:
    """(file, record) for every record of every tests/data/xml file that reads: the twin tests of the C parts compare
    both ways on each. The malformed and hostile fixtures are left out; their own tests say what happens."""
    from rdfgen.sources import pubmed_xml

    for path in sorted((DATA / "xml").glob("*.xml")):
        try:
            records = [r for r in pubmed_xml.iter_pubmed_xml(path) if isinstance(r, Record)]
        except Exception:  # noqa: BLE001 - see above
            continue
        yield from ((path, r) for r in records)
