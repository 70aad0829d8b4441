"""Davidson & Houlden (2025): discrete software doublings after ASARA on fixed compute.

Software doubles again and again once AI research is automated (ASARA); compute
stays fixed. With doubling index i = 0, 1, 2, ... (software 2**i at time T_i, T_0 = 0)::

    DT_0     = (recent software doubling time) / f
    DT_{i+1} = 2**(e_i) * DT_i,        e_i = p (1 / r_i - 1)
    T_{i+1}  = T_i + DT_i
    r_i      = r_0 (1 - i / D)          (the recursion r_{i+1} = r_i - r_0 / D in closed form)

* ``p = lambda * alpha`` (parallelisation penalty times labour share), ``r`` the
  returns to software at ASARA (r = lambda alpha / beta);
* D, the number of software doublings from ASARA to the effective limit, is
  ``distance_years * doublings_per_year``: the distance in *years of progress at
  the recent overall pace* times the software doublings that one such year
  contains. With software about half of recent overall progress and a software
  doubling time of 3 months, one year of overall progress is 2 x 4 = 8 software
  doublings (both numbers are parameters).
* r reaches 0 exactly at i = D (``r_0 (1 - D/D) = 0``); a doubling time computed
  from r_i <= 0 is infinite, so software stops growing there: the last doubling
  completed is the one whose time came from the last positive r_i (software ends
  at 2**(ceil(D) + 1)).

Numerics: the recursion is evaluated in logs, ``log DT_{i+1} = log DT_i + ln2 * e_i``
with ``ln2 e_i = cd / (D - i) - c2`` (c2 = ln2 p, cd = c2 D / r_0; ``c2 / r_0 - c2`` when
D is infinite) and ``DT_i = exp(log DT_i)``, by :func:`reference_loop` (a plain
per-draw Python loop, the specification) and by the batch kernel
(:mod:`aiprogress.takeoff.dh_kernel`, the same loop compiled with Numba), which
performs the same floating-point operations in the same order, with the same libm
``log`` and ``exp``, so the two agree bit for bit. A draw stops as soon as its
software does. Blocks of draws run on threads (the kernel releases the GIL); the
exponential is most of what remains (about 8 ns a doubling).

Variants
--------
* **retraining** (``davidson-houlden-retraining``): each generation must be
  retrained, which damps the feedback: the exponent e is replaced by
  ``e / (1 + |e|)``.
* **gradual boost** (``davidson-houlden-gradual``): instead of jumping to f at
  ASARA, the speed-up ramps linearly over ``ramp_years`` (5) years from f_0 = 0.1
  to f_max. The report writes f_{i+1} = 1 + f_0 + (f_max - f_0) min{T_i, T_end};
  we read its time in units of the ramp length, i.e. the speed multiplier for
  doubling i is ``s_i = 1 + f_0 + (f_max - f_0) min(T_i / ramp_years, 1)`` with T_i
  in years (so 1.1 at ASARA and 1 + f_max after 5 years), and its "doubling times
  multiplied by f_i/(f_i + 1)" as the ratio of consecutive speed multipliers,
  DT_{i+1} = 2**(e_i) DT_i * s_i / s_{i+1}. Equivalently DT_i = B_i / s_i where
  B_0 is the recent doubling time and B_{i+1} = 2**(e_i) B_i.
"""

from __future__ import annotations

import math
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from aiprogress.takeoff.models import Parameter, TakeoffModel, register

LN2 = math.log(2.0)
INF = math.inf
DEFAULT_MAX_DOUBLINGS = 400  # grid cap when D is infinite (no effective limit)
_COLUMNS = 4096  # below this many draws a batch runs on one thread (a thread start costs more)

_COMMON = (
    Parameter("r", "doublings of software per doubling of research", 0.0, 100.0, 1.2,
              "returns to software at ASARA (r = lambda alpha / beta)"),
    Parameter("p", "exponent", 0.0, 1.0, 0.3,
              "parallelisation: p = lambda alpha (penalty x labour share)", high_inclusive=True),
    Parameter("distance_years", "years of progress", 0.0, INF, 11.0,
              "distance from ASARA to the effective limits, in years of recent overall progress "
              "(inf: no limit)", high_inclusive=True),
    Parameter("recent_doubling_months", "months", 0.0, 120.0, 3.0,
              "recent software doubling time (before ASARA)", high_inclusive=True),
    Parameter("doublings_per_year", "software doublings per year of progress", 0.0, 1000.0, 8.0,
              "software doublings in one year of overall progress (2 x 12 / recent doubling months "
              "when software is half of progress)", high_inclusive=True),
)


