"""The one registry of RDF formats: CLI --format, file extensions and HTTP content negotiation all resolve here."""

from __future__ import annotations

from dataclasses import dataclass

from rdfgen.errors import UnsupportedFormat


@dataclass(frozen=True)
class RdfFormat:
    name: str
    extension: str
    media_type: str
    rdflib: str
    oxigraph: str | None
    aliases: tuple[str, ...] = ()
    quads: bool = False


FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", "ttl", "text/turtle", "turtle", "text/turtle", ("ttl",)),
    RdfFormat("ntriples", "nt", "application/n-triples", "nt", "application/n-triples", ("nt", "n-triples")),
    RdfFormat("nquads", "nq", "application/n-quads", "nquads", "application/n-quads", ("nq", "n-quads"), True),
    RdfFormat("jsonld", "jsonld", "application/ld+json", "json-ld", None, ("json-ld",)),
    RdfFormat("rdfxml", "rdf", "application/rdf+xml", "xml", "application/rdf+xml", ("xml", "rdf/xml", "rdf")),
    RdfFormat("trig", "trig", "application/trig", "trig", "application/trig", (), True),
)
_BY_KEY: dict[str, RdfFormat] = {}
for _f in FORMATS:
    for _key in (_f.name, _f.extension, _f.media_type, *_f.aliases):
        _BY_KEY.setdefault(_key, _f)


def from_name(name: str) -> RdfFormat:
    """By name, alias or extension ("ttl", "turtle", "nt")."""
    try:
        return _BY_KEY[name.lower().lstrip(".")]
    except KeyError:
        known = ", ".join(f.name for f in FORMATS)
        raise UnsupportedFormat(f"unknown RDF format {name!r}; known: {known}") from None


def from_media_type(media_type: str) -> RdfFormat:
    """By media type, parameters ignored: ``from_media_type("text/turtle; charset=utf-8")``."""
    return from_name(media_type.split(";", 1)[0].strip())


def from_path(path: str) -> RdfFormat:
    """By file extension, looking through a trailing .gz."""
    name = path[:-3] if path.endswith(".gz") else path
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    return from_name(ext)
