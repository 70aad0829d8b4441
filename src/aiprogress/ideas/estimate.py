"""Estimate the idea production function (Besiroglu et al. eq. 13, App. J)::

    log g~_i = phi_t + gamma log S_i + beta log C_i + alpha' X_i + u_i

* ``phi_t``: one dummy per (benchmark, time window); windows of
  ``window_months`` months since January 2012 (:func:`aiprogress.ideas.inputs.time_window`).
  A pooled model keeps distinct fixed effects per benchmark and shares
  ``gamma, beta, alpha``.
* controls ``X``: ``extra_data``, ``reimplementation`` and, with ``trend=True``,
  ``years_since_2012`` (models A2/B2/C2).  A control without variation, or one
  that is collinear with the fixed effects (e.g. the trend when all dates in a
  window coincide), is dropped and the drop is noted.
* estimator: OLS with HC0 x (n-1)/(n-k) covariance, switching to GLS by
  maximum likelihood (multiplicative heteroskedasticity in log S, log C) when
  the Breusch-Pagan test rejects at 5% (``estimator="auto"``).
* capital share ``f = beta/(beta+gamma)`` with a bias-corrected percentile
  bootstrap interval (pairs bootstrap within benchmark; GLS weights held at
  their full-sample estimate), 10,000 resamples by default, batched.
* translog (eq. 19): adds ``1/2 (log S - log C)^2`` whose coefficient is
  ``rho gamma beta``; ``sigma = 1/(1-rho)`` with a delta-method interval and
  bootstrap draws (Figure 7).
* pooled vs separate: likelihood-ratio test of the restriction that the
  benchmarks share ``gamma, beta, alpha`` (Gaussian OLS likelihoods; the
  separate models also have their own error variance).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd
from scipy import stats as sps

from aiprogress.errors import ParameterError
from aiprogress.ideas.design import (  # noqa: F401  (re-exported: the estimator's public names)
    DEFAULT_CONTROLS,
    LOG_C,
    LOG_S,
    TRANSLOG,
    TREND,
    Design,
    LRTest,
    build_design,
    lr_test_pooled,
)
from aiprogress.ideas.inputs import time_window
from aiprogress.ideas.sample import IdeasSample, as_sample
from aiprogress.results import Result, format_table, jsonable
from aiprogress.stats.linear import BreuschPagan, LinearFit, fit_auto, stars
from aiprogress.stats.resample import ResampleDraws, bc_percentile_interval, bootstrap_coefs

WINDOW_CHOICES = (6, 12, 18)


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class ModelEstimate(Result):
    """One fitted idea production function (one row of Tables 4-6/12)."""

    label: str
    benchmarks: tuple[str, ...]
    window_months: int
    trend: bool
    nobs: int
    n_windows: int
    estimator: str
    breusch_pagan: BreuschPagan
    fit: LinearFit
    capital_share: float
    capital_share_ci: tuple[float, float]
    capital_share_level: float
    n_boot: int
    boot_failed: int
    translog: LinearFit | None = None
    sigma: float = math.nan
    sigma_se: float = math.nan
    sigma_ci: tuple[float, float] = (math.nan, math.nan)
    rho: float = math.nan
    notes: tuple[str, ...] = ()
    boot: ResampleDraws | None = None  # beta, gamma draws
    boot_translog: ResampleDraws | None = None  # translog, gamma, beta draws

    def coef(self, name: str) -> tuple[float, float, float]:
        """(estimate, std error, p-value) of a regressor; NaNs if absent."""
        if name not in self.fit.names:
            return (math.nan, math.nan, math.nan)
        j = self.fit.index(name)
        return (float(self.fit.params[j]), float(self.fit.bse[j]), float(self.fit.pvalues[j]))

    @property
    def beta(self) -> float:
        return self.coef(LOG_C)[0]

    @property
    def gamma(self) -> float:
        return self.coef(LOG_S)[0]

    def conf_int(self, name: str, level: float = 0.95) -> tuple[float, float]:
        j = self.fit.index(name)
        lo, hi = self.fit.conf_int(level)[j]
        return (float(lo), float(hi))

    def f_draws(self) -> np.ndarray:
        if self.boot is None:
            return np.array([])
        b, g = self.boot.draws[:, 0], self.boot.draws[:, 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            return b / (b + g)

    def sigma_draws(self) -> np.ndarray:
        if self.boot_translog is None:
            return np.array([])
        d, g, b = self.boot_translog.draws.T
        with np.errstate(divide="ignore", invalid="ignore"):
            return 1.0 / (1.0 - d / (g * b))

    def row(self) -> dict[str, Any]:
        b, bse, bp = self.coef(LOG_C)
        g, gse, gp = self.coef(LOG_S)
        t, tse, tp = self.coef(TREND)
        return {
            "model": self.label,
            "benchmarks": "+".join(self.benchmarks),
            "window_months": self.window_months,
            "estimator": self.estimator,
            "beta": b, "beta_se": bse, "beta_stars": stars(bp),
            "gamma": g, "gamma_se": gse, "gamma_stars": stars(gp),
            "trend": t, "trend_se": tse, "trend_stars": stars(tp),
            "loglik": self.fit.llf,
            "n": self.nobs,
            "capital_share": self.capital_share,
            "capital_share_low": self.capital_share_ci[0],
            "capital_share_high": self.capital_share_ci[1],
            "sigma": self.sigma, "sigma_low": self.sigma_ci[0], "sigma_high": self.sigma_ci[1],
        }

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.row()])

    def to_dict(self) -> dict[str, Any]:
        b_ci = self.conf_int(LOG_C)
        g_ci = self.conf_int(LOG_S)
        return jsonable(
            {
                "label": self.label,
                "benchmarks": list(self.benchmarks),
                "window_months": self.window_months,
                "has_trend": self.trend,
                "n": self.nobs,
                "n_windows": self.n_windows,
                "estimator": self.estimator,
                "breusch_pagan": {**self.breusch_pagan.to_dict(), "decision": "heteroskedastic: GLS" if self.breusch_pagan.rejects_at_5pct else "no rejection: OLS (HC)"},
                "beta": {"estimate": self.beta, "se": self.coef(LOG_C)[1], "ci95": list(b_ci), "stars": stars(self.coef(LOG_C)[2])},
                "gamma": {"estimate": self.gamma, "se": self.coef(LOG_S)[1], "ci95": list(g_ci), "stars": stars(self.coef(LOG_S)[2])},
                "trend": None if TREND not in self.fit.names else {"estimate": self.coef(TREND)[0], "se": self.coef(TREND)[1], "stars": stars(self.coef(TREND)[2])},
                "capital_share": {
                    "estimate": self.capital_share,
                    "interval": list(self.capital_share_ci),
                    "level": self.capital_share_level,
                    "method": "bias-corrected percentile bootstrap",
                    "n_boot": self.n_boot,
                    "failed_resamples": self.boot_failed,
                },
                "sigma": {"estimate": self.sigma, "se_delta": self.sigma_se, "ci95_delta": list(self.sigma_ci), "rho": self.rho},
                "loglik": self.fit.llf,
                "coefficients": self.fit.to_dict()["coefficients"],
                "notes": list(self.notes),
            }
        )


@dataclass(frozen=True)
class IdeasEstimate(Result):
    """Separate and pooled estimates, shaped like Tables 4-5 (and 6/12 by window)."""

    models: tuple[ModelEstimate, ...]
    lr_test: LRTest | None
    sample: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    #: models left out because their rows cannot identify them (``on_inestimable="skip"``):
    #: dicts with ``benchmark, model, rows, needed, reason``
    skipped: tuple[dict[str, Any], ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([m.row() for m in self.models])

    def to_dict(self) -> dict[str, Any]:
        return {
            "models": [m.to_dict() for m in self.models],
            "lr_test_pooled_vs_separate": None if self.lr_test is None else self.lr_test.to_dict(),
            "sample": jsonable(self.sample),
            "skipped": jsonable([dict(s) for s in self.skipped]),
            "notes": list(self.notes),
        }

    def model(self, label: str) -> ModelEstimate:
        for m in self.models:
            if m.label == label:
                return m
        raise ParameterError("label", f"'{label}'", expected=", ".join(m.label for m in self.models))

    def bootstrap_draws(self) -> pd.DataFrame:
        """The bootstrap draws of (beta, gamma) of every model: columns ``model``, ``beta``, ``gamma``.

        This is the input of ``aiprogress.growth.growth_distribution`` (and of
        ``aiprogress growth from-estimates --draws``).
        """
        parts = [
            pd.DataFrame({"model": m.label, "beta": m.boot.draws[:, 0], "gamma": m.boot.draws[:, 1]})
            for m in self.models
            if m.boot is not None
        ]
        if not parts:
            raise ParameterError("n_boot", "the estimate has no bootstrap draws", expected="n_boot > 0")
        return pd.concat(parts, ignore_index=True)

    def table(self) -> pd.DataFrame:
        """Paper-style table: 'estimate*** (se)' strings."""
        rows = []
        for m in self.models:
            r = m.row()

            def cell(k: str) -> str:
                return "—" if not np.isfinite(r[k]) else f"{r[k]:.3f}{r[k + '_stars']} ({r[k + '_se']:.3f})"

            rows.append({
                "model": m.label, "window": f"{m.window_months}m", "estimator": m.estimator,
                "beta": cell("beta"), "gamma": cell("gamma"), "trend": cell("trend"),
                "f": f"{m.capital_share:.3f} [{m.capital_share_ci[0]:.3f}, {m.capital_share_ci[1]:.3f}]",
                "sigma": f"{m.sigma:.3f}" if np.isfinite(m.sigma) else "—",
                "loglik": round(m.fit.llf, 3), "n": m.nobs,
            })
        return pd.DataFrame(rows)

    def summary(self) -> str:
        out = [format_table(self.table(), title="Idea production function: log g~ = phi_t + gamma log S + beta log C + alpha X")]
        out.append("* p<0.05, ** p<0.01, *** p<0.001; f = beta/(beta+gamma) with bias-corrected percentile bootstrap interval")
        if self.lr_test is not None:
            t = self.lr_test
            out.append(f"LR test pooled vs separate: LR={t.lr:.3f}, df={t.df}, p={t.pvalue:.4f} -> {t.decision}")
        out.extend(f"skipped: {skip_line(s)}" for s in self.skipped)
        out.extend(f"note: {n}" for n in self.notes)
        for m in self.models:
            out.extend(f"note [{m.label}]: {n}" for n in m.notes)
        return "\n".join(out)


# --------------------------------------------------------------------------- estimation
def _sigma_delta(fit: LinearFit) -> tuple[float, float, float, tuple[float, float]]:
    """rho, sigma, delta-method se and 95% interval of sigma from a translog fit."""
    i_d, i_g, i_b = fit.index(TRANSLOG), fit.index(LOG_S), fit.index(LOG_C)
    d, g, b = fit.params[[i_d, i_g, i_b]]
    rho = d / (g * b)
    sigma = 1.0 / (1.0 - rho)
    grad_rho = np.array([1.0 / (g * b), -d / (g**2 * b), -d / (g * b**2)])
    grad = sigma**2 * grad_rho
    V = fit.cov[np.ix_([i_d, i_g, i_b], [i_d, i_g, i_b])]
    se = float(np.sqrt(grad @ V @ grad))
    q = sps.norm.ppf(0.975)
    return float(rho), float(sigma), se, (float(sigma - q * se), float(sigma + q * se))


def fit_model(
    frame: pd.DataFrame,
    *,
    label: str,
    window_months: int = 12,
    trend: bool = False,
    controls: tuple[str, ...] | list[str] = DEFAULT_CONTROLS,
    estimator: str = "auto",
    n_boot: int = 10_000,
    f_level: float = 0.90,
    translog: bool = True,
    seed: int | np.random.Generator = 0,
    scheduler: Any = None,
    progress: Callable[[int], None] | None = None,
) -> ModelEstimate:
    """Fit one model (one benchmark or a pooled set) with its capital share and sigma."""
    design = build_design(frame, window_months=window_months, trend=trend, controls=controls)
    fit, bp = fit_auto(design.X, design.y, design.names, Z=design.Z, estimator=estimator)
    b, g = fit.params[design.col(LOG_C)], fit.params[design.col(LOG_S)]
    f = float(b / (b + g))
    rng = np.random.default_rng(seed) if not isinstance(seed, np.random.Generator) else seed
    boot = None
    ci = (math.nan, math.nan)
    failed = 0
    sw = np.sqrt(fit.weights)
    if n_boot > 0:
        boot = bootstrap_coefs(
            design.X * sw[:, None], design.y * sw, cols=[design.col(LOG_C), design.col(LOG_S)], names=["beta", "gamma"],
            n_boot=n_boot, strata=design.strata, seed=rng, scheduler=scheduler, progress=progress,
        )
        bb, gg = boot.draws[:, 0], boot.draws[:, 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            fd = bb / (bb + gg)
        ci = bc_percentile_interval(f, fd, f_level)
        failed = boot.n_failed
    tl = None
    rho = sigma = sigma_se = math.nan
    sigma_ci = (math.nan, math.nan)
    boot_tl = None
    notes = list(design.notes)
    if translog:
        td = build_design(frame, window_months=window_months, trend=trend, controls=controls, translog=True)
        try:
            tl, _ = fit_auto(td.X, td.y, td.names, Z=td.Z, estimator="gls" if fit.estimator.startswith("GLS") else "ols")
            rho, sigma, sigma_se, sigma_ci = _sigma_delta(tl)
            if n_boot > 0:
                tsw = np.sqrt(tl.weights)
                boot_tl = bootstrap_coefs(
                    td.X * tsw[:, None], td.y * tsw, cols=[td.col(TRANSLOG), td.col(LOG_S), td.col(LOG_C)],
                    names=["rho_gamma_beta", "gamma", "beta"], n_boot=n_boot, strata=td.strata, seed=rng,
                    scheduler=scheduler, progress=progress,
                )
        except ParameterError as exc:
            notes.append(f"translog not estimated: {exc}")
    if not (np.isfinite(b) and np.isfinite(g)) or b + g <= 0:
        notes.append("beta + gamma <= 0: the capital share is not meaningful")
    return ModelEstimate(
        label=label,
        benchmarks=tuple(sorted(frame["benchmark"].astype(str).unique())),
        window_months=int(window_months),
        trend=trend,
        nobs=fit.nobs,
        n_windows=design.n_windows,
        estimator=fit.estimator,
        breusch_pagan=bp,
        fit=fit,
        capital_share=f,
        capital_share_ci=ci,
        capital_share_level=f_level,
        n_boot=n_boot,
        boot_failed=failed,
        translog=tl,
        sigma=sigma,
        sigma_se=sigma_se,
        sigma_ci=sigma_ci,
        rho=rho,
        notes=tuple(notes),
        boot=boot,
        boot_translog=boot_tl,
    )


_BENCH_LABEL = {"imagenet": "A", "ms_coco": "B"}


def model_label(benchmark: str, trend: bool) -> str:
    """The paper's label for a separate model: A = ImageNet, B = MS COCO; suffix 1 without trend, 2 with."""
    suffix = "2" if trend else "1"
    return _BENCH_LABEL[benchmark] + suffix if benchmark in _BENCH_LABEL else f"{benchmark}-{suffix}"


