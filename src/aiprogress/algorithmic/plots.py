"""Figures: halving times with intervals next to the published value; forest plot of the r meta-analysis."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["plot_efficiency", "plot_halving", "plot_meta"]


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_halving(result: Any, max_rows: int = 12, cap_months: float = 60.0):
    """Horizontal intervals (delta method, bootstrap) of the headline and variants; the published value and its 95% CI shaded."""
    plt = _plt()
    ests = [result.headline, *result.variants][:max_rows]
    fig, ax = plt.subplots(figsize=(7.0, 0.42 * len(ests) + 1.5))
    ax.axvspan(result.published_low, result.published_high, color="0.85", label=f"published 95% CI ({result.published_low:g}–{result.published_high:g})")
    ax.axvline(result.published_months, color="0.4", ls="--", lw=1, label=f"published {result.published_months:g} months")
    for k, e in enumerate(ests):
        y = len(ests) - 1 - k
        clip = lambda v: cap_months if not math.isfinite(v) or v > cap_months else v  # noqa: E731
        ax.plot([clip(e.delta_low), clip(e.delta_high)], [y + 0.12] * 2, color="C0", lw=2, label="delta method" if k == 0 else None)
        if math.isfinite(e.boot_low):
            ax.plot([clip(e.boot_low), clip(e.boot_high)], [y - 0.12] * 2, color="C1", lw=2, label="bootstrap" if k == 0 else None)
        if math.isfinite(e.halving_months) and e.halving_months <= cap_months:
            ax.plot([e.halving_months], [y], "ko", ms=4)
    ax.set_yticks(range(len(ests)), [f"{e.label} ({e.form}, n={e.n_obs})" for e in reversed(ests)], fontsize=7)
    ax.set_xlim(0, cap_months)
    ax.set_xlabel(f"months for the compute needed at fixed performance to halve (axis cut at {cap_months:g})")
    ax.set_title(f"{result.domain}: compute halving time, ours ({result.headline.level:.0%} intervals) vs published", fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    return fig


def plot_meta(meta: Any):
    """Forest plot on a log axis: each included study's r with its 90% interval, the pooled r and the prediction interval."""
    plt = _plt()
    st = meta.studies[meta.studies["included"]].reset_index(drop=True)
    z = 1.6448536269514722
    k = len(st)
    fig, ax = plt.subplots(figsize=(6.5, 0.36 * (k + 3) + 1.0))
    for i, row in st.iterrows():
        y = k + 1 - i
        lo, hi = math.exp(row["log_r"] - z * row["se_log_r"]), math.exp(row["log_r"] + z * row["se_log_r"])
        color = "C0" if row["origin"] == "published" else "C3"
        ax.plot([lo, hi], [y, y], color=color, lw=2)
        ax.plot([row["r"]], [y], "s", color=color, ms=4 + 10 * float(row.get("weight_re", 0.1) or 0.1))
    ax.plot([meta.pooled_low, meta.pooled_high], [0.6, 0.6], color="k", lw=4, label=f"pooled r = {meta.pooled_r:.2f}")
    ax.plot([meta.prediction_low, meta.prediction_high], [0, 0], color="0.5", lw=2, label="prediction, new domain")
    ax.axvline(1.0, color="0.6", ls=":", lw=1)
    ax.set_xscale("log")
    from matplotlib.ticker import FixedLocator, NullLocator, ScalarFormatter

    ax.xaxis.set_major_locator(FixedLocator([0.25, 0.5, 1, 2, 4, 8, 16]))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.set_yticks([0, 0.6] + [k + 1 - i for i in range(k)], ["prediction", "pooled"] + list(st["study"]), fontsize=7)
    ax.set_xlabel("returns to software r (log axis); blue: published, red: ours")
    ax.set_title(f"Random-effects meta-analysis of log r (τ² = {meta.tau2:.2f}, I² = {meta.i2:.0%})", fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    return fig


def plot_efficiency(series: dict):
    """log10 compute-equivalent efficiency by year per domain, with ±1 se bars."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.0, 3.8))
    for i, (domain, f) in enumerate(series.items()):
        ax.errorbar(f["year"], f["log10_software"], yerr=f["se"], fmt="o-", color=f"C{i}", capsize=2, label=domain)
    ax.set_xlabel("year")
    ax.set_ylabel("log10 software efficiency (OOM of compute saved)")
    ax.set_title("Compute-equivalent efficiency from the year effects", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


