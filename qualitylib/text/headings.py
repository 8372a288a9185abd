"""Section headings of Chinese policy documents, recognised at the start of a line.

``一、`` (level 1), ``(一)`` (2), ``1.`` / ``1、`` (3), ``(1)`` (4) and ``——`` bullets (5). Two steps need
this: boilerplate removal (a heading belongs to the body) and structure (sections and their paths), so
it lives below both.
"""
from __future__ import annotations

import re

_CN_NUM = "一二三四五六七八九十百零〇两"
HEADING_PATTERNS = (
    (1, re.compile(rf"^[{_CN_NUM}]+、")),
    (2, re.compile(rf"^\([{_CN_NUM}]+\)")),
    (3, re.compile(r"^\d{1,2}(?:[.、](?!\d)|(?=[\u4e00-\u9fff]{2,}方面))")),
    (4, re.compile(r"^\(\d{1,2}\)")),
    (5, re.compile(r"^——")),
)


def heading_level(line: str) -> tuple[int, str] | None:
    """Input: one line. Output: (level, marker) when the line starts with a section heading, else None."""
    for level, pat in HEADING_PATTERNS:
        m = pat.match(line)
        if m:
            return level, m.group(0)
    return None
