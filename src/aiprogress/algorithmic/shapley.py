"""Exact Shapley decomposition of progress into compute scaling, algorithms (and parameters/data).

For a fitted model ``y = g(β0 + Σ_k β_k x_k)`` and a period with factor values
``x_start`` and ``x_end``, the value of a coalition S of factors is
``v(S) = y(x_S at end, the others at start) − y(x_start)``; the Shapley value of
factor i is ``φ_i = Σ_{S ⊆ N∖{i}} |S|! (K − |S| − 1)! / K! · (v(S ∪ {i}) − v(S))``,
computed exactly over all 2^K coalitions. The values always sum to the total change
``y(x_end) − y(x_start)`` (efficiency), whatever the link g. With an identity link
they are ``β_k (x_end,k − x_start,k)``.

Factors: ``compute`` (log10 training compute), ``algorithms`` (the date: what the
same compute buys later), and, when a model splits compute into its parts,
``parameters`` and ``data`` (log10 of each). Intervals for the shares come from a
seeded pairs bootstrap of the model fit.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table

__all__ = ["Decomposition", "decompose_fit", "exact_shapley"]


def exact_shapley(f: Callable[[np.ndarray], np.ndarray], start: Sequence[float], end: Sequence[float]) -> np.ndarray:
    """Exact Shapley values of the factors moving from ``start`` to ``end`` for ``f`` (vectorised over rows).

    ``f`` maps an array of shape (n, K) of factor values to n outcomes (or to (n, T)
    outcomes for T targets at once); the result has shape (K,) or (K, T).
    """
    x0 = np.asarray(start, dtype=float)
    x1 = np.asarray(end, dtype=float)
    k = x0.size
    if x1.size != k or k == 0:
        raise ParameterError("end", "start and end need the same number (>= 1) of factors", expected="equal lengths")
    if k > 12:
        raise ParameterError("start", f"{k} factors: 2^{k} coalitions is too many for the exact computation", expected="at most 12 factors")
    masks = np.array(list(itertools.product([0, 1], repeat=k)), dtype=bool)  # coalition -> which factors at end
    points = np.where(masks, x1[None, :], x0[None, :])
    vals = np.asarray(f(points), dtype=float)
    index = {tuple(m): i for i, m in enumerate(masks.tolist())}
    weights = [math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) for s in range(k)]
    phi = np.zeros((k,) + vals.shape[1:])
    for i in range(k):
        for m in masks:
            if m[i]:
                continue
            with_i = m.copy()
            with_i[i] = True
            phi[i] += weights[int(m.sum())] * (vals[index[tuple(with_i.tolist())]] - vals[index[tuple(m.tolist())]])
    return phi


@dataclass(frozen=True)
class Decomposition(Result):
    """Contributions of each factor to the change of each target over a period, with bootstrap share intervals."""

    domain: str
    factors: tuple[str, ...]
    start: dict
    end: dict
    table: pd.DataFrame = field(repr=False)
    level: float = 0.90
    n_boot: int = 0
    seed: int | None = 0
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def summary(self) -> str:
        title = (f"{self.domain}: Shapley decomposition of the change {self.start.get('label', '')} -> {self.end.get('label', '')} "
                 f"({self.level:.0%} bootstrap intervals of the shares, {self.n_boot} draws)")
        return "\n\n".join([format_table(self.table, title=title), *self.notes])


def _ols(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.linalg.lstsq(x, y, rcond=None)[0]


def decompose_fit(
    frame: pd.DataFrame,
    y_col: str,
    factor_cols: dict[str, str],
    start: dict[str, float],
    end: dict[str, float],
    links: dict[str, Callable[[np.ndarray], np.ndarray]],
    *,
    domain: str,
    level: float = 0.90,
    n_boot: int = 500,
    seed: int | None = 0,
    notes: Sequence[str] = (),
    period_labels: tuple[str, str] = ("start", "end"),
    progress: Callable[[int], None] | None = None,
) -> Decomposition:
    """Fit ``y = β0 + Σ β_k x_k`` (OLS) on ``frame``; Shapley-decompose each target's change between ``start`` and ``end``.

    ``factor_cols`` maps factor name -> column; ``links`` maps a target name to the
    function of the linear predictor that gives that target (identity, 10**y, a
    benchmark's score curve, ...).
    """
    names = list(factor_cols)
    d = frame[[y_col, *factor_cols.values()]].dropna()
    if len(d) < len(names) + 3:
        raise ParameterError("frame", f"only {len(d)} complete rows for {len(names)} factors", expected="more observations")
    x = np.column_stack([np.ones(len(d))] + [d[c].to_numpy(float) for c in factor_cols.values()])
    y = d[y_col].to_numpy(float)
    x0 = np.array([start[n] for n in names])
    x1 = np.array([end[n] for n in names])
    targets = list(links)

    def contributions(beta: np.ndarray) -> np.ndarray:  # (K, T)
        def f(points: np.ndarray) -> np.ndarray:
            eta = beta[0] + points @ beta[1:]
            return np.column_stack([links[t](eta) for t in targets])

        return exact_shapley(f, x0, x1)

    beta = _ols(x, y)
    phi = contributions(beta)
    total = phi.sum(axis=0)
    rng = np.random.default_rng(seed)
    shares_boot = np.full((n_boot, len(names), len(targets)), np.nan)
    step = max(1, n_boot // 20)
    for b in range(n_boot):
        idx = rng.integers(0, len(y), len(y))
        pb = contributions(_ols(x[idx], y[idx]))
        tb = pb.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            shares_boot[b] = np.where(tb != 0, pb / tb, np.nan)
        if progress is not None and (b + 1) % step == 0:
            progress(step)
    rows = []
    for j, t in enumerate(targets):
        for i, n in enumerate(names):
            sb = shares_boot[:, i, j]
            sb = sb[np.isfinite(sb)]
            lo, hi = (np.quantile(sb, [0.5 - level / 2, 0.5 + level / 2]) if sb.size else (math.nan, math.nan))
            rows.append({"target": t, "factor": n, "contribution": float(phi[i, j]), "total_change": float(total[j]),
                         "share": float(phi[i, j] / total[j]) if total[j] != 0 else math.nan,
                         "share_low": float(lo), "share_high": float(hi), "coefficient": float(beta[1 + i]),
                         "start_value": float(x0[i]), "end_value": float(x1[i])})
    return Decomposition(
        domain=domain, factors=tuple(names), start={"label": period_labels[0], **start}, end={"label": period_labels[1], **end},
        table=pd.DataFrame(rows), level=level, n_boot=int(n_boot), seed=seed, notes=tuple(notes),
    )


def plot_decomposition(dec: Decomposition, title: str | None = None):
    """Stacked horizontal bars: each factor's contribution to each target's change (Shapley), with the total marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tab = dec.table
    targets = list(dict.fromkeys(tab["target"]))
    fig, ax = plt.subplots(figsize=(7.0, 0.45 * len(targets) + 1.6))
    pos = np.zeros(len(targets))
    neg = np.zeros(len(targets))
    for i, fac in enumerate(dec.factors):
        vals = np.array([float(tab[(tab["target"] == t) & (tab["factor"] == fac)]["contribution"].iloc[0]) for t in targets])
        totals = np.array([float(tab[tab["target"] == t]["total_change"].iloc[0]) for t in targets])
        rel = np.where(totals != 0, vals / np.abs(totals), 0.0)
        left = np.where(rel >= 0, pos, neg)
        ax.barh(range(len(targets)), rel, left=left, color=f"C{i}", label=fac)
        pos = pos + np.where(rel >= 0, rel, 0)
        neg = neg + np.where(rel < 0, rel, 0)
    ax.axvline(1.0, color="0.3", ls="--", lw=0.8)
    ax.set_yticks(range(len(targets)), targets, fontsize=8)
    ax.set_xlabel("share of the total change (Shapley contributions / |total|)")
    ax.set_title(title or f"{dec.domain}: compute vs algorithms, {dec.start['label']} -> {dec.end['label']}", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    return fig
