"""Figures: the Fig. 3 analogue (correlations with 95% intervals; precision = 1/MSE) and score distributions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

ORDER = ["network", "network unit", "lasso", "h_index", "prior_citations", "prior_pubs"]


def fig3_figure(table: pd.DataFrame, corpus: str = "") -> Any:
    """2 x 2 panels: rows = all / junior test papers; columns = correlation (95% CI) and precision (95% CI)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from aiprogress.reportkit.figures import fit_width

    subsets = [s for s in ("all", "junior") if s in set(table["subset"])]
    outcomes = list(dict.fromkeys(table["outcome"]))
    preds = [p for p in ORDER if p in set(table["predictor"])]
    fig, axes = plt.subplots(len(subsets), 2, figsize=fit_width(11, 3.6 * len(subsets)), squeeze=False)
    width = 0.8 / max(len(preds), 1)
    x = np.arange(len(outcomes))
    for r, subset in enumerate(subsets):
        sub = table[table["subset"] == subset]
        for c, (val, lo, hi, label) in enumerate([("r", "r_lo", "r_hi", "correlation with outcome"),
                                                    ("precision", "precision_lo", "precision_hi", "precision = 1 / MSE")]):
            ax = axes[r][c]
            for j, p in enumerate(preds):
                rows = sub[sub["predictor"] == p].set_index("outcome").reindex(outcomes)
                v = rows[val].to_numpy(dtype=float)
                err = np.vstack([v - rows[lo].to_numpy(dtype=float), rows[hi].to_numpy(dtype=float) - v])
                ax.bar(x + (j - (len(preds) - 1) / 2) * width, v, width, yerr=np.nan_to_num(err), capsize=2, label=p)
            ax.set_xticks(x, outcomes)
            ax.set_ylabel(label)
            ax.set_title(f"{corpus} test set: {subset} papers" if subset == "all" else f"{corpus} test set: junior teams (<= 2 prior papers)")
    axes[0][0].legend(fontsize=8, ncol=2)
    fig.tight_layout()
    return fig


def score_figure(scores: pd.DataFrame) -> Any:
    """Learned human-capital unit against the number of the team's earlier Epoch entries."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = scores.dropna(subset=["hc_unit"])
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.scatter(np.log1p(s["prior_models"]), s["hc_unit"], s=8, alpha=0.5)
    ax.set_xlabel("log(1 + earlier Epoch entries of the team)")
    ax.set_ylabel("learned human-capital unit")
    ax.set_title("Epoch models: learned human capital")
    fig.tight_layout()
    return fig
