"""SHACL validation against ontology/shapes.ttl (pySHACL), with a report a person can read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from rdfgen.errors import RdfgenError
from rdfgen.resources import ontology_path
from rdfgen.serialize import formats
from rdfgen.vocab import SH


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: tuple[Violation, ...]

    def text(self, name: str = "") -> str:
        head = f"{name}: " if name else ""
        if self.conforms:
            return f"{head}conforms"
        lines = [f"{head}does not conform ({len(self.violations)} violation(s))"]
        lines += [f"  - {v.severity} at <{v.focus}> {v.path}: {v.message}" for v in self.violations]
        return "\n".join(lines)


@lru_cache(maxsize=1)
def shapes() -> Graph:
    return Graph().parse(ontology_path("shapes.ttl"), format="turtle")


def validate_graph(graph: Graph) -> Report:
    """Validate one graph. No inference: the published triples must say what the shapes ask for themselves."""
    from pyshacl import validate

    conforms, results, _ = validate(graph, shacl_graph=shapes(), inference="none", advanced=True,
                                    allow_warnings=True)
    violations = []
    for result in results.subjects(SH.resultSeverity, None):
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        violations.append(Violation(
            focus=str(results.value(result, SH.focusNode)),
            path=_short(results, results.value(result, SH.resultPath)),
            message=str(results.value(result, SH.resultMessage) or ""),
            severity=severity,
        ))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return Report(bool(conforms), tuple(violations))


def _short(g: Graph, node: object) -> str:
    if node is None:
        return ""
    try:
        return g.namespace_manager.normalizeUri(node)  # type: ignore[arg-type]
    except Exception:
        return str(node)


DATASET_FILES = ("dataset.ttl", "dataset.nt", "dataset.nq", "void.ttl")


def rdf_files(paths: list[Path]) -> list[Path]:
    """Files to validate: the given files, and in folders every .ttl/.nt/.jsonld but the embeddings and the dataset's
    own files (dumps, VoID), which describe many records or none."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix in (".ttl", ".nt", ".jsonld")
                          and not p.name.endswith(".embed.jsonld") and p.name not in DATASET_FILES)
        elif path.exists():
            out.append(path)
        else:
            raise RdfgenError(f"{path}: no such file or folder")
    return out


def validate_file(path: Path) -> Report:
    fmt = formats.from_path(str(path))
    try:
        graph = Graph().parse(path, format=fmt.rdflib)
    except Exception as exc:
        raise RdfgenError(f"{path}: cannot parse as {fmt.name}: {exc}") from exc
    return validate_graph(graph)
