"""One input file -> one shard (DESIGN.md, "Scale"): the unit of work a worker process or a Dask worker does.

A shard is ``out/shards/{name}.nq.gz`` (and its N-Triples twin ``{name}.nt.gz``), with one gzip member per record:
the record's own statements in its named graph, then the shared ones it states in the shared graph, and at the end
one member with the MeSH tree its records name. Members make the dataset cheap to derive: the dumps are the shards'
bytes concatenated, and a record a later file supersedes is blanked in place by an empty gzip member of the same
length (``blank_member``), so nothing is ever re-mapped, re-compressed or moved. ``{name}.index.json.gz`` says where
each member is and what it counts for VoID. Everything is written under temporary names and renamed when complete;
the manifest entry the orchestrator writes afterwards is the commit point.

With documents on, the record's five documents are written into ``{name}.docs/``; the dataset step moves those of
records that stay live into ``out/pubmed/`` in file order, so parallel workers never race on a PMID.
"""

from __future__ import annotations

import gc
import io
import itertools
import json
import os
import shutil
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from isal import igzip, isal_zlib

from rdfgen import __version__
from rdfgen.compression import WRITE_LEVEL
from rdfgen.errors import RdfgenError, SourceError
from rdfgen.iris import Iris
from rdfgen.mapping import Triple
from rdfgen.mapping.subjects import mesh_tree_parts
from rdfgen.mesh.enrich import MeshEnricher
from rdfgen.model import Deletion, Record
from rdfgen.publish.documents import DOCUMENT_EXTENSIONS, render_documents
from rdfgen.publish.dumps import Owner
from rdfgen.publish.files import file_sha256
from rdfgen.publish.members import members, tally
from rdfgen.publish.records import map_record
from rdfgen.publish.salvage import salvage
from rdfgen.publish.shapes_check import compile_shapes
from rdfgen.serialize.ntriples import nt_term

INDEX_FORMAT = "rdfgen-shard/3"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_BLANK_HEAD = b"\x1f\x8b\x08\x10\x00\x00\x00\x00\x00\xff"  # gzip header: deflate, FCOMMENT set, mtime 0, OS unknown
_BLANK_TAIL = b"\x00\x03\x00" + bytes(8)  # end of comment, an empty final deflate block, CRC32 0, size 0
BLANK_MIN = len(_BLANK_HEAD) + len(_BLANK_TAIL)


def blank_member(length: int) -> bytes:
    """A gzip member of exactly ``length`` bytes that decompresses to nothing: its comment field takes the room.

    Overwriting a record's member with it removes the record from a dump without moving a byte of the others (gzip,
    zcat, ISA-L, pyoxigraph and every zlib reader read concatenated members as one stream)."""
    if length < BLANK_MIN:
        raise ValueError(f"a gzip member of {length} bytes cannot be blanked (needs {BLANK_MIN})")
    return _BLANK_HEAD + b" " * (length - BLANK_MIN) + _BLANK_TAIL


class Channel(Protocol):
    def report(self, worker: str, name: str, records: int) -> None: ...


@dataclass(frozen=True)
class ShardTask:
    """Everything a worker needs, picklable, with absolute paths (a Dask worker has its own working directory)."""

    input: str
    name: str
    out: str
    base: str
    validate: bool = True
    mesh: str | None = None
    no_mesh: bool = False
    fmt: str | None = None
    pmid: str | None = None
    documents: bool = False


@dataclass
class ShardEntry:
    """A finished shard, as its manifest entry records it (counts, checksums, what it deletes)."""

    input: str
    name: str
    size: int
    sha256: str
    shard: str
    shard_sha256: str
    rdfgen: str = __version__
    read: int = 0
    published: int = 0
    skipped: int = 0
    deleted: list[str] = field(default_factory=list)
    errors: list[list[str]] = field(default_factory=list)  # [pmid or "?", message]
    superseded: list[list[str]] = field(default_factory=list)  # [pmid, why]: replaced or deleted in the same file
    warnings: list[str] = field(default_factory=list)  # fields left out of published records, and why
    documents: bool = False
    pmids: list[str] = field(default_factory=list)  # published, in order (the build's report; not in the manifest)

    def manifest(self) -> dict[str, Any]:
        keys = ("input", "name", "size", "sha256", "shard", "shard_sha256", "rdfgen", "read", "published",
                "skipped", "superseded", "deleted", "errors", "documents")
        return {k: getattr(self, k) for k in keys}


