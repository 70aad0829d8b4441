"""Random-effects meta-analysis of log r across domains, and the distribution ``algorithmic:meta`` for takeoff configs.

Studies: the published software estimates (Eth & Davidson 2025, Table 4, citing
Epoch: image recognition, computer chess, RL sample efficiency, SAT solvers, linear
programming, algorithms in general; hardware rows are left out unless
``include_hardware``, since the quantity wanted is r of AI *software*) and our own
estimate per domain (vision, language; :data:`aiprogress.algorithmic.sources.PREFERRED`).

Standard errors on the log scale: from a published 5–95% interval
``(ln high − ln low) / (2 · 1.645)``; a published point without an interval gets the
log-sd of the image-recognition interval (``assumed_log_se``, 0.334; it is an
assumption and its effect is reported by :func:`meta_sensitivity`); ours by the delta
method ``se(r) / r`` (estimates with r <= 0 cannot enter a log-scale analysis and are
listed as excluded).

Pooling: ``statsmodels.stats.meta_analysis.combine_effects`` (random effects,
Paule–Mandel ``iterated`` τ² by default, or DerSimonian–Laird ``chi2``), giving the
pooled mean μ of log r, τ², I², Q. The prediction interval for the log r of a new
domain (Higgins, Thompson & Spiegelhalter 2009) is ``μ ± t_{k−2} sqrt(τ² + se(μ)²)``;
:func:`provide` turns it into ``{"dist": "lognormal", "median": e^μ, "log_sd": sqrt(τ² + se(μ)²)}``
(the takeoff Monte Carlo's lognormal with a median and a log-sd).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from aiprogress.algorithmic.published import published_r
from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table

__all__ = ["ASSUMED_LOG_SE", "MetaResult", "meta_analysis", "meta_sensitivity", "provide", "studies"]

Z90 = float(stats.norm.ppf(0.95))
ASSUMED_LOG_SE = math.log(2.4 / 0.8) / (2 * Z90)  # the image-recognition 5–95% interval on the log scale
METHODS = {"pm": "iterated", "dl": "chi2"}


def studies(ours: pd.DataFrame | None = None, *, include_hardware: bool = False, assumed_log_se: float = ASSUMED_LOG_SE) -> pd.DataFrame:
    """The studies entering the meta-analysis: label, r, log r, se of log r, origin, how the se was obtained, included?"""
    if not assumed_log_se > 0:
        raise ParameterError("assumed_log_se", f"got {assumed_log_se}", expected="a number > 0")
    pub = published_r()
    pub = pub[pub["quantity"] == "r"]
    rows = []
    for _, p in pub.iterrows():
        if p["kind"] == "hardware" and not include_hardware:
            continue
        has_ci = pd.notna(p["low"]) and pd.notna(p["high"])
        se = (math.log(p["high"]) - math.log(p["low"])) / (2 * Z90) if has_ci else assumed_log_se
        rows.append({"study": f"{p['domain']} (published)", "domain": p["domain"], "r": float(p["estimate"]), "log_r": math.log(p["estimate"]),
                     "se_log_r": se, "origin": "published", "se_from": "5–95% interval" if has_ci else f"assumed ({assumed_log_se:.3f})",
                     "source": p["source"].split(",")[0], "included": True, "why_excluded": ""})
    for _, o in (ours if ours is not None else pd.DataFrame()).iterrows():
        ok = pd.notna(o.get("r")) and o["r"] > 0 and pd.notna(o.get("se")) and o["se"] > 0
        rows.append({"study": f"{o['domain']} (ours: {o['estimator']}, {o['input']})", "domain": o["domain"], "r": o.get("r"),
                     "log_r": math.log(o["r"]) if ok else math.nan, "se_log_r": o["se"] / o["r"] if ok else math.nan,
                     "origin": "aiprogress", "se_from": "delta method se(r)/r", "source": "aiprogress.algorithmic.sources",
                     "included": bool(ok), "why_excluded": "" if ok else "r <= 0 or no standard error (log r undefined)"})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class MetaResult(Result):
    """Pooled log r, heterogeneity and the prediction interval for a new domain."""

    k: int
    method: str
    mu_log_r: float
    se_mu: float
    pooled_r: float
    pooled_low: float
    pooled_high: float
    tau2: float
    i2: float
    q: float
    q_pvalue: float
    prediction_low: float
    prediction_high: float
    level: float
    distribution: dict
    studies: pd.DataFrame = field(repr=False)
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return self.studies

    def summary(self) -> str:
        head = pd.DataFrame([{"k": self.k, "pooled_r": self.pooled_r, "ci_low": self.pooled_low, "ci_high": self.pooled_high,
                              "tau2": self.tau2, "I2": self.i2, "Q": self.q, "Q_p": self.q_pvalue,
                              "pred_low": self.prediction_low, "pred_high": self.prediction_high}])
        cols = ["study", "r", "se_log_r", "se_from", "weight_re", "included", "why_excluded"]
        return "\n\n".join([
            format_table(head, title=f"Random-effects meta-analysis of log r ({self.method}; {self.level:.0%} intervals; prediction = r of a new domain)"),
            format_table(self.studies[[c for c in cols if c in self.studies]], title="Studies"),
            f"Distribution for takeoff configs (r: {{from: \"algorithmic:meta\"}}): {self.distribution}",
            *self.notes,
        ])


def meta_analysis(table: pd.DataFrame, *, method: str = "pm", level: float = 0.90) -> MetaResult:
    """Random-effects pooling of the included rows of a :func:`studies` table."""
    from statsmodels.stats.meta_analysis import combine_effects

    if method not in METHODS:
        raise ParameterError("method", f"got {method!r}", expected="pm (Paule–Mandel) | dl (DerSimonian–Laird)")
    if not 0 < level < 1:
        raise ParameterError("level", f"got {level}", expected="0 < level < 1")
    inc = table[table["included"]].reset_index(drop=True)
    k = len(inc)
    if k < 3:
        raise ParameterError("studies", f"only {k} usable studies", expected="at least 3 for a prediction interval")
    res = combine_effects(inc["log_r"].to_numpy(float), inc["se_log_r"].to_numpy(float) ** 2, method_re=METHODS[method],
                          row_names=list(inc["study"]))
    mu, se_mu, tau2 = float(res.mean_effect_re), float(res.sd_eff_w_re), float(res.tau2)
    z = float(stats.norm.ppf(0.5 + level / 2))
    tq = float(stats.t.ppf(0.5 + level / 2, k - 2))
    pred_sd = math.sqrt(tau2 + se_mu**2)
    out = table.copy()
    out["weight_re"] = np.nan
    out.loc[out["included"], "weight_re"] = np.asarray(res.weights_rel_re)
    q = float(res.q)
    dist = {"dist": "lognormal", "median": math.exp(mu), "log_sd": pred_sd,
            "source": f"aiprogress algorithmic meta: random-effects ({method}) prediction for a new domain, k={k}"}
    notes = (
        "Each study is one domain's r; our vision estimate and the published image-recognition estimate measure related but "
        "different series (training-compute efficiency vs Epoch's image-recognition series) and both are kept.",
        f"Prediction interval: μ ± t(k−2) sqrt(τ² + se(μ)²) on log r (Higgins et al. 2009); the lognormal for takeoff uses median e^μ "
        f"and log-sd sqrt(τ² + se(μ)²) = {pred_sd:.3f}.",
    )
    return MetaResult(
        k=k, method=method, mu_log_r=mu, se_mu=se_mu, pooled_r=math.exp(mu), pooled_low=math.exp(mu - z * se_mu),
        pooled_high=math.exp(mu + z * se_mu), tau2=tau2, i2=float(res.i2), q=q, q_pvalue=float(stats.chi2.sf(q, k - 1)),
        prediction_low=math.exp(mu - tq * pred_sd), prediction_high=math.exp(mu + tq * pred_sd), level=level,
        distribution=dist, studies=out, notes=notes,
    )


def meta_sensitivity(table_builder, values=(0.2, ASSUMED_LOG_SE, 0.5), method: str = "pm", level: float = 0.90) -> pd.DataFrame:
    """Pooled r, τ² and the prediction interval as the assumed log-se of point-only published estimates varies."""
    rows = []
    for v in values:
        m = meta_analysis(table_builder(v), method=method, level=level)
        rows.append({"assumed_log_se": v, "pooled_r": m.pooled_r, "tau2": m.tau2, "I2": m.i2,
                     "prediction_low": m.prediction_low, "prediction_high": m.prediction_high})
    return pd.DataFrame(rows)


def run_meta(*, ours: bool = True, include_hardware: bool = False, method: str = "pm", level: float = 0.90,
             assumed_log_se: float = ASSUMED_LOG_SE, n_boot: int = 0, seed: int | None = 0,
             data_dir: str | Path | None = None, catalog: str | Path | None = None) -> tuple[MetaResult, pd.DataFrame]:
    """Meta-analysis with our preferred per-domain estimates (from the shared data) and the assumed-se sensitivity.

    Memoised per process on the arguments (with the data folder and catalog resolved), so the report section
    and a takeoff scenario's ``{from: "algorithmic:meta"}`` share one computation."""
    from aiprogress.paths import resolve_catalog, resolve_data_dir

    cat = resolve_catalog(catalog)
    key = (ours, include_hardware, method, level, assumed_log_se, n_boot, seed, str(resolve_data_dir(data_dir)),
           str(cat), cat.stat().st_mtime_ns if cat.is_file() else None)
    if key not in _RUNS:
        _RUNS[key] = _run_meta(ours, include_hardware, method, level, assumed_log_se, n_boot, seed, data_dir, catalog)
    result, sens = _RUNS[key]
    return result, sens.copy()