class DavidsonHouldenModel(TakeoffModel):
    """The D&H doublings model; ``variant`` is None, "retraining" or "gradual"."""

    def __init__(self, variant: str | None = None) -> None:
        self.variant = variant
        if variant is None:
            self.name = "davidson-houlden"
            self.title = "Davidson & Houlden (2025) software doublings"
            extra = (Parameter("f", "x", 0.0, 1e6, 8.0, "initial speed-up of software progress at ASARA"),)
        elif variant == "retraining":
            self.name = "davidson-houlden-retraining"
            self.title = "Davidson & Houlden (2025), retraining variant"
            extra = (Parameter("f", "x", 0.0, 1e6, 8.0, "initial speed-up of software progress at ASARA"),)
        elif variant == "gradual":
            self.name = "davidson-houlden-gradual"
            self.title = "Davidson & Houlden (2025), gradual-boost variant"
            extra = (
                Parameter("f", "x", 0.0, 1e6, 8.0, "f_max: speed-up reached at the end of the ramp"),
                Parameter("f0", "x", 0.0, 1e6, 0.1, "f_0: speed-up at ASARA", low_inclusive=True),
                Parameter("ramp_years", "years", 0.0, 1e3, 5.0, "length of the linear ramp from f_0 to f_max"),
            )
        else:  # pragma: no cover - internal
            raise ValueError(variant)
        self.description = (__doc__ or "").split("\n\n")[0].strip()
        self.parameters = extra + _COMMON

    # One step's log factor ln2 * e_j, e_j = p (1/r_j - 1) with r_j = r0 (1 - j/D) = r0 (D - j) / D:
    # ln2 e_j = cd / (D - j) - c2 with c = ln2 p / r0, cd = c D, c2 = ln2 p; c - c2 when D is infinite (r constant);
    # infinite once D - j <= 0 (r_j <= 0). The loop and the batch code perform exactly these operations, so they
    # agree bit for bit. (Retraining: e_j = (p/r0) D / (D - j) - p, then ln2 e / (1 + |e|).)
    def _step_scalar(self, r0: float, p: float, d: float, j: int) -> float:
        retraining = self.variant == "retraining"
        c, c2 = (p / r0, p) if retraining else (LN2 * p / r0, LN2 * p)
        if math.isinf(d):
            e = c - c2
        else:
            if d - j <= 0:
                return math.inf
            e = (c * d) / (d - j) - c2
        return LN2 * (e / (1.0 + abs(e))) if retraining else e

    def _simulate(self, p, max_log2_software, extra_log2_levels):
        n = p["r"].size
        d = p["distance_years"] * p["doublings_per_year"]
        finite_d = d[np.isfinite(d)]
        cap = DEFAULT_MAX_DOUBLINGS if finite_d.size < n else int(math.ceil(float(finite_d.max()))) + 1 if n else 1
        if max_log2_software is not None:
            cap = min(cap, int(math.ceil(max_log2_software - 1e-9)))
        cap = max(cap, 1)
        levels = np.arange(cap + 1, dtype=float)
        from aiprogress.takeoff import dh_kernel  # numba: imported on first use, not when the registry loads

        variant = {None: dh_kernel.PLAIN, "retraining": dh_kernel.RETRAINING, "gradual": dh_kernel.GRADUAL}[self.variant]
        ones = np.ones(n)
        f0, ramp = (p["f0"], p["ramp_years"]) if self.variant == "gradual" else (ones, ones)
        times = np.empty((n, cap + 1))  # draw-major: each draw's dates are one contiguous row
        workers = _workers(-(-n // _COLUMNS))
        per = -(-n // (4 * workers)) if workers > 1 else max(n, 1)  # 4 blocks a thread: a thread slowed by other jobs takes fewer
        blocks = [slice(lo, min(n, lo + per)) for lo in range(0, n, per)]

        def run(sl: slice) -> None:
            dh_kernel.fill_times(p["r"][sl], p["p"][sl], d[sl], p["recent_doubling_months"][sl], p["f"][sl],
                                 f0[sl], ramp[sl], variant, times[sl])

        if workers > 1:  # the kernel releases the GIL, so blocks run in parallel on threads
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(run, blocks))
        else:
            for sl in blocks:
                run(sl)
        return levels, times

    def reference_loop(self, params: dict[str, float], max_doublings: int) -> list[float]:
        """The recursion for one draw as a plain Python loop: [T_0, T_1, ...] up to ``max_doublings``
        (inf once software has stopped). The specification the batch code is tested against."""
        r0, pp = float(params["r"]), float(params["p"])
        d = float(params["distance_years"]) * float(params["doublings_per_year"])
        base0 = float(params["recent_doubling_months"]) / 12.0
        times = [0.0]
        t = 0.0
        if self.variant != "gradual":
            logdt = math.log(base0 / float(params["f"]))
            for k in range(max_doublings):
                if k > 0:
                    logdt = logdt + self._step_scalar(r0, pp, d, k - 1)
                t = t + _exp(logdt)
                times.append(t)
            return times
        f0, fmax, ramp = float(params["f0"]), float(params["f"]), float(params["ramp_years"])
        log_base = math.log(base0)
        for k in range(max_doublings):
            if k > 0:
                log_base = log_base + self._step_scalar(r0, pp, d, k - 1)
            s = 1.0 + f0 + (fmax - f0) * min(t / ramp, 1.0)
            t = t + _exp(log_base) / s
            times.append(t)
        return times


def _workers(blocks: int) -> int:
    """Threads for a batch: every core when called from the main thread (one block each at most), else 1 --
    the Monte Carlo runner already runs chunks on worker threads, and nesting pools would oversubscribe."""
    if blocks < 2 or threading.current_thread() is not threading.main_thread():
        return 1
    from aiprogress.stats.parallel import usable_cores

    return max(1, min(usable_cores(), blocks))


def _exp(x: float) -> float:
    """math.exp with overflow to inf (as np.exp does)."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


MODEL = register(DavidsonHouldenModel())
RETRAINING = register(DavidsonHouldenModel("retraining"))
GRADUAL = register(DavidsonHouldenModel("gradual"))
