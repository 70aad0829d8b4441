"""The CES/SIE kernel's shortcuts give the same numbers, bit for bit, as the full computation they skip."""

from __future__ import annotations

import numpy as np
import pytest

from aiprogress.takeoff import ces, sie
from aiprogress.takeoff.config import load_config
from aiprogress.takeoff.montecarlo import run_monte_carlo, sample_parameters


def _bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=float).view(np.int64)


@pytest.mark.parametrize("alpha", [0.0, 0.3, 0.5, 1.0])
def test_cobb_douglas_shortcut_equals_the_series_branch(alpha):
    rng = np.random.default_rng(1)
    l = rng.normal(0, 20, 5000)
    k = rng.normal(0, 5, 5000)
    fast = ces.ces_log_output(l, k, np.zeros(5000), alpha)
    # one extra element with rho != 0 sends the whole array down the general (two-branch) path
    full = ces.ces_log_output(np.append(l, 1.0), np.append(k, 1.0), np.append(np.zeros(5000), -0.5), alpha)[:-1]
    assert np.array_equal(_bits(fast), _bits(full))
    assert np.allclose(fast, alpha * l + (1 - alpha) * k, rtol=1e-15, atol=0)
    # per-draw parameters against many nodes per draw, as the SIE kernel calls it
    l2, k2 = l.reshape(50, 10, 10), k.reshape(50, 10, 10)
    a2 = np.full((50, 1, 1), alpha)
    assert np.array_equal(_bits(ces.ces_log_output(l2, k2, np.zeros((50, 1, 1)), a2)), _bits(fast.reshape(50, 10, 10)))


def test_cobb_douglas_shortcut_leaves_zero_inputs_to_the_general_path():
    out = ces.ces_log_output(np.array([-np.inf, 0.5]), np.array([0.2, 0.3]), 0.0, 0.5)
    assert out[0] == -np.inf and out[1] == pytest.approx(0.4)


def _time_to_ooms_all_nodes(p, ooms, nodes=8):
    """The quadrature with the integrand evaluated at every node of every level (no reach shortcut)."""
    levels = np.asarray(ooms, dtype=float)
    full = sie.validate_params(sie._full(p))
    n = next(iter(full.values())).size
    x, w = sie._gauss_legendre(nodes)
    sub = (x + 1.0) / 2.0
    wsub = w / 2.0
    s_edges = np.concatenate([[0.0], levels * sie.LN10])
    q = {k: np.broadcast_to(v, (n,))[:, None, None] for k, v in full.items()}
    u_edges = sie.u_of_log_software({k: v[:, :, 0] for k, v in q.items()}, s_edges[None, :])
    a, b = u_edges[:, :-1], u_edges[:, 1:]
    reachable = np.isfinite(b)
    with np.errstate(invalid="ignore"):
        width = np.where(reachable, b - a, 0.0)
    a0 = np.where(np.isfinite(a), a, 0.0)
    u = a0[:, :, None] + width[:, :, None] * sub[None, None, :]
    f = sie._dt_du_nodes(q, u)
    with np.errstate(invalid="ignore", over="ignore"):
        piece = width * np.einsum("bmk,k->bm", f, wsub)
        piece = np.where(reachable & ~np.isnan(piece), piece, np.inf)
        return np.cumsum(piece, axis=1)


@pytest.mark.parametrize("name", ["davidson-range", "cobb-douglas", "economics-base-rate", "fixed-hardware-r"])
def test_levels_past_the_ceiling_are_skipped_without_changing_a_bit(name):
    cfg = load_config(name)
    p = sample_parameters(cfg, 700, seed=3)
    p = {k: np.broadcast_to(v, (700,)).copy() for k, v in p.items()}
    levels = np.arange(1, 47) / np.log2(10)  # up to 14 OOMs: past the ceiling of most draws (6-14 OOMs)
    ref = _time_to_ooms_all_nodes(p, levels)
    assert np.isinf(ref).any() and np.isfinite(ref).any()
    for block in (None, 64, 333, 700):
        assert np.array_equal(_bits(sie.time_to_ooms(p, levels, block=block)), _bits(ref))


def test_monte_carlo_draws_do_not_depend_on_the_chunking_with_the_shortcuts():
    cfg = load_config("davidson-range")
    a = run_monte_carlo(cfg, 3000, seed=5, chunk_size=1000, scheduler="sync")
    b = run_monte_carlo(cfg, 3000, seed=5, chunk_size=3000, scheduler="threads")
    assert np.array_equal(_bits(a.days_to_level), _bits(b.days_to_level))
    assert a.p_sie == b.p_sie


@pytest.mark.parametrize("first, n", [(0, 3000), (1500, 2200), (999, 2)])
def test_stacked_inverse_cdfs_equal_the_block_by_block_draws(first, n):
    from aiprogress.takeoff import montecarlo as mc

    cfg = load_config("davidson-range")
    base = np.random.SeedSequence(11)
    blocks = range(first // mc.BLOCK, (first + n - 1) // mc.BLOCK + 1)
    parts = [mc._draw(cfg, mc._block_rng(base, b), mc.BLOCK) for b in blocks]
    got = sample_parameters(cfg, n, 11, first_draw=first)
    lo = first - blocks[0] * mc.BLOCK
    for m in cfg.marginals:
        assert np.array_equal(_bits(got[m.name]), _bits(np.concatenate([p[m.name] for p in parts])[lo:lo + n]))


@pytest.mark.parametrize("alpha_per_row", [False, True])
def test_series_branch_on_the_small_rho_rows_only_equals_the_elementwise_path(alpha_per_row):
    rng = np.random.default_rng(4)
    n, m, k = 300, 7, 8
    rho = np.where(rng.random(n) < 0.3, rng.uniform(-0.01, 0.01, n), rng.uniform(-0.5, 0.5, n))[:, None, None]
    rho[:5] = 0.0
    alpha = rng.uniform(0, 1, n)[:, None, None] if alpha_per_row else np.asarray(0.5)
    l = rng.normal(0, 40, (n, m, k))
    kk = rng.normal(0, 10, (n, m, k))
    rows = ces.ces_log_output(l, kk, rho, alpha)
    # rho (and alpha) spelled out node by node: the general element-wise path
    full = ces.ces_log_output(l, kk, np.broadcast_to(rho, l.shape).copy(), np.broadcast_to(alpha, l.shape).copy())
    assert np.array_equal(_bits(rows), _bits(full))
