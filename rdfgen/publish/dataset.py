"""The dataset derived from the shards, in manifest order, with PubMed's update semantics (DESIGN.md, "Scale").

``dataset.nq.gz`` and ``dataset.nt.gz`` are the shards' bytes concatenated in file order; a record that a later file
supersedes (a newer version of its PMID) or deletes (``DeleteCitation``) is blanked in place by an empty gzip member
of the same length. So adding an update file appends its shard and blanks what it supersedes: time proportional to
the update, not to the dataset, and never a re-mapping. A build of the same inputs from scratch makes the same bytes,
since both follow the one rule. The space of superseded records stays in the dumps until a build from scratch.

Which records are live is kept per shard (``{name}.pmids``, the PMIDs of its members as 32-bit integers, and
``{name}.dead.json``, the members blanked), so finding what an update supersedes reads a few hundred kilobytes a
shard, and the totals VoID needs live in ``shards/dataset.json``. Every change is planned first and the plan written
to ``shards/pending.json``; applying it is idempotent, so a run killed half way is finished by the next run, to the
same bytes.
"""

from __future__ import annotations

import json
import os
import shutil
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from isal import igzip

from rdfgen.errors import RdfgenError
from rdfgen.iris import Iris
from rdfgen.publish.files import write_atomic
from rdfgen.publish.shards import DOCUMENT_EXTENSIONS, blank_member, iter_entries, read_index, shard_paths
from rdfgen.serialize.void import VoidStats, void_turtle

STATE_FORMAT = "rdfgen-dataset-state/1"
DUMPS = ("nq", "nt")
DUMP_NAMES = {"nq": "dataset.nq.gz", "nt": "dataset.nt.gz"}


class MissingDocumentsError(RdfgenError):
    """Deriving from scratch needs the documents of records whose shard moved them out in an earlier order: those
    shards must be converted again (nothing was changed)."""

    def __init__(self, shards: list[str]) -> None:
        super().__init__(f"documents to convert again: {', '.join(shards)}")
        self.shards = shards


@dataclass
class DatasetReport:
    """What deriving the dataset did: shards appended, records blanked, and whether it started from scratch."""

    appended: list[str] = field(default_factory=list)
    superseded: int = 0
    records: int = 0
    from_scratch: bool = False
    deletions: dict[str, list[str]] = field(default_factory=dict)
    """Per shard appended: the PMIDs its DeleteCitation removed (from earlier shards or earlier in its own file)."""


def _pmids(out: Path, name: str) -> array:
    values = array("I")
    values.frombytes((out / "shards" / f"{name}.pmids").read_bytes())
    return values


def _dead_path(out: Path, name: str) -> Path:
    return out / "shards" / f"{name}.dead.json"


def _dead(out: Path, name: str, index: dict[str, Any] | None = None) -> set[int]:
    path = _dead_path(out, name)
    if path.exists():
        return set(json.loads(path.read_text()))
    return set((index or read_index(out, name))["dead"])


def _empty_state() -> dict[str, Any]:
    return {"format": STATE_FORMAT, "shards": [], "sizes": {"nq": 0, "nt": 0}, "records": 0, "triples": 0,
            "classes": {}, "properties": []}


def _load_state(out: Path) -> dict[str, Any]:
    path = out / "shards" / "dataset.json"
    if not path.exists():
        return _empty_state()
    state = json.loads(path.read_text())
    return state if state.get("format") == STATE_FORMAT else _empty_state()


