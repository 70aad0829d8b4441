"""aiprogress.stats: shared econometrics.

- :mod:`~aiprogress.stats.linear` -- OLS with the (n-1)/(n-k)-corrected HC0 covariance,
  Breusch-Pagan, FGLS by maximum likelihood, the paper's OLS/GLS rule (``fit_auto``)
- :mod:`~aiprogress.stats.lstsq` -- batched least squares (weighted stacks, rank-k drop downdates)
- :mod:`~aiprogress.stats.resample` -- batched bootstrap / drop-k subsampling, BC percentile intervals
- :mod:`~aiprogress.stats.parallel` -- local threads/processes or Dask (``scheduler=``)
"""

from aiprogress._lazy import lazy_exports

__all__ = lazy_exports(__name__, {
    "aiprogress.stats.linear": (
        "BreuschPagan",
        "LinearFit",
        "breusch_pagan",
        "fgls_ml",
        "fit_auto",
        "hc_paper_cov",
        "ols_hc",
        "stars",
    ),
    "aiprogress.stats.lstsq": ("DropKSolver", "solve_normal_batched", "weighted_lstsq_batched",),
    "aiprogress.stats.parallel": ("map_chunks",),
    "aiprogress.stats.resample": (
        "ResampleDraws",
        "bc_percentile_interval",
        "bootstrap_coefs",
        "drop_k_coefs",
        "drop_k_subsets",
    ),
})
