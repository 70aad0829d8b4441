"""Report section: the idea production function (replication tables and Figures 4-7)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from aiprogress.ideas.replicate import ANCHOR, PAPER, PUBLISHED_DECIMALS, ROW_REASON, scorecard_rows
from aiprogress.replication import ReplicationRow, classify
from aiprogress.reportkit import ReportContext, figure_html, register_section, table_html
from aiprogress.reportkit.tables import wide_comparison

REPORT_N_BOOT = 2_000


def shipped_estimate(ctx: ReportContext):
    """Sample and estimate on the shipped tables, computed once per report (the growth section reuses them)."""
    if "ideas:estimate" not in ctx.cache:
        from aiprogress.ideas.estimate import estimate
        from aiprogress.ideas.sample import prepare_sample

        sample = prepare_sample(ctx.table("benchmark_results"), models=ctx.table("models"), hardware=ctx.table("hardware"))
        ctx.cache["ideas:sample"] = sample
        ctx.cache["ideas:estimate"] = estimate(sample, n_boot=REPORT_N_BOOT, seed=ctx.seed)
    return ctx.cache["ideas:sample"], ctx.cache["ideas:estimate"]


REPORT_REPLICATION_BOOT = 1_000
_LABELS = {"beta": "β", "gamma": "γ", "trend": "trend", "f": "f", "n": "n", "loglik": "log L"}


def shipped_replication(ctx: ReportContext):
    """Published vs ours on the shipped sample, computed once per report (section and scorecard share it)."""
    from aiprogress.ideas.replicate import replicate

    sample, _ = shipped_estimate(ctx)
    return ctx.cached("ideas:replicate", lambda: replicate(sample, n_boot=REPORT_REPLICATION_BOOT, seed=ctx.seed))


TABLE6_ANCHOR = "ideas-table6"


def window_table(ctx: ReportContext) -> pd.DataFrame:
    """Table 6 (window lengths 6, 12, 18 months): published β and γ beside ours, with the status rule (cached)."""
    def compute() -> pd.DataFrame:
        from aiprogress.ideas.published import published_estimates
        from aiprogress.ideas.robustness import window_robustness

        sample, _ = shipped_estimate(ctx)
        wr = window_robustness(sample, windows=(6, 12, 18), n_boot=0, translog=False, seed=ctx.seed).to_frame()
        pub = published_estimates()
        pub = pub[pub["table"] == "Table 6"].set_index(["model", "window_months"])
        rows = []
        for r in wr.itertuples(index=False):
            key = (r.model, int(r.window_months))
            for par in ("beta", "gamma"):
                pv = float(pub.loc[key, par]) if key in pub.index else float("nan")
                ov, se = float(getattr(r, par)), float(getattr(r, par + "_se"))
                status = classify(pv, ov, low=ov - 1.96 * se, high=ov + 1.96 * se, decimals=PUBLISHED_DECIMALS[par]) \
                    if np.isfinite(pv) else "not reproducible"
                rows.append({"model": r.model, "window (months)": int(r.window_months), "estimator": r.estimator, "parameter": par,
                             "published": pv, "ours": ov, "ours_se": se, "n": int(r.n), "status": status,
                             "reason": "" if status == "reproduced" else ROW_REASON[par]})
        return pd.DataFrame(rows)

    return ctx.cached("ideas:table6", compute)


def scorecard(ctx: ReportContext):
    """Scorecard rows: Tables 4-5 (β, γ, trend, f, n, log likelihood) and Table 6 (β, γ by window) published vs ours."""
    def fin(v: float) -> float | None:
        return float(v) if np.isfinite(v) else None

    t6 = [ReplicationRow("ideas", PAPER, "Table 6", f"{r.model} ({r['window (months)']}-month windows): {r.parameter}",
                         fin(r.published), fin(r.ours), r.status, fin(r.ours - 1.96 * r.ours_se), fin(r.ours + 1.96 * r.ours_se),
                         r.reason, TABLE6_ANCHOR)
          for _, r in window_table(ctx).iterrows()]
    return scorecard_rows(shipped_replication(ctx)) + t6


@register_section("ideas", "Idea production function", order=40, cost=4)
def build(ctx: ReportContext) -> str:
    from aiprogress.ideas.plots import capital_share_figure, sigma_figure, subsample_figure
    from aiprogress.ideas.robustness import subsample

    sample, est = shipped_estimate(ctx)
    parts = [
        "<p>We estimate log g̃ = φ<sub>t</sub> + γ log S + β log C + α·X + u on the ImageNet and MS COCO rows of the "
        "benchmark tables (Besiroglu et al. §4–6): g̃ is the logit gain over a touchstone baseline, C the training compute "
        "(geometric mean of operation counting and hardware time where both exist), S a human-capital proxy "
        f"(<code>{html.escape(sample.human_capital_source)}</code>), with window fixed effects per benchmark. "
        f"Usable rows: {sample.nobs} of {sample.coverage.get('rows_in')}.</p>"
    ]
    for note in sample.notes:
        parts.append(f"<p class='note'>{html.escape(note)}</p>")
    rep = shipped_replication(ctx)
    comp = rep.comparison
    ids = [c for c in ("model", "human_capital", "window_months") if c == "model" or comp[c].nunique() > 1]
    fixed = "; ".join(f"{c.replace('_', ' ')} {comp[c].iloc[0]}" for c in ("human_capital", "window_months") if c not in ids)
    wide, status_of = wide_comparison(comp, ids, "parameter", ["beta", "gamma", "trend", "f", "n", "loglik"], labels=_LABELS)
    wide = wide.rename(columns={"human_capital": "human capital", "window_months": "window (months)"})
    parts.append("<h3>Published vs ours: Tables 4–5</h3>")
    parts.append(table_html(wide, caption="Published Tables 4–5 (Besiroglu et al. 2023) beside ours on the shipped data"
                                          + (f" ({fixed})" if fixed else "") + ", each 'ours' with its "
                                          "status under the report's rule (coefficients: published inside ours ± 1.96 SE required).",
                            decimals={"β": 3, "γ": 3, "trend": 3, "f": 2, "log L": 1}, status_of=status_of, anchor=ANCHOR))
    parts.append("<p>Why they differ:</p><ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in rep.reasons) + "</ul>")
    parts.append("<h3>Our estimates</h3>")
    parts.append(table_html(est.table(), caption="Models A1, B1, C1 (12-month windows): estimate, stars, (SE); f with its 90% bias-corrected bootstrap interval."))
    if est.lr_test is not None:
        t = est.lr_test
        parts.append(f"<p>LR test pooled vs separate: LR = {t.lr:.2f}, df = {t.df}, p = {t.pvalue:.4f} ({html.escape(t.decision)}).</p>")
    from aiprogress.ideas.published import published_estimates

    parts.append(figure_html(capital_share_figure(list(rep.ours), published_estimates(main_only=True)), caption="Figure 4 analogue: implied capital shares (90% bias-corrected bootstrap intervals) with the published point estimates.", n=sample.nobs))
    parts.append("<h3>Robustness</h3>")
    t6, status6 = wide_comparison(window_table(ctx), ["model", "window (months)", "estimator", "n"], "parameter", ["beta", "gamma"],
                                  labels=_LABELS)
    parts.append(table_html(t6, caption="Table 6: window lengths 6, 12, 18 months, published beside ours (status: published inside ours ± 1.96 SE).",
                            decimals={"β": 3, "γ": 3}, status_of=status6, anchor=TABLE6_ANCHOR))
    sub = subsample(sample, max_draws=20_000, seed=ctx.seed)
    parts.append(figure_html(subsample_figure(sub), caption="Figure 6 analogue: β, γ and f after dropping 5% of the rows (random subsets).", n=sample.nobs))
    parts.append(figure_html(sigma_figure(est), caption="Figure 7 analogue: bootstrap densities of σ from the translog model.", n=sample.nobs))
    parts.append("<h3 id='ideas-human-capital'>Human-capital measures</h3>")
    parts.append(_human_capital_part(ctx))
    parts.append("<p class='caption'>Data: Thompson et al. benchmark files; Epoch AI models database (CC BY 4.0).</p>")
    return "\n".join(parts)


def _human_capital_part(ctx: ReportContext) -> str:
    """β, γ and f under the learned score (aiprogress.humancapital) and the proxies."""
    from aiprogress.ideas.hc_compare import compare_measures, ideas_runner

    try:
        comp = compare_measures(ideas_runner(ctx.table, seed=ctx.seed))
    except Exception as exc:  # the section still builds when the benchmark tables are missing
        return f"<p class='note'>Comparison of human-capital measures not available: {html.escape(str(exc))}</p>"
    return table_html(comp, caption="β, γ and the capital share f = β/(β+γ) (90% bootstrap interval) under each human-capital measure: "
                      "learned (the humancapital network trained on the Epoch models' author histories, S = exp(unit)), the Epoch "
                      "citation proxy, and the paper-rows fallback; coverage = share of the rows the measure scores.", float_format="{:.3f}")
