"""rdfgen.publish.executors: one executor interface for in-process, local process pool and Dask cluster runs.

The Dask tests run against a real scheduler and two workers on 127.0.0.1 (tests/dask_cluster.py), started once.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from collections.abc import Callable, Iterator

import pytest

from rdfgen.errors import RdfgenError, SourceError
from rdfgen.publish.executors import (
    DaskNotInstalledError,
    ExecutorError,
    InProcessChannel,
    Progress,
    ProgressChannel,
    SchedulerUnreachableError,
    WorkerPool,
    open_executor,
    worker_key,
)
from tests.executor_tasks import Options, convert, count_records, fail
from tests.sparql_fixtures import free_port

pytest_plugins = ["tests.dask_cluster"]

KINDS = ["local-1", "local-2", "dask"]
FILES = [f"/data/pubmed/{n}.xml" for n in (7, 3, 11, 5, 2, 13)]


@pytest.fixture(params=KINDS)
def pool(request: pytest.FixtureRequest) -> Iterator[WorkerPool]:
    """Each kind of executor in turn; the Dask cluster starts only if a Dask case runs."""
    if request.param == "dask":
        opened = open_executor("dask", scheduler=request.getfixturevalue("dask_scheduler"))
    else:
        opened = open_executor("local", jobs=int(request.param.split("-")[1]))
    with opened as pool:
        yield pool


def test_results_come_in_submission_order(pool: WorkerPool) -> None:
    futures = [pool.executor.submit(convert, path, Options(scale=10)) for path in FILES]
    shards = [future.result(timeout=30) for future in futures]
    assert [shard.input_path for shard in shards] == FILES
    assert [shard.value for shard in shards] == [int(os.path.basename(p).split(".")[0]) * 10 for p in FILES]


def test_map_keeps_order_too(pool: WorkerPool) -> None:
    shards = list(pool.executor.map(convert, FILES, [Options()] * len(FILES), timeout=30))
    assert [shard.input_path for shard in shards] == FILES


def test_tasks_run_where_the_kind_says(pool: WorkerPool) -> None:
    """Jobs 1 runs in this process; a pool of 2 and the 2-worker cluster each in two other processes."""
    overlap = Options(delay=0.3 if pool.slots > 1 else 0)  # tasks that overlap occupy both workers
    futures = [pool.executor.submit(convert, path, overlap) for path in FILES[:4]]
    pids = {future.result(timeout=30).pid for future in futures}
    if pool.slots == 1:
        assert pids == {os.getpid()}
    else:
        assert pool.slots == 2
        assert len(pids) == 2 and os.getpid() not in pids


def test_an_exception_in_a_task_propagates_with_its_message(pool: WorkerPool) -> None:
    failed = pool.executor.submit(fail, "/data/pubmed/bad.xml", Options())
    with pytest.raises(SourceError, match="no PMID element") as raised:
        failed.result(timeout=30)
    error = raised.value
    assert (error.file, error.pmid, error.field) == ("/data/pubmed/bad.xml", "12345", "MedlineCitation")
    assert str(error) == "/data/pubmed/bad.xml, PMID 12345, field MedlineCitation: no PMID element"
    # the failure broke nothing: the next task runs
    assert pool.executor.submit(convert, "/data/pubmed/4.xml", Options()).result(timeout=30).value == 4


def test_progress_reports_reach_the_orchestrator(pool: WorkerPool) -> None:
    records = 8
    futures = [pool.executor.submit(count_records, path, Options(scale=records, delay=0.01), pool.channel)
               for path in FILES[:3]]
    assert [future.result(timeout=30) for future in futures] == [records] * 3
    reports = _drain_until(pool.channel, lambda got: {(n, r) for _, n, r in got} >= {(p, records) for p in FILES[:3]})
    assert {(name, done) for _, name, done in reports} >= {(path, records) for path in FILES[:3]}
    # rate-limited in the worker: far fewer reports than calls
    assert len(reports) < 3 * records
    keys = {key for key, _, _ in reports}
    if pool.slots == 1:
        assert keys == {worker_key()}
    else:
        assert worker_key() not in keys


def _drain_until(channel: ProgressChannel, done: Callable[[list[Progress]], bool],
                 timeout: float = 10.0) -> list[Progress]:
    """Drain as the orchestrator would, until `done(reports)`: events may trail a Dask task's result a little."""
    reports: list[Progress] = []
    deadline = time.monotonic() + timeout
    while True:
        reports += channel.drain()
        if done(reports) or time.monotonic() > deadline:
            return reports
        time.sleep(0.02)


