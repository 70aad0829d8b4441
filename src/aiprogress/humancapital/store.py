"""Saved networks: weights plus the training config, feature and outcome names, standardisation and data hash.

Models live outside the checkout, in ``$AIPROGRESS_MODEL_DIR`` if set, else
``<cache>/models/humancapital/`` (``~/.cache/aiprogress/models/humancapital``),
one folder per corpus and config key: ``<corpus>-<config key>/`` with
``model.pt`` (``torch.save`` of the weights) and ``model.json`` (everything
else).  A saved model is reused only when its data hash and config match the
request; writes go to a temporary file that is renamed into place.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from aiprogress.humancapital.model import FittedNetwork, Standardiser, TrainConfig


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
    from aiprogress.fileio import write_text_atomic

    write_text_atomic(json.dumps(info, indent=1, allow_nan=False), folder / "model.json")
    return folder


def load_model(corpus: str, config: TrainConfig, data_hash: str | None = None, model_dir: str | Path | None = None) -> tuple[FittedNetwork, dict[str, Any]] | None:
    """The saved model for ``corpus`` and ``config`` (None if absent, or trained on other data)."""
    import torch

    folder = model_path(corpus, config, model_dir)
    if not (folder / "model.json").is_file() or not (folder / "model.pt").is_file():
        return None
    try:
        info = json.loads((folder / "model.json").read_text())
        state = torch.load(folder / "model.pt", weights_only=True)
    except (OSError, ValueError, RuntimeError):
        return None
    if data_hash is not None and info.get("data_hash") != data_hash:
        return None
    cfg = info["config"]
    config = TrainConfig(**{**cfg, "hidden": tuple(cfg["hidden"])})
    net = FittedNetwork(config, info["feature_names"], info["outcome_names"], _unstd(info["x_std"]), _unstd(info["date_std"]),
                        _unstd(info["y_std"]), state, info.get("history", []), int(info.get("best_epoch", 0)),
                        float(info.get("seconds", 0.0)), float(info.get("sign", 1.0)), {"path": str(folder)},
                        float(info.get("unit_mean", 0.0)), float(info.get("unit_sd", 1.0)))
    return net, info
