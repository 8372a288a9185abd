"""The record of one repair made while cleaning, so ``inspect`` can show it with its raw line."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Repair:
    """One change a cleaning step made. ``start``/``end`` are in the step's input text; ``clean.py``
    maps them onto the raw file (``raw_line``; ``raw_char``, the char index in the decoded raw text)
    once the steps are composed."""

    step: str
    start: int
    end: int
    before: str
    after: str
    warning: str = ""
    raw_line: int = 0
    raw_char: int = -1
