"""Batched least squares: many small regressions on one design at once.

Bootstrap and drop-k subsampling re-fit the same regression thousands to
millions of times on re-weighted or reduced versions of one design matrix.
Looping over ``statsmodels.OLS`` costs ~1 ms per fit; the routines here solve
whole stacks of problems with a handful of NumPy calls:

* :func:`weighted_lstsq_batched` forms every weighted normal-equation system
  ``X'WX`` / ``X'Wy`` with ONE matrix product (weights x outer products of the
  rows) and solves the stack with a Jacobi-scaled batched solve.
* :class:`DropKSolver` re-estimates the regression with ``m`` rows removed by a
  rank-``m`` downdate (Sherman-Morrison-Woodbury): with the full-sample hat
  matrix ``H``, residuals ``e`` and ``M = (X'X)^{-1} X'``, dropping rows ``D``
  gives ``b_(D) = b - M[:, D] (I - H[D, D])^{-1} e[D]`` -- an ``m x m`` solve per
  subset instead of a refit.  Subsets for which ``I - H[D, D]`` is (nearly)
  singular (the dropped rows were the only ones identifying some column, e.g.
  a fixed-effect dummy) are re-solved exactly from downdated normal equations,
  where an all-zero column gets coefficient 0 -- the same coefficients for the
  identified columns as statsmodels' pseudo-inverse fit on the subset.

No maintained library offers batched re-fits with fixed-design downdates,
hence this module.
"""

from __future__ import annotations

import numpy as np

from aiprogress.errors import ParameterError

__all__ = [
    "DropKSolver",
    "outer_rows",
    "solve_normal_batched",
    "weighted_lstsq_batched",
]


def outer_rows(X: np.ndarray) -> np.ndarray:
    """Row-wise outer products ``x_i x_i'`` flattened: shape ``(n, k*k)``."""
    X = np.asarray(X, dtype=float)
    return (X[:, :, None] * X[:, None, :]).reshape(X.shape[0], -1)


