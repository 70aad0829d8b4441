"""Design matrices of the idea production function (eq. 13, or eq. 19 with the
translog term) and the likelihood-ratio test of pooled vs separate benchmarks.

Used by :mod:`aiprogress.ideas.estimate`; split out so each module stays small.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from aiprogress.errors import ParameterError
from aiprogress.ideas.inputs import time_window
from aiprogress.results import Result
from aiprogress.stats.linear import ols_hc

LOG_S, LOG_C, TREND, TRANSLOG = "log_S", "log_C", "years_since_2012", "translog_term"
DEFAULT_CONTROLS = ("extra_data", "reimplementation")


# --------------------------------------------------------------------------- design
@dataclass(frozen=True)
class Design:
    X: np.ndarray
    y: np.ndarray
    names: tuple[str, ...]
    Z: np.ndarray  # variance regressors for GLS: constant, log S, log C
    strata: np.ndarray  # benchmark label per row
    n_windows: int
    notes: tuple[str, ...] = ()

    def col(self, name: str) -> int:
        return self.names.index(name)


def _window_label(bench: str, k: int, window_months: int) -> str:
    year, month0 = divmod(2012 * 12 + int(k) * window_months, 12)  # January 2012 plus k windows, in months
    return f"phi[{bench}:{year}-{month0 + 1:02d}+{window_months}m]"


def build_design(
    frame: pd.DataFrame,
    *,
    window_months: int = 12,
    trend: bool = False,
    controls: tuple[str, ...] | list[str] = DEFAULT_CONTROLS,
    translog: bool = False,
) -> Design:
    """Design matrix of eq. 13 (or 19 with ``translog``) for the rows of ``frame``."""
    if int(window_months) != window_months or window_months < 1:
        raise ParameterError("window_months", f"{window_months}", expected="a positive whole number of months, e.g. 6, 12 or 18")
    frame = frame.reset_index(drop=True)
    w = time_window(frame["date"], int(window_months))
    groups = frame["benchmark"].astype(str) + "|" + w.astype(str)
    keys = sorted(groups.unique(), key=lambda g: (g.split("|")[0], int(g.split("|")[1])))
    g_arr = groups.to_numpy()
    fe = np.column_stack([(g_arr == g).astype(float) for g in keys])
    fe_names = [_window_label(g.split("|")[0], int(g.split("|")[1]), int(window_months)) for g in keys]
    log_s = np.log(frame["human_capital"].to_numpy(float))
    log_c = np.log(frame["train_flop"].to_numpy(float))
    cols = [fe, log_s[:, None], log_c[:, None]]
    names = fe_names + [LOG_S, LOG_C]
    notes: list[str] = []
    if translog:
        cols.append((0.5 * (log_s - log_c) ** 2)[:, None])
        names.append(TRANSLOG)
    X = np.column_stack(cols)
    rank = np.linalg.matrix_rank(X)
    if rank < X.shape[1]:
        raise ParameterError("data", "log S and log C are collinear with the time fixed effects", expected="variation in inputs within windows")
    extra = list(controls) + ([TREND] if trend else [])
    for c in extra:
        if c not in frame.columns:
            raise ParameterError("controls", f"unknown control '{c}'", expected="columns of the sample, e.g. extra_data, reimplementation")
        v = frame[c].to_numpy(float)
        if np.nanstd(v) == 0:
            notes.append(f"control '{c}' dropped: no variation in this sample")
            continue
        cand = np.column_stack([X, v])
        if np.linalg.matrix_rank(cand) == X.shape[1]:
            notes.append(f"control '{c}' dropped: collinear with the window fixed effects at {window_months}-month windows")
            continue
        X = cand
        names.append(c)
    y = np.log(frame["g_tilde"].to_numpy(float))
    Z = np.column_stack([np.ones(len(frame)), log_s, log_c])
    return Design(X=X, y=y, names=tuple(names), Z=Z, strata=frame["benchmark"].astype(str).to_numpy(), n_windows=len(keys), notes=tuple(notes))



@dataclass(frozen=True)
class LRTest(Result):
    lr: float
    df: int
    pvalue: float
    loglik_pooled: float
    loglik_separate: float
    decision: str



def lr_test_pooled(frame: pd.DataFrame, *, window_months: int, trend: bool, controls: tuple[str, ...] | list[str]) -> LRTest:
    """LR test of pooled (shared gamma, beta, alpha) vs separate models, Gaussian OLS likelihoods."""
    pooled = build_design(frame, window_months=window_months, trend=trend, controls=controls)
    llp = ols_hc(pooled.X, pooled.y, pooled.names).llf
    lls = 0.0
    k_sep = 0
    for _, sub in frame.groupby("benchmark"):
        d = build_design(sub, window_months=window_months, trend=trend, controls=controls)
        lls += ols_hc(d.X, d.y, d.names).llf
        k_sep += d.X.shape[1] + 1  # + own error variance
    df = k_sep - (pooled.X.shape[1] + 1)
    lr = 2.0 * (lls - llp)
    p = float(sps.chi2.sf(lr, df)) if df > 0 else math.nan
    decision = "pooling not rejected at 5% (pooled model preferred)" if p >= 0.05 else "pooling rejected at 5% (separate models preferred)"
    return LRTest(lr=float(lr), df=int(df), pvalue=p, loglik_pooled=float(llp), loglik_separate=float(lls), decision=decision)