def pooled_label(benchmarks: list[str], trend: bool) -> str:
    """The paper's label for the pooled model (C for ImageNet + MS COCO)."""
    suffix = "2" if trend else "1"
    return "C" + suffix if set(benchmarks) == {"imagenet", "ms_coco"} else "pooled-" + suffix


def skip_line(s: dict[str, Any]) -> str:
    """One line for a skipped model (summary text, CLI warning, error message)."""
    return f"model {s['model']} ({s['benchmark']}): {s['reason']}"


def _identification(sub: pd.DataFrame, window_months: int) -> dict[str, int]:
    """What a separate model needs: rows >= windows + 3 (window effects, log S, log C, one residual dof)
    and >= windows + 2 distinct (window, S, C) input points (else log S, log C are collinear with the effects)."""
    w = time_window(sub["date"], int(window_months))
    n_w = int(w.nunique())
    points = pd.DataFrame({"w": w.to_numpy(), "s": sub["human_capital"].to_numpy(float), "c": sub["train_flop"].to_numpy(float)})
    return {"needed": n_w + 3, "windows": n_w, "distinct_inputs": int(len(points.drop_duplicates())), "distinct_needed": n_w + 2}


def estimate(
    data: IdeasSample | pd.DataFrame,
    *,
    benchmarks: list[str] | tuple[str, ...] | None = None,
    pooled: bool = True,
    separate: bool = True,
    window_months: int = 12,
    trend: bool = False,
    controls: tuple[str, ...] | list[str] = DEFAULT_CONTROLS,
    estimator: str = "auto",
    n_boot: int = 10_000,
    f_level: float = 0.90,
    translog: bool = True,
    seed: int | np.random.Generator = 0,
    scheduler: Any = None,
    progress: Callable[[int], None] | None = None,
    on_inestimable: str = "error",
) -> IdeasEstimate:
    """Separate per-benchmark models and a pooled model (with the LR test).

    Model labels follow the paper where the benchmark matches (A = ImageNet,
    B = MS COCO, C = pooled; suffix 1 without trend, 2 with trend); other
    benchmarks are labelled by name.

    ``on_inestimable``: what to do when a benchmark's rows cannot identify its
    separate model (too few rows per window, e.g. after a complete-case
    human-capital join): ``"error"`` raises; ``"skip"`` leaves the benchmark
    out of every model (its separate model and the pooled one), records it in
    :attr:`IdeasEstimate.skipped` and estimates the rest; it still raises
    when no benchmark is left.
    """
    if on_inestimable not in ("error", "skip"):
        raise ParameterError("on_inestimable", f"'{on_inestimable}'", expected="error | skip")
    sample = as_sample(data)
    frame = sample.frame
    if benchmarks is not None:
        missing = [b for b in benchmarks if b not in set(frame["benchmark"])]
        if missing:
            raise ParameterError("benchmarks", f"no rows for '{missing[0]}' in the sample", expected=", ".join(sorted(set(frame["benchmark"]))))
        frame = frame[frame["benchmark"].isin(benchmarks)]
    benches = sorted(frame["benchmark"].astype(str).unique())
    if not (separate or pooled):
        raise ParameterError("pooled", "both separate and pooled are off", expected="at least one model")
    rng = np.random.default_rng(seed) if not isinstance(seed, np.random.Generator) else seed
    kw = dict(window_months=window_months, trend=trend, controls=controls, estimator=estimator, n_boot=n_boot,
              f_level=f_level, translog=translog, scheduler=scheduler, progress=progress)
    models: list[ModelEstimate] = []
    skipped: list[dict[str, Any]] = []
    if separate or len(benches) == 1:
        for b in benches:
            label = model_label(b, trend)
            sub = frame[frame["benchmark"] == b]
            try:
                models.append(fit_model(sub, label=label, seed=rng, **kw))
            except ParameterError as exc:
                why = str(exc).removeprefix(f"parameter '{exc.name}': ")
                if on_inestimable == "error":
                    raise ParameterError(
                        "data", f"model {label} ({len(sub)} rows of {b}) cannot be estimated: {why}",
                        expected="more rows per window for this benchmark, or --benchmarks without it",
                    ) from None
                ident = _identification(sub, window_months)
                why += (f"; {len(sub)} rows, {ident['distinct_inputs']} distinct (S, C) inputs in {ident['windows']} "
                        f"{window_months}-month window(s); needs >= {ident['needed']} rows and >= {ident['distinct_needed']} distinct inputs")
                skipped.append({"benchmark": b, "model": label, "rows": int(len(sub)), **ident, "reason": why})
    if skipped:
        out = {s["benchmark"] for s in skipped}
        if len(out) == len(benches):
            raise ParameterError("data", "nothing can be estimated: " + "; ".join(skip_line(s) for s in skipped),
                                 expected="more rows per window, another --human-capital measure or other --benchmarks")
        left = [b for b in benches if b not in out]
        if pooled and len(benches) > 1:
            why = (f"fit on {'+'.join(left)} only ({', '.join(sorted(out))} left out)" if len(left) > 1
                   else f"a pooled model needs >= 2 estimable benchmarks; only {left[0]} is left")
            skipped.append({"benchmark": "+".join(benches), "model": pooled_label(benches, trend), "rows": int(len(frame)),
                            "needed": None, "reason": why})
        benches = left
        frame = frame[frame["benchmark"].isin(benches)]
    lr = None
    if pooled and len(benches) > 1:
        label = pooled_label(benches, trend)
        models.append(fit_model(frame, label=label, seed=rng, **kw))
        lr = lr_test_pooled(frame, window_months=window_months, trend=trend, controls=controls)
    info = {"baseline_rule": sample.baseline_rule, "human_capital_source": sample.human_capital_source, "nonpositive_rule": sample.nonpositive_rule, **sample.coverage}
    return IdeasEstimate(models=tuple(models), lr_test=lr, sample=info, notes=sample.notes, skipped=tuple(skipped))
