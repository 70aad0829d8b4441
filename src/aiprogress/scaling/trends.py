"""Growth of training compute over time (Epoch models table) and its doubling time.

Method: OLS of log10(train_flop) on the publication date in decimal years;
doubling time in months = 12 * log10(2) / slope. Intervals: heteroskedasticity-
robust (HC3) intervals on the slope (normal quantiles, statsmodels' default
for robust covariances; the default) or a percentile
bootstrap over models (``interval="bootstrap"``, seeded), mapped to doubling
times (the map is monotone for positive slopes; a slope interval reaching zero
gives an infinite upper doubling time).

Eras (Epoch-style, following Sevilla et al. 2022, "Compute Trends Across Three
Eras of Machine Learning"; the dates are parameters):

* ``pre_dl``: published before 2010-01-01;
* ``dl``: published on or after 2010-01-01;
* ``large_scale``: published on or after 2015-10-01 (late 2015) *and* with
  compute at least ``large_scale_z`` (default 1.0) residual standard
  deviations above the deep-learning-era trend line. The z rule is our
  choice for "far above the contemporary trend".

Sample: Epoch's notable models (non-empty ``notability`` column) with a
reported training compute, unless ``notable_only=False``.

Frontier: ``top_k`` keeps the k largest-compute models of each calendar year;
``running_max`` keeps the models that set a new compute record when published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from aiprogress.errors import InputError, ParameterError
from aiprogress.results import Result, format_table
from aiprogress.stats import smapi as sm

LOG10_2 = float(np.log10(2.0))
DL_START = "2010-01-01"
LARGE_SCALE_START = "2015-10-01"


def decimal_year(dates: pd.Series) -> pd.Series:
    d = pd.to_datetime(dates, errors="coerce")
    start = pd.to_datetime(d.dt.year.astype("Int64").astype(str) + "-01-01", errors="coerce")
    days = np.where(d.dt.is_leap_year, 366.0, 365.0)
    return d.dt.year + (d - start).dt.days / days


@dataclass(frozen=True)
class DoublingTime(Result):
    """Log-linear trend of compute over time."""

    label: str
    n: int
    start: float
    end: float
    slope_log10_per_year: float
    slope_ci_low: float
    slope_ci_high: float
    doubling_months: float
    doubling_months_ci_low: float
    doubling_months_ci_high: float
    growth_per_year: float
    intercept: float
    interval: str
    r2: float


def _months(slope: float) -> float:
    return 12.0 * LOG10_2 / slope if slope > 0 else np.inf


def fit_doubling(
    t_years: np.ndarray | pd.Series,
    log10_compute: np.ndarray | pd.Series,
    *,
    label: str = "",
    interval: str = "hc",
    alpha: float = 0.05,
    n_boot: int = 1000,
    seed: int | np.random.Generator | None = 0,
) -> DoublingTime:
    """Doubling time of 10**log10_compute over decimal years ``t_years``."""
    t = np.asarray(t_years, dtype=float)
    y = np.asarray(log10_compute, dtype=float)
    ok = np.isfinite(t) & np.isfinite(y)
    t, y = t[ok], y[ok]
    if len(t) < 3 or np.ptp(t) == 0:
        raise InputError(f"{label or 'trend'}: {len(t)} usable models", expected="at least 3 with different dates")
    if interval not in ("hc", "bootstrap"):
        raise ParameterError("interval", f"'{interval}'", expected="hc or bootstrap")
    X = sm.add_constant(t)
    res = sm.OLS(y, X).fit(cov_type="HC3")
    b = float(res.params[1])
    if interval == "hc":
        ci = res.conf_int(alpha=alpha)
        lo, hi = float(ci[1, 0]), float(ci[1, 1])
        # statsmodels uses the normal for robust covariances; keep that
    else:
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        idx = rng.integers(0, len(t), size=(n_boot, len(t)))
        tb, yb = t[idx], y[idx]
        tm, ym = tb.mean(axis=1, keepdims=True), yb.mean(axis=1, keepdims=True)
        # vectorised OLS slopes of the bootstrap resamples (same estimator as above)
        slopes = ((tb - tm) * (yb - ym)).sum(axis=1) / ((tb - tm) ** 2).sum(axis=1)
        lo, hi = (float(v) for v in np.nanquantile(slopes, [alpha / 2, 1 - alpha / 2]))
    return DoublingTime(
        label=label,
        n=int(len(t)),
        start=float(t.min()),
        end=float(t.max()),
        slope_log10_per_year=b,
        slope_ci_low=lo,
        slope_ci_high=hi,
        doubling_months=_months(b),
        doubling_months_ci_low=_months(hi),
        doubling_months_ci_high=_months(lo),
        growth_per_year=float(10.0**b),
        intercept=float(res.params[0]),
        interval=interval,
        r2=float(res.rsquared),
    )


def prepare_models(models: pd.DataFrame, *, notable_only: bool = True) -> pd.DataFrame:
    """Models with a training compute and a date: columns model, domain, t, log10_flop, notable."""
    for c in ("model", "publication_date", "train_flop"):
        if c not in models.columns:
            raise InputError(f"models table lacks column '{c}'", column=c, expected="the models schema")
    out = pd.DataFrame(
        {
            "model": models["model"].astype(str),
            "domain": models["domain"].fillna("Other").astype(str).str.split(",").str[0].str.strip() if "domain" in models.columns else "Other",
            "date": pd.to_datetime(models["publication_date"], errors="coerce"),
            "train_flop": pd.to_numeric(models["train_flop"], errors="coerce"),
            "notable": models["notability"].notna() & (models["notability"].astype(str).str.strip() != "") if "notability" in models.columns else True,
        }
    )
    out = out[(out["train_flop"] > 0) & out["date"].notna()]
    if notable_only and "notability" in models.columns:
        out = out[out["notable"]]
    out = out.assign(t=decimal_year(out["date"]), log10_flop=np.log10(out["train_flop"]))
    return out.sort_values("date").reset_index(drop=True)


def frontier(frame: pd.DataFrame, method: str = "top_k", k: int = 5, value: str = "log10_flop", time: str = "t") -> pd.DataFrame:
    """Frontier models: top-k per calendar year, or running-maximum record setters."""
    if method == "top_k":
        if k < 1:
            raise ParameterError("k", f"{k}", expected="a positive integer")
        year = np.floor(frame[time]).astype(int)
        return frame.assign(_y=year).sort_values(value, ascending=False).groupby("_y").head(k).drop(columns="_y").sort_values(time)
    if method == "running_max":
        f = frame.sort_values(time)
        prev = f[value].cummax().shift(1).fillna(-np.inf)
        return f[f[value] > prev]
    raise ParameterError("frontier", f"unknown method '{method}'", expected="top_k or running_max")


def breakpoint_search(t: np.ndarray, y: np.ndarray, *, min_segment: int = 10, grid: int = 60) -> tuple[float, float]:
    """Date splitting the series into two separate log-linear fits with the least total SSR.

    Hand-written: a grid search over candidate dates (no maintained package for
    this simple two-segment case). Returns (break year, total SSR).
    """
    order = np.argsort(t)
    t, y = t[order], y[order]
    if len(t) < 2 * min_segment:
        raise InputError(f"{len(t)} models are too few for a breakpoint search", expected=f"at least {2 * min_segment}")
    cands = np.unique(np.quantile(t[min_segment - 1 : len(t) - min_segment + 1], np.linspace(0, 1, grid)))

    def ssr(tt: np.ndarray, yy: np.ndarray) -> float:
        A = np.column_stack([np.ones_like(tt), tt])
        coef, *_ = np.linalg.lstsq(A, yy, rcond=None)
        return float(((yy - A @ coef) ** 2).sum())

    best = (np.nan, np.inf)
    for c in cands:
        left = t < c
        if left.sum() < min_segment or (~left).sum() < min_segment:
            continue
        s = ssr(t[left], y[left]) + ssr(t[~left], y[~left])
        if s < best[1]:
            best = (float(c), s)
    return best


@dataclass(frozen=True)
class ComputeTrends(Result):
    """Doubling times by era, of the frontier, per domain and for ImageNet models."""

    eras: tuple[DoublingTime, ...]
    frontier: tuple[DoublingTime, ...]
    domains: tuple[DoublingTime, ...]
    imagenet: tuple[DoublingTime, ...]
    breakpoint_year: float | None
    breakpoint: tuple[DoublingTime, ...]
    settings: dict[str, Any]
    points: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d.pop("points")
        d["dl_era_doubling_months"] = self.era("dl").doubling_months
        return d

    def era(self, label: str) -> DoublingTime:
        for e in self.eras:
            if e.label == label:
                return e
        raise KeyError(label)

    def to_frame(self) -> pd.DataFrame:
        rows = []
        for group, items in (("era", self.eras), ("frontier", self.frontier), ("domain", self.domains), ("imagenet", self.imagenet), ("breakpoint", self.breakpoint)):
            for it in items:
                rows.append({"group": group} | it.to_frame().iloc[0].to_dict())
        return pd.DataFrame(rows)

    def summary(self) -> str:
        cols = ["group", "label", "n", "start", "end", "doubling_months", "doubling_months_ci_low", "doubling_months_ci_high", "growth_per_year"]
        text = format_table(self.to_frame()[cols], title="Training-compute doubling times (months, 95% CI)", floatfmt="{:.4g}")
        return text + "\n" + "; ".join(f"{k}={v}" for k, v in self.settings.items())


def compute_trends(
    models: pd.DataFrame,
    benchmark_results: pd.DataFrame | None = None,
    *,
    notable_only: bool = True,
    interval: str = "hc",
    n_boot: int = 1000,
    seed: int | np.random.Generator | None = 0,
    dl_start: str = DL_START,
    large_scale_start: str = LARGE_SCALE_START,
    large_scale_z: float = 1.0,
    frontier_method: str = "top_k",
    top_k: int = 5,
    min_domain_models: int = 20,
    breakpoint: bool = False,
) -> ComputeTrends:
    """Doubling times of training compute by era, of the frontier (overall, per domain) and of ImageNet models."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    m = prepare_models(models, notable_only=notable_only)
    t_dl = float(decimal_year(pd.Series([pd.Timestamp(dl_start)])).iloc[0])
    t_ls = float(decimal_year(pd.Series([pd.Timestamp(large_scale_start)])).iloc[0])
    kw = dict(interval=interval, n_boot=n_boot, seed=rng)
    pre = m[m["t"] < t_dl]
    dl = m[m["t"] >= t_dl]
    eras = [fit_doubling(pre["t"], pre["log10_flop"], label="pre_dl", **kw), fit_doubling(dl["t"], dl["log10_flop"], label="dl", **kw)]
    dl_fit = eras[1]
    resid = dl["log10_flop"] - (dl_fit.intercept + dl_fit.slope_log10_per_year * dl["t"])
    z = resid / resid.std(ddof=2)
    ls = dl[(dl["t"] >= t_ls) & (z >= large_scale_z)]
    eras.append(fit_doubling(ls["t"], ls["log10_flop"], label="large_scale", **kw))
    m = m.assign(era=np.where(m["t"] < t_dl, "pre_dl", "dl"))
    m.loc[ls.index, "era"] = "large_scale"

    fr = frontier(dl, frontier_method, top_k)
    frontier_fits = [fit_doubling(fr["t"], fr["log10_flop"], label=f"dl_{frontier_method}" + (f"{top_k}" if frontier_method == "top_k" else ""), **kw)]
    m["frontier"] = m.index.isin(fr.index)
    domains = []
    for dom, g in dl.groupby("domain"):
        if len(g) < min_domain_models:
            continue
        gf = frontier(g, frontier_method, top_k)
        if len(gf) >= 3 and np.ptp(gf["t"]) > 0:
            domains.append(fit_doubling(gf["t"], gf["log10_flop"], label=f"{dom} frontier", **kw))
    imagenet = []
    if benchmark_results is not None:
        from aiprogress.scaling.selection import SelectionRules, build_sample

        s = build_sample(benchmark_results, "imagenet", "hardware_burden", SelectionRules(rows="all")).frame
        s = s.assign(t=s["year"] + 0.5, log10_flop=np.log10(s["compute"] * 1e9))
        imagenet.append(fit_doubling(s["t"], s["log10_flop"], label="imagenet hardware burden (all)", **kw))
        rm = frontier(s, "running_max")
        if len(rm) >= 3:
            imagenet.append(fit_doubling(rm["t"], rm["log10_flop"], label="imagenet hardware burden (running max)", **kw))
    bp_year = None
    bp = []
    if breakpoint:
        bp_year, _ = breakpoint_search(m["t"].to_numpy(), m["log10_flop"].to_numpy())
        left, right = m[m["t"] < bp_year], m[m["t"] >= bp_year]
        bp = [fit_doubling(left["t"], left["log10_flop"], label=f"before {bp_year:.2f}", **kw), fit_doubling(right["t"], right["log10_flop"], label=f"after {bp_year:.2f}", **kw)]
    settings = {
        "notable_only": notable_only,
        "interval": interval,
        "dl_start": dl_start,
        "large_scale_start": large_scale_start,
        "large_scale_z": large_scale_z,
        "frontier": frontier_method,
        "top_k": top_k,
    }
    return ComputeTrends(eras=tuple(eras), frontier=tuple(frontier_fits), domains=tuple(domains), imagenet=tuple(imagenet),
                         breakpoint_year=bp_year, breakpoint=tuple(bp), settings=settings, points=m)
