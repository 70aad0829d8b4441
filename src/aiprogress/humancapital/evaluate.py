"""Fig. 3-style validation: the network against the usual proxies and a Lasso, out of sample.

Predictors (all fitted on the training + validation rows; the test rows are
never used for fitting or model selection):

* ``network`` -- the heads of the trained network (unit + date);
* ``network unit`` -- a univariate linear fit of each outcome on the
  human-capital unit alone (the paper's Fig. 3a correlates the unit itself);
* ``h_index``, ``prior_citations``, ``prior_pubs`` -- each alone, as a
  univariate linear predictor (OLS of the outcome on ``log(1 + proxy)``): the
  team's maximum h-index, summed prior citations, summed prior papers;
* ``lasso`` -- scikit-learn ``LassoCV`` (5-fold, seeded) per outcome on the
  same inputs as the network (standardised ``log(1 + features)`` and the date).

Per outcome and subset (all test papers; junior teams, no author with more than
2 prior papers): Pearson r with a 95% Fisher-z interval, MSE (on the outcome's
scale, log(1 + citations) or the venue percentile) and precision = 1/MSE with a
95% percentile-bootstrap interval (resampling test papers, seeded).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from aiprogress.humancapital.features import BASELINES, FeatureTable
from aiprogress.humancapital.model import FittedNetwork, Split, Standardiser, design
from aiprogress.results import Result, format_table, jsonable

N_BOOT = 400
LASSO_ALPHAS = 25
LASSO_MAX_ITER = 3000
LASSO_CV = 5
PAPER_MIN_MSE_REDUCTION = 0.40  # Besiroglu et al. §5: MSE at least 40% lower than Lasso for every outcome


def fisher_ci(r: float, n: int, level: float = 0.95) -> tuple[float, float]:
    if n <= 3 or not np.isfinite(r) or abs(r) >= 1:
        return (math.nan, math.nan)
    from scipy.stats import norm

    z, se = np.arctanh(r), 1 / math.sqrt(n - 3)
    q = norm.ppf(0.5 + level / 2)
    return float(np.tanh(z - q * se)), float(np.tanh(z + q * se))


def _ols_fit_predict(x_fit: np.ndarray, y_fit: np.ndarray, x_all: np.ndarray) -> np.ndarray:
    a = np.column_stack([np.ones_like(x_fit), x_fit])
    coef, *_ = np.linalg.lstsq(a, y_fit, rcond=None)
    return coef[0] + coef[1] * x_all


def baseline_predictions(table: FeatureTable, split: Split, seed: int = 0, unit: np.ndarray | None = None,
                         threads: int = 1) -> dict[str, np.ndarray]:
    """Predictions (rows x outcomes) of every baseline, fitted on train + validation rows.

    BLAS is limited to ``threads`` threads: on a shared machine, oversubscribed BLAS threads made LassoCV ~50x slower.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=threads):
        return _baseline_predictions(table, split, seed, unit)


def _baseline_predictions(table: FeatureTable, split: Split, seed: int, unit: np.ndarray | None) -> dict[str, np.ndarray]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LassoCV

    fit_rows = np.concatenate([split.train, split.val])
    y = table.outcomes.to_numpy(dtype=float)
    out: dict[str, np.ndarray] = {}
    singles = {name: np.log1p(np.clip(table.features[col].to_numpy(dtype=float), 0, None)) for name, col in BASELINES.items()}
    if unit is not None:
        singles = {"network unit": unit, **singles}
    for name, xcol in singles.items():
        pred = np.full_like(y, np.nan)
        for k in range(y.shape[1]):
            rows = fit_rows[np.isfinite(y[fit_rows, k])]
            pred[:, k] = _ols_fit_predict(xcol[rows], y[rows, k], xcol)
        out[name] = pred
    x, date = design(table)
    full = np.column_stack([x, date])
    std = Standardiser.fit(full[fit_rows])
    z = std(full)
    pred = np.full_like(y, np.nan)
    for k in range(y.shape[1]):
        rows = fit_rows[np.isfinite(y[fit_rows, k])]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # small alphas on collinear aggregates; the CV picks among them
            model = LassoCV(cv=LASSO_CV, random_state=seed, alphas=LASSO_ALPHAS, max_iter=LASSO_MAX_ITER, tol=1e-3).fit(z[rows], y[rows, k])
        pred[:, k] = model.predict(z)
    out["lasso"] = pred
    return out


