"""A domain's compute halving time next to the published one, classified with the package's one status rule."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from scipy import stats

from aiprogress.algorithmic.halving import HalvingEstimate, halving_months_from_rate
from aiprogress.algorithmic.published import published_halving
from aiprogress.replication import ReplicationRow, row
from aiprogress.results import Result, format_table

__all__ = ["DomainHalving", "delta_interval", "halving_replication_row", "make_domain_halving"]


def delta_interval(est: HalvingEstimate, level: float) -> tuple[float, float]:
    """The delta-method interval of the halving time at another level (from the rate and its standard error)."""
    z = float(stats.norm.ppf(0.5 + level / 2))
    g_lo, g_hi = est.rate_oom_per_year - z * est.rate_se, est.rate_oom_per_year + z * est.rate_se
    low = halving_months_from_rate(g_hi) if g_hi > 0 else math.inf
    return float(low), float(halving_months_from_rate(g_lo))


def _reason(est: HalvingEstimate, pub: float, plo: float, phi: float, lo95: float, hi95: float) -> str:
    ours = est.halving_months
    hi_txt = "unbounded" if not math.isfinite(hi95) else f"{hi95:.1f}"
    inside = lo95 <= pub <= hi95
    overlap = lo95 <= phi and plo <= hi95
    if not math.isfinite(ours):
        return "our time effect is not positive: no compute-equivalent progress is detected in this sample"
    txt = (f"ours {ours:.1f} months (95% {lo95:.1f}–{hi_txt}) vs published {pub:g} ({plo:g}–{phi:g}); "
           + ("the published value lies inside our 95% interval" if inside else
              "the intervals overlap but the published point is outside ours" if overlap else "the intervals do not overlap"))
    return txt


def halving_replication_row(domain: str, est: HalvingEstimate, *, extra_reason: str = "") -> ReplicationRow:
    """Published vs ours for ``domain`` ('vision' | 'language'), status by :func:`aiprogress.replication.row`."""
    pub = published_halving().set_index("domain").loc[domain]
    lo95, hi95 = delta_interval(est, 0.95)
    reason = _reason(est, float(pub["estimate_months"]), float(pub["low"]), float(pub["high"]), lo95, hi95)
    if extra_reason:
        reason += "; " + extra_reason
    return row(
        "algorithmic", str(pub["source"]).split(",")[0].split(" (arXiv")[0], "headline", f"{domain}: {pub['quantity']} (months)",
        float(pub["estimate_months"]), est.halving_months if math.isfinite(est.halving_months) else None,
        low=lo95, high=hi95 if math.isfinite(hi95) else None, reason=reason, anchor=f"algorithmic-halving-{domain}",
    )


@dataclass(frozen=True)
class DomainHalving(Result):
    """Headline and variant halving times of one domain, the published value, status and reason, the data join."""

    domain: str
    headline: HalvingEstimate
    variants: tuple[HalvingEstimate, ...]
    replication: ReplicationRow
    published_months: float
    published_low: float
    published_high: float
    published_source: str
    join: dict = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    tables: dict = field(default_factory=dict, repr=False)

    def to_frame(self) -> pd.DataFrame:
        frames = [self.headline.to_frame().assign(headline=True)] + [v.to_frame().assign(headline=False) for v in self.variants]
        return pd.concat(frames, ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        h = self.headline
        return {
            "domain": self.domain,
            "halving_months": h.halving_months,
            "level": h.level,
            "delta_low": h.delta_low,
            "delta_high": h.delta_high,
            "boot_low": h.boot_low,
            "boot_high": h.boot_high,
            "n_obs": h.n_obs,
            "method": f"{h.label} ({h.form})",
            "published_months": self.published_months,
            "published_low": self.published_low,
            "published_high": self.published_high,
            "published_interval": "95%",
            "published_source": self.published_source,
            "status": self.replication.status,
            "reason": self.replication.reason,
            "ours_95_low": self.replication.low,
            "ours_95_high": self.replication.high,
            "variants": self.to_frame(),
            "join": self.join,
            "sources": list(self.sources),
            "notes": list(self.notes),
            **{k: v for k, v in self.tables.items()},
        }

    def summary(self) -> str:
        pub = pd.DataFrame([{
            "published_months": self.published_months, "published_95": f"{self.published_low:g}–{self.published_high:g}",
            "ours": self.headline.halving_months, "ours_95_low": self.replication.low, "ours_95_high": self.replication.high,
            "status": self.replication.status,
        }])
        parts = [
            format_table(self.to_frame(), title=f"{self.domain}: compute halving time at fixed performance ({self.headline.level:.0%} intervals)"),
            format_table(pub, title=f"Published ({self.published_source}) vs ours"),
            "Reason: " + self.replication.reason,
        ]
        if self.join:
            parts.append("Data join: " + "; ".join(f"{k}: {v}" for k, v in self.join.items() if not isinstance(v, (list, dict))))
        parts.extend(self.notes)
        parts.append("Sources: " + "; ".join(self.sources))
        return "\n\n".join(parts)


def make_domain_halving(domain: str, headline: HalvingEstimate, variants: list[HalvingEstimate], *, join: dict | None = None,
                        sources: tuple[str, ...] = (), notes: tuple[str, ...] = (), extra_reason: str = "",
                        tables: dict | None = None) -> DomainHalving:
    pub = published_halving().set_index("domain").loc[domain]
    return DomainHalving(
        domain=domain, headline=headline, variants=tuple(variants),
        replication=halving_replication_row(domain, headline, extra_reason=extra_reason),
        published_months=float(pub["estimate_months"]), published_low=float(pub["low"]), published_high=float(pub["high"]),
        published_source=str(pub["source"]), join=join or {}, sources=sources, notes=notes, tables=tables or {},
    )
