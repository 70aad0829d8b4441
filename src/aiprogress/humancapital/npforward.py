"""The network's forward pass in evaluation mode, in NumPy (scoring without importing torch).

The weights are the network's ``state_dict`` as NumPy arrays (the ``model.npz``
of :mod:`aiprogress.humancapital.store`).  The layers are those of
:func:`aiprogress.humancapital.model.build_network`: per hidden layer
``Linear -> BatchNorm (running statistics) -> GELU (exact, erf)``, then
``Linear -> BatchNorm(affine=False)`` into the unit, and one linear head per
outcome on ``[unit, date]``.  Computed in float32 like torch; the matrix
products are summed in another order than torch's BLAS, so the results agree
with torch's to float32 rounding (~1e-7 relative), not bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: torch.nn.BatchNorm1d's default epsilon.
BN_EPS = 1e-5
_F32 = np.float32


def state_to_numpy(state: dict[str, Any]) -> dict[str, np.ndarray]:
    """A torch ``state_dict`` (or a dict of arrays) as a dict of NumPy arrays (no copy for arrays)."""
    out = {}
    for k, v in state.items():
        out[k] = v if isinstance(v, np.ndarray) else v.detach().cpu().numpy()
    return out


def is_numpy_state(state: dict[str, Any]) -> bool:
    return all(isinstance(v, np.ndarray) for v in state.values())


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return (_F32(0.5) * x * (_F32(1.0) + erf(x * _F32(1.0 / np.sqrt(2.0))).astype(_F32))).astype(_F32)


def _linear(state: dict[str, np.ndarray], name: str, x: np.ndarray) -> np.ndarray:
    w = state[f"{name}.weight"].astype(_F32, copy=False)
    b = state[f"{name}.bias"].astype(_F32, copy=False)
    return (x @ w.T + b).astype(_F32, copy=False)


def _batch_norm(state: dict[str, np.ndarray], name: str, x: np.ndarray) -> np.ndarray:
    mean = state[f"{name}.running_mean"].astype(_F32, copy=False)
    var = state[f"{name}.running_var"].astype(_F32, copy=False)
    z = (x - mean) / np.sqrt(var + _F32(BN_EPS))
    if f"{name}.weight" in state:
        z = z * state[f"{name}.weight"].astype(_F32, copy=False) + state[f"{name}.bias"].astype(_F32, copy=False)
    return z.astype(_F32, copy=False)


def forward(state: dict[str, np.ndarray], hidden: tuple[int, ...], n_out: int, x: np.ndarray,
            date: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(unit ``h`` of shape (n,), head outputs of shape (n, n_out)) for standardised inputs, as float32."""
    z = np.asarray(x, dtype=_F32)
    layer = 0
    for _ in hidden:
        z = _linear(state, f"encoder.{layer}", z)
        z = _batch_norm(state, f"encoder.{layer + 1}", z)
        z = _gelu(z)
        layer += 3
    z = _linear(state, f"encoder.{layer}", z)
    h = _batch_norm(state, f"encoder.{layer + 1}", z)
    hz = np.concatenate([h, np.asarray(date, dtype=_F32)[:, None]], axis=1)
    y = np.concatenate([_linear(state, f"heads.{k}", hz) for k in range(n_out)], axis=1) if n_out else np.zeros((len(hz), 0), _F32)
    return h[:, 0], y