def metrics(y: np.ndarray, pred: np.ndarray, rng: np.random.Generator, n_boot: int = N_BOOT) -> dict[str, float]:
    ok = np.isfinite(y) & np.isfinite(pred)
    y, pred = y[ok], pred[ok]
    n = len(y)
    if n < 5:
        return {"n": n, "r": math.nan, "r_lo": math.nan, "r_hi": math.nan, "mse": math.nan, "precision": math.nan,
                "precision_lo": math.nan, "precision_hi": math.nan}
    r = float(np.corrcoef(pred, y)[0, 1]) if np.std(pred) > 0 else math.nan
    lo, hi = fisher_ci(r, n)
    se = (pred - y) ** 2
    mse = float(se.mean())
    boots = se[rng.integers(0, n, size=(n_boot, n))].mean(axis=1)
    prec = 1 / boots
    return {"n": n, "r": r, "r_lo": lo, "r_hi": hi, "mse": mse, "precision": 1 / mse if mse > 0 else math.nan,
            "precision_lo": float(np.quantile(prec, 0.025)), "precision_hi": float(np.quantile(prec, 0.975))}


@dataclass(frozen=True)
class Validation(Result):
    """The Fig. 3 table (one row per subset x outcome x predictor) and the MSE ratios against Lasso."""

    corpus: str
    table: pd.DataFrame
    mse_vs_lasso: pd.DataFrame
    n_train: int
    n_val: int
    n_test: int
    n_test_junior: int
    train_seconds: float
    best_epoch: int
    config: dict[str, Any]
    files: tuple[str, ...]
    data_hash: str
    model_path: str = ""
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def to_dict(self) -> dict[str, Any]:
        return {"corpus": self.corpus, "fig3": jsonable(self.table), "mse_vs_lasso": jsonable(self.mse_vs_lasso),
                "paper_claim": f"network MSE at least {PAPER_MIN_MSE_REDUCTION:.0%} lower than Lasso for every outcome (ratio <= {1 - PAPER_MIN_MSE_REDUCTION:.2f})",
                "n_train": self.n_train, "n_val": self.n_val, "n_test": self.n_test, "n_test_junior": self.n_test_junior,
                "train_seconds": self.train_seconds, "best_epoch": self.best_epoch, "config": jsonable(self.config),
                "files": list(self.files), "data_hash": self.data_hash, "model_path": self.model_path, "notes": list(self.notes)}

    def summary(self) -> str:
        cols = ["subset", "outcome", "predictor", "n", "r", "r_lo", "r_hi", "mse", "precision"]
        parts = [format_table(self.table[cols], title=f"Fig. 3 analogue on {self.corpus} (test set {self.n_test} papers, {self.n_test_junior} junior)", floatfmt="{:.3f}"),
                 format_table(self.mse_vs_lasso, title="Network MSE / Lasso MSE (paper: <= 0.60 for every outcome)", floatfmt="{:.3f}")]
        parts.append(f"train {self.n_train}, validation {self.n_val}; training {self.train_seconds:.1f} s, best epoch {self.best_epoch}")
        parts.extend(f"- {n}" for n in self.notes)
        return "\n".join(parts)


def validate(table: FeatureTable, net: FittedNetwork, split: Split, *, seed: int = 0, model_path: str = "") -> Validation:
    x, date = design(table)
    unit, net_pred = net.predict(x, date)
    preds = {"network": net_pred, **baseline_predictions(table, split, seed=seed, unit=unit, threads=net.config.threads)}
    y = table.outcomes.to_numpy(dtype=float)
    junior = table.meta["junior"].to_numpy()
    rng = np.random.default_rng(seed)
    rows = []
    subsets = {"all": split.test, "junior": split.test[junior[split.test]]}
    for subset, idx in subsets.items():
        for k, outcome in enumerate(table.outcomes.columns):
            for name, p in preds.items():
                rows.append({"subset": subset, "outcome": outcome, "predictor": name, **metrics(y[idx, k], p[idx, k], rng)})
    fig3 = pd.DataFrame(rows)
    piv = fig3.pivot_table(index=["subset", "outcome"], columns="predictor", values="mse", sort=False)
    ratio = pd.DataFrame({"subset": [i[0] for i in piv.index], "outcome": [i[1] for i in piv.index],
                          "mse_network": piv["network"].to_numpy(), "mse_lasso": piv["lasso"].to_numpy()})
    ratio["ratio"] = ratio["mse_network"] / ratio["mse_lasso"]
    ratio["reduction"] = 1 - ratio["ratio"]
    ratio["paper_claim_met"] = ratio["reduction"] >= PAPER_MIN_MSE_REDUCTION
    zeros = [f"{c} {np.mean(y[split.test, k][np.isfinite(y[split.test, k])] == 0):.0%}"
             for k, c in enumerate(table.outcomes.columns) if c.startswith("cit_")]
    notes = ("baselines and Lasso fitted on train + validation rows; the network early-stops on validation; all metrics on the test rows",)
    if zeros:
        notes += ("test papers with no in-corpus citation in the window: " + ", ".join(zeros),)
    return Validation(table.corpus, fig3, ratio, len(split.train), len(split.val), len(split.test), len(subsets["junior"]),
                      net.seconds, net.best_epoch, net.config.to_dict(), table.files, table.data_hash, model_path,
                      tuple(table.notes) + notes)
