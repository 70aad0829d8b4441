"""The CES compute-bottleneck SIE model (:mod:`aiprogress.takeoff.sie`) behind the model interface.

Trajectories come from :func:`aiprogress.takeoff.sie.time_to_ooms` (quadrature in
log cumulative research, vectorised over draws) on a grid of software levels
every doubling (plus any ``extra_log2_levels``, e.g. the SIE level and the
fan-chart OOM levels, which are then exact); days are converted to years of
365.25 days. Levels at or above a draw's ceiling are never reached (inf).
"""

from __future__ import annotations

import numpy as np

from aiprogress.takeoff.models import DAYS_PER_YEAR, LOG2_10, Parameter, TakeoffModel, register
from aiprogress.takeoff.sie import _BOUNDS, SIEParams, time_to_ooms

GRID_STEP = 1.0  # doublings between grid levels
MAX_DEFAULT_OOMS = 30.0  # grid cap without a finite ceiling

_UNITS_AND_TEXT = {
    "rho": ("", "CES substitution between cognitive labour and experiments (rho < 0: complements)"),
    "alpha": ("", "CES weight on labour"),
    "lam": ("exponent", "parallelisation penalty: effective labour L**lam"),
    "r": ("doublings of software per doubling of research", "returns to software before compute limits"),
    "eta": ("exponent", "extra labour exponent for smarter/faster researchers: L ~ S**(1 + eta)"),
    "kappa": ("exponent", "experiment compute grows as S**kappa (0: fixed near-frontier experiments)"),
    "software_doubling_days": ("days", "today's software doubling time"),
    "labour_at_full_hardware": ("x today's human labour", "automated labour if all hardware ran researchers"),
    "experiments_at_full_hardware": ("x today's", "experiment compute if all hardware ran experiments"),
    "run_share": ("share", "share of hardware running automated researchers"),
    "human_labour": ("x today's", "human labour floor"),
    "ceiling_ooms": ("OOMs", "software ceiling, OOMs above today (inf: none)"),
    "training_days": ("days", "training run length at automation (0: no delay)"),
    "training_ooms_per_generation": ("OOMs", "software OOMs per trained generation"),
    "training_speedup": ("exponent", "training time falls as S**(-training_speedup)"),
}


class CESModel(TakeoffModel):
    name = "ces-sie"
    grid_step = GRID_STEP
    title = "CES compute-bottleneck SIE model (ODE)"
    description = (
        "Automated research on fixed hardware: CES research input of parallelism-penalised labour and "
        "experiment compute, returns to software r falling to 0 at a software ceiling, optional training delay."
    )

    def __init__(self) -> None:
        defaults = SIEParams()
        self.parameters = tuple(
            Parameter(name, _UNITS_AND_TEXT[name][0], float(lo), float(hi), float(getattr(defaults, name)),
                      _UNITS_AND_TEXT[name][1], low_inclusive=lo_in, high_inclusive=hi_in)
            for name, (lo, hi, lo_in, hi_in, _text) in _BOUNDS.items()
        )

    def _simulate(self, p, max_log2_software, extra_log2_levels):
        # Levels at or above every draw's ceiling are never reached: no need to integrate to them.
        ceil = p["ceiling_ooms"]
        finite = ceil[np.isfinite(ceil)]
        top = float(finite.max()) if finite.size == ceil.size and finite.size else MAX_DEFAULT_OOMS
        top_log2 = min(top, MAX_DEFAULT_OOMS) * LOG2_10
        max_log2_software = top_log2 if max_log2_software is None else min(max_log2_software, top_log2)
        grid = np.arange(GRID_STEP, max_log2_software + 1e-9, GRID_STEP)
        extra = [x for x in extra_log2_levels if 0 < x <= max_log2_software + 1e-9]
        levels = np.unique(np.round(np.concatenate([grid, extra, [max_log2_software]]), 12))
        n = p["r"].size
        times = np.empty((n, levels.size + 1))
        times[:, 0] = 0.0
        if n:
            times[:, 1:] = time_to_ooms(p, levels / LOG2_10) / DAYS_PER_YEAR
        return np.concatenate([[0.0], levels]), times


MODEL = register(CESModel())
