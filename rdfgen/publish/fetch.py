"""``rdfgen fetch``: records from NCBI E-utilities (PMIDs, a search, their citation neighbourhood) published through
the same pipeline as files.

The network part lives in :mod:`rdfgen.sources.eutils` (rate limit, retries, the per-PMID cache of raw XML). Here
the fetched records become ordinary input files, ``OUT/eutils/pubmed-{n}.xml`` (PMIDs ``n*100000`` to
``n*100000+99999``, sorted), so they go through :func:`rdfgen.publish.build.build_files` like any file: each is a
shard with a manifest entry, and a rerun whose files did not change rebuilds nothing. A file holds what it held
before plus what this run fetched, so fetching more into the same folder adds to the dataset; a new PMID rewrites
only its own file's shard.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdfgen.publish.build import BuildOptions, build_files
from rdfgen.publish.files import write_atomic
from rdfgen.publish.records import BuildReport
from rdfgen.sources.eutils import (
    EutilsClient,
    FetchedBatch,
    RecordCache,
    batch_label,
    batches,
    check_pmids,
    is_pmid,
    split_records,
)

INPUTS_FOLDER = "eutils"
BUCKET = 100_000
"""PMIDs per input file: small enough that a new record rebuilds one modest shard, large enough that a review's
neighbourhood (PMIDs spread over decades) is tens of files, not thousands."""


@dataclass
class FetchReport:
    """What a fetch did: ``requested`` PMIDs (given or found by the search), every PMID of the neighbourhood
    ``records`` (in the cache and published), those ``fetched`` over the network this run, those PubMed has
    ``not_found`` (``missing`` are the requested ones among them), the input files written and the build's report."""

    requested: list[str] = field(default_factory=list)
    records: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    requests: int = 0
    build: BuildReport | None = None

    @property
    def missing(self) -> list[str]:
        """Requested PMIDs PubMed has no record for (cited ones it lacks are only counted)."""
        absent = set(self.not_found)
        return [p for p in self.requested if p in absent]

    @property
    def ok(self) -> bool:
        return not self.missing and (self.build is None or self.build.ok)

    def summary(self) -> str:
        from_cache = len(self.records) - len(self.fetched)
        return (f"records: {len(self.records)} ({len(self.fetched)} fetched, {from_cache} from the cache), "
                f"not found in PubMed: {len(self.not_found)}, requests: {self.requests}")


def default_cache() -> Path:
    from rdfgen.resources import cache_dir

    return cache_dir() / "eutils"


def collect(client: EutilsClient, cache: RecordCache, pmids: Sequence[str] = (), *, search: str | None = None,
            references: bool = False, cited_by: bool = False, depth: int = 1, refresh: bool = False,
            threads: int = 1, progress: Any = None, log: Callable[[str], None] = lambda _m: None) -> FetchReport:
    """Every record of the PMIDs (and the search's), and with ``references``/``cited_by`` of the records they cite
    and that cite them, ``depth`` steps out, into the cache; nothing is asked for that the cache has (unless
    ``refresh``) or that PubMed said it has not."""
    report = FetchReport(requested=check_pmids(pmids))
    if search:
        found = client.search(search)
        log(f"search {search!r}: {len(found)} record(s)")
        report.requested = check_pmids([*report.requested, *found])
    seen = dict.fromkeys(report.requested)
    level = list(report.requested)
    fetcher = _Fetcher(client, cache, refresh, threads, progress, log, report)
    for step in range(depth + 1):
        fetcher.ensure(level)
        present = [p for p in level if cache.has(p)]
        if step == depth or not (references or cited_by) or not present:
            break
        linked: list[str] = []
        if references:
            linked += [p for pmid in present for p in reference_pmids(cache, pmid)]
        if cited_by:
            citing = fetcher.citing(present)
            linked += [p for pmid in present for p in citing[pmid]]
        level = [p for p in dict.fromkeys(linked) if p not in seen]
        seen.update(dict.fromkeys(level))
        if level:
            log(f"depth {step + 1}: {len(level)} linked record(s)")
    report.records = sorted((p for p in seen if cache.has(p)), key=int)
    report.not_found = sorted((p for p in seen if not cache.has(p)), key=int)
    report.requests = client.requests
    return report


def reference_pmids(cache: RecordCache, pmid: str) -> list[str]:
    """The PMIDs a cached record's reference list cites, read by the same parser the build uses, so what is
    fetched is what the published record links to (not its own PMID, nor one that is not a number: the mapping
    drops those too)."""
    from rdfgen.model import Record
    from rdfgen.sources.pubmed_xml import iter_pubmed_xml

    cited: list[str] = []
    for item in iter_pubmed_xml(str(cache.path(pmid)), on_error=lambda _e: None):
        if isinstance(item, Record):
            cited += [r.pmid for r in item.references if r.pmid and is_pmid(r.pmid) and r.pmid != item.pmid]
    return cited


