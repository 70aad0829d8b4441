"""The SIE trajectory simulator: the CES model integrated in time with ``solve_ivp``.

An independent check of the quadrature in :func:`aiprogress.takeoff.sie.time_to_ooms`
(see the model description in :mod:`aiprogress.takeoff.sie`): the time-domain ODE for
(ln S, ln R) with event detection at each OOM level, the growth-rate threshold and the
horizon.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd
from scipy import integrate

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table
from aiprogress.takeoff.sie import (
    LN10,
    SIEParams,
    _training_days_per_log_software,
    blowup_days,
    growth_rate_per_day,
    growth_rate_today_per_day,
    log_research_input,
    r_effective,
    time_to_ooms,
)


@dataclass(frozen=True)
class SIETrajectory(Result):
    """A simulated path of software after automation (fixed hardware)."""

    params: SIEParams
    time_days: np.ndarray
    log10_software: np.ndarray
    growth_rate_per_day: np.ndarray  # d ln S / dt
    research_input: np.ndarray  # CES research input Y (today = 1)
    days_to_ooms: dict[int, float]  # whole OOM levels -> days (inf: never, at/above the ceiling)
    days_to_sie_ooms: float
    peak_growth_rate_per_day: float
    blowup_days: float  # finite-time singularity date (inf if none)
    stop_reason: str  # "target", "growth", "horizon"
    sie: bool
    sie_ooms: float
    sie_days: float

    @property
    def speedup(self) -> np.ndarray:
        """Software growth rate relative to today's."""
        return self.growth_rate_per_day / float(growth_rate_today_per_day(self.params.as_arrays()))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "time_days": self.time_days,
                "log10_software": self.log10_software,
                "growth_rate_per_day": self.growth_rate_per_day,
                "speedup": self.speedup,
                "research_input": self.research_input,
            }
        )

    def to_dict(self) -> dict:
        from aiprogress.results import jsonable

        d = {
            "params": self.params.to_dict(),
            "days_to_ooms": {str(k): v for k, v in self.days_to_ooms.items()},
            "days_to_sie_ooms": self.days_to_sie_ooms,
            "peak_growth_rate_per_day": self.peak_growth_rate_per_day,
            "peak_ooms_per_year": self.peak_growth_rate_per_day * 365.25 / LN10,
            "blowup_days": self.blowup_days,
            "stop_reason": self.stop_reason,
            "sie": self.sie,
            "sie_ooms": self.sie_ooms,
            "sie_days": self.sie_days,
            "final_log10_software": float(self.log10_software[-1]),
            "final_days": float(self.time_days[-1]),
            "trajectory": {
                "time_days": self.time_days,
                "log10_software": self.log10_software,
                "growth_rate_per_day": self.growth_rate_per_day,
            },
        }
        return jsonable(d)

    def summary(self) -> str:
        rows = pd.DataFrame(
            {"OOMs": list(self.days_to_ooms), "days": list(self.days_to_ooms.values())}
        )
        verdict = "SIE" if self.sie else "no SIE"
        tail = (
            f"{verdict}: {self.sie_ooms:g} OOMs of software in {self.days_to_sie_ooms:.4g} days "
            f"(threshold {self.sie_days:g} days); peak growth {self.peak_growth_rate_per_day * 365.25 / LN10:.4g} "
            f"OOMs/year; blow-up date {self.blowup_days:.4g} days; stopped: {self.stop_reason}"
        )
        return format_table(rows, title="Software intelligence explosion: days to each OOM of software") + "\n" + tail


