"""Publishing: records validated and written as per-record documents and dataset dumps, atomically, into a folder
that is the dataset.
"""

from __future__ import annotations

from rdfgen.publish.documents import DOCUMENT_EXTENSIONS, Publisher, publish
from rdfgen.publish.dumps import owns, publish_dumps, published_pmids, write_dumps
from rdfgen.publish.files import AtomicFile, committed, write_atomic
from rdfgen.publish.records import BuildReport, RecordItem, map_record

__all__ = [
    "DOCUMENT_EXTENSIONS", "AtomicFile", "BuildReport", "Publisher", "RecordItem", "committed", "map_record", "owns",
    "publish", "publish_dumps", "published_pmids", "write_atomic", "write_dumps",
]
