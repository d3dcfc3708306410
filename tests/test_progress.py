"""The build's progress display: plain lines in a log, a live block on a terminal (a StringIO posing as one, and a
real pseudo-terminal), quiet mode, the ETA's arithmetic, and the skipped-records summary."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from rdfgen.publish.progress import Progress, format_duration, skipped_summary

ESCAPE = re.compile(r"\x1b\[(\d*)([AKJ])")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def render(text: str) -> list[str]:
    """What a terminal shows after ``text``: the few VT100 codes Progress may use, and no others (any other escape
    fails the test). A line feed also returns the carriage, as a terminal's output processing does."""
    screen, row, col, i = [""], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\x1b":
            m = ESCAPE.match(text, i)
            assert m, f"unexpected escape sequence {text[i:i + 8]!r}"
            if m.group(2) == "A":
                row = max(0, row - int(m.group(1) or 1))
            else:  # K: erase to the end of the line; J: and everything below
                screen[row] = screen[row][:col]
                if m.group(2) == "J":
                    del screen[row + 1:]
            i = m.end()
            continue
        if ch == "\r":
            col = 0
        elif ch == "\n":
            row, col = row + 1, 0
            if row == len(screen):
                screen.append("")
        else:
            line = screen[row].ljust(col)
            screen[row] = line[:col] + ch + line[col + 1:]
            col += 1
        i += 1
    while screen and not screen[-1]:
        screen.pop()
    return screen


def _draws(text: str) -> int:
    return text.count("\x1b[K\x1b[J")  # the end of every redraw of the live block


# -- plain mode -------------------------------------------------------------------------------------------------------

def test_plain_lines_come_at_the_interval_and_not_more_often() -> None:
    clock, out = Clock(), io.StringIO()
    p = Progress(4, stream=out, clock=clock, interval=5.0)
    assert not p.tty  # a StringIO is no terminal
    p.start_file(0, "a.xml.gz", size=100)
    for tenth in range(1, 121):  # an update every 0.1 s for 12 s
        clock.now = tenth / 10
        p.update(0, tenth * 100, fraction=tenth / 200)
    lines = out.getvalue().splitlines()
    assert lines == [
        # at 5 s a quarter of one file of four (the others taken at its size): 1/16 done in 5 s, 75 s to go
        "progress: 0/4 files, 5,000 records, 1,000/s, ETA 0:01:15",
        "progress: 0/4 files, 10,000 records, 1,000/s, ETA 0:01:10",
    ]
    assert "\x1b" not in out.getvalue()


def test_plain_finish_lines_and_final_line() -> None:
    clock, out = Clock(), io.StringIO()
    with Progress(3, stream=out, clock=clock, interval=5.0) as p:
        p.skip_file("up-to-date.xml.gz")
        p.start_file(0, "a.xml.gz")
        clock.now = 1.0
        p.finish_file(0, "a.xml.gz", records=30_000, skipped=2)
        p.message("skipped: PMID 123: no title")
        p.start_file(0, "b.xml.gz")
        clock.now = 2.0
        p.finish_file(0, "b.xml.gz", records=1)
    assert out.getvalue().splitlines() == [
        "finished 2/3: a.xml.gz, 30,000 records (2 skipped)",
        "skipped: PMID 123: no title",
        "finished 3/3: b.xml.gz, 1 record",
        "done: 3/3 files (1 up to date), 30,001 records (2 skipped) in 0:00:02 (15,000/s)",
    ]


def test_interruption_is_reported_once() -> None:
    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt), Progress(5, stream=out, clock=Clock()) as p:
        raise KeyboardInterrupt
    p.close()
    assert out.getvalue() == "interrupted: 0/5 files, 0 records in 0:00:00 (-/s)\n"


def test_a_file_that_is_no_terminal_gets_plain_mode(tmp_path: Path) -> None:
    with open(tmp_path / "log", "w", encoding="utf-8") as log:
        assert Progress(1, stream=log).tty is False