def shard_paths(out: Path, name: str) -> dict[str, Path]:
    folder = out / "shards"
    return {"nq": folder / f"{name}.nq.gz", "nt": folder / f"{name}.nt.gz", "index": folder / f"{name}.index.json.gz",
            "pmids": folder / f"{name}.pmids", "trailer": folder / f"{name}.shard.json",
            "docs": folder / f"{name}.docs"}


_ENRICHERS: dict[tuple[str | None, bool], MeshEnricher | None] = {}


def _enricher(task: ShardTask) -> MeshEnricher | None:
    """One enricher per worker process and MeSH release: loading the vocabulary is the worker's fixed cost."""
    key = (task.mesh, task.no_mesh)
    if key not in _ENRICHERS:
        from rdfgen.mesh.enrich import load_enricher

        _ENRICHERS[key] = None if task.no_mesh else load_enricher(task.mesh)
    return _ENRICHERS[key]


def convert(task: ShardTask, channel: Channel | None = None, worker: str = "") -> ShardEntry:
    """Convert one input file into its shard (and staged documents). Runs in a worker: module-level, picklable."""
    from rdfgen.sources import read_input

    out = Path(task.out)
    size, sha = (0, "") if task.input == "-" else (os.path.getsize(task.input), file_sha256(task.input))
    writer = ShardWriter(out, task.name, Iris(task.base), _enricher(task), validate=task.validate,
                         documents=task.documents)
    entry = ShardEntry(input=task.input, name=task.name, size=size, sha256=sha,
                       shard=f"shards/{task.name}.nq.gz", shard_sha256="", documents=task.documents)
    report = channel.report if channel is not None else None
    try:
        with streaming_collector():
            for n, item in enumerate(read_input(task.input, fmt=task.fmt, pmid=task.pmid), start=1):
                writer.take(item)
                if n % 256 == 0:
                    _stop_if_orphaned(task)
                    if report is not None:
                        report(worker, task.name, writer.read)
            writer.finish()
    except BaseException:
        writer.discard()
        raise
    entry.read, entry.published, entry.skipped = writer.read, len(writer.live_pmids()), len(writer.errors)
    entry.deleted, entry.errors, entry.pmids = writer.deleted, writer.errors, writer.live_pmids()
    entry.superseded, entry.warnings = writer.superseded, writer.warnings
    entry.shard_sha256 = writer.sha256
    return entry


GC_THRESHOLDS = (50_000, 20, 20)
"""The cyclic collector's thresholds while records stream (Python's default: 700, 10, 10)."""


@contextmanager
def streaming_collector() -> Iterator[None]:
    """The cyclic garbage collector tuned for the duration of a stream of records, the caller's settings restored.

    Why: a record allocates tens of thousands of tuples, dicts and lists, nearly none of them in a cycle (reference
    counting frees them), and at Python's default the collector ran hundreds of times a record, each time walking
    the long-lived objects too (the MeSH vocabulary, the compiled shapes, the templates: millions of them). Those
    are frozen out of its sweeps, and the sweeps made rarer. Measured (1,000 generated articles, CPU s, 3 runs
    each): with per-record documents 7.35 -> 6.93 s, 6% of a record's cost; without them about 1%."""
    thresholds, frozen_before = gc.get_threshold(), gc.get_freeze_count()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if not frozen_before:  # a caller that froze objects itself keeps them frozen (and ours with them)
            gc.unfreeze()


def _stop_if_orphaned(task: ShardTask) -> None:
    """A worker process whose build was killed stops, so it cannot rename a shard under the rerun's feet."""
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None and not parent.is_alive():
        raise SystemExit(f"{task.name}: the build that started this worker is gone")


_INDEX_LINE = json.JSONEncoder(separators=(",", ":")).encode
"""``json.dumps(entry, separators=(",", ":"))``, its encoder made once: dumps makes one a call when given
separators (1% of a conversion, an index line a record)."""


