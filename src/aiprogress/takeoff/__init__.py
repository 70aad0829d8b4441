"""aiprogress.takeoff: CES research production, returns to software, SIE simulation and Monte Carlo.

Modules: ``ces`` (CES output, ceilings, max-speed table), ``returns`` (doubling
sequences for returns r), ``sie`` (the SIE model: ``SIEParams``, ``simulate``,
``time_to_ooms``), ``montecarlo`` (configs, ``run_monte_carlo``, ``sensitivity``),
``estimate`` (estimating rho and r).
"""

from aiprogress.takeoff.ces import ces_ceiling, ces_output, max_speed_table, rho_from_sigma, sigma_from_rho
from aiprogress.takeoff.returns import doubling_sequence, singularity_days, time_to_doublings_days
from aiprogress.takeoff.sie import SIEParams, SIETrajectory, blowup_days, simulate, time_to_ooms

__all__ = [
    "SIEParams",
    "SIETrajectory",
    "blowup_days",
    "ces_ceiling",
    "ces_output",
    "doubling_sequence",
    "max_speed_table",
    "rho_from_sigma",
    "sigma_from_rho",
    "simulate",
    "singularity_days",
    "time_to_doublings_days",
    "time_to_ooms",
]
