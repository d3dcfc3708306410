"""The ``rdfgen`` command. Thin: each command calls a library function a Python user can call too; ``serve`` lives
beside the server it starts (rdfgen.server.command), so this module loads without the ASGI stack.

Exit codes (pySHACL's convention): 0 ok, 1 invalid data or validation failed, 2 usage or system error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

import click

from rdfgen import __version__
from rdfgen.errors import RdfgenError
from rdfgen.iris import DEFAULT_BASE
from rdfgen.server.command import serve

OUT_DEFAULT = Path("out")
FORMAT_CHOICES = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld", "rdfxml")


def _fail(exc: RdfgenError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rdfgen")
def main() -> None:
    """Publish PubMed records as linked data: Turtle, N-Triples, N-Quads, JSON-LD, HTML with embedded JSON-LD."""


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=OUT_DEFAULT,
              show_default=True, help="Folder to publish into.")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI every minted IRI starts with.")
@click.option("--pmid", help="PMID for a saved page that prints none (else taken from the file name).")
@click.option("--from", "fmt", type=click.Choice(["pubmed-xml", "medline", "pubmed-page"]),
              help="Force the input format instead of detecting it by content.")
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Check every record against ontology/shapes.ttl and refuse to publish one that fails.")
@click.option("--mesh", "mesh_path", type=click.Path(exists=True, dir_okay=False),
              help="A MeSH release (desc20xx.xml[.gz], MeSH RDF N-Triples or TSV) instead of the bundled table.")
@click.option("--no-mesh", is_flag=True, help="Publish without MeSH enrichment (no keyword links, no tree).")
@click.option("--documents/--no-documents", default=None,
              help="Per-record documents (.ttl .nt .jsonld .embed.jsonld .html) in out/pubmed/. Default: on when "
                   "the inputs total 10 MB or less (about 3,000 gzip articles), off for PubMed-scale builds, whose "
                   "dataset is the dumps.")
@click.option("--dumps-only", is_flag=True, hidden=True, help="Alias of --no-documents.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes, one input file each. "
              "[default: the number of cores]")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where the workers run: local processes, or a Dask distributed cluster (--scheduler).")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with "
              "--executor dask; --out must be a folder every worker can write).")
@click.option("--store", "store_path", type=click.Path(file_okay=False, path_type=Path),
              help="Also load what was published into this persistent SPARQL store (records replaced as units).")
@click.option("-q", "--quiet", is_flag=True, help="No progress display: only the summary and errors.")
def build(inputs: tuple[str, ...], out: Path, base: str, pmid: str | None, fmt: str | None, validate: bool,
          mesh_path: str | None, no_mesh: bool, documents: bool | None, dumps_only: bool, jobs: int | None,
          executor: str, scheduler: str | None, store_path: Path | None, quiet: bool) -> None:
    """Publish INPUTS (default: the bundled seed, PubMed 33783695) into --out.

    Each input file becomes a shard (out/shards/, listed in out/manifest.json); out/dataset.nq.gz, dataset.nt.gz and
    void.ttl are derived from the shards with PubMed's update semantics (the latest version of a PMID wins,
    DeleteCitation deletes); with documents, out/pubmed/{pmid}.ttl, .nt, .jsonld, .embed.jsonld and .html and
    dataset.ttl too. Building more files into the same folder adds to the dataset; an input already built is
    skipped, so an interrupted build resumes. Exit 1 if any record was skipped, 130 if interrupted.
    """
    from rdfgen.publish.build import BuildOptions, Interrupted, build_files
    from rdfgen.publish.progress import Progress, skipped_summary
    from rdfgen.resources import seed_path

    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS")
    paths = list(inputs) or [str(seed_path())]
    options = BuildOptions(base=base, validate=validate, mesh=mesh_path, no_mesh=no_mesh, fmt=fmt, pmid=pmid,
                           documents=False if dumps_only else documents)
    width = len(paths) if executor == "dask" else jobs or os.cpu_count() or 1  # a cluster's size is known later
    progress = Progress(len(paths), jobs=max(1, min(width, len(paths), 32)), quiet=quiet)

    def log(message: str) -> None:
        error = message.startswith("skipped") or "not published" in message
        if error or not quiet:
            progress.message(message, error=error)

    try:
        with progress:
            report = build_files(paths, out, options, jobs=jobs, executor=executor, scheduler=scheduler,
                                 progress=progress, log=log)
    except Interrupted as stop:
        click.echo(f"interrupted: {len(stop.finished)} shard(s) finished ({', '.join(stop.finished) or 'none'}); "
                   "run the same command again to resume", err=True)
        sys.exit(130)
    except RdfgenError as exc:
        _fail(exc)
        return
    click.echo(report.summary())
    for warning in report.warnings[:20]:
        click.echo(f"warning: {warning}", err=True)
    if len(report.warnings) > 20:
        click.echo(f"... and {len(report.warnings) - 20} more warning(s)", err=True)
    summary = skipped_summary(list(zip(report.skipped, report.errors, strict=False)), out)
    if summary:
        click.echo(summary, err=True)
    if report.published or report.deleted:
        click.echo(f"written to {out}/")
    if store_path is not None and (report.published or report.deleted):
        _load_store(out, store_path, report.deleted)
    sys.exit(0 if report.ok else 1)


def _load_store(out: Path, store_path: Path, deleted: list[str]) -> None:
    """``build --store``: the build's shards into the store in manifest order, each record's graph replaced
    atomically and deleted records dropped (rdfgen.sparql.store.load_shards); shards loaded before are skipped."""
    from rdfgen.sparql.store import load_shards

    try:
        _store, loaded = load_shards([out], store_path)
    except RdfgenError as exc:
        _fail(exc)
        return
    click.echo(f"loaded into the store at {store_path}: {loaded.summary()}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check RDF files (or folders of them) against ontology/shapes.ttl. Exit 0 conforms, 1 not, 2 error."""
    from rdfgen.publish.validate import rdf_files, validate_file

    try:
        files = rdf_files(list(paths))
        if not files:
            raise RdfgenError(f"no RDF files (.ttl, .nt, .jsonld) in {', '.join(map(str, paths))}")
        failed = 0
        for path in files:
            report = validate_file(path)
            click.echo(report.text(str(path)))
            failed += not report.conforms
    except RdfgenError as exc:
        _fail(exc)
        return
    click.echo(f"{len(files)} file(s), {failed} not conforming")
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("keywords", nargs=-1, required=True)
@click.option("--mesh", "mesh_path", type=click.Path(exists=True, dir_okay=False),
              help="A MeSH release instead of the bundled table.")
