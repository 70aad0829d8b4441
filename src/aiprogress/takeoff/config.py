"""Takeoff configurations and scenarios: a model, parameter distributions, statistics, seed.

A configuration (shipped ones live in ``aiprogress/takeoff/configs``; pass a name
or a path) is a YAML file; a *scenario* is the same file with ``seed`` (and
optionally ``draws``) set, so that it reproduces its numbers::

    name: my-scenario
    description: ...
    model: davidson-houlden          # a registered model (``takeoff models``); default ces-sie
    seed: 1                          # optional: the scenario's seed
    draws: 100000                    # optional: the scenario's number of draws
    sie: {ooms: 5, days: 365}        # the SIE verdict: >= 5 OOMs in < 365 days
    max_ooms: 10                     # fan chart up to this many OOMs
    statistics:                      # optional (defaults shown)
      table_x_years: [3, 10]         # P(>= X years of progress in <= Y months)
      table_y_months: [12, 4]
      curve_x_years: [1, 2, ..., 20] # the curve P(>= X years in <= curve_y_months)
      curve_y_months: 12
      horizon_years: 4               # windows start within this many years
      doublings_per_year: 8          # software doublings per year of overall progress
    parameters:
      alpha: 0.5                                  # a bare number is fixed
      rho: {dist: uniform, low: -0.2, high: 0}
      lam: {dist: loguniform, low: 0.3, high: 1}
      r: {dist: lognormal, ci80: [1, 4]}          # or ci90, or median + log_sd, or mu + sigma
      kappa: {dist: normal, mean: 0.5, sd: 0.3, bounds: [0, 1]}   # or ci80/ci90
      eta: {dist: choice, values: [0, 0.5], weights: [0.7, 0.3]}
      beta: {dist: empirical, values: [0.9, 1.1, 1.3, ...]}       # draws as given (quantiles)
      r2: {from: "algorithmic:meta"}              # a distribution from another capability
    correlations:                                  # optional Gaussian copula
      - [r, software_doubling_days, -0.3]
    source_notes:                                  # optional: where each range comes from
      rho: Davidson (2025) argues -0.2 < rho < 0 for AI research

Parameter specs (the format providers must return too)
-------------------------------------------------------
Each entry of ``parameters:`` is a number (fixed) or a mapping with ``dist``:

* ``fixed``: ``value``;
* ``uniform`` / ``loguniform``: ``low``, ``high``;
* ``normal``: ``mean`` and ``sd``, or ``ci80`` / ``ci90`` ``[a, b]``;
* ``lognormal``: ``median`` and ``log_sd``, or ``mu`` and ``sigma`` (of log X), or
  ``ci80`` / ``ci90``;
* ``choice``: ``values`` and optional ``weights``;
* ``empirical``: ``values`` (a sample, e.g. bootstrap draws; draws are its
  inverted-CDF quantiles, so a uniform u maps to a value of the sample);

all with optional ``bounds: [low, high]`` (exact truncation). Keys ``source``,
``description`` and ``note`` are allowed and kept as the parameter's source note.

``{from: "<capability>:<name>"}`` asks capability ``<capability>`` for the
distribution ``<name>`` through :func:`aiprogress.capabilities.distribution`; the
provider returns a mapping in the format above (e.g. ``{dist: lognormal, ci80:
[1.0, 4.0]}`` or ``{dist: lognormal, mu: 0.2, sigma: 0.4}``). Keys next to
``from`` (e.g. ``bounds``) override the provider's; ``with:`` is a mapping of
options passed to the provider (file names in it, keys ``csv``/``path``/``file``,
are relative to the config file's folder). The config names the reference in its
``sources`` so results say where a distribution came from. Providers:
``algorithmic:meta`` / ``algorithmic:meta-published`` (r from the meta-analysis of
log r) and ``takeoff:rho`` (rho from ``estimate-rho`` on a panel:
``rho: {from: "takeoff:rho", with: {csv: panel.csv, output_col: Y, labour_col: L,
capital_col: K, method: nls}}``, normal with the estimate's SE, rho < 1).

A ``ci80`` / ``ci90`` interval [a, b] sets the 10%/90% (5%/95%) quantiles of the
distribution exactly: a lognormal gets median sqrt(a b) and log-sd
ln(b / a) / (2 z), a normal mean (a + b) / 2 and sd (b - a) / (2 z), z = Phi^-1(0.9)
or Phi^-1(0.95). ``bounds`` then truncate the distribution exactly (inverse CDF on
the truncated range), so with bounds the interval describes the distribution
before truncation. Every value a distribution can produce (its quantiles from
1e-9 to 1 - 1e-9; draws are clipped to that range) must be a valid parameter of
the config's model (its declared bounds), else loading fails naming the key.

Correlations are those of a Gaussian copula: draws are Phi(Z) with Z ~ N(0, C),
pushed through each marginal's inverse CDF. The number c given is the correlation
of the normal scores Z; the resulting rank (Spearman) correlation of the
parameters is (6 / pi) asin(c / 2), within 0.02 of c for any c (e.g. 0.287 for
c = 0.3), whatever the marginals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from aiprogress.errors import InputError
from aiprogress.results import Result, jsonable
from aiprogress.takeoff.distributions import U_MIN, Marginal, parse_marginal
from aiprogress.takeoff.models import TakeoffModel, get_model, list_models
from aiprogress.takeoff.statistics import StatisticsSpec

DEFAULT_MODEL = "ces-sie"
# ---------------------------------------------------------------- configuration

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
    model: str = DEFAULT_MODEL  # registered model name
    statistics: StatisticsSpec = field(default_factory=StatisticsSpec)
    seed: int | None = None  # a scenario's seed
    draws: int | None = None  # a scenario's number of draws
    sources: tuple[tuple[str, str], ...] = ()  # (parameter, "capability:name") for ``from:`` references

    @property
    def model_obj(self) -> TakeoffModel:
        return get_model(self.model)

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
                "model": self.model,
                "statistics": self.statistics.to_dict(),
                "seed": self.seed,
                "draws": self.draws,
                "sources": dict(self.sources),
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
        return parse_config(text, source=str(path), base_dir=path.resolve().parent)
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


def parse_config(text: str, source: str = "<config>", base_dir: str | Path | None = None) -> MonteCarloConfig:
    """Parse YAML text into a :class:`MonteCarloConfig` (errors name the file and key).

    ``base_dir``: the folder that relative file names in ``with:`` options are read from (the config
    file's folder when loaded from a path; the working directory when None)."""
    base_dir = None if base_dir is None else Path(base_dir)

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
    allowed = {"name", "description", "sie", "max_ooms", "ooms_step", "parameters", "correlations", "source_notes",
               "model", "statistics", "seed", "draws"}
    for k in doc:
        if k not in allowed:
            raise err([str(k)], "unknown key", "one of " + ", ".join(sorted(allowed)))
    model_name = doc.get("model", DEFAULT_MODEL)
    if model_name not in list_models():
        raise err(["model"], f"unknown model {model_name!r}", "one of " + ", ".join(list_models()))
    model = get_model(model_name)
    if "parameters" not in doc:
        raise InputError("missing key 'parameters'", file=source, expected=f"a mapping of {model_name} parameters")
    params = doc["parameters"]
    if not isinstance(params, dict) or not params:
        raise err(["parameters"], "not a non-empty mapping", "parameter: value or {dist: ...}")

    marginals: list[Marginal] = []
    fixed: list[tuple[str, float]] = []
    sources: list[tuple[str, str]] = []
    notes_from_specs: dict[str, str] = {}
    for name, spec in params.items():
        kp = ["parameters", str(name)]
        if name not in model.parameter_names:
            raise err(kp, f"unknown parameter of model '{model_name}'", "one of " + ", ".join(model.parameter_names))
        if isinstance(spec, dict) and "from" in spec:
            ref = spec["from"]
            spec = _resolve_reference(ref, spec, kp, err, base_dir)
            sources.append((str(name), str(ref)))
        if isinstance(spec, dict):
            for meta in ("source", "description", "note"):
                if isinstance(spec.get(meta), str):
                    notes_from_specs.setdefault(str(name), " ".join(spec[meta].split()))
            spec = {k: v for k, v in spec.items() if k not in ("source", "description", "note")}
        if isinstance(spec, (int, float)) and not isinstance(spec, bool) or spec in ("inf", ".inf"):
            fixed.append((name, float(spec)))
            continue
        if not isinstance(spec, dict):
            raise err(kp, f"cannot read {spec!r}", "a number or a mapping with 'dist'")
        m = parse_marginal(name, spec, kp, err)
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
    notes = {**notes_from_specs, **notes}
    statistics = _parse_statistics(doc.get("statistics") or {}, sie_ooms, sie_days, err)
    seed = doc.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise err(["seed"], f"value {seed!r}", "a whole number >= 0")
    draws = doc.get("draws")
    if draws is not None and (isinstance(draws, bool) or not isinstance(draws, int) or draws < 1):
        raise err(["draws"], f"value {draws!r}", "a whole number >= 1")

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
        model=model_name,
        statistics=statistics,
        seed=seed,
        draws=draws,
        sources=tuple(sources),
    )
    _correlation_matrix(cfg, err)
    # Every value a distribution can produce must be a valid model parameter.
    probe = np.array([U_MIN, 0.001, 0.1, 0.5, 0.9, 0.999, 1 - U_MIN])

    def model_err(name, msg, expected):
        return err(["parameters", name], msg + " (tighten the distribution or add bounds)", expected)

    model.validate({k: v for k, v in fixed}, error=model_err, fill=False)
    model.validate({m.name: m.ppf(probe) for m in marginals}, error=model_err, fill=False)
    return cfg


