"""Report section: training-compute accounting (hardware-time method vs reported compute)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from aiprogress.compute.estimate import DEFAULT_UTILIZATION, FORWARD_BACKWARD_FACTOR
from aiprogress.compute.hardware import MATCH_THRESHOLD, MIXED_PRECISION_FROM, HardwareIndex
from aiprogress.compute.tables import estimate_benchmark_results
from aiprogress.compute.validation import validate_models, validation_figure
from aiprogress.reportkit import ReportContext, plotly_html, register_section, table_html


def _method_note() -> str:
    return (
        "<p><b>Method.</b> Two estimates of a run's training compute. <i>Operation counting</i>: "
        f"{FORWARD_BACKWARD_FACTOR:g} &times; forward-pass FLOP &times; examples &times; epochs (a backward pass "
        "costs about two forward passes; one multiply-add counts as 2 FLOP). <i>Hardware time</i>: chips &times; "
        f"peak FLOP/s &times; seconds &times; utilization, with the run's recorded utilization when it has one, "
        f"else {DEFAULT_UTILIZATION:g}. The peak comes from the hardware table after name matching (exact, then "
        f"normalised names, then fuzzy at score &ge; {MATCH_THRESHOLD:g} with identical model numbers). Precision "
        f"rule: TPUs use their bf16 matrix rate; other chips with tensor cores use the tensor FP16/BF16 rate for runs "
        f"published from {MIXED_PRECISION_FROM.year}; everything else uses FP32. Several chip types in one record are "
        "assumed to share the chip count equally. When both methods apply they are combined by the geometric mean.</p>"
        "<p>Caveat: many of Epoch's reported figures were themselves derived from hardware time, so agreement on "
        "those rows checks the bookkeeping (chip peaks, precision, utilization) rather than the method.</p>"
    )


def _validation_plotly(rows: pd.DataFrame):
    """The validation scatter with the model, chip and ratio on hover."""
    import plotly.graph_objects as go

    rep, est = rows["train_flop_reported"].astype(float), rows["train_flop_hardware"].astype(float)
    lo = 10 ** np.floor(np.log10(min(rep.min(), est.min()))) if len(rows) else 1e15
    hi = 10 ** np.ceil(np.log10(max(rep.max(), est.max()))) if len(rows) else 1e27
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[lo, hi, hi, lo], y=[lo / 2, hi / 2, hi * 2, lo * 2], fill="toself", mode="none",
                             fillcolor="rgba(0,0,0,0.12)", name="within 2x", hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", line=dict(color="#555", width=1), name="1:1", hoverinfo="skip"))
    for prec, grp in rows.groupby(rows["precision"].fillna("?").astype(str)):
        fig.add_trace(go.Scatter(
            x=grp["train_flop_reported"], y=grp["train_flop_hardware"], mode="markers", name=f"{prec} (n={len(grp)})",
            marker=dict(size=7, opacity=0.8),
            customdata=np.c_[grp["hardware"].astype(str), grp["chips"].astype(str), (10 ** grp["log10_ratio"]).round(3)],
            text=grp["model"].astype(str),
            hovertemplate="%{text}<br>%{customdata[0]} × %{customdata[1]}<br>reported %{x:.3g} FLOP<br>"
                          "estimate %{y:.3g} FLOP (ratio %{customdata[2]})<extra></extra>"))
    fig.update_layout(title="Hardware-time estimates vs reported training compute", xaxis_type="log", yaxis_type="log",
                      xaxis_title="reported training compute (FLOP)", yaxis_title="hardware-time estimate (FLOP)")
    return fig


@register_section("compute", "Training-compute accounting", order=20)
def build(ctx: ReportContext) -> str:
    models = ctx.table("models")
    hardware = ctx.table("hardware")
    index = HardwareIndex(hardware)
    result = validate_models(models, index)
    parts = [_method_note()]
    shown = result.rows[result.rows["log10_ratio"].notna()]
    parts.append(plotly_html(
        _validation_plotly(shown),
        caption=("Hardware-time estimate vs training compute reported by Epoch AI, log axes; grey band: within 2x. "
                 "Data: Epoch AI, AI Models and Machine Learning Hardware (CC BY 4.0)."),
        static_fig=validation_figure(result), n=len(shown),
    ))
    parts.append(table_html(result.figures(), caption="Validation of the hardware-time method on Epoch models with "
                            "hardware, chip count, training hours and reported compute."))
    worst = result.worst[["model", "hardware", "chips", "utilization", "precision", "train_flop_hardware",
                          "train_flop_reported", "log10_ratio", "reason"]]
    parts.append(table_html(worst, caption="The ten largest disagreements and the likely reasons."))
    by_prec = (
        result.rows.dropna(subset=["log10_ratio"])
        .groupby(result.rows["precision"].fillna("?"))["log10_ratio"]
        .agg(n="size", median_log10_ratio="median",
             share_within_2x=lambda s: float((s.abs() <= np.log10(2)).mean()))
        .reset_index()
    )
    parts.append(table_html(by_prec, caption="Agreement by the precision the rule chose."))
    try:
        bench = estimate_benchmark_results(ctx.table("benchmark_results"), index)
    except Exception as exc:  # the benchmark summary is secondary; keep the section
        parts.append(f"<p>Benchmark estimates unavailable: {html.escape(str(exc))}</p>")
    else:
        counts = (
            bench.assign(benchmark=ctx.table("benchmark_results")["benchmark"].to_numpy())
            .groupby("benchmark")["method"]
            .value_counts()
            .unstack(fill_value=0)
            .reset_index()
        )
        counts.columns.name = None
        parts.append(table_html(pd.DataFrame(counts), caption=(
            "Thompson et al. benchmark rows by the method that could estimate their training compute "
            "(hardware time uses the per-device GFLOPS the source recorded when present). "
            "Data: Thompson, Greenewald, Lee, Manso (computerprogress.com).")))
        both = bench.dropna(subset=["methods_log10_spread"])
        if len(both):
            parts.append(
                f"<p>On the {len(both)} benchmark rows where both methods apply, they differ by a median factor of "
                f"{10 ** both['methods_log10_spread'].median():.3g} (hardware time often covers architecture "
                "search or several runs that the per-model operation count omits).</p>"
            )
    return "\n".join(parts)