def solve_normal_batched(
    xtx: np.ndarray,
    xty: np.ndarray,
    *,
    ref_diag: np.ndarray | None = None,
    zero_tol: float = 1e-10,
    singular_tol: float = 1e-11,
) -> tuple[np.ndarray, np.ndarray]:
    """Solve a stack of normal equations ``xtx[b] @ beta[b] = xty[b]``.

    ``xtx``: ``(B, k, k)``; ``xty``: ``(B, k)``.  The systems are Jacobi-scaled
    (unit diagonal) before the solve, which removes the ill-conditioning caused
    by regressors on very different scales (log FLOP vs dummies).

    A column whose diagonal entry fell to ``<= zero_tol * ref_diag`` (it is all
    zero in that re-sample, e.g. a fixed-effect window with no observation
    left) gets coefficient 0, which equals the minimum-norm solution for it.

    Returns ``(beta, ok)``: ``beta`` is ``(B, k)``; ``ok`` is ``False`` for systems
    that are still numerically singular after that (smallest eigenvalue of the
    scaled matrix below ``singular_tol``); their rows of ``beta`` are NaN.
    """
    xtx = np.array(xtx, dtype=float, copy=True)
    xty = np.array(xty, dtype=float, copy=True)
    if xtx.ndim != 3 or xtx.shape[1] != xtx.shape[2] or xty.shape != xtx.shape[:2]:
        raise ParameterError("xtx", f"shapes {xtx.shape} and {xty.shape} do not match", expected="(B,k,k) and (B,k)")
    B, k, _ = xtx.shape
    diag = np.einsum("bii->bi", xtx)
    ref = np.max(diag, axis=0) if ref_diag is None else np.asarray(ref_diag, dtype=float)
    dead = diag <= zero_tol * np.maximum(ref, 1e-300)
    if dead.any():
        bi, ci = np.nonzero(dead)
        xtx[bi, ci, :] = 0.0
        xtx[bi, :, ci] = 0.0
        xtx[bi, ci, ci] = 1.0
        xty[bi, ci] = 0.0
        diag = np.einsum("bii->bi", xtx)
    scale = 1.0 / np.sqrt(diag)
    a = xtx * scale[:, :, None] * scale[:, None, :]
    rhs = xty * scale
    ok = np.ones(B, dtype=bool)
    try:
        z = np.linalg.solve(a, rhs[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:
        z = np.full((B, k), np.nan)
        for b in range(B):  # rare: some system exactly singular; solve one by one
            try:
                z[b] = np.linalg.solve(a[b], rhs[b])
            except np.linalg.LinAlgError:
                ok[b] = False
    # Flag near-singular systems (garbage solutions) by their smallest eigenvalue.
    lam_min = np.linalg.eigvalsh(a)[:, 0]
    ok &= lam_min > singular_tol
    beta = z * scale
    beta[~ok] = np.nan
    return beta, ok


def weighted_lstsq_batched(
    X: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray,
    *,
    cols: np.ndarray | list[int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least squares for every row of ``weights`` (``(B, n)``) at once.

    Bootstrap resamples are weights = how often each row was drawn; subsamples
    are 0/1 weights.  Returns ``(beta, ok)`` with ``beta`` of shape ``(B, k)``
    (or ``(B, len(cols))`` when ``cols`` selects coefficients).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    W = np.atleast_2d(np.asarray(weights, dtype=float))
    n, k = X.shape
    if W.shape[1] != n or y.shape[0] != n:
        raise ParameterError("weights", f"has {W.shape[1]} columns for {n} rows", expected="shape (B, n)")
    xtx = (W @ outer_rows(X)).reshape(-1, k, k)
    xty = W @ (X * y[:, None])
    beta, ok = solve_normal_batched(xtx, xty, ref_diag=np.einsum("ij,ij->j", X, X))
    if cols is not None:
        beta = beta[:, np.asarray(cols)]
    return beta, ok


class DropKSolver:
    """Re-estimate ``y ~ X`` with a few rows removed, for many subsets at once.

    Build once per design (``O(n^2 k)``), then :meth:`solve` costs ``O(m^3 +
    m * len(cols))`` per subset of ``m`` dropped rows (about ``m^3/3 + 2 m^2 +
    2 m len(cols)`` FLOPs and ``m(m+1)/2 + m(1 + len(cols))`` gathers).
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, *, det_tol: float = 1e-6) -> None:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float).ravel()
        n, k = X.shape
        if y.shape[0] != n:
            raise ParameterError("y", f"has {y.shape[0]} rows, X has {n}", expected="same number of rows")
        if n <= k:
            raise ParameterError("X", f"{n} rows for {k} columns", expected="more rows than columns")
        # pinv handles rank-deficient designs (min-norm solution, as statsmodels does).
        self.X = X
        self.y = y
        self.M = np.linalg.pinv(X)  # (k, n) = (X'X)^{-1} X'
        self.beta = self.M @ y
        self.resid = y - X @ self.beta
        self.H = X @ self.M  # hat matrix
        self.P = outer_rows(X)
        self.q = X * y[:, None]
        self.xtx = (X.T @ X)
        self.xty = X.T @ y
        self.det_tol = det_tol

    @property
    def nobs(self) -> int:
        return self.X.shape[0]

    def solve(self, drop: np.ndarray, cols: np.ndarray | list[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Coefficients after dropping the rows ``drop[b]`` (``(B, m)`` int) for each ``b``.

        Returns ``(beta, ok)``; ``beta`` is ``(B, len(cols))`` (all columns when
        ``cols`` is None).  ``ok`` is False where the reduced design leaves the
        selected coefficients unidentified (NaN).

        ``A = I - H[D, D]`` is symmetric positive semi-definite (``H[D, D]`` is a
        principal block of a projection), so each ``m x m`` system is solved by a
        Cholesky factorisation written out over the whole batch: every step is one
        NumPy operation on a length-``B`` vector (structure of arrays), instead of
        ``B`` tiny LAPACK calls.  The pivots give ``det(A)`` for free; a subset with
        ``det(A) <= det_tol`` (the dropped rows identified some column) is re-solved
        from downdated normal equations.
        """
        drop = np.asarray(drop, dtype=np.intp)
        if drop.ndim != 2:
            raise ParameterError("drop", f"has shape {drop.shape}", expected="(B, m) integer indices")
        cols = np.arange(self.X.shape[1]) if cols is None else np.asarray(cols, dtype=np.intp)
        B, m = drop.shape
        n = self.nobs
        if B and (drop.min() < 0 or drop.max() >= n):
            raise ParameterError("drop", "has a row index out of range", expected=f"indices in [0, {n})")
        d = np.ascontiguousarray(drop.T)  # (m, B): row j of every subset is one contiguous vector
        flat = self.H.ravel()
        det = np.ones(B)
        out = np.empty((len(cols), B))
        with np.errstate(all="ignore"):  # singular subsets overflow here; they are re-solved below
            w = self._factor_solve(flat, d * n, d, det)
            for c_i, c in enumerate(cols):
                row = self.M[c]
                acc = out[c_i]
                acc.fill(self.beta[c])
                for j in range(m):
                    acc -= row.take(d[j]) * w[j]
        out = out.T.copy()
        ok = np.ones(B, dtype=bool)
        bad = ~(det > self.det_tol)
        if bad.any():
            db = drop[bad]
            xtx = self.xtx[None] - self.P[db].sum(axis=1).reshape(-1, *self.xtx.shape)
            xty = self.xty[None] - self.q[db].sum(axis=1)
            beta, okb = solve_normal_batched(xtx, xty, ref_diag=np.diag(self.xtx))
            out[bad] = beta[:, cols]
            ok[bad] = okb
        return out, ok

    def _factor_solve(self, flat: np.ndarray, offs: np.ndarray, d: np.ndarray, det: np.ndarray) -> list[np.ndarray]:
        """Batched Cholesky of ``I - H[D, D]`` (multiplies its pivots into ``det``); returns ``(I - H[D, D])^{-1} e[D]``."""
        m = d.shape[0]
        tiny = np.finfo(float).tiny
        low: list[list[np.ndarray]] = [[] for _ in range(m)]  # low[i][j] = L[i, j], j < i
        inv = []  # 1 / L[j, j]
        for j in range(m):
            piv = 1.0 - flat.take(offs[j] + d[j])
            for p in range(j):
                piv -= low[j][p] * low[j][p]
            det *= piv
            r = 1.0 / np.sqrt(np.maximum(piv, tiny))
            inv.append(r)
            for i in range(j + 1, m):
                v = flat.take(offs[i] + d[j])
                np.negative(v, out=v)
                for p in range(j):
                    v -= low[i][p] * low[j][p]
                v *= r
                low[i].append(v)
        # L z = e, then L' w = z: w = A^{-1} e[D].
        z: list[np.ndarray] = []
        for j in range(m):
            v = self.resid.take(d[j])
            for p in range(j):
                v -= low[j][p] * z[p]
            v *= inv[j]
            z.append(v)
        w: list[np.ndarray] = [z[0]] * m
        for j in range(m - 1, -1, -1):
            v = z[j]
            for p in range(j + 1, m):
                v -= low[p][j] * w[p]
            v *= inv[j]
            w[j] = v
        return w
