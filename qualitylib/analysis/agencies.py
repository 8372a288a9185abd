"""Responsible agencies: who leads a task, who helps, and which tasks are simply handed to every county.

Policy texts end a task with a note such as ``（市质监局牵头,市发改委、市经信委等按职责分工负责）``; the
text layer moves it to ``sentences.csv``'s ``agencies`` column. This module reads those notes.

1. :func:`parse_note` -- one note -> one row per agency: the name as written and its **role**:

   * ``lead`` -- named in a clause that says 牵头 (``市食药监局、市卫计委牵头负责`` makes both lead), or
     the single agency of a note that names exactly one and says it is responsible
     (``市住建委负责``; not ``市质监局等部门负责``: 等 means others share it);
   * ``co`` -- named in a clause that ends 配合/协助/参与/按(照)职责分工负责, or in a plain 负责 clause
     (``A、B、C等部门负责``: jointly responsible, no lead named); a clause without a verb takes the
     verb of the next clause (``市委考核办、市质监局等部门,各县(市、区)负责``);
   * ``blanket`` -- an assignment to no named agency: ``各县(市、区)``, ``相关县(市、区)政府``,
     ``各成员单位``, ``相关市级部门``. A blanket is never a lead, whatever the verb.

2. :func:`normalise` -- a name as written -> canonical code, its successor after the 2018
   institutional reform and whether it is a blanket, from ``qualitylib/data/agencies.csv`` (regular
   expressions matched in file order; blanket rows first). Unknown names get the code ``other``.

3. **Which mapping applies.** The State Council's 2018 reform (质监 + 工商 + 食药监 -> 市场监管; 经信委 ->
   工信局; 农业局 -> 农业农村局; 环保局 -> 生态环境局; 国土 -> 自然资源; 检验检疫 -> 海关; ...) reached
   prefecture-level cities between late 2018 and spring 2019. Rule: a plan **issued before
   :data:`REFORM_DATE` (2019-01-01)** is ``pre_reform`` and keeps its agencies as written; a plan
   issued on or after it is ``post_reform``. :func:`agency_rows` groups by ``names=``:
   ``"written"`` (canonical code of the name as written), ``"successor"`` (the post-2018 successor,
   comparable across years) or ``"by_date"`` (as written in pre-reform plans, successor in post-reform
   ones: in a 2019 plan a task written for 市质监局 falls to the market-regulation bureau).

4. :func:`task_table` groups policy sentences into **tasks** (a run of consecutive policy sentences of
   one section sharing one note) and :func:`lead_shares`, :func:`agency_theme_counts`,
   :func:`agency_theme_graph` and :func:`presence_table` summarise them.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from ..resources import data_frame
from ..text.agency_notes import CO_VERBS, LEAD_VERB, RESPONSIBLE_VERBS, split_agency, strip_agency_notes
from .frames import require_frame

__all__ = [
    "REFORM_DATE", "NAME_MODES", "ROLES", "AGENCY_COLUMNS",
    "load_agencies", "split_names", "parse_note", "normalise", "reform_period", "recover_note",
    "agency_rows", "task_table", "lead_shares", "agency_theme_counts", "agency_theme_graph",
    "presence_table", "agency_labels",
]

#: plans issued on or after this date are post-reform (city bureaus were merged late 2018 - spring 2019)
REFORM_DATE = "2019-01-01"
NAME_MODES = ("by_date", "written", "successor")
ROLES = ("lead", "co", "blanket")
AGENCY_COLUMNS = ("pattern", "code", "label_zh", "label_en", "successor_2018", "kind", "note")

_LEAD = re.compile(LEAD_VERB)
_CO_VERB = re.compile("(?:" + "|".join(CO_VERBS) + ")$")
_RESP_VERB = re.compile("(?:" + "|".join(RESPONSIBLE_VERBS) + ")$")
# 牵头负责: 负责 is stripped first, then 牵头
_ROLE_WORDS = re.compile("(?:" + "|".join((*CO_VERBS, *RESPONSIBLE_VERBS, LEAD_VERB)) + ")$")
_ETC = re.compile(r"(?:等(?:部门|单位)?|各有关部门)$")
#: a name ends with one of these; a following 市 starts the next name (``市文化旅游广电局市卫健委``)
_GLUED = re.compile(r"(?:局|委|办|厅|部|室|政府|中心|海关|支行|管委会)(?=市)")
#: a blanket county assignment glued to the next name (``各县(市)区人民政府农业农村局``)
_BLANKET_PREFIX = re.compile(r"^(?:各|相关)县[(（][^()（）]*[)）]区?(?:人民政府|政府)?")


def _unglue(piece: str) -> list[str]:
    out = []
    m = _BLANKET_PREFIX.match(piece)
    if m and m.end() < len(piece):
        out.append(m.group(0))
        piece = piece[m.end():]
    start = 0
    for g in _GLUED.finditer(piece):
        out.append(piece[start:g.end()])
        start = g.end()
    out.append(piece[start:])
    return out


# --------------------------------------------------------------------------------------------
# the canonical list
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _table() -> tuple[tuple[re.Pattern[str], str, str, str], ...]:
    df = load_agencies()
    return tuple((re.compile(p), c, s, k) for p, c, s, k in
                 zip(df["pattern"], df["code"], df["successor_2018"], df["kind"]))


def load_agencies() -> pd.DataFrame:
    """The canonical agency list, ``qualitylib/data/agencies.csv``: one row per canonical code with
    ``pattern`` (regular expression on the name as written), ``code``, ``label_zh``, ``label_en``,
    ``successor_2018`` (a code of the same file), ``kind`` (agency | blanket) and ``note``.
    Raises ValueError for a duplicate code, an unknown successor or kind, or a bad pattern."""
    df = data_frame("agencies.csv", AGENCY_COLUMNS)
    problems = []
    if df["code"].duplicated().any():
        problems.append(f"duplicate codes {sorted(df.loc[df['code'].duplicated(), 'code'])}")
    unknown = sorted(set(df["successor_2018"]) - set(df["code"]))
    if unknown:
        problems.append(f"successor_2018 not a code: {unknown}")
    if not df["kind"].isin(["agency", "blanket"]).all():
        problems.append("kind must be agency or blanket")
    for p in df["pattern"]:
        try:
            re.compile(p)
        except re.error as exc:
            problems.append(f"bad pattern {p!r}: {exc}")
    if problems:
        raise ValueError("qualitylib/data/agencies.csv: " + "; ".join(problems))
    return df


def agency_labels(lang: str = "zh") -> dict[str, str]:
    """Canonical code -> label in ``lang`` ('zh' or 'en'); ``other`` included."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    df = load_agencies()
    out = dict(zip(df["code"], df[f"label_{lang}"]))
    out["other"] = "其他" if lang == "zh" else "Other"
    return out


