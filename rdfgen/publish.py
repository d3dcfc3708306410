"""Publish records as files: per record Turtle, N-Triples, JSON-LD, the embedding JSON-LD and an HTML page; per
dataset the N-Triples and N-Quads dumps, a Turtle dump and the VoID/DCAT description.

Records stream through: one record's graph is held at a time, dataset dumps are appended as they go, and every file
is written to a temporary name and renamed into place, so an interrupted run never leaves half a file where a good
one was.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rdflib import Graph

from rdfgen.enrich import MeshEnricher
from rdfgen.errors import RdfgenError, SourceError
from rdfgen.html import article_page
from rdfgen.iris import Iris
from rdfgen.mapping import Triple, record_triples
from rdfgen.model import Deletion, Record
from rdfgen.serialize import embed, embed_json, jsonld_full, nt_term, ntriples, to_graph, turtle
from rdfgen.validate import Report, validate_graph
from rdfgen.void import VoidStats, void_turtle

_UMASK = os.umask(0)
os.umask(_UMASK)


class AtomicFile:
    """A file written under a temporary name beside its target: :meth:`commit` renames it into place,
    :meth:`discard` removes it, so the target is either the old file or the whole new one."""

    def __init__(self, path: Path, *, gz: bool = False) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self._raw = os.fdopen(fd, "wb")
        # No name or timestamp in the gzip header, so the same content gives the same bytes.
        self._gz = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0, compresslevel=6) if gz else None
        self.stream: IO[str] = io.TextIOWrapper(self._gz or self._raw, encoding="utf-8", newline="\n")

    def _close(self) -> None:
        self.stream.close()
        if self._gz is not None:
            self._raw.close()

    def commit(self) -> None:
        self._close()
        os.chmod(self.tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; published files are for everyone to read
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self._close()
        if os.path.exists(self.tmp):
            os.unlink(self.tmp)


@contextmanager
def committed(files: dict[str, AtomicFile]) -> Iterator[dict[str, AtomicFile]]:
    """Files that are replaced together: all committed when the block ends, all discarded if it fails."""
    try:
        yield files
    except BaseException:
        for f in files.values():
            f.discard()
        raise
    for f in files.values():
        f.commit()


def write_atomic(path: Path, text: str) -> None:
    """Write a whole text file atomically."""
    f = AtomicFile(path)
    try:
        f.stream.write(text)
    except BaseException:
        f.discard()
        raise
    f.commit()


@dataclass
class BuildReport:
    """What happened to every record: read = published + skipped (nothing silently dropped)."""

    read: int = 0
    published: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.skipped and not self.errors

    def summary(self) -> str:
        return (f"records read: {self.read}, published: {len(self.published)}, skipped: {len(self.skipped)}, "
                f"deleted: {len(self.deleted)}")


RecordItem = Record | Deletion | SourceError


def map_record(record: Record, iris: Iris, enricher: MeshEnricher | None) -> tuple[Record, list[Triple]]:
    """The record as published (enriched with MeSH when there is a vocabulary) and its triples."""
    if enricher is None:
        return record, list(record_triples(record, iris))
    record = enricher(record)
    return record, list(record_triples(record, iris, linker=enricher.link, mesh=enricher.vocab))


class Publisher:
    """Publishes records into one folder. Use as a context manager: :meth:`add` writes a record's documents,
    :meth:`delete` removes them, and on exit the dataset dumps are assembled from what ``out/pubmed/`` then holds.

    The folder is the dataset's state: building a baseline file and then an update file into the same folder gives
    the same dumps as building both at once, since a newer version of a PMID replaces the older record's documents
    as a unit and a DeleteCitation removes them.
    """

    def __init__(self, out: Path, iris: Iris, *, validate: bool = True, enricher: MeshEnricher | None = None,
                 log: Callable[[str], None] = lambda _m: None) -> None:
        self.out = out
        self.iris = iris
        self.validate = validate
        self.enricher = enricher
        self.log = log
        self.report = BuildReport()

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        """Rewrite the dumps only when this run changed something: a run of bad inputs keeps the old ones."""
        if exc_type is None and (self.report.published or self.report.deleted):
            write_dumps(self.out, self.iris)

    def add(self, record: Record) -> Report | None:
        """Map, validate and write one record; returns the validation report (None when not validated)."""
        record, triples = map_record(record, self.iris, self.enricher)
        graph = to_graph(triples)
        report = validate_graph(graph) if self.validate else None
        if report is not None and not report.conforms:
            self.report.skipped.append(record.pmid)
            self.report.errors.append(report.text(f"PMID {record.pmid}"))
            return report
        self._write_record(record, graph, triples)
        self.report.published.append(record.pmid)
        return report

    def _write_record(self, record: Record, graph: Graph, triples: list[Triple]) -> None:
        pmid, base = record.pmid, self.out / "pubmed"
        write_atomic(base / f"{pmid}.nt", ntriples(triples))
        write_atomic(base / f"{pmid}.ttl", turtle(graph))
        write_atomic(base / f"{pmid}.jsonld", jsonld_full(graph))
        embedding = embed(graph, self.iris.article(pmid), tuple(k.text for k in record.keywords))
        write_atomic(base / f"{pmid}.embed.jsonld", embed_json(embedding))
        write_atomic(base / f"{pmid}.html", article_page(record, self.iris, embedding))

    def delete(self, deletion: Deletion) -> None:
        """A DeleteCitation: the record's documents go, and with them its graph in the dumps."""
        for pmid in deletion.pmids:
            for ext in DOCUMENT_EXTENSIONS:
                (self.out / "pubmed" / f"{pmid}.{ext}").unlink(missing_ok=True)
            self.report.deleted.append(pmid)


