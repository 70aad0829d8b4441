"""Bootstrap and drop-k subsampling of a linear regression, batched and parallel.

* :func:`bootstrap_coefs` -- pairs (case) bootstrap, optionally stratified
  (resampling within each stratum keeps its size, e.g. per benchmark in a
  pooled model); each chunk of resamples is one matrix product and one batched
  solve (:func:`aiprogress.stats.lstsq.weighted_lstsq_batched`).
* :func:`drop_k_coefs` -- re-estimates with ``k`` rows removed: every subset
  when there are at most ``exhaustive_max`` of them, else ``max_draws`` random
  subsets; uses the rank-k downdate solver
  (:class:`aiprogress.stats.lstsq.DropKSolver`).
* :func:`bc_percentile_interval` -- the bias-corrected percentile interval
  (Efron 1981; used for ratio estimates by Campbell and Torgerson 1999).

Both resamplers take ``seed`` and a ``scheduler`` (see
:mod:`aiprogress.stats.parallel`); chunk ``i`` draws from the ``i``-th child of
``SeedSequence(seed)``, so results do not depend on the scheduler.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from scipy import stats as sps

from aiprogress.errors import ParameterError
from aiprogress.results import Result
from aiprogress.stats.lstsq import DropKSolver, weighted_lstsq_batched
from aiprogress.stats.parallel import map_chunks

__all__ = [
    "ResampleDraws",
    "bc_percentile_interval",
    "bootstrap_coefs",
    "drop_k_coefs",
    "drop_k_subsets",
    "seed_sequence",
]


def seed_sequence(seed: int | np.random.Generator | np.random.SeedSequence | None) -> np.random.SeedSequence:
    """A SeedSequence from an int, a Generator (drawing one int from it) or a SeedSequence."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(0, 2**63 - 1)))
    if seed is None:
        raise ParameterError("seed", "is None", expected="an int or numpy Generator (results must be reproducible)")
    return np.random.SeedSequence(int(seed))


@dataclass(frozen=True)
class ResampleDraws(Result):
    """Coefficient draws from a bootstrap or subsampling run."""

    kind: str  # "bootstrap" | "drop-k (all subsets)" | "drop-k (random subsets)"
    names: tuple[str, ...]
    draws: np.ndarray  # (n_draws, len(names)); NaN rows = unidentified re-fits
    n_requested: int
    n_failed: int
    drop_k: int | None = None

    def to_dict(self) -> dict[str, Any]:
        good = self.draws[~np.isnan(self.draws).any(axis=1)]
        return {
            "kind": self.kind,
            "names": list(self.names),
            "n_requested": self.n_requested,
            "n_failed": self.n_failed,
            "drop_k": self.drop_k,
            "quantiles": {
                name: {str(q): float(np.quantile(good[:, j], q)) if len(good) else None for q in (0.025, 0.25, 0.5, 0.75, 0.975)}
                for j, name in enumerate(self.names)
            },
        }


