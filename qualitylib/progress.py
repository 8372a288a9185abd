"""Progress of long work as done/total with the estimated time left: a bar redrawn in place on a
terminal, plain lines (at most one every ``interval`` seconds, and a last one) in a log."""
from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

__all__ = ["Progress", "format_seconds"]


def format_seconds(seconds: float) -> str:
    """``75`` -> ``'1:15'``; ``3725`` -> ``'1:02:05'``."""
    s = int(round(max(seconds, 0.0)))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """``Progress(total, 'profiles')``; ``advance()`` after each item; ``close()`` at the end.
    The estimate is elapsed / done x remaining: items of one kind take about as long as each other."""

    def __init__(self, total: int, label: str, *, stream: TextIO | None = None, interval: float = 10.0,
                 prefix: str = "", clock=time.monotonic) -> None:
        self.total, self.label, self.done = int(total), label, 0
        self.stream = stream if stream is not None else sys.stderr
        self.interval, self.prefix, self.clock = interval, prefix, clock
        self.start = self.last = clock()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._drawn = False
        self._lock = threading.Lock()  # advanced from the threads that wait on notebook runs

    def line(self) -> str:
        """The current state as one line of text."""
        elapsed = self.clock() - self.start
        pct = 100.0 * self.done / self.total if self.total else 100.0
        text = f"{self.label}: {self.done}/{self.total} ({pct:.0f}%), {format_seconds(elapsed)} elapsed"
        if 0 < self.done < self.total:
            text += f", about {format_seconds(elapsed / self.done * (self.total - self.done))} left"
        return text

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self._advance(n)

    def _advance(self, n: int) -> None:
        self.done = min(self.total, self.done + n)
        now = self.clock()
        if self.tty:
            width = 24
            filled = int(width * self.done / self.total) if self.total else width
            self.stream.write(f"\r{self.prefix}[{'#' * filled}{'.' * (width - filled)}] {self.line()}\033[K")
            self.stream.flush()
            self._drawn = True
        elif now - self.last >= self.interval and self.done < self.total:
            self.stream.write(f"{self.prefix}{self.line()}\n")
            self.stream.flush()
            self.last = now

    def close(self) -> None:
        if self.tty:
            if self._drawn:
                self.stream.write("\n")
        else:
            self.stream.write(f"{self.prefix}{self.line()}\n")
        self.stream.flush()
