"""Figures: log-log scaling scatter with fit, band and frontier; compute over time by era."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from aiprogress.reportkit.figures import fit_width  # noqa: E402
from aiprogress.scaling.fits import ScalingFit, regression_frame  # noqa: E402
from aiprogress.scaling.selection import BENCHMARKS, Sample  # noqa: E402
from aiprogress.scaling.trends import ComputeTrends  # noqa: E402
from aiprogress.stats import smapi as sm  # noqa: E402

ATTRIBUTION = "Data: Thompson et al. (2020), Computer-Progress; Epoch AI (CC BY 4.0)"
_ERA_COLORS = {"pre_dl": "#7f7f7f", "dl": "#1f77b4", "large_scale": "#d62728"}


def scaling_axes(ax: plt.Axes, sample: Sample, fit: ScalingFit, frontier: ScalingFit | None = None, *, extend_to: float | None = None) -> None:
    """Draw one benchmark: points by year, OLS polynomial fit with 95% band, 10% frontier."""
    f = sample.frame
    data = regression_frame(sample, "polynomial")
    x = data["x"].to_numpy(float)
    res = sm.OLS(data["y"].to_numpy(float), np.column_stack([np.ones_like(x), x])).fit()  # y ~ x (no formula parsing)
    x_hi = max(x.max(), extend_to) if extend_to is not None else x.max()
    xs = np.linspace(x.min() - 0.2, x_hi + 0.2, 200)
    pred = res.get_prediction(np.column_stack([np.ones_like(xs), xs])).summary_frame(alpha=0.05)
    cx = 10.0**xs
    sc = ax.scatter(f["compute"], f["error_rate"], c=f["year"], cmap="viridis", s=28, edgecolor="k", linewidth=0.3, zorder=3)
    ax.plot(cx, 10.0 ** pred["mean"], color="#d62728", lw=2, label=f"OLS: slope {fit.slope:.3f} (degree {fit.degree:.3g}), R² {fit.r2:.2f}")
    ax.fill_between(cx, 10.0 ** pred["mean_ci_lower"], 10.0 ** pred["mean_ci_upper"], color="#d62728", alpha=0.15, label="95% CI of the fit")
    if frontier is not None:
        ax.plot(cx, 10.0 ** (frontier.const + frontier.slope * xs), color="#2ca02c", lw=1.8, ls="--", label=f"10% quantile frontier: slope {frontier.slope:.3f}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    if xs[-1] - xs[0] >= 3.0:  # >= 3 decades: a tick per decade is enough, and minor ticks are most of the drawing cost
        ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
    unit = sample.compute_unit + (f" relative to {sample.rules.reference_model}" if sample.reference_value else "")
    label = {"hardware_burden": "Hardware burden", "per_pass": "Computation per network pass", "network_operations": "Network operations"}[sample.measure]
    ax.set_xlabel(f"{label} ({unit}, log scale)")
    ax.set_ylabel("Error rate (log scale)")
    ax.set_title(f"{BENCHMARKS.get(sample.benchmark, sample.benchmark)} (n={sample.n})")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:.0%}" if v >= 0.01 else f"{v:.1%}"))
    ax.yaxis.set_minor_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:.0%}" if v >= 0.01 and str(round(v * 100))[0] in "2356" else ""))
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")
    cb = plt.colorbar(sc, ax=ax, label="year", pad=0.01, format="%d")
    cb.ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))


def scaling_figure(panels: list[tuple[Sample, ScalingFit, ScalingFit | None]], *, ncols: int = 3) -> plt.Figure:
    """A grid of :func:`scaling_axes` panels."""
    n = len(panels)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=fit_width(6.0 * ncols, 4.6 * nrows), squeeze=False)
    for ax, (s, f, q) in zip(axes.flat, panels):
        scaling_axes(ax, s, f, q)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.text(0.99, 0.003, ATTRIBUTION, ha="right", va="bottom", fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    return fig


def scaling_panel_figure(sample: Sample, fit: ScalingFit, frontier: ScalingFit | None = None) -> plt.Figure:
    """One benchmark as its own figure (the report shows one figure per panel so text stays legible)."""
    fig, ax = plt.subplots(figsize=(5.4, 4.1))
    scaling_axes(ax, sample, fit, frontier)
    fig.text(0.99, 0.003, ATTRIBUTION, ha="right", va="bottom", fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def trends_figure(trends: ComputeTrends) -> plt.Figure:
    """Training compute of (notable) models over time with one trend line per era and the frontier."""
    pts = trends.points
    fig, ax = plt.subplots(figsize=fit_width(10, 5.8))
    for era, color in _ERA_COLORS.items():
        g = pts[pts["era"] == era]
        ax.scatter(g["t"], g["train_flop"], s=12, color=color, alpha=0.45 if era != "large_scale" else 0.8, label=f"{era.replace('_', '-')} models (n={len(g)})" + (" (not large-scale)" if era == "dl" else ""), zorder=2)
    for e in trends.eras:
        xs = np.linspace(e.start, e.end, 50)
        ax.plot(xs, 10.0 ** (e.intercept + e.slope_log10_per_year * xs), color=_ERA_COLORS[e.label], lw=2.5,
                label=f"{e.label.replace('_', '-')} trend: doubling {e.doubling_months:.1f} mo [{e.doubling_months_ci_low:.1f}, {e.doubling_months_ci_high:.1f}]", zorder=3)
    for fr in trends.frontier:
        xs = np.linspace(fr.start, fr.end, 50)
        ax.plot(xs, 10.0 ** (fr.intercept + fr.slope_log10_per_year * xs), color="k", lw=1.5, ls="--",
                label=f"frontier ({fr.label}): doubling {fr.doubling_months:.1f} mo", zorder=3)
    ax.set_yscale("log")
    ax.set_xlabel("Publication date")
    ax.set_ylabel("Training compute (FLOP, log scale)")
    ax.set_title("Training compute of " + ("notable " if trends.settings.get("notable_only") else "") + "AI models (Epoch AI)")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.text(0.99, 0.003, "Data: Epoch AI, AI Models database (CC BY 4.0)", ha="right", va="bottom", fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    return fig


def extrapolation_figure(table: pd.DataFrame, forms: list[str] | None = None) -> plt.Figure:
    """Figure-4 style chart: log10 GFLOP needed per benchmark and target, reproduced (with CI) vs published.

    The values are already log10, so the axis is linear in log10 GFLOP (one unit = one order of magnitude).
    """
    forms = forms or list(dict.fromkeys(table["form"]))
    fig, axes = plt.subplots(1, len(forms), figsize=fit_width(7.0 * len(forms), 5.6), squeeze=False)
    for ax, form in zip(axes.flat, forms):
        g = table[table["form"] == form].reset_index(drop=True)
        ypos = np.arange(len(g))[::-1]
        lo = np.clip(g["log10_gflop_low"].replace(-np.inf, np.nan), 0, None)
        hi = g["log10_gflop_high"].replace(np.inf, np.nan)
        ax.hlines(ypos, lo, hi, color="#1f77b4", lw=3, alpha=0.35, label="95% interval (reproduced)")
        ax.scatter(g["log10_gflop"], ypos, color="#1f77b4", zorder=3, label="reproduced")
        ax.scatter(g["published_log10_gflop"], ypos, marker="x", color="#d62728", s=50, zorder=4, label="published (Figure 4)")
        ax.set_yticks(ypos)
        ax.set_yticklabels([f"{BENCHMARKS.get(b, b)} {lab} ({e:.3g})" for b, lab, e in zip(g["benchmark"], g["label"], g["error_rate"])], fontsize=8)
        ax.set_xlabel("compute required: log10 GFLOP of hardware burden (orders of magnitude)")
        finite_hi = np.nanmax(np.r_[g["log10_gflop"], g["published_log10_gflop"]])
        ax.set_xlim(0, 1.25 * finite_hi)  # intervals reaching further are cut at the edge (see the table)
        ax.set_title(f"{form} model" + (" (1/error linear in log10 compute)" if form == "exponential" else " (log error linear in log compute)"), fontsize=10)
        ax.grid(True, axis="x", alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