_PATH_OPTIONS = ("csv", "path", "file")  # provider options that name files: relative to the config's folder


def _relative(value: str, base_dir: Path | None) -> str:
    path = Path(value).expanduser()
    return str(path if path.is_absolute() or base_dir is None else base_dir / path)


def _resolve_reference(ref: Any, spec: dict, kp: list[str], err, base_dir: Path | None = None) -> dict:
    """``{from: "cap:name", ...}`` -> the provider's spec, with the keys next to ``from`` overriding it."""
    from aiprogress import capabilities

    if not isinstance(ref, str) or ":" not in ref:
        raise err(kp + ["from"], f"value {ref!r}", "a reference '<capability>:<name>'")
    options = spec.get("with", {})
    if not isinstance(options, dict):
        raise err(kp + ["with"], f"value {options!r}", "a mapping of the provider's options")
    options = {str(k): _relative(v, base_dir) if k in _PATH_OPTIONS and isinstance(v, str) else v for k, v in options.items()}
    try:
        provided = capabilities.distribution(ref, **options)
    except LookupError as exc:
        raise err(kp + ["from"], str(exc).strip("'\""), "a distribution some capability provides") from None
    if not isinstance(provided, dict):
        raise err(kp + ["from"], f"provider returned {type(provided).__name__}", "a mapping with 'dist'")
    return {**provided, **{k: v for k, v in spec.items() if k not in ("from", "with")}}


