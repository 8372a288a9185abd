"""Responsible-agency notes: who leads a task and who helps, e.g. ``（市质监局牵头，市财政局负责）`` at the
end of a task, or a line of its own (``责任单位：市财政局、市农业局``).

They are not policy text: their agency names contain theme words (财政, 农业, 环保 ...) that say nothing
about what a task is about. Two consumers need them, in two shapes, and both shapes live here so the
vocabulary is defined once:

* :func:`split_agency` (structure): splits the *trailing* note off one sentence, keeping it as data
  (``sentences.csv`` column ``agencies``); :data:`AGENCY_LINE` recognises a whole ``责任单位:`` line.
* :func:`strip_agency_notes` (theme coding): removes every note *anywhere* in a sentence, including
  inline ``责任单位：…`` labels and one level of nested parentheses (各县（市）区).
"""
from __future__ import annotations

import re

#: The verbs of a note that say what its agencies do: lead the task, or share it (longest first, so that
#: 按职责分工负责 is read before 负责). Role parsing (``analysis.agencies``) builds its patterns from these.
LEAD_VERB = "牵头"
CO_VERBS = ("按照职责分工负责", "按职责分工负责", "分工负责", "共同负责", "配合", "协助", "参与")
RESPONSIBLE_VERBS = ("负责", "落实")

_AGENCY_WORDS = re.compile(r"牵头|负责|配合|参与|责任单位|责任部门")
_TRAILING_AGENCY = re.compile(r"[(（]([^()（）]{2,200})[)）]\s*$")
#: a line that is nothing but an agency list: ``责任单位：市财政局、市农业局``
AGENCY_LINE = re.compile(r"^\s*(?:责任单位|责任部门|牵头单位|配合单位)\s*[:：]")


def split_agency(sentence: str) -> tuple[str, str]:
    """Input: one sentence. Output: (policy text, agency note); the note is '' when there is none."""
    trimmed = sentence.rstrip("。；;")
    if trimmed.rstrip()[-1:] not in (")", "）"):  # the note's closing parenthesis ends it: no note
        return sentence, ""
    m = _TRAILING_AGENCY.search(trimmed)
    if m and _AGENCY_WORDS.search(m.group(1)):
        return sentence[: m.start()].rstrip(), m.group(1)
    return sentence, ""


# Policy documents end many paragraphs with a note of who leads and who helps, e.g.
# "（市质监局牵头，市财政局、市农业局负责）", or put it on its own line ("责任单位：市财政局、…").
# Those agency names contain theme words (财政, 农业, 环保, 海关 ...) that say nothing about what
# the policy is *about*, so by default they are cut before matching. Only these shapes are cut:
# a parenthesis ending in 牵头/负责/配合/参与/落实, a parenthesis starting with 责任单位： etc., and
# everything after an inline 责任单位：/牵头单位：/配合单位： label. One level of nested
# parentheses (各县（市）区) is allowed inside a note.
_INNER = r"(?:[^（）()]|[（(][^（）()]{0,20}[）)])"
_AGENCY_LABEL = r"(?:责任|牵头|配合|参与|主责)(?:单位|部门)[:：]"
_AGENCY_NOTE = re.compile(
    rf"[（(]{_INNER}{{0,400}}?(?:牵头|负责|配合|参与|落实)[）)]"
    rf"|[（(]{_AGENCY_LABEL}{_INNER}{{0,400}}?[）)]"
    rf"|{_AGENCY_LABEL}.*$"
)


def strip_agency_notes(text: str) -> str:
    """Remove lead/responsible-agency notes such as ``（市质监局牵头，市财政局负责）`` or
    ``责任单位：市财政局、市农业局``.

    Input: one sentence string. Output: the sentence without those notes (other parentheses,
    e.g. ``（以下简称质强办）``, are kept). A sentence that was nothing but such a note becomes
    an empty string (see ``in_scope`` in :func:`code_sentences`).
    """
    return _AGENCY_NOTE.sub("", text).strip()