@click.option("--heading", "headings", multiple=True, metavar="UI",
              help="A MeSH heading UI of the record, evidence for an ambiguous keyword (repeatable).")
def mesh(keywords: tuple[str, ...], mesh_path: str | None, headings: tuple[str, ...]) -> None:
    """Show how KEYWORDS map onto MeSH (descriptor, method, score, SKOS strength) and why, to check before
    publishing; a keyword that stays plain says why."""
    from rdfgen.mesh.enrich import load_enricher

    enricher = load_enricher(mesh_path)
    for keyword in keywords:
        decision = enricher.explain(keyword, headings)
        match = decision.match
        if match is None:
            click.echo(f"{keyword}\t-\tno link (stays a plain keyword): {decision.reason}")
            continue
        click.echo(f"{keyword}\t{match.ui}\t{match.label}\t{match.method}\t{match.score:.3f}\t"
                   f"{match.relation}Match\t{decision.reason}")


def _params(pairs: tuple[str, ...]) -> dict[str, list[str]]:
    """``--param k=v`` options; a name given twice gets both values (one VALUES row each)."""
    out: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--param")
        out.setdefault(name.strip(), []).append(value)
    return out


@main.command("query")
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
    from rdfgen.sparql.library import load_query
    from rdfgen.sparql.run import run

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


@main.command("cite")
@click.argument("pmids", nargs=-1, required=True, metavar="PMID...")
@click.option("-f", "--format", "fmt", type=click.Choice(["csl", "bibtex", "ris", "text", "html"]), default="csl",
              show_default=True, help="CSL-JSON, BibTeX, RIS, or a formatted reference (text or HTML).")
@click.option("--style", default="apa", show_default=True,
              help="CSL style of --format text/html: apa, vancouver, chicago-author-date, ieee, nature, ...")
@click.option("--locale", default="en-US", show_default=True, help="Locale of --format text/html: en-GB, de-DE ...")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path),
              help="Build folder, read through the store cached beside its dump. [default: out/]")
@click.option("--store", "store_path", type=click.Path(file_okay=False, path_type=Path),
              help="Persistent store made by `rdfgen load` or `rdfgen build --store`.")
