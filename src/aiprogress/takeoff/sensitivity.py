"""Variance attribution of any takeoff statistic, for every model: Sobol indices and Shapley effects.

Statistics (per draw; ``statistic=``):

* ``sie`` -- indicator of the SIE verdict (>= sie_ooms OOMs in < sie_days days);
* ``log10_days`` -- log10 of the days to the SIE level (capped at ``cap_days``);
* ``compress:X:Y`` -- indicator of >= X years of progress in <= Y months (e.g. ``compress:3:12``);
* ``max_years:Y`` -- the most years of progress inside a window of Y months.

**Sobol** (SALib's Saltelli/Sobol design): inputs are the config's uncertain
parameters sampled *independently* (Sobol indices assume independence; copula
correlations are ignored), first-order S1 and total ST with SALib's bootstrap
confidence half-widths. ``n`` (a power of 2) base samples, n (d + 2) model runs.

**Shapley effects** (Owen 2014; Song, Nelson & Staum 2016) attribute Var(Y) to
inputs *with* the config's Gaussian-copula correlations: with the cost
c(J) = E[Var(Y | X_-J)] (estimated with ``n_outer`` draws of the other inputs and
``n_inner`` conditional draws of X_J given them, on the normal-score scale where
X_J | X_-J is Gaussian), Sh_i = sum over J not containing i of
|J|! (d - |J| - 1)! / d! [c(J + i) - c(J)], divided by Var(Y); they are
non-negative in expectation and sum to 1. Every subset J is evaluated, so the
cost is (2^d - 2) n_outer n_inner + n_outer runs; standard errors follow from
the independent estimates of each c(J).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table, jsonable
from aiprogress.takeoff.config import MonteCarloConfig, _correlation_matrix, load_config
from aiprogress.takeoff.distributions import U_MIN
from aiprogress.takeoff.models import DAYS_PER_YEAR, get_model
from aiprogress.takeoff.statistics import max_compression_years

__all__ = ["SensitivityResult", "sensitivity", "shapley_effects", "statistic_values", "STATISTICS_HELP"]

STATISTICS_HELP = "sie, log10_days, compress:X:Y (e.g. compress:3:12) or max_years:Y (Y in months)"
MAX_SHAPLEY_INPUTS = 12


def _parse_statistic(statistic: str) -> tuple[str, tuple[float, ...]]:
    head, *rest = str(statistic).split(":")
    try:
        args = tuple(float(x) for x in rest)
    except ValueError:
        args = ()
        head = "bad"
    ok = (head in ("sie", "log10_days") and not rest) or (head == "compress" and len(args) == 2) or (
        head == "max_years" and len(args) == 1)
    if not ok or any(not (math.isfinite(a) and a > 0) for a in args):
        raise ParameterError("statistic", f"unknown statistic {statistic!r}", expected=STATISTICS_HELP)
    return head, args


def statistic_values(config: MonteCarloConfig, params: dict[str, np.ndarray], statistic: str = "sie", *,
                     cap_days: float = 1e5) -> np.ndarray:
    """The per-draw statistic for parameter arrays ``params`` (fixed ones are added from the config)."""
    head, args = _parse_statistic(statistic)
    full = {**{k: np.asarray(v) for k, v in config.fixed}, **params}
    spec = config.statistics
    model = get_model(config.model)
    if head in ("sie", "log10_days"):
        traj = model.simulate_batch(full, max_log2_software=spec.sie_log2, extra_log2_levels=(spec.sie_log2,))
        days = traj.time_to_level(spec.sie_log2) * DAYS_PER_YEAR
        if head == "sie":
            return (days < config.sie_days).astype(float)
        return np.log10(np.minimum(days, cap_days))
    window = args[1] if head == "compress" else args[0]
    top = (args[0] if head == "compress" else max(spec.curve_x_years + spec.table_x_years)) * spec.doublings_per_year
    traj = model.simulate_batch(full, max_log2_software=top + 1.0)
    years = max_compression_years(traj, window, spec.horizon_years, spec.doublings_per_year)
    return (years >= args[0] - 1e-12).astype(float) if head == "compress" else years


@dataclass(frozen=True)
class SensitivityResult(Result):
    """Sobol indices (S1, ST) or Shapley effects of one statistic, per uncertain parameter."""

    config: str
    model: str
    output: str  # the statistic
    method: str  # "sobol" or "shapley"
    base_samples: int
    evaluations: int
    indices: pd.DataFrame  # sobol: parameter, S1, S1_conf, ST, ST_conf; shapley: parameter, Shapley, Shapley_se
    variance: float = math.nan

    def to_frame(self) -> pd.DataFrame:
        return self.indices

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"config": self.config, "model": self.model, "output": self.output, "method": self.method,
                         "base_samples": self.base_samples, "evaluations": self.evaluations,
                         "variance": self.variance if math.isfinite(self.variance) else None,
                         "indices": self.indices})

    def summary(self) -> str:
        what = "Sobol indices" if self.method == "sobol" else "Shapley effects (share of variance, correlations kept)"
        return format_table(self.indices, title=f"{what} of '{self.output}' for config {self.config} "
                                                f"({self.evaluations} model runs)")


def _config(config) -> MonteCarloConfig:
    return config if isinstance(config, MonteCarloConfig) else load_config(config)


def _seeds(seed, k: int) -> list[int]:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError("seed", f"{seed!r}", expected="a whole number >= 0")
    return [int(x) for x in np.random.SeedSequence(int(seed)).generate_state(k) % (2**31 - 1)]


def sensitivity(config: MonteCarloConfig | str | Path, n: int = 1024, seed: int = 0, *, output: str = "sie",
                method: str = "sobol", n_inner: int = 3, cap_days: float = 1e5) -> SensitivityResult:
    """Sobol indices (``method="sobol"``, ``n`` base samples) or Shapley effects (``"shapley"``, ``n`` outer draws)."""
    config = _config(config)
    if method == "shapley":
        return shapley_effects(config, n_outer=n, n_inner=n_inner, seed=seed, output=output, cap_days=cap_days)
    if method != "sobol":
        raise ParameterError("method", f"unknown method {method!r}", expected="sobol or shapley")
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    _parse_statistic(output)
    if isinstance(n, bool) or int(n) != n or n < 2 or (int(n) & (int(n) - 1)):
        raise ParameterError("n", f"{n}", expected="a power of 2, at least 2")
    names = list(config.uncertain)
    if len(names) < 2:
        raise ParameterError("config", f"'{config.name}' has {len(names)} uncertain parameters", expected="at least 2")
    sample_seed, analyze_seed = _seeds(seed, 2)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    u = np.clip(sobol_sample.sample(problem, int(n), calc_second_order=False, seed=sample_seed), U_MIN, 1 - U_MIN)
    params = {m.name: m.ppf(u[:, j]) for j, m in enumerate(config.marginals)}
    y = statistic_values(config, params, output, cap_days=cap_days)
    if np.all(y == y[0]):
        frame = pd.DataFrame({"parameter": names, "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0})
    else:
        res = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=analyze_seed, print_to_console=False)
        frame = pd.DataFrame({"parameter": names, "S1": res["S1"], "S1_conf": res["S1_conf"], "ST": res["ST"],
                              "ST_conf": res["ST_conf"]})
    frame = frame.sort_values("ST", ascending=False, ignore_index=True)
    return SensitivityResult(config=config.name, model=config.model, output=output, method="sobol",
                             base_samples=int(n), evaluations=int(len(y)), indices=frame, variance=float(np.var(y)))


def _conditional(c: np.ndarray, J: list[int], K: list[int]):
    """Regression matrix and Cholesky factor of Z_J | Z_K for Z ~ N(0, c)."""
    if not K:
        return np.zeros((len(J), 0)), np.linalg.cholesky(c[np.ix_(J, J)])
    a = np.linalg.solve(c[np.ix_(K, K)], c[np.ix_(K, J)]).T  # (|J|, |K|)
    cov = c[np.ix_(J, J)] - a @ c[np.ix_(K, J)]
    return a, np.linalg.cholesky(cov + 1e-12 * np.eye(len(J)))


def shapley_effects(config: MonteCarloConfig | str | Path, *, n_outer: int = 1000, n_inner: int = 3, seed: int = 0,
                    output: str = "sie", cap_days: float = 1e5) -> SensitivityResult:
    """Shapley effects of ``output`` under the config's joint distribution (see the module docstring)."""
    config = _config(config)
    _parse_statistic(output)
    names = list(config.uncertain)
    d = len(names)
    if d < 2 or d > MAX_SHAPLEY_INPUTS:
        raise ParameterError("config", f"'{config.name}' has {d} uncertain parameters",
                             expected=f"2 to {MAX_SHAPLEY_INPUTS} for exact Shapley effects")
    for name, v, lo in (("n", n_outer, 2), ("n_inner", n_inner, 2)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
            raise ParameterError(name, f"{v!r}", expected=f"a whole number >= {lo}")
    c = _correlation_matrix(config)
    rng = np.random.default_rng(np.random.SeedSequence(_seeds(seed, 1)[0]))

    def to_params(z: np.ndarray) -> dict[str, np.ndarray]:
        u = np.clip(stats.norm.cdf(z), U_MIN, 1 - U_MIN)
        return {m.name: m.ppf(u[:, j]) for j, m in enumerate(config.marginals)}

    chol = np.linalg.cholesky(c)
    z_all = rng.standard_normal((n_outer, d)) @ chol.T
    y_all = statistic_values(config, to_params(z_all), output, cap_days=cap_days)
    var_y = float(np.var(y_all, ddof=1))
    subsets = [frozenset(s) for k in range(1, d) for s in itertools.combinations(range(d), k)]
    batches, owners = [], []
    for s in subsets:
        J = sorted(s)
        K = [j for j in range(d) if j not in s]
        a, lchol = _conditional(c, J, K)
        zk = rng.standard_normal((n_outer, d)) @ chol.T
        zk = np.repeat(zk[:, K], n_inner, axis=0)
        zj = zk @ a.T + rng.standard_normal((n_outer * n_inner, len(J))) @ lchol.T
        z = np.empty((n_outer * n_inner, d))
        z[:, K], z[:, J] = zk, zj
        batches.append(z)
        owners.append(s)
    y = statistic_values(config, to_params(np.concatenate(batches)), output, cap_days=cap_days)
    cost = {frozenset(): 0.0, frozenset(range(d)): var_y}
    cost_var = {frozenset(): 0.0, frozenset(range(d)): 0.0}
    size = n_outer * n_inner
    for k, s in enumerate(owners):
        within = y[k * size:(k + 1) * size].reshape(n_outer, n_inner).var(axis=1, ddof=1)
        cost[s] = float(within.mean())
        cost_var[s] = float(within.var(ddof=1) / n_outer)
    sh = np.zeros(d)
    sh_var = np.zeros(d)
    for i in range(d):
        for s in [frozenset()] + subsets:
            if i in s:
                continue
            w = math.factorial(len(s)) * math.factorial(d - len(s) - 1) / math.factorial(d)
            sh[i] += w * (cost[s | {i}] - cost[s])
            sh_var[i] += w * w * (cost_var[s | {i}] + cost_var[s])
    scale = var_y if var_y > 0 else math.nan
    frame = pd.DataFrame({"parameter": names, "Shapley": sh / scale, "Shapley_se": np.sqrt(sh_var) / scale})
    frame = frame.sort_values("Shapley", ascending=False, ignore_index=True)
    return SensitivityResult(config=config.name, model=config.model, output=output, method="shapley",
                             base_samples=int(n_outer), evaluations=int(n_outer + len(y)), indices=frame,
                             variance=var_y)