# -- live mode --------------------------------------------------------------------------------------------------------

def test_live_block_is_redrawn_in_place_with_a_line_per_worker() -> None:
    clock, out = Clock(), io.StringIO()
    p = Progress(3, jobs=2, stream=out, tty=True, clock=clock)
    p.start_file(0, "a.xml.gz", size=100)
    clock.now = 0.2
    p.start_file(1, "b.xml.gz", size=100)
    clock.now = 0.4
    p.update(1, 250, fraction=0.5)
    assert "\x1b[2A" in out.getvalue() and "\r" in out.getvalue()  # back up over the 3-line block, not down
    assert render(out.getvalue()) == [
        "0/3 files, 250 records, 625/s, ETA 0:00:02",
        "  worker 1: a.xml.gz, 0 records",
        "  worker 2: b.xml.gz, 250 records (50%)",
    ]
    p.message("skipped: PMID 9: no title")
    clock.now = 1.0
    p.finish_file(1, "b.xml.gz", records=500)
    screen = render(out.getvalue())
    assert screen[:2] == ["skipped: PMID 9: no title", "finished 1/3: b.xml.gz, 500 records"]
    assert screen[2].startswith("1/3 files, 500 records, 500/s, ETA ")
    assert screen[3:] == ["  worker 1: a.xml.gz, 0 records", "  worker 2: idle"]
    p.close()
    assert render(out.getvalue()) == [  # the live block is gone: only lines meant to stay
        "skipped: PMID 9: no title",
        "finished 1/3: b.xml.gz, 500 records",
        "done: 1/3 files, 500 records in 0:00:01 (500/s)",
    ]
    assert out.getvalue().endswith("\n")


def test_live_mode_redraws_at_most_ten_times_a_second() -> None:
    clock, out = Clock(), io.StringIO()
    p = Progress(1, stream=out, tty=True, clock=clock)
    p.start_file(0, "a.xml.gz")
    for ms in range(1, 1001):  # an update every millisecond for a second
        clock.now = ms / 1000
        p.update(0, ms)
    drawn = [int(n.replace(",", "")) for n in re.findall(r"([\d,]+) records", out.getvalue())]
    assert len(drawn) == _draws(out.getvalue()) and 10 <= len(drawn) <= 11  # about every 0.1 s of the second
    assert all(b - a >= 100 for a, b in zip(drawn, drawn[1:], strict=False))  # records = ms: never 0.1 s apart
    clock.now = 1.25
    p.refresh()  # a caller waiting on quiet workers: the last counts show, at the rate since
    assert render(out.getvalue()) == ["0/1 files, 1,000 records, 800/s, ETA -  [a.xml.gz]"]


def test_live_lines_are_cut_to_the_terminal_width() -> None:
    out = io.StringIO()
    p = Progress(2, jobs=2, stream=out, tty=True, clock=Clock())
    p.start_file(1, "x" * 200 + ".xml.gz")
    screen = render(out.getvalue())
    assert len(screen) == 3 and all(len(line) < 80 for line in screen)  # a StringIO has no size: 80 columns


def test_updates_from_many_threads_leave_a_consistent_screen() -> None:
    out = io.StringIO()
    p = Progress(4, jobs=4, stream=out, tty=True, redraw=0.0)

    def work(worker: int) -> None:
        p.start_file(worker, f"{worker}.xml.gz")
        for n in range(1, 201):
            p.update(worker, n)
            if n % 50 == 0:
                p.message(f"worker {worker} at {n}")
        p.finish_file(worker, f"{worker}.xml.gz", records=200)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    p.close()
    screen = render(out.getvalue())
    messages = [line for line in screen if line.startswith("worker ")]
    finished = [line for line in screen if line.startswith("finished ")]
    assert len(screen) == len(messages) + len(finished) + 1  # nothing else left: no block, no torn lines
    assert sorted(messages) == sorted(f"worker {w} at {n}" for w in range(4) for n in (50, 100, 150, 200))
    assert [line.split(":")[0] for line in finished] == [f"finished {i}/4" for i in range(1, 5)]
    assert sorted(line.split(": ")[1] for line in finished) == [f"{w}.xml.gz, 200 records" for w in range(4)]
    assert screen[-1].startswith("done: 4/4 files, 800 records in ")


