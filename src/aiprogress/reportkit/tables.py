"""HTML tables for the report: numbers formatted by kind, text left-aligned, status badges, footnotes.

:func:`table_html` renders a DataFrame without pandas' ``to_html`` so that each
cell gets the class it needs:

- numbers right-aligned; a float that is a whole number prints as an integer
  (counts never show as "96.000"); ``decimals`` fixes a column's precision
  (coefficients to the paper's precision); infinities print as ∞;
- text left-aligned; text longer than ``max_cell`` characters, and every value
  of a ``footnote`` column (``reason``, ``why``, ``note`` by default), becomes a
  numbered footnote under the table, identical texts sharing a number;
- a ``status`` column (values of :data:`aiprogress.replication.STATUSES`) prints
  as a coloured badge with its word (never colour alone); ``status_of`` decorates
  a value column with the status held in another (hidden) column, which is how a
  wide table shows "ours" and its status in one cell;
- two-level (MultiIndex) columns print as a grouped header, as papers print
  wide tables;
- every table gets an id (``anchor``, or one the assembler assigns) and a
  permalink, and sits in a ``.tblwrap`` that scrolls inside its card instead of
  being cut.
"""

from __future__ import annotations

import html
import math
import uuid
from typing import Any, Iterable

import pandas as pd

STATUS_MARK = {"reproduced": "✓", "close": "≈", "differs": "✗", "not reproducible": "∅"}
FOOTNOTE_COLUMNS = ("reason", "reasons", "why", "note", "notes", "why_they_differ")


def auto_anchor(kind: str) -> str:
    """A placeholder id the assembler renames to ``<section>-<kind>-<k>`` (see :mod:`aiprogress.report.builder`)."""
    return f"auto-{kind}-{uuid.uuid4().hex[:10]}"


def status_badge(status: str) -> str:
    s = str(status)
    cls = s.replace(" ", "-")
    return (f'<span class="badge st-{html.escape(cls)}"><span class="mark">{STATUS_MARK.get(s, "")}</span>'
            f'<span class="word"> {html.escape(s)}</span></span>')


