"""A build: input files -> shards (in parallel: worker processes or a Dask cluster) -> manifest -> dataset.

``out/manifest.json`` lists one entry per input file in file order: its size and sha256, the options it was built
with, its counts (read, published, skipped, deleted), the PMIDs it deletes and its shard's sha256. An entry is
written only once its shard is complete, so it is the commit point: a rerun skips every input whose entry still
matches, and an interrupted run resumes with the files it had not finished. The dataset is then derived from the
shards (rdfgen.publish.dataset) without re-mapping anything. Workers only write their own shard; the manifest, the
dumps and out/pubmed/ are written by this process alone, in file order, so the output does not depend on --jobs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdfgen.errors import RdfgenError
from rdfgen.iris import DEFAULT_BASE, Iris
from rdfgen.publish.dataset import DatasetReport, MissingDocumentsError, derive
from rdfgen.publish.files import MANIFEST_FORMAT, MANIFEST_NAME, file_sha256, write_atomic
from rdfgen.publish.records import BuildReport, RecordItem
from rdfgen.publish.shards import ShardEntry, ShardTask, ShardWriter, convert, shard_paths, streaming_collector

SMALL_BUILD_BYTES = 10 * 1024 * 1024
"""Inputs up to this size in all (about 3,000 articles of gzip PubMed XML) get per-record documents by default."""


class Interrupted(Exception):  # noqa: N818 - a state, not an error
    """The build was stopped (Ctrl-C); ``finished`` names the shards that were completed before."""

    def __init__(self, finished: list[str], report: BuildReport) -> None:
        super().__init__(f"interrupted; finished shards: {', '.join(finished) or 'none'}")
        self.finished, self.report = finished, report


@dataclass
class BuildOptions:
    base: str = DEFAULT_BASE
    validate: bool = True
    mesh: str | None = None
    no_mesh: bool = False
    fmt: str | None = None
    pmid: str | None = None
    documents: bool | None = None

    def fingerprint(self, documents: bool) -> dict[str, Any]:
        """What an entry must have been built with to be reused: anything that changes the shard's bytes."""
        mesh = None if self.no_mesh else (file_sha256(self.mesh) if self.mesh else "bundled")
        return {"base": self.base, "validate": self.validate, "mesh": mesh, "fmt": self.fmt, "pmid": self.pmid,
                "documents": documents}


def shard_names(paths: list[str]) -> list[str]:
    """A shard name per input: its file name without .gz/.xml/.txt/.nbib, made unique in order (-2, -3...)."""
    names: list[str] = []
    for path in paths:
        stem = "stdin" if path == "-" else Path(path).name
        stem = re.sub(r"(\.(gz|xml|txt|nbib|medline))+$", "", stem, flags=re.IGNORECASE) or "input"
        stem = re.sub(r"[^A-Za-z0-9._-]", "_", stem)
        name, k = stem, 1
        while name in names:
            k += 1
            name = f"{stem}-{k}"
        names.append(name)
    return names


def file_order(manifest: list[str], command: list[str]) -> list[str]:
    """The order the dataset applies shards in: the command's files in the command's order, and files only the
    manifest has (built by an earlier command) where the manifest had them, as early as that allows.

    A run killed with jobs > 1 leaves the files that happened to finish first (an update before its baseline,
    say), so the manifest's order alone would let an old version of a record win over the update on the rerun.
    Files an earlier command built stay before the ones this command adds (a baseline, then its update)."""
    position = {name: i for i, name in enumerate(manifest)}
    named = set(command)
    earlier = [name for name in manifest if name not in named]
    following = [len(manifest)] * (len(command) + 1)  # the manifest position of the next command file it holds
    for k in range(len(command) - 1, -1, -1):
        following[k] = position.get(command[k], following[k + 1])
    order: list[str] = []
    r = 0
    for k, name in enumerate(command):
        while r < len(earlier) and position[earlier[r]] < following[k]:
            order.append(earlier[r])
            r += 1
        order.append(name)
    return order + earlier[r:]


