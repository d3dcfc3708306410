"""Dataset dumps: N-Triples, N-Quads (a named graph per record, shared statements once) and Turtle, with the VoID
description, assembled from the published folder or streamed straight from records at PubMed scale.
"""

from __future__ import annotations

import hashlib
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
from rdfgen.publish.shapes_check import compile_shapes
from rdfgen.serialize.ntriples import nt_term
from rdfgen.serialize.turtle import prefix_block, turtle_text
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

    __slots__ = ("_article", "_under", "line_starts")

    def __init__(self, iris: Iris, pmid: str) -> None:
        own = f"<{iris.article(pmid)}"
        self._article, self._under = own + ">", own + "/"
        self.line_starts = ("_:", self._under, self._article + " ")
        """What an N-Triples line of the record's own starts with: one ``str.startswith`` decides a line."""

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
        dumps["dataset.ttl"].stream.write(prefix_block())
        for pmid in pmids:
            graph, own = f" {nt_term(iris.graph(pmid))} .\n", Owner(iris, pmid)
            nq: list[str] = []
            nt: list[str] = []
            for line in (out / "pubmed" / f"{pmid}.nt").read_text(encoding="utf-8").splitlines(keepends=True):
                if own(line[:line.index(" ")]):
                    nq.append(line[:-3] + graph)
                else:
                    _note_descriptor(line, descriptors)
                    digest = hashlib.blake2b(line.encode(), digest_size=12).digest()
                    if digest in shared:
                        continue
                    shared.add(digest)
                    nq.append(line[:-3] + shared_graph)
                nt.append(line)
            dumps["dataset.nq.gz"].stream.write("".join(nq))
            dumps["dataset.nt.gz"].stream.write("".join(nt))
            stats.add_lines(nt)
            _append_turtle(dumps["dataset.ttl"].stream, (out / "pubmed" / f"{pmid}.ttl").read_text(encoding="utf-8"))
        tree = list(mesh_tree(descriptors, mesh_terms)) if mesh_terms is not None else []
        mesh_graph = f" {nt_term(iris.mesh_graph())} .\n"
        for s, p, o in tree:
            line = f"{s} {p} {o} .\n"
            dumps["dataset.nq.gz"].stream.write(line[:-3] + mesh_graph)
            if hashlib.blake2b(line.encode(), digest_size=12).digest() not in shared:
                dumps["dataset.nt.gz"].stream.write(line)
                stats.add_line(line)
        if tree:
            _append_turtle(dumps["dataset.ttl"].stream, turtle_text(tree))
    write_atomic(out / "void.ttl", void_turtle(iris, stats, pmids))
    return stats


_DESCRIPTOR_CODE = f"<{MESH_IRI}D"
_TERM_CODE = " <https://schema.org/termCode> "


def _note_descriptor(line: str, descriptors: set[str]) -> None:
    """Collect the descriptor a line names (its schema:termCode statement): the MeSH graph is built from them."""
    if line.startswith(_DESCRIPTOR_CODE) and _TERM_CODE in line:
        descriptors.add(line[len(MESH_IRI) + 1:line.index(">")])


def _ended(lines: list[str], end: str) -> str:
    """Lines each followed by ``end`` (graph name and " .\\n"), joined in C: no string is built per line."""
    return end.join(lines) + end if lines else ""


def _append_turtle(stream: IO[str], ttl: str) -> None:
    """A document's Turtle without its prefixes, after the dump's block of every prefix: each record declares only
    the prefixes it uses, so the first record's could not serve the rest (lists are inline, no labels clash)."""
    lines = ttl.splitlines(keepends=True)
    body_at = next((i for i, line in enumerate(lines) if not line.startswith("@prefix")), len(lines))
    stream.writelines(lines[body_at:])


def publish_dumps(items: Iterable[RecordItem], out: Path, *, base: str | None = None, validate: bool = True,
                  enricher: MeshEnricher | None = None,
                  log: Callable[[str], None] = lambda _m: None) -> BuildReport:
    """Dumps only, for PubMed-scale files: no per-record documents and no Graph, each record's triples streamed
    straight to dataset.nq.gz and dataset.nt.gz, so memory does not grow with the file.

    One pass writes every record as it comes. When a later version of a PMID, or a DeleteCitation, supersedes one
    already written (update files do both; baseline files never), a second pass copies the dumps without the
    superseded records, found by their place in the file. The dumps describe this run's inputs; to fold updates into
    an existing store use ``rdfgen load``.
    """
    iris = Iris(base) if base else Iris()
    writer = _DumpWriter(out, iris, enricher, validate, log)
    try:
        for item in items:
            writer.take(item)
        writer.finish()
    except BaseException:
        writer.discard()
        raise
    return writer.report