_STAT_LISTS = ("table_x_years", "table_y_months", "curve_x_years")
_STAT_NUMBERS = ("curve_y_months", "horizon_years", "doublings_per_year")


def _parse_statistics(doc: Any, sie_ooms: float, sie_days: float, err) -> StatisticsSpec:
    if not isinstance(doc, dict):
        raise err(["statistics"], "not a mapping", "keys " + ", ".join(_STAT_LISTS + _STAT_NUMBERS))
    kwargs: dict[str, Any] = {"sie_ooms": sie_ooms, "sie_days": sie_days}
    for key, value in doc.items():
        kp = ["statistics", str(key)]
        if key in _STAT_LISTS:
            if not (isinstance(value, list) and value and all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v > 0 for v in value)):
                raise err(kp, f"value {value!r}", "a non-empty list of positive numbers")
            kwargs[key] = tuple(float(v) for v in value)
        elif key in _STAT_NUMBERS:
            kwargs[key] = _positive(value, kp, err)
        else:
            raise err(kp, "unknown key", "one of " + ", ".join(_STAT_LISTS + _STAT_NUMBERS))
    return StatisticsSpec(**kwargs)


def _positive(v, kp, err) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not v > 0 or not math.isfinite(v):
        raise err(kp, f"value {v!r}", "a positive number")
    return float(v)


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



def config_medians(config: MonteCarloConfig) -> dict[str, float]:
    """A representative parameter set: fixed values and the medians of the distributions."""
    vals = {k: v for k, v in config.fixed}
    for m in config.marginals:
        vals[m.name] = float(m.ppf(np.array([0.5]))[0])
    return vals
