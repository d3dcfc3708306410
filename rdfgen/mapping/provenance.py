"""Where the record came from: the PubMed record, the source format and file, and the notes made on reading."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import PurePath

from rdfgen import iris as iri
from rdfgen.mapping.core import RecordContext, Triple, _lit
from rdfgen.mapping.terms import PROV, RDFGEN, uri


def provenance(m: RecordContext) -> Iterator[Triple]:
    """prov:wasDerivedFrom the PubMed record; rdfgen:sourceFormat and rdfgen:sourceFile (base name only, so the
    output does not depend on where the input lay)."""
    a, p = m.article, m.r.provenance
    yield a, PROV.wasDerivedFrom, uri(iri.pubmed_url_iri(m.r.pmid))
    if p is not None:
        yield a, RDFGEN.sourceFormat, _lit(p.source_format)
        if p.source_file and p.source_file != "-":
            yield a, RDFGEN.sourceFile, _base_name(p.source_file)
    for note in m.r.notes:
        yield a, RDFGEN.note, _lit(note)


@lru_cache(maxsize=64)
def _base_name(path: str) -> str:
    """The file's base name as a literal, made once a file: a record after record of the same input would
    otherwise parse the same path again (0.4% of a conversion)."""
    return _lit(PurePath(path).name)
