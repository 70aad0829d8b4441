"""aiprogress.stats: shared econometrics.

- :mod:`~aiprogress.stats.linear` -- OLS with the (n-1)/(n-k)-corrected HC0 covariance,
  Breusch-Pagan, FGLS by maximum likelihood, the paper's OLS/GLS rule (``fit_auto``)
- :mod:`~aiprogress.stats.lstsq` -- batched least squares (weighted stacks, rank-k drop downdates)
- :mod:`~aiprogress.stats.resample` -- batched bootstrap / drop-k subsampling, BC percentile intervals
- :mod:`~aiprogress.stats.parallel` -- local threads/processes or Dask (``scheduler=``)
"""

from aiprogress.stats.linear import BreuschPagan, LinearFit, breusch_pagan, fgls_ml, fit_auto, hc_paper_cov, ols_hc, stars
from aiprogress.stats.lstsq import DropKSolver, solve_normal_batched, weighted_lstsq_batched
from aiprogress.stats.parallel import map_chunks
from aiprogress.stats.resample import ResampleDraws, bc_percentile_interval, bootstrap_coefs, drop_k_coefs, drop_k_subsets

__all__ = [
    "BreuschPagan", "DropKSolver", "LinearFit", "ResampleDraws", "bc_percentile_interval", "bootstrap_coefs",
    "breusch_pagan", "drop_k_coefs", "drop_k_subsets", "fgls_ml", "fit_auto", "hc_paper_cov", "map_chunks",
    "ols_hc", "solve_normal_batched", "stars", "weighted_lstsq_batched",
]
