"""Parameter distributions of takeoff configs (the ``parameters:`` specs; format in :mod:`.config`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

DISTRIBUTIONS = ("fixed", "uniform", "loguniform", "normal", "lognormal", "choice", "empirical")

# Uniforms are clipped to [U_MIN, 1 - U_MIN] before the inverse CDFs, the range the
# config validation probes, so every draw is a checked, finite parameter value.
U_MIN = 1e-9
_Z80 = stats.norm.ppf(0.9)
_Z90 = stats.norm.ppf(0.95)


class _Bound:
    """A scipy distribution with its parameters bound, like ``stats.<dist>(...)`` (same numbers: the same
    generic methods with the same arguments) without a frozen distribution's set-up cost (~3 ms each,
    mostly docstring formatting; a Monte Carlo draws every parameter once per block of draws)."""

    __slots__ = ("dist", "args", "kwds")

    def __init__(self, dist, *args, **kwds) -> None:
        self.dist, self.args, self.kwds = dist, args, kwds

    def ppf(self, u):
        return self.dist.ppf(u, *self.args, **self.kwds)

    def cdf(self, x):
        return self.dist.cdf(x, *self.args, **self.kwds)


@dataclass(frozen=True)
class Marginal:
    """One parameter's distribution: ``ppf`` maps uniforms in (0, 1) to values."""

    name: str
    dist: str
    args: tuple[tuple[str, Any], ...]
    bounds: tuple[float, float] | None = None

    def _frozen(self):
        a = dict(self.args)
        if self.dist == "uniform":
            return _Bound(stats.uniform, loc=a["low"], scale=a["high"] - a["low"])
        if self.dist == "loguniform":
            return _Bound(stats.loguniform, a["low"], a["high"])
        if self.dist == "normal":
            return _Bound(stats.norm, loc=a["mean"], scale=a["sd"])
        if self.dist == "lognormal":
            return _Bound(stats.lognorm, s=a["log_sd"], scale=a["median"])
        return None

    def ppf(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        if self.dist == "fixed":
            return np.full_like(u, dict(self.args)["value"])
        if self.dist == "choice":
            a = dict(self.args)
            values = np.asarray(a["values"], dtype=float)
            cum = np.cumsum(a["weights"])
            idx = np.minimum(np.searchsorted(cum / cum[-1], u, side="right"), values.size - 1)
            return values[idx]
        if self.dist == "empirical":
            values = np.asarray(dict(self.args)["values"], dtype=float)
            if self.bounds is not None:
                values = values[(values >= self.bounds[0]) & (values <= self.bounds[1])]
            return np.quantile(values, u, method="inverted_cdf")
        d = self._frozen()
        if self.bounds is not None:
            lo, hi = d.cdf(self.bounds[0]), d.cdf(self.bounds[1])
            u = lo + u * (hi - lo)
        return d.ppf(u)

    def describe(self) -> str:
        a = dict(self.args)
        if self.dist == "fixed":
            return f"{a['value']:g}"
        if self.dist == "choice":
            return "choice " + ", ".join(f"{v:g}" for v in a["values"])
        if self.dist == "empirical":
            lo, hi = self.ppf(np.array([0.1, 0.9]))
            return f"empirical ({len(a['values'])} values), 80% in [{lo:.3g}, {hi:.3g}]"
        d = self._frozen()
        lo, hi = self.ppf(np.array([0.1, 0.9]))
        text = f"{self.dist}, 80% in [{lo:.3g}, {hi:.3g}]"
        if self.bounds is not None:
            text += f", bounds [{self.bounds[0]:g}, {self.bounds[1]:g}]"
        del d
        return text


def _number(spec, key, kp, err) -> float:
    if key not in spec:
        raise err(kp + [key], "missing", f"a number for '{key}'")
    v = spec[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise err(kp + [key], f"value {v!r} is not a finite number", "a number")
    return float(v)


def _interval(spec, kp, err) -> tuple[float, float, float] | None:
    """(low, high, z) from ci80 / ci90, or None."""
    for key, z in (("ci80", _Z80), ("ci90", _Z90)):
        if key in spec:
            v = spec[key]
            if not (isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, (int, float)) for x in v)
                    and v[0] < v[1]):
                raise err(kp + [key], f"value {v!r}", "[low, high] with low < high")
            return float(v[0]), float(v[1]), float(z)
    return None