def test_report_is_rate_limited_per_worker_but_not_for_a_new_file_or_a_forced_count() -> None:
    channel = InProcessChannel(interval=60)
    for done in range(1, 101):
        channel.report("w1", "a.xml", done)
    channel.report("w2", "a.xml", 1)
    channel.report("w1", "a.xml", 150, force=True)
    channel.report("w1", "b.xml", 1)
    assert channel.drain() == [("w1", "a.xml", 1), ("w2", "a.xml", 1), ("w1", "a.xml", 150), ("w1", "b.xml", 1)]
    assert channel.drain() == []


def test_a_channel_pickles_without_its_rate_limit() -> None:
    channel = InProcessChannel(interval=60)
    channel.report("w1", "a.xml", 1)
    copy = pickle.loads(pickle.dumps(channel))
    copy.report("w1", "a.xml", 2)
    assert copy.drain() == [("w1", "a.xml", 1), ("w1", "a.xml", 2)]


def test_in_process_tasks_run_at_submit_and_keep_their_exception() -> None:
    with open_executor("local", jobs=1) as pool:
        future = pool.executor.submit(fail, "/x.xml", Options())
        assert future.done()
        assert isinstance(future.exception(), SourceError)


def test_leaving_the_block_with_an_error_cancels_tasks_not_started() -> None:
    with pytest.raises(KeyError), open_executor("local", jobs=2) as pool:
        futures = [pool.executor.submit(convert, f"/data/{n}.xml", Options(delay=0.3)) for n in range(12)]
        raise KeyError("the orchestrator failed")
    assert any(future.cancelled() for future in futures)


def test_dask_runs_identical_calls_as_separate_tasks(dask_scheduler: str) -> None:
    """pure=False: a conversion writes files, so Dask must not merge two identical calls into one cached task."""
    with open_executor("dask", scheduler=dask_scheduler) as pool:
        first, second = (pool.executor.submit(convert, "/data/1.xml", Options()) for _ in range(2))
        assert first.result(timeout=30).nonce != second.result(timeout=30).nonce


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    pytest.importorskip("distributed")
    address = f"tcp://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(SchedulerUnreachableError, match=f"cannot reach the Dask scheduler at {address} within 1 s"):
        with open_executor("dask", scheduler=address, timeout=1):
            pass  # pragma: no cover
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("address", ["nonsense", "http://127.0.0.1:8786", "tcp://127.0.0.1:port"])
def test_a_malformed_scheduler_address_is_a_clear_error(address: str) -> None:
    pytest.importorskip("distributed")
    with pytest.raises(SchedulerUnreachableError, match="not a Dask scheduler address") as raised:
        with open_executor("dask", scheduler=address):
            pass  # pragma: no cover
    assert isinstance(raised.value, RdfgenError) and raised.value.exit_code == 2


def test_dask_without_distributed_names_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now raises ImportError
    with pytest.raises(DaskNotInstalledError, match=r"pip install 'rdfgen\[cluster\]'") as raised:
        with open_executor("dask", scheduler="tcp://127.0.0.1:8786"):
            pass  # pragma: no cover
    assert isinstance(raised.value, RdfgenError) and raised.value.exit_code == 2


@pytest.mark.parametrize(("kind", "options", "message"), [
    ("local", {"jobs": 0}, "--jobs must be at least 1"),
    ("dask", {}, "--executor dask needs --scheduler"),
    ("ray", {}, "unknown executor 'ray'"),
])
def test_bad_arguments_are_clear_errors(kind: str, options: dict[str, int], message: str) -> None:
    with pytest.raises(ExecutorError, match=message):
        with open_executor(kind, **options):  # type: ignore[arg-type]
            pass  # pragma: no cover
