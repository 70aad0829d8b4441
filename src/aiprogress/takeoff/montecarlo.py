"""Monte Carlo over a config's parameter distributions, for any registered takeoff model.

Configs and scenarios are described in :mod:`aiprogress.takeoff.config`; the
statistics in :mod:`aiprogress.takeoff.statistics`.

Reproducibility: draws depend only on the seed and the draw index. Draw ``k``
belongs to seed block ``k // BLOCK`` (``BLOCK`` = 1,000 draws), and block ``b``
is sampled from ``SeedSequence(seed).spawn(...)[b]`` (i.e. ``SeedSequence(seed,
spawn_key=(b,))``) whatever else runs. Work is cut into chunks of whole blocks
(``chunk_size`` is rounded up to a multiple of ``BLOCK``), and every model
simulates each draw independently of the others in its batch, so the same seed
gives bit-identical draws, trajectories and summaries for any chunk size, worker
count or scheduler (``scheduler`` as in :mod:`aiprogress.stats.parallel`:
threads by default, ``sync``, ``processes``, ``local`` or a Dask address).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
from scipy import stats

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table, jsonable
from aiprogress.stats.parallel import map_chunks
from aiprogress.takeoff.config import MonteCarloConfig, _correlation_matrix, config_medians, load_config
from aiprogress.takeoff.distributions import U_MIN
from aiprogress.takeoff.models import DAYS_PER_YEAR, LOG2_10, get_model
from aiprogress.takeoff.statistics import merge_tallies, per_draw, summarise, summarise_tally, table_frame, tally

__all__ = ["BLOCK", "MonteCarloResult", "run_monte_carlo", "sample_parameters", "load_config", "config_medians"]

BLOCK = 1000
STREAM_ABOVE = 2_000_000  # above this many draws, summaries are streamed (no per-draw arrays kept)
HIST_EDGES = np.linspace(-6.0, 16.0, 22_001)  # log10 days: streamed quantiles resolve 0.001 dex (0.23%);
# finite days beyond 1e16 (about 3e13 years) fall in the last bin.
QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
FAN_QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


def _as_seed_sequence(seed: int | np.random.SeedSequence | None) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(seed.integers(0, 2**63, size=4).tolist())
    if seed is None or isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError("seed", f"{seed!r}", expected="a whole number >= 0")
    return np.random.SeedSequence(int(seed))


def _block_rng(base: np.random.SeedSequence, block: int) -> np.random.Generator:
    """The generator of seed block ``block``: the block-th child of ``base`` (same as ``base.spawn``)."""
    child = np.random.SeedSequence(base.entropy, spawn_key=tuple(base.spawn_key) + (int(block),),
                                   pool_size=base.pool_size)
    return np.random.default_rng(child)


def _sample_block(config: MonteCarloConfig, base: np.random.SeedSequence, block: int) -> dict[str, np.ndarray]:
    return _draw(config, _block_rng(base, block), BLOCK)


def _draw(config: MonteCarloConfig, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return _to_parameters(config, _normal_scores(config, rng, n)) if config.marginals else {}


def _normal_scores(config: MonteCarloConfig, rng: np.random.Generator, n: int,
                   chol: np.ndarray | None = None) -> np.ndarray:
    """(n, d) correlated standard normal scores of one generator's batch (the Gaussian copula's input)."""
    z = rng.standard_normal((n, len(config.marginals)))
    if config.correlations:
        z = z @ (np.linalg.cholesky(_correlation_matrix(config)) if chol is None else chol).T
    return z


def _to_parameters(config: MonteCarloConfig, z: np.ndarray) -> dict[str, np.ndarray]:
    """Normal scores -> parameter values, element by element (so blocks may be stacked first: same numbers)."""
    u = np.clip(stats.norm.cdf(z), U_MIN, 1 - U_MIN)
    return {m.name: m.ppf(u[:, j]) for j, m in enumerate(config.marginals)}


def sample_parameters(config: MonteCarloConfig, n: int, seed, *, first_draw: int = 0) -> dict[str, np.ndarray]:
    """Draws ``first_draw .. first_draw + n - 1`` of the config's uncertain parameters (Gaussian copula),
    plus fixed ones as scalars: exactly the draws :func:`run_monte_carlo` uses for the same seed."""
    out: dict[str, np.ndarray] = {k: np.asarray(v, dtype=float) for k, v in config.fixed}
    if isinstance(seed, np.random.Generator):  # a generator is used as is: one batch, not keyed by block
        if config.marginals and n > 0:
            out.update(_draw(config, seed, n))
        return out
    base = _as_seed_sequence(seed)
    if n <= 0 or not config.marginals:
        out.update({m.name: np.empty(0) for m in config.marginals} if n <= 0 else {})
        return out
    b0, b1 = first_draw // BLOCK, (first_draw + n - 1) // BLOCK
    # Each block's scores come from its own generator; the inverse CDFs then run once on the stacked
    # scores (element-wise, so the same values as block by block, without per-block scipy overhead).
    chol = np.linalg.cholesky(_correlation_matrix(config)) if config.correlations else None
    lo = first_draw - b0 * BLOCK
    z = np.concatenate([_normal_scores(config, _block_rng(base, b), BLOCK, chol) for b in range(b0, b1 + 1)])
    out.update(_to_parameters(config, z[lo:lo + n]))
    return out


def fan_levels_ooms(config: MonteCarloConfig) -> np.ndarray:
    """OOM levels of the fan chart (always including the SIE level)."""
    grid = np.arange(config.ooms_step, config.max_ooms + 1e-9, config.ooms_step)
    return np.unique(np.round(np.concatenate([grid, [config.sie_ooms]]), 12))


def _run_chunk(task: tuple, config: MonteCarloConfig) -> dict[str, np.ndarray]:
    """Sample one chunk of draws, simulate it and reduce every draw to its statistics."""
    base, first, n = task
    samples = {k: np.broadcast_to(v, (n,)) for k, v in sample_parameters(config, n, base, first_draw=first).items()}
    model = get_model(config.model)
    spec = config.statistics
    fan = fan_levels_ooms(config) * LOG2_10
    traj = model.simulate_batch(samples, max_log2_software=max(spec.max_log2_needed, fan.max()),
                                extra_log2_levels=tuple(fan))
    out = per_draw(traj, spec)
    with np.errstate(over="ignore"):
        out["days_to_level"] = np.stack([traj.time_to_level(x) for x in fan], axis=1) * DAYS_PER_YEAR
    for name in config.uncertain:
        out["param:" + name] = samples[name]
    return out


@dataclass(frozen=True)
class MonteCarloResult(Result):
    """Statistics over draws of a config's parameters: compression table and curve, SIE verdict, fan chart."""

    config: str
    model: str
    draws: int
    seed: int | None
    sie_ooms: float
    sie_days: float
    p_sie: float
    p_sie_se: float  # Monte Carlo standard error sqrt(p (1 - p) / n)
    compression: dict = field(repr=False)  # statistics.summarise(...) output
    levels_ooms: np.ndarray = field(repr=False)  # fan-chart OOM levels
    days_to_level: np.ndarray = field(repr=False)  # (draws, levels): days to reach each level (inf: never)
    samples: pd.DataFrame = field(repr=False)  # the parameter draws (uncertain ones, then the fixed ones)
    per_draw: dict = field(repr=False, default_factory=dict)  # per-draw statistics (max years per window, ...)
    streamed: bool = False  # True: no per-draw arrays kept; quantiles from log10-day histograms
    days_hist: np.ndarray | None = field(repr=False, default=None)  # (levels, bins) counts of finite log10 days
    never: np.ndarray | None = field(repr=False, default=None)  # (levels,) draws that never reach the level
    within_sie_days: np.ndarray | None = field(repr=False, default=None)  # (levels,) draws reaching it < sie_days
    sources: dict = field(default_factory=dict)  # parameter -> "capability:name" of a {from: ...} distribution
    source_notes: dict = field(default_factory=dict)  # parameter -> where its distribution comes from

    def _level_quantiles(self, j: int, qs) -> list[float]:
        if not self.streamed:
            return [float(np.quantile(self.days_to_level[:, j], q, method="inverted_cdf")) for q in qs]
        cum = np.cumsum(self.days_hist[j])
        out = []
        for q in qs:
            k = int(np.searchsorted(cum, q * self.draws - 1e-9, side="left"))  # first bin holding the q-th draw
            out.append(float(10 ** HIST_EDGES[min(k + 1, HIST_EDGES.size - 1)]) if k < cum.size else math.inf)
        return out

    @property
    def _sie_index(self) -> int:
        return int(np.argmin(np.abs(self.levels_ooms - self.sie_ooms)))

    @property
    def days_to_sie_ooms(self) -> np.ndarray:
        if self.streamed:
            raise ParameterError("draws", "per-draw days were not kept (streamed run)", expected="keep_draws=True")
        return self.days_to_level[:, self._sie_index]

    def quantiles_days_to_sie_ooms(self, qs=QUANTILES) -> dict[float, float]:
        return dict(zip(qs, self._level_quantiles(self._sie_index, qs)))

    def compression_table(self) -> pd.DataFrame:
        return table_frame(self.compression)

    def compression_curve(self) -> pd.DataFrame:
        return pd.DataFrame(self.compression["curve"]["points"])

    def fan_chart(self, qs=FAN_QUANTILES) -> pd.DataFrame:
        """For each OOM level, quantiles of the days to reach it: column ``days_q10`` is the
        10th percentile of the days (the date by which 10% of draws have reached the level).

        Software is monotone in time, so the (1 - q)-quantile path of log10 S(t) reaches a
        level on the q-quantile of its days: ``days_q10`` traces the 90th-percentile path.
        """
        rows: dict[str, Any] = {"ooms": self.levels_ooms}
        per_level = [self._level_quantiles(j, qs) for j in range(self.levels_ooms.size)]
        for i, q in enumerate(qs):
            rows[f"days_q{int(round(q * 100)):02d}"] = np.array([v[i] for v in per_level])
        rows["p_reached_within_sie_days"] = (self.within_sie_days / self.draws if self.streamed
                                             else np.mean(self.days_to_level < self.sie_days, axis=0))
        return pd.DataFrame(rows)

    def p_sie_by(self, parameter: str, bins: int = 5) -> pd.DataFrame:
        """P(SIE) within quantile bins of one uncertain parameter."""
        if self.streamed:
            raise ParameterError("parameter", "per-draw samples were not kept (streamed run)", expected="keep_draws=True")
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
        fan = self.fan_chart()
        fan_rows = []
        for rec in fan.to_dict("records"):
            row = {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in rec.items()}
            row["never"] = {k: True for k, v in rec.items() if isinstance(v, float) and math.isinf(v)}
            fan_rows.append(row)
        return jsonable({
            "config": self.config,
            "model": self.model,
            "sources": self.sources,
            "source_notes": self.source_notes,
            "draws": self.draws,
            "seed": self.seed,
            "sie_ooms": self.sie_ooms,
            "sie_days": self.sie_days,
            "p_sie": self.p_sie,
            "p_sie_se": self.p_sie_se,
            "compression": self.compression,
            "days_to_sie_ooms_quantiles": {f"{q:g}": (v if math.isfinite(v) else None) for q, v in qd.items()},
            "days_to_sie_ooms_never": {f"{q:g}": True for q, v in qd.items() if math.isinf(v)},
            "p_reach_sie_ooms_ever": (1.0 - float(self.never[self._sie_index]) / self.draws if self.streamed
                                      else float(np.mean(np.isfinite(self.days_to_sie_ooms)))),
            "streamed": self.streamed,
            "quantile_resolution": "exact (inverted CDF)" if not self.streamed else "0.001 in log10 days (0.23%)",
            "fan_chart": fan_rows,
            "json_convention": "non-finite numbers are null; 'never' flags mark levels never reached (infinite days)",
        })

    def summary(self) -> str:
        c = self.compression
        head = (
            f"config {self.config} (model {self.model}): {self.draws} draws, seed {self.seed}\n"
            f"P(SIE: >= {self.sie_ooms:g} OOMs in < {self.sie_days:g} days) = {self.p_sie:.4f} "
            f"(MC s.e. {self.p_sie_se:.4f})\n{c['conversion']}; windows start within {c['horizon_years']:g} years"
        )
        for name, ref in self.sources.items():
            note = self.source_notes.get(name, "")
            head += f"\n{name} from {ref}" + (f": {note}" if note and not note.startswith("{from") else "")
        table = format_table(self.compression_table(), title="Progress compression (MC s.e. = Monte Carlo standard error)")
        curve = self.compression_curve()
        curve_text = format_table(curve.rename(columns={"x_years": "X (years)", "p": f"P(>= X in <= {c['curve']['y_months']:g} months)",
                                                        "se": "MC s.e."}), title="Compression curve")
        qd = self.quantiles_days_to_sie_ooms()
        q = pd.DataFrame({"quantile": list(qd), f"days_to_{self.sie_ooms:g}_ooms": list(qd.values())})
        return "\n\n".join([head, table, curve_text,
                            format_table(q, title="Days to the SIE level (inf: never, e.g. beyond the ceiling)")])


