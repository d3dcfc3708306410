"""Per-record documents (Turtle, N-Triples, JSON-LD, the embedding JSON-LD, an HTML page) in one folder that is the
dataset: the dumps are assembled from what it holds after a run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from rdfgen.errors import RdfgenError, SourceError
from rdfgen.iris import Iris
from rdfgen.mapping import Triple
from rdfgen.mesh.enrich import MeshEnricher
from rdfgen.model import Deletion, Record
from rdfgen.publish.dumps import write_dumps
from rdfgen.publish.files import write_atomic
from rdfgen.publish.records import BuildReport, RecordItem, map_record
from rdfgen.publish.shapes_check import compile_shapes
from rdfgen.publish.validate import Report
from rdfgen.serialize.embedding import embed_object, embed_text
from rdfgen.serialize.html import article_page
from rdfgen.serialize.jsonld import jsonld_text
from rdfgen.serialize.ntriples import ntriples
from rdfgen.serialize.turtle import group_triples, turtle_text


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
            write_dumps(self.out, self.iris, self.enricher.vocab if self.enricher else None)

    def add(self, record: Record) -> Report | None:
        """Map, validate and write one record; returns the validation report (None when not validated)."""
        record, triples = map_record(record, self.iris, self.enricher)
        report = compile_shapes().check(triples) if self.validate else None
        if report is not None and not report.conforms:
            self.report.skipped.append(record.pmid)
            self.report.errors.append(report.text(f"PMID {record.pmid}"))
            return report
        self._write_record(record, triples)
        self.report.published.append(record.pmid)
        return report

    def _write_record(self, record: Record, triples: list[Triple]) -> None:
        """The record's five documents, each straight from its triples (no rdflib Graph, no pyld)."""
        pmid, base = record.pmid, self.out / "pubmed"
        grouped = group_triples(triples)
        write_atomic(base / f"{pmid}.nt", ntriples(triples))
        write_atomic(base / f"{pmid}.ttl", turtle_text(grouped))
        write_atomic(base / f"{pmid}.jsonld", jsonld_text(grouped))
        embedding = embed_object(triples, str(self.iris.article(pmid)), tuple(k.text for k in record.keywords))
        write_atomic(base / f"{pmid}.embed.jsonld", embed_text(embedding))
        write_atomic(base / f"{pmid}.html", article_page(record, self.iris, embedding))

    def delete(self, deletion: Deletion) -> None:
        """A DeleteCitation: the record's documents go, and with them its graph in the dumps."""
        for pmid in deletion.pmids:
            for ext in DOCUMENT_EXTENSIONS:
                (self.out / "pubmed" / f"{pmid}.{ext}").unlink(missing_ok=True)
            self.report.deleted.append(pmid)


DOCUMENT_EXTENSIONS = ("nt", "ttl", "jsonld", "embed.jsonld", "html")



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

