"""Find the files rdfgen ships: ontology/, queries/ and the seed, in a checkout or in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
SEED_NAME = "pubmed-33783695.txt"


def _first(*candidates: Path) -> Path:
    for path in candidates:
        if path.exists():
            return path
    return candidates[0]


def ontology_dir() -> Path:
    """``rdfgen/ontology`` in a wheel, the top-level ``ontology/`` in a checkout."""
    return _first(_PACKAGE / "ontology", _PACKAGE.parent / "ontology")


def ontology_path(name: str) -> Path:
    return ontology_dir() / name


def queries_dir() -> Path:
    return _first(_PACKAGE / "queries", _PACKAGE.parent / "queries")


def seed_path() -> Path:
    """The embedded default record: PubMed 33783695 as a saved page."""
    return _PACKAGE / "data" / SEED_NAME


CACHE_ENV = "RDFGEN_CACHE_DIR"
"""Environment variable naming the folder of rdfgen's per-user caches (the MeSH keyword index)."""


def cache_dir() -> Path:
    """Where rdfgen keeps what it can rebuild but would rather not: $RDFGEN_CACHE_DIR, else $XDG_CACHE_HOME/rdfgen,
    else ~/.cache/rdfgen. Nothing in it is needed: a missing or unwritable folder only costs the rebuild."""
    import os

    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rdfgen"
