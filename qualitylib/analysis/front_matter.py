"""Front and end matter of an official document: the lines that frame a policy text but are no
policy -- title, document number (文号), addressees (各县市区人民政府，市政府各部门：), the issuing
notice (现印发给你们，请认真组织实施), the signature, dates, and closing lines (…办公室2018年5月14日印发).

The structure step (:mod:`qualitylib.text.structure`) gives them ``role == 'policy'`` because they
are sentences of the body; counting them would dilute every theme share. They are recognised here by
their form, which is fixed by the national rules for official documents (GB/T 9704), so the same
patterns hold for any city. Rules that only hold before the first heading (a title has no section)
use the section path when there is one; without it (a bare list of sentences) the text alone decides.

Input: sentence strings (and section paths). Output: booleans. No I/O.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

__all__ = ["is_front_matter", "front_matter_mask", "FRONT_MATTER_KINDS"]

_DOC_TYPES = r"(?:通知|实施意见|意见|实施方案|工作方案|方案|行动计划|年度计划|计划|规划|办法|纲要|决定|细则|要点)"
_ORG = r"(?:人民政府|人民政府办公室|办公室|办公厅|委员会|党委|市委|政府|各部门|各单位|直属机构|有关单位|管委会|党工委)"
_PUNCT_INSIDE = re.compile(r"[，,。；;！!？?]")

#: kind -> pattern on the whole (stripped) sentence
FRONT_MATTER_KINDS: dict[str, re.Pattern] = {
    # 宜府办发〔2018〕54号, (温政办〔2014〕98号)
    "doc_number": re.compile(r"^[(（]?[\u4e00-\u9fff]{1,12}[〔\[【(（]\d{4}[〕\]】)）]\s*\d{1,4}\s*号[)）]?$"),
    # 2018年5月12日, 2019222 (a date that lost its 年月), 201912日)
    "date": re.compile(r"^[(（]?\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{6,8}|\d{4,8}\s*日)\s*[)）]?$"),
    # 各县(市、区)人民政府,市各有关单位: -- an address ends in a colon and names bodies
    "addressees": re.compile(rf"^.{{0,300}}{_ORG}.{{0,80}}[:：]$"),
    # 现将《…》印发给你们,请认真组织实施。 / 《…》已经市人民政府同意,现印发给你们
    "issuing_notice": re.compile(r"印发给你们|现予印发|请认真(?:组织)?(?:贯彻)?(?:执行|实施|落实)。?$|请结合实际.{0,10}(?:实施|执行)"),
    # 宜昌市人民政府办公室2018年5月14日印发 / (此件公开发布)
    "closing": re.compile(r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$)|^[(（]?此件(?:公开发布|主动公开)|^抄送[:：]|^联系人[:：]"),
    # 中共银川市委员会  银川市人民政府 / 宜昌市人民政府办公室 (a signature: names of bodies only)
    "signature": re.compile(rf"^(?:(?:中共)?[\u4e00-\u9fff]{{1,12}}?{_ORG}\s*){{1,3}}$"),
}
_SEARCHED = {"issuing_notice", "closing"}
# a title: no punctuation inside, ends in a document type (…行动计划, …的通知(温政办〔2014〕98号))
_TITLE = re.compile(rf"^[^，,。；;：:]{{6,120}}{_DOC_TYPES}(?:[(（][^()（）]*号[)）])?$")


def _kind(text: str, in_body: bool | None) -> str:
    s = str(text).strip().rstrip("。")
    if not s:
        return ""
    for kind, pattern in FRONT_MATTER_KINDS.items():
        if kind in _SEARCHED:
            if pattern.search(s):
                return kind
        elif pattern.match(s):
            return kind
    # a title is only recognisable before the first heading (or when the position is unknown):
    # inside a section a short unpunctuated line ending in 方案 is a heading-like task
    if in_body is not True and _TITLE.match(s) and not _PUNCT_INSIDE.search(s):
        return "title"
    return ""


def is_front_matter(text: str, section_path: object = None) -> str:
    """Input: one sentence and its section path (None: unknown; '' or NaN: before the first
    heading). Output: the kind of front/end matter (``'title'``, ``'doc_number'``, ``'date'``,
    ``'addressees'``, ``'issuing_notice'``, ``'closing'``, ``'signature'``) or '' for policy text."""
    if section_path is None:
        in_body = None
    else:
        in_body = isinstance(section_path, str) and section_path.strip() != ""
    return _kind(text, in_body)


def front_matter_mask(texts: Sequence[str], section_paths: Sequence[object] | None = None) -> pd.Series:
    """Input: sentence texts and (optionally) their section paths. Output: boolean Series (input
    order, RangeIndex), True for front or end matter."""
    paths = [None] * len(texts) if section_paths is None else list(section_paths)
    if len(paths) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(paths)} section paths")
    return pd.Series([bool(is_front_matter(t, p)) for t, p in zip(texts, paths)], dtype=bool)
