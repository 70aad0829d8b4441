"""Report section: learned human capital (Fig. 3 analogue on AAN, Epoch scores, effect on β, γ, f) and its scorecard."""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

from aiprogress.replication import ReplicationRow, row
from aiprogress.reportkit import ReportContext, figure_html, register_section, table_html

PAPER = "Besiroglu et al. 2023"
REPORT_CORPUS = "aan"
PAPER_MAX_MSE_RATIO = 0.60  # "prediction errors ... at least 40% lower for each outcome compared to Lasso"
PAPER_MIN_R2 = 0.55  # "our estimates predict more than 55% of the variation in these measures"


def validation(ctx: ReportContext) -> Any:
    """The AAN validation, computed (or loaded from the saved network) once per report."""
    key = f"humancapital:validation:{REPORT_CORPUS}"
    if key not in ctx.cache:
        from aiprogress.humancapital.model import TrainConfig
        from aiprogress.humancapital.pipeline import evaluate_corpus

        ctx.cache[key] = evaluate_corpus(REPORT_CORPUS, TrainConfig(seed=ctx.seed), data_dir=ctx.data_dir, catalog=ctx.catalog)
    return ctx.cache[key]


def explain_ratio(val: Any) -> str:
    """Why the network/Lasso MSE ratio differs from the paper's, with the evidence from this validation."""
    ratios, t = val.mse_vs_lasso, val.table
    allr = ratios[ratios["subset"] == "all"]
    lo, hi = float(allr["ratio"].min()), float(allr["ratio"].max())
    r = t[t["subset"] == "all"].pivot_table(index="outcome", columns="predictor", values="r")
    zeros = next((n for n in val.notes if n.startswith("test papers with no")), "")
    parts = [f"Network MSE / Lasso MSE on the {val.corpus} test set: {lo:.2f}–{hi:.2f} across outcomes (paper: at most 0.60)."]
    if "venue_rank" in r.index:
        parts.append(f"One unit has to serve every outcome: for venue rank the unit alone reaches r = {r.loc['venue_rank', 'network unit']:.2f} "
                     f"against {r.loc['venue_rank', 'lasso']:.2f} for the per-outcome Lasso, so citations and venue quality pull the unit "
                     "towards different combinations of the inputs.")
    parts.append(f"The corpus is small ({val.n_train} training papers against the paper's 49k publications and pre-training steps), "
                 "and the inputs are team aggregates already on a log scale, on which a linear model captures most of what "
                 "the data can predict.")
    if zeros:
        parts.append(f"In-corpus citations are sparse ({zeros.split(': ', 1)[1]} of test papers get none), so much of each outcome is "
                     "noise that no predictor explains; this pushes every MSE ratio towards 1.")
    return " ".join(parts)


def ratio_rows(val: Any) -> list[ReplicationRow]:
    out = []
    for _, r in val.mse_vs_lasso[val.mse_vs_lasso["subset"] == "all"].iterrows():
        ours = float(r["ratio"])
        q = f"MSE network / Lasso, {r['outcome']} ({val.corpus})"
        if math.isfinite(ours) and ours <= PAPER_MAX_MSE_RATIO:
            out.append(ReplicationRow("humancapital", PAPER, "§5 / Fig. 3b", q, PAPER_MAX_MSE_RATIO, ours, "reproduced",
                                      reason="the paper states a bound (ratio <= 0.60); ours meets it", anchor="humancapital"))
        else:
            out.append(row("humancapital", PAPER, "§5 / Fig. 3b", q, PAPER_MAX_MSE_RATIO, ours, anchor="humancapital",
                           reason="bound not met on AAN: smaller corpus, in-corpus citations, a strong Lasso on log features (see the section)"))
    return out


def r2_rows(val: Any) -> list[ReplicationRow]:
    t = val.table[(val.table["subset"] == "all") & (val.table["predictor"] == "network")]
    r2 = float((t["r"] ** 2).min()) if len(t) else float("nan")
    q = f"min over outcomes of network r² ({val.corpus})"
    if math.isfinite(r2) and r2 >= PAPER_MIN_R2:
        return [ReplicationRow("humancapital", PAPER, "§5 / Fig. 3a", q, PAPER_MIN_R2, r2, "reproduced", reason="bound met", anchor="humancapital")]
    return [row("humancapital", PAPER, "§5 / Fig. 3a", q, PAPER_MIN_R2, r2, anchor="humancapital",
                reason="in-corpus AAN citations are sparse and noisy; the paper's arXiv-wide outcomes are smoother")]


def scorecard(ctx: ReportContext) -> list[ReplicationRow]:
    val = validation(ctx)
    return ratio_rows(val) + r2_rows(val)


def _fig3_wide(table: pd.DataFrame, value: str) -> pd.DataFrame:
    wide = table.pivot_table(index=["subset", "outcome"], columns="predictor", values=value, sort=False).reset_index()
    wide.columns.name = None
    return wide


@register_section("humancapital", "Learned human capital", order=45, cost=7)
def build(ctx: ReportContext) -> str:
    from aiprogress.humancapital.plots import fig3_figure

    val = validation(ctx)
    parts = [
        "<p>A network compresses 40 features of a paper's team at publication time (prior papers, prior citations without "
        "self-citations, h-index, years active, venue history; max, mean and sum over the authors; share of junior authors) "
        "into one unit, which, together with the date, feeds separate linear heads for each outcome: citations within 1, 2 and "
        "5 years (log 1 + in-corpus count) and a venue-quality percentile computed from earlier years only (Besiroglu et al. §5). "
        f"Trained on ACL Anthology Network papers ({val.n_train} train, {val.n_val} validation for early stopping); every number "
        f"below is on {val.n_test} held-out test papers ({val.n_test_junior} with junior teams, no author with more than 2 prior "
        f"papers). Training took {val.train_seconds:.0f} s (best epoch {val.best_epoch}).</p>",
        table_html(_fig3_wide(val.table, "r"), caption="Fig. 3a analogue: out-of-sample correlation with each outcome (95% Fisher intervals in the JSON output).", float_format="{:.3f}"),
        table_html(_fig3_wide(val.table, "precision"), caption="Fig. 3b analogue: precision = 1/MSE on the test set.", float_format="{:.2f}"),
        figure_html(fig3_figure(val.table, "AAN"), caption="Correlations and precision with 95% intervals, all test papers and junior teams. Data: ACL Anthology Network (Radev et al.)."),
        table_html(val.mse_vs_lasso, caption="Network MSE relative to Lasso (paper: at least 40% lower for every outcome, ratio ≤ 0.60).", float_format="{:.3f}"),
        f"<p>{html.escape(explain_ratio(val))}</p>",
    ]
    parts.append("<p>How β, γ and f move when the idea production function uses the learned score instead of the proxies is shown in the idea production function section (<a href='#ideas-human-capital'>human-capital measures</a>).</p>")
    parts.append("<p class='caption'>Data: ACL Anthology Network (Radev et al., research use); Epoch AI models database (CC BY 4.0); "
                 "Thompson et al. benchmark files.</p>")
    return "\n".join(parts)
