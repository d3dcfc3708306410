"""``python -m rdfgen.server``: the ``rdfgen serve`` command without the console script."""

from __future__ import annotations

from rdfgen.server.command import serve

if __name__ == "__main__":
    serve()