_RUNS: dict[tuple, tuple[MetaResult, pd.DataFrame]] = {}


def _run_meta(ours, include_hardware, method, level, assumed_log_se, n_boot, seed, data_dir, catalog):
    mine = None
    if ours:
        from aiprogress.algorithmic.sources import ESTIMATORS, PREFERRED, r_from_sources

        src = r_from_sources(measures=(PREFERRED[1],), estimators=tuple(e for e in ESTIMATORS if e == PREFERRED[0]),
                             n_boot=n_boot, seed=seed, data_dir=data_dir, catalog=catalog)
        mine = src.preferred()

    def build(v: float) -> pd.DataFrame:
        return studies(mine, include_hardware=include_hardware, assumed_log_se=v)

    result = meta_analysis(build(assumed_log_se), method=method, level=level)
    return result, meta_sensitivity(build, method=method, level=level)


_CACHE: dict[tuple, dict] = {}


def provide(name: str, **options) -> dict:
    """Distribution provider for ``{from: "algorithmic:<name>"}``: ``meta`` (ours + published) or ``meta-published`` (published only).

    The data are read from the catalog / data folder of the enclosing :func:`aiprogress.capabilities.data_source`
    (a report section sets its own), else by the default rule of :func:`aiprogress.data.load_table`."""
    if options:
        raise LookupError(f"'algorithmic:{name}' takes no options (got with: {', '.join(sorted(options))})")
    if name not in ("meta", "meta-published"):
        raise LookupError(f"no distribution '{name}' in capability 'algorithmic' (available: meta, meta-published)")
    from aiprogress.capabilities import current_data_source

    where = current_data_source()  # the report section's catalog / data folder, when it set one
    key = (name, str(where["catalog"]), str(where["data_dir"]))
    if key not in _CACHE:
        result, _ = run_meta(ours=(name == "meta"), **where)
        _CACHE[key] = {k: v for k, v in result.distribution.items() if k != "source"}
    return dict(_CACHE[key])
