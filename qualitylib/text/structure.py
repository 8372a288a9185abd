"""Structure: the cleaned body -> sections (with a heading path) and sentences/clauses.

Headings recognised at the start of a line: ``一、`` (level 1), ``(一)`` (2), ``1.`` / ``1、`` (3),
``(1)`` (4) and ``——`` bullets (5). Sentences end at ``。；;！？!?``. The responsible-agency note that
closes a task — ``(市质监局牵头,市发改委……按职责分工负责)`` at the end of a sentence, or a whole
``责任单位:……`` line — is split off into the ``agencies`` field so it never counts as policy text.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .agency_notes import AGENCY_LINE, split_agency
from .headings import heading_level

_TITLE_END = re.compile(r"[。:;,]")
_SENTENCE_END = re.compile(r"[。；;！!？?]")


@dataclass(frozen=True)
class Section:
    """A heading and its scope in the body: ``[start, end)`` runs to the next heading of the same or a
    higher level."""

    level: int
    marker: str
    title: str
    start: int
    end: int
    path: tuple[str, ...]


def split_sections(body: str) -> list[Section]:
    """Input: cleaned body text. Output: its sections in document order, each with the path of heading
    titles from the top level down (``('一、总体要求', '(二)工作目标')``). Linear in the body: one
    pass, with a stack of the sections still open."""
    return list(_sections_of(body))


@lru_cache(maxsize=2)
def _sections_of(body: str) -> tuple[Section, ...]:
    # the sentence table and target extraction both need the sections of the same body: found once
    found = []
    pos = 0
    for line in body.split("\n"):
        hl = heading_level(line)
        if hl:
            level, marker = hl
            rest = line[len(marker):]
            m = _TITLE_END.search(rest)
            title = (rest[: m.start()] if m else rest)[:40].strip()
            found.append((level, marker, title, pos))
        pos += len(line) + 1
    # a section runs to the next heading of the same or a higher level (a lower or equal number)
    ends = [len(body)] * len(found)
    open_: list[int] = []
    for k, (level, _, _, start) in enumerate(found):
        while open_ and found[open_[-1]][0] >= level:
            ends[open_.pop()] = start
        open_.append(k)
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    for k, (level, marker, title, start) in enumerate(found):
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, f"{marker}{title}"))
        sections.append(Section(level, marker, title, start, ends[k], tuple(label for _, label in stack)))
    return tuple(sections)


class SectionIndex:
    """The innermost section at any body offset in O(log n): sections nest (one either contains the
    other or they do not meet), so the innermost section containing ``pos`` is the last one starting
    at or before it, or, when that one has already ended, the nearest enclosing section that has not."""

    def __init__(self, sections: list[Section]):
        self.sections = sections
        self.starts = [s.start for s in sections]
        self.parent: list[int] = []
        stack: list[int] = []
        for k, s in enumerate(sections):
            while stack and sections[stack[-1]].end <= s.start:
                stack.pop()
            self.parent.append(stack[-1] if stack else -1)
            stack.append(k)

    def at(self, pos: int) -> Section | None:
        """Input: a body offset. Output: the innermost section containing it, or None."""
        k = bisect.bisect_right(self.starts, pos) - 1
        while k >= 0 and pos >= self.sections[k].end:
            k = self.parent[k]
        return self.sections[k] if k >= 0 else None


def section_at(sections: list[Section], pos: int) -> Section | None:
    """Input: sections and a body offset. Output: the innermost section containing it, or None.
    Builds an index for one lookup: for many, build a ``SectionIndex`` once and call ``at``."""
    return SectionIndex(sections).at(pos)


def iter_sentences(body: str):
    """Input: cleaned body. Output: yields (start, end) of each sentence, never crossing a line end."""
    for start, end, _ in _sentences_in_lines(body):
        yield start, end


def _sentences_in_lines(body: str):
    """Yields (start, end, start of the line) of each sentence."""
    pos = 0
    for line in body.split("\n"):
        s = 0
        for m in _SENTENCE_END.finditer(line):
            if line[s : m.end()].strip():
                yield pos + s, pos + m.end(), pos
            s = m.end()
        if line[s:].strip():
            yield pos + s, pos + len(line), pos
        pos += len(line) + 1


def sentences_frame(doc_id: str, body: str, line_of=None) -> pd.DataFrame:
    """Input: doc id, cleaned body, and optionally ``line_of(body_offset) -> raw line``.
    Output: one row per sentence with columns doc_id, sentence_id, start, end, line, section_path,
    role ('heading' | 'policy' | 'agency'), text, agencies."""
    index = SectionIndex(split_sections(body))
    paths: dict[int, str] = {}  # section start -> its joined path (one heading, one section per start)
    starts, ends, section_paths, roles, texts, agencies_of = [], [], [], [], [], []
    for start, end, line_start in _sentences_in_lines(body):
        text = body[start:end].strip()
        sec = index.at(start)
        if AGENCY_LINE.match(text):
            role, policy, agencies = "agency", "", AGENCY_LINE.sub("", text).strip()
        else:
            policy, agencies = split_agency(text)
            if agencies and not policy.strip("。；; "):
                role = "agency"  # "(市质监局牵头,……负责)" standing after the task's full stop
            elif sec and start == line_start and len(policy) <= len(sec.marker) + len(sec.title) + 1 \
                    and heading_level(body[line_start:end]) is not None:
                role = "heading"
            else:
                role = "policy"
        if sec is None:
            path = ""
        elif (path := paths.get(sec.start)) is None:
            path = paths[sec.start] = " > ".join(sec.path)
        starts.append(start)
        ends.append(end)
        section_paths.append(path)
        roles.append(role)
        texts.append(policy)
        agencies_of.append(agencies)
    # A 责任单位 line names the agencies of the task just before it (filled on the column lists: cheap).
    for i, role in enumerate(roles):
        if role != "agency":
            continue
        j = i - 1
        while j >= 0 and roles[j] == "policy" and not agencies_of[j]:
            agencies_of[j] = agencies_of[i]
            if section_paths[j] != section_paths[i]:
                break
            j -= 1
    columns = ["doc_id", "sentence_id", "start", "end", "line", "section_path", "role", "text", "agencies"]
    n = len(starts)
    if not n:
        return pd.DataFrame([], columns=columns)
    # column by column: the same dtypes as from row dicts, at a fraction of the cost
    lines = [line_of(start) for start in starts] if line_of else [None] * n
    data = [[doc_id] * n, list(range(n)), starts, ends, lines, section_paths, roles, texts, agencies_of]
    return pd.DataFrame(dict(zip(columns, data)), columns=columns)