def cite(pmids: tuple[str, ...], fmt: str, style: str, locale: str, data: Path | None,
         store_path: Path | None) -> None:
    """Print citations of published records (PMIDs) as they are in the build or store. A PMID the data does not
    hold is reported and the others still print (exit 1).

    \b
    rdfgen cite 33783695
    rdfgen cite 33783695 29963580 --format bibtex
    rdfgen cite 33783695 --format text --style vancouver --locale de-DE
    """
    from rdfgen.sparql.cite import cite_stored as cite_records

    if data is not None and store_path is not None:
        raise click.UsageError("give only one of --data and --store")
    try:
        cited = cite_records(pmids, fmt, style=style, locale=locale, data=data, store=store_path)
    except RdfgenError as exc:
        _fail(exc)
    except FileNotFoundError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(cited.text, nl=False)
    for pmid in cited.missing:
        click.echo(f"error: PMID {pmid}: not in {store_path or data or OUT_DEFAULT}", err=True)
    if cited.missing:
        sys.exit(1)


@main.command("queries")
@click.option("-v", "--verbose", is_flag=True, help="Also print each query's description and columns.")
def queries(verbose: bool) -> None:
    """List the query library: names, titles and parameters."""
    from rdfgen.sparql.library import list_queries

    for info in list_queries():
        click.echo(f"{info.name}: {info.title}")
        for p in info.params:
            click.echo(f"    --param {p.usage()}" + (f"  {p.description}" if p.description else ""))
        if verbose:
            click.echo(click.wrap_text(info.description, initial_indent="    ", subsequent_indent="    "))
            click.echo("    returns: " + (", ".join(info.columns) if info.returns == "rows" else info.returns))
            click.echo()


@main.command("load")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--store", "store_path", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the persistent store (created if missing).")
@click.option("--base", help="Base IRI of the build, for naming per-record graphs (read from the data if omitted).")
@click.option("--group-quads", type=click.IntRange(1), hidden=True,
              help="Shard lines a commit (default 250,000); small groups let tests kill a load between commits.")
@click.option("--statistics/--no-statistics", default=True, show_default=True,
              help="Recompute the dataset-wide counts the library's aggregate queries read. They cost time in "
                   "proportion to the whole store, not to what is loaded: with --no-statistics a daily update costs "
                   "only its records, and queries answer right but slower until a load with statistics (even of "
                   "nothing new) recomputes them.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summaries and errors.")
