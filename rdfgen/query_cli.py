"""``rdfgen query``, ``rdfgen queries`` and ``rdfgen load``: thin click commands over rdfgen.query and rdfgen.store.

Registered on the main group by cli.py (``main.add_command(query)`` ...). Exit codes as everywhere in rdfgen: 0 ok,
1 invalid data (a file that is not RDF), 2 usage or system error (malformed query, missing or unknown parameter,
endpoint unreachable or failing, store locked).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from rdfgen.errors import RdfgenError

OUT_DEFAULT = Path("out")
FORMAT_CHOICES = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld", "rdfxml")


def _fail(exc: RdfgenError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


def _params(pairs: tuple[str, ...]) -> dict[str, list[str]]:
    """``--param k=v`` options; a name given twice gets both values (one VALUES row each)."""
    out: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--param")
        out.setdefault(name.strip(), []).append(value)
    return out


@click.command("query")
@click.argument("query_ref", metavar="QUERY")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Value of a query parameter; repeat a name for several values.")
@click.option("--data", type=click.Path(path_type=Path), multiple=True,
              help="Build folder or RDF files, loaded into an in-memory store. [default: out/]")
@click.option("--store", "store_path", type=click.Path(file_okay=False, path_type=Path),
              help="Persistent store made by `rdfgen load`.")
@click.option("--endpoint", metavar="URL", help="SPARQL 1.1 protocol endpoint, e.g. http://localhost:7878/query.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_CHOICES, case_sensitive=False),
              help="table, csv, tsv, json, xml (SELECT/ASK; default table) or an RDF format (CONSTRUCT/DESCRIBE; "
                   "default turtle).")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds to wait for an answer.")
@click.option("--user", help="User name for HTTP basic authentication at the endpoint.")
@click.option("--password", envvar="RDFGEN_SPARQL_PASSWORD", help="Password (or set RDFGEN_SPARQL_PASSWORD).")
def query(query_ref: str, params: tuple[str, ...], data: tuple[Path, ...], store_path: Path | None,
          endpoint: str | None, fmt: str | None, timeout: float, user: str | None, password: str | None) -> None:
    """Run QUERY: a library name (see `rdfgen queries`), a .rq file, or - for standard input.

    \b
    rdfgen query article-references --param pmid=33783695
    rdfgen query citing-articles -p doi=10.1530/ERC-12-0340 --store db/ --format csv
    rdfgen query my.rq --endpoint http://localhost:7878/query --format json
    """
    from rdfgen.query import load_query, run

    if sum(bool(x) for x in (data, store_path, endpoint)) > 1:
        raise click.UsageError("give only one of --data, --store and --endpoint")
    if (user is None) != (password is None):
        raise click.UsageError("--user and --password go together")
    try:
        info = load_query(query_ref)
        given = _params(params)
        if endpoint:
            auth = (user, password) if user is not None and password is not None else None
            result = run(info, given, endpoint=endpoint, timeout=timeout, auth=auth)
        elif store_path is not None:
            result = run(info, given, store=store_path, timeout=timeout)
        else:
            sources = list(data) or [OUT_DEFAULT]
            result = run(info, given, data=sources, timeout=timeout)
        click.echo(result.format(fmt), nl=False)
    except RdfgenError as exc:
        _fail(exc)


@click.command("queries")
@click.option("-v", "--verbose", is_flag=True, help="Also print each query's description and columns.")
def queries(verbose: bool) -> None:
    """List the query library: names, titles and parameters."""
    from rdfgen.query import list_queries

    for info in list_queries():
        click.echo(f"{info.name}: {info.title}")
        for p in info.params:
            click.echo(f"    --param {p.usage()}" + (f"  {p.description}" if p.description else ""))
        if verbose:
            click.echo(click.wrap_text(info.description, initial_indent="    ", subsequent_indent="    "))
            click.echo("    returns: " + (", ".join(info.columns) if info.returns == "rows" else info.returns))
            click.echo()


@click.command("load")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--store", "store_path", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the persistent store (created if missing).")
@click.option("--base", help="Base IRI of the build, for naming per-record graphs (read from the data if omitted).")
def load(inputs: tuple[Path, ...], store_path: Path, base: str | None) -> None:
    """Load a build folder (default out/) or RDF FILES into the persistent store at --store.

    A build's dataset.nq.gz keeps one named graph per record; a per-record {pmid}.nt or .ttl goes into its record's
    graph. A record already in the store is replaced, not merged.
    """
    from rdfgen.store import load as load_files

    try:
        _, report = load_files(list(inputs) or [OUT_DEFAULT], store_path, base=base)
    except RdfgenError as exc:
        _fail(exc)
        return
    click.echo(f"loaded {report.summary()} at {store_path}")