class _Fetcher:
    """Fetches what the cache lacks, ``threads`` batches at a time (the client's limiter keeps them to NCBI's
    rate), reporting each batch as it lands; a batch that fails stops the run after the others in flight land."""

    def __init__(self, client: EutilsClient, cache: RecordCache, refresh: bool, threads: int, progress: Any,
                 log: Callable[[str], None], report: FetchReport) -> None:
        self.client, self.cache, self.refresh = client, cache, refresh
        self.threads, self.progress, self.log, self.report = max(1, threads), progress, log, report
        self.not_found = set() if refresh else cache.not_found()
        self.done: set[str] = set()
        self._citing: dict[str, list[str]] = {}

    def ensure(self, pmids: Sequence[str]) -> None:
        todo = [p for p in pmids if p not in self.done and p not in self.not_found
                and (self.refresh or not self.cache.has(p))]
        self.done.update(pmids)
        if not todo:
            return
        groups = list(batches(todo, self.client.config.batch_size))
        if self.progress is not None:
            self.progress.total_files += len(groups)
        width = min(self.threads, self.progress.jobs) if self.progress is not None else self.threads
        with ThreadPoolExecutor(max_workers=width) as pool:
            pending: dict[Future[FetchedBatch], tuple[int, list[str]]] = {}
            free, queue = list(range(width)), list(groups)
            try:
                while queue or pending:
                    while queue and free:
                        slot, group = free.pop(0), queue.pop(0)
                        if self.progress is not None:
                            self.progress.start_file(slot, f"efetch {batch_label(group)}")
                        pending[pool.submit(self.client.fetch_into, group, self.cache)] = (slot, group)
                    finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                    for future in finished:
                        slot, group = pending.pop(future)
                        free.append(slot)
                        self._landed(slot, group, future.result())
            except BaseException:
                for future in pending:
                    future.cancel()
                raise

    def _landed(self, slot: int, group: list[str], batch: FetchedBatch) -> None:
        self.report.fetched += batch.found
        if batch.missing:
            self.not_found.update(batch.missing)
            self.cache.add_not_found(batch.missing)
            shown = ", ".join(batch.missing[:10])
            more = f" and {len(batch.missing) - 10} more" if len(batch.missing) > 10 else ""
            self.log(f"not found in PubMed ({batch_label(group)}): {shown}{more}")
        if self.progress is not None:
            self.progress.finish_file(slot, f"efetch {batch_label(group)}", len(batch.found))

    def citing(self, pmids: Sequence[str]) -> dict[str, list[str]]:
        """Who cites each PMID (elink citedin), from the cache when it was asked before."""
        ask = []
        for pmid in pmids:
            known = None if self.refresh else self.cache.cited_in(pmid)
            if pmid in self._citing:
                continue
            if known is None:
                ask.append(pmid)
            else:
                self._citing[pmid] = known
        for group in batches(ask, self.client.config.batch_size):
            for pmid, citing in self.client.cited_in(group).items():
                self.cache.put_cited_in(pmid, citing)
                self._citing[pmid] = citing
        return self._citing


def write_inputs(cache: RecordCache, pmids: Iterable[str], folder: Path) -> list[str]:
    """The records as input files, one per PMID range, each holding what it held before plus the given records in
    their cached version, sorted by PMID: the same records give the same bytes, so the build skips the file."""
    by_bucket: dict[int, list[str]] = {}
    for pmid in pmids:
        by_bucket.setdefault(int(pmid) // BUCKET, []).append(pmid)
    paths = []
    for bucket, members in sorted(by_bucket.items()):
        path = folder / f"pubmed-{bucket}.xml"
        records = _previous_records(path)
        records.update({p: cache.record_bytes(p).strip() for p in members})
        body = b"\n".join(records[p] for p in sorted(records, key=int))
        if not path.is_file() or path.read_bytes() != _document(body):
            write_atomic(path, _document(body).decode("utf-8"))
        paths.append(str(path))
    return paths


def _document(body: bytes) -> bytes:
    return b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n' + body + b"\n</PubmedArticleSet>\n"


def _previous_records(path: Path) -> dict[str, bytes]:
    if not path.is_file():
        return {}
    return split_records(path.read_bytes(), (path.name,))


def fetch(pmids: Sequence[str] = (), out: str | os.PathLike[str] = "out", *, search: str | None = None,
          references: bool = False, cited_by: bool = False, depth: int = 1, refresh: bool = False,
          cache: str | os.PathLike[str] | None = None, client: EutilsClient | None = None,
          options: BuildOptions | None = None, threads: int = 2, jobs: int | None = 1, progress: Any = None,
          build_progress: Any = None, log: Callable[[str], None] = lambda _m: None) -> FetchReport:
    """Fetch (see :func:`collect`) and publish into ``out`` through the build; the report says what was fetched,
    what PubMed lacks and what the build published. Publishes nothing when no record was found."""
    client = client or EutilsClient()
    store = RecordCache(cache if cache is not None else default_cache())
    with _closing(progress):
        report = collect(client, store, pmids, search=search, references=references, cited_by=cited_by,
                         depth=depth, refresh=refresh, threads=threads, progress=progress, log=log)
    if not report.records:
        return report
    out_path = Path(out)
    report.inputs = write_inputs(store, report.records, out_path.absolute() / INPUTS_FOLDER)
    if build_progress is not None:
        build_progress.total_files = len(report.inputs)
    with _closing(build_progress):
        report.build = build_files(report.inputs, out_path, options or BuildOptions(), jobs=jobs,
                                   progress=build_progress, log=log)
    return report


@contextmanager
def _closing(progress: Any) -> Iterator[None]:
    """Close a display that was used (its final line says how it ended); one that had no work says nothing."""
    try:
        yield
    except BaseException:
        if progress is not None and progress.total_files:
            progress.close(interrupted=True)
        raise
    if progress is not None and progress.total_files:
        progress.close()
