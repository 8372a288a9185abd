"""Structure: the cleaned body -> sections (with a heading path) and sentences/clauses.

Headings recognised at the start of a line: ``一、`` (level 1), ``(一)`` (2), ``1.`` / ``1、`` (3),
``(1)`` (4) and ``——`` bullets (5). Sentences end at ``。；;！？!?``. The responsible-agency note that
closes a task — ``(市质监局牵头,市发改委……按职责分工负责)`` at the end of a sentence, or a whole
``责任单位:……`` line — is split off into the ``agencies`` field so it never counts as policy text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

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
    titles from the top level down (``('一、总体要求', '(二)工作目标')``)."""
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
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    for k, (level, marker, title, start) in enumerate(found):
        end = len(body)
        for level2, _, _, start2 in found[k + 1 :]:
            if level2 <= level:
                end = start2
                break
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, f"{marker}{title}"))
        sections.append(Section(level, marker, title, start, end, tuple(label for _, label in stack)))
    return sections


def section_at(sections: list[Section], pos: int) -> Section | None:
    """Input: sections and a body offset. Output: the innermost section containing it, or None."""
    best = None
    for s in sections:
        if s.start <= pos < s.end and (best is None or s.level >= best.level):
            best = s
    return best


def iter_sentences(body: str):
    """Input: cleaned body. Output: yields (start, end) of each sentence, never crossing a line end."""
    pos = 0
    for line in body.split("\n"):
        s = 0
        for m in _SENTENCE_END.finditer(line):
            if line[s : m.end()].strip():
                yield pos + s, pos + m.end()
            s = m.end()
        if line[s:].strip():
            yield pos + s, pos + len(line)
        pos += len(line) + 1


def sentences_frame(doc_id: str, body: str, line_of=None) -> pd.DataFrame:
    """Input: doc id, cleaned body, and optionally ``line_of(body_offset) -> raw line``.
    Output: one row per sentence with columns doc_id, sentence_id, start, end, line, section_path,
    role ('heading' | 'policy' | 'agency'), text, agencies."""
    sections = split_sections(body)
    rows = []
    for start, end in iter_sentences(body):
        text = body[start:end].strip()
        sec = section_at(sections, start)
        line_start = body.rfind("\n", 0, start) + 1
        is_heading_line = heading_level(body[line_start:end]) is not None and start == line_start
        if AGENCY_LINE.match(text):
            role, policy, agencies = "agency", "", AGENCY_LINE.sub("", text).strip()
        else:
            policy, agencies = split_agency(text)
            if agencies and not policy.strip("。；; "):
                role = "agency"  # "(市质监局牵头,……负责)" standing after the task's full stop
            else:
                    role = "heading" if is_heading_line and sec and len(policy) <= len(sec.marker) + len(sec.title) + 1 else "policy"
        rows.append(
            {
                "doc_id": doc_id,
                "sentence_id": len(rows),
                "start": start,
                "end": end,
                "line": line_of(start) if line_of else None,
                "section_path": " > ".join(sec.path) if sec else "",
                "role": role,
                "text": policy,
                "agencies": agencies,
            }
        )
    # A 责任单位 line names the agencies of the task just before it (filled on the dicts: cheap).
    for i, row in enumerate(rows):
        if row["role"] != "agency":
            continue
        j = i - 1
        while j >= 0 and rows[j]["role"] == "policy" and not rows[j]["agencies"]:
            rows[j]["agencies"] = row["agencies"]
            if rows[j]["section_path"] != row["section_path"]:
                break
            j -= 1
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", "start", "end", "line", "section_path", "role", "text", "agencies"])
