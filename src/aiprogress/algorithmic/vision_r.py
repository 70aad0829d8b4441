"""r on real data (ImageNet efficiency vs Epoch vision research), compared with the published estimates.

Moved here from ``aiprogress.takeoff.estimate``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from aiprogress.algorithmic.published import published_r
from aiprogress.algorithmic.returns import REstimate, estimate_r
from aiprogress.algorithmic.series import imagenet_software_series, scaling_software_series, vision_research_series
from aiprogress.errors import ParameterError

__all__ = ["CATALOG_RUNS", "VISION_DOMAIN", "compare_with_published", "estimate_r_from_catalog", "explain_difference", "plot_r_fit"]

CATALOG_RUNS = ("imagenet",)
VISION_DOMAIN = "image recognition"  # the label of the published r this run is compared with (published_r.csv)


def estimate_r_from_catalog(
    name: str = "imagenet",
    *,
    measure: str = "models",
    start_year: int | None = None,
    r0: float | str = "auto",
    data_dir: str | Path | None = None,
    catalog: str | Path | None = None,
    benchmark_results: pd.DataFrame | None = None,
    models: pd.DataFrame | None = None,
    software_source: str = "fe",
    **kwargs: Any,
) -> REstimate:
    """r on real data: ImageNet compute efficiency at fixed error vs cumulative vision research.

    S(t) comes from :func:`imagenet_software_series` (``software_source="fe"``, year
    fixed effects: keeps the year-to-year variation the regression needs) or from
    the scaling capability's ``algorithmic_progress`` (``"scaling"``, a fitted
    log-linear trend; a cross-check only, see the note it adds). Research input is
    the number of notable vision models (``measure="models"``) or their authors
    (``"authors"``) per year in the Epoch models table, cumulated from
    ``start_year`` (default: the first year in the table). With R0 ``auto`` the
    pre-``start_year`` stock is inferred from the input's growth rate.
    """
    if name not in CATALOG_RUNS:
        raise ParameterError("from_catalog", f"unknown series {name!r}", expected=" | ".join(CATALOG_RUNS))
    if benchmark_results is None or models is None:
        from aiprogress.data import load_table  # the data capability's loader

        if benchmark_results is None:
            benchmark_results = load_table("benchmark_results", catalog=catalog, data_dir=data_dir)
        if models is None:
            models = load_table("models", catalog=catalog, data_dir=data_dir)
    notes = []
    if software_source == "scaling":
        soft, s_method = scaling_software_series(benchmark_results, name)
        notes.append(
            f"S(t): {s_method}. A fitted trend makes log S exactly linear in time, so the regression residuals only "
            "reflect the curvature of log R and the intervals understate the uncertainty; use it as a cross-check."
        )
    elif software_source == "fe":
        ss = imagenet_software_series(benchmark_results)
        soft = ss.series[["year", "software_efficiency"]]
        s_method = ss.method
        notes.append(
            f"S(t): {ss.method}; {ss.n_models} models, {len(ss.series)} years "
            f"({int(ss.series['year'].min())}–{int(ss.series['year'].max())}); compute halves every "
            f"{ss.halving_time_years:.2f} years at fixed error (trend of the year effects)."
        )
    else:
        raise ParameterError("software_source", f"got {software_source!r}", expected="fe | scaling")
    research = vision_research_series(models, measure=measure)
    if start_year is not None:
        research = research[research["year"] >= start_year]
    merged = research.merge(soft, on="year", how="left")
    merged = merged[merged["year"] <= soft["year"].max()]
    notes.append(
        f"R(t): cumulative number of {'notable vision models' if measure == 'models' else 'authors of notable vision models'} "
        f"per year in the Epoch models table, cumulated from {int(merged['year'].min())}."
    )
    source = (
        f"S: ImageNet ({s_method}; data: Thompson et al. 2020, computerprogress.com). "
        f"R: Epoch AI 'AI Models' database (CC BY 4.0), measure={measure}."
    )
    return estimate_r(
        merged["year"].to_numpy(float),
        merged["software_efficiency"].to_numpy(float),
        merged["research_input"].to_numpy(float),
        r0=r0,
        source=source,
        notes=notes,
        **kwargs,
    )


def compare_with_published(est: REstimate, domain: str = VISION_DOMAIN, others: dict[str, REstimate] | None = None) -> pd.DataFrame:
    """Published r next to this estimate (both intervals) and any ``others`` (label -> estimate), with the difference."""
    pub = published_r()
    pub = pub[(pub["quantity"] == "r") & (pub["domain"] == domain)]
    rows = [
        {
            "estimate": f"published ({domain})",
            "r": float(row["estimate"]),
            "low": float(row["low"]),
            "high": float(row["high"]),
            "interval": row["interval"],
            "source": row["source"].split(",")[0],
        }
        for _, row in pub.iterrows()
    ]
    lvl = f"{est.level:.0%}"
    rows.append({"estimate": f"this data ({est.cov_type})", "r": est.r, "low": est.r_ci_low, "high": est.r_ci_high, "interval": lvl, "source": "aiprogress"})
    if est.n_boot > 0:
        rows.append({"estimate": "this data (block bootstrap)", "r": est.r, "low": est.boot_ci_low, "high": est.boot_ci_high, "interval": lvl, "source": "aiprogress"})
    for label, other in (others or {}).items():
        rows.append({"estimate": label, "r": other.r, "low": other.r_ci_low, "high": other.r_ci_high, "interval": f"{other.level:.0%}", "source": "aiprogress"})
    frame = pd.DataFrame(rows)
    if len(pub):
        frame["difference_vs_published"] = frame["r"] - float(pub["estimate"].iloc[0])
    return frame


def plot_r_fit(est: REstimate, title: str | None = None) -> "Any":
    """Figure: log S against log R with the fitted line (slope r) and the published-r slope for reference."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = est.data
    fig, ax = plt.subplots(figsize=(6.0, 4.2))
    x = d["log_cumulative_research"].to_numpy() / math.log(2)
    y = d["log_software"].to_numpy() / math.log(2)
    y = y - y[0]
    ax.scatter(x, y, color="C0", zorder=3, label="data")
    for xi, yi, ti in zip(x, y, d["time"]):
        ax.annotate(f"{ti:g}", (xi, yi), textcoords="offset points", xytext=(4, -10), fontsize=7, color="0.3")
    xs = np.linspace(x.min(), x.max(), 50)
    fit_line = (est.intercept + est.r * xs * math.log(2)) / math.log(2) - d["log_software"].iloc[0] / math.log(2)
    ax.plot(xs, fit_line, color="C1", label=f"fit: r = {est.r:.2f} [{est.r_ci_low:.2f}, {est.r_ci_high:.2f}]")
    pub = published_r()
    pub_r = pub[(pub["quantity"] == "r") & (pub["domain"] == VISION_DOMAIN)]
    if len(pub_r):
        rp = float(pub_r["estimate"].iloc[0])
        xm, ym = x.mean(), float(np.mean(fit_line))
        ax.plot(xs, ym + rp * (xs - xm), color="0.5", ls="--", label=f"published slope r = {rp:g}")
    ax.set_xlabel("log2 cumulative research R")
    ax.set_ylabel("log2 software efficiency S (relative to first point)")
    ax.set_title(title or "Returns to software: doublings of S per doubling of R", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def explain_difference(est: REstimate, domain: str = VISION_DOMAIN) -> list[str]:
    """Plain sentences on how this estimate compares with the published r and why they may differ."""
    pub = published_r()
    pub = pub[(pub["quantity"] == "r") & (pub["domain"] == domain)]
    d = est.data
    span = float(d["time"].max() - d["time"].min())
    lines: list[str] = []
    if len(pub):
        p, plo, phi = (float(pub[c].iloc[0]) for c in ("estimate", "low", "high"))
        def verdict(lo: float, hi: float, name: str) -> str:
            if lo <= p <= hi:
                return f"the published value lies inside our {name} interval"
            if lo <= phi and plo <= hi:
                return f"our {name} interval excludes the published point but overlaps its range"
            return f"our {name} interval and the published range do not overlap"

        parts = [verdict(est.r_ci_low, est.r_ci_high, est.cov_type)]
        if est.n_boot > 0:
            parts.append(verdict(est.boot_ci_low, est.boot_ci_high, "bootstrap"))
        lines.append(
            f"Estimated r = {est.r:.2f} ({est.level:.0%} {est.cov_type} interval {est.r_ci_low:.2f} to {est.r_ci_high:.2f}; "
            f"bootstrap {est.boot_ci_low:.2f} to {est.boot_ci_high:.2f}) vs published {p:g} ({plo:g} to {phi:g}): "
            + "; ".join(parts) + "."
        )
    if span > 0:
        g_s = (d["log_software"].iloc[-1] - d["log_software"].iloc[0]) / span
        g_r = (d["log_cumulative_research"].iloc[-1] - d["log_cumulative_research"].iloc[0]) / span
        lines.append(
            f"Over {d['time'].min():g}–{d['time'].max():g} software efficiency grew {g_s:.2f} log-points per year "
            f"and cumulative research {g_r:.2f} log-points per year; r is essentially their ratio ({g_s / g_r:.2f} end to end), "
            f"estimated from only {est.n_obs} periods, so its interval is wide and the HAC interval is optimistic in samples this small."
        )
    if len(est.sensitivity) > 1:
        lines.append(
            f"The pre-sample research stock matters: R0 from {est.sensitivity['r0'].min():.3g} to {est.sensitivity['r0'].max():.3g} "
            f"moves r from {est.sensitivity['r'].min():.2f} to {est.sensitivity['r'].max():.2f} (a larger R0 makes R grow more slowly, so r rises)."
        )
    why = (
        "Why they differ: the published figure rests on a different software-efficiency series and a different measure of "
        "research effort over a different period (see its source). Here S is the compute per forward pass needed for a fixed "
        "ImageNet error, which leaves out training-efficiency gains, and R counts notable vision models in Epoch's database, "
        "a selective list whose growth is slower than the growth usually reported for the field's papers and researchers; a slowly growing R pushes r up."
    )
    if span > 0 and len(pub) and g_s > 0:
        why += (
            f" Since r ≈ g_S/g_R, the published {p:g} would need cumulative research to grow about {g_s / p:.2f} log-points "
            f"per year over this period instead of the {g_r:.2f} measured here."
        )
    lines.append(why)
    return lines
