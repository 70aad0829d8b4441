"""Training-compute estimates: operation counting, hardware time, and their combination.

Operation counting (Sevilla et al. 2022; Besiroglu et al. App. E, eqs. 42-44)::

    train_flop = 3 x forward_flop x examples x epochs

The factor 3 is one forward pass plus a backward pass costing about twice the
forward pass (the backward pass computes gradients with respect to both the
weights and the layer inputs, each about one forward pass's worth of work).
Sources that count multiply-adds (MACs/FMAs) are converted at 2 FLOP each.

Hardware time (App. E, eq. 45; Thompson et al.'s "hardware burden" times a
utilization)::

    train_flop = chips x peak_flop_per_s x seconds x utilization

with utilization the run's recorded value when it has one, else
:data:`DEFAULT_UTILIZATION` (0.3, the baseline Sevilla et al. recommend), and the
peak from the ``hardware`` table under the precision rule of
:mod:`aiprogress.compute.hardware`.

When both apply they are combined by the geometric mean (errors of both
methods are multiplicative, so the mean is taken on the log scale) and both
components are kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from aiprogress.compute.hardware import (
    MATCH_THRESHOLD,
    HardwareIndex,
    HardwareMatch,
    _as_timestamp,
    choose_precision,
    normalize_precision,
    split_hardware_names,
)
from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table, jsonable

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd  # imported where used: `compute estimate` starts without pandas

#: Utilization assumed when a run records none (Sevilla et al. 2022's baseline).
DEFAULT_UTILIZATION = 0.3
#: FLOP per forward+backward pass, in units of forward-pass FLOP.
FORWARD_BACKWARD_FACTOR = 3.0
#: FLOP per multiply-add.
FLOP_PER_MULTIPLY_ADD = 2.0
SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True)
class ComputeEstimate(Result):
    """One training-compute estimate with its method, inputs and assumptions."""

    train_flop: float
    method: str  # "operations" | "hardware" | "combined"
    inputs: dict[str, Any] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()
    matched_hardware: str | None = None
    match_score: float | None = None
    precision: str | None = None
    components: tuple["ComputeEstimate", ...] = ()

    @property
    def log10_train_flop(self) -> float:
        return math.log10(self.train_flop) if self.train_flop > 0 else float("nan")

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [self, *self.components]
        return pd.DataFrame(
            {
                "method": [r.method for r in rows],
                "train_flop": [r.train_flop for r in rows],
                "precision": [r.precision for r in rows],
                "matched_hardware": [r.matched_hardware for r in rows],
                "match_score": [r.match_score for r in rows],
                "assumptions": ["; ".join(r.assumptions) for r in rows],
            }
        )

    def summary(self) -> str:
        cols = ["method", "train_flop", "precision", "matched_hardware", "match_score"]
        # One row (no components): the same cells as the frame's, without importing pandas.
        table = {c: [getattr(self, c)] for c in cols} if not self.components else self.to_frame()[cols]
        lines = [format_table(table, title=f"ComputeEstimate: {self.train_flop:.4g} FLOP ({self.method})")]
        inputs = ", ".join(f"{k}={_fmt(v)}" for k, v in self.inputs.items())
        lines.append(f"inputs: {inputs}")
        for a in self.assumptions:
            lines.append(f"assumed: {a}")
        for c in self.components:
            for a in c.assumptions:
                lines.append(f"assumed ({c.method}): {a}")
        return "\n".join(lines)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(jsonable(v))


def _positive(name: str, value: Any, *, allow_zero: bool = False) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(name, f"'{value}' is not a number", expected="a positive number") from None
    if not math.isfinite(x) or x < 0 or (x == 0 and not allow_zero):
        raise ParameterError(name, f"{value} is not allowed", expected="a positive finite number")
    return x


def _finite_product(formula: str, func: Any, *args: float) -> float:
    """``func(*args)`` as a float; a product too large for a float is a ParameterError, not inf."""
    with np.errstate(over="ignore"):
        value = float(func(*args))
    if not math.isfinite(value):
        raise ParameterError("inputs", f"{formula} overflows (the product exceeds {np.finfo(float).max:.3g} FLOP)",
                             expected="inputs whose product is a finite number of FLOP")
    return value


def _utilization(value: Any) -> float:
    u = _positive("utilization", value)
    if u > 1:
        raise ParameterError("utilization", f"{value} is above 1", expected="a fraction in (0, 1]")
    return u


# -- formulas (vectorised) -----------------------------------------------------------------
def operations_train_flop(forward_flop: Any, examples: Any, epochs: Any = 1.0) -> Any:
    """``3 x forward_flop x examples x epochs`` (scalars or arrays)."""
    return FORWARD_BACKWARD_FACTOR * np.asarray(forward_flop, float) * np.asarray(examples, float) * np.asarray(epochs, float)


def hardware_train_flop(chips: Any, peak_flop_per_s: Any, seconds: Any, utilization: Any = DEFAULT_UTILIZATION) -> Any:
    """``chips x peak_flop_per_s x seconds x utilization`` (scalars or arrays)."""
    return np.asarray(chips, float) * np.asarray(peak_flop_per_s, float) * np.asarray(seconds, float) * np.asarray(utilization, float)


# -- single estimates ----------------------------------------------------------------------
def estimate_from_operations(
    forward_flop: float | None = None,
    *,
    multiply_adds: float | None = None,
    examples: float,
    epochs: float = 1.0,
) -> ComputeEstimate:
    """Operation counting: ``3 x forward FLOP x examples x epochs``.

    Give the forward pass either as ``forward_flop`` or as ``multiply_adds``
    (converted at 2 FLOP per multiply-add), not both.
    """
    if (forward_flop is None) == (multiply_adds is None):
        raise ParameterError("forward_flop", "give exactly one of forward_flop and multiply_adds",
                             expected="a FLOP count per forward pass or a multiply-add count")
    assumptions = [f"forward + backward pass = {FORWARD_BACKWARD_FACTOR:g} x forward-pass FLOP"]
    inputs: dict[str, Any] = {}
    if multiply_adds is not None:
        macs = _positive("multiply_adds", multiply_adds)
        fwd = FLOP_PER_MULTIPLY_ADD * macs
        inputs["multiply_adds"] = macs
        assumptions.append(f"{FLOP_PER_MULTIPLY_ADD:g} FLOP per multiply-add")
    else:
        fwd = _positive("forward_flop", forward_flop)
    n = _positive("examples", examples)
    ep = _positive("epochs", epochs)
    inputs.update(forward_flop=fwd, examples=n, epochs=ep)
    return ComputeEstimate(
        train_flop=_finite_product("3 x forward FLOP x examples x epochs", operations_train_flop, fwd, n, ep),
        method="operations",
        inputs=inputs,
        assumptions=tuple(assumptions),
    )


@dataclass(frozen=True)
class PeakResolution(Result):
    """The peak FLOP/s for a (possibly multi-chip) hardware field."""

    peak_flop_per_s: float
    precision: str | None
    matched_hardware: str | None
    match_score: float | None
    match_kind: str | None
    notes: tuple[str, ...]
    unmatched: tuple[str, ...]
    matches: tuple[HardwareMatch, ...]


def resolve_peak(
    hardware_text: str,
    index: HardwareIndex,
    *,
    publication_date: Any = None,
    precision: str | None = "auto",
) -> PeakResolution:
    """Match every chip named in ``hardware_text`` and average their peaks (equal split).

    Never raises for an unmatched name: ``peak_flop_per_s`` is NaN and
    ``unmatched`` lists the names.
    """
    parts = split_hardware_names(hardware_text)
    matches = tuple(index.match(p) for p in parts)
    found = [m for m in matches if m.matched]
    unmatched = tuple(m.query for m in matches if not m.matched)
    notes: list[str] = []
    if not found:
        return PeakResolution(float("nan"), None, None, None, None, ("hardware name not matched",), unmatched, matches)
    peaks, precs, names = [], [], []
    for m in found:
        choice = choose_precision(index.row(m), publication_date, precision)
        names.append(m.matched_name)
        if m.kind != "exact":
            notes.append(f"'{m.query}' matched to '{m.matched_name}' ({m.kind}, score {m.score:.0f})")
        notes.append(choice.note)
        if np.isfinite(choice.peak_flop_per_s):
            peaks.append(choice.peak_flop_per_s)
            precs.append(choice.precision)
    if unmatched:
        notes.append("not matched, left out: " + ", ".join(unmatched))
    if len(parts) > 1:
        notes.append(f"{len(parts)} chip types listed; chip count assumed split equally (mean peak)")
    if not peaks:
        return PeakResolution(float("nan"), None, "; ".join(names), min(m.score for m in found),
                              found[0].kind, tuple(notes), unmatched, matches)
    prec = precs[0] if len(set(precs)) == 1 else "+".join(dict.fromkeys(precs))
    kinds = [m.kind for m in found]
    kind = "exact" if all(k == "exact" for k in kinds) else next(k for k in ("fuzzy", "base", "alias") if k in kinds)
    return PeakResolution(
        float(np.mean(peaks)), prec, "; ".join(names), float(min(m.score for m in found)), kind,
        tuple(notes), unmatched, matches,
    )


def estimate_from_hardware(
    hardware_name: str | None = None,
    *,
    chips: float,
    hours: float | None = None,
    seconds: float | None = None,
    utilization: float | None = None,
    precision: str | None = "auto",
    hardware: pd.DataFrame | HardwareIndex | None = None,
    publication_date: Any = None,
    peak_flop_per_s: float | None = None,
    threshold: float = MATCH_THRESHOLD,
) -> ComputeEstimate:
    """Hardware time: ``chips x peak FLOP/s x seconds x utilization``.

    The peak comes from ``peak_flop_per_s`` when given (e.g. a per-device rate
    recorded by the source), else from the ``hardware`` table by name. Raises
    :class:`ParameterError` for bad values or a name that matches no chip.
    """
    n = _positive("chips", chips)
    if (hours is None) == (seconds is None):
        raise ParameterError("hours", "give exactly one of hours and seconds", expected="a training duration")
    secs = _positive("hours", hours) * SECONDS_PER_HOUR if hours is not None else _positive("seconds", seconds)
    assumptions: list[str] = []
    if utilization is None:
        u = DEFAULT_UTILIZATION
        assumptions.append(f"utilization {DEFAULT_UTILIZATION:g} (default; none recorded)")
    else:
        u = _utilization(utilization)
    prec_req = normalize_precision(precision)
    inputs: dict[str, Any] = {"hardware": hardware_name, "chips": n, "seconds": secs, "utilization": u}
    matched, score, prec = None, None, None
    if peak_flop_per_s is not None:
        peak = _positive("peak_flop_per_s", peak_flop_per_s)
        assumptions.append("peak FLOP/s as given (not looked up)")
        prec = None if prec_req == "auto" else prec_req
    else:
        if hardware is None:
            raise ParameterError("hardware", "no hardware table to look the chip up in", expected="the 'hardware' table")
        index = hardware if isinstance(hardware, HardwareIndex) else HardwareIndex(hardware, threshold=threshold)
        parts = split_hardware_names(hardware_name)
        if not parts:
            raise ParameterError("hardware", "no hardware name given", expected="a chip name such as 'NVIDIA V100'")
        for p in parts:  # raise with candidates for any unmatched part
            index.lookup(p)
        res = resolve_peak(hardware_name, index, publication_date=publication_date, precision=prec_req)
        if not np.isfinite(res.peak_flop_per_s) and prec_req == "auto":
            raise ParameterError("hardware", f"{res.matched_hardware} records no peak FLOP/s at any precision",
                                 expected="a chip with a peak FLOP/s figure in the hardware table")
        if not np.isfinite(res.peak_flop_per_s):
            raise ParameterError("precision", f"{res.matched_hardware} records no {prec_req} peak FLOP/s",
                                 expected="a precision the chip has a figure for (or 'auto')")
        peak, matched, score, prec = res.peak_flop_per_s, res.matched_hardware, res.match_score, res.precision
        assumptions.extend(res.notes)
        inputs["publication_date"] = _as_timestamp(publication_date)
    inputs["peak_flop_per_s"] = peak
    return ComputeEstimate(
        train_flop=_finite_product("chips x peak FLOP/s x seconds x utilization", hardware_train_flop, n, peak, secs, u),
        method="hardware",
        inputs=inputs,
        assumptions=tuple(assumptions),
        matched_hardware=matched,
        match_score=score,
        precision=prec,
    )


def combine_estimates(*estimates: ComputeEstimate) -> ComputeEstimate:
    """Geometric mean of several estimates of the same run; keeps them as components."""
    if len(estimates) < 2:
        raise ParameterError("estimates", f"got {len(estimates)}", expected="at least two estimates to combine")
    flops = np.array([e.train_flop for e in estimates], float)
    if not np.all(np.isfinite(flops) & (flops > 0)):
        raise ParameterError("estimates", "all estimates must be positive and finite", expected="positive FLOP counts")
    hw = next((e for e in estimates if e.method == "hardware"), None)
    spread = float(np.log10(flops.max() / flops.min()))
    return ComputeEstimate(
        train_flop=float(np.exp(np.mean(np.log(flops)))),
        method="combined",
        inputs={e.method: e.train_flop for e in estimates} | {"log10_spread": spread},
        assumptions=(f"geometric mean of {len(estimates)} estimates ({', '.join(e.method for e in estimates)}); "
                     f"they differ by {spread:.2f} orders of magnitude",),
        matched_hardware=hw.matched_hardware if hw else None,
        match_score=hw.match_score if hw else None,
        precision=hw.precision if hw else None,
        components=tuple(estimates),
    )


def estimate(
    *,
    hardware_name: str | None = None,
    chips: float | None = None,
    hours: float | None = None,
    utilization: float | None = None,
    precision: str | None = "auto",
    publication_date: Any = None,
    forward_flop: float | None = None,
    multiply_adds: float | None = None,
    examples: float | None = None,
    epochs: float | None = None,
    hardware: pd.DataFrame | HardwareIndex | None = None,
    threshold: float = MATCH_THRESHOLD,
) -> ComputeEstimate:
    """Every method whose inputs are given; combined when both apply."""
    out: list[ComputeEstimate] = []
    if forward_flop is not None or multiply_adds is not None or examples is not None or epochs is not None:
        if examples is None:
            raise ParameterError("examples", "operation counting needs the number of training examples",
                                 expected="a positive number")
        out.append(estimate_from_operations(forward_flop, multiply_adds=multiply_adds, examples=examples,
                                            epochs=1.0 if epochs is None else epochs))
    if hardware_name is not None or chips is not None or hours is not None:
        if hardware_name is None:
            raise ParameterError("hardware", "the hardware-time method needs the chip name",
                                 expected="a chip name such as 'NVIDIA V100'")
        if chips is None:
            raise ParameterError("chips", "the hardware-time method needs the number of chips", expected="a positive number")
        if hours is None:
            raise ParameterError("hours", "the hardware-time method needs the training time", expected="a positive number of hours")
        out.append(estimate_from_hardware(hardware_name, chips=chips, hours=hours, utilization=utilization,
                                          precision=precision, hardware=hardware, publication_date=publication_date,
                                          threshold=threshold))
    if not out:
        raise ParameterError("hardware", "no inputs for either method",
                             expected="--hardware/--chips/--hours or --forward-flop/--examples/--epochs")
    return out[0] if len(out) == 1 else combine_estimates(*out)
