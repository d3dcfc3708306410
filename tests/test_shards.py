"""Builds at scale: shards and manifest, the dataset derived from them, parallel and Dask workers, resume after a
kill, progress. Inputs are generated PubMed XML (bench/generate.py), a few files of a few dozen articles.
"""

from __future__ import annotations

import gc
import gzip
import json
import os
import pty
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from isal import igzip

from rdfgen.cli import main
from rdfgen.publish.build import file_order
from rdfgen.publish.shards import BLANK_MIN, GC_THRESHOLDS, blank_at, blank_member, streaming_collector
from tests.test_push import generate_input

ROOT = Path(__file__).parent.parent
pytest_plugins = ["tests.dask_cluster"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three baseline-like files and an update file that revises and deletes records of the first."""
    folder = tmp_path_factory.mktemp("inputs")
    files = [generate_input(folder / f"base{k}.xml.gz", 40, seed=k) for k in range(3)]
    files.append(_update(folder, files[0]))
    return files


def _update(folder: Path, baseline: Path) -> Path:
    """Five records of ``baseline`` with a new title, and a DeleteCitation of three others (an update file)."""
    from lxml import etree

    root = etree.fromstring(gzip.decompress(baseline.read_bytes()))
    articles = root.findall("PubmedArticle")
    update = etree.Element("PubmedArticleSet")
    for article in articles[5:10]:
        title = article.find("MedlineCitation/Article/ArticleTitle")
        for child in list(title):
            title.remove(child)
        title.text = "A revised title."
        update.append(article)
    deletion = etree.SubElement(update, "DeleteCitation")
    for article in articles[:3]:
        etree.SubElement(deletion, "PMID", Version="1").text = article.findtext("MedlineCitation/PMID")
    path = folder / "update1.xml"
    path.write_bytes(etree.tostring(update, xml_declaration=True, encoding="utf-8"))
    return path


def _pmids(path: Path) -> set[str]:
    import re

    return set(re.findall(r'<MedlineCitation[^>]*>\s*<PMID Version="1">(\d+)', gzip.decompress(path.read_bytes())
                          .decode()))


def _build(out: Path, files: list[Path], *args: str) -> str:
    result = CliRunner().invoke(main, ["build", "-q", "--out", str(out), *args, *map(str, files)])
    assert result.exit_code == 0, result.output
    return result.output


def _tree(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _assert_same(a: Path, b: Path) -> None:
    ta, tb = _tree(a), _tree(b)
    assert ta.keys() == tb.keys()
    for name in ta:
        assert ta[name] == tb[name], _difference(name, ta[name], tb[name])


def _difference(name: str, a: bytes, b: bytes, most: int = 20) -> str:
    """What differs between two versions of a file, for a failure that may not happen again: for gzip, the lines
    each side alone has (at most ``most`` each), or where the compressed bytes part if the text is the same."""
    first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    where = f"{name}: {len(a)} and {len(b)} bytes, first difference at byte {first}"
    if not name.endswith(".gz"):
        return where
    la, lb = gzip.decompress(a).splitlines(), gzip.decompress(b).splitlines()
    only_a, only_b = sorted(set(la) - set(lb))[:most], sorted(set(lb) - set(la))[:most]
    if not only_a and not only_b:
        return f"{where}; the same {len(la)} lines ({'same' if la == lb else 'another'} order)"
    return "\n".join([where, "only in the first:", *map(repr, only_a), "only in the second:", *map(repr, only_b)])


def test_shards_manifest_and_dataset(tmp_path: Path, inputs: list[Path]) -> None:
    """One shard per input, the manifest says what each holds, and the dumps are the shards with the superseded
    records blanked: the statements of the final state, each deleted record gone."""
    out = tmp_path / "out"
    _build(out, inputs, "--no-documents")
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["name"] for e in manifest["inputs"]] == ["base0", "base1", "base2", "update1"]
    for entry, path in zip(manifest["inputs"], inputs, strict=True):
        shard = out / entry["shard"]
        assert entry["sha256"] == __import__("hashlib").sha256(path.read_bytes()).hexdigest()
        assert entry["shard_sha256"] == __import__("hashlib").sha256(shard.read_bytes()).hexdigest()
        assert entry["read"] == entry["published"] + entry["skipped"]
    assert len(manifest["inputs"][3]["deleted"]) == 3
    quads = igzip.decompress((out / "dataset.nq.gz").read_bytes()).decode()
    for pmid in manifest["inputs"][3]["deleted"]:
        assert f"/pubmed/{pmid}#graph>" not in quads
    revised = {line.split(" ")[0] for line in quads.splitlines() if '"A revised title."' in line}
    assert len(revised) == 5
    graphs = {line.rsplit(" ", 2)[-2][1:-1] for line in quads.splitlines()}
    want = set().union(*(_pmids(p) for p in inputs[:3])) - set(manifest["inputs"][3]["deleted"])
    assert {g for g in graphs if g.endswith("#graph") and "/pubmed/" in g} == {
        f"http://localhost:8000/pubmed/{p}#graph" for p in want}


def test_incremental_equals_one_run(tmp_path: Path, inputs: list[Path]) -> None:
    """Files built one run at a time (a baseline, then each update) give the bytes of one run over all of them."""
    for k in range(len(inputs)):
        _build(tmp_path / "inc", inputs[k:k + 1])
    _build(tmp_path / "one", inputs)
    _assert_same(tmp_path / "inc", tmp_path / "one")
    assert not (tmp_path / "one" / "pubmed" / f"{_first_deleted(tmp_path / 'one')}.ttl").exists()


def _first_deleted(out: Path) -> str:
    return json.loads((out / "manifest.json").read_text())["inputs"][-1]["deleted"][0]


def test_rerun_skips_and_changed_input_rebuilds_only_its_shard(tmp_path: Path, inputs: list[Path]) -> None:
    out = tmp_path / "out"
    files = [tmp_path / p.name for p in inputs]
    for src, dst in zip(inputs, files, strict=True):
        dst.write_bytes(src.read_bytes())
    _build(out, files, "--no-documents")
    before = {p.name: p.stat().st_mtime_ns for p in (out / "shards").glob("*.nq.gz")}
    dumps = (out / "dataset.nq.gz").read_bytes()
    result = CliRunner().invoke(main, ["build", "--no-documents", "--out", str(out), *map(str, files)])
    assert result.exit_code == 0 and "records read: 0" in result.output
    assert (out / "dataset.nq.gz").read_bytes() == dumps
    generate_input(files[1], 30, seed=99)  # base1 changes
    result = CliRunner().invoke(main, ["build", "--no-documents", "--out", str(out), *map(str, files)])
    assert result.exit_code == 0 and "records read: 30," in result.output
    after = {p.name: p.stat().st_mtime_ns for p in (out / "shards").glob("*.nq.gz")}
    assert {n for n in after if after[n] != before[n]} == {"base1.nq.gz"}
    _build(tmp_path / "fresh", files, "--no-documents")
    _assert_same(out, tmp_path / "fresh")


def test_jobs_and_dask_give_the_same_bytes(tmp_path: Path, inputs: list[Path], dask_scheduler: str) -> None:
    _build(tmp_path / "j1", inputs, "--jobs", "1")
    _build(tmp_path / "j2", inputs, "--jobs", "2")
    _assert_same(tmp_path / "j1", tmp_path / "j2")
    _build(tmp_path / "dask", inputs, "--executor", "dask", "--scheduler", dask_scheduler)
    _assert_same(tmp_path / "j1", tmp_path / "dask")


def test_kill_9_then_rerun_gives_the_same_bytes(tmp_path: Path, inputs: list[Path]) -> None:
    """A build killed at random points (in a worker's shard, in the dataset step...) and run again ends with the
    bytes of a build never interrupted."""
    _build(tmp_path / "whole", inputs, "--jobs", "2")
    out = tmp_path / "killed"
    command = [sys.executable, "-m", "rdfgen", "build", "-q", "--jobs", "2", "--out", str(out), *map(str, inputs)]
    rng = random.Random(7)
    killed = 0
    for _ in range(6):
        child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        time.sleep(rng.uniform(0.3, 3.0))
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            killed += 1
        child.wait()
    assert killed, "the build always finished before the kill: nothing was tested"
    assert subprocess.run(command, cwd=ROOT, capture_output=True).returncode == 0
    _assert_same(tmp_path / "whole", out)


def test_files_a_killed_run_finished_out_of_order_are_applied_in_the_commands_order(tmp_path: Path,
                                                                                    inputs: list[Path]) -> None:
    """With two workers the update file (small) can finish before its baseline; the rerun of the same command must
    still let the update's versions win, as in a build never interrupted (the state a kill left, made on purpose)."""
    _build(tmp_path / "whole", inputs)
    _build(tmp_path / "resumed", inputs[-1:])  # only the update finished before the kill
    _build(tmp_path / "resumed", inputs)
    _assert_same(tmp_path / "whole", tmp_path / "resumed")
    manifest = json.loads((tmp_path / "resumed" / "manifest.json").read_text())
    assert [e["name"] for e in manifest["inputs"]] == ["base0", "base1", "base2", "update1"]


def test_a_later_command_adds_its_files_after_the_earlier_ones(tmp_path: Path, inputs: list[Path]) -> None:
    """Baselines built first and the update alone later give what one run over all of them gives."""
    _build(tmp_path / "whole", inputs)
    _build(tmp_path / "steps", inputs[:-1])
    _build(tmp_path / "steps", inputs[-1:])
    _assert_same(tmp_path / "whole", tmp_path / "steps")


def test_a_changed_input_keeps_the_other_files_documents(tmp_path: Path, inputs: list[Path]) -> None:
    """Rebuilding one changed file derives the dataset from scratch; the other files' documents, moved out in the
    earlier run, stay (they are still the live versions) and nothing is converted but the changed file."""
    changed = tmp_path / "base0.xml.gz"
    changed.write_bytes(inputs[0].read_bytes())
    files = [changed, *inputs[1:3]]
    _build(tmp_path / "steps", files)
    generate_input(changed, 30, seed=0)
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "steps"), *map(str, files)])
    assert result.exit_code == 0, result.output
    assert "base1: up to date" in result.output and "converting again" not in result.output
    _build(tmp_path / "fresh", files)
    _assert_same(tmp_path / "fresh", tmp_path / "steps")


