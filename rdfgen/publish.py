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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from rdflib import BNode

from rdfgen.errors import RdfgenError, SourceError
from rdfgen.html import article_page
from rdfgen.iris import Iris
from rdfgen.mapping import KeywordLinker, Triple, record_triples
from rdfgen.model import Deletion, Record
from rdfgen.serialize import embed, embed_json, jsonld_full, nt_line, to_graph, turtle
from rdfgen.validate import Report, validate_graph
from rdfgen.void import VoidStats, void_turtle


class AtomicFile:
    """A file written under a temporary name beside its target: :meth:`commit` renames it into place,
    :meth:`discard` removes it, so the target is either the old file or the whole new one."""

    def __init__(self, path: Path, *, gz: bool = False) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self._raw = os.fdopen(fd, "wb")
        # No name or timestamp in the gzip header, so the same content gives the same bytes.
        self._gz = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0) if gz else None
        self.stream: IO[str] = io.TextIOWrapper(self._gz or self._raw, encoding="utf-8", newline="\n")

    def _close(self) -> None:
        self.stream.close()
        if self._gz is not None:
            self._raw.close()

    def commit(self) -> None:
        self._close()
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self._close()
        if os.path.exists(self.tmp):
            os.unlink(self.tmp)


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


class Publisher:
    """Writes one dataset folder. Use as a context manager; call :meth:`add` per record, then it writes the dumps."""

    def __init__(self, out: Path, iris: Iris, *, validate: bool = True, linker: KeywordLinker | None = None,
                 log: Callable[[str], None] = lambda _m: None) -> None:
        self.out = out
        self.iris = iris
        self.validate = validate
        self.linker = linker
        self.log = log
        self.report = BuildReport()
        self.stats = VoidStats()
        self._shared: set[bytes] = set()
        self._stack: list[Any] = []

    def __enter__(self) -> Publisher:
        self._dumps = {name: AtomicFile(self.out / name, gz=name.endswith(".gz"))
                       for name in ("dataset.nt.gz", "dataset.nq.gz", "dataset.ttl")}
        self.nt = self._dumps["dataset.nt.gz"].stream
        self.nq = self._dumps["dataset.nq.gz"].stream
        self.ttl = self._dumps["dataset.ttl"].stream
        self._ttl_started = False
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        """Replace the dumps only when this run published something: a run of bad inputs keeps the old ones."""
        if exc_type is not None or not self.report.published:
            for f in self._dumps.values():
                f.discard()
            return
        for f in self._dumps.values():
            f.commit()
        write_atomic(self.out / "void.ttl", void_turtle(self.iris, self.stats, self.report.published))

    def _owned(self, record: Record, triple: Triple) -> bool:
        """Triples about the record's own IRIs are unique to it; shared ones (journals, MeSH terms, cited works)
        are written to the dataset dump once."""
        s = triple[0]
        prefix = str(self.iris.article(record.pmid))
        return isinstance(s, BNode) or str(s) == prefix or str(s).startswith(prefix + "/")

    def add(self, record: Record) -> Report | None:
        """Map, validate and write one record; returns the validation report (None when not validated)."""
        triples = list(record_triples(record, self.iris, linker=self.linker))
        graph = to_graph(triples)
        report = validate_graph(graph) if self.validate else None
        if report is not None and not report.conforms:
            self.report.skipped.append(record.pmid)
            self.report.errors.append(report.text(f"PMID {record.pmid}"))
            return report
        self._write_record(record, graph, triples)
        self.report.published.append(record.pmid)
        return report

    def _write_record(self, record: Record, graph: Any, triples: list[Triple]) -> None:
        pmid, base = record.pmid, self.out / "pubmed"
        lines = sorted({nt_line(t) for t in triples})
        write_atomic(base / f"{pmid}.nt", "".join(lines))
        ttl = turtle(graph)
        write_atomic(base / f"{pmid}.ttl", ttl)
        write_atomic(base / f"{pmid}.jsonld", jsonld_full(graph))
        embedding = embed(graph, self.iris.article(pmid), tuple(k.text for k in record.keywords))
        write_atomic(base / f"{pmid}.embed.jsonld", embed_json(embedding))
        write_atomic(base / f"{pmid}.html", article_page(record, self.iris, embedding))
        g = self.iris.graph(pmid)
        for t, line in zip(sorted(set(triples), key=nt_line), lines, strict=True):
            self.nq.write(nt_line(t, g))
            if not self._owned(record, t):
                digest = hashlib.blake2b(line.encode(), digest_size=12).digest()
                if digest in self._shared:
                    continue
                self._shared.add(digest)
            self.nt.write(line)
            self.stats.add(t)
        self._append_turtle(ttl)

    def _append_turtle(self, ttl: str) -> None:
        """Concatenate per-record Turtle: prefixes once, then bodies (lists are inline, so no labels can clash)."""
        head, body = [], []
        for line in ttl.splitlines(keepends=True):
            (head if line.startswith("@prefix") and not body else body).append(line)
        if not self._ttl_started:
            self.ttl.writelines(head)
            self._ttl_started = True
        self.ttl.writelines(body)

    def delete(self, deletion: Deletion) -> None:
        """A DeleteCitation: the record files go; the dumps of this build never held them."""
        for pmid in deletion.pmids:
            for ext in ("ttl", "nt", "jsonld", "embed.jsonld", "html"):
                (self.out / "pubmed" / f"{pmid}.{ext}").unlink(missing_ok=True)
            self.report.deleted.append(pmid)


def publish(items: Iterable[RecordItem], out: Path, *, base: str | None = None, validate: bool = True,
            linker: KeywordLinker | None = None, log: Callable[[str], None] = lambda _m: None) -> BuildReport:
    """Publish a stream of records (and deletions, and source errors to report) into ``out``."""
    iris = Iris(base) if base else Iris()
    with Publisher(out, iris, validate=validate, linker=linker, log=log) as pub:
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