@lru_cache(maxsize=65536)
def normalise(name: str) -> tuple[str, str, str]:
    """Input: one agency name as written (``市质监局``, ``各县(市)区人民政府``). Output: ``(code,
    successor_2018, kind)`` -- ``('quality_supervision', 'market_regulation', 'agency')``; a name
    no pattern matches gives ``('other', 'other', 'agency')``. Remembered per name: a few hundred
    names recur across thousands of notes."""
    for pattern, code, successor, kind in _table():
        if pattern.search(name):
            return code, successor, kind
    return "other", "other", "agency"


def reform_period(issued: object) -> str:
    """Input: a plan's issue date (ISO string, Timestamp; NaN allowed). Output: ``pre_reform`` before
    :data:`REFORM_DATE`, ``post_reform`` on or after it, ``unknown`` without a date."""
    if isinstance(issued, str):
        return _reform_period_text(issued)
    return _reform_period(issued)


@lru_cache(maxsize=4096)
def _reform_period_text(issued: str) -> str:
    # date parsing costs ~1 ms a call and the same few hundred issue dates recur for every task
    return _reform_period(issued)


def _reform_period(issued: object) -> str:
    ts = pd.to_datetime(issued, errors="coerce")
    if pd.isna(ts):
        return "unknown"
    return "pre_reform" if ts < pd.Timestamp(REFORM_DATE) else "post_reform"


