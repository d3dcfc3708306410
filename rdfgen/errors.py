"""One small error hierarchy; every message names the file, the record (PMID) and the field when known."""

from __future__ import annotations


class RdfgenError(Exception):
    """Base of rdfgen's own errors: caught by the CLI and reported without a traceback."""

    exit_code = 2


class SourceError(RdfgenError):
    """An input could not be read as a record: names file, PMID, field (element or tag) and the reason."""

    exit_code = 1

    def __init__(
        self,
        reason: str,
        *,
        file: str | None = None,
        pmid: str | None = None,
        field: str | None = None,
        position: str | None = None,
    ) -> None:
        self.reason = reason
        self.file = file
        self.pmid = pmid
        self.field = field
        self.position = position
        super().__init__(self._message())

    def _message(self) -> str:
        where = [p for p in (
            self.file,
            f"line {self.position}" if self.position else None,
            f"PMID {self.pmid}" if self.pmid else None,
            f"field {self.field}" if self.field else None,
        ) if p]
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class MappingError(RdfgenError):
    """A record could not be turned into triples (e.g. an identifier that makes no valid IRI)."""

    exit_code = 1


class ValidationError(RdfgenError):
    """Output does not conform to ontology/shapes.ttl."""

    exit_code = 1


class UnsupportedFormat(RdfgenError):  # noqa: N818  (the name STYLE.md gives it)
    """A format name, extension or media type that formats.py does not know."""

    exit_code = 2
