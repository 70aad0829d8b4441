"""The replication scorecard: every published number the report checks, in one table.

The rows come from the ``scorecard`` functions each capability registers in
:mod:`aiprogress.capabilities` (``f(ctx) -> list[ReplicationRow]``), classified
by the one rule of :mod:`aiprogress.replication`. The report shows them first;
``aiprogress report scorecard --json`` prints the same rows.
"""

from __future__ import annotations

import html
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from aiprogress.replication import RULE_TEXT, STATUSES, ReplicationRow
from aiprogress.reportkit import ReportContext, format_number, status_badge
from aiprogress.results import Result, format_table

SCORECARD_ANCHOR = "scorecard"


@dataclass(frozen=True)
class Scorecard(Result):
    rows: tuple[ReplicationRow, ...]
    failed: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(r.status == s for r in self.rows) for s in STATUSES}

    def to_frame(self) -> pd.DataFrame:
        cols = ["capability", "paper", "table", "quantity", "published", "ours", "difference", "low", "high", "status", "reason", "anchor"]
        return pd.DataFrame([r.to_dict() for r in self.rows], columns=cols)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": RULE_TEXT, "counts": self.counts, "total": len(self.rows), "failed": dict(self.failed),
                "sources": list(self.sources), "rows": [r.to_dict() for r in self.rows]}

    def summary(self) -> str:
        frame = self.to_frame()[["capability", "paper", "table", "quantity", "published", "ours", "status"]]
        counts = ", ".join(f"{s} {k}" for s, k in self.counts.items())
        text = format_table(frame, title=f"Replication scorecard: {len(self.rows)} published numbers ({counts})", floatfmt="{:.4g}")
        for key, err in self.failed.items():
            text += f"\nscorecard of '{key}' failed: {err}"
        return text + "\n\nRule: " + RULE_TEXT


def score_one(ctx: ReportContext, func: Callable[[ReportContext], list[ReplicationRow]]) -> tuple[list[ReplicationRow], str | None]:
    """Run one scorecard function: ``(rows, None)``, or ``([], error)`` when it raises or returns something else."""
    try:
        got = list(func(ctx))
    except Exception as exc:  # one broken capability must not hide the others' rows
        return [], "".join(traceback.format_exception_only(type(exc), exc)).strip()
    bad = [r for r in got if not isinstance(r, ReplicationRow)]
    if bad:
        return [], f"scorecard returned {type(bad[0]).__name__}, expected ReplicationRow"
    return got, None


def chosen_functions(capabilities: list[str] | None = None,
                     functions: list[tuple[str, Callable[[ReportContext], list[ReplicationRow]]]] | None = None,
                     ) -> list[tuple[int, str, Callable[[ReportContext], list[ReplicationRow]]]]:
    """``(index in scorecard_functions(), capability key, function)`` of the scorecard functions to run."""
    if functions is None:
        from aiprogress.capabilities import scorecard_functions

        functions = scorecard_functions()
    return [(i, key, func) for i, (key, func) in enumerate(functions) if capabilities is None or key in capabilities]


def assemble(outcomes: list[tuple[str, Callable[..., Any], list[ReplicationRow], str | None]]) -> Scorecard:
    """The scorecard of ``(capability key, function, rows, error)`` outcomes, in the order given."""
    rows: list[ReplicationRow] = []
    failed: dict[str, str] = {}
    for key, _, got, err in outcomes:
        if err is not None:
            failed[key] = err
        else:
            rows.extend(got)
    return Scorecard(rows=tuple(rows), failed=failed, sources=tuple(f"{f.__module__}:{f.__name__}" for _, f, _, _ in outcomes))


def collect(ctx: ReportContext, capabilities: list[str] | None = None,
            functions: list[tuple[str, Callable[[ReportContext], list[ReplicationRow]]]] | None = None) -> Scorecard:
    """Run the registered scorecard functions (of ``capabilities`` only, if given); a failing one is reported, not fatal."""
    return assemble([(key, func, *score_one(ctx, func)) for _, key, func in chosen_functions(capabilities, functions)])


