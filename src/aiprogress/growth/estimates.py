"""From idea-production-function estimates (beta-hat, gamma-hat) to steady-state growth.

Two mappings are offered:

- ``method="capital-share"`` (the paper's §7 calibration): the estimates only
  fix the competitive capital-cost share ``f = beta_hat / (beta_hat + gamma_hat)``
  (Appendix A3). The economy-wide idea production function is then calibrated
  with the labour elasticity held at ``gamma_calibrated`` (2/5 in the paper),
  ``beta = f * gamma_calibrated / (1 - f)``, and
  ``g_A* = (beta + gamma_calibrated) / (1 - beta - theta) * n``.
  Equivalently ``beta = gamma_calibrated * beta_hat / gamma_hat``.
- ``method="direct"``: plug the estimated elasticities themselves into the
  steady state, ``g_A* = (beta_hat + gamma_hat) / (1 - beta_hat - theta) * n``.

:func:`published_growth` applies the first to the published Tables 4 and 5 and
sets the results beside the ranges printed in §7; :func:`growth_distribution`
propagates bootstrap draws of (beta-hat, gamma-hat) to a distribution of g_A*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from aiprogress.errors import DataNotFoundError, InputError, ParameterError
from aiprogress.growth.capital_share import capital_share
from aiprogress.growth.model import PAPER_GAMMA, PAPER_N, PAPER_THETA, _finite, check_parameters, steady_state
from aiprogress.ideas.published import published_estimates, published_growth_ranges
from aiprogress.results import Result, format_table

Method = Literal["capital-share", "direct"]
METHODS = ("capital-share", "direct")

# Published §7 figures are rounded to 0.1 percentage point, so a faithful reproduction
# lies within half a rounding unit of them.
PUBLISHED_ROUNDING_PP = 0.05


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise ParameterError("method", f"unknown method {method!r}", expected=" or ".join(METHODS))
    return method


def _calibrated_beta(beta_hat: float, gamma_hat: float, method: str, gamma_calibrated: float) -> tuple[float, float, float]:
    """Return (f, beta used in the model, gamma used in the model)."""
    if method == "capital-share":
        if beta_hat <= 0 or gamma_hat <= 0:
            name = "beta" if beta_hat <= 0 else "gamma"
            raise ParameterError(name, f"estimate {min(beta_hat, gamma_hat):g} is not positive", expected=f"{name} > 0 so that 0 < f < 1")
        f = capital_share(beta_hat, gamma_hat)
        return f, f * gamma_calibrated / (1.0 - f), gamma_calibrated
    f = capital_share(beta_hat, gamma_hat)
    return f, beta_hat, gamma_hat


@dataclass(frozen=True)
class GrowthFromEstimate(Result):
    """Steady state implied by one pair of estimates."""

    beta_hat: float
    gamma_hat: float
    method: str
    theta: float
    n: float
    gamma_calibrated: float
    capital_share: float  # f = beta_hat / (beta_hat + gamma_hat)
    beta: float  # capital elasticity used in the growth model
    gamma: float  # labour elasticity used in the growth model
    g_A: float  # steady-state productivity growth, fraction per year
    g_K: float

    def summary(self) -> str:
        rows = [
            ("beta-hat", self.beta_hat),
            ("gamma-hat", self.gamma_hat),
            ("capital share f", self.capital_share),
            (f"beta in model ({self.method})", self.beta),
            ("gamma in model", self.gamma),
            ("theta", self.theta),
            ("n (%/yr)", 100 * self.n),
            ("g_A* productivity growth (%/yr)", 100 * self.g_A),
            ("g_K* capital growth (%/yr)", 100 * self.g_K),
        ]
        return format_table(pd.DataFrame(rows, columns=["quantity", "value"]), title="Steady state from estimates", floatfmt="{:.4f}")


def growth_from_estimates(
    beta_hat: float,
    gamma_hat: float,
    theta: float = PAPER_THETA,
    n: float = PAPER_N,
    *,
    method: Method = "capital-share",
    gamma_calibrated: float = PAPER_GAMMA,
) -> GrowthFromEstimate:
    """Steady-state growth implied by estimates (beta-hat, gamma-hat); see the module docstring."""
    method = _check_method(method)
    beta_hat = _finite("beta", beta_hat)
    gamma_hat = _finite("gamma", gamma_hat)
    gamma_calibrated = _finite("gamma_calibrated", gamma_calibrated)
    if gamma_calibrated <= 0:
        raise ParameterError("gamma_calibrated", f"{gamma_calibrated:g} is not positive", expected="gamma_calibrated > 0")
    f, beta, gamma = _calibrated_beta(beta_hat, gamma_hat, method, gamma_calibrated)
    theta = _finite("theta", theta)
    if method == "capital-share" and beta + theta >= 1:
        raise ParameterError(
            "theta",
            f"theta = {theta:g} >= 1 - beta = {1 - beta:g} with the calibrated beta = {beta:.4g} (capital share {f:.4g})",
            expected="theta < 1 - beta",
        )
    ss = steady_state(beta, gamma, theta, n)
    return GrowthFromEstimate(
        beta_hat=beta_hat,
        gamma_hat=gamma_hat,
        method=method,
        theta=ss.theta,
        n=ss.n,
        gamma_calibrated=gamma_calibrated,
        capital_share=f,
        beta=beta,
        gamma=gamma,
        g_A=ss.g_A,
        g_K=ss.g_K,
    )


@dataclass(frozen=True)
class PublishedGrowthResult(Result):
    """§7 of the paper reproduced from its own Tables 4 and 5."""

    theta: float
    n: float
    gamma_calibrated: float
    method: str
    calibration_matches_paper: bool
    models: pd.DataFrame  # one row per model A1..C2
    groups: pd.DataFrame  # published range vs reproduced range per group (A, B, C)
    all_match: bool  # every reproduced value within PUBLISHED_ROUNDING_PP of its published endpoint

    def to_frame(self) -> pd.DataFrame:
        return self.models

    def summary(self) -> str:
        cols = ["model", "sample", "beta_hat", "gamma_hat", "capital_share", "beta", "g_A_pct", "published_pct", "diff_pp", "match"]
        head = format_table(
            self.models[cols],
            title=f"Steady-state productivity growth from published estimates (theta={self.theta:g}, "
            f"gamma={self.gamma_calibrated:g}, n={100 * self.n:g}%, method={self.method})",
            floatfmt="{:.3f}",
        )
        grp = format_table(self.groups, title="Published ranges (§7) vs reproduced", floatfmt="{:.3f}")
        note = (
            "published_pct: the end of the §7 range that the model's rank within its pair points to; "
            f"'match' means |diff| <= {PUBLISHED_ROUNDING_PP} pp (the paper rounds to 0.1 pp)."
        )
        if not self.calibration_matches_paper:
            note += " NOTE: the calibration differs from the paper's (theta=1/2, gamma=2/5, n=1%), so differences are expected."
        return "\n".join([head, "", grp, "", note])


def published_growth(
    theta: float = PAPER_THETA,
    n: float = PAPER_N,
    *,
    gamma_calibrated: float = PAPER_GAMMA,
    method: Method = "capital-share",
) -> PublishedGrowthResult:
    """Reproduce §7: steady-state productivity growth for each model of Tables 4 and 5."""
    est = published_estimates(main_only=True)
    ranges = published_growth_ranges()
    rows = []
    for r in est.itertuples(index=False):
        g = growth_from_estimates(r.beta, r.gamma, theta, n, method=method, gamma_calibrated=gamma_calibrated)
        rows.append(
            {
                "model": r.model,
                "table": r.table,
                "sample": r.sample,
                "group": r.model[0],
                "beta_hat": r.beta,
                "gamma_hat": r.gamma,
                "capital_share": g.capital_share,
                "beta": g.beta,
                "gamma": g.gamma,
                "g_A_pct": 100 * g.g_A,
                "g_K_pct": 100 * g.g_K,
            }
        )
    models = pd.DataFrame(rows)
    published_pct, ranges_txt, group_rows = [], [], []
    for grp, sub in models.groupby("group", sort=True):
        rng = ranges[ranges["group"] == grp]
        if rng.empty:
            lo = hi = math.nan
            src = ""
        else:
            lo, hi, src = float(rng.growth_low_pct.iloc[0]), float(rng.growth_high_pct.iloc[0]), str(rng.source.iloc[0])
        group_rows.append(
            {
                "group": grp,
                "models": ";".join(sub.model),
                "published_low_pct": lo,
                "published_high_pct": hi,
                "reproduced_low_pct": float(sub.g_A_pct.min()),
                "reproduced_high_pct": float(sub.g_A_pct.max()),
                "diff_low_pp": float(sub.g_A_pct.min()) - lo,
                "diff_high_pp": float(sub.g_A_pct.max()) - hi,
                "source": src,
            }
        )
    groups = pd.DataFrame(group_rows)
    for r in models.itertuples(index=False):
        g = groups[groups.group == r.group].iloc[0]
        sub = models[models.group == r.group]
        is_low = r.g_A_pct == sub.g_A_pct.min() and len(sub) > 1
        published_pct.append(g.published_low_pct if is_low else g.published_high_pct)
        ranges_txt.append(f"{g.published_low_pct:.1f}-{g.published_high_pct:.1f}")
    models["published_range_pct"] = ranges_txt
    models["published_pct"] = published_pct
    models["diff_pp"] = models["g_A_pct"] - models["published_pct"]
    models["match"] = models["diff_pp"].abs() <= PUBLISHED_ROUNDING_PP + 1e-12
    models["source"] = "Besiroglu, Emery-Xu & Thompson (2023), " + models["table"] + " (estimates); Section 7 (growth)"
    paper = (
        math.isclose(theta, PAPER_THETA)
        and math.isclose(n, PAPER_N)
        and math.isclose(gamma_calibrated, PAPER_GAMMA)
        and method == "capital-share"
    )
    return PublishedGrowthResult(
        theta=float(theta),
        n=float(n),
        gamma_calibrated=float(gamma_calibrated),
        method=method,
        calibration_matches_paper=paper,
        models=models,
        groups=groups,
        all_match=bool(models["match"].all()),
    )


# --- uncertainty propagation ---------------------------------------------------------------


@dataclass(frozen=True)
class GrowthDistribution(Result):
    """Distribution of steady-state productivity growth over draws of (beta-hat, gamma-hat)."""

    method: str
    theta: float
    n: float
    gamma_calibrated: float
    n_draws: int
    n_used: int  # draws inside the model's domain
    n_outside_domain: int  # draws with a non-positive or non-finite estimate (f outside (0, 1)); excluded
    n_explosive: int  # draws with beta + theta >= 1: no balanced path, counted as g_A = +inf
    percentiles: dict[str, float] = field(default_factory=dict)  # "p5" -> g_A (fraction/yr); inf possible
    mean_finite: float = math.nan  # mean of finite g_A values
    sd_finite: float = math.nan
    draws: pd.DataFrame = field(default_factory=pd.DataFrame)  # beta_hat, gamma_hat, capital_share, beta, g_A, status

    def to_frame(self) -> pd.DataFrame:
        return self.draws

    def to_dict(self) -> dict:
        d = super().to_dict()
        d.pop("draws")  # summaries only: the draws can be millions of rows
        return d

    def summary(self) -> str:
        rows = [(k, 100 * v) for k, v in self.percentiles.items()]
        rows += [("mean (finite)", 100 * self.mean_finite), ("sd (finite)", 100 * self.sd_finite)]
        table = format_table(
            pd.DataFrame(rows, columns=["statistic", "g_A* (%/yr)"]),
            title=f"Steady-state productivity growth over {self.n_draws} draws (method={self.method}, "
            f"theta={self.theta:g}, n={100 * self.n:g}%)",
            floatfmt="{:.3f}",
        )
        return (
            f"{table}\nUsed {self.n_used} draws; {self.n_outside_domain} outside the domain (excluded); "
            f"{self.n_explosive} with no balanced growth path (counted as +inf)."
        )


def growth_distribution(
    beta_draws: np.ndarray,
    gamma_draws: np.ndarray,
    theta: float = PAPER_THETA,
    n: float = PAPER_N,
    *,
    method: Method = "capital-share",
    gamma_calibrated: float = PAPER_GAMMA,
    percentiles: tuple[float, ...] = (5.0, 25.0, 50.0, 75.0, 95.0),
) -> GrowthDistribution:
    """Propagate draws of (beta-hat, gamma-hat) (e.g. a bootstrap) to a distribution of g_A*.

    Any equal-length 1-D arrays are accepted. Draws outside the model's domain
    (a non-positive estimate under ``capital-share``, a negative one under ``direct``,
    or non-finite values) are excluded and counted; draws whose implied beta makes
    ``beta + theta >= 1`` have no balanced growth path and count as ``g_A = +inf``
    (so upper percentiles may be infinite).
    """
    method = _check_method(method)
    b = np.asarray(beta_draws, dtype=float).ravel()
    c = np.asarray(gamma_draws, dtype=float).ravel()
    if b.size != c.size:
        raise ParameterError("gamma_draws", f"{c.size} draws but {b.size} beta draws", expected="arrays of equal length")
    if b.size == 0:
        raise ParameterError("beta_draws", "no draws", expected="at least one draw")
    check_parameters(0.0, gamma_calibrated, theta, n)
    for p in percentiles:
        if not 0 <= p <= 100:
            raise ParameterError("percentiles", f"{p:g} is outside [0, 100]", expected="percentiles in [0, 100]")
    finite = np.isfinite(b) & np.isfinite(c)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = b / (b + c)
        if method == "capital-share":
            valid = finite & (b > 0) & (c > 0)
            beta = f * gamma_calibrated / (1.0 - f)
            gamma = np.full_like(b, gamma_calibrated)
        else:
            valid = finite & (b >= 0) & (c >= 0) & (b + c > 0)
            beta, gamma = b, c
        denom = 1.0 - beta - theta
        explosive = valid & (denom <= 0)
        g_a = np.where(valid & ~explosive, (beta + gamma) / denom * n, np.where(explosive, np.inf, np.nan))
    status = np.where(~valid, "outside_domain", np.where(explosive, "explosive", "ok"))
    used = g_a[valid]
    if used.size == 0:
        raise ParameterError("beta_draws", "no draw lies inside the model's domain", expected="positive beta and gamma draws")
    with np.errstate(invalid="ignore"):
        q = np.percentile(used, percentiles)
    q = np.where(np.isnan(q), np.inf, q)  # interpolating towards +inf draws
    fin = used[np.isfinite(used)]
    return GrowthDistribution(
        method=method,
        theta=float(theta),
        n=float(n),
        gamma_calibrated=float(gamma_calibrated),
        n_draws=int(b.size),
        n_used=int(valid.sum()),
        n_outside_domain=int((~valid).sum()),
        n_explosive=int(explosive.sum()),
        percentiles={f"p{p:g}": float(v) for p, v in zip(percentiles, q)},
        mean_finite=float(fin.mean()) if fin.size else math.nan,
        sd_finite=float(fin.std(ddof=1)) if fin.size > 1 else math.nan,
        draws=pd.DataFrame({"beta_hat": b, "gamma_hat": c, "capital_share": f, "beta": beta, "g_A": g_a, "status": status}),
    )


def read_draws(path: str | Path, model: str | None = None) -> pd.DataFrame:
    """Read a CSV of draws with numeric columns ``beta`` and ``gamma`` (header on line 1).

    A file may hold the draws of several models in a ``model`` column (as
    ``aiprogress ideas estimate --draws-out`` writes it); then ``model`` picks one,
    and is required when the file holds more than one.
    """
    path = Path(path)
    if not path.exists():
        raise DataNotFoundError(f"{path}: draws file not found")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot parse CSV ({str(exc).splitlines()[0]})", file=path, expected="a CSV with columns beta,gamma") from None
    for col in ("beta", "gamma"):
        if col not in frame.columns:
            raise InputError("missing column", file=path, line=1, column=col, expected="columns beta,gamma")
        num = pd.to_numeric(frame[col], errors="coerce")
        bad = num.isna() & frame[col].notna() | frame[col].isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"not a number: {frame[col].iloc[i]!r}", file=path, line=i + 2, column=col, expected="a number")
        frame[col] = num
    if "model" in frame.columns:
        labels = list(dict.fromkeys(frame["model"].astype(str)))
        if model is None and len(labels) > 1:
            raise InputError(
                f"the file holds draws of several models ({', '.join(labels)})", file=path, column="model",
                expected="--draws-model NAME to choose one",
            )
        if model is not None:
            if model not in labels:
                raise InputError(f"no draws of model '{model}'", file=path, column="model", expected="one of " + ", ".join(labels))
            frame = frame[frame["model"].astype(str) == model]
    elif model is not None:
        raise InputError("no 'model' column to choose from", file=path, line=1, column="model", expected="columns model,beta,gamma")
    return frame[["beta", "gamma"]].reset_index(drop=True)
