"""Small task functions for tests/test_executors.py.

Module-level in an importable module, as real tasks must be: they are pickled by reference, so pool workers and
Dask workers (started with /work/main on PYTHONPATH) import this module to run them.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from uuid import uuid4

from rdfgen.errors import SourceError
from rdfgen.publish.executors import ProgressChannel, worker_key


@dataclass(frozen=True)
class Options:
    """Stands in for the build options every task receives."""

    scale: int = 1
    delay: float = 0.0


@dataclass(frozen=True)
class Shard:
    """Stands in for ShardEntry: what one task returns, plus where and when it ran."""

    input_path: str
    value: int
    pid: int
    nonce: str


def convert(input_path: str, options: Options) -> Shard:
    """A task: the number in the file's name, scaled; sleeps so that concurrent tasks overlap."""
    time.sleep(options.delay)
    value = int(os.path.basename(input_path).split(".")[0]) * options.scale
    return Shard(input_path, value, os.getpid(), uuid4().hex)


def fail(input_path: str, options: Options) -> Shard:
    """A task that fails the way a conversion does: with a SourceError naming file, record and field."""
    raise SourceError("no PMID element", file=input_path, pmid="12345", field="MedlineCitation")


def count_records(input_path: str, options: Options, channel: ProgressChannel) -> int:
    """A task that reports progress as it goes: one report per record (the channel rate-limits), the last forced."""
    records = options.scale
    for done in range(1, records + 1):
        time.sleep(options.delay)
        channel.report(worker_key(), input_path, done, force=done == records)
    return records
