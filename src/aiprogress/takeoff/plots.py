"""Figures of the takeoff Monte Carlo: fan chart, compression curve, sensitivity bars, model trajectories."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from aiprogress.takeoff.models import LOG2_10, Trajectories


def _axes(ax, size=(7, 4.5)):
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=size)
        return fig, ax
    return ax.figure, ax


def plot_fan_chart(result, ax=None, horizon_days: float | None = None, months: bool = True):
    """Fan chart of software OOMs vs time: median and 50% / 80% bands over draws."""
    fig, ax = _axes(ax)
    fan = result.fan_chart()
    horizon = horizon_days or 3 * result.sie_days
    scale = 365.25 / 12 if months else 1.0
    y = np.concatenate([[0.0], fan["ooms"].to_numpy()])

    def col(name):
        x = np.concatenate([[0.0], fan[name].to_numpy()])
        return np.minimum(x, horizon * 1.01) / scale

    ax.fill_betweenx(y, col("days_q10"), col("days_q90"), alpha=0.2, color="C0", label="10-90%")
    ax.fill_betweenx(y, col("days_q25"), col("days_q75"), alpha=0.35, color="C0", label="25-75%")
    ax.plot(col("days_q50"), y, color="C0", label="median")
    ax.axhline(result.sie_ooms, color="grey", ls=":", lw=0.9)
    ax.axvline(result.sie_days / scale, color="grey", ls=":", lw=0.9)
    ax.set_xlim(0, horizon / scale)
    ax.set_ylim(0, y[-1])
    ax.set_xlabel("months after automation" if months else "days after automation")
    ax.set_ylabel("software gain (OOMs)")
    ax.set_title(f"{result.config}: P(SIE) = {result.p_sie:.3f} ± {result.p_sie_se:.3f} ({result.draws} draws)")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(True, alpha=0.3)
    return fig


def plot_compression_curves(results: Mapping[str, object], ax=None):
    """P(>= X years of progress in <= Y months) against X, one line per result, with ±2 s.e. bands."""
    fig, ax = _axes(ax)
    y_months = None
    for k, (label, res) in enumerate(results.items()):
        curve = res.compression_curve()
        y_months = res.compression["curve"]["y_months"]
        x, p, se = curve["x_years"], curve["p"], curve["se"]
        ax.plot(x, p, marker="o", ms=3, color=f"C{k}", label=label)
        ax.fill_between(x, np.clip(p - 2 * se, 0, 1), np.clip(p + 2 * se, 0, 1), color=f"C{k}", alpha=0.2)
    ax.set_xlabel("X: years of progress (at the recent pace)")
    ax.set_ylabel(f"P(≥ X years in ≤ {y_months:g} months)")
    ax.set_ylim(0, 1)
    ax.set_title("Progress compression")
    ax.legend(fontsize=8)
    ax.grid(True, alpha=0.3)
    return fig


def plot_sensitivity(result, ax=None):
    """Bars of first-order and total Sobol indices, or of Shapley effects, with their errors."""
    f = result.indices.iloc[::-1]
    fig, ax = _axes(ax, (7, 0.4 * len(f) + 1.5))
    y = np.arange(len(f))
    if result.method == "shapley":
        ax.barh(y, f["Shapley"], height=0.6, xerr=2 * f["Shapley_se"], color="C2", label="Shapley effect (±2 s.e.)")
        ax.set_xlabel("share of variance")
    else:
        ax.barh(y + 0.2, f["ST"], height=0.4, xerr=f["ST_conf"], label="total (ST)", color="C1")
        ax.barh(y - 0.2, f["S1"], height=0.4, xerr=f["S1_conf"], label="first order (S1)", color="C0")
        ax.set_xlabel("Sobol index")
    ax.set_yticks(y, f["parameter"])
    ax.set_title(f"Sensitivity of '{result.output}' ({result.config})")
    ax.legend(fontsize=8)
    ax.grid(True, axis="x", alpha=0.3)
    return fig


def plot_model_trajectories(trajectories: Mapping[str, Trajectories], ax=None, horizon_years: float = 5.0):
    """Software OOMs vs years for the first draw of each trajectory batch (e.g. median parameters)."""
    fig, ax = _axes(ax)
    for k, (label, tr) in enumerate(trajectories.items()):
        t = tr.time_years[0]
        ok = np.isfinite(t) & (t <= horizon_years)
        ax.plot(t[ok], tr.log2_software[ok] / LOG2_10, color=f"C{k}", label=label)
    ax.set_xlim(0, horizon_years)
    ax.set_xlabel("years after automation (ASARA)")
    ax.set_ylabel("software gain (OOMs)")
    ax.set_title("Trajectories at the median parameters")
    ax.legend(fontsize=8)
    ax.grid(True, alpha=0.3)
    return fig
