"""``rdfgen serve``: the dataset as Linked Data over HTTP (an ASGI app), with content negotiation, HTML pages, a
read-only SPARQL endpoint and the dumps.

The ASGI stack (Starlette, uvicorn) is the ``serve`` extra; importing this package needs neither, so the CLI loads
without it and says how to install it when ``serve`` is run.
"""

from __future__ import annotations

DEFAULT_TIMEOUT = 30.0
"""Seconds a SPARQL query may run before the client gets 503."""

DEFAULT_MAX_RESULTS = 10_000
"""Most rows (or triples) a SPARQL answer holds."""

DEFAULT_WORKERS = 16
"""Most SPARQL queries running at once, each in its own process (spawned when needed, trimmed when idle): more than
a few clients' worth, so long queries never leave a short one waiting."""

DEFAULT_PER_CLIENT = 4
"""Most SPARQL queries one client (IP address) may have running."""