def parse_marginal(name: str, spec: dict, kp: list[str], err) -> Marginal:
    dist = spec.get("dist")
    if dist is None:
        raise err(kp + ["dist"], "missing", "one of " + ", ".join(DISTRIBUTIONS))
    if dist not in DISTRIBUTIONS:
        raise err(kp + ["dist"], f"unknown distribution '{dist}'", "one of " + ", ".join(DISTRIBUTIONS))
    known = {"dist", "bounds", "value", "low", "high", "mean", "sd", "median", "log_sd", "ci80", "ci90", "values",
             "weights", "mu", "sigma"}
    for k in spec:
        if k not in known:
            raise err(kp + [str(k)], "unknown key", "one of " + ", ".join(sorted(known)))
    bounds = None
    if "bounds" in spec:
        b = spec["bounds"]
        if not (isinstance(b, (list, tuple)) and len(b) == 2 and all(isinstance(x, (int, float)) for x in b)
                and b[0] < b[1]):
            raise err(kp + ["bounds"], f"value {b!r}", "[low, high] with low < high")
        bounds = (float(b[0]), float(b[1]))
    if dist == "fixed":
        return Marginal(name, "fixed", (("value", _number(spec, "value", kp, err)),))
    if dist in ("uniform", "loguniform"):
        lo, hi = _number(spec, "low", kp, err), _number(spec, "high", kp, err)
        if not lo < hi:
            raise err(kp + ["high"], f"high {hi:g} not above low {lo:g}", "low < high")
        if dist == "loguniform" and lo <= 0:
            raise err(kp + ["low"], f"value {lo:g}", "low > 0 for a log-uniform")
        m = Marginal(name, dist, (("low", lo), ("high", hi)), bounds)
    elif dist == "normal":
        ci = _interval(spec, kp, err)
        if ci is not None:
            mean, sd = (ci[0] + ci[1]) / 2, (ci[1] - ci[0]) / (2 * ci[2])
        else:
            mean, sd = _number(spec, "mean", kp, err), _number(spec, "sd", kp, err)
            if not sd > 0:
                raise err(kp + ["sd"], f"value {sd:g}", "sd > 0")
        m = Marginal(name, dist, (("mean", mean), ("sd", sd)), bounds)
    elif dist == "lognormal":
        ci = _interval(spec, kp, err)
        if ci is not None:
            if ci[0] <= 0:
                raise err(kp, f"interval [{ci[0]:g}, {ci[1]:g}] not positive", "positive bounds for a lognormal")
            median = math.sqrt(ci[0] * ci[1])
            log_sd = (math.log(ci[1]) - math.log(ci[0])) / (2 * ci[2])
        elif "mu" in spec or "sigma" in spec:
            median = math.exp(_number(spec, "mu", kp, err))
            log_sd = _number(spec, "sigma", kp, err)
            if not log_sd > 0:
                raise err(kp + ["sigma"], f"value {log_sd:g}", "sigma > 0")
        else:
            median, log_sd = _number(spec, "median", kp, err), _number(spec, "log_sd", kp, err)
            if not (median > 0 and log_sd > 0):
                raise err(kp, f"median {median:g}, log_sd {log_sd:g}", "median > 0 and log_sd > 0")
        m = Marginal(name, dist, (("median", median), ("log_sd", log_sd)), bounds)
    elif dist == "empirical":
        vals = spec.get("values")
        if not (isinstance(vals, list) and len(vals) >= 2 and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in vals)):
            raise err(kp + ["values"], "not a list of at least 2 finite numbers", "a sample of the parameter")
        if bounds is not None and not any(bounds[0] <= v <= bounds[1] for v in vals):
            raise err(kp + ["bounds"], f"bounds {list(bounds)} exclude every value", "overlapping bounds")
        return Marginal(name, "empirical", (("values", tuple(float(v) for v in vals)),), bounds)
    else:  # choice
        vals = spec.get("values")
        if not (isinstance(vals, list) and vals and all(isinstance(v, (int, float)) for v in vals)):
            raise err(kp + ["values"], f"value {vals!r}", "a non-empty list of numbers")
        w = spec.get("weights", [1.0] * len(vals))
        if not (isinstance(w, list) and len(w) == len(vals) and all(isinstance(x, (int, float)) and x >= 0 for x in w)
                and sum(w) > 0):
            raise err(kp + ["weights"], f"value {w!r}", f"{len(vals)} non-negative numbers, not all 0")
        return Marginal(name, "choice", (("values", tuple(float(v) for v in vals)), ("weights", tuple(float(x) for x in w))))
    if bounds is not None:
        d = m._frozen()
        if not d.cdf(bounds[1]) - d.cdf(bounds[0]) > 1e-12:
            raise err(kp + ["bounds"], f"bounds {list(bounds)} exclude the whole distribution", "overlapping bounds")
    return m