def simulate(
    params: SIEParams | None = None,
    *,
    horizon_days: float = 3650.0,
    stop_ooms: float = 12.0,
    max_growth_per_day: float = 100.0,
    sie_ooms: float = 5.0,
    sie_days: float = 365.0,
    rtol: float = 1e-10,
    fill_unreached: bool = True,
) -> SIETrajectory:
    """Integrate the model in time with ``solve_ivp`` (state ln S, ln R).

    Stops at the first of: ``stop_ooms`` OOMs of software, a growth rate of
    ``max_growth_per_day`` (e-folds per day; the path is then near its singularity),
    or ``horizon_days``. Events record the date of each whole OOM and of ``sie_ooms``.
    Levels the path did not reach before it stopped (beyond the growth threshold,
    ``stop_ooms`` or the horizon) are dated with :func:`time_to_ooms` when
    ``fill_unreached`` (the default), so the days table and the SIE verdict do not
    depend on where the path was cut; they are inf only at or above the ceiling.
    ``fill_unreached=False`` keeps the event dates only (inf where not reached), for
    comparisons that must not use the quadrature.
    """
    params = params or SIEParams()
    for name, val, cond, exp in (
        ("horizon_days", horizon_days, horizon_days > 0, "> 0"),
        ("stop_ooms", stop_ooms, stop_ooms > 0, "> 0"),
        ("max_growth_per_day", max_growth_per_day, max_growth_per_day > 0, "> 0"),
        ("sie_ooms", sie_ooms, sie_ooms > 0, "> 0"),
        ("sie_days", sie_days, sie_days > 0, "> 0"),
    ):
        if not cond or not math.isfinite(val):
            raise ParameterError(name, f"value {val} out of range", expected=exp)
    p = params.as_arrays()
    s_stop = stop_ooms * LN10

    def ev_stop(t, y):
        return y[0] - s_stop

    ev_stop.terminal = True
    ev_stop.direction = 1

    def ev_growth(t, y):
        g = float(growth_rate_per_day(p, y[0], y[1]))
        return math.log(max(g, 1e-300)) - math.log(max_growth_per_day)

    ev_growth.terminal = True
    ev_growth.direction = 1

    whole = list(range(1, int(math.floor(stop_ooms)) + 1))
    level_events = []
    for k in whole + [sie_ooms]:
        def ev(t, y, k=k):
            return y[0] - k * LN10

        ev.terminal = False
        ev.direction = 1
        level_events.append(ev)

    # du/dt written through g / r_eff is singular only at the ceiling, where growth is 0.
    def rhs_safe(t, y):
        s, u = y
        ln_y = float(log_research_input(p, s))
        g_today = float(growth_rate_today_per_day(p))
        research = float(p["r"]) / g_today * math.exp(min(u - ln_y, 700.0))
        r_eff = float(r_effective(p, s))
        du_dt = 1.0 / (research + float(_training_days_per_log_software(p, s)) * r_eff)
        return [r_eff * du_dt, du_dt]

    sol = integrate.solve_ivp(
        rhs_safe, (0.0, float(horizon_days)), [0.0, 0.0], method="DOP853", rtol=rtol, atol=1e-12,
        events=[ev_stop, ev_growth] + level_events,
    )
    if sol.status == -1:
        raise ParameterError("params", f"integration failed: {sol.message}")
    t = sol.t
    s = sol.y[0]
    u = sol.y[1]
    growth = growth_rate_per_day(p, s, u)
    research = np.exp(log_research_input(p, s))
    if sol.t_events[0].size:
        reason = "target"
    elif sol.t_events[1].size:
        reason = "growth"
    else:
        reason = "horizon"
    days = {}
    for k, times in zip(whole, sol.t_events[2:-1]):
        days[k] = float(times[0]) if times.size else math.inf
    sie_times = sol.t_events[-1]
    days_sie = float(sie_times[0]) if sie_times.size else math.inf
    if reason == "target":
        # The terminal event may pre-empt a level event at the same level.
        t_stop = float(sol.t_events[0][0])
        for k in whole:
            if not math.isfinite(days[k]) and k <= stop_ooms + 1e-12 and abs(k - stop_ooms) < 1e-9:
                days[k] = t_stop
        if not math.isfinite(days_sie) and abs(sie_ooms - stop_ooms) < 1e-9:
            days_sie = t_stop
    if fill_unreached:
        # Levels beyond the point where the path stopped (near a singularity, at
        # stop_ooms, or at the horizon): date them by the quadrature in u.
        missing = sorted({float(k) for k, v in days.items() if not math.isfinite(v)}
                         | ({float(sie_ooms)} if not math.isfinite(days_sie) else set()))
        if missing:
            filled = dict(zip(missing, time_to_ooms(p, missing).tolist()))
            days = {k: (filled[float(k)] if not math.isfinite(v) else v) for k, v in days.items()}
            if not math.isfinite(days_sie):
                days_sie = filled[float(sie_ooms)]
    return SIETrajectory(
        params=params,
        time_days=t,
        log10_software=s / LN10,
        growth_rate_per_day=growth,
        research_input=research,
        days_to_ooms=days,
        days_to_sie_ooms=days_sie,
        peak_growth_rate_per_day=float(np.max(growth)),
        blowup_days=blowup_days(params),
        stop_reason=reason,
        sie=bool(days_sie < sie_days),
        sie_ooms=float(sie_ooms),
        sie_days=float(sie_days),
    )


def plot_trajectories(trajectories: Mapping[str, SIETrajectory], ax=None, months: bool = True):
    """Software OOMs vs time for several simulated paths (e.g. one per rho)."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4.5))
    else:
        fig = ax.figure
    scale = 365.25 / 12 if months else 1.0
    for label, tr in trajectories.items():
        ax.plot(tr.time_days / scale, tr.log10_software, label=label)
    first = next(iter(trajectories.values()))
    ax.axhline(first.sie_ooms, color="grey", ls=":", lw=0.9)
    ax.axvline(first.sie_days / scale, color="grey", ls=":", lw=0.9)
    ax.set_xlabel("months after automation" if months else "days after automation")
    ax.set_ylabel("software gain (OOMs of effective compute)")
    ax.set_title("Simulated software progress on fixed hardware")
    ax.legend(fontsize=8)
    ax.grid(True, alpha=0.3)
    return fig