DOCUMENT_EXTENSIONS = ("nt", "ttl", "jsonld", "embed.jsonld", "html")


def published_pmids(out: Path) -> list[str]:
    """PMIDs with documents in ``out/pubmed/``, in numeric order (the dumps' stable order)."""
    folder = out / "pubmed"
    if not folder.is_dir():
        return []
    return sorted((p.stem for p in folder.glob("*.nt") if p.stem.isdigit()), key=int)


def owns(iris: Iris, pmid: str, subject: str) -> bool:
    """Whether an N-Triples subject belongs to the record alone (its article IRI, IRIs under it, list cells);
    everything else (journals, MeSH terms, cited works, ORCID persons) is shared with other records."""
    own = f"<{iris.article(pmid)}"
    return subject.startswith("_:") or subject == own + ">" or subject.startswith(own + "/")


def write_dumps(out: Path, iris: Iris) -> VoidStats:
    """Assemble dataset.nt.gz, dataset.nq.gz, dataset.ttl and void.ttl from the per-record documents, one record at
    a time. A record's own statements go to its named graph, so a store can replace or drop it as a unit; shared
    statements go once to the shared graph (and once to the N-Triples dump)."""
    pmids = published_pmids(out)
    stats = VoidStats()
    shared: set[bytes] = set()
    shared_graph = f" {nt_term(iris.shared_graph())} .\n"
    files = {name: AtomicFile(out / name, gz=name.endswith(".gz"))
             for name in ("dataset.nt.gz", "dataset.nq.gz", "dataset.ttl")}
    with committed(files) as dumps:
        head_written = False
        for pmid in pmids:
            graph = f" {nt_term(iris.graph(pmid))} .\n"
            for line in (out / "pubmed" / f"{pmid}.nt").read_text(encoding="utf-8").splitlines(keepends=True):
                if owns(iris, pmid, line.split(" ", 1)[0]):
                    dumps["dataset.nq.gz"].stream.write(line[:-3] + graph)
                else:
                    digest = hashlib.blake2b(line.encode(), digest_size=12).digest()
                    if digest in shared:
                        continue
                    shared.add(digest)
                    dumps["dataset.nq.gz"].stream.write(line[:-3] + shared_graph)
                dumps["dataset.nt.gz"].stream.write(line)
                stats.add_line(line)
            head_written = _append_turtle(dumps["dataset.ttl"].stream,
                                          (out / "pubmed" / f"{pmid}.ttl").read_text(encoding="utf-8"), head_written)
        if not head_written:
            dumps["dataset.ttl"].stream.write(turtle(to_graph(())))
    write_atomic(out / "void.ttl", void_turtle(iris, stats, pmids))
    return stats


def _append_turtle(stream: IO[str], ttl: str, head_written: bool) -> bool:
    """Concatenate per-record Turtle: prefixes once, then bodies (lists are inline, so no labels can clash)."""
    lines = ttl.splitlines(keepends=True)
    body_at = next((i for i, line in enumerate(lines) if not line.startswith("@prefix")), len(lines))
    if not head_written:
        stream.writelines(lines[:body_at])
    stream.writelines(lines[body_at:])
    return True


def publish(items: Iterable[RecordItem], out: Path, *, base: str | None = None, validate: bool = True,
            enricher: MeshEnricher | None = None, log: Callable[[str], None] = lambda _m: None) -> BuildReport:
    """Publish a stream of records (and deletions, and source errors to report) into ``out``."""
    iris = Iris(base) if base else Iris()
    with Publisher(out, iris, validate=validate, enricher=enricher, log=log) as pub:
        for item in items:
            if isinstance(item, SourceError):
                pub.report.read += 1
                pub.report.skipped.append(item.pmid or "?")
                pub.report.errors.append(str(item))
                log(f"skipped: {item}")
            elif isinstance(item, Deletion):
                pub.delete(item)
            else:
                pub.report.read += 1
                try:
                    report = pub.add(item)
                except RdfgenError as exc:
                    pub.report.skipped.append(item.pmid)
                    pub.report.errors.append(f"PMID {item.pmid}: {exc}")
                    log(f"skipped: PMID {item.pmid}: {exc}")
                    continue
                if report is not None and not report.conforms:
                    log(report.text(f"PMID {item.pmid} not published"))
                else:
                    log(f"published {item.pmid}")
    return pub.report


