"""``rdfgen serve``: a thin click command over :func:`rdfgen.server.app.create_app`, run by uvicorn.

Kept apart from rdfgen.server.app so that the rest of the CLI loads without the server's ASGI stack installed; a missing
stack is reported with the command that installs it. uvicorn handles SIGINT and SIGTERM (a clean shutdown) and
logs every request.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from rdfgen.iris import DEFAULT_BASE
from rdfgen.server import DEFAULT_MAX_RESULTS, DEFAULT_PER_CLIENT, DEFAULT_TIMEOUT, DEFAULT_WORKERS

SERVER_ARENAS = 4
"""malloc arenas for the server's threads (rdfgen.memory.limit_malloc_arenas)."""


@click.command("serve")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Build folder to serve: its dataset.nq.gz is loaded into a store cached beside it (once per build) "
                   "and its files served. [default: out/]")
@click.option("--store", "store_path", type=click.Path(file_okay=False, path_type=Path),
              help="Persistent store made by `rdfgen load`, opened read-only (instead of, or with, --data).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--base", help=f"Base IRI the build minted its IRIs under. [default: the one its void.ttl names, else "
                             f"{DEFAULT_BASE}]")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a SPARQL query may run; then it is stopped and the client gets 503.")
@click.option("--max-results", default=DEFAULT_MAX_RESULTS, show_default=True, type=click.IntRange(min=1),
              help="Most rows (or triples) a SPARQL answer holds.")
@click.option("--workers", default=DEFAULT_WORKERS, show_default=True, type=click.IntRange(min=1),
              help="Most SPARQL queries running at once, each in its own process.")
@click.option("--per-client", default=DEFAULT_PER_CLIENT, show_default=True, type=click.IntRange(min=1),
              help="Most SPARQL queries one client (IP address) may have running; more get 429.")
@click.option("--max-body", default=1 << 20, show_default=True, type=click.IntRange(min=1024),
              help="Largest request body in bytes (413 past it).")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve(data_dir: Path | None, store_path: Path | None, host: str, port: int, base: str | None, timeout: float,
          max_results: int, workers: int, per_client: int, max_body: int, log_level: str) -> None:
    """Serve the dataset as Linked Data: dereferenceable IRIs with content negotiation, HTML pages, a read-only
    SPARQL endpoint at /sparql and the dumps at /download/. Stop with Ctrl-C (or SIGTERM)."""
    try:
        import uvicorn

        from rdfgen.server.app import create_app
    except ImportError as exc:
        click.echo(f"error: the server needs its ASGI stack ({exc.name} is missing): pip install 'rdfgen[serve]'",
                   err=True)
        sys.exit(2)
    from rdfgen.errors import RdfgenError

    logging.basicConfig(level=log_level.upper(), format="%(levelname)s:     %(name)s: %(message)s")
    try:
        from rdfgen.memory import limit_malloc_arenas
        from rdfgen.server.endpoint import Limits

        limit_malloc_arenas(SERVER_ARENAS)  # before the server starts its threads

        app = create_app(data_dir, store_path, base=base, timeout=timeout, max_results=max_results, workers=workers,
                         per_client=per_client, limits=Limits(max_body=max_body, max_query=min(max_body, 100_000)))
    except (RdfgenError, FileNotFoundError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    # Slow clients: an idle keep-alive connection is closed after 5 s; the body has its own deadline (Limits).
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=True, timeout_graceful_shutdown=5,
                timeout_keep_alive=5, limit_concurrency=1000, h11_max_incomplete_event_size=64 * 1024)
