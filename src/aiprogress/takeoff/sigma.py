"""Published elasticities of substitution sigma converted to the CES parameter rho, with the implied ceilings.

All conversions use the one CES core (:mod:`aiprogress.takeoff.ces`: ``rho_from_sigma``,
``sigma_from_rho``, ``ces_ceiling``); the published ranges ship in ``published_rho.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Sequence

import pandas as pd

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table
from aiprogress.takeoff.ces import ces_ceiling, rho_from_sigma, sigma_from_rho

__all__ = ["SigmaRhoConversion", "convert_sigma", "published_estimates", "published_sigma_conversions"]


@dataclass(frozen=True)
class SigmaRhoConversion(Result):
    """σ values converted to ρ, with the CES ceiling (L → ∞, K = 1) for the given α."""

    sigma: list[float]
    rho: list[float]
    ceiling: list[float]
    alpha: float = 0.5
    labels: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({"sigma": self.sigma, "rho": self.rho, f"ceiling_alpha_{self.alpha:g}": self.ceiling})
        if self.labels:
            frame.insert(0, "label", self.labels)
        return frame

    def summary(self) -> str:
        return format_table(self.to_frame(), title="σ → ρ = 1 − 1/σ (ceiling: output as L → ∞ with K = 1)")


def convert_sigma(sigmas: Sequence[float], *, alpha: float = 0.5, labels: Sequence[str] | None = None) -> SigmaRhoConversion:
    """Convert elasticities of substitution σ to ρ = 1 − 1/σ, with the CES ceiling (1−α)^{1/ρ}."""
    if not 0 < alpha < 1:
        raise ParameterError("alpha", f"got {alpha}", expected="0 < alpha < 1")
    sig = [float(s) for s in sigmas]
    if not sig:
        raise ParameterError("sigma", "no values given", expected="one or more values > 0")
    rho = [float(rho_from_sigma(s)) for s in sig]
    return SigmaRhoConversion(
        sigma=sig,
        rho=rho,
        ceiling=[float(ces_ceiling(r, alpha)) for r in rho],
        alpha=alpha,
        labels=list(labels) if labels else [],
    )


def published_estimates() -> pd.DataFrame:
    """The published σ/ρ estimates shipped with the package (``published_rho.csv``), with sources.

    Published r estimates live in :func:`aiprogress.algorithmic.published.published_r`.
    """
    text = resources.files("aiprogress.takeoff").joinpath("published_rho.csv").read_text(encoding="utf-8")
    from io import StringIO

    return pd.read_csv(StringIO(text))


def published_sigma_conversions(alpha: float = 0.5) -> pd.DataFrame:
    """The published σ ranges (and ρ ranges) as one table of σ and ρ bounds with the implied ceilings."""
    pub = published_estimates()
    rows = []
    for _, row in pub.iterrows():
        if row["quantity"] not in ("sigma", "rho"):
            continue
        vals = [v for v in (row["low"], row["estimate"], row["high"]) if pd.notna(v)]
        if row["quantity"] == "sigma":
            sig = vals
            rho = [float(rho_from_sigma(v)) for v in vals]
        else:
            rho = vals
            sig = [float(sigma_from_rho(v)) for v in vals]
        labels = ["low", "mid", "high"] if len(vals) == 3 else ["point"]
        for lab, s, r in zip(labels, sig, rho):
            rows.append(
                {
                    "domain": row["domain"],
                    "published": row["quantity"],
                    "bound": lab,
                    "sigma": s,
                    "rho": r,
                    f"ceiling_alpha_{alpha:g}": float(ces_ceiling(r, alpha)),
                    "source": row["source"].split(",")[0],
                }
            )
    return pd.DataFrame(rows)
