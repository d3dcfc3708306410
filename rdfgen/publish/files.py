"""Atomic files: written under a temporary name beside the target and renamed into place, so an interrupted run
never leaves half a file where a good one was.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from rdfgen.compression import gzip_writer

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "rdfgen-manifest/1"
"""A build folder's list of inputs and their shards (written by rdfgen.publish.build, read by load and push)."""

_UMASK = os.umask(0)
os.umask(_UMASK)


class AtomicFile:
    """A file written under a temporary name beside its target: :meth:`commit` renames it into place,
    :meth:`discard` removes it, so the target is either the old file or the whole new one."""

    def __init__(self, path: Path, *, gz: bool = False) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self._raw = os.fdopen(fd, "wb")
        # No name or timestamp in the gzip header, so the same content gives the same bytes.
        self._gz = gzip_writer(self._raw) if gz else None
        self.stream: IO[str] = io.TextIOWrapper(self._gz or self._raw, encoding="utf-8", newline="\n")

    def close(self) -> None:
        """Finish writing without deciding: :meth:`commit` or :meth:`discard` follows (the file is read meanwhile)."""
        self._close()

    def _close(self) -> None:
        self.stream.close()
        if self._gz is not None:
            self._raw.close()

    def commit(self) -> None:
        self._close()
        os.chmod(self.tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; published files are for everyone to read
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self._close()
        if os.path.exists(self.tmp):
            os.unlink(self.tmp)


@contextmanager
def committed(files: dict[str, AtomicFile]) -> Iterator[dict[str, AtomicFile]]:
    """Files that are replaced together: all committed when the block ends, all discarded if it fails."""
    try:
        yield files
    except BaseException:
        for f in files.values():
            f.discard()
        raise
    for f in files.values():
        f.commit()


def write_atomic(path: Path, text: str) -> None:
    """Write a whole text file atomically: a temporary file beside it, renamed into place. Plain system calls, no
    stream objects: a build writes five small documents a record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        data = memoryview(text.encode("utf-8"))
        while data:
            data = data[os.write(fd, data):]
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; published files are for everyone to read
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    os.close(fd)
    os.replace(tmp, path)


def file_sha256(path: Path | str) -> str:
    """A file's SHA-256, read in blocks: the identity of an input and of a shard in the manifest."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