# --------------------------------------------------------------------------------------------
# parsing one note
# --------------------------------------------------------------------------------------------
def _split_outside(text: str, seps: str) -> list[str]:
    """Split on any of ``seps`` outside (), （）, 〈〉 and 《》."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch in "(（〈《":
            depth += 1
        elif ch in ")）〉》":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def split_names(clause: str) -> list[str]:
    """Input: a clause of a note without its verb (``市发改委、市经信委等``). Output: the agency names
    in order (``['市发改委', '市经信委']``): split on 、 outside brackets and where a name ends and the
    next begins with 市 without a separator (``市文化旅游广电局市卫健委``); 等/等部门 dropped. A
    blanket prefix glued to a name (``各县(市)区人民政府市工信局``) is split off too."""
    names = []
    for piece in _split_outside(clause, "、/"):
        piece = _ETC.sub("", piece.strip()).strip()
        for part in _unglue(piece):
            part = _ETC.sub("", part.strip()).strip(" ,，;；:：")
            if part:
                names.append(part)
    return names


def _clause_verb(clause: str) -> str:
    """'lead', 'co', 'resp' (plain 负责) or '' (no verb) for one clause."""
    c = clause.strip()
    if _LEAD.search(c):
        return "lead"
    if _CO_VERB.search(c):
        return "co"
    if _RESP_VERB.search(c):
        return "resp"
    return ""


def parse_note(note: object) -> list[dict[str, object]]:
    """Input: one responsible-agency note (``市质监局牵头,市发改委、市经信委按职责分工负责``; NaN or ''
    allowed). Output: one dict per agency in order of mention, keys ``position`` (0-based),
    ``written`` (name as written), ``code``, ``successor``, ``role`` (lead | co | blanket).
    Rules in the module docstring."""
    if not isinstance(note, str) or not note.strip():
        return []
    return [dict(r) for r in _parse_note(note)]


@lru_cache(maxsize=16384)
def _parse_note(note: str) -> tuple[dict[str, object], ...]:
    # notes repeat across tasks (a few thousand distinct ones at 300 plans); callers get copies
    text = note.strip().strip("()（）。;；")
    clauses = [c.strip() for c in _split_outside(text, ",，;；") if c.strip()]
    verbs = [_clause_verb(c) for c in clauses]
    for i in range(len(verbs) - 2, -1, -1):  # a clause without a verb takes the next clause's
        if not verbs[i]:
            verbs[i] = verbs[i + 1]
    raw: list[tuple[str, str]] = []
    for clause, verb in zip(clauses, verbs):
        body = clause
        for _ in range(3):
            body = _ROLE_WORDS.sub("", body.strip()).strip()
            body = re.sub(r"牵头(?=等)", "", body)
        for name in split_names(body):
            raw.append((name, verb or "resp"))
    rows = []
    for pos, (name, verb) in enumerate(raw):
        code, successor, kind = normalise(name)
        rows.append({"position": pos, "written": name, "code": code, "successor": successor,
                     "role": "blanket" if kind == "blanket" else verb})
    named = [r for r in rows if r["role"] != "blanket"]
    has_lead = any(r["role"] == "lead" for r in named)
    sole = len(named) == 1 and "等" not in text
    for r in rows:
        if r["role"] == "resp":
            r["role"] = "lead" if (not has_lead and sole) else "co"
    return tuple(rows)


def recover_note(text: object) -> str:
    """A trailing note with one level of nested brackets that the text layer left in the sentence
    (``……。(市质监局等部门,各县(市、区)负责)``). Input: a sentence. Output: the note, or ''. The note
    vocabulary is the text layer's (:func:`qualitylib.text.agency_notes.strip_agency_notes`)."""
    if not isinstance(text, str):
        return ""
    _, note = split_agency(text)
    if note:
        return note
    body = text.rstrip().rstrip("。;；").rstrip()
    kept = strip_agency_notes(body)
    if len(kept) < len(body) and body.startswith(kept):
        rest = body[len(kept):].strip()
        if rest[:1] in "(（" and rest[-1:] in ")）":
            return rest[1:-1].strip()
    return ""


# --------------------------------------------------------------------------------------------
# tasks and agency rows
# --------------------------------------------------------------------------------------------
def task_table(sentences: pd.DataFrame) -> pd.DataFrame:
    """Group policy sentences into tasks.

    Input: policy sentences (``doc_id, city, sentence_id, text``; ``city_en``, ``section_path``,
    ``agencies`` used when present). A task is a run of consecutive sentences (by ``sentence_id``)
    of one document and section that carry the same note; a sentence without a note in
    ``agencies`` gets the trailing note :func:`recover_note` finds in its text, if any, and a
    sentence that is nothing but such a note passes it to the note-less sentences of its section
    just before it (as the text layer does for a 责任单位 line).

    Output: the sentences with ``note`` and ``task_id`` (``<doc_id>#<n>``) added, in document
    order."""
    require_frame(sentences, "sentences", ("doc_id", "city", "sentence_id", "text"))
    s = sentences.sort_values(["doc_id", "sentence_id"], kind="mergesort").reset_index(drop=True).copy()
    agencies = s["agencies"] if "agencies" in s.columns else pd.Series([""] * len(s))
    notes = [a.strip() if isinstance(a, str) and a.strip() else recover_note(t)
             for a, t in zip(agencies, s["text"])]
    paths = s["section_path"].fillna("").astype(str) if "section_path" in s.columns else pd.Series([""] * len(s))
    docs, path_list = s["doc_id"].tolist(), paths.tolist()
    for i, (note, text) in enumerate(zip(list(notes), s["text"])):
        # a sentence that is nothing but a note names the agencies of the note-less sentences before it
        if note and not strip_agency_notes(str(text)).strip("。;； "):
            j = i - 1
            while j >= 0 and not notes[j] and docs[j] == docs[i] and path_list[j] == path_list[i]:
                notes[j] = note
                j -= 1
    s["note"] = notes
    ids, n, prev = [], 0, None
    for doc, path, note in zip(s["doc_id"], paths, notes):
        key = (doc, path, note)
        if prev is None or key != prev:
            n = n + 1 if prev is not None and prev[0] == doc else 0
        ids.append(f"{doc}#{n}")
        prev = key
    s["task_id"] = ids
    return s


