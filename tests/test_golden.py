"""Golden graphs: the seed's published Turtle and embedding, compared as graphs with a readable diff on failure.

To accept an intended change of the mapping, rebuild and copy out/pubmed/33783695.ttl and .embed.jsonld here, and
review the diff of these files in the commit.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from rdfgen.publish.records import BuildReport

from .conftest import DATA, SEED_PMID
from .reference_writers import parse_embed

GOLDEN = DATA / "golden"


def _assert_same(expected: Graph, actual: Graph) -> None:
    if isomorphic(expected, actual):
        return
    _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    raise AssertionError("graph differs from golden file\n--- missing:\n" + missing.serialize(format="nt")
                         + "--- unexpected:\n" + extra.serialize(format="nt"))


def test_seed_turtle_matches_golden(seed_build: tuple[Path, BuildReport]) -> None:
    expected = Graph().parse(GOLDEN / f"{SEED_PMID}.ttl", format="turtle")
    actual = Graph().parse(seed_build[0] / "pubmed" / f"{SEED_PMID}.ttl", format="turtle")
    _assert_same(expected, actual)


def test_seed_embedding_matches_golden(seed_build: tuple[Path, BuildReport]) -> None:
    expected = parse_embed((GOLDEN / f"{SEED_PMID}.embed.jsonld").read_text(encoding="utf-8"))
    actual = parse_embed((seed_build[0] / "pubmed" / f"{SEED_PMID}.embed.jsonld").read_text(encoding="utf-8"))
    _assert_same(expected, actual)


def test_golden_diff_is_readable() -> None:
    """The comparison itself can fail, and says which triple is missing."""
    g = Graph().parse(GOLDEN / f"{SEED_PMID}.ttl", format="turtle")
    mutated = Graph().parse(GOLDEN / f"{SEED_PMID}.ttl", format="turtle")
    triple = next(t for t in mutated if "headline" in str(t[1]))
    mutated.remove(triple)
    try:
        _assert_same(g, mutated)
    except AssertionError as exc:
        assert "--- missing:" in str(exc) and "headline" in str(exc)
    else:
        raise AssertionError("a changed graph compared equal")
