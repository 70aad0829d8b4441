"""Benchmark stitching: one latent capability per model from scores on many benchmarks.

Score of model m on benchmark b (floor c_b = the benchmark's chance level)::

    score_mb = c_b + (1 − c_b) σ(a_b (C_m − D_b)),     a_b = exp(α_b) > 0

with a capability C_m per model, a difficulty D_b and a slope a_b per benchmark,
fitted jointly by least squares on the score scale (``scipy.optimize.least_squares``
with the analytic sparse Jacobian; a small ridge penalty ``λ`` on C, D and α removes
the flat directions of the likelihood and keeps models seen on one benchmark at
ceiling or floor finite). The scale is then fixed by normalising the capabilities to
mean 0 and standard deviation 1 over the models (D moves with C, a inversely), which
leaves the fitted scores unchanged.

The capabilities are regressed on log10 training compute and date in
:mod:`aiprogress.algorithmic.language` (the second stage).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, sparse
from scipy.special import expit

from aiprogress.errors import ParameterError
from aiprogress.results import Result

__all__ = ["StitchFit", "fit_stitching", "stitched_scores"]


@dataclass(frozen=True)
class StitchFit(Result):
    """Latent capabilities (per model) and difficulties/slopes (per benchmark) of the stitching model."""

    capabilities: pd.DataFrame = field(repr=False)
    benchmarks: pd.DataFrame = field(repr=False)
    n_scores: int = 0
    rmse: float = float("nan")
    ridge: float = 0.0
    converged: bool = True

    def to_frame(self) -> pd.DataFrame:
        return self.capabilities


def stitched_scores(capability: np.ndarray, difficulty: np.ndarray, slope: np.ndarray, chance: np.ndarray) -> np.ndarray:
    """The model's predicted score for matching arrays of C, D, a and floor."""
    return chance + (1 - chance) * expit(slope * (capability - difficulty))


def fit_stitching(scores: pd.DataFrame, *, ridge: float = 1e-3, model_col: str = "epoch_model", benchmark_col: str = "benchmark",
                  score_col: str = "score", chance_col: str | None = "chance", min_models_per_benchmark: int = 3) -> StitchFit:
    """Fit C_m, D_b, a_b jointly on a long table of scores (one row per model × benchmark)."""
    if ridge < 0:
        raise ParameterError("ridge", f"got {ridge}", expected="a number >= 0")
    d = scores[[model_col, benchmark_col, score_col] + ([chance_col] if chance_col else [])].dropna(subset=[score_col]).copy()
    counts = d.groupby(benchmark_col)[model_col].nunique()
    d = d[d[benchmark_col].isin(counts[counts >= min_models_per_benchmark].index)]
    if d[benchmark_col].nunique() < 1 or d[model_col].nunique() < 3:
        raise ParameterError("scores", "too few models or benchmarks to stitch", expected=f">= 3 models, benchmarks with >= {min_models_per_benchmark} models")
    mcat = pd.Categorical(d[model_col])
    bcat = pd.Categorical(d[benchmark_col])
    mi, bi = mcat.codes.astype(int), bcat.codes.astype(int)
    M, B, N = len(mcat.categories), len(bcat.categories), len(d)
    y = d[score_col].to_numpy(float)
    c = d[chance_col].to_numpy(float) if chance_col else np.zeros(N)
    c = np.clip(c, 0, 0.99)
    lam = float(np.sqrt(ridge))

    def unpack(p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return p[:M], p[M:M + B], p[M + B:]

    rows_r = np.arange(N)
    reg_rows = np.arange(N, N + M + 2 * B)

    def resid(p: np.ndarray) -> np.ndarray:
        C, D, al = unpack(p)
        pred = stitched_scores(C[mi], D[bi], np.exp(al[bi]), c)
        return np.concatenate([pred - y, lam * p])

    def jac(p: np.ndarray) -> sparse.csr_matrix:
        C, D, al = unpack(p)
        a = np.exp(al[bi])
        diff = C[mi] - D[bi]
        s = expit(a * diff)
        ds = (1 - c) * s * (1 - s)
        data = np.concatenate([ds * a, -ds * a, ds * a * diff, np.full(M + 2 * B, lam)])
        rr = np.concatenate([rows_r, rows_r, rows_r, reg_rows])
        cc = np.concatenate([mi, M + bi, M + B + bi, np.arange(M + 2 * B)])
        return sparse.csr_matrix((data, (rr, cc)), shape=(N + M + 2 * B, M + 2 * B))

    # start: capability from the mean logit of the model's scores above chance, difficulties 0, slopes 1
    z = np.log(np.clip((y - c) / (1 - c), 0.02, 0.98) / (1 - np.clip((y - c) / (1 - c), 0.02, 0.98)))
    c0 = pd.Series(z).groupby(mi).mean().reindex(range(M)).fillna(0).to_numpy()
    d0 = -pd.Series(z - c0[mi]).groupby(bi).mean().reindex(range(B)).fillna(0).to_numpy()
    p0 = np.concatenate([c0, d0, np.zeros(B)])
    sol = optimize.least_squares(resid, p0, jac=jac, method="trf", x_scale="jac", max_nfev=2000)
    C, D, al = unpack(sol.x)
    mu, sd = C.mean(), C.std(ddof=0)
    sd = sd if sd > 0 else 1.0
    Cn, Dn, an = (C - mu) / sd, (D - mu) / sd, np.exp(al) * sd
    pred = stitched_scores(Cn[mi], Dn[bi], an[bi], c)
    caps = pd.DataFrame({model_col: list(mcat.categories), "capability": Cn,
                         "n_benchmarks": np.bincount(mi, minlength=M)})
    bench = pd.DataFrame({benchmark_col: list(bcat.categories), "difficulty": Dn, "slope": an,
                          "chance": pd.Series(c).groupby(bi).first().reindex(range(B)).to_numpy(),
                          "n_models": np.bincount(bi, minlength=B)})
    return StitchFit(capabilities=caps, benchmarks=bench, n_scores=int(N), rmse=float(np.sqrt(np.mean((pred - y) ** 2))),
                     ridge=float(ridge), converged=bool(sol.success))