def read_manifest(out: Path) -> list[dict[str, Any]]:
    path = out / MANIFEST_NAME
    if not path.exists():
        return []
    doc = json.loads(path.read_text(encoding="utf-8"))
    return list(doc.get("inputs", [])) if doc.get("format") == MANIFEST_FORMAT else []


def write_manifest(out: Path, base: str, entries: list[dict[str, Any]]) -> None:
    doc = {"format": MANIFEST_FORMAT, "base": base, "inputs": entries}
    write_atomic(out / MANIFEST_NAME, json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


def _up_to_date(entry: dict[str, Any] | None, path: str, options: dict[str, Any]) -> bool:
    if entry is None or path == "-" or entry.get("options") != options or not entry.get("sha256"):
        return False
    shard = shard_paths(Path(entry["_out"]), entry["name"])["nq"]
    if not shard.exists() or not os.path.isfile(path):
        return False
    return os.path.getsize(path) == entry["size"] and file_sha256(path) == entry["sha256"]


def build_files(paths: list[str], out: Path, options: BuildOptions | None = None, *, jobs: int | None = 1,
                executor: str = "local", scheduler: str | None = None, progress: Any = None,
                log: Callable[[str], None] = lambda _m: None) -> BuildReport:
    """Publish input files into ``out``: each a shard, the manifest, then the dataset. ``progress`` is an
    ``rdfgen.publish.progress.Progress`` (or None)."""
    options = options or BuildOptions()
    out = out.absolute()
    missing = [p for p in paths if p != "-" and not os.path.isfile(p)]
    if missing:  # a usage error, found before any work: nothing is built
        raise InputNotFoundError(f"no such input file: {', '.join(missing)}")
    with build_lock(out):
        return _build_files(paths, out, options, jobs=jobs, executor=executor, scheduler=scheduler,
                            progress=progress, log=log)


def _build_files(paths: list[str], out: Path, options: BuildOptions, *, jobs: int | None, executor: str,
                 scheduler: str | None, progress: Any, log: Callable[[str], None]) -> BuildReport:
    _remove_stale(out)
    documents = options.documents if options.documents is not None else _small(paths)
    fingerprint = options.fingerprint(documents)
    names = shard_names(paths)
    entries = read_manifest(out)
    if entries and any(e.get("options", {}).get("base") != options.base for e in entries):
        entries = []  # another base mints other IRIs: nothing built before can be reused
    by_name = {e["name"]: e for e in entries}
    for e in entries:
        e["_out"] = str(out)
    def task(path: str, name: str) -> ShardTask:
        return ShardTask(input=os.path.abspath(path) if path != "-" else "-", name=name, out=str(out),
                         base=options.base, validate=options.validate, mesh=options.mesh, no_mesh=options.no_mesh,
                         fmt=options.fmt, pmid=options.pmid, documents=documents)

    todo: list[ShardTask] = []
    for path, name in zip(paths, names, strict=True):
        if _up_to_date(by_name.get(name), path, fingerprint):
            if progress is not None:
                progress.skip_file(name)
            log(f"{name}: up to date, skipped")
            continue
        todo.append(task(path, name))
    order = file_order([e["name"] for e in entries], names)
    report = BuildReport()
    finished: list[str] = []

    def done(entry: ShardEntry) -> None:
        _account(report, entry, log)
        finished.append(entry.name)
        if entry.published or entry.deleted:
            record = entry.manifest() | {"options": fingerprint}
            record["input"] = os.path.basename(entry.input) if entry.input != "-" else "-"
            by_name[entry.name] = record
        else:  # nothing to publish (an unreadable file): no shard, no entry, so the next run tries it again
            _remove_shard(out, entry.name)
            by_name.pop(entry.name, None)
        write_manifest(out, options.base, [_public(by_name[n]) for n in order if n in by_name])

    try:
        _run(todo, jobs, executor, scheduler, done, progress)
    except KeyboardInterrupt:
        raise Interrupted(finished, report) from None
    final = [_public(by_name[n]) for n in order if n in by_name]
    if not final:
        return report
    try:
        derived = derive(out, final, Iris(options.base), documents=documents, log=log)
    except MissingDocumentsError as missing:  # the order changed, and these files' documents went out in the old one
        log(f"converting again for their documents: {', '.join(missing.shards)}")
        paths_of = dict(zip(names, paths, strict=True))
        again = [task(paths_of[n], n) for n in missing.shards if n in paths_of]
        if len(again) < len(missing.shards):  # a file this command does not name: it cannot be converted
            raise
        _run(again, jobs, executor, scheduler, done, progress)
        final = [_public(by_name[n]) for n in order if n in by_name]
        derived = derive(out, final, Iris(options.base), documents=documents, log=log)
    _deletions(report, derived, finished, by_name)
    return report


def _deletions(report: BuildReport, derived: DatasetReport, converted: list[str],
               by_name: dict[str, dict[str, Any]]) -> None:
    """The run's deletions as the dataset saw them: PMIDs removed, and those named that it did not hold."""
    for name in converted:
        if name in by_name:
            found = derived.deletions.get(name, [])
            report.deleted += found
            report.deletions_absent += len(set(by_name[name].get("deleted", ()))) - len(found)


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """One build at a time in a folder: a second one fails at once instead of interleaving shards and dumps."""
    import fcntl

    (out / "shards").mkdir(parents=True, exist_ok=True)
    with open(out / "shards" / ".lock", "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildBusyError(f"{out}: another rdfgen build is running in this folder") from None
        yield


class BuildBusyError(RdfgenError):
    exit_code = 2


class InputNotFoundError(RdfgenError):
    exit_code = 2


def _remove_stale(out: Path) -> None:
    """Temporary files a killed run left (its work is redone; the lock says no other run owns them)."""
    for folder in (out, out / "shards", out / "pubmed"):
        if folder.is_dir():
            for path in folder.glob(".*.tmp"):
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)


def _public(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if not k.startswith("_")}


def _small(paths: list[str]) -> bool:
    total = sum(os.path.getsize(p) for p in paths if p != "-" and os.path.isfile(p))
    return total <= SMALL_BUILD_BYTES


def _remove_shard(out: Path, name: str) -> None:
    for kind, path in shard_paths(out, name).items():
        if kind != "docs":
            path.unlink(missing_ok=True)


def _account(report: BuildReport, entry: ShardEntry, log: Callable[[str], None]) -> None:
    report.read += entry.read
    report.published += entry.pmids
    report.superseded += len(entry.superseded)
    report.warnings += [why for _pmid, why in entry.superseded] + entry.warnings
    for pmid, message in entry.errors:
        report.skipped.append(pmid)
        report.errors.append(message)
        log(message if "not published" in message else f"skipped: {message}")


def _run(tasks: list[ShardTask], jobs: int | None, executor: str, scheduler: str | None,
         done: Callable[[ShardEntry], None], progress: Any) -> None:
    """Run the tasks: in this process for one job (or standard input), else on the executor; ``done`` is called in
    this process, in completion order (the manifest keeps file order whatever the order of completion)."""
    jobs = jobs or os.cpu_count() or 1
    if executor == "local" and (jobs == 1 or len(tasks) <= 1) or any(t.input == "-" for t in tasks):
        for task in tasks:
            if progress is not None:
                progress.start_file(0, task.name, _size(task.input))
            entry = convert(task, _Direct(progress), "0")
            if progress is not None:
                progress.finish_file(0, task.name, entry.read, entry.skipped)
            done(entry)
        return
    from rdfgen.publish.executors import open_executor

    with open_executor(executor, jobs=jobs, scheduler=scheduler) as pool:
        slots = max(1, pool.slots)
        _submit_all(pool, tasks, min(slots, progress.jobs) if progress is not None else slots, done, progress)


def _submit_all(pool: Any, tasks: list[ShardTask], jobs: int, done: Callable[[ShardEntry], None],
                progress: Any) -> None:
    """Keep ``jobs`` tasks in flight, submitted in file order; each finished one is handed to ``done``."""
    pending: dict[Future[ShardEntry], tuple[int, ShardTask]] = {}
    queue = list(tasks)
    free = list(range(jobs))
    try:
        while queue or pending:
            while queue and free:
                slot, task = free.pop(0), queue.pop(0)
                if progress is not None:
                    progress.start_file(slot, task.name, _size(task.input))
                future = pool.executor.submit(convert, task, pool.channel, str(slot))
                pending[future] = (slot, task)
            finished, _ = wait(list(pending), timeout=0.2, return_when=FIRST_COMPLETED)
            if progress is not None:
                for worker, _name, records in pool.channel.drain():
                    progress.update(int(worker), records)
                progress.refresh()
            for future in finished:
                slot, task = pending.pop(future)
                entry = future.result()
                free.append(slot)
                free.sort()
                if progress is not None:
                    progress.finish_file(slot, task.name, entry.read, entry.skipped)
                done(entry)
    except BaseException:
        for future in pending:
            future.cancel()
        raise


def _size(path: str) -> int:
    return os.path.getsize(path) if path != "-" and os.path.isfile(path) else 0


class _Direct:
    """The progress channel of a build in this process: reports go straight to the display."""

    def __init__(self, progress: Any) -> None:
        self.progress = progress

    def report(self, worker: str, name: str, records: int) -> None:
        if self.progress is not None:
            self.progress.update(int(worker or 0), records)


def publish_items(items: Iterable[RecordItem], out: Path, *, base: str = DEFAULT_BASE, validate: bool = True,
                  enricher: Any = None, documents: bool = True,
                  log: Callable[[str], None] = lambda _m: None) -> BuildReport:
    """Publish a stream of records (not files) into ``out``: one more shard, ``stream-{n}``, after those already
    there, so publishing a baseline stream and then an update stream gives the update semantics of files."""
    out = out.absolute()
    with build_lock(out):
        _remove_stale(out)
        return _publish_items(items, out, base=base, validate=validate, enricher=enricher, documents=documents,
                              log=log)


def _publish_items(items: Iterable[RecordItem], out: Path, *, base: str, validate: bool, enricher: Any,
                   documents: bool, log: Callable[[str], None]) -> BuildReport:
    entries = read_manifest(out)
    if entries and any(e.get("options", {}).get("base") != base for e in entries):
        entries = []
    taken = {e["name"] for e in entries}
    n = 1
    while f"stream-{n}" in taken:
        n += 1
    name = f"stream-{n}"
    writer = ShardWriter(out, name, Iris(base), enricher, validate=validate, documents=documents)
    report = BuildReport()
    try:
        with streaming_collector():
            for item in items:
                written = len(writer.pmids)
                writer.take(item)
                if len(writer.pmids) > written:  # a record that passed its checks and was written
                    log(f"published {writer.pmids[-1]}")
            writer.finish()
    except BaseException:
        writer.discard()
        raise
    entry = ShardEntry(input="-", name=name, size=0, sha256="", shard=f"shards/{name}.nq.gz",
                       shard_sha256=writer.sha256, read=writer.read, published=len(writer.live_pmids()),
                       skipped=len(writer.errors), deleted=writer.deleted, errors=writer.errors, documents=documents,
                       pmids=writer.live_pmids(), superseded=writer.superseded, warnings=writer.warnings)
    _account(report, entry, log)
    if not (entry.published or entry.deleted):
        _remove_shard(out, name)
        return report
    fingerprint = {"base": base, "validate": validate, "mesh": "stream", "fmt": None, "pmid": None,
                   "documents": documents}
    entries.append(entry.manifest() | {"options": fingerprint})
    write_manifest(out, base, [_public(e) for e in entries])
    derived = derive(out, [_public(e) for e in entries], Iris(base), documents=documents, log=log)
    _deletions(report, derived, [name], {name: entries[-1]})
    return report