def bc_percentile_interval(estimate: float, draws: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Bias-corrected percentile bootstrap interval.

    ``z0 = Phi^{-1}(share of draws below the estimate)`` (ties count half); the
    interval is the ``Phi(2 z0 -+ z_{(1+level)/2})`` quantiles of the draws.
    """
    d = np.asarray(draws, dtype=float)
    d = d[np.isfinite(d)]
    if d.size < 2:
        return (math.nan, math.nan)
    if not 0 < level < 1:
        raise ParameterError("level", f"{level}", expected="a number in (0, 1)")
    share = (np.sum(d < estimate) + 0.5 * np.sum(d == estimate)) / d.size
    share = min(max(share, 0.5 / d.size), 1 - 0.5 / d.size)
    z0 = sps.norm.ppf(share)
    za = sps.norm.ppf((1 + level) / 2)
    lo, hi = sps.norm.cdf(2 * z0 - za), sps.norm.cdf(2 * z0 + za)
    return (float(np.quantile(d, lo)), float(np.quantile(d, hi)))


# --------------------------------------------------------------------------- bootstrap
def _boot_chunk(task: tuple[int, np.random.SeedSequence], *, X: np.ndarray, y: np.ndarray, strata: list[np.ndarray], cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    size, ss = task
    rng = np.random.default_rng(ss)
    W = np.zeros((size, X.shape[0]))
    for rows in strata:
        # multinomial counts = how often each row of the stratum is drawn
        W[:, rows] = rng.multinomial(len(rows), np.full(len(rows), 1.0 / len(rows)), size=size)
    return weighted_lstsq_batched(X, y, W, cols=cols)


def bootstrap_coefs(
    X: np.ndarray,
    y: np.ndarray,
    *,
    cols: list[int],
    names: list[str] | tuple[str, ...],
    n_boot: int = 10_000,
    strata: np.ndarray | None = None,
    seed: int | np.random.Generator = 0,
    scheduler: Any = None,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = 2_000,
) -> ResampleDraws:
    """Pairs bootstrap of the OLS coefficients ``cols`` of ``y ~ X``.

    For a weighted (GLS) fit pass the transformed ``X * sqrt(w)``, ``y * sqrt(w)``
    (weights held at the full-sample estimate).
    """
    if n_boot < 1:
        raise ParameterError("n_boot", f"{n_boot}", expected="a positive integer")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n = X.shape[0]
    labels = np.zeros(n, dtype=int) if strata is None else np.asarray(strata)
    groups = [np.flatnonzero(labels == g) for g in np.unique(labels)]
    sizes = [min(chunk_size, n_boot - s) for s in range(0, n_boot, chunk_size)]
    children = seed_sequence(seed).spawn(len(sizes))
    tasks = list(zip(sizes, children))
    res = map_chunks(
        _boot_chunk, tasks, shared={"X": X, "y": y, "strata": groups, "cols": np.asarray(cols)},
        scheduler=scheduler, progress=progress, weights=sizes,
    )
    draws = np.concatenate([r[0] for r in res])
    ok = np.concatenate([r[1] for r in res])
    return ResampleDraws(kind="bootstrap", names=tuple(names), draws=draws, n_requested=n_boot, n_failed=int((~ok).sum()))


# --------------------------------------------------------------------------- drop-k
def drop_k_subsets(n: int, k: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` random subsets of ``k`` distinct rows out of ``n`` (sorted, ``(size, k)``).

    Draws with replacement and redraws the rows that contain a repeat (cheap for
    ``k << n``); subsets are independent, so two draws may coincide.
    """
    out = rng.integers(0, n, size=(size, k))
    out.sort(axis=1)
    while True:
        dup = (np.diff(out, axis=1) == 0).any(axis=1) if k > 1 else np.zeros(size, bool)
        if not dup.any():
            return out
        redo = rng.integers(0, n, size=(int(dup.sum()), k))
        redo.sort(axis=1)
        out[dup] = redo


def _drop_chunk(task: tuple[str, Any], *, solver: DropKSolver, k: int, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    kind, payload = task
    if kind == "subsets":
        drop = payload
    else:
        size, ss = payload
        drop = drop_k_subsets(solver.nobs, k, size, np.random.default_rng(ss))
    return solver.solve(drop, cols)


def drop_k_coefs(
    X: np.ndarray,
    y: np.ndarray,
    *,
    k: int,
    cols: list[int],
    names: list[str] | tuple[str, ...],
    max_draws: int = 1_000_000,
    exhaustive_max: int = 10_000,
    seed: int | np.random.Generator = 0,
    scheduler: Any = None,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = 50_000,
    solver: DropKSolver | None = None,
) -> ResampleDraws:
    """Coefficients ``cols`` of ``y ~ X`` re-estimated with ``k`` rows dropped.

    All ``C(n, k)`` subsets when that is ``<= exhaustive_max`` (and ``<=
    max_draws``), otherwise ``max_draws`` random subsets.
    """
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    if not 1 <= k < n - X.shape[1]:
        raise ParameterError("k", f"{k} with {n} rows and {X.shape[1]} columns", expected=f"1 <= k < {n - X.shape[1]}")
    if max_draws < 1:
        raise ParameterError("max_draws", f"{max_draws}", expected="a positive integer")
    solver = solver or DropKSolver(X, y)
    total = math.comb(n, k)
    if total <= min(exhaustive_max, max_draws):
        subsets = np.array(list(itertools.combinations(range(n), k)), dtype=np.intp)
        tasks = [("subsets", subsets[s : s + chunk_size]) for s in range(0, total, chunk_size)]
        sizes = [len(t[1]) for t in tasks]
        kind, n_req = "drop-k (all subsets)", total
    else:
        sizes = [min(chunk_size, max_draws - s) for s in range(0, max_draws, chunk_size)]
        children = seed_sequence(seed).spawn(len(sizes))
        tasks = [("random", (sz, ss)) for sz, ss in zip(sizes, children)]
        kind, n_req = "drop-k (random subsets)", max_draws
    res = map_chunks(
        _drop_chunk, tasks, shared={"solver": solver, "k": k, "cols": np.asarray(cols)},
        scheduler=scheduler, progress=progress, weights=sizes,
    )
    draws = np.concatenate([r[0] for r in res])
    ok = np.concatenate([r[1] for r in res])
    return ResampleDraws(kind=kind, names=tuple(names), draws=draws, n_requested=n_req, n_failed=int((~ok).sum()), drop_k=k)
