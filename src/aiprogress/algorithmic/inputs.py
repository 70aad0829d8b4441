"""Research-input series I_t (per year) and compute-equivalent software series S_t for the r estimators.

Research inputs (:func:`research_series`):

* ``models``: notable models per publication year whose Epoch domain contains the domain;
* ``authors``: distinct author names on those models per year (one person on two
  models in a year counts once; common names are ambiguous);
* ``papers``: deep-learning arXiv papers per year, summed over countries
  (``geography/nesta_dl_papers_by_country_year_1994-2020.csv``, Klinger et al. pipeline);
* a user CSV (``year`` and a research column).

Software series (:func:`efficiency_series`): the compute-equivalent efficiency from
the year-fixed-effects form of the halving-time model, ``log10 S_y = δ_y / b`` (the
OOMs of compute a year's progress is worth at fixed performance, relative to the
best-covered year), with the delta-method covariance of the log10 S_y.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from aiprogress.data.csvio import list_cell
from aiprogress.errors import InputError, ParameterError
from aiprogress.stats import smapi as sm

__all__ = ["MEASURES", "EfficiencySeries", "efficiency_series", "research_series"]

MEASURES = ("models", "authors", "papers")
DOMAIN_LABEL = {"vision": "Vision", "language": "Language"}
NESTA = "geography/nesta_dl_papers_by_country_year_1994-2020.csv"


def research_series(measure: str, *, domain: str = "vision", models: pd.DataFrame | None = None,
                    data_dir: str | Path | None = None, csv: str | Path | None = None, column: str = "research") -> pd.DataFrame:
    """Research input per year: columns ``year``, ``research_input`` (full year range, missing years = 0)."""
    if csv is not None:
        from aiprogress.stats.columns import read_columns

        f = read_columns(csv, ["year", column], nonnegative=[column])
        per_year = f.groupby(f["year"].astype(int))[column].sum()
    elif measure == "papers":
        from aiprogress.paths import resolve_data_dir

        path = resolve_data_dir(data_dir) / NESTA
        if not path.is_file():
            raise InputError("file not found", file=path, expected="the Nesta DL papers file (see data README)")
        raw = pd.read_csv(path)
        years = [c for c in raw.columns if str(c).isdigit()]
        if not years:
            raise InputError("no year columns", file=path, expected="columns 1994 ... 2020")
        per_year = raw[years].apply(pd.to_numeric, errors="coerce").fillna(0).sum()
        per_year.index = per_year.index.astype(int)
    elif measure in ("models", "authors"):
        if models is None:
            raise ParameterError("models", "the Epoch models table is needed", expected="models=load_table('models')")
        label = DOMAIN_LABEL.get(domain, domain)
        m = models[models["domain"].fillna("").astype(str).str.contains(label, case=False, regex=False)].copy()
        m["year"] = pd.to_datetime(m["publication_date"], errors="coerce").dt.year
        m = m[m["year"].notna()]
        if m.empty:
            raise InputError(f"no models with domain containing {label!r}", column="domain", expected="Epoch models table")
        last = pd.to_datetime(m["publication_date"], errors="coerce").max()
        if last.month < 11:  # the export ends early in its last year: that year's count is incomplete
            m = m[m["year"] < last.year]
        if measure == "models":
            per_year = m.groupby(m["year"].astype(int)).size().astype(float)
        else:
            per_year = m.groupby(m["year"].astype(int))["authors"].apply(
                lambda col: float(len({a for v in col for a in list_cell(v)})))
    else:
        raise ParameterError("measure", f"got {measure!r}", expected=" | ".join(MEASURES) + " or a CSV")
    full = pd.RangeIndex(int(per_year.index.min()), int(per_year.index.max()) + 1)
    per_year = per_year.reindex(full, fill_value=0.0)
    return pd.DataFrame({"year": full.to_numpy(), "research_input": per_year.to_numpy(dtype=float)})


class EfficiencySeries:
    """log10 S by year with its covariance (from the year effects of a halving-time fit)."""

    def __init__(self, domain: str, years: np.ndarray, log10_s: np.ndarray, cov: np.ndarray, n_models: np.ndarray, method: str):
        self.domain, self.years, self.log10_s, self.cov, self.n_models, self.method = domain, years, log10_s, cov, n_models, method

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"year": self.years, "log10_software": self.log10_s, "se": np.sqrt(np.diag(self.cov)),
                             "n_models": self.n_models, "software_efficiency": 10.0**self.log10_s})


def _fe_series(y: np.ndarray, log10_c: np.ndarray, time: np.ndarray, min_per_year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    yr = np.floor(time).astype(int)
    counts = pd.Series(yr).value_counts()
    keep_years = sorted(int(v) for v in counts[counts >= min_per_year].index)
    keep = np.isin(yr, keep_years)
    if len(keep_years) < 4:
        raise InputError(f"only {len(keep_years)} years with >= {min_per_year} models", column="year", expected="at least 4 years")
    yr, y, lc = yr[keep], y[keep], log10_c[keep]
    ref = max(keep_years, key=lambda k: (int(counts[k]), -k))  # reference year: the best-covered one (δ_ref = 0)
    others = [k for k in keep_years if k != ref]
    x = np.column_stack([np.ones(len(y)), lc] + [(yr == k).astype(float) for k in others])
    fit = sm.OLS(y, x).fit(cov_type="HC1")
    p, v = np.asarray(fit.params), np.asarray(fit.cov_params())
    b = p[1]
    pos = {k: 2 + i for i, k in enumerate(others)}
    delta = np.array([p[pos[k]] if k in pos else 0.0 for k in keep_years])
    s = delta / b
    # Jacobian of s (per year) w.r.t. (const, b, δ of the non-reference years)
    jac = np.zeros((len(keep_years), len(p)))
    jac[:, 1] = -delta / b**2
    for j, k in enumerate(keep_years):
        if k in pos:
            jac[j, pos[k]] = 1.0 / b
    cov = jac @ v @ jac.T
    return np.asarray(keep_years), s, cov, np.array([int(counts[k]) for k in keep_years])


def efficiency_series(domain: str, *, data_dir: str | Path | None = None, catalog: str | Path | None = None,
                      min_per_year: int = 2, tables: dict | None = None) -> EfficiencySeries:
    """Compute-equivalent software efficiency by year for ``vision`` (ImageNet) or ``language`` (stitched capability)."""
    from aiprogress.data import load_table

    tables = tables or {}

    def get(name: str) -> pd.DataFrame:
        return tables[name] if name in tables else load_table(name, catalog=catalog, data_dir=data_dir)

    if domain == "vision":
        from aiprogress.algorithmic.vision import imagenet_sample

        sample, _ = imagenet_sample(get("benchmark_results"), get("models"), get("hardware"))
        d = sample[sample["train_flop"] > 0]
        yrs, s, cov, n = _fe_series(d["log10_error"].to_numpy(float), np.log10(d["train_flop"].to_numpy(float)), d["time"].to_numpy(float), min_per_year)
        method = "ImageNet: log10 error ~ log10 training compute + year effects (HC1); log10 S_y = δ_y / b"
    elif domain == "language":
        from aiprogress.algorithmic.language import capability_frame
        from aiprogress.algorithmic.language_data import load_language_scores
        from aiprogress.algorithmic.stitching import fit_stitching

        join = load_language_scores(get("models"), data_dir=data_dir)
        sc = join.scores[~join.scores["distilled"]]
        caps = capability_frame(sc, fit_stitching(sc))
        yrs, s, cov, n = _fe_series(caps["capability"].to_numpy(float), caps["log10_compute"].to_numpy(float), caps["time"].to_numpy(float), min_per_year)
        method = "language: stitched capability ~ log10 training compute + year effects (HC1); log10 S_y = δ_y / b"
    else:
        raise ParameterError("domain", f"got {domain!r}", expected="vision | language")
    return EfficiencySeries(domain, yrs, s, cov, n, method)