def derive(out: Path, entries: list[dict[str, Any]], iris: Iris, *, documents: bool = False,
           log: Callable[[str], None] = lambda _m: None) -> DatasetReport:
    """Bring the dumps, VoID and (with documents) ``out/pubmed/`` and dataset.ttl up to date with ``entries``, the
    manifest's shards in file order."""
    pending = out / "shards" / "pending.json"
    if pending.exists():
        log("finishing the dataset update an interrupted run left")
        _apply(out, json.loads(pending.read_text()), iris)
    state = _load_state(out)
    target = [[e["name"], e["shard_sha256"]] for e in entries]
    kept = [s for s in state["shards"]]
    report = DatasetReport()
    owners: dict[int, tuple[str, str]] = {}
    if [s[:2] for s in kept] != target[:len(kept)] or not all(shard_paths(out, s[0])["nq"].exists() for s in kept):
        owners = _owners(out, state) if documents else {}
        state, kept, report.from_scratch = _empty_state(), [], True
    new = entries[len(kept):]
    if not new and not report.from_scratch and (out / "void.ttl").exists() and _dumps_intact(out, state):
        return report
    plan = _plan(out, state, new, report, documents=documents)
    if documents and report.from_scratch:
        _keep_moved(out, plan, {e["name"]: e["shard_sha256"] for e in new}, owners)
    plan["deletions"] = report.deletions
    write_atomic(pending, json.dumps(plan))
    _apply(out, plan, iris)
    return report


def _owners(out: Path, state: dict[str, Any]) -> dict[int, tuple[str, str]]:
    """Which shard (name, sha256) each live record of ``state`` came from: its documents in ``out/pubmed/`` are
    that shard's, moved there when the state was derived."""
    owners: dict[int, tuple[str, str]] = {}
    for name, sha, *_rest in state["shards"]:
        try:
            gone = _dead(out, name)
            for i, p in enumerate(_pmids(out, name)):
                if i not in gone:
                    owners[p] = (name, sha)
        except FileNotFoundError:  # a shard removed since: none of its documents can be vouched for
            continue
    return owners


def _keep_moved(out: Path, plan: dict[str, Any], shas: dict[str, str], owners: dict[int, tuple[str, str]]) -> None:
    """A derive from scratch keeps a live record's documents that its shard moved out before (the shard has no
    staged folder any more) when the earlier state had the record live in that same shard; any other live record
    of such a shard has no documents left, and the shard is named to be converted again."""
    removes = set(plan["removes"])
    missing = []
    for name in plan["append"]:
        if shard_paths(out, name)["docs"].is_dir():
            continue
        gone = set(plan["dead"][name])
        live = [p for i, p in enumerate(_pmids(out, name)) if i not in gone]
        if all(owners.get(p) == (name, shas[name]) for p in live):
            removes.difference_update(str(p) for p in live)
        else:
            missing.append(name)
    if missing:
        raise MissingDocumentsError(missing)
    plan["removes"] = sorted(removes, key=int)


def _dumps_intact(out: Path, state: dict[str, Any]) -> bool:
    return all((out / DUMP_NAMES[k]).exists() and (out / DUMP_NAMES[k]).stat().st_size == state["sizes"][k]
               for k in DUMPS)


def _plan(out: Path, state: dict[str, Any], new: list[dict[str, Any]], report: DatasetReport, *,
          documents: bool) -> dict[str, Any]:
    """Which shards to append and which members to blank, and the state after: computed before anything is touched."""
    shards = [list(s) for s in state["shards"]]
    sizes = dict(state["sizes"])
    stats = {"records": state["records"], "triples": state["triples"], "classes": Counter(state["classes"]),
             "properties": set(state["properties"])}
    truncate = dict(sizes)
    blanks: dict[str, list[list[int]]] = {"nq": [], "nt": []}
    dead: dict[str, list[int]] = {}
    moves: list[list[str]] = []
    removes: set[str] = set()
    indexes: dict[str, dict[str, Any]] = {}
    for entry in new:
        name = entry["name"]
        index = read_index(out, name)
        indexes[name] = index
        own_dead = set(index["dead"])
        live = {str(p) for i, p in enumerate(_pmids(out, name)) if i not in own_dead}
        killed = live | set(index["deleted"])
        found = _supersede(out, shards, killed, blanks, dead, stats)
        report.superseded += len(found)
        deleted = set(index["deleted"])
        report.deletions[name] = sorted((found & deleted) | set(index.get("deleted_found", ())), key=int)
        bases = {"nq": sizes["nq"], "nt": sizes["nt"]}
        shards.append([name, entry["shard_sha256"], bases["nq"], bases["nt"]])
        dead[name] = sorted(own_dead)
        for kind in DUMPS:
            sizes[kind] += index["sizes"][kind]
        _count(stats, out, name, index, own_dead)
        removes |= killed
        report.appended.append(name)
    for name in report.appended:  # documents of the records that stay live, after every new shard has had its say
        gone = set(dead[name])
        if shard_paths(out, name)["docs"].is_dir():
            for i, p in enumerate(_pmids(out, name)):
                if i not in gone:
                    moves.append([name, str(p)])
                    removes.discard(str(p))
    report.records = stats["records"]
    new_state = {"format": STATE_FORMAT, "shards": shards, "sizes": sizes, "records": stats["records"],
                 "triples": stats["triples"], "classes": dict(sorted(stats["classes"].items())),
                 "properties": sorted(stats["properties"])}
    return {"truncate": truncate, "append": report.appended, "blanks": blanks, "dead": dead, "moves": moves,
            "removes": sorted(removes, key=int), "state": new_state, "documents": documents,
            "from_scratch": report.from_scratch}