def agency_rows(tasks: pd.DataFrame, documents: pd.DataFrame | None = None, *,
                names: str = "by_date") -> pd.DataFrame:
    """One row per task x agency named in its note.

    Input: output of :func:`task_table`; ``documents`` (``doc_id, issued``) for the reform period;
    ``names`` one of :data:`NAME_MODES` (module docstring, point 3).

    Output: columns ``doc_id, city, city_en, task_id, position, written, code, successor, agency,
    role, period`` where ``agency`` is the code the analysis groups by: ``code`` (written),
    ``successor``, or by period (``code`` before the reform, ``successor`` after; ``code`` when the
    date is unknown)."""
    if names not in NAME_MODES:
        raise ValueError(f"names must be one of {list(NAME_MODES)}, got {names!r}")
    require_frame(tasks, "tasks", ("doc_id", "city", "task_id", "note"))
    issued = {}
    if documents is not None and not documents.empty and "issued" in documents.columns:
        issued = dict(zip(documents["doc_id"], documents["issued"]))
    first = tasks.drop_duplicates("task_id")
    rows = []
    periods: dict = {}
    for rec in first.itertuples(index=False):
        if rec.doc_id not in periods:
            periods[rec.doc_id] = reform_period(issued.get(rec.doc_id))
        period = periods[rec.doc_id]
        for r in _parse_note(rec.note) if isinstance(rec.note, str) and rec.note.strip() else ():
            if names == "written" or (names == "by_date" and period != "post_reform"):
                agency = r["code"]
            else:
                agency = r["successor"]
            rows.append((rec.doc_id, rec.city, getattr(rec, "city_en", pd.NA), rec.task_id, r["position"],
                         r["written"], r["code"], r["successor"], agency, r["role"], period))
    return pd.DataFrame(rows, columns=["doc_id", "city", "city_en", "task_id", "position", "written", "code",
                                       "successor", "agency", "role", "period"])


