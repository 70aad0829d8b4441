"""Saved networks: weights plus the training config, feature and outcome names, standardisation and data hash.

Models live outside the checkout, in ``$AIPROGRESS_MODEL_DIR`` if set, else
``<cache>/models/humancapital/`` (``~/.cache/aiprogress/models/humancapital``),
one folder per corpus and config key: ``<corpus>-<config key>/`` with
``model.pt`` (``torch.save`` of the weights), ``model.npz`` (the same weights
as NumPy arrays, so that scoring loads them without importing torch) and
``model.json`` (everything else).  A folder saved before ``model.npz`` existed
is read with torch once, and its ``model.npz`` is written then.  A saved model
is reused only when its data hash and config match the request; writes go to a
temporary file that is renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from aiprogress.humancapital.model import FittedNetwork, Standardiser, TrainConfig
from aiprogress.humancapital.npforward import state_to_numpy


def model_root(model_dir: str | Path | None = None) -> Path:
    if model_dir is not None:
        return Path(model_dir).expanduser()
    env = os.environ.get("AIPROGRESS_MODEL_DIR")
    if env:
        return Path(env).expanduser()
    from aiprogress.paths import cache_dir

    return cache_dir() / "models" / "humancapital"


def model_path(corpus: str, config: TrainConfig, model_dir: str | Path | None = None) -> Path:
    return model_root(model_dir) / f"{corpus}-{config.key()}"


def _std(s: Standardiser) -> dict[str, list[float]]:
    return {"mean": np.asarray(s.mean).tolist(), "sd": np.asarray(s.sd).tolist()}


def _unstd(d: dict[str, list[float]]) -> Standardiser:
    return Standardiser(np.asarray(d["mean"], dtype=float), np.asarray(d["sd"], dtype=float))


def save_model(net: FittedNetwork, corpus: str, data_hash: str, files: tuple[str, ...], model_dir: str | Path | None = None,
               extra: dict[str, Any] | None = None) -> Path:
    import torch

    folder = model_path(corpus, net.config, model_dir)
    folder.mkdir(parents=True, exist_ok=True)
    info = {
        "corpus": corpus, "config": net.config.to_dict(), "config_key": net.config.key(), "data_hash": data_hash,
        "files": [Path(f).name for f in files], "feature_names": net.feature_names, "outcome_names": net.outcome_names,
        "x_std": _std(net.x_std), "date_std": _std(net.date_std), "y_std": _std(net.y_std), "sign": net.sign, "unit_mean": net.unit_mean, "unit_sd": net.unit_sd,
        "best_epoch": net.best_epoch, "seconds": net.seconds, "history": net.history, "torch": torch.__version__, **(extra or {}),
    }
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".pt.tmp")
    os.close(fd)
    torch.save(net.state, tmp)
    os.replace(tmp, folder / "model.pt")
    _save_npz(state_to_numpy(net.state), folder / "model.npz", folder / "model.pt")
    from aiprogress.fileio import write_text_atomic

    write_text_atomic(json.dumps(info, indent=1, allow_nan=False), folder / "model.json")
    return folder


def load_model(corpus: str, config: TrainConfig, data_hash: str | None = None, model_dir: str | Path | None = None) -> tuple[FittedNetwork, dict[str, Any]] | None:
    """The saved model for ``corpus`` and ``config`` (None if absent, or trained on other data).

    The weights come from ``model.npz`` as NumPy arrays (no torch import); a folder without it (saved by an
    earlier version) is read from ``model.pt`` with torch and gets its ``model.npz`` written.
    """
    folder = model_path(corpus, config, model_dir)
    if not (folder / "model.json").is_file() or not (folder / "model.pt").is_file():
        return None
    try:
        info = json.loads((folder / "model.json").read_text())
    except (OSError, ValueError):
        return None
    if data_hash is not None and info.get("data_hash") != data_hash:
        return None
    state = _load_npz(folder / "model.npz", folder / "model.pt")
    if state is None:
        try:
            state = _load_pt(folder / "model.pt")
        except (OSError, ValueError, RuntimeError):
            return None
        _save_npz(state, folder / "model.npz", folder / "model.pt")
    cfg = info["config"]
    config = TrainConfig(**{**cfg, "hidden": tuple(cfg["hidden"])})
    net = FittedNetwork(config, info["feature_names"], info["outcome_names"], _unstd(info["x_std"]), _unstd(info["date_std"]),
                        _unstd(info["y_std"]), state, info.get("history", []), int(info.get("best_epoch", 0)),
                        float(info.get("seconds", 0.0)), float(info.get("sign", 1.0)), {"path": str(folder)},
                        float(info.get("unit_mean", 0.0)), float(info.get("unit_sd", 1.0)))
    return net, info


#: Key of the ``model.npz`` entry holding the SHA-256 of the ``model.pt`` it was exported from.
_PT_HASH = "__model_pt_sha256__"


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load_pt(path: Path) -> dict[str, np.ndarray]:
    import torch

    return state_to_numpy(torch.load(path, weights_only=True))


def _load_npz(path: Path, pt: Path) -> dict[str, np.ndarray] | None:
    """The weights in ``path`` if it was exported from the current ``pt`` (else None: the caller reads ``pt``)."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            state = {k: z[k] for k in z.files}
        if str(state.pop(_PT_HASH, "")) != _file_hash(pt):
            return None  # model.pt was rewritten (e.g. by a version that does not export model.npz)
        return state
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None


def _save_npz(state: dict[str, np.ndarray], path: Path, pt: Path) -> None:
    """Write the weights atomically, tagged with ``pt``'s hash (an optimisation only: on failure ``pt`` stays the source)."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **state, **{_PT_HASH: np.array(_file_hash(pt))})
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
