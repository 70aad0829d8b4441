"""Monte Carlo over SIE model parameters: P(SIE), time to k OOMs, fan charts, Sobol indices.

Parameter uncertainty is described in a YAML file (shipped ones live in
``aiprogress/takeoff/configs``; pass a name or a path)::

    name: my-config
    description: ...
    sie: {ooms: 5, days: 365}        # the SIE verdict: >= 5 OOMs in < 365 days
    max_ooms: 10                     # fan chart up to this many OOMs
    parameters:
      alpha: 0.5                                  # a bare number is fixed
      rho: {dist: uniform, low: -0.2, high: 0}
      lam: {dist: loguniform, low: 0.3, high: 1}
      r: {dist: lognormal, ci80: [1, 4]}          # or ci90, or median + log_sd
      kappa: {dist: normal, mean: 0.5, sd: 0.3, bounds: [0, 1]}   # or ci80/ci90
      eta: {dist: choice, values: [0, 0.5], weights: [0.7, 0.3]}
    correlations:                                  # optional Gaussian copula
      - [r, software_doubling_days, -0.3]
    source_notes:                                  # optional: where each range comes from
      rho: Davidson (2025) argues -0.2 < rho < 0 for AI research

A ``ci80`` / ``ci90`` interval [a, b] sets the 10%/90% (5%/95%) quantiles of the
distribution exactly: a lognormal gets median sqrt(a b) and log-sd
ln(b / a) / (2 z), a normal mean (a + b) / 2 and sd (b - a) / (2 z), z = Phi^-1(0.9)
or Phi^-1(0.95). ``bounds`` then truncate the distribution exactly (inverse CDF on
the truncated range), so with bounds the interval describes the distribution
before truncation. Every value a distribution can produce (its quantiles from
1e-9 to 1 - 1e-9; draws are clipped to that range) must be a valid model
parameter, else loading the config fails naming the key.

Correlations are those of a Gaussian copula: draws are Phi(Z) with Z ~ N(0, C),
pushed through each marginal's inverse CDF. The number c given is the correlation
of the normal scores Z; the resulting rank (Spearman) correlation of the
parameters is (6 / pi) asin(c / 2), within 0.02 of c for any c (e.g. 0.287 for
c = 0.3), whatever the marginals.

Draws are evaluated all at once by :func:`aiprogress.takeoff.sie.time_to_ooms`
(a quadrature in the log of cumulative research, vectorised over draws). Work is
split in chunks of ``chunk_size`` draws; chunk i uses the i-th child of
``SeedSequence(seed)``, so the same seed gives the same numbers whether chunks run
here or on a Dask cluster.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd
import yaml
from scipy import stats

from aiprogress.errors import InputError, ParameterError
from aiprogress.results import Result, format_table, jsonable
from aiprogress.takeoff.sie import LN10, PARAM_NAMES, SIEParams, time_to_ooms, validate_params

DISTRIBUTIONS = ("fixed", "uniform", "loguniform", "normal", "lognormal", "choice")
QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
# Uniforms are clipped to [U_MIN, 1 - U_MIN] before the inverse CDFs, the range the
# config validation probes, so every draw is a checked, finite parameter value.
U_MIN = 1e-9
_Z80 = stats.norm.ppf(0.9)
_Z90 = stats.norm.ppf(0.95)


# ---------------------------------------------------------------- configuration

@dataclass(frozen=True)
class Marginal:
    """One parameter's distribution: ``ppf`` maps uniforms in (0, 1) to values."""

    name: str
    dist: str
    args: tuple[tuple[str, Any], ...]
    bounds: tuple[float, float] | None = None

    def _frozen(self):
        a = dict(self.args)
        if self.dist == "uniform":
            return stats.uniform(loc=a["low"], scale=a["high"] - a["low"])
        if self.dist == "loguniform":
            return stats.loguniform(a["low"], a["high"])
        if self.dist == "normal":
            return stats.norm(loc=a["mean"], scale=a["sd"])
        if self.dist == "lognormal":
            return stats.lognorm(s=a["log_sd"], scale=a["median"])
        return None

    def ppf(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        if self.dist == "fixed":
            return np.full_like(u, dict(self.args)["value"])
        if self.dist == "choice":
            a = dict(self.args)
            values = np.asarray(a["values"], dtype=float)
            cum = np.cumsum(a["weights"])
            idx = np.minimum(np.searchsorted(cum / cum[-1], u, side="right"), values.size - 1)
            return values[idx]
        d = self._frozen()
        if self.bounds is not None:
            lo, hi = d.cdf(self.bounds[0]), d.cdf(self.bounds[1])
            u = lo + u * (hi - lo)
        return d.ppf(u)

    def describe(self) -> str:
        a = dict(self.args)
        if self.dist == "fixed":
            return f"{a['value']:g}"
        if self.dist == "choice":
            return "choice " + ", ".join(f"{v:g}" for v in a["values"])
        d = self._frozen()
        lo, hi = self.ppf(np.array([0.1, 0.9]))
        text = f"{self.dist}, 80% in [{lo:.3g}, {hi:.3g}]"
        if self.bounds is not None:
            text += f", bounds [{self.bounds[0]:g}, {self.bounds[1]:g}]"
        del d
        return text


@dataclass(frozen=True)
class MonteCarloConfig(Result):
    """Parsed and validated Monte Carlo configuration."""

    name: str
    description: str
    source: str  # file the config came from
    marginals: tuple[Marginal, ...]  # uncertain parameters
    fixed: tuple[tuple[str, float], ...]  # fixed parameters
    correlations: tuple[tuple[str, str, float], ...] = ()
    sie_ooms: float = 5.0
    sie_days: float = 365.0
    max_ooms: float = 10.0
    ooms_step: float = 0.5
    source_notes: tuple[tuple[str, str], ...] = ()  # (parameter or topic, where its range comes from)

    @property
    def uncertain(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.marginals)

    @property
    def levels(self) -> np.ndarray:
        """OOM levels integrated to (always including the SIE level)."""
        grid = np.arange(self.ooms_step, self.max_ooms + 1e-9, self.ooms_step)
        return np.unique(np.round(np.concatenate([grid, [self.sie_ooms]]), 12))

    def to_frame(self) -> pd.DataFrame:
        rows = [{"parameter": m.name, "distribution": m.describe()} for m in self.marginals]
        rows += [{"parameter": k, "distribution": f"fixed {v:g}"} for k, v in self.fixed]
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        return jsonable(
            {
                "name": self.name,
                "description": self.description,
                "source": self.source,
                "parameters": {r["parameter"]: r["distribution"] for r in self.to_frame().to_dict("records")},
                "correlations": [list(c) for c in self.correlations],
                "source_notes": dict(self.source_notes),
                "sie_ooms": self.sie_ooms,
                "sie_days": self.sie_days,
            }
        )


def shipped_configs() -> list[str]:
    """Names of the configurations shipped with the package."""
    folder = resources.files("aiprogress.takeoff") / "configs"
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _yaml_line(text: str, path: list[str]) -> int | None:
    """1-based line of a key path in a YAML document (None if not found)."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = None
    for key in path:
        if not isinstance(node, yaml.MappingNode):
            break
        for k, v in node.value:
            if getattr(k, "value", None) == key:
                line = k.start_mark.line + 1
                node = v
                break
        else:
            break
    return line


def load_config(name_or_path: str | Path) -> MonteCarloConfig:
    """Load a shipped config by name (see :func:`shipped_configs`) or a YAML file by path."""
    path = Path(name_or_path)
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        source = str(path)
    else:
        names = shipped_configs()
        key = str(name_or_path)
        key = key[:-5] if key.endswith(".yaml") else key
        if key not in names:
            raise InputError(
                f"no such config file or shipped config '{name_or_path}'",
                file=str(name_or_path),
                expected="a YAML path or one of " + ", ".join(names),
            )
        text = (resources.files("aiprogress.takeoff") / "configs" / f"{key}.yaml").read_text(encoding="utf-8")
        source = f"{key}.yaml (shipped)"
    return parse_config(text, source=source)


def parse_config(text: str, source: str = "<config>") -> MonteCarloConfig:
    """Parse YAML text into a :class:`MonteCarloConfig` (errors name the file and key)."""

    def err(keypath: list[str], msg: str, expected: str | None = None) -> InputError:
        return InputError(f"key '{'.'.join(keypath)}': {msg}", file=source, line=_yaml_line(text, keypath),
                          expected=expected)

    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"invalid YAML: {getattr(exc, 'problem', exc)}", file=source,
                         line=mark.line + 1 if mark else None) from None
    if not isinstance(doc, dict):
        raise InputError("config is not a mapping", file=source, expected="keys name, parameters, ...")
    allowed = {"name", "description", "sie", "max_ooms", "ooms_step", "parameters", "correlations", "source_notes"}
    for k in doc:
        if k not in allowed:
            raise err([str(k)], "unknown key", "one of " + ", ".join(sorted(allowed)))
    if "parameters" not in doc:
        raise InputError("missing key 'parameters'", file=source, expected="a mapping of SIE parameters")
    params = doc["parameters"]
    if not isinstance(params, dict) or not params:
        raise err(["parameters"], "not a non-empty mapping", "parameter: value or {dist: ...}")

    marginals: list[Marginal] = []
    fixed: list[tuple[str, float]] = []
    for name, spec in params.items():
        kp = ["parameters", str(name)]
        if name not in PARAM_NAMES:
            raise err(kp, "unknown SIE parameter", "one of " + ", ".join(PARAM_NAMES))
        if isinstance(spec, (int, float)) and not isinstance(spec, bool) or spec in ("inf", ".inf"):
            fixed.append((name, float(spec)))
            continue
        if not isinstance(spec, dict):
            raise err(kp, f"cannot read {spec!r}", "a number or a mapping with 'dist'")
        m = _parse_marginal(name, spec, kp, err)
        if m.dist == "fixed":
            fixed.append((name, float(dict(m.args)["value"])))
        else:
            marginals.append(m)

    corr: list[tuple[str, str, float]] = []
    uncertain = {m.name for m in marginals}
    for i, item in enumerate(doc.get("correlations") or []):
        kp = ["correlations"]
        if not (isinstance(item, (list, tuple)) and len(item) == 3):
            raise err(kp, f"entry {i + 1} is {item!r}", "[param_a, param_b, correlation]")
        a, b, c = item
        for nm in (a, b):
            if nm not in uncertain:
                raise err(kp, f"entry {i + 1}: '{nm}' is not an uncertain parameter of this config",
                          "names of parameters with a distribution")
        if a == b or not isinstance(c, (int, float)) or not -1 < c < 1:
            raise err(kp, f"entry {i + 1}: bad pair or correlation {c!r}", "two different names and -1 < c < 1")
        corr.append((str(a), str(b), float(c)))

    sie = doc.get("sie") or {}
    if not isinstance(sie, dict):
        raise err(["sie"], "not a mapping", "{ooms: 5, days: 365}")
    sie_ooms = _positive(sie.get("ooms", 5.0), ["sie", "ooms"], err)
    sie_days = _positive(sie.get("days", 365.0), ["sie", "days"], err)
    max_ooms = _positive(doc.get("max_ooms", 10.0), ["max_ooms"], err)
    step = _positive(doc.get("ooms_step", 0.5), ["ooms_step"], err)
    notes = doc.get("source_notes") or {}
    if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
        raise err(["source_notes"], "not a mapping of text", "parameter: where its range comes from")

    cfg = MonteCarloConfig(
        name=str(doc.get("name", Path(source).stem)),
        description=str(doc.get("description", "")).strip(),
        source=source,
        marginals=tuple(marginals),
        fixed=tuple(fixed),
        correlations=tuple(corr),
        sie_ooms=sie_ooms,
        sie_days=sie_days,
        max_ooms=max(max_ooms, sie_ooms),
        ooms_step=step,
        source_notes=tuple((str(k), " ".join(v.split())) for k, v in notes.items()),
    )
    _correlation_matrix(cfg, err)
    # Every value a distribution can produce must be a valid model parameter.
    probe = np.array([U_MIN, 0.001, 0.1, 0.5, 0.9, 0.999, 1 - U_MIN])

    def model_err(name, msg, expected):
        return err(["parameters", name], msg + " (tighten the distribution or add bounds)", expected)

    validate_params({k: v for k, v in fixed}, error=model_err)
    validate_params({m.name: m.ppf(probe) for m in marginals}, error=model_err)
    return cfg


def _positive(v, kp, err) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not v > 0 or not math.isfinite(v):
        raise err(kp, f"value {v!r}", "a positive number")
    return float(v)


def _number(spec, key, kp, err) -> float:
    if key not in spec:
        raise err(kp + [key], "missing", f"a number for '{key}'")
    v = spec[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise err(kp + [key], f"value {v!r} is not a finite number", "a number")
    return float(v)


def _interval(spec, kp, err) -> tuple[float, float, float] | None:
    """(low, high, z) from ci80 / ci90, or None."""
    for key, z in (("ci80", _Z80), ("ci90", _Z90)):
        if key in spec:
            v = spec[key]
            if not (isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, (int, float)) for x in v)
                    and v[0] < v[1]):
                raise err(kp + [key], f"value {v!r}", "[low, high] with low < high")
            return float(v[0]), float(v[1]), float(z)
    return None


def _parse_marginal(name: str, spec: dict, kp: list[str], err) -> Marginal:
    dist = spec.get("dist")
    if dist is None:
        raise err(kp + ["dist"], "missing", "one of " + ", ".join(DISTRIBUTIONS))
    if dist not in DISTRIBUTIONS:
        raise err(kp + ["dist"], f"unknown distribution '{dist}'", "one of " + ", ".join(DISTRIBUTIONS))
    known = {"dist", "bounds", "value", "low", "high", "mean", "sd", "median", "log_sd", "ci80", "ci90", "values",
             "weights"}
    for k in spec:
        if k not in known:
            raise err(kp + [str(k)], "unknown key", "one of " + ", ".join(sorted(known)))
    bounds = None
    if "bounds" in spec:
        b = spec["bounds"]
        if not (isinstance(b, (list, tuple)) and len(b) == 2 and all(isinstance(x, (int, float)) for x in b)
                and b[0] < b[1]):
            raise err(kp + ["bounds"], f"value {b!r}", "[low, high] with low < high")
        bounds = (float(b[0]), float(b[1]))
    if dist == "fixed":
        return Marginal(name, "fixed", (("value", _number(spec, "value", kp, err)),))
    if dist in ("uniform", "loguniform"):
        lo, hi = _number(spec, "low", kp, err), _number(spec, "high", kp, err)
        if not lo < hi:
            raise err(kp + ["high"], f"high {hi:g} not above low {lo:g}", "low < high")
        if dist == "loguniform" and lo <= 0:
            raise err(kp + ["low"], f"value {lo:g}", "low > 0 for a log-uniform")
        m = Marginal(name, dist, (("low", lo), ("high", hi)), bounds)
    elif dist == "normal":
        ci = _interval(spec, kp, err)
        if ci is not None:
            mean, sd = (ci[0] + ci[1]) / 2, (ci[1] - ci[0]) / (2 * ci[2])
        else:
            mean, sd = _number(spec, "mean", kp, err), _number(spec, "sd", kp, err)
            if not sd > 0:
                raise err(kp + ["sd"], f"value {sd:g}", "sd > 0")
        m = Marginal(name, dist, (("mean", mean), ("sd", sd)), bounds)
    elif dist == "lognormal":
        ci = _interval(spec, kp, err)
        if ci is not None:
            if ci[0] <= 0:
                raise err(kp, f"interval [{ci[0]:g}, {ci[1]:g}] not positive", "positive bounds for a lognormal")
            median = math.sqrt(ci[0] * ci[1])
            log_sd = (math.log(ci[1]) - math.log(ci[0])) / (2 * ci[2])
        else:
            median, log_sd = _number(spec, "median", kp, err), _number(spec, "log_sd", kp, err)
            if not (median > 0 and log_sd > 0):
                raise err(kp, f"median {median:g}, log_sd {log_sd:g}", "median > 0 and log_sd > 0")
        m = Marginal(name, dist, (("median", median), ("log_sd", log_sd)), bounds)
    else:  # choice
        vals = spec.get("values")
        if not (isinstance(vals, list) and vals and all(isinstance(v, (int, float)) for v in vals)):
            raise err(kp + ["values"], f"value {vals!r}", "a non-empty list of numbers")
        w = spec.get("weights", [1.0] * len(vals))
        if not (isinstance(w, list) and len(w) == len(vals) and all(isinstance(x, (int, float)) and x >= 0 for x in w)
                and sum(w) > 0):
            raise err(kp + ["weights"], f"value {w!r}", f"{len(vals)} non-negative numbers, not all 0")
        return Marginal(name, "choice", (("values", tuple(float(v) for v in vals)), ("weights", tuple(float(x) for x in w))))
    if bounds is not None:
        d = m._frozen()
        if not d.cdf(bounds[1]) - d.cdf(bounds[0]) > 1e-12:
            raise err(kp + ["bounds"], f"bounds {list(bounds)} exclude the whole distribution", "overlapping bounds")
    return m


def _correlation_matrix(cfg: MonteCarloConfig, err=None) -> np.ndarray:
    names = list(cfg.uncertain)
    c = np.eye(len(names))
    for a, b, rho in cfg.correlations:
        i, j = names.index(a), names.index(b)
        c[i, j] = c[j, i] = rho
    try:
        np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        if err is None:
            raise
        raise err(["correlations"], "correlation matrix is not positive definite", "a consistent set of correlations") from None
    return c


# ---------------------------------------------------------------- sampling and evaluation

def _as_seed_sequence(seed: int | np.random.Generator | np.random.SeedSequence | None) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(seed.integers(0, 2**63, size=4).tolist())
    if seed is None:
        raise ParameterError("seed", "a seed is required for reproducibility", expected="an integer or numpy Generator")
    return np.random.SeedSequence(int(seed))


def sample_parameters(config: MonteCarloConfig, n: int, seed) -> dict[str, np.ndarray]:
    """``n`` joint draws of the uncertain parameters (Gaussian copula), plus fixed ones as scalars."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(_as_seed_sequence(seed))
    out: dict[str, np.ndarray] = {k: np.asarray(v) for k, v in config.fixed}
    d = len(config.marginals)
    if d:
        z = rng.standard_normal((n, d))
        if config.correlations:
            z = z @ np.linalg.cholesky(_correlation_matrix(config)).T
        u = np.clip(stats.norm.cdf(z), U_MIN, 1 - U_MIN)
        for j, m in enumerate(config.marginals):
            out[m.name] = m.ppf(u[:, j])
    return out


def _run_chunk(config: MonteCarloConfig, n: int, seed_seq: np.random.SeedSequence) -> tuple[dict, np.ndarray]:
    """Sample ``n`` draws and return (parameter arrays, days to each level)."""
    samples = sample_parameters(config, n, np.random.default_rng(seed_seq))
    times = time_to_ooms(samples, config.levels) if n else np.empty((0, config.levels.size))
    return {k: np.broadcast_to(v, (n,)).copy() for k, v in samples.items()}, times


@dataclass(frozen=True)
class MonteCarloResult(Result):
    """P(SIE) and the distribution of software growth over draws of the parameters."""

    config: str
    draws: int
    seed: int | None
    sie_ooms: float
    sie_days: float
    p_sie: float
    p_sie_se: float  # Monte Carlo standard error sqrt(p (1 - p) / n)
    levels_ooms: np.ndarray = field(repr=False)  # OOM levels
    days_to_level: np.ndarray = field(repr=False)  # (draws, levels): days to reach each level (inf: never)
    samples: pd.DataFrame = field(repr=False)  # the parameter draws

    @property
    def days_to_sie_ooms(self) -> np.ndarray:
        j = int(np.argmin(np.abs(self.levels_ooms - self.sie_ooms)))
        return self.days_to_level[:, j]

    def quantiles_days_to_sie_ooms(self, qs=QUANTILES) -> dict[float, float]:
        return {q: float(np.quantile(self.days_to_sie_ooms, q, method="inverted_cdf")) for q in qs}

    def fan_chart(self, qs=(0.1, 0.25, 0.5, 0.75, 0.9)) -> pd.DataFrame:
        """For each OOM level and quantile q, the date at which the q-quantile path reaches it.

        Software is monotone in time, so log10 S(t) >= level exactly when the days to
        reach that level are <= t; the q-quantile of log10 S(t) therefore crosses a
        level at the (1 - q)-quantile of the days to reach it.
        """
        rows = {"ooms": self.levels_ooms}
        for q in qs:
            with np.errstate(invalid="ignore"):
                rows[f"q{int(round(q * 100)):02d}_days"] = np.quantile(self.days_to_level, 1 - q, axis=0, method="inverted_cdf")
        rows["p_reached_within_sie_days"] = np.mean(self.days_to_level < self.sie_days, axis=0)
        return pd.DataFrame(rows)

    def p_sie_by(self, parameter: str, bins: int = 5) -> pd.DataFrame:
        """P(SIE) within quantile bins of one uncertain parameter."""
        if parameter not in self.samples:
            raise ParameterError("parameter", f"'{parameter}' not in the draws", expected=", ".join(self.samples))
        x = self.samples[parameter]
        sie = self.days_to_sie_ooms < self.sie_days
        cut = pd.qcut(x, bins, duplicates="drop")
        g = pd.DataFrame({"bin": cut, "sie": sie}).groupby("bin", observed=True)["sie"]
        return pd.DataFrame({"bin": [str(b) for b in g.mean().index], "p_sie": g.mean().values, "draws": g.size().values})

    def to_frame(self) -> pd.DataFrame:
        return self.fan_chart()

    def to_dict(self) -> dict[str, Any]:
        qd = self.quantiles_days_to_sie_ooms()
        return jsonable(
            {
                "config": self.config,
                "draws": self.draws,
                "seed": self.seed,
                "sie_ooms": self.sie_ooms,
                "sie_days": self.sie_days,
                "p_sie": self.p_sie,
                "p_sie_se": self.p_sie_se,
                "days_to_sie_ooms_quantiles": {f"{q:g}": v for q, v in qd.items()},
                "p_reach_sie_ooms_ever": float(np.mean(np.isfinite(self.days_to_sie_ooms))),
                "fan_chart": self.fan_chart(),
            }
        )

    def summary(self) -> str:
        qd = self.quantiles_days_to_sie_ooms()
        q = pd.DataFrame({"quantile": list(qd), f"days_to_{self.sie_ooms:g}_ooms": list(qd.values())})
        head = (
            f"config {self.config}: {self.draws} draws, seed {self.seed}\n"
            f"P(SIE: >= {self.sie_ooms:g} OOMs in < {self.sie_days:g} days) = {self.p_sie:.4f} "
            f"(MC s.e. {self.p_sie_se:.4f})"
        )
        return head + "\n\n" + format_table(q, title="Days to the SIE level (inf: never, e.g. beyond the ceiling)")


def _client(scheduler):
    """A dask.distributed Client from an address, 'local', or an existing Client."""
    from dask.distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        return scheduler, False
    if scheduler == "local":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
        return Client(cluster), True
    if not isinstance(scheduler, str) or not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        raise ParameterError("scheduler", f"cannot use {scheduler!r}", expected="'local' or an address like tcp://host:8786")
    return Client(scheduler), True


def run_monte_carlo(
    config: MonteCarloConfig | str | Path,
    draws: int = 10_000,
    seed: int | np.random.Generator | None = 0,
    *,
    scheduler=None,
    chunk_size: int = 10_000,
    progress: Callable[[int], None] | None = None,
) -> MonteCarloResult:
    """Draw parameters, integrate every draw, and summarise P(SIE) and time to k OOMs.

    ``scheduler``: None (here), 'local' (a local Dask cluster), a Dask address, or a
    ``dask.distributed.Client``. Results do not depend on it (chunk i always uses the
    i-th spawned seed).
    """
    if not isinstance(config, MonteCarloConfig):
        config = load_config(config)
    if isinstance(draws, bool) or int(draws) != draws or draws < 1:
        raise ParameterError("draws", f"{draws}", expected="a positive integer")
    if int(chunk_size) < 1:
        raise ParameterError("chunk_size", f"{chunk_size}", expected="a positive integer")
    draws = int(draws)
    ss = _as_seed_sequence(seed)
    sizes = [min(chunk_size, draws - i) for i in range(0, draws, chunk_size)]
    children = ss.spawn(len(sizes))
    parts: list[tuple[dict, np.ndarray]]
    if scheduler is None:
        parts = []
        for n, child in zip(sizes, children):
            parts.append(_run_chunk(config, n, child))
            if progress:
                progress(n)
    else:
        from dask.distributed import as_completed

        client, own = _client(scheduler)
        try:
            futures = [client.submit(_run_chunk, config, n, child, pure=False) for n, child in zip(sizes, children)]
            index = {f.key: i for i, f in enumerate(futures)}
            done: dict[int, tuple[dict, np.ndarray]] = {}
            for fut in as_completed(futures):
                done[index[fut.key]] = fut.result()
                if progress:
                    progress(sizes[index[fut.key]])
            parts = [done[i] for i in range(len(futures))]
        finally:
            if own:
                cluster = getattr(client, "cluster", None)
                client.close()
                if cluster is not None:
                    cluster.close()
    times = np.concatenate([p[1] for p in parts], axis=0)
    samples = pd.DataFrame({k: np.concatenate([p[0][k] for p in parts]) for k in parts[0][0]})
    levels = config.levels
    j = int(np.argmin(np.abs(levels - config.sie_ooms)))
    sie = times[:, j] < config.sie_days
    p = float(np.mean(sie))
    return MonteCarloResult(
        config=config.name,
        draws=draws,
        seed=int(seed) if isinstance(seed, (int, np.integer)) else None,
        sie_ooms=config.sie_ooms,
        sie_days=config.sie_days,
        p_sie=p,
        p_sie_se=math.sqrt(p * (1 - p) / draws),
        levels_ooms=levels,
        days_to_level=times,
        samples=samples,
    )


# ---------------------------------------------------------------- Sobol sensitivity

@dataclass(frozen=True)
class SensitivityResult(Result):
    """First-order and total Sobol indices of an SIE outcome."""

    config: str
    output: str  # "sie" (indicator of an SIE) or "log10_days" (log10 days to the SIE level, capped)
    base_samples: int
    evaluations: int
    indices: pd.DataFrame  # parameter, S1, S1_conf, ST, ST_conf

    def to_frame(self) -> pd.DataFrame:
        return self.indices

    def to_dict(self) -> dict[str, Any]:
        return jsonable(
            {
                "config": self.config,
                "output": self.output,
                "base_samples": self.base_samples,
                "evaluations": self.evaluations,
                "indices": self.indices,
            }
        )

    def summary(self) -> str:
        return format_table(
            self.indices,
            title=f"Sobol indices of '{self.output}' for config {self.config} ({self.evaluations} model runs)",
        )


def sensitivity(
    config: MonteCarloConfig | str | Path,
    n: int = 1024,
    seed: int | np.random.Generator | None = 0,
    *,
    output: str = "sie",
    cap_days: float = 1e5,
) -> SensitivityResult:
    """Variance-based (Sobol) sensitivity of the SIE outcome via SALib (Saltelli/Sobol design).

    The inputs are the config's uncertain parameters, sampled independently (Sobol
    indices assume independent inputs, so copula correlations are ignored here):
    SALib samples the unit hypercube and each marginal's inverse CDF maps it to values.
    ``n`` is the base sample size (a power of 2); the model runs n * (d + 2) times.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    if not isinstance(config, MonteCarloConfig):
        config = load_config(config)
    if output not in ("sie", "log10_days"):
        raise ParameterError("output", f"unknown output '{output}'", expected="'sie' or 'log10_days'")
    if isinstance(n, bool) or int(n) != n or n < 2 or (int(n) & (int(n) - 1)):
        raise ParameterError("n", f"{n}", expected="a power of 2, at least 2")
    names = list(config.uncertain)
    if len(names) < 2:
        raise ParameterError("config", f"'{config.name}' has {len(names)} uncertain parameters", expected="at least 2")
    ss = _as_seed_sequence(seed)
    sample_seed, analyze_seed = (int(x) for x in ss.generate_state(2) % (2**31 - 1))
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    u = sobol_sample.sample(problem, int(n), calc_second_order=False, seed=sample_seed)
    u = np.clip(u, U_MIN, 1 - U_MIN)
    p = {k: np.asarray(v) for k, v in config.fixed}
    for j, m in enumerate(config.marginals):
        p[m.name] = m.ppf(u[:, j])
    days = time_to_ooms(p, [config.sie_ooms])[:, 0]
    if output == "sie":
        y = (days < config.sie_days).astype(float)
    else:
        y = np.log10(np.minimum(days, cap_days))
    if np.all(y == y[0]):
        frame = pd.DataFrame({"parameter": names, "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0})
    else:
        res = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=analyze_seed, print_to_console=False)
        frame = pd.DataFrame(
            {"parameter": names, "S1": res["S1"], "S1_conf": res["S1_conf"], "ST": res["ST"], "ST_conf": res["ST_conf"]}
        )
    frame = frame.sort_values("ST", ascending=False, ignore_index=True)
    return SensitivityResult(config=config.name, output=output, base_samples=int(n), evaluations=int(len(y)),
                             indices=frame)


# ---------------------------------------------------------------- figures

def plot_fan_chart(result: MonteCarloResult, ax=None, horizon_days: float | None = None, months: bool = True):
    """Fan chart of software OOMs vs time: median and 50% / 80% bands over draws."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4.5))
    else:
        fig = ax.figure
    fan = result.fan_chart()
    horizon = horizon_days or 3 * result.sie_days
    scale = 365.25 / 12 if months else 1.0
    y = np.concatenate([[0.0], fan["ooms"].to_numpy()])

    def col(name):
        x = np.concatenate([[0.0], fan[name].to_numpy()])
        return np.minimum(x, horizon * 1.01) / scale

    ax.fill_betweenx(y, col("q10_days"), col("q90_days"), alpha=0.2, color="C0", label="10-90%")
    ax.fill_betweenx(y, col("q25_days"), col("q75_days"), alpha=0.35, color="C0", label="25-75%")
    ax.plot(col("q50_days"), y, color="C0", label="median")
    ax.axhline(result.sie_ooms, color="grey", ls=":", lw=0.9)
    ax.axvline(result.sie_days / scale, color="grey", ls=":", lw=0.9)
    ax.set_xlim(0, horizon / scale)
    ax.set_ylim(0, y[-1])
    ax.set_xlabel("months after automation" if months else "days after automation")
    ax.set_ylabel("software gain (OOMs)")
    ax.set_title(f"{result.config}: P(SIE) = {result.p_sie:.3f} ± {result.p_sie_se:.3f} ({result.draws} draws)")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(True, alpha=0.3)
    return fig


def plot_sensitivity(result: SensitivityResult, ax=None):
    """Bars of first-order and total Sobol indices with their confidence half-widths."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 0.4 * len(result.indices) + 1.5))
    else:
        fig = ax.figure
    f = result.indices.iloc[::-1]
    y = np.arange(len(f))
    ax.barh(y + 0.2, f["ST"], height=0.4, xerr=f["ST_conf"], label="total (ST)", color="C1")
    ax.barh(y - 0.2, f["S1"], height=0.4, xerr=f["S1_conf"], label="first order (S1)", color="C0")
    ax.set_yticks(y, f["parameter"])
    ax.set_xlabel("Sobol index")
    ax.set_title(f"Sensitivity of '{result.output}' ({result.config})")
    ax.legend(fontsize=8)
    ax.grid(True, axis="x", alpha=0.3)
    return fig


def config_params_default(config: MonteCarloConfig) -> SIEParams:
    """A representative parameter set: fixed values and the medians of the distributions."""
    vals = {k: v for k, v in config.fixed}
    for m in config.marginals:
        vals[m.name] = float(m.ppf(np.array([0.5]))[0])
    return SIEParams(**vals)
