"""Validation of the hardware-time method against Epoch's reported training compute.

:func:`validate_models` estimates training compute for every model with hardware,
chip count and training hours recorded (:func:`aiprogress.compute.tables.estimate_models`)
and compares it with the reported figure: how many names match the hardware table,
the median |log10 ratio|, the shares within 2x and 10x, and the worst rows with
their likely reasons. :func:`validation_figure` plots estimate against report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from aiprogress.compute.estimate import DEFAULT_UTILIZATION
from aiprogress.compute.hardware import MATCH_THRESHOLD, HardwareIndex, normalize_precision
from aiprogress.compute.tables import MODEL_INPUTS, _num, _plain, _positive, _require, estimate_models
from aiprogress.results import Result, format_table


@dataclass(frozen=True)
class ValidationResult(Result):
    """Hardware-time estimates vs Epoch's reported training compute."""

    n_considered: int
    n_matched: int
    share_matched: float
    n_estimated: int
    median_abs_log10_ratio: float
    share_within_2x: float
    share_within_10x: float
    median_log10_ratio: float
    default_utilization: float
    precision: str
    unmatched_names: tuple[str, ...]
    worst: pd.DataFrame
    rows: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d.pop("rows")
        return d

    def to_frame(self) -> pd.DataFrame:
        return self.rows

    def figures(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "figure": ["models considered", "hardware names matched", "models estimated",
                           "median |log10(estimate / reported)|", "median log10(estimate / reported)",
                           "share within 2x", "share within 10x"],
                "value": [self.n_considered, f"{self.n_matched} ({self.share_matched:.1%})", self.n_estimated,
                          f"{self.median_abs_log10_ratio:.3f}", f"{self.median_log10_ratio:+.3f}",
                          f"{self.share_within_2x:.1%}", f"{self.share_within_10x:.1%}"],
            }
        )

    def summary(self) -> str:
        w = self.worst[["model", "hardware", "log10_ratio", "reason"]].copy()
        w["reason"] = w["reason"].str.slice(0, 90)
        return "\n\n".join([
            format_table(self.figures(), title="Hardware-time method vs reported training compute (Epoch)"),
            format_table(w, title="Worst ten (|log10 ratio|)", floatfmt="{:+.2f}"),
        ])


def _worst_reason(r: pd.Series) -> str:
    ratio = r["log10_ratio"]
    parts = [f"estimate {10 ** abs(ratio):.3g}x {'above' if ratio > 0 else 'below'} reported"]
    if r["utilization_source"] == "default":
        parts.append(f"utilization defaulted to {DEFAULT_UTILIZATION:g}")
    if ratio < -1:
        parts.append("recorded hours/chips may cover only part of training (e.g. fine-tuning stage), "
                     "or reported compute includes a base model")
    elif ratio > 1:
        parts.append("chips/hours may include work beyond the final run, or the reported figure excludes it")
    if isinstance(r["hardware"], str) and "," in r["hardware"]:
        parts.append("several chip types listed (equal split assumed)")
    if r["match_kind"] in ("fuzzy", "base"):
        parts.append(f"hardware matched by {r['match_kind']} rule to {r['matched_hardware']}")
    parts.append(f"precision {r['precision']}")
    return "; ".join(parts)


def validate_models(
    models: pd.DataFrame,
    hardware: pd.DataFrame | HardwareIndex,
    *,
    utilization: float | None = None,
    precision: str | None = "auto",
    threshold: float = MATCH_THRESHOLD,
    worst: int = 10,
    progress: Callable[[int], None] | None = None,
) -> ValidationResult:
    """Run the hardware-time method on every model with hardware, chip count, hours and reported compute."""
    _require(models, ["hardware", "hardware_quantity", "train_hours", "train_flop"], "models")
    models = _plain(models, MODEL_INPUTS)
    sel = (
        models["hardware"].notna()
        & _positive(_num(models, "hardware_quantity"))
        & _positive(_num(models, "train_hours"))
        & _positive(_num(models, "train_flop"))
    )
    considered = models[sel.to_numpy()]
    est = estimate_models(considered, hardware, utilization=utilization, precision=precision,
                          threshold=threshold, operations=False, progress=progress)
    est["log10_ratio"] = np.log10(est["train_flop_hardware"] / est["train_flop_reported"])
    n = len(est)
    matched = est["matched_hardware"].notna()
    done = est["log10_ratio"].notna()
    lr = est.loc[done, "log10_ratio"]
    unmatched = sorted(set(est.loc[~matched, "hardware"].astype(str)))
    ranked = est[done].assign(abs_lr=lr.abs()).sort_values("abs_lr", ascending=False).head(worst)
    ranked = ranked.assign(reason=[_worst_reason(r) for _, r in ranked.iterrows()])
    worst_cols = ["model", "hardware", "matched_hardware", "chips", "seconds", "utilization", "precision",
                  "train_flop_hardware", "train_flop_reported", "log10_ratio", "reason", "source_file", "source_line"]
    return ValidationResult(
        n_considered=n,
        n_matched=int(matched.sum()),
        share_matched=float(matched.mean()) if n else float("nan"),
        n_estimated=int(done.sum()),
        median_abs_log10_ratio=float(lr.abs().median()) if len(lr) else float("nan"),
        share_within_2x=float((lr.abs() <= np.log10(2)).mean()) if len(lr) else float("nan"),
        share_within_10x=float((lr.abs() <= 1).mean()) if len(lr) else float("nan"),
        median_log10_ratio=float(lr.median()) if len(lr) else float("nan"),
        default_utilization=DEFAULT_UTILIZATION if utilization is None else float(utilization),
        precision=normalize_precision(precision),
        unmatched_names=tuple(unmatched),
        worst=ranked[worst_cols].reset_index(drop=True),
        rows=est,
    )


def validation_figure(result: ValidationResult):
    """Estimated vs reported training compute on log axes, 1:1 line and 2x band, coloured by precision."""
    import matplotlib.pyplot as plt

    rows = result.rows[result.rows["log10_ratio"].notna()]
    fig, ax = plt.subplots(figsize=(6.4, 5.6))
    rep, est = rows["train_flop_reported"].to_numpy(float), rows["train_flop_hardware"].to_numpy(float)
    if len(rows):
        lo = 10 ** np.floor(np.log10(min(rep.min(), est.min())))
        hi = 10 ** np.ceil(np.log10(max(rep.max(), est.max())))
    else:
        lo, hi = 1e15, 1e27
    xs = np.array([lo, hi])
    ax.fill_between(xs, xs / 2, xs * 2, color="0.85", label="within 2x")
    ax.plot(xs, xs, color="0.3", lw=1, label="1:1")
    colors = {"tensor_fp16": "tab:orange", "fp32": "tab:blue", "fp16": "tab:green", "tf32": "tab:purple"}
    for prec, grp in rows.groupby(rows["precision"].fillna("?").astype(str)):
        ax.scatter(grp["train_flop_reported"], grp["train_flop_hardware"], s=18, alpha=0.8,
                   color=colors.get(prec, "tab:gray"), label=f"{prec} (n={len(grp)})", edgecolor="none")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel("reported training compute (FLOP)")
    ax.set_ylabel("hardware-time estimate (FLOP)")
    ax.set_title(f"Hardware-time estimates vs reported (n={len(rows)}); "
                 f"{result.share_within_2x:.0%} within 2x", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    ax.text(0.99, 0.01, "Data: Epoch AI, AI Models and ML Hardware (CC BY 4.0)", transform=ax.transAxes,
            ha="right", va="bottom", fontsize=7, color="0.4")
    return fig
