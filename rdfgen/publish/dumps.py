"""Dataset dumps: N-Triples, N-Quads (a named graph per record, shared statements once) and Turtle, with the VoID
description, assembled from the published folder or streamed straight from records at PubMed scale.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from rdfgen.compression import open_gzip
from rdfgen.errors import RdfgenError, SourceError
from rdfgen.iris import MESH_IRI, Iris
from rdfgen.mapping import MeshTerms, mesh_tree
from rdfgen.mesh.enrich import MeshEnricher
from rdfgen.model import Deletion, Record
from rdfgen.publish.files import AtomicFile, committed, write_atomic
from rdfgen.publish.records import BuildReport, RecordItem, map_record
from rdfgen.publish.validate import validate_graph
from rdfgen.serialize.graph import to_graph
from rdfgen.serialize.ntriples import nt_term
from rdfgen.serialize.turtle import turtle
from rdfgen.serialize.void import VoidStats, void_turtle


def published_pmids(out: Path) -> list[str]:
    """PMIDs with documents in ``out/pubmed/``, in numeric order (the dumps' stable order)."""
    folder = out / "pubmed"
    if not folder.is_dir():
        return []
    return sorted((p.stem for p in folder.glob("*.nt") if p.stem.isdigit()), key=int)



def owns(iris: Iris, pmid: str, subject: str) -> bool:
    """Whether an N-Triples subject belongs to the record alone (its article IRI, IRIs under it, list cells);
    everything else (journals, MeSH terms, cited works, ORCID persons) is shared with other records."""
    return Owner(iris, pmid)(subject)


class Owner:
    """``owns`` for one record, its IRIs made once: the dumps ask it of every line."""

    __slots__ = ("_article", "_under")

    def __init__(self, iris: Iris, pmid: str) -> None:
        own = f"<{iris.article(pmid)}"
        self._article, self._under = own + ">", own + "/"

    def __call__(self, subject: str) -> bool:
        return subject.startswith(("_:", self._under)) or subject == self._article


def write_dumps(out: Path, iris: Iris, mesh_terms: MeshTerms | None = None) -> VoidStats:
    """Assemble dataset.nt.gz, dataset.nq.gz, dataset.ttl and void.ttl from the per-record documents, one record at
    a time. A record's own statements go to its named graph, so a store can replace or drop it as a unit; shared
    statements go once to the shared graph (and once to the N-Triples dump); the MeSH tree the records need goes once
    to the MeSH graph."""
    pmids = published_pmids(out)
    stats = VoidStats()
    shared: set[bytes] = set()
    shared_graph = f" {nt_term(iris.shared_graph())} .\n"
    files = {name: AtomicFile(out / name, gz=name.endswith(".gz"))
             for name in ("dataset.nt.gz", "dataset.nq.gz", "dataset.ttl")}
    descriptors: set[str] = set()
    with committed(files) as dumps:
        head_written = False
        for pmid in pmids:
            graph, own = f" {nt_term(iris.graph(pmid))} .\n", Owner(iris, pmid)
            for line in (out / "pubmed" / f"{pmid}.nt").read_text(encoding="utf-8").splitlines(keepends=True):
                if own(line[:line.index(" ")]):
                    dumps["dataset.nq.gz"].stream.write(line[:-3] + graph)
                else:
                    _note_descriptor(line, descriptors)
                    digest = hashlib.blake2b(line.encode(), digest_size=12).digest()
                    if digest in shared:
                        continue
                    shared.add(digest)
                    dumps["dataset.nq.gz"].stream.write(line[:-3] + shared_graph)
                dumps["dataset.nt.gz"].stream.write(line)
                stats.add_line(line)
            head_written = _append_turtle(dumps["dataset.ttl"].stream,
                                          (out / "pubmed" / f"{pmid}.ttl").read_text(encoding="utf-8"), head_written)
        tree = list(mesh_tree(descriptors, mesh_terms)) if mesh_terms is not None else []
        mesh_graph = f" {nt_term(iris.mesh_graph())} .\n"
        for s, p, o in tree:
            line = f"{s} {p} {o} .\n"
            dumps["dataset.nq.gz"].stream.write(line[:-3] + mesh_graph)
            if hashlib.blake2b(line.encode(), digest_size=12).digest() not in shared:
                dumps["dataset.nt.gz"].stream.write(line)
                stats.add_line(line)
        if tree:
            head_written = _append_turtle(dumps["dataset.ttl"].stream, turtle(to_graph(tree)), head_written)
        if not head_written:
            dumps["dataset.ttl"].stream.write(turtle(to_graph(())))
    write_atomic(out / "void.ttl", void_turtle(iris, stats, pmids))
    return stats


_DESCRIPTOR_CODE = f"<{MESH_IRI}D"
_TERM_CODE = " <https://schema.org/termCode> "


def _note_descriptor(line: str, descriptors: set[str]) -> None:
    """Collect the descriptor a line names (its schema:termCode statement): the MeSH graph is built from them."""
    if line.startswith(_DESCRIPTOR_CODE) and _TERM_CODE in line:
        descriptors.add(line[len(MESH_IRI) + 1:line.index(">")])


def _append_turtle(stream: IO[str], ttl: str, head_written: bool) -> bool:
    """Concatenate per-record Turtle: prefixes once, then bodies (lists are inline, so no labels can clash)."""
    lines = ttl.splitlines(keepends=True)
    body_at = next((i for i, line in enumerate(lines) if not line.startswith("@prefix")), len(lines))
    if not head_written:
        stream.writelines(lines[:body_at])
    stream.writelines(lines[body_at:])
    return True


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
            stats = _final_dumps(Path(scratch.tmp), out, versions, iris, enricher.vocab if enricher else None)
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
    stream.write("".join(sorted({f"{s} {p} {o}{graph}" for s, p, o in triples})))
    report.published.append(record.pmid)


def _final_dumps(scratch: Path, out: Path, versions: dict[str, int], iris: Iris,
                 mesh_terms: MeshTerms | None) -> VoidStats:
    """Copy each PMID's last version (unless deleted after it) into the dumps; the rest is superseded. Shared
    statements go to the shared graph without a memory-hungry de-duplication: a store keeps a quad once per graph,
    so repeats there collapse on load (the N-Triples dump may repeat them). The MeSH tree of the descriptors the
    kept records name follows, once, in the MeSH graph (at most all of MeSH, so memory stays bounded)."""
    stats = VoidStats(distinct=False)
    shared_graph = f" {nt_term(iris.shared_graph())} .\n"
    files = {name: AtomicFile(out / name, gz=True) for name in ("dataset.nq.gz", "dataset.nt.gz")}
    descriptors: set[str] = set()
    with committed(files) as dumps, open_gzip(str(scratch), "rt", encoding="utf-8") as lines:
        keep, own = False, Owner(iris, "0")
        for line in lines:
            if line.startswith("#"):
                pmid, version = line[1:].split()
                keep = versions.get(pmid) == int(version)
                own = Owner(iris, pmid)
                continue
            if keep:
                triple = line[:line.rindex(" <", 0, len(line) - 3)] + " .\n"
                if own(line[:line.index(" ")]):
                    dumps["dataset.nq.gz"].stream.write(line)
                else:
                    _note_descriptor(triple, descriptors)
                    dumps["dataset.nq.gz"].stream.write(triple[:-3] + shared_graph)
                dumps["dataset.nt.gz"].stream.write(triple)
                stats.add_line(triple)
        mesh_graph = f" {nt_term(iris.mesh_graph())} .\n"
        for s, p, o in mesh_tree(descriptors, mesh_terms) if mesh_terms is not None else ():
            dumps["dataset.nq.gz"].stream.write(f"{s} {p} {o}{mesh_graph}")
            dumps["dataset.nt.gz"].stream.write(f"{s} {p} {o} .\n")
            stats.add_line(f"{s} {p} {o} .\n")
    return stats

