"""A real Dask cluster on 127.0.0.1 for the tests: one scheduler and two single-threaded workers, as subprocesses.

Imported by the test modules that need it (its fixture is session-scoped, so the cluster starts once). The
scheduler listens on a port the OS picks (--port 0) and writes its address to a scheduler file, so there is no
race for a "free" port. Each process gets its own session, and teardown kills each whole process group, so no
worker outlives the tests even if a process does not exit on SIGTERM.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 2
START_TIMEOUT = 30.0


def _env() -> dict[str, str]:
    """The workers import tests.executor_tasks from the checkout, so it goes first on their path."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path}


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, env=_env(), stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM every process group, wait a little, then SIGKILL whatever is left."""
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        _signal_group(process, signal.SIGKILL)
        process.wait()


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def _address(scheduler_file: Path, processes: list[subprocess.Popen[bytes]], logs: Path) -> str:
    """Wait for the scheduler to write its address."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        _check_alive(processes, logs)
        try:
            return str(json.loads(scheduler_file.read_text())["address"])
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            time.sleep(0.05)
    raise RuntimeError(f"the Dask scheduler wrote no address in {START_TIMEOUT} s; logs in {logs}")


def _wait_for_workers(address: str, processes: list[subprocess.Popen[bytes]], logs: Path) -> None:
    from distributed import Client

    with Client(address, timeout=10, set_as_default=False) as client:
        deadline = time.monotonic() + START_TIMEOUT
        while len(client.scheduler_info(n_workers=-1)["workers"]) < WORKERS:
            _check_alive(processes, logs)
            if time.monotonic() > deadline:
                raise RuntimeError(f"{WORKERS} Dask workers did not connect in {START_TIMEOUT} s; logs in {logs}")
            time.sleep(0.05)


def _check_alive(processes: list[subprocess.Popen[bytes]], logs: Path) -> None:
    for process in processes:
        if process.poll() is not None:
            output = "\n".join(f"--- {log.name}\n{log.read_text()}" for log in sorted(logs.glob("*.log")))
            raise RuntimeError(f"{process.args} exited with {process.returncode}:\n{output}")


@pytest.fixture(scope="session")
def dask_scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address (tcp://127.0.0.1:PORT) of a running scheduler with two connected workers."""
    pytest.importorskip("distributed", reason="Dask distributed is not installed: pip install -e '.[test]'")
    logs = tmp_path_factory.mktemp("dask")
    scheduler_file = logs / "scheduler.json"
    processes = [_start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                         "--scheduler-file", str(scheduler_file)], logs / "scheduler.log")]
    try:
        address = _address(scheduler_file, processes, logs)
        for n in range(WORKERS):
            processes.append(_start(
                ["distributed.cli.dask_worker", address, "--nworkers", "1", "--nthreads", "1", "--no-nanny",
                 "--no-dashboard", "--host", "127.0.0.1", "--name", f"test-worker-{n}",
                 "--local-directory", str(logs / f"worker-{n}")],
                logs / f"worker-{n}.log"))
        _wait_for_workers(address, processes, logs)
        yield address
    finally:
        _stop(processes[::-1])  # workers first, then the scheduler
