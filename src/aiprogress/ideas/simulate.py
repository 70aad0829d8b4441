"""Draw a data set from the idea production function with known parameters.

The data-generating process mirrors eqs. 8-13 of Besiroglu et al.:

* dates uniform over ``[2012, 2012 + years)``; benchmarks drawn with the given
  shares; windows of ``window_months`` months as in the estimator;
* the frontier technology of each benchmark grows linearly in logs,
  ``log A_t = a0 + growth * t`` (evaluated at the window's start), so the
  window effect is ``phi_t = phi0_b + (theta - 1) log A_t``;
* inputs: ``log S ~ N(mu_S, sd_S)``; ``log C = mu_C + compute_growth * t +
  sd_C * (rho_SC z_S + sqrt(1-rho_SC^2) z)``, correlated with ``log S``;
* controls ``extra_data``, ``reimplementation`` ~ Bernoulli(0.25, 0.15);
* ``log g~ = phi_t + gamma log S + beta log C + alpha' X + u`` with ``u ~
  N(0, noise_sd^2 exp(hetero * z_C))`` (``hetero=0``: homoskedastic);
* baseline performance ``P_base = A_t/(1+A_t)`` and ``P`` solves
  ``logit P = logit P_base + g~`` -- so :func:`aiprogress.ideas.innovation`
  recovers ``g~`` exactly from the simulated performances.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from aiprogress.errors import ParameterError
from aiprogress.ideas.inputs import EPOCH_2012, time_window
from aiprogress.results import Result


@dataclass(frozen=True)
class Simulation(Result):
    """A simulated sample (``frame`` has the estimation-sample columns) and the truth."""

    frame: pd.DataFrame
    beta: float
    gamma: float
    theta: float
    alpha: dict[str, float]
    noise_sd: float
    hetero: float
    window_months: int
    phi: dict[str, float] = field(default_factory=dict)

    @property
    def capital_share(self) -> float:
        return self.beta / (self.beta + self.gamma)

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": len(self.frame), "beta": self.beta, "gamma": self.gamma, "theta": self.theta,
            "capital_share": self.capital_share, "alpha": self.alpha, "noise_sd": self.noise_sd,
            "hetero": self.hetero, "window_months": self.window_months, "phi": self.phi,
            "rows_by_benchmark": self.frame["benchmark"].value_counts().to_dict(),
        }


def simulate(
    n: int = 150,
    *,
    beta: float = 0.15,
    gamma: float = 0.3,
    theta: float = 0.5,
    alpha: dict[str, float] | None = None,
    noise_sd: float = 0.5,
    hetero: float = 0.0,
    benchmarks: dict[str, float] | None = None,
    years: float = 8.0,
    window_months: int = 12,
    technology_growth: float = 0.35,
    compute_growth: float = 0.7,
    rho_sc: float = 0.3,
    seed: int | np.random.Generator = 0,
) -> Simulation:
    """Simulate ``n`` models from the idea production function (see module docs)."""
    if n < 20:
        raise ParameterError("n", f"{n}", expected="at least 20 rows")
    if noise_sd <= 0:
        raise ParameterError("noise_sd", f"{noise_sd}", expected="a positive number")
    if not 0 < theta < 1:
        raise ParameterError("theta", f"{theta}", expected="a number in (0, 1)")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    alpha = {"extra_data": 0.3, "reimplementation": -0.2} if alpha is None else dict(alpha)
    shares = {"imagenet": 0.7, "ms_coco": 0.3} if benchmarks is None else dict(benchmarks)
    names = list(shares)
    p = np.array([shares[b] for b in names], float)
    bench = rng.choice(names, size=n, p=p / p.sum())
    t = rng.uniform(0, years, size=n)
    dates = EPOCH_2012 + pd.to_timedelta(t * 365.25, unit="D")
    w = time_window(pd.Series(dates), window_months).to_numpy(int)
    t_window = w * window_months / 12.0
    a0 = {b: 0.5 + 0.4 * i for i, b in enumerate(names)}
    phi0 = {b: -8.0 - 0.5 * i for i, b in enumerate(names)}
    log_a = np.array([a0[b] for b in bench]) + technology_growth * t_window
    phi = np.array([phi0[b] for b in bench]) + (theta - 1.0) * log_a
    z_s = rng.standard_normal(n)
    z_c = rho_sc * z_s + np.sqrt(1 - rho_sc**2) * rng.standard_normal(n)
    log_s = 1.5 + 0.6 * z_s
    log_c = 41.0 + compute_growth * t + 1.5 * z_c
    extra = rng.binomial(1, 0.25, n).astype(float)
    reimpl = rng.binomial(1, 0.15, n).astype(float)
    xa = alpha.get("extra_data", 0.0) * extra + alpha.get("reimplementation", 0.0) * reimpl
    u = noise_sd * np.exp(0.5 * hetero * z_c) * rng.standard_normal(n)
    log_g = phi + gamma * log_s + beta * log_c + xa + u
    g = np.exp(log_g)
    base = 1.0 / (1.0 + np.exp(-log_a))
    perf = 1.0 / (1.0 + np.exp(-(log_a + g)))
    frame = pd.DataFrame(
        {
            "benchmark": bench,
            "model": [f"sim-{i}" for i in range(n)],
            "paper_title": [f"simulated paper {i}" for i in range(n)],
            "date": dates,
            "years_since_2012": t,
            "performance": perf,
            "error_rate": 1.0 - perf,
            "baseline_performance": base,
            "g_tilde": g,
            "train_flop": np.exp(log_c),
            "human_capital": np.exp(log_s),
            "extra_data": extra,
            "reimplementation": reimpl,
        }
    )
    phi_tab = {f"{b}:{int(k)}": float(v) for b, k, v in zip(bench, w, phi)}
    return Simulation(frame=frame, beta=beta, gamma=gamma, theta=theta, alpha=alpha, noise_sd=noise_sd, hetero=hetero, window_months=window_months, phi=phi_tab)