def test_a_real_terminal_is_detected_and_gets_the_live_display() -> None:
    """A child process writes its progress to a pseudo-terminal's slave; what reaches the master is what a person
    at a terminal would see."""
    code = textwrap.dedent("""
        from rdfgen.publish.progress import Progress
        with Progress(2, jobs=2) as p:
            print(p.tty, flush=True)
            p.start_file(0, "a.xml.gz", 100)
            p.start_file(1, "b.xml.gz", 100)
            p.update(0, 10, 0.5)
            p.message("skipped: PMID 7: no title")
            p.finish_file(0, "a.xml.gz", 20)
            p.finish_file(1, "b.xml.gz", 30)
    """)
    master, slave = pty.openpty()
    try:
        child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=slave, text=True)
        os.close(slave)
        raw = _read_until_closed(master, deadline=time.monotonic() + 30)
        stdout, _ = child.communicate(timeout=30)
    finally:
        os.close(master)
    assert child.returncode == 0, raw
    assert stdout.strip() == "True"  # stderr.isatty() chose the live mode on its own
    text = raw.decode("utf-8")
    assert "\x1b[2A" in text and "worker 2: b.xml.gz" in text  # the block was drawn, with a line per worker
    screen = render(text)
    assert screen[:3] == [
        "skipped: PMID 7: no title",
        "finished 1/2: a.xml.gz, 20 records",
        "finished 2/2: b.xml.gz, 30 records",
    ]
    assert re.fullmatch(r"done: 2/2 files, 50 records in 0:00:0\d \([\d,]+/s\)", screen[3]), screen
    assert len(screen) == 4


def _read_until_closed(fd: int, deadline: float) -> bytes:
    """Everything written to a pty until the last writer closes it (Linux then reports EIO)."""
    chunks: list[bytes] = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    else:
        pytest.fail("the child did not finish writing in time")
    return b"".join(chunks)


# -- quiet mode -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tty", [True, False])
def test_quiet_prints_only_errors(tty: bool) -> None:
    clock, out = Clock(), io.StringIO()
    with Progress(2, jobs=2, stream=out, quiet=True, tty=tty, clock=clock, interval=0.0) as p:
        p.skip_file("old.xml.gz")
        p.start_file(0, "a.xml.gz")
        clock.now = 10.0
        p.update(0, 5)
        p.message("skipped: PMID 1: no title")
        p.message("error: cannot read b.xml.gz", error=True)
        p.finish_file(0, "a.xml.gz", records=5)
    assert out.getvalue() == "error: cannot read b.xml.gz\n"


# -- ETA ------------------------------------------------------------------------------------------------------------

def test_eta_is_unknown_until_something_is_done() -> None:
    clock = Clock()
    p = Progress(10, stream=io.StringIO(), clock=clock)
    assert p.eta() is None and p.fraction_done() is None and "ETA -" in p.status()
    p.start_file(0, "a.xml.gz")  # no size, no fraction: started but nothing measurable yet
    clock.now = 5.0
    assert p.fraction_done() == 0.0 and p.eta() is None


def test_eta_by_files_when_sizes_are_unknown() -> None:
    clock = Clock()
    p = Progress(10, stream=io.StringIO(), clock=clock)
    for name in ("a", "b"):
        p.start_file(0, name)
        clock.now += 5.0
        p.finish_file(0, name, records=1)
    p.start_file(0, "c")
    p.update(0, 1, fraction=0.5)
    assert p.fraction_done() == pytest.approx(0.25)  # 2.5 files of 10
    assert p.eta() == pytest.approx(30.0)  # 10 s for a quarter: 30 s for the rest
    assert p.status().endswith("ETA 0:00:30")