def lead_shares(tasks: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Per city: ``n_tasks``, ``n_with_note`` (tasks with any agency note), ``n_named`` (a named,
    non-blanket agency), ``n_lead`` (a named lead), ``n_blanket`` (a blanket assignment), and the
    shares ``share_note = n_with_note/n_tasks``, ``share_lead = n_lead/n_with_note``,
    ``share_lead_all = n_lead/n_tasks``, ``share_blanket = n_blanket/n_with_note``.
    Input: outputs of :func:`task_table` and :func:`agency_rows`."""
    t = tasks.drop_duplicates("task_id")[["city", "task_id", "note"]].copy()
    named = set(rows.loc[rows["role"] != "blanket", "task_id"])
    lead = set(rows.loc[rows["role"] == "lead", "task_id"])
    blanket = set(rows.loc[rows["role"] == "blanket", "task_id"])
    t["with_note"] = t["note"].astype(str).str.strip() != ""
    t["named"] = t["task_id"].isin(named)
    t["lead"] = t["task_id"].isin(lead)
    t["blanket"] = t["task_id"].isin(blanket)
    g = t.groupby("city", sort=True)
    out = pd.DataFrame({"n_tasks": g.size(), "n_with_note": g["with_note"].sum(), "n_named": g["named"].sum(),
                        "n_lead": g["lead"].sum(), "n_blanket": g["blanket"].sum()}).reset_index()
    with_note = out["n_with_note"].where(out["n_with_note"] > 0)
    out["share_note"] = out["n_with_note"] / out["n_tasks"]
    out["share_lead"] = out["n_lead"] / with_note
    out["share_lead_all"] = out["n_lead"] / out["n_tasks"]
    out["share_blanket"] = out["n_blanket"] / with_note
    if "city_en" in tasks.columns:
        out.insert(1, "city_en", out["city"].map(tasks.drop_duplicates("city").set_index("city")["city_en"]))
    return out


def agency_theme_counts(rows: pd.DataFrame, tasks: pd.DataFrame, coded: pd.DataFrame, *,
                        roles: tuple[str, ...] = ("lead",)) -> pd.DataFrame:
    """How many tasks each agency holds in each theme, per city.

    Input: :func:`agency_rows`, :func:`task_table` and the theme coding of the same sentences
    (:func:`qualitylib.analysis.themes.code_sentences`); a task is about a theme when any of its
    in-scope sentences hits it. ``roles``: which roles count (default: leads only).

    Output: long frame ``city, city_en, agency, theme, n_tasks`` (only non-zero cells; blanket rows
    never)."""
    require_frame(coded, "coded", ("doc_id", "sentence_id", "theme", "hit"))
    hits = coded[(coded["hit"] == 1) & (coded.get("in_scope", 1) == 1)][["doc_id", "sentence_id", "theme"]]
    task_of = tasks[["doc_id", "sentence_id", "task_id"]]
    task_themes = hits.merge(task_of, on=["doc_id", "sentence_id"])[["task_id", "theme"]].astype(str).drop_duplicates()
    r = rows[rows["role"].isin(roles) & (rows["role"] != "blanket")][["city", "task_id", "agency"]].drop_duplicates()
    m = r.merge(task_themes, on="task_id")
    cols = ["city", "city_en", "agency", "theme", "n_tasks"]
    if m.empty:
        return pd.DataFrame(columns=cols)
    out = m.groupby(["city", "agency", "theme"], sort=True).size().rename("n_tasks").reset_index()
    names = rows.drop_duplicates("city").set_index("city")["city_en"] if "city_en" in rows.columns else {}
    out["city_en"] = out["city"].map(names)
    return out[cols]


def agency_theme_graph(counts: pd.DataFrame, *, leads: pd.DataFrame | None = None, min_tasks: int = 1):
    """Bipartite agency-theme graph (networkx): nodes ``('agency', code)`` with ``bipartite=0`` and
    ``('theme', id)`` with ``bipartite=1``; an edge per agency x theme with ``weight`` = tasks
    (summed over cities), ``cities`` = how many cities and ``lead`` = how many of those tasks the
    agency leads (from ``leads``, another :func:`agency_theme_counts` frame; 0 without it). Edges
    lighter than ``min_tasks`` are dropped. Input: output of :func:`agency_theme_counts`."""
    import networkx as nx

    g = nx.Graph()
    if counts.empty:
        return g
    agg = counts.groupby(["agency", "theme"], sort=True).agg(weight=("n_tasks", "sum"), cities=("city", "nunique"))
    lead_n = (leads.groupby(["agency", "theme"])["n_tasks"].sum() if leads is not None and not leads.empty
              else pd.Series(dtype=float))
    for (agency, theme), rec in agg.iterrows():
        if rec["weight"] < min_tasks:
            continue
        g.add_node(("agency", agency), bipartite=0)
        g.add_node(("theme", theme), bipartite=1)
        g.add_edge(("agency", agency), ("theme", theme), weight=int(rec["weight"]), cities=int(rec["cities"]),
                   lead=int(lead_n.get((agency, theme), 0)))
    return g


def presence_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Agencies that lead tasks in one city and do not appear at all in another.

    Input: :func:`agency_rows` (blanket rows ignored). Output: one row per agency x city where the
    agency leads at least one task somewhere but is absent from that city: ``agency, leads_in``
    (cities, ``、``-joined, with the task counts), ``absent_in`` (the city), ``n_cities_leading``.
    Sorted by agency and city."""
    named = rows[rows["role"] != "blanket"]
    cities = sorted(rows["city"].unique())
    present = named.groupby("agency")["city"].agg(set)
    lead = named[named["role"] == "lead"].drop_duplicates(["task_id", "agency"])
    lead_n = lead.groupby(["agency", "city"]).size()
    out = []
    for agency in sorted(lead["agency"].unique()):
        leads = lead_n.loc[agency]
        text = "、".join(f"{c} ({int(n)})" for c, n in leads.items())
        for c in cities:
            if c not in present.get(agency, set()):
                out.append((agency, text, c, len(leads)))
    return pd.DataFrame(out, columns=["agency", "leads_in", "absent_in", "n_cities_leading"])
