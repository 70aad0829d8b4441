"""aiprogress.takeoff: a family of takeoff models sharing one Monte Carlo, statistics, sensitivity and scenarios.

Modules: ``models`` (the model interface and registry; start there), ``model_ces``
and ``sie`` (the CES compute-bottleneck ODE), ``model_dh`` (Davidson & Houlden
doublings model and variants), ``statistics`` (SIE verdict, progress compression),
``config`` / ``distributions`` (configs and scenarios), ``montecarlo``,
``sensitivity`` (Sobol, Shapley), ``compare``, ``ces`` (CES output, ceilings,
sigma <-> rho), ``returns`` (doubling sequences), ``trajectory`` (the solve_ivp
trajectory simulator), ``estimate`` (estimating rho). Names below import lazily.
"""

from aiprogress._lazy import lazy_exports

__all__ = lazy_exports(__name__, {
    "aiprogress.takeoff.ces": ("ces_ceiling", "ces_output", "max_speed_table", "rho_from_sigma", "sigma_from_rho"),
    "aiprogress.takeoff.returns": ("doubling_sequence", "singularity_days", "time_to_doublings_days"),
    "aiprogress.takeoff.sie": ("SIEParams", "blowup_days", "time_to_ooms"),
    "aiprogress.takeoff.trajectory": ("SIETrajectory", "simulate"),
    "aiprogress.takeoff.models": ("Parameter", "TakeoffModel", "Trajectories", "get_model", "list_models"),
    "aiprogress.takeoff.montecarlo": ("MonteCarloResult", "run_monte_carlo"),
    "aiprogress.takeoff.config": ("load_config", "shipped_configs"),
    "aiprogress.takeoff.compare": ("compare_scenarios",),
})
