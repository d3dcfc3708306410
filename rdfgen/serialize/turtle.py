"""Pretty Turtle: prefixes, subjects grouped, byte-stable for the same graph.
"""

from __future__ import annotations

from rdflib import Graph


def turtle(graph: Graph) -> str:
    """Pretty Turtle: prefixes, subjects grouped, lists inline. rdflib orders subjects and predicates by sort."""
    return graph.serialize(format="turtle")

