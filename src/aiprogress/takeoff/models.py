"""The takeoff model family: one interface, a registry, and batch trajectories.

Every takeoff model declares its parameters, simulates a *batch* of parameter
draws vectorised over draws, and returns :class:`Trajectories` -- for each draw,
the time (years after automation / ASARA) at which software reaches each level of
a grid of software levels (log2 of software relative to the start, i.e. software
doublings). The shared statistics (SIE verdict, progress compression, fan charts,
see :mod:`aiprogress.takeoff.statistics`), the Monte Carlo
(:mod:`aiprogress.takeoff.montecarlo`), the sensitivity analysis, the report and
the app all work from trajectories, so they work for every registered model.

Registered models (``aiprogress takeoff models``):

* ``ces-sie`` -- the CES compute-bottleneck ODE (:mod:`aiprogress.takeoff.sie`);
* ``davidson-houlden`` -- Davidson & Houlden (2025) discrete software doublings,
  and its variants ``davidson-houlden-retraining`` and ``davidson-houlden-gradual``
  (:mod:`aiprogress.takeoff.model_dh`).

Using the API (stable; the explorer app is built on it)::

    from aiprogress.takeoff import models

    models.list_models()                     # ['ces-sie', 'davidson-houlden', ...]
    m = models.get_model("davidson-houlden")
    for p in m.parameters:                   # declarations: Parameter objects
        print(p.name, p.unit, p.low, p.high, p.default, p.description)
    m.defaults()                             # {name: default value}

    one = m.simulate(r=1.5, f=8)             # one parameter set -> Trajectories with 1 draw
    one.to_frame()                           # columns draw, log2_software, log10_software, years
    batch = m.simulate_batch({"r": [0.8, 1.2, 2.0]})   # arrays (or scalars) per parameter;
                                                        # missing parameters take their defaults
    batch.time_years                         # (draws, levels) years; inf = never reached
    batch.log2_software                      # (levels,) grid, first level 0 at time 0
    batch.time_to_level(10.0)                # years to 10 doublings, per draw
    batch.level_at([0.5, 1.0])               # log2 software at these times, per draw

    from aiprogress.takeoff import statistics
    spec = statistics.StatisticsSpec()       # X in {3, 10} years, Y in {12, 4} months, horizon 4 y, ...
    per_draw = statistics.per_draw(batch, spec)        # per-draw arrays (max compression, years to SIE)
    summary = statistics.summarise(per_draw, spec)     # probabilities with Monte Carlo standard errors

    from aiprogress.takeoff.montecarlo import load_config, run_monte_carlo
    cfg = load_config("davidson-houlden-2025")          # a shipped config name or a YAML path
    res = run_monte_carlo(cfg, draws=100_000, seed=1, progress=lambda n: print(n, "draws done"))
    res.to_dict()["compression"]["table"]               # the compression table with SEs

``progress(n)`` is called with the number of draws finished after each chunk.

Adding a model: subclass :class:`TakeoffModel`, declare ``parameters`` and
implement ``_simulate(params, max_log2_software, extra_log2_levels)`` taking a
dict of float arrays of shape (n,) (already validated and filled with defaults),
then :func:`register` an instance and add its module to :data:`_MODEL_MODULES`.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table

__all__ = ["Parameter", "TakeoffModel", "Trajectories", "get_model", "list_models", "register"]

LOG2_10 = math.log2(10.0)
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Parameter:
    """A model parameter's declaration. ``low``/``high`` bound the admissible values
    (open ends unless ``low_inclusive``/``high_inclusive``)."""

    name: str
    unit: str
    low: float
    high: float
    default: float
    description: str
    low_inclusive: bool = False
    high_inclusive: bool = False

    @property
    def bounds_text(self) -> str:
        lo = "[" if self.low_inclusive else "("
        hi = "]" if self.high_inclusive else ")"
        return f"{lo}{self.low:g}, {self.high:g}{hi}"

    def admissible(self, values) -> np.ndarray:
        v = np.asarray(values, dtype=float)
        lo_ok = v >= self.low if self.low_inclusive else v > self.low
        hi_ok = v <= self.high if self.high_inclusive else v < self.high
        return ~np.isnan(v) & lo_ok & hi_ok

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "unit": self.unit, "default": _finite(self.default),
            "low": _finite(self.low), "high": _finite(self.high),
            "low_inclusive": self.low_inclusive, "high_inclusive": self.high_inclusive,
            "bounds": self.bounds_text, "description": self.description,
        }


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


@dataclass(frozen=True)
class Trajectories(Result):
    """Software level vs time for a batch of draws of one model.

    ``time_years[d, j]`` is the time (years after the start) at which draw ``d``
    first reaches ``log2_software[j]`` doublings of software; rows are
    non-decreasing; ``inf`` where the level is never reached (beyond an effective
    limit or ceiling). Between grid levels log software is taken to grow linearly
    in time (exact for the discrete doublings model's event dates, an
    interpolation for the continuous model).
    """

    model: str
    log2_software: np.ndarray = field(repr=False)
    time_years: np.ndarray = field(repr=False)
    params: dict[str, np.ndarray] = field(repr=False, default_factory=dict)
    grid_step: float = 1.0  # the levels that are multiples of this form the uniform grid (extras may lie between)

    @property
    def n_draws(self) -> int:
        return int(self.time_years.shape[0])

    def time_to_level(self, log2_level: float) -> np.ndarray:
        """Years until each draw reaches ``log2_level`` doublings (linear in log S between grid levels)."""
        return time_to_level(self.log2_software, self.time_years, log2_level)

    def level_at(self, years) -> np.ndarray:
        """log2 software of each draw at each time in ``years``: array (draws, len(years))."""
        t = np.atleast_1d(np.asarray(years, dtype=float))
        q = np.broadcast_to(t[None, :], (self.n_draws, t.size))
        return level_at(self.log2_software, self.time_years, q)

    def to_frame(self) -> pd.DataFrame:
        n, m = self.time_years.shape
        return pd.DataFrame({
            "draw": np.repeat(np.arange(n), m),
            "log2_software": np.tile(self.log2_software, n),
            "log10_software": np.tile(self.log2_software / LOG2_10, n),
            "years": self.time_years.reshape(-1),
        })

    def to_dict(self) -> dict[str, Any]:
        t = self.time_years
        return {
            "model": self.model,
            "log2_software": self.log2_software.tolist(),
            "time_years": [[float(x) if math.isfinite(x) else None for x in row] for row in t],
            "never_reached": np.isinf(t).tolist(),
            "params": {k: np.asarray(v, dtype=float).tolist() for k, v in self.params.items()},
        }

    def summary(self) -> str:
        head = self.to_frame()
        head = head[np.isfinite(head["years"])]
        if self.n_draws > 1:
            return f"{self.model}: {self.n_draws} trajectories on {self.log2_software.size} software levels"
        return format_table(head.drop(columns="draw"), title=f"{self.model}: years to each software level")


# ---------------------------------------------------------------- row-wise interpolation helpers

_ROWS = 1024  # rows per search block (keeps the offset keys precise)


def rowwise_count_le(t: np.ndarray, q: np.ndarray) -> np.ndarray:
    """For rows ``t`` (n, m) sorted ascending (inf allowed) and finite queries ``q`` (n, k):
    the number of entries of t[i] that are <= q[i, j].

    One ``np.searchsorted`` per block of rows on keys ``row * W + min(t, W / 2)`` with
    W / 2 above every query, which keeps the rows apart and each row sorted.
    """
    n, m = t.shape
    out = np.empty(q.shape, dtype=np.intp)
    for lo in range(0, n, _ROWS):
        tb, qb = t[lo:lo + _ROWS], q[lo:lo + _ROWS]
        b = tb.shape[0]
        half = float(np.max(qb, initial=0.0)) + 1.0
        off = np.arange(b, dtype=float)[:, None] * (2.0 * half)
        keys = (off + np.minimum(tb, half)).ravel()
        found = np.searchsorted(keys, (off + qb).ravel(), side="right").reshape(qb.shape)
        out[lo:lo + b] = found - np.arange(b)[:, None] * m
    return out


def level_at(levels: np.ndarray, t: np.ndarray, q: np.ndarray) -> np.ndarray:
    """log2 software at finite times ``q`` (n, k), linear in time between grid levels, flat after the last one."""
    n, m = t.shape
    rows = np.arange(n)[:, None]
    j = np.clip(rowwise_count_le(t, q) - 1, 0, m - 1)
    j1 = np.minimum(j + 1, m - 1)
    t0, t1 = t[rows, j], t[rows, j1]
    l0, l1 = levels[j], levels[j1]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(np.isfinite(t1) & (t1 > t0) & (j1 > j), (q - t0) / (t1 - t0), 0.0)
    return l0 + (l1 - l0) * np.clip(frac, 0.0, 1.0)


def time_to_level(levels: np.ndarray, t: np.ndarray, target: float) -> np.ndarray:
    """Years to reach ``target`` doublings (inverse of :func:`level_at`); inf if never reached."""
    j = int(np.searchsorted(levels, target - 1e-12, side="left"))
    if j >= levels.size:
        return np.full(t.shape[0], np.inf)
    if j == 0 or abs(levels[j] - target) <= 1e-12:
        return t[:, j].copy()
    l0, l1 = levels[j - 1], levels[j]
    with np.errstate(invalid="ignore"):
        out = t[:, j - 1] + (t[:, j] - t[:, j - 1]) * (target - l0) / (l1 - l0)
    return np.where(np.isfinite(t[:, j]), out, np.inf)


# ---------------------------------------------------------------- the interface

class TakeoffModel:
    """Base class of takeoff models. Subclasses set the class attributes and ``_simulate``."""

    name: str = ""
    title: str = ""
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    grid_step: float = 1.0  # spacing (doublings) of the uniform level grid of the trajectories

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(name, f"not a parameter of model '{self.name}'", expected=", ".join(self.parameter_names))

    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.parameters}

    def validate(self, params: Mapping[str, Any], *, error: Callable[[str, str, str], Exception] | None = None,
                 fill: bool = True) -> dict[str, np.ndarray]:
        """Check names and ranges; returns float arrays (defaults filled in when ``fill``).

        ``error(name, message, expected)`` builds the exception (default :class:`ParameterError`).
        """
        if error is None:
            def error(name, msg, expected):  # noqa: ANN001
                return ParameterError(name, msg, expected=expected)
        known = set(self.parameter_names)
        for name in params:
            if name not in known:
                raise error(name, f"unknown parameter of model '{self.name}'", "one of " + ", ".join(self.parameter_names))
        out: dict[str, np.ndarray] = {}
        for p in self.parameters:
            if p.name in params:
                arr = np.asarray(params[p.name], dtype=float)
                ok = p.admissible(arr)
                if not np.all(ok):
                    bad = arr[~ok].ravel()[0] if arr.ndim else float(arr)
                    raise error(p.name, f"value {bad:g} out of range", f"{p.bounds_text} ({p.unit})")
                out[p.name] = arr
            elif fill:
                out[p.name] = np.asarray(float(p.default))
        return out

    def simulate_batch(self, params: Mapping[str, Any], *, max_log2_software: float | None = None,
                       extra_log2_levels: Sequence[float] = ()) -> Trajectories:
        """Simulate every draw (arrays broadcast to a common length n; scalars are shared).

        ``max_log2_software`` caps the grid of software levels (doublings);
        ``extra_log2_levels`` asks continuous models to include these levels in the
        grid exactly (discrete models interpolate).
        """
        full = self.validate(params)
        shape = np.broadcast_shapes(*(np.shape(v) for v in full.values()))
        if len(shape) > 1:
            raise ParameterError("params", f"arrays of shape {shape}", expected="scalars or 1-d arrays of one length")
        n = shape[0] if shape else 1
        flat = {k: np.ascontiguousarray(np.broadcast_to(v, (n,)), dtype=float) for k, v in full.items()}
        if max_log2_software is not None and not (max_log2_software > 0):
            raise ParameterError("max_log2_software", f"{max_log2_software}", expected="> 0 doublings")
        levels, times = self._simulate(flat, max_log2_software, tuple(float(x) for x in extra_log2_levels))
        return Trajectories(model=self.name, log2_software=levels, time_years=times, params=flat,
                            grid_step=float(self.grid_step))

    def simulate(self, **params: float) -> Trajectories:
        """One parameter set (missing ones at their defaults): a batch of one draw."""
        for k, v in params.items():
            if np.ndim(v) != 0:
                raise ParameterError(k, "simulate takes one value per parameter", expected="a number (use simulate_batch)")
        return self.simulate_batch(params)

    def _simulate(self, p: dict[str, np.ndarray], max_log2_software: float | None,
                  extra_log2_levels: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "description": self.description,
                "parameters": [p.to_dict() for p in self.parameters]}


# ---------------------------------------------------------------- registry

_REGISTRY: dict[str, TakeoffModel] = {}
_MODEL_MODULES = ("aiprogress.takeoff.model_ces", "aiprogress.takeoff.model_dh")


def register(model: TakeoffModel) -> TakeoffModel:
    """Add a model instance to the registry (its ``name`` is the key configs use in ``model:``)."""
    _REGISTRY[model.name] = model
    return model


def _load() -> None:
    for mod in _MODEL_MODULES:
        importlib.import_module(mod)


def list_models() -> list[str]:
    """Names of the registered models."""
    _load()
    return sorted(_REGISTRY)


def get_model(name: str) -> TakeoffModel:
    """The registered model called ``name`` (ParameterError listing the names if unknown)."""
    _load()
    if name not in _REGISTRY:
        raise ParameterError("model", f"unknown takeoff model '{name}'", expected="one of " + ", ".join(sorted(_REGISTRY)))
    return _REGISTRY[name]