def _supersede(out: Path, shards: list[list[Any]], killed: set[str], blanks: dict[str, list[list[int]]],
               dead: dict[str, list[int]], stats: dict[str, Any]) -> set[str]:
    """Blank the live member of every PMID in ``killed`` in the shards before (at most one is live per PMID);
    returns the PMIDs found. Reads each earlier shard's PMID list, and the index only of shards with a hit."""
    if not killed:
        return set()
    wanted = {int(p) for p in killed}
    found: set[str] = set()
    for name, _sha, base_nq, base_nt in reversed(shards):
        gone = set(dead[name]) if name in dead else _dead(out, name)
        hits = {i for i, p in enumerate(_pmids(out, name)) if p in wanted and i not in gone}
        if not hits:
            continue
        for i, e in enumerate(iter_entries(out, name)):
            if i not in hits:
                continue
            blanks["nq"].append([base_nq + e[1], e[2]])
            blanks["nt"].append([base_nt + e[3], e[4]])
            gone.add(i)
            stats["records"] -= 1
            stats["triples"] -= e[5]
            stats["classes"].subtract(e[6])
            wanted.discard(int(e[0]))
            found.add(e[0])
        dead[name] = sorted(gone)
        if not wanted:
            break
    stats["classes"] = Counter({k: v for k, v in stats["classes"].items() if v > 0})
    return found


def _count(stats: dict[str, Any], out: Path, name: str, index: dict[str, Any], gone: set[int]) -> None:
    """Add a new shard's live records (and its MeSH member) to the dataset's totals, streaming its index."""
    for i, e in enumerate(iter_entries(out, name)):
        if i not in gone:
            stats["records"] += 1
            stats["triples"] += e[5]
            stats["classes"].update(e[6])
    if index["mesh"]:
        stats["triples"] += index["mesh"][4]
    stats["properties"].update(index["properties"])


def _apply(out: Path, plan: dict[str, Any], iris: Iris) -> None:
    """Carry out a plan. Idempotent: the dumps are cut back to where the plan started, the shards appended again
    and the same members blanked, so a second application after a kill gives the same bytes."""
    for kind in DUMPS:
        path = out / DUMP_NAMES[kind]
        with open(path, "ab") as f:
            f.truncate(plan["truncate"][kind])
        with open(path, "r+b") as f:
            f.seek(plan["truncate"][kind])
            for name in plan["append"]:
                with open(shard_paths(out, name)[kind], "rb") as shard:
                    shutil.copyfileobj(shard, f, 1 << 20)
            for offset, length in plan["blanks"][kind]:
                f.seek(offset)
                f.write(blank_member(length))
            f.flush()
            os.fsync(f.fileno())
    for name, gone in plan["dead"].items():
        write_atomic(_dead_path(out, name), json.dumps(gone))
    _documents(out, plan)
    state = plan["state"]
    stats = VoidStats(distinct=False, triples=state["triples"], properties=set(state["properties"]),
                      classes=Counter(state["classes"]))
    dumps = ["dataset.nt.gz", "dataset.nq.gz"]
    if plan["documents"]:
        _dataset_turtle(out, state)
        dumps.append("dataset.ttl")
    else:
        (out / "dataset.ttl").unlink(missing_ok=True)
    write_atomic(out / "void.ttl", void_turtle(iris, stats, records=state["records"],
                                               example=_first_live(out, state), dumps=tuple(dumps)))
    write_atomic(out / "shards" / "dataset.json", json.dumps(state))
    (out / "shards" / "pending.json").unlink(missing_ok=True)