def load(inputs: tuple[Path, ...], store_path: Path, base: str | None, group_quads: int | None, statistics: bool,
         quiet: bool) -> None:
    """Load build folders (default out/) or RDF FILES into the persistent store at --store.

    A build folder with a manifest.json loads shard by shard, in manifest order: each record's graph is replaced
    atomically (a reader, or a killed load, sees the old or the new version, never half of one), deleted records'
    graphs are dropped, shared and MeSH statements accumulate. The store remembers the shards it holds
    (rdfgen-load.json in its folder), so a rerun skips them and resumes an interrupted one.

    Other folders load their dataset.nq.gz or per-record {pmid}.nt/.ttl files (each in its record's graph); a
    record already in the store is replaced, not merged.
    """
    from itertools import groupby

    from rdfgen.sparql.store import GROUP_QUADS, has_manifest, load_shards, open_store
    from rdfgen.sparql.store import load as load_files

    def log(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    try:
        store = open_store(store_path)
        for sharded, run in groupby(list(inputs) or [OUT_DEFAULT], key=has_manifest):
            if sharded:
                _, shards = load_shards(list(run), store, store_dir=store_path, log=log,
                                        group_quads=group_quads or GROUP_QUADS, statistics=statistics)
                click.echo(f"loaded {shards.summary()} at {store_path}")
            else:
                _, report = load_files(list(run), store, base=base, statistics=statistics)
                click.echo(f"loaded {report.summary()} at {store_path}")
    except RdfgenError as exc:
        _fail(exc)
        return


@main.command("pages")
@click.option("--store", "store_path", required=True, type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Folder of a store made by `rdfgen load`.")
@click.option("--base", help="Base IRI the server will serve the store under [default: the catalog's].")
@click.option("--jobs", "-j", type=click.IntRange(1), help="Processes rendering pages [default: every core].")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary.")
def pages(store_path: Path, base: str | None, jobs: int | None, quiet: bool) -> None:
    """Render every record's article page ahead of time, for `rdfgen serve --store`.

    The pages go into rdfgen-pages.sqlite beside the store, each stamped with the store's state: the server answers
    an article page from there (a lookup, not 2,000 statements read from the store) while the stamp is the store's,
    so run it again after each `rdfgen load`; pages already made for this state are kept, so a killed run resumes.
    """
    from rdfgen.server.pagestore import render_pages

    def progress(done: int, total: int) -> None:
        if not quiet:
            click.echo(f"pages: {done:,} of {total:,}", err=True)

    try:
        report = render_pages(store_path, jobs=jobs, base=base, progress=progress)
    except (FileNotFoundError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"pages: {report.records:,} records, {report.rendered:,} rendered, {report.kept:,} kept, "
               f"{report.dropped:,} stale dropped at {store_path}")


@main.command("push")
@click.argument("out", required=False, type=click.Path(file_okay=False, path_type=Path), default=OUT_DEFAULT)
@click.option("--endpoint", required=True, metavar="URL",
              help="SPARQL 1.1 Graph Store HTTP Protocol endpoint, e.g. http://localhost:7878/store (Oxigraph), "
                   "http://localhost:3030/ds/data (Fuseki), http://localhost:8890/sparql-graph-crud-auth (Virtuoso).")
@click.option("--user", help="User name for HTTP basic (or, with --digest, digest) authentication.")
@click.option("--password", envvar="RDFGEN_GSP_PASSWORD", help="Password (or set RDFGEN_GSP_PASSWORD).")
@click.option("--digest", is_flag=True, help="HTTP digest authentication (Virtuoso's /sparql-graph-crud-auth).")
@click.option("--timeout", type=float, default=120.0, show_default=True, help="Seconds to wait for each answer.")
@click.option("--retries", type=click.IntRange(0), default=5, show_default=True,
              help="Retries of a request after a connection error or a 5xx answer, with doubling waits.")
@click.option("--batch", type=click.IntRange(0), default=0, metavar="N",
              help="N records a request: DELETE their graphs, then POST their N-Quads to the endpoint URL itself "
                   "(Oxigraph's /store, Fuseki's dataset URL take that; faster, not atomic per record). 0: a PUT a "
                   "record.")
@click.option("--force", is_flag=True, help="Push every shard again, even those push-state.json says were pushed.")
@click.option("--mark-pushed", is_flag=True,
              help="Send nothing; record the shards as pushed (after loading them with the store's bulk loader).")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary and errors.")
def push(out: Path, endpoint: str, user: str | None, password: str | None, digest: bool, timeout: float,
         retries: int, batch: int, force: bool, mark_pushed: bool, quiet: bool) -> None:
    """Send the build in OUT (default out/) to a Graph Store endpoint, shards in manifest order: each record's
    graph replaced (PUT), deleted records' graphs dropped (DELETE), shared and MeSH statements added (POST).

    Shards already pushed to the endpoint (out/push-state.json) are skipped, so an interrupted push resumes.

    \b
    rdfgen push --endpoint http://localhost:7878/store out/
    rdfgen push --endpoint http://localhost:8890/sparql-graph-crud-auth --digest --user dba --password dba
    """
    from rdfgen.sparql.push import Credentials
    from rdfgen.sparql.push import push as push_build

    if (user is None) != (password is None):
        raise click.UsageError("--user and --password (or RDFGEN_GSP_PASSWORD) go together")
    if digest and user is None:
        raise click.UsageError("--digest needs --user and --password")
    credentials = Credentials(user, password, digest) if user is not None and password is not None else None

    def log(message: str) -> None:
        if not quiet or "retrying" in message:
            click.echo(message, err=True)

    try:
        report = push_build(out, endpoint, credentials=credentials, timeout=timeout, retries=retries, force=force,
                            batch=batch, mark_only=mark_pushed, log=log)
    except RdfgenError as exc:
        _fail(exc)
        return
    click.echo(report.summary())


@main.command("fetch")
@click.argument("pmids", nargs=-1, metavar="[PMID]...")
@click.option("--from-file", "from_file", type=click.File("r"), help="PMIDs to fetch, one a line (- for stdin).")
@click.option("--search", "term", metavar="TERM", help="A PubMed search; the records it finds are fetched too.")
@click.option("--references", is_flag=True, help="Also fetch the records the fetched ones cite (ReferenceList).")
@click.option("--cited-by", is_flag=True, help="Also fetch the records that cite them (elink pubmed_pubmed_citedin).")
@click.option("--depth", type=click.IntRange(0), default=1, show_default=True,
              help="How many citation steps --references/--cited-by follow out from the given records.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=OUT_DEFAULT,
              show_default=True, help="Folder to publish into (the fetched XML goes to OUT/eutils/).")
@click.option("--store", "store_path", type=click.Path(file_okay=False, path_type=Path),
              help="Also load what was published into this persistent SPARQL store.")
@click.option("--cache", "cache", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of raw XML per PMID; a rerun fetches only what it lacks. [default: ~/.cache/rdfgen/eutils]")
@click.option("--refresh", is_flag=True, help="Fetch again what the cache holds (and ask again what was not found).")
@click.option("--eutils-url", envvar="NCBI_EUTILS_URL", metavar="URL",
              help="E-utilities base URL (or NCBI_EUTILS_URL); a mirror or test server can stand in for NCBI. "
                   "[default: https://eutils.ncbi.nlm.nih.gov/entrez/eutils/]")
@click.option("--email", envvar="NCBI_EMAIL", help="Your e-mail, sent as NCBI asks (or NCBI_EMAIL).")
@click.option("--api-key", envvar="NCBI_API_KEY", help="NCBI API key (or NCBI_API_KEY): 10 requests/s instead of 3.")
@click.option("--tries", type=click.IntRange(1), default=5, show_default=True,
              help="Attempts per request on 429/5xx, timeouts and connection errors, with backoff.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds to wait for each answer.")
@click.option("--threads", type=click.IntRange(1), default=2, show_default=True,
              help="Batches in flight at once (all under one rate limit).")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI every minted IRI starts with.")
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Check every record against ontology/shapes.ttl and refuse to publish one that fails.")
@click.option("-q", "--quiet", is_flag=True, help="No progress display: only the summary and errors.")
def fetch(pmids: tuple[str, ...], from_file: TextIO | None, term: str | None, references: bool,
          cited_by: bool, depth: int, out: Path, store_path: Path | None, cache: Path | None, refresh: bool,
          eutils_url: str | None, email: str | None, api_key: str | None, tries: int, timeout: float, threads: int,
          base: str, validate: bool, quiet: bool) -> None:
    """Fetch PubMed records from NCBI E-utilities and publish them into --out, as `rdfgen build` does.

    Records are fetched in batches of 200, at most 3 requests a second (10 with an API key), retried with backoff
    on 429/5xx and kept per PMID in --cache, so an interrupted fetch resumes and a rerun works offline on what it
    has. Exit 1 if a requested PMID is not in PubMed or a record was skipped.

    \b
    rdfgen fetch 33783695 --references
    rdfgen fetch --search "neuroendocrine tumors[mh] AND review[pt] AND 2021[dp]" --out nets/
    rdfgen fetch --from-file pmids.txt --cited-by --depth 1 --store db/
    """
    from rdfgen.publish.build import BuildOptions, Interrupted
    from rdfgen.publish.fetch import fetch as fetch_records
    from rdfgen.publish.progress import Progress, skipped_summary
    from rdfgen.sources.eutils import EutilsClient, EutilsConfig, check_pmids

    given = list(pmids) + ([line for line in from_file.read().split() if line] if from_file else [])
    if not given and not term:
        raise click.UsageError("give PMIDs, --from-file or --search")
    try:
        check_pmids(given)
    except RdfgenError as exc:
        raise click.UsageError(str(exc)) from None
    config = EutilsConfig.from_env(eutils_url, email=email, api_key=api_key, tries=tries, timeout=timeout)
    fetching = Progress(0, jobs=threads, quiet=quiet, unit="efetch batches")
    building = Progress(0, quiet=quiet)

    def log(message: str) -> None:
        error = message.startswith("skipped") or "not published" in message
        if error or not quiet:
            (building if building.total_files else fetching).message(message, error=error)

    try:
        report = fetch_records(given, out, search=term, references=references, cited_by=cited_by, depth=depth,
                               refresh=refresh, cache=cache, client=EutilsClient(config),
                               options=BuildOptions(base=base, validate=validate), threads=threads,
                               progress=fetching, build_progress=building, log=log)
    except (KeyboardInterrupt, Interrupted):
        click.echo("interrupted: what was fetched is kept in the cache; run the same command again to resume",
                   err=True)
        sys.exit(130)
    except RdfgenError as exc:
        _fail(exc)
        return
    click.echo(report.summary())
    for pmid in report.missing:
        click.echo(f"error: PMID {pmid}: not found in PubMed", err=True)
    if report.build is not None:
        click.echo(report.build.summary())
        summary = skipped_summary(list(zip(report.build.skipped, report.build.errors, strict=False)), out)
        if summary:
            click.echo(summary, err=True)
        if report.build.published or report.build.deleted:
            click.echo(f"written to {out}/")
            if store_path is not None:
                _load_store(out, store_path, report.build.deleted)
    sys.exit(0 if report.ok else 1)


main.add_command(serve)

if __name__ == "__main__":
    main()