class _DumpWriter:
    """The streaming dumps of one run: each record's graph appended to both dumps as one block of lines, and a table
    of the blocks (PMID, line count) so superseded versions can be dropped afterwards without re-mapping."""

    def __init__(self, out: Path, iris: Iris, enricher: MeshEnricher | None, validate: bool,
                 log: Callable[[str], None]) -> None:
        self.out, self.iris, self.enricher, self.validate, self.log = out, iris, enricher, validate, log
        self.report = BuildReport()
        self.stats = VoidStats(distinct=False)
        self.descriptors: set[str] = set()
        self.blocks: list[tuple[str, int]] = []
        self.latest: dict[str, int] = {}  # PMID -> index of its block still standing
        self.dropped: set[int] = set()
        self.shared_graph = f" {nt_term(iris.shared_graph())} .\n"
        self.files = {name: AtomicFile(out / name, gz=True) for name in ("dataset.nq.gz", "dataset.nt.gz")}

    def take(self, item: RecordItem) -> None:
        """One item of the input stream: a record to publish, a deletion, or a source error to report."""
        if isinstance(item, SourceError):
            self.report.read += 1
            self.report.skipped.append(item.pmid or "?")
            self.report.errors.append(str(item))
            self.log(f"skipped: {item}")
        elif isinstance(item, Deletion):
            for pmid in item.pmids:
                self._supersede(pmid)
                self.report.deleted.append(pmid)
        else:
            self.report.read += 1
            self._record(item)

    def _supersede(self, pmid: str) -> None:
        block = self.latest.pop(pmid, None)
        if block is not None:
            self.dropped.add(block)

    def _record(self, record: Record) -> None:
        """Map, check and append one record; a failure is reported with its PMID and the batch goes on."""
        try:
            record, triples = map_record(record, self.iris, self.enricher, self.descriptors)
            if self.validate:
                result = compile_shapes().check(triples)
                if not result.conforms:
                    self.report.skipped.append(record.pmid)
                    self.report.errors.append(result.text(f"PMID {record.pmid}"))
                    self.log(result.text(f"PMID {record.pmid} not published"))
                    return
        except RdfgenError as exc:
            self.report.skipped.append(record.pmid)
            self.report.errors.append(f"PMID {record.pmid}: {exc}")
            self.log(f"skipped: PMID {record.pmid}: {exc}")
            return
        own, graph, shared = Owner(self.iris, record.pmid), f" {nt_term(self.iris.graph(record.pmid))} .\n", \
            self.shared_graph
        lines = list(dict.fromkeys(f"{s} {p} {o}" for s, p, o in triples))  # the mapping's order, each once
        self.files["dataset.nt.gz"].stream.write(_ended(lines, " .\n"))
        starts = own.line_starts
        mine = [line for line in lines if line.startswith(starts)]
        others = [line for line in lines if not line.startswith(starts)]
        self.files["dataset.nq.gz"].stream.write(_ended(mine, graph) + _ended(others, shared))
        self.stats.add_triples(triples, len(lines))
        self._supersede(record.pmid)
        self.latest[record.pmid] = len(self.blocks)
        self.blocks.append((record.pmid, len(lines)))
        self.report.published.append(record.pmid)

    def finish(self) -> None:
        """The MeSH graph of the descriptors named, the superseded blocks dropped, the files renamed into place."""
        if not (self.report.published or self.report.deleted):
            self.discard()
            return
        if self.dropped:
            self._drop_superseded()
        mesh_terms = self.enricher.vocab if self.enricher else None
        mesh_graph = f" {nt_term(self.iris.mesh_graph())} .\n"
        nq, nt = self.files["dataset.nq.gz"].stream, self.files["dataset.nt.gz"].stream
        for s, p, o in mesh_tree(self.descriptors, mesh_terms) if mesh_terms else ():  # up to all of MeSH: streamed
            line = f"{s} {p} {o}"
            nq.write(line + mesh_graph)
            nt.write(line + " .\n")
            self.stats.add_line(line)
        for f in self.files.values():
            f.commit()
        pmids = sorted(set(self.report.published), key=int)
        write_atomic(self.out / "void.ttl", void_turtle(self.iris, self.stats, pmids,
                                                        dumps=("dataset.nt.gz", "dataset.nq.gz")))

    def _drop_superseded(self) -> None:
        """Copy each dump without the blocks of superseded versions: their lines are counted out of the statistics,
        and the descriptors for the MeSH graph are collected anew from the blocks kept."""
        self.descriptors = set()
        for name, written in list(self.files.items()):
            written.close()
            kept = AtomicFile(self.out / name, gz=True)
            try:
                with open_gzip(written.tmp, "rt", encoding="utf-8") as lines:
                    for index, (_pmid, count) in enumerate(self.blocks):
                        block = [next(lines) for _ in range(count)]
                        if index in self.dropped:
                            if name == "dataset.nt.gz":
                                self.stats.remove_lines(block)
                        else:
                            kept.stream.writelines(block)
                            if name == "dataset.nt.gz":
                                for line in block:
                                    _note_descriptor(line, self.descriptors)
            except BaseException:
                kept.discard()
                raise
            finally:
                written.discard()
            self.files[name] = kept

    def discard(self) -> None:
        for f in self.files.values():
            f.discard()
