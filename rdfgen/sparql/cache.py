"""A persistent store of a build folder's dataset, cached beside it: ``rdfgen query --data`` and ``rdfgen serve
--data`` load the dump once, not on every call.

The cache is ``{folder}/.rdfgen-store/{key}/``, where the key is a checksum of what the dump was made from: the
build's ``manifest.json`` (it lists every shard's sha256, so it changes whenever a record does) or, for a folder
without one, the dump's own bytes. A cache is built under a temporary name and renamed when complete, so a killed
load leaves no half store to be taken for a whole one, and two processes building at once both end up using the
same complete store. When a new one is made, caches older than the one before it are removed (a server still
reading the previous one keeps working). A folder that cannot be written
(read-only media) gets ``None``: the caller loads the dump in memory as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path

from rdfgen import __version__
from rdfgen.errors import RdfgenError
from rdfgen.publish.files import MANIFEST_NAME, file_sha256

CACHE_DIR = ".rdfgen-store"


def cache_key(folder: Path) -> str | None:
    """What the cached store must match: the manifest's checksum (cheap, and it names every shard), else the
    dump's; with the rdfgen version, since the store's content (statistics graphs) may change with it."""
    manifest = folder / MANIFEST_NAME
    dump = folder / "dataset.nq.gz"
    if not dump.is_file():
        return None
    source = file_sha256(manifest) if manifest.is_file() else file_sha256(dump)
    return hashlib.sha256(f"{source} {dump.stat().st_size} {__version__}".encode()).hexdigest()[:32]


def cached_store(folder: Path) -> Path | None:
    """The path of an on-disk store holding ``folder``'s dataset.nq.gz, built now if there is none for its key;
    None when the folder has no dump or cannot hold the cache."""
    from rdfgen.sparql.store import load, open_store

    key = cache_key(folder)
    if key is None:
        return None
    root = folder / CACHE_DIR
    target = root / key
    if (target / "CURRENT").is_file():
        return target
    try:
        root.mkdir(exist_ok=True)
        tmp = root / f".{key}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        store = open_store(tmp)
        load([folder / "dataset.nq.gz"], store)
        _catalog(store, tmp)
        del store  # closes RocksDB before the rename
        try:
            os.rename(tmp, target)
        except OSError:  # another process renamed its copy first: use that one
            shutil.rmtree(tmp, ignore_errors=True)
    except (OSError, RdfgenError):
        return None
    _remove_stale(root, key)
    return target if (target / "CURRENT").is_file() else None


def _catalog(store: object, store_dir: Path) -> None:
    """The store's catalog (search, paged index, facets: rdfgen.sparql.catalog), when its records share one base."""
    from rdfgen.sparql.catalog import CATALOG_NAME, Catalog
    from rdfgen.sparql.statistics import record_bases

    bases = record_bases(store)  # type: ignore[arg-type]
    if len(bases) == 1:
        with Catalog(store_dir / CATALOG_NAME) as catalog:
            catalog.rebuild(store, bases[0])  # type: ignore[arg-type]


def _remove_stale(root: Path, key: str) -> None:
    """Caches of other keys but the newest of them (a server may still read it), and temporary folders of loads
    that are no longer running."""
    others = sorted((e for e in root.iterdir() if e.name != key and not e.name.startswith(".")),
                    key=lambda e: e.stat().st_mtime, reverse=True)
    doomed = others[1:]
    for entry in root.iterdir():
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            pid = entry.name.rsplit(".", 2)[-2]
            if not (pid.isdigit() and _alive(int(pid))):
                doomed.append(entry)
    for entry in doomed:
        with contextlib.suppress(OSError):
            shutil.rmtree(entry)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