def run_monte_carlo(
    config: MonteCarloConfig | str | Path,
    draws: int | None = None,
    seed: int | None = None,
    *,
    scheduler=None,
    chunk_size: int = 10_000,
    progress: Callable[[int], None] | None = None,
    keep_draws: bool | None = None,
) -> MonteCarloResult:
    """Draw parameters, simulate every draw with the config's model, and summarise.

    ``draws`` and ``seed`` default to the scenario's own (``draws:``/``seed:`` in the
    file), else 10,000 and 0. ``chunk_size`` is rounded up to a multiple of
    :data:`BLOCK`; results do not depend on it, nor on ``scheduler``.
    ``progress(n)`` is called with the number of draws done after each chunk.
    ``keep_draws`` (default: up to :data:`STREAM_ABOVE` draws) keeps the per-draw samples
    and days; otherwise chunks are folded into streaming summaries as they arrive
    (exact counts for every probability, log10-day histograms for the quantiles), so
    memory does not grow with the number of draws.
    """
    if not isinstance(config, MonteCarloConfig):
        config = load_config(config)
    draws = config.draws or 10_000 if draws is None else draws
    seed = (config.seed if config.seed is not None else 0) if seed is None else seed
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ParameterError("draws", f"{draws!r}", expected="a whole number >= 1")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ParameterError("chunk_size", f"{chunk_size!r}", expected="a whole number >= 1")
    draws = int(draws)
    base = _as_seed_sequence(seed)
    chunk = BLOCK * math.ceil(int(chunk_size) / BLOCK)
    tasks = [(base, lo, min(chunk, draws - lo)) for lo in range(0, draws, chunk)]
    keep = draws <= STREAM_ABOVE if keep_draws is None else bool(keep_draws)
    spec = config.statistics
    levels = fan_levels_ooms(config)
    common = dict(config=config.name, model=config.model, draws=draws,
                  seed=int(seed) if isinstance(seed, (int, np.integer)) else None,
                  sie_ooms=config.sie_ooms, sie_days=config.sie_days, levels_ooms=levels,
                  sources=dict(config.sources), source_notes=dict(config.source_notes))
    if not keep:
        acc: dict[str, Any] = {"tally": None, "hist": np.zeros((levels.size, HIST_EDGES.size - 1), dtype=np.int64),
                               "never": np.zeros(levels.size, dtype=np.int64),
                               "within": np.zeros(levels.size, dtype=np.int64)}

        def fold(_i: int, part: dict[str, np.ndarray]) -> None:
            acc["tally"] = merge_tallies(acc["tally"], tally(part, spec))
            days = part["days_to_level"]
            acc["never"] += np.count_nonzero(~np.isfinite(days), axis=0)
            acc["within"] += np.count_nonzero(days < config.sie_days, axis=0)
            with np.errstate(divide="ignore"):
                bins = np.clip(np.searchsorted(HIST_EDGES, np.log10(days), side="right") - 1, 0, HIST_EDGES.size - 2)
            for j in range(levels.size):
                ok = np.isfinite(days[:, j])
                acc["hist"][j] += np.bincount(bins[ok, j], minlength=HIST_EDGES.size - 1)

        map_chunks(_run_chunk, tasks, shared={"config": config}, scheduler=scheduler, progress=progress,
                   weights=[t[2] for t in tasks], on_result=fold)
        summary = summarise_tally(acc["tally"], spec)
        return MonteCarloResult(**common, p_sie=summary["sie"]["p"], p_sie_se=summary["sie"]["se"], compression=summary,
                                days_to_level=np.empty((0, levels.size)), samples=pd.DataFrame(), streamed=True,
                                days_hist=acc["hist"], never=acc["never"], within_sie_days=acc["within"])
    merged: dict[str, np.ndarray] = {}

    def store(i: int, part: dict[str, np.ndarray]) -> None:  # each chunk written in place: no list of parts kept
        lo, n = tasks[i][1], tasks[i][2]
        for k, v in part.items():
            if k not in merged:
                merged[k] = np.empty((draws,) + v.shape[1:], dtype=v.dtype)
            merged[k][lo:lo + n] = v

    map_chunks(_run_chunk, tasks, shared={"config": config}, scheduler=scheduler, progress=progress,
               weights=[t[2] for t in tasks], on_result=store)
    stats_keys = [k for k in merged if not k.startswith("param:") and k != "days_to_level"]
    summary = summarise({k: merged[k] for k in stats_keys}, spec)
    return MonteCarloResult(
        **common,
        p_sie=summary["sie"]["p"],
        p_sie_se=summary["sie"]["se"],
        compression=summary,
        days_to_level=merged["days_to_level"],
        samples=pd.DataFrame({**{k[6:]: v for k, v in merged.items() if k.startswith("param:")},
                              **{k: np.full(draws, float(v)) for k, v in config.fixed}}),
        per_draw={k: merged[k] for k in stats_keys},
    )
