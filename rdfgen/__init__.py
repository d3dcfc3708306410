"""rdfgen: publish PubMed records as linked data (schema.org + BIBO), as files, a SPARQL store and a web site."""

from __future__ import annotations

__version__ = "0.1.0"
