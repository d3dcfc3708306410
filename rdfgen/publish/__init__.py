"""Publishing: records validated and written as shards (one per input file), the dataset dumps derived from them,
and per-record documents, atomically, into a folder that is the dataset.
"""

from __future__ import annotations

from rdfgen.publish.build import BuildOptions, build_files, publish_items, read_manifest
from rdfgen.publish.documents import DOCUMENT_EXTENSIONS, publish, render_documents
from rdfgen.publish.dumps import owns
from rdfgen.publish.files import AtomicFile, committed, write_atomic
from rdfgen.publish.records import BuildReport, RecordItem, map_record

__all__ = [
    "DOCUMENT_EXTENSIONS", "AtomicFile", "BuildOptions", "BuildReport", "RecordItem", "build_files", "committed",
    "map_record", "owns", "publish", "publish_items", "read_manifest", "render_documents", "write_atomic",
]
