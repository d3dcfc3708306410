"""Progress of ``rdfgen build`` over many input files: a live display redrawn in place on a terminal, plain lines
every few seconds in a log, nothing when quiet.

A baseline build is hours of work over a thousand files of 30,000 records each, spread over parallel workers, so
the person running it needs to see that it moves and when it will end; a log file needs lines that stay readable
(no escape codes, no line per record). Everything that writes to the stream goes through one :class:`Progress`,
under one lock, so messages about skipped records land above the live display instead of inside it.
"""

from __future__ import annotations

import io
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TextIO

from rdfgen.publish.files import write_atomic

REDRAW = 0.1  # seconds between redraws of the live display: ~10 a second is smooth and costs nothing
FALLBACK_COLUMNS = 80  # a pseudo-terminal nobody sized reports 0 columns; a file reports none


@dataclass
class _Worker:
    """What one worker is doing: its current file, how big that file is, and how far it has got."""

    name: str | None = None  # None: idle
    size: int = 0
    records: int = 0
    fraction: float | None = None


def format_duration(seconds: float | None) -> str:
    """``H:MM:SS`` (hours unbounded, so a two-day build reads ``49:00:00``), ``-`` when unknown."""
    if seconds is None:
        return "-"
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


class Progress:
    """The progress of a build over ``total_files`` inputs processed by ``jobs`` workers (numbered 0..jobs-1).

    On a terminal (``tty``; by default whether ``stream`` is one) a status block is redrawn in place at most every
    ``redraw`` seconds: files done, records, records/s, ETA, and a line per worker when ``jobs > 1``. Elsewhere a
    ``progress:`` line is written every ``interval`` seconds. Both write a line when a file finishes. The display is
    refreshed by the calls below (and :meth:`refresh`); there is no timer thread, so a caller whose reports can
    pause for long should call :meth:`refresh` meanwhile. All methods are thread-safe.
    """

    def __init__(self, total_files: int, *, jobs: int = 1, stream: TextIO | None = None, quiet: bool = False,
                 tty: bool | None = None, interval: float = 5.0, clock: Callable[[], float] = time.monotonic,
                 redraw: float = REDRAW, unit: str = "files") -> None:
        """``unit`` names what is counted ("files"; "efetch batches" for ``rdfgen fetch``)."""
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        self.total_files = total_files
        self.jobs = jobs
        self.unit = unit
        self.stream: TextIO = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.tty = _isatty(self.stream) if tty is None else tty
        self.interval = interval
        self.redraw = redraw
        self._clock = clock
        self._lock = threading.RLock()
        self._workers = [_Worker() for _ in range(jobs)]
        self._created = clock()
        self._t0: float | None = None  # when work began (first file started): the base of rates and ETA
        self._files_done = 0  # finished by a worker
        self._files_up_to_date = 0  # skipped: counted as done, but no work, so left out of the ETA's arithmetic
        self._records_done = 0  # in finished files
        self._records_skipped = 0
        self._bytes_done = 0  # sizes of finished files
        self._unsized_done = 0  # finished files whose size was not known: the ETA falls back to counting files
        self._last_line = self._created  # plain mode: the first line comes one interval after the start
        self._last_draw: float | None = None  # live mode: None until the first draw, so it comes at once
        self._drawn = 0  # lines of the live block on screen now (0: none); the cursor is at the end of its last line
        self._closed = False

    # -- reports from the build ----------------------------------------------------------------------------------

    def start_file(self, worker: int, name: str, size: int = 0) -> None:
        """Worker ``worker`` begins ``name`` (``size``: its bytes, 0 if unknown)."""
        with self._lock:
            self._begin()
            self._workers[self._index(worker)] = _Worker(name=name, size=max(0, size))
            self._tick()

    def update(self, worker: int, records: int, fraction: float | None = None) -> None:
        """Worker ``worker`` has read ``records`` records of its current file so far (a running total, so a lost or
        repeated report does no harm), and ``fraction`` of the file's bytes if known."""
        with self._lock:
            self._begin()
            w = self._workers[self._index(worker)]
            w.records = records
            if fraction is not None:
                w.fraction = min(1.0, max(0.0, fraction))
            if w.name is None:
                w.name = ""  # reports before start_file: busy on a file we were not told about
            self._tick()

    def finish_file(self, worker: int, name: str, records: int, skipped: int = 0) -> None:
        """Worker ``worker`` has finished ``name``: ``records`` records read from it, of which ``skipped`` were not
        published."""
        with self._lock:
            self._begin()
            index = self._index(worker)
            w = self._workers[index]
            size = w.size if w.name in (name, "") else 0
            self._workers[index] = _Worker()
            self._files_done += 1
            self._records_done += records
            self._records_skipped += skipped
            self._bytes_done += size
            self._unsized_done += size == 0
            if not self.quiet:
                note = f" ({skipped:,} skipped)" if skipped else ""
                self._print(f"finished {self._done_count()}/{self.total_files}: {name}, "
                            f"{_plural(records, 'record')}{note}")
            self._tick()

    def skip_file(self, name: str) -> None:
        """``name`` needs no work (its shard is up to date): done, and left out of the rate and ETA. No line of its
        own: a rebuild may skip a thousand; the count shows as "up to date"."""
        with self._lock:
            self._files_up_to_date += 1
            self._tick()

    def message(self, text: str, *, error: bool = False) -> None:
        """A line for the reader (e.g. a skipped record), above the live display; errors print even when quiet."""
        with self._lock:
            if self.quiet and not error:
                return
            if self.quiet:
                self._write(text + "\n")  # no live display to keep clear
            else:
                self._print(text)

    def refresh(self) -> None:
        """Redraw or write a progress line if one is due: for a caller waiting on workers that report rarely."""
        with self._lock:
            self._tick()

    def close(self, interrupted: bool = False) -> None:
        """Replace the live display with a final line (``interrupted:`` or ``done:``); later calls do nothing."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self.quiet:
                return
            word = "interrupted" if interrupted else "done"
            elapsed = self._clock() - self._created
            self._print(f"{word}: {self._counts()}, {_plural(self.records(), 'record')}{self._skipped_note()} "
                        f"in {format_duration(elapsed)} ({self._rate_text()})")

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close(interrupted=exc_type is not None)

    # -- figures --------------------------------------------------------------------------------------------------

    def records(self) -> int:
        """Records read so far: finished files and files in progress."""
        with self._lock:
            return self._records_done + sum(w.records for w in self._workers)

    def fraction_done(self) -> float | None:
        """How much of the work is done, 0..1; None before anything is known.

        By input bytes when every file started so far had a size: finished files' sizes plus ``fraction * size``
        of files in progress, over an estimated total (files not started yet are taken at the mean size of those
        started). Otherwise by files, a file in progress counting as its ``fraction``. Up-to-date files are no work
        and count on neither side.
        """
        with self._lock:
            work = self.total_files - self._files_up_to_date
            if work <= 0:
                return 1.0
            active = [w for w in self._workers if w.name is not None]
            started = self._files_done + len(active)
            if started == 0:
                return None
            if self._unsized_done == 0 and all(w.size > 0 for w in active):
                known = self._bytes_done + sum(w.size for w in active)
                total = known + max(0, work - started) * known / started
                done = self._bytes_done + sum(w.size * (w.fraction or 0.0) for w in active)
            else:
                total = work
                done = self._files_done + sum(w.fraction or 0.0 for w in active)
            return min(1.0, done / total)

    def eta(self) -> float | None:
        """Seconds left, extrapolated from the time taken for the fraction done so far; None while unknown."""
        with self._lock:
            fraction = self.fraction_done()
            if fraction == 1.0:
                return 0.0
            if fraction is None or fraction <= 0.0 or self._t0 is None:
                return None
            elapsed = self._clock() - self._t0
            return elapsed * (1.0 - fraction) / fraction

    def rate(self) -> float | None:
        """Records a second since work began; None before."""
        with self._lock:
            if self._t0 is None:
                return None
            elapsed = self._clock() - self._t0
            return self.records() / elapsed if elapsed > 0 else None

    def status(self) -> str:
        """The one-line state: ``3/10 files, 91,204 records, 452/s, ETA 0:02:31``."""
        with self._lock:
            return (f"{self._counts()}, {_plural(self.records(), 'record')}, {self._rate_text()}, "
                    f"ETA {format_duration(self.eta())}")

    # -- output ---------------------------------------------------------------------------------------------------

    def _tick(self) -> None:
        """Write what is due now: a redraw (live) or a progress line (plain), not more often than allowed."""
        if self.quiet or self._closed:
            return
        now = self._clock()
        if self.tty:
            if self._last_draw is None or now - self._last_draw >= self.redraw:
                self._draw(now)
        elif now - self._last_line >= self.interval:
            self._last_line = now
            self._write(f"progress: {self.status()}\n")

    def _print(self, line: str) -> None:
        """A whole line; on a terminal it goes where the live block was, and the block is drawn again below it."""
        if not self.tty:
            self._write(line + "\n")
            return
        self._write(self._to_block_top() + "\x1b[J" + line + "\n")
        self._drawn = 0
        if not self._closed:
            self._draw(self._clock())

    def _draw(self, now: float) -> None:
        """Overwrite the live block in place: each line erased to its end, leftovers below cleared."""
        width = max(1, _columns(self.stream) - 1)  # never the last column, where some terminals wrap early
        lines = [line[:width] for line in self._block()]
        self._write(self._to_block_top() + "\x1b[K\n".join(lines) + "\x1b[K\x1b[J")
        self._drawn = len(lines)
        self._last_draw = now

    def _to_block_top(self) -> str:
        """Escape codes that move the cursor from the end of the live block to the start of its first line."""
        up = self._drawn - 1
        return "\r" + (f"\x1b[{up}A" if up > 0 else "")

    def _block(self) -> list[str]:
        if self.jobs == 1:
            current = self._workers[0].name
            return [self.status() + (f"  [{current}]" if current else "")]
        return [self.status()] + [self._worker_line(i, w) for i, w in enumerate(self._workers)]

    def _worker_line(self, index: int, w: _Worker) -> str:
        if w.name is None:
            return f"  worker {index + 1}: idle"
        percent = f" ({w.fraction:.0%})" if w.fraction is not None else ""
        return f"  worker {index + 1}: {w.name or '?'}, {_plural(w.records, 'record')}{percent}"

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    # -- helpers --------------------------------------------------------------------------------------------------

    def _begin(self) -> None:
        if self._t0 is None:
            self._t0 = self._clock()

    def _index(self, worker: int) -> int:
        if not 0 <= worker < self.jobs:
            raise ValueError(f"worker {worker} out of range 0..{self.jobs - 1}")
        return worker

    def _done_count(self) -> int:
        return self._files_done + self._files_up_to_date

    def _counts(self) -> str:
        up_to_date = f" ({self._files_up_to_date:,} up to date)" if self._files_up_to_date else ""
        return f"{self._done_count():,}/{self.total_files:,} {self.unit}{up_to_date}"

    def _skipped_note(self) -> str:
        return f" ({self._records_skipped:,} skipped)" if self._records_skipped else ""

    def _rate_text(self) -> str:
        rate = self.rate()
        return "-/s" if rate is None else f"{rate:,.0f}/s"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False


def _columns(stream: TextIO) -> int:
    """The terminal's width, or :data:`FALLBACK_COLUMNS` when it has none (a pipe, a StringIO, an unsized pty)."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return FALLBACK_COLUMNS
    return columns if columns > 0 else FALLBACK_COLUMNS


