"""The takeoff models the explorer offers: the library's registry, as declared there.

Each registered model (:mod:`aiprogress.takeoff.models`) is shown through a
:class:`ModelView`: its parameter declarations (name, unit, bounds, default,
description, straight from the model) and ``simulate(values)``, which calls the
model's ``simulate`` and the shared statistics and returns a
:class:`TrajectoryView` (time, software OOMs, key numbers). Nothing here computes
a model quantity beyond reading the library's arrays (the peak growth rate is the
largest OOMs-per-year step between consecutive levels of the library's grid).

Slider ranges are a presentation choice (:func:`slider_range`); the number box
beside each slider takes any admissible value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from aiprogress.takeoff.models import Parameter as ParamDecl  # a parameter as the model declares it

LN10 = math.log(10.0)
LOG2_10 = math.log2(10.0)


def admissible(p: ParamDecl, x: Any) -> bool:
    """Whether a page value is a number inside the model's declared bounds (the declaration decides)."""
    if x is None or isinstance(x, bool) or not isinstance(x, (int, float)) or math.isnan(x):
        return False
    return bool(p.admissible(x))


@dataclass(frozen=True)
class TrajectoryView:
    time_years: Any  # numpy array, finite entries only
    log10_software: Any
    numbers: dict[str, Any]  # key numbers, JSON-safe (None for non-finite, with a flag)
    result: Any  # the library's own result object(s)


@dataclass(frozen=True)
class ModelView:
    key: str
    title: str
    description: str
    params: tuple[ParamDecl, ...]
    simulate: Callable[[Mapping[str, float]], TrajectoryView]

    def param(self, name: str) -> ParamDecl:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}


def _num(x) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _decl(p) -> ParamDecl:
    return p  # the model's own declaration, shown as is


# ---------------------------------------------------------------- registry models

def _registry_view(m) -> ModelView:
    from aiprogress.takeoff import statistics

    spec = statistics.StatisticsSpec()

    def simulate(values: Mapping[str, float]) -> TrajectoryView:
        import numpy as np

        batch = m.simulate_batch({k: float(v) for k, v in values.items()}, max_log2_software=spec.max_log2_needed,
                                 extra_log2_levels=(spec.sie_log2,))
        per = statistics.per_draw(batch, spec)
        summary = statistics.summarise(per, spec)
        t = batch.time_years[0]
        keep = np.isfinite(t)
        ooms = batch.log2_software[keep] / LOG2_10
        days = float(per["days_to_sie_ooms"][0])
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.diff(ooms) / np.diff(t[keep])  # OOMs per year between consecutive grid levels
        peak = float(np.max(rate)) if rate.size else math.nan
        numbers = {
            "sie_ooms": spec.sie_ooms, "sie_days": spec.sie_days,
            "days_to_sie_ooms": _num(days), "never_reaches_sie_ooms": not math.isfinite(days),
            "sie": bool(summary["sie"]["p"] == 1.0),
            "peak_ooms_per_year": _num(peak), "peak_unbounded": not math.isfinite(peak) and rate.size > 0,
            "compression": [{"y_months": y, "max_years": _num(per[f"max_years_in_{y:g}m"][0])} for y in spec.windows_months],
            "conversion": spec.conversion_text(), "horizon_years": spec.horizon_years,
        }
        return TrajectoryView(t[keep], ooms, numbers, batch)

    return ModelView(m.name, m.title, m.description, tuple(_decl(p) for p in m.parameters), simulate)


def model_views() -> dict[str, ModelView]:
    """Every registered takeoff model, keyed by name (registry order)."""
    from aiprogress.takeoff import models

    return {name: _registry_view(models.get_model(name)) for name in models.list_models()}


def slider_range(p: ParamDecl) -> tuple[float, float, bool]:
    """(low, high, log scale) of a parameter's slider.

    Finite bounds give a linear slider over them, unless they span far more
    than the default (then a log slider from default/100 to default*100, clipped
    to the bounds); a positive parameter without an upper bound gets the same log
    slider; otherwise a linear range next to the default.
    """
    lo_b, hi_b = p.low, p.high
    d = p.default
    if math.isfinite(lo_b) and math.isfinite(hi_b):
        span = hi_b - lo_b
        lo = lo_b if p.low_inclusive else lo_b + 0.01 * span
        hi = hi_b if p.high_inclusive else hi_b - 0.01 * span
        if d > 0 and lo_b >= 0 and span > 20 * d:
            return max(d / 100.0, lo_b if p.low_inclusive and lo_b > 0 else d / 100.0), min(d * 100.0, hi_b), True
        return lo, hi, False
    if math.isfinite(hi_b):  # (-inf, high)
        hi = hi_b if p.high_inclusive else hi_b - 0.01 * max(1.0, abs(hi_b))
        return hi - max(2.0, 3.0 * (hi_b - d)), hi, False
    if d > 0 and lo_b >= 0:
        return d / 100.0, d * 100.0, True
    width = max(1.0, 10.0 * abs(d))
    lo = lo_b if math.isfinite(lo_b) else d - width
    return lo, lo + width, False
