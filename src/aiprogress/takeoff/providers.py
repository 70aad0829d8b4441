"""Distributions the takeoff capability provides to scenarios: ``{from: "takeoff:<name>", with: {...}}``.

``takeoff:rho`` -- the CES substitution parameter estimated by ``aiprogress takeoff
estimate-rho`` on a panel of output, labour and capital: a normal distribution with
the estimate as mean and its standard error as sd (the estimator's asymptotic
sampling distribution), truncated to the model's range rho < 1. Options (``with:``):

* ``csv`` (required): the panel, a path relative to the config file;
* ``output_col`` / ``labour_col`` / ``capital_col`` (default ``Y`` / ``L`` / ``K``);
* ``method``: ``nls`` (default, the CES fitted directly) or ``translog`` (Kmenta's
  approximation, delta method);
* ``cov_type``: standard errors of the translog fit (``nonrobust`` or ``HC1``...).

The estimate, its SE, n and the file's SHA-256 prefix go into the parameter's
source note, so a Monte Carlo result says where its rho came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiprogress.fileio import sha256_file

__all__ = ["provide"]

RHO_UPPER = 1.0 - 1e-9  # rho < 1 (sigma = 1 / (1 - rho) finite)
_OPTIONS = {"csv", "output_col", "labour_col", "capital_col", "method", "cov_type"}


def provide(name: str, **options: Any) -> dict:
    """Spec for ``{from: "takeoff:<name>"}``; ``options`` are the reference's ``with:`` mapping."""
    if name != "rho":
        raise LookupError(f"no distribution '{name}' in capability 'takeoff' (available: rho)")
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        raise LookupError(f"unknown option '{unknown[0]}' for 'takeoff:rho' (options: {', '.join(sorted(_OPTIONS))})")
    if "csv" not in options:
        raise LookupError("'takeoff:rho' needs with: {csv: <panel of output, labour, capital>}")
    method = str(options.get("method", "nls"))
    if method not in ("nls", "translog"):
        raise LookupError(f"method '{method}' for 'takeoff:rho' (expected nls or translog)")
    from aiprogress.takeoff.estimate import estimate_rho_csv

    path = Path(options["csv"])
    cols = {k: str(options.get(k, d)) for k, d in (("output_col", "Y"), ("labour_col", "L"), ("capital_col", "K"))}
    res = estimate_rho_csv(path, method=method, cov_type=str(options.get("cov_type", "nonrobust")), **cols)
    est = res.estimates[method]
    if not (est.rho < 1 and est.rho_se > 0):
        raise LookupError(f"estimate-rho on {path.name} gave rho = {est.rho:g} (se {est.rho_se:g}): "
                          "not a usable distribution (needs rho < 1 and a positive standard error)")
    note = (f"estimate-rho ({method}) on {path.name} (sha256 {sha256_file(path)[:12]}): rho = {est.rho:.4g}, "
            f"se {est.rho_se:.3g}, n = {est.n_obs}; normal(rho, se) truncated to rho < 1")
    return {"dist": "normal", "mean": float(est.rho), "sd": float(est.rho_se),
            "bounds": [float("-inf"), RHO_UPPER], "note": note}