def publish_dumps(items: Iterable[RecordItem], out: Path, *, base: str | None = None, validate: bool = True,
                  enricher: MeshEnricher | None = None,
                  log: Callable[[str], None] = lambda _m: None) -> BuildReport:
    """Dumps only, for PubMed-scale files: no per-record documents and no Graph, each record's triples streamed
    straight to N-Quads, so memory does not grow with the file.

    A first pass writes every record's named graph as it comes; a second pass copies them into dataset.nq.gz and
    dataset.nt.gz, dropping a graph when a later version of the same PMID or a DeleteCitation superseded it (update
    files do both). The dumps describe this run's inputs; to fold updates into an existing store use ``rdfgen load``.
    """
    iris = Iris(base) if base else Iris()
    report = BuildReport()
    versions: dict[str, int] = {}
    scratch = AtomicFile(out / ".records.nq.gz", gz=True)
    try:
        for item in items:
            if isinstance(item, SourceError):
                report.read += 1
                report.skipped.append(item.pmid or "?")
                report.errors.append(str(item))
                log(f"skipped: {item}")
            elif isinstance(item, Deletion):
                for pmid in item.pmids:
                    versions[pmid] = versions.get(pmid, 0) + 1
                    report.deleted.append(pmid)
            else:
                report.read += 1
                _stream_record(item, iris, enricher, validate, scratch.stream, versions, report, log)
        scratch.stream.flush()
    except BaseException:
        scratch.discard()
        raise
    scratch._close()
    try:
        if report.published or report.deleted:
            stats = _final_dumps(Path(scratch.tmp), out, versions, iris)
            write_atomic(out / "void.ttl", void_turtle(iris, stats, sorted(set(report.published), key=int),
                                                       dumps=("dataset.nt.gz", "dataset.nq.gz")))
    finally:
        os.unlink(scratch.tmp)
    return report


def _stream_record(record: Record, iris: Iris, enricher: MeshEnricher | None, validate: bool, stream: IO[str],
                   versions: dict[str, int], report: BuildReport, log: Callable[[str], None]) -> None:
    """One record's graph, sorted, into the scratch N-Quads; the graph name carries its version number."""
    try:
        record, triples = map_record(record, iris, enricher)
        if validate:
            result = validate_graph(to_graph(triples))
            if not result.conforms:
                report.skipped.append(record.pmid)
                report.errors.append(result.text(f"PMID {record.pmid}"))
                log(result.text(f"PMID {record.pmid} not published"))
                return
    except RdfgenError as exc:
        report.skipped.append(record.pmid)
        report.errors.append(f"PMID {record.pmid}: {exc}")
        log(f"skipped: PMID {record.pmid}: {exc}")
        return
    version = versions[record.pmid] = versions.get(record.pmid, 0) + 1
    graph = f" {nt_term(iris.graph(record.pmid))} .\n"
    stream.write(f"#{record.pmid} {version}\n")
    for line in ntriples(triples).splitlines(keepends=True):
        stream.write(line[:-3] + graph)
    report.published.append(record.pmid)


def _final_dumps(scratch: Path, out: Path, versions: dict[str, int], iris: Iris) -> VoidStats:
    """Copy each PMID's last version (unless deleted after it) into the dumps; the rest is superseded. Shared
    statements go to the shared graph without a memory-hungry de-duplication: a store keeps a quad once per graph,
    so repeats there collapse on load (the N-Triples dump may repeat them)."""
    stats = VoidStats(distinct=False)
    shared_graph = f" {nt_term(iris.shared_graph())} .\n"
    files = {name: AtomicFile(out / name, gz=True) for name in ("dataset.nq.gz", "dataset.nt.gz")}
    with committed(files) as dumps, gzip.open(scratch, "rt", encoding="utf-8") as lines:
        keep, pmid = False, ""
        for line in lines:
            if line.startswith("#"):
                pmid, version = line[1:].split()
                keep = versions.get(pmid) == int(version)
                continue
            if keep:
                triple = line[:line.rindex(" <", 0, len(line) - 3)] + " .\n"
                if owns(iris, pmid, line.split(" ", 1)[0]):
                    dumps["dataset.nq.gz"].stream.write(line)
                else:
                    dumps["dataset.nq.gz"].stream.write(triple[:-3] + shared_graph)
                dumps["dataset.nt.gz"].stream.write(triple)
                stats.add_line(triple)
    return stats