def test_a_new_order_converts_again_what_the_old_one_left_without_documents(tmp_path: Path,
                                                                            inputs: list[Path]) -> None:
    """The update before its baseline this time: the baseline's versions of the revised records win now, and their
    documents went out when the update won; that file is converted again for them."""
    base, update = inputs[0], inputs[-1]
    _build(tmp_path / "steps", [base, update])
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "steps"), str(update), str(base)])
    assert result.exit_code == 0, result.output
    assert "converting again for their documents: base0" in result.output
    _build(tmp_path / "fresh", [update, base])
    _assert_same(tmp_path / "fresh", tmp_path / "steps")


_NAMES = st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8)


@given(_NAMES, _NAMES)
def test_file_order_keeps_both_orders(manifest: list[str], command: list[str]) -> None:
    """Every file once; the command's files in its order; the others in the manifest's order; a command that adds
    only new files appends them."""
    order = file_order(manifest, command)
    assert sorted(order) == sorted(set(manifest) | set(command))
    assert [n for n in order if n in command] == command
    assert [n for n in order if n not in command] == [n for n in manifest if n not in command]
    fresh = [n for n in command if n not in manifest]
    if fresh == command:
        assert order == manifest + command
    if manifest and set(manifest) <= set(command):
        assert order == command


def test_dataset_step_killed_half_way_is_finished_by_the_next_run(tmp_path: Path, inputs: list[Path],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan is written before any dump is touched; a run that dies while applying it leaves it for the next."""
    from rdfgen.publish import dataset

    _build(tmp_path / "whole", inputs)
    _build(tmp_path / "out", inputs[:2])
    original = dataset._documents

    def die(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(dataset, "_documents", die)
    with pytest.raises(KeyboardInterrupt):
        from rdfgen.publish.build import BuildOptions, build_files

        build_files([str(p) for p in inputs], tmp_path / "out", BuildOptions(documents=None))
    assert (tmp_path / "out" / "shards" / "pending.json").exists()
    monkeypatch.setattr(dataset, "_documents", original)
    _build(tmp_path / "out", inputs)
    _assert_same(tmp_path / "whole", tmp_path / "out")


def test_progress_without_a_terminal(tmp_path: Path, inputs: list[Path]) -> None:
    result = CliRunner().invoke(main, ["build", "--jobs", "1", "--out", str(tmp_path), *map(str, inputs)])
    assert result.exit_code == 0, result.output
    assert "finished 4/4: update1" in result.output
    assert "\x1b[" not in result.output
    quiet = CliRunner().invoke(main, ["build", "-q", "--out", str(tmp_path / "q"), *map(str, inputs)])
    assert "finished" not in quiet.output and "records read: 125" in quiet.output


def test_progress_on_a_terminal(tmp_path: Path, inputs: list[Path]) -> None:
    """On a real pseudo-terminal the build draws a live display (ANSI redraws) and ends with a clean summary."""
    leader, follower = pty.openpty()
    child = subprocess.Popen([sys.executable, "-m", "rdfgen", "build", "--jobs", "2", "--out", str(tmp_path),
                              *map(str, inputs)], cwd=ROOT, stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    assert child.wait() == 0
    os.close(leader)
    text = output.decode(errors="replace")
    assert "\x1b[" in text and "worker" in text and "records read: 125" in text


@given(st.integers(min_value=BLANK_MIN, max_value=5000))
def test_a_blank_member_is_empty_and_keeps_its_length(length: int) -> None:
    assert len(blank_member(length)) == length
    assert gzip.decompress(blank_member(length)) == b"" == igzip.decompress(blank_member(length))


def test_blanking_a_member_removes_exactly_it(tmp_path: Path) -> None:
    members = [igzip.compress(f"line {k}\n".encode() * (k + 3), 2, mtime=0) for k in range(5)]
    path = tmp_path / "x.gz"
    path.write_bytes(b"".join(members))
    blank_at(path, len(members[0]) + len(members[1]), len(members[2]))
    blank_at(path, len(members[0]) + len(members[1]), len(members[2]))  # idempotent
    text = gzip.decompress(path.read_bytes()).decode()
    assert "line 2" not in text and all(f"line {k}" in text for k in (0, 1, 3, 4))
    assert subprocess.run(["gzip", "-t", str(path)]).returncode == 0


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_cleanly_and_the_same_command_resumes(tmp_path: Path, inputs: list[Path]) -> None:
    """The interrupt comes once the first shard is done, while a file of 250 records (seconds of work) converts: on a
    busy machine the small files alone could all finish before the signal arrived. The build gets Ctrl-C's default
    disposition: a shell starts background commands with SIGINT ignored, which children inherit (and a program
    started so is right to keep ignoring it), so a test run in the background would otherwise see the build finish."""
    files = [inputs[0], generate_input(tmp_path / "slow.xml.gz", 250, seed=9), *inputs[1:]]
    _build(tmp_path / "whole", files, "--jobs", "1")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "rdfgen", "build", "--jobs", "1", "--out", str(out), *map(str, files)]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             preexec_fn=_default_sigint)
    deadline = time.monotonic() + 60
    while not (out / "manifest.json").exists() and time.monotonic() < deadline:  # at least one shard finished
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    stdout, stderr = child.communicate(timeout=60)
    assert child.returncode == 130, stderr
    assert "interrupted: " in stderr and "base0" in stderr and "Traceback" not in stderr
    assert subprocess.run(command, cwd=ROOT, capture_output=True).returncode == 0
    _assert_same(tmp_path / "whole", out)


def test_streaming_collector_gives_the_caller_its_collector_back() -> None:
    """A build tunes the cyclic collector while records stream, and leaves a library caller's settings as they were,
    its own frozen objects included."""
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    with streaming_collector():
        assert gc.get_threshold() == GC_THRESHOLDS and gc.get_freeze_count() > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with streaming_collector():
            pass
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
