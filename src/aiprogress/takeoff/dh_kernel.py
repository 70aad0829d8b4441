"""Compiled kernel of the Davidson & Houlden recursion (see :mod:`aiprogress.takeoff.model_dh`).

Each draw is a short scalar recursion with one exponential per doubling, so NumPy's
row-at-a-time ufuncs spend most of their time streaming temporaries through memory.
Numba compiles the per-draw loop instead (hand-written here because the recursion is
the model: no library has it). It performs the floating-point operations of
:meth:`DavidsonHouldenModel.reference_loop` in the same order -- ``math.log`` and
``math.exp`` compile to calls of the same libm functions that CPython's ``math`` calls,
no fast-math, no contraction into fused multiply-adds -- so its dates equal the plain
loop's bit for bit (tested). ``nogil=True`` lets blocks of draws run on threads.
"""

from __future__ import annotations

import math

from numba import njit

LN2 = math.log(2.0)
PLAIN, RETRAINING, GRADUAL = 0, 1, 2


@njit(inline="always", error_model="numpy")
def _duration(log_dt, t, gradual, fl, fmax, rl):  # pragma: no cover - compiled
    """DT = exp(log DT), divided in the gradual variant by the speed multiplier at date ``t``."""
    x = math.exp(log_dt)
    if gradual:
        x = x / (1.0 + fl + (fmax - fl) * min(t / rl, 1.0))
    return x


@njit(nogil=True, cache=True, error_model="numpy")
def fill_times(r, p, d, months, f, f0, ramp, variant, out):  # pragma: no cover - compiled (tested through the model)
    """Write T_0 .. T_{rows-1} of draw i into ``out[i]`` (rows = out.shape[1]); inf once software has stopped.

    ``variant``: 0 the base model, 1 retraining (e -> e / (1 + |e|)), 2 gradual boost (f is f_max).
    Step j (from DT_j to DT_{j+1}) is finite while j < D; the first step with j >= D is infinite
    (r_j <= 0), so that date and all later ones are inf. Without a limit the step is constant and
    a draw stops at the first date that overflows to inf (later dates would be inf + a number >= 0).
    The two cases have loops of their own: a branch inside the hot loop cost ~5%.
    """
    n, rows = out.shape
    inf = math.inf
    retraining, gradual = variant == RETRAINING, variant == GRADUAL
    for i in range(n):
        r0, pp, di = r[i], p[i], d[i]
        if retraining:
            c, c2 = pp / r0, pp
        else:
            c, c2 = LN2 * pp / r0, LN2 * pp
        cd = c * di
        base0 = months[i] / 12.0
        if gradual:
            log_dt = math.log(base0)
            fmax, fl, rl = f[i], f0[i], ramp[i]
        else:
            log_dt = math.log(base0 / f[i])
            fmax, fl, rl = 0.0, 0.0, 1.0
        row = out[i]
        row[0] = 0.0
        t = 0.0 + _duration(log_dt, 0.0, gradual, fl, fmax, rl)  # T_1 = T_0 + DT_0, T_0 = 0
        k = 1
        if rows > 1:
            row[1] = t
        if math.isinf(di):
            step = c - c2
            if retraining:
                step = LN2 * (step / (1.0 + abs(step)))
            while k < rows - 1 and t != inf:
                log_dt = log_dt + step
                t = t + _duration(log_dt, t, gradual, fl, fmax, rl)
                k += 1
                row[k] = t
        else:
            # steps j = 0, 1, ... while j < D and the grid lasts: j < ceil(D) and j + 2 < rows (a counted
            # loop; j is carried as a float too, exact for integers, so D - j is the loop's own subtraction)
            last = rows - 2 if di >= rows else min(rows - 2, int(math.ceil(di)))
            jf = 0.0
            for k in range(2, last + 2):
                step = cd / (di - jf) - c2
                if retraining:
                    step = LN2 * (step / (1.0 + abs(step)))
                jf += 1.0
                log_dt = log_dt + step
                t = t + _duration(log_dt, t, gradual, fl, fmax, rl)
                row[k] = t
            k = max(1, last + 1)
        for m in range(k + 1, rows):
            row[m] = inf