def test_eta_by_bytes_counts_unstarted_files_at_the_mean_size() -> None:
    clock = Clock()
    p = Progress(4, jobs=2, stream=io.StringIO(), clock=clock)
    p.start_file(0, "small", size=100)
    p.start_file(1, "big", size=300)
    clock.now = 10.0
    p.finish_file(0, "small", records=1)
    p.update(1, 1, fraction=0.5)
    # known 400 bytes over 2 files; 2 more at 200 each: 800 in all, 100 + 150 done
    assert p.fraction_done() == pytest.approx(250 / 800)
    assert p.eta() == pytest.approx(10.0 * (550 / 800) / (250 / 800))


def test_up_to_date_files_count_as_done_but_not_as_work() -> None:
    clock = Clock()
    p = Progress(4, stream=io.StringIO(), clock=clock)
    p.skip_file("x")
    p.skip_file("y")
    clock.now = 100.0  # checking shards before work began does not slow the estimate
    p.start_file(0, "a")
    clock.now = 110.0
    p.finish_file(0, "a", records=10)
    assert p.fraction_done() == pytest.approx(0.5)  # 1 of the 2 files that need work
    assert p.eta() == pytest.approx(10.0)
    assert p.status() == "3/4 files (2 up to date), 10 records, 1/s, ETA 0:00:10"


def test_nothing_to_do_means_no_time_left() -> None:
    p = Progress(2, stream=io.StringIO(), clock=Clock())
    p.skip_file("x")
    p.skip_file("y")
    assert p.fraction_done() == 1.0 and p.eta() == 0.0


def test_durations() -> None:
    assert format_duration(None) == "-"
    assert format_duration(151) == "0:02:31"
    assert format_duration(3725.4) == "1:02:05"
    assert format_duration(49 * 3600) == "49:00:00"
    assert format_duration(-3) == "0:00:00"


def test_a_worker_out_of_range_is_an_error() -> None:
    p = Progress(2, jobs=2, stream=io.StringIO())
    with pytest.raises(ValueError, match="worker 2"):
        p.start_file(2, "a")


# -- skipped records --------------------------------------------------------------------------------------------------

def test_no_skipped_records_no_summary(tmp_path: Path) -> None:
    assert skipped_summary([], tmp_path) == ""
    assert list(tmp_path.iterdir()) == []


def test_few_skipped_records_are_all_named(tmp_path: Path) -> None:
    summary = skipped_summary([("1", "no title"), ("22", "bad date:\n1999-13")], tmp_path, limit=2)
    assert summary == "skipped 2 records:\n  PMID 1: no title\n  PMID 22: bad date: 1999-13"
    assert list(tmp_path.iterdir()) == []  # no file when the terminal shows them all


def test_many_skipped_records_go_to_a_file(tmp_path: Path) -> None:
    skipped = [(str(n), f"reason {n}") for n in range(1, 26)] + [("99", "tab\there")]
    summary = skipped_summary(skipped, tmp_path, limit=20)
    lines = summary.splitlines()
    assert lines[0] == "skipped 26 records:"
    assert lines[1:21] == [f"  PMID {n}: reason {n}" for n in range(1, 21)]
    assert lines[21] == f"  ... and 6 more: all 26 are listed in {tmp_path / 'skipped.tsv'}"
    assert len(lines) == 22
    tsv = (tmp_path / "skipped.tsv").read_text(encoding="utf-8")
    assert tsv == "".join(f"{n}\treason {n}\n" for n in range(1, 26)) + "99\ttab here\n"
    assert [p.name for p in tmp_path.iterdir()] == ["skipped.tsv"]  # no temporary file left beside it