def _diff(r: ReplicationRow) -> str:
    d = r.difference
    if d is None:
        return ""
    if abs(d) <= 1e-9 * max(1.0, abs(r.published or 0.0)):  # floating-point noise, e.g. 32 vs 31.999999999999986
        d = 0.0
    if r.published not in (None, 0) and abs(r.published) >= 1e-9:
        rel = d / abs(r.published)
        return f"{format_number(d)} ({rel:+.0%})".replace("-", "−")
    return format_number(d)


def _num(v: float | None) -> str:
    return "—" if v is None else html.escape(format_number(v))


def scorecard_html(card: Scorecard) -> str:
    """The scorecard section body: the rule, counts per status, one row per published number."""
    counts = card.counts
    chips = " ".join(f'<a class="count" href="#{SCORECARD_ANCHOR}-table">{status_badge(s)} <b>{k}</b></a>' for s, k in counts.items())
    papers = sorted({r.paper for r in card.rows})
    parts = [
        f"<p>Every published number this report checks, compared with ours: {len(card.rows)} numbers from "
        f"{len(papers)} {'paper' if len(papers) == 1 else 'papers'} ({html.escape('; '.join(papers))}). {chips}</p>",
        f"<p class='note'><b>Status rule.</b> {html.escape(RULE_TEXT)} The detail tables below each carry the same status, "
        "with the published value beside ours; a footnote says why a number differs.</p>",
    ]
    for key, err in card.failed.items():
        parts.append(f"<div class='failure'><b>The scorecard of '{html.escape(key)}' could not be built.</b><pre>{html.escape(err)}</pre></div>")
    notes: dict[str, int] = {}
    body = []
    paper = None
    for r in card.rows:
        if r.paper != paper:  # one heading row per paper instead of a repeated column
            paper = r.paper
            mine = [x for x in card.rows if x.paper == paper]
            tally = ", ".join(f"{k} {s}" for s, k in ((s, sum(x.status == s for x in mine)) for s in STATUSES) if k)
            body.append(f'<tr class="paper"><th colspan="7" class="txt">{html.escape(paper)} '
                        f'<span class="tally">({len(mine)} numbers: {html.escape(tally)})</span></th></tr>')
        interval = f" [{format_number(r.low)}, {format_number(r.high)}]" if r.low is not None and r.high is not None else ""
        reason = ""
        if r.reason:
            k = notes.setdefault(r.reason, len(notes) + 1)
            reason = f' <a class="fn" href="#{SCORECARD_ANCHOR}-fn{k}" title="{html.escape(r.reason)}">[{k}]</a>'
        link = f'<a href="#{html.escape(r.anchor)}">details</a>' if r.anchor else ""
        body.append(
            f'<tr class="row-{r.status.replace(" ", "-")}"><td class="txt">{html.escape(r.table)}</td>'
            f'<td class="txt">{html.escape(r.quantity)}</td><td class="num">{_num(r.published)}</td>'
            f'<td class="num">{_num(r.ours)}<span class="ci">{html.escape(interval)}</span></td><td class="num">{html.escape(_diff(r))}</td>'
            f'<td class="st">{status_badge(r.status)}{reason}</td><td class="txt">{link}</td></tr>'
        )
    head = ("<thead><tr><th class='txt'>table / figure</th><th class='txt'>quantity</th><th>published</th>"
            "<th>ours [95% interval]</th><th>difference</th><th class='txt'>status</th><th class='txt'>detail</th></tr></thead>")
    fns = ""
    if notes:
        fns = "<ol class='footnotes'>" + "".join(f'<li id="{SCORECARD_ANCHOR}-fn{k}" value="{k}">{html.escape(t)}</li>' for t, k in notes.items()) + "</ol>"
    parts.append(
        f'<div class="tblwrap" id="{SCORECARD_ANCHOR}-table"><div class="tblscroll"><table class="tbl scorecard">{head}<tbody>{"".join(body)}'
        f'</tbody></table></div><p class="caption">Replication scorecard: published vs ours, one row per number '
        f'(difference = ours − published, relative to |published|). <a class="permalink" href="#{SCORECARD_ANCHOR}-table">¶</a></p>{fns}</div>'
    )
    return "\n".join(parts)