def _one_line(text: str) -> str:
    """Tabs and line breaks as spaces: a reason must stay one field of one line, in the TSV and in the summary."""
    return " ".join(text.replace("\t", " ").splitlines()) if text else text


def _labelled(pmid: str, reason: str) -> str:
    """One skip on one line, its PMID named once (a reason that already names it is not prefixed again)."""
    text = _one_line(reason)
    if not pmid or pmid == "?" or f"PMID {pmid}" in text:
        return text
    return f"PMID {pmid}: {text}"


def skipped_summary(skipped: Sequence[tuple[str, str]], out: Path, *, limit: int = 20) -> str:
    """The end-of-build lines about skipped records: every ``(pmid, reason)`` when there are at most ``limit``,
    else the first ``limit`` and the whole list written to ``out/skipped.tsv`` (atomically), because thousands of
    lines on a terminal help nobody but the list must not be lost. "" when nothing was skipped."""
    if not skipped:
        return ""
    lines = [f"skipped {_plural(len(skipped), 'record')}:"]
    lines += [f"  {_labelled(pmid, reason)}" for pmid, reason in skipped[:limit]]
    if len(skipped) > limit:
        path = out / "skipped.tsv"
        write_atomic(path, "".join(f"{_one_line(pmid)}\t{_one_line(reason)}\n" for pmid, reason in skipped))
        lines.append(f"  ... and {len(skipped) - limit:,} more: all {len(skipped):,} are listed in {path}")
    return "\n".join(lines)