def format_number(v: Any, decimals: int | None = None, float_format: str = "{:.4g}") -> str:
    """One number as the report prints it (whole floats as integers, ∞ for infinities, '' for NaN)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:d}".replace("-", "−")
    f = float(v)
    if math.isnan(f):
        return ""
    if math.isinf(f):
        return "∞" if f > 0 else "−∞"
    if decimals is not None:
        text = f"{f:.{decimals}f}"
    elif f.is_integer() and abs(f) < 1e15:
        text = f"{int(f):d}"
    else:
        text = float_format.format(f)
    return text.replace("-", "−") if text.startswith("-") or "e-" in text else text


def _plain(v: Any) -> Any:
    """numpy scalars as Python scalars."""
    return v.item() if hasattr(v, "item") and hasattr(v, "dtype") and getattr(v, "ndim", 1) == 0 else v


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _col_key(col: Any) -> str:
    return col[-1] if isinstance(col, tuple) else str(col)


def _header(cols: list[Any], index_names: list[str], text_cols: set[Any] | None = None) -> str:
    if cols and all(isinstance(c, tuple) and len(c) == 2 for c in cols):
        top, bottom = [], []
        for name in index_names:
            top.append(f'<th rowspan="2" class="txt">{html.escape(name)}</th>')
        k = 0
        while k < len(cols):
            group = cols[k][0]
            span = 1
            while k + span < len(cols) and cols[k + span][0] == group:
                span += 1
            if group == "" or group is None:
                for j in range(span):
                    top.append(f'<th rowspan="2" class="txt">{html.escape(str(cols[k + j][1]))}</th>')
            else:
                top.append(f'<th colspan="{span}" class="grp">{html.escape(str(group))}</th>')
                bottom.extend(f"<th>{html.escape(str(cols[k + j][1]))}</th>" for j in range(span))
            k += span
        return f"<thead><tr>{''.join(top)}</tr><tr>{''.join(bottom)}</tr></thead>"
    cells = [f'<th class="txt">{html.escape(n)}</th>' for n in index_names]
    text_cols = text_cols or set()
    cells += [f'<th class="txt">{html.escape(str(c))}</th>' if c in text_cols else f"<th>{html.escape(str(c))}</th>" for c in cols]
    return f"<thead><tr>{''.join(cells)}</tr></thead>"


def table_html(
    frame: pd.DataFrame,
    caption: str = "",
    float_format: str = "{:.4g}",
    index: bool = False,
    *,
    anchor: str | None = None,
    decimals: int | dict[Any, int] | None = None,
    status_of: dict[Any, Any] | None = None,
    footnote: Iterable[Any] | None = None,
    max_cell: int = 90,
) -> str:
    """Render ``frame`` as a report table (see the module docstring for the formatting rules)."""
    frame = frame.reset_index() if index else frame
    status_of = dict(status_of or {})
    hidden = set(status_of.values())
    foot_cols = set(FOOTNOTE_COLUMNS if footnote is None else footnote)
    cols = [c for c in frame.columns if c not in hidden]
    notes: dict[str, int] = {}
    sid = anchor or auto_anchor("tbl")

    def dec(col: Any) -> int | None:
        if isinstance(decimals, dict):
            for k in (col, _col_key(col), col[0] if isinstance(col, tuple) else None):
                if k in decimals:
                    return decimals[k]
            return None
        return decimals

    def note_ref(text: str) -> str:
        k = notes.setdefault(text, len(notes) + 1)
        return f'<a class="fn" href="#{sid}-fn{k}" title="{html.escape(text)}">[{k}]</a>'

    body = []
    for _, rec in frame.iterrows():
        cells = []
        for col in cols:
            v = _plain(rec[col])
            key = _col_key(col)
            if key == "status" and isinstance(v, str) and v in STATUS_MARK:
                cells.append(f'<td class="st">{status_badge(v)}</td>')
                continue
            if _is_number(v):
                text = html.escape(format_number(v, dec(col), float_format))
                if col in status_of and isinstance(rec[status_of[col]], str) and rec[status_of[col]] in STATUS_MARK:
                    text += "<br/>" + status_badge(rec[status_of[col]])
                cells.append(f'<td class="num">{text}</td>')
                continue
            if isinstance(v, (list, tuple)) and key in foot_cols:  # several reasons: one shared footnote each
                cells.append(f'<td class="txt refs">{" ".join(note_ref(str(t)) for t in v if t)}</td>')
                continue
            if isinstance(v, bool):
                v = "yes" if v else "no"
            s = "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
            if s and (key in foot_cols or len(s) > max_cell):
                cells.append(f'<td class="txt">{note_ref(s)}</td>')
            else:
                cls = "txt short" if len(s) <= 24 else "txt"
                cells.append(f'<td class="{cls}">{html.escape(s)}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    text_cols = {c for c in cols if not any(_is_number(_plain(v)) for v in frame[c])}
    head = _header(cols, [], text_cols)
    table = f'<table class="tbl">{head}<tbody>{"".join(body)}</tbody></table>'
    link = f'<a class="permalink" href="#{sid}" title="link to this table">¶</a>'
    if status_of:
        caption = (caption + " " if caption else "") + "Status marks: " + ", ".join(f"{m} {w}" for w, m in STATUS_MARK.items()) + "."
    cap = f"<p class='caption'>{html.escape(caption)} {link}</p>" if caption else f"<p class='caption'>{link}</p>"
    fns = ""
    if notes:
        fns = "<ol class='footnotes'>" + "".join(
            f'<li id="{sid}-fn{k}" value="{k}">{html.escape(t)}</li>' for t, k in notes.items()) + "</ol>"
    return f'<div class="tblwrap" id="{sid}"><div class="tblscroll">{table}</div>{cap}{fns}</div>'


def wide_comparison(
    long: pd.DataFrame,
    ids: list[str],
    stat: str,
    stats: list[str] | None = None,
    *,
    published: str = "published",
    ours: str = "ours",
    status: str = "status",
    reason: str | None = "reason",
    labels: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, dict[Any, Any]]:
    """Long published-vs-ours rows -> a wide table as papers print it: one row per ``ids``, for each statistic a
    "published" and an "ours" column (the status travels with "ours" as a badge), the reasons as footnotes in "why".

    Returns ``(frame, status_of)``; pass both to :func:`table_html` (``status_of=...``).
    """
    labels = labels or {}
    stats = stats or list(dict.fromkeys(long[stat]))
    rows = []
    for key, g in long.groupby(ids, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        rec: dict[Any, Any] = {("", c): v for c, v in zip(ids, key)}
        why = []
        for s in stats:
            hit = g[g[stat] == s]
            lab = labels.get(s, s)
            if hit.empty:
                rec[(lab, "published")] = rec[(lab, "ours")] = math.nan
                rec[(lab, "_status")] = ""
                continue
            h = hit.iloc[0]
            rec[(lab, "published")] = h[published]
            rec[(lab, "ours")] = h[ours]
            rec[(lab, "_status")] = h[status]
            if reason and isinstance(h.get(reason), str) and h[reason]:
                why.append(f"{lab}: {h[reason]}")
        if reason:
            rec[("", "why")] = tuple(why)  # one footnote per distinct reason, shared across rows
        rows.append(rec)
    frame = pd.DataFrame(rows)
    frame.columns = pd.MultiIndex.from_tuples(frame.columns)
    frame = frame[[c for c in frame.columns if c[0] == "" and c[1] != "why"] + [c for c in frame.columns if c[0] != ""]
                  + ([("", "why")] if reason else [])]
    status_of = {(labels.get(s, s), "ours"): (labels.get(s, s), "_status") for s in stats}
    return frame, status_of