def _documents(out: Path, plan: dict[str, Any]) -> None:
    """Per-record documents follow the live records: deleted and superseded ones go, live ones of the new shards
    move in from where their worker staged them (five renames; a kill between them is finished by the next run)."""
    folder = out / "pubmed"
    if plan["from_scratch"] and folder.is_dir():
        live = set(_live_pmids(out, plan["state"]))
        for f in folder.iterdir():
            if f.name.split(".", 1)[0].isdigit() and f.name.split(".", 1)[0] not in live:
                f.unlink()
    if folder.is_dir():
        for pmid in plan["removes"]:
            for ext in DOCUMENT_EXTENSIONS:
                (folder / f"{pmid}.{ext}").unlink(missing_ok=True)
    _move_staged(out, folder, plan["moves"])
    for name in plan["append"]:
        shutil.rmtree(shard_paths(out, name)["docs"], ignore_errors=True)


def _move_staged(out: Path, folder: Path, moves: list[list[str]]) -> None:
    """Rename each live record's staged documents into ``folder``, as str paths: Path objects and an exists() a file
    cost more than the rename. A file the interrupted run moved already (or never staged) is skipped."""
    if not moves:
        return
    folder.mkdir(parents=True, exist_ok=True)
    sources = {name: str(shard_paths(out, name)["docs"]) for name in {name for name, _pmid in moves}}
    target = str(folder)
    for name, pmid in moves:
        source = sources[name]
        for ext in DOCUMENT_EXTENSIONS:
            try:
                os.replace(f"{source}/{pmid}.{ext}", f"{target}/{pmid}.{ext}")
            except FileNotFoundError:
                pass


def _live_pmids(out: Path, state: dict[str, Any]) -> Iterator[str]:
    for name, *_rest in state["shards"]:
        gone = _dead(out, name)
        for i, p in enumerate(_pmids(out, name)):
            if i not in gone:
                yield str(p)


def _first_live(out: Path, state: dict[str, Any]) -> str | None:
    return next(_live_pmids(out, state), None)


def _dataset_turtle(out: Path, state: dict[str, Any]) -> None:
    """dataset.ttl for builds with documents: the prefix block, each live record's Turtle body, the MeSH tree."""
    from rdfgen.publish.dumps import append_turtle
    from rdfgen.publish.files import AtomicFile
    from rdfgen.serialize.turtle import prefix_block, turtle_text

    target = AtomicFile(out / "dataset.ttl")
    try:
        target.stream.write(prefix_block())
        mesh: dict[str, None] = {}
        for name, *_rest in state["shards"]:
            index = read_index(out, name)
            gone = _dead(out, name, index)
            for i, p in enumerate(_pmids(out, name)):
                ttl = out / "pubmed" / f"{p}.ttl"
                if i not in gone and ttl.exists():
                    append_turtle(target.stream, ttl.read_text(encoding="utf-8"))
            if index["mesh"]:
                mesh.update(dict.fromkeys(_member_lines(out, name, index["mesh"])))
        if mesh:
            append_turtle(target.stream, turtle_text([tuple(line.split(" ", 2)) for line in mesh]))  # it sorts
    except BaseException:
        target.discard()
        raise
    target.commit()


def _member_lines(out: Path, name: str, placed: list[int]) -> list[str]:
    """The N-Triples lines (without " .") of one member of a shard's .nt.gz."""
    with open(shard_paths(out, name)["nt"], "rb") as f:
        f.seek(placed[2])
        data = f.read(placed[3])
    return [line[:-2] for line in igzip.decompress(data).decode("utf-8").splitlines()]