class ShardWriter:
    """Writes one shard: each record mapped, checked, and appended as one gzip member to both files."""

    def __init__(self, out: Path, name: str, iris: Iris, enricher: MeshEnricher | None, *, validate: bool = True,
                 documents: bool = False) -> None:
        self.iris, self.enricher, self.validate, self.documents = iris, enricher, validate, documents
        # Looked up once: compile_shapes() finds the shapes file (two stat calls) on every call, 1.6% of a record.
        self.shapes = compile_shapes() if validate else None
        self.paths = shard_paths(out, name)
        self.paths["nq"].parent.mkdir(parents=True, exist_ok=True)
        self.tmp = {k: p.with_name(f".{p.name}.tmp") for k, p in self.paths.items()}
        self.files = {k: open(self.tmp[k], "wb") for k in ("nq", "nt")}  # noqa: SIM115 - closed in finish/discard
        self.offsets = {"nq": 0, "nt": 0}
        if documents:
            shutil.rmtree(self.tmp["docs"], ignore_errors=True)
            self.tmp["docs"].mkdir(parents=True)
        # Index entries go to disk as they come ([pmid, nq_off, nq_len, nt_off, nt_len, lines, {class: n}], a JSON
        # line each); memory keeps only PMIDs and member places, a few dozen bytes a record (flat for 30,000).
        # Buffered ahead of the compressor: a line a record through GzipFile.write cost 2% of a conversion.
        self.index = io.BufferedWriter(igzip.GzipFile(self.tmp["index"], "wb", mtime=0), 1 << 16)
        self.pmids = array("I")
        self.placed = array("Q")
        self.dead: set[int] = set()
        self.latest: dict[str, int] = {}
        self.deleted: list[str] = []
        self.deleted_found: list[str] = []  # deletions of a record earlier in this file
        self.superseded: list[list[str]] = []
        self.warnings: list[str] = []
        self.name = name
        self.errors: list[list[str]] = []
        self.properties: set[str] = set()
        self.descriptors: set[str] = set()
        self.read = 0
        self.sha256 = ""
        self.shared_graph = f" {nt_term(iris.shared_graph())} .\n".encode()

    def take(self, item: Record | Deletion | SourceError) -> None:
        if isinstance(item, SourceError):
            self.read += 1
            self.errors.append([item.pmid or "?", str(item)])
        elif isinstance(item, Deletion):
            for pmid in item.pmids:
                if self._supersede(pmid, "deleted by the DeleteCitation later in the same file"):
                    self.deleted_found.append(pmid)
                self.deleted.append(pmid)
        else:
            self.read += 1
            self._record(item)

    def _supersede(self, pmid: str, why: str) -> bool:
        """Retire the record of ``pmid`` written earlier in this file, if any; it is accounted for, with why."""
        index = self.latest.pop(pmid, None)
        if index is None:
            return False
        self.dead.add(index)
        self.superseded.append([pmid, f"PMID {pmid} in {self.name}: {why}"])
        return True

    def _record(self, record: Record) -> None:
        """Map, check and append one record; a failure is reported with its PMID and the file goes on."""
        try:
            record, triples = map_record(record, self.iris, self.enricher, self.descriptors)
            if self.shapes is not None:
                result = self.shapes.check(triples)
                if not result.conforms:
                    kept = salvage(triples, result, f"<{self.iris.article(record.pmid)}>", self.shapes)
                    if kept is None:
                        self.errors.append([record.pmid, result.text(f"PMID {record.pmid} not published")])
                        return
                    triples = kept[0]
                    self.warnings += [f"PMID {record.pmid}: {w}" for w in kept[1]]
            if self.documents:
                self._documents(record, triples)
        except RdfgenError as exc:
            self.errors.append([record.pmid, f"PMID {record.pmid}: {exc}"])
            return
        pmid = record.pmid
        owner = Owner(self.iris, pmid)
        graph = f" {nt_term(self.iris.graph(pmid))} .\n".encode()
        unique, nq, nt = members(triples, owner.under, owner.article, graph, self.shared_graph)
        classes = tally(unique, _RDF_TYPE, self.properties)
        self._supersede(pmid, "replaced by a later record of the same PMID in the same file")
        self.latest[pmid] = len(self.pmids)
        placed = self._append(nq, nt)
        self.pmids.append(int(pmid))
        self.placed.extend(placed)
        entry = [pmid, *placed, len(unique), {k[1:-1]: v for k, v in classes.items()}]
        self.index.write(_INDEX_LINE(entry).encode() + b"\n")

    def _append(self, nq: bytes, nt: bytes) -> tuple[int, int, int, int]:
        placed: list[int] = []
        for kind, data in (("nq", nq), ("nt", nt)):
            member = igzip.compress(data, WRITE_LEVEL, mtime=0)
            self.files[kind].write(member)
            placed += [self.offsets[kind], len(member)]
            self.offsets[kind] += len(member)
        return placed[0], placed[1], placed[2], placed[3]

    def _documents(self, record: Record, triples: list[Triple]) -> None:
        folder = str(self.tmp["docs"])
        for ext, text in render_documents(record, triples, self.iris).items():
            # Plain system calls: five files a record, and a Path's text stream costs more than the write.
            fd = os.open(f"{folder}/{record.pmid}.{ext}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            try:
                data = memoryview(text.encode("utf-8"))
                while data:
                    data = data[os.write(fd, data):]
            finally:
                os.close(fd)

    def live_pmids(self) -> list[str]:
        return [str(p) for i, p in enumerate(self.pmids) if i not in self.dead]

    def finish(self) -> None:
        """The MeSH member, superseded members blanked, the index written, everything renamed into place."""
        mesh_entry = self._mesh_member()
        for f in self.files.values():
            f.close()
        for index in sorted(self.dead):
            nq_off, nq_len, nt_off, nt_len = self.placed[4 * index:4 * index + 4]
            blank_at(self.tmp["nq"], nq_off, nq_len)
            blank_at(self.tmp["nt"], nt_off, nt_len)
            pmid = str(self.pmids[index])
            if self.documents and pmid not in self.latest:  # deleted; a later version's documents replaced these
                for ext in DOCUMENT_EXTENSIONS:
                    (self.tmp["docs"] / f"{pmid}.{ext}").unlink(missing_ok=True)
        trailer = {"format": INDEX_FORMAT, "records": len(self.pmids), "dead": sorted(self.dead),
                   "deleted": self.deleted, "deleted_found": self.deleted_found,
                   "properties": sorted(self.properties), "mesh": mesh_entry, "sizes": dict(self.offsets)}
        self.index.close()
        self.tmp["trailer"].write_text(json.dumps(trailer, separators=(",", ":")) + "\n", encoding="utf-8")
        self.tmp["pmids"].write_bytes(self.pmids.tobytes())
        self.sha256 = file_sha256(self.tmp["nq"])
        if self.documents:
            shutil.rmtree(self.paths["docs"], ignore_errors=True)
        for kind in ("nt", "index", "pmids", "trailer", "docs", "nq"):
            if kind != "docs" or self.documents:
                os.replace(self.tmp[kind], self.paths[kind])

    def _mesh_member(self) -> list[int] | None:
        """The MeSH tree of the descriptors this shard names, one member in each file, streamed: a baseline file
        names most of MeSH (hundreds of thousands of lines), which must not be held as one string. Each shard
        carries its own tree, so a store loading one shard gets what its queries need; the dataset repeats shared
        descriptors, a small part of it."""
        if self.enricher is None or not self.descriptors:
            return None
        graph = f" {nt_term(self.iris.mesh_graph())} .\n".encode()
        streams = {kind: isal_zlib.compressobj(WRITE_LEVEL, isal_zlib.DEFLATED, 31) for kind in ("nq", "nt")}
        starts = dict(self.offsets)
        count, chunk = 0, []
        for part in itertools.chain(mesh_tree_parts(self.descriptors, self.enricher.vocab), [None]):
            if part is not None:
                chunk += part
                if len(chunk) < 4096:
                    continue
            if not chunk:
                break
            # Every line is the MeSH graph's: "" is the start of every subject, so members ends each with graph.
            unique, nq, nt = members(chunk, "", "", graph, graph)
            count += len(unique)
            self.properties.update({p for _s, p, _o in unique})
            self._write("nq", streams["nq"].compress(nq))
            self._write("nt", streams["nt"].compress(nt))
            chunk = []
        if not count:
            return None
        for kind in ("nq", "nt"):
            self._write(kind, streams[kind].flush())
        return [starts["nq"], self.offsets["nq"] - starts["nq"], starts["nt"], self.offsets["nt"] - starts["nt"],
                count]

    def _write(self, kind: str, data: bytes) -> None:
        self.files[kind].write(data)
        self.offsets[kind] += len(data)

    def discard(self) -> None:
        for f in self.files.values():
            f.close()
        self.index.close()
        for kind, path in self.tmp.items():
            if kind == "docs":
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def blank_at(path: Path, offset: int, length: int) -> None:
    """Overwrite one member of a gzip file in place with an empty member of the same length (idempotent)."""
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(blank_member(length))


def read_index(out: Path, name: str) -> dict[str, Any]:
    """A shard's summary: its members' count and sizes, the members blanked, its deletions, its MeSH member."""
    path = shard_paths(out, name)["trailer"]
    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc.get("format") != INDEX_FORMAT:
        raise RdfgenError(f"{path}: not a shard of this rdfgen version")
    return doc


def iter_entries(out: Path, name: str) -> Iterator[list[Any]]:
    """The shard's record members in file order, streamed (a baseline shard has 30,000): [pmid, nq offset, nq
    length, nt offset, nt length, statements, {class: count}]."""
    with igzip.open(shard_paths(out, name)["index"], "rb") as f:
        for line in f:
            yield json.loads(line)


