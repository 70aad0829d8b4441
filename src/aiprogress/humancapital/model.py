"""The human-capital network (Besiroglu et al. §5, Fig. 2b), scaled to the data.

Encoder: stacked dense layers, each ``Linear -> BatchNorm -> GELU``
(:attr:`TrainConfig.hidden`, default 256-128-64 units; the paper stacks 15
layers of 4096/2048 units on a far larger corpus) into ONE unit, the
human-capital unit.  The unit is linear and standardised by a batch norm
without affine parameters, and after training it is rescaled to mean 0, sd 1
on the training papers (the paper does not state a unit, and a ReLU unit -- the paper's choice --
can die with one unit and few data, so we keep it linear).  The unit is
concatenated with the publication date and fed to independent linear heads,
one per outcome: ``y_k = a_k + b_k h + c_k date``, so the outcomes can only
rescale and shift the one number.

Inputs: ``log(1 + feature)`` for every team feature, standardised on the
training rows; the date in years, standardised.  Outcomes standardised on the
training rows; the loss is the mean squared error over the outcomes each row
has (rows miss outcomes whose window runs past the corpus end).

Training: Adamax (as the paper) with early stopping on a validation split:
after ``patience`` epochs without a better validation loss, the best weights
are restored.  Deterministic: ``torch.manual_seed(seed)``,
``torch.use_deterministic_algorithms(True)``, a seeded batch order and
``torch.set_num_threads(threads)`` (default 1: on a shared 2-core machine one thread is ~10x faster than two).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from aiprogress.errors import ParameterError
from aiprogress.humancapital.features import FeatureTable

MODEL_VERSION = 2  # bump when the network or its saved fields change, so old saved models are not reused


@dataclass(frozen=True)
class TrainConfig:
    hidden: tuple[int, ...] = (256, 128, 64)
    lr: float = 2e-3
    weight_decay: float = 1e-5
    batch_size: int = 512
    max_epochs: int = 200
    patience: int = 15
    val_fraction: float = 0.15
    test_fraction: float = 0.15
    seed: int = 0
    threads: int = 1

    def __post_init__(self) -> None:
        if not self.hidden or any(int(h) < 1 for h in self.hidden):
            raise ParameterError("hidden", f"{self.hidden}", expected="one or more positive layer widths")
        for name in ("batch_size", "max_epochs", "patience", "threads"):
            if int(getattr(self, name)) < 1:
                raise ParameterError(name.replace("_", "-"), f"{getattr(self, name)}", expected="an integer >= 1")
        if not (0 < self.val_fraction < 0.5 and 0 < self.test_fraction < 0.5):
            raise ParameterError("val/test fraction", f"{self.val_fraction}/{self.test_fraction}", expected="fractions in (0, 0.5)")
        if self.seed < 0:
            raise ParameterError("seed", str(self.seed), expected="an integer >= 0")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["hidden"] = list(self.hidden)
        return d

    def key(self) -> str:
        return hashlib.sha256(json.dumps({**self.to_dict(), "version": MODEL_VERSION}, sort_keys=True).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Split:
    train: np.ndarray
    val: np.ndarray
    test: np.ndarray


def make_split(table: FeatureTable, config: TrainConfig) -> Split:
    """Random train / validation / test split of the rows with at least one outcome (seeded)."""
    usable = np.flatnonzero(table.outcomes.notna().any(axis=1).to_numpy())
    if len(usable) < 30:
        raise ParameterError("corpus", f"only {len(usable)} papers have an outcome", expected="at least 30")
    perm = np.random.default_rng(config.seed).permutation(usable)
    n_test = max(1, int(round(config.test_fraction * len(perm))))
    n_val = max(1, int(round(config.val_fraction * len(perm))))
    return Split(np.sort(perm[n_test + n_val:]), np.sort(perm[n_test:n_test + n_val]), np.sort(perm[:n_test]))


@dataclass
class Standardiser:
    """Column means and sds from the training rows (sd 0 -> 1)."""

    mean: np.ndarray
    sd: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray) -> Standardiser:
        m = np.nanmean(x, axis=0)
        s = np.nanstd(x, axis=0)
        return cls(np.nan_to_num(m), np.where(np.isfinite(s) & (s > 0), s, 1.0))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) / self.sd

    def inverse(self, z: np.ndarray) -> np.ndarray:
        return z * self.sd + self.mean


def design(table: FeatureTable) -> tuple[np.ndarray, np.ndarray]:
    """Network inputs: log(1 + features) and the date in years."""
    x = np.log1p(np.clip(table.features.to_numpy(dtype=float), 0, None))
    date = (pd.to_datetime(table.meta["date"]).dt.year + pd.to_datetime(table.meta["date"]).dt.dayofyear / 366.0).to_numpy(dtype=float)
    return x, date


@dataclass
class FittedNetwork:
    """A trained network with everything needed to score new teams."""

    config: TrainConfig
    feature_names: list[str]
    outcome_names: list[str]
    x_std: Standardiser
    date_std: Standardiser
    y_std: Standardiser
    state: dict[str, Any]
    history: list[dict[str, float]] = field(default_factory=list)
    best_epoch: int = 0
    seconds: float = 0.0
    sign: float = 1.0
    meta: dict[str, Any] = field(default_factory=dict)
    unit_mean: float = 0.0
    unit_sd: float = 1.0

    def _net(self) -> Any:
        import torch

        net = build_network(len(self.feature_names), len(self.outcome_names), self.config.hidden)
        net.load_state_dict({k: torch.as_tensor(v) for k, v in self.state.items()})
        net.eval()
        return net

    def predict(self, x: np.ndarray, date: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(human-capital unit, outcome predictions on the outcomes' scale) for raw design rows.

        The forward pass runs in NumPy (:mod:`aiprogress.humancapital.npforward`), so scoring needs no torch;
        :meth:`predict_torch` is the same pass through the torch module (they agree to float32 rounding).
        """
        from aiprogress.humancapital.npforward import forward, state_to_numpy

        h, y = forward(state_to_numpy(self.state), self.config.hidden, len(self.outcome_names), self.x_std(x),
                       self.date_std(date[:, None])[:, 0])
        return self._outputs(h, y)

    def predict_torch(self, x: np.ndarray, date: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`predict` through the torch module (the reference of the NumPy pass)."""
        import torch

        torch.set_num_threads(self.config.threads)
        net = self._net()
        with torch.no_grad():
            xt = torch.tensor(self.x_std(x), dtype=torch.float32)
            dt = torch.tensor(self.date_std(date[:, None])[:, 0], dtype=torch.float32)
            h, y = net(xt, dt)
        return self._outputs(h.numpy(), y.numpy())

    def _outputs(self, h: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        unit = self.sign * (h.astype(float) - self.unit_mean) / self.unit_sd
        return unit, self.y_std.inverse(y.astype(float))

    def score_table(self, table: FeatureTable) -> np.ndarray:
        missing = [c for c in self.feature_names if c not in table.features.columns]
        if missing:
            raise ParameterError("features", f"missing feature '{missing[0]}'", expected="the features the model was trained on")
        sub = FeatureTable(table.corpus, table.features[self.feature_names], table.outcomes, table.meta)
        x, date = design(sub)
        return self.predict(x, date)[0]


def build_network(d_in: int, n_out: int, hidden: tuple[int, ...]) -> Any:
    import torch
    from torch import nn

    class HumanCapitalNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            layers: list[nn.Module] = []
            d = d_in
            for h in hidden:
                layers += [nn.Linear(d, int(h)), nn.BatchNorm1d(int(h)), nn.GELU()]
                d = int(h)
            layers += [nn.Linear(d, 1), nn.BatchNorm1d(1, affine=False)]
            self.encoder = nn.Sequential(*layers)
            self.heads = nn.ModuleList([nn.Linear(2, 1) for _ in range(n_out)])

        def forward(self, x: torch.Tensor, date: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            h = self.encoder(x)
            z = torch.cat([h, date[:, None]], dim=1)
            return h[:, 0], torch.cat([head(z) for head in self.heads], dim=1)

    return HumanCapitalNet()


def _masked_mse(pred: Any, y: Any, mask: Any) -> Any:
    err = (pred - y) ** 2 * mask
    return err.sum() / mask.sum().clamp(min=1.0)


def train_network(table: FeatureTable, split: Split, config: TrainConfig = TrainConfig(),
                  progress: Callable[[int], None] | None = None) -> FittedNetwork:
    """Train on ``split.train``, early-stop on ``split.val`` (``split.test`` is never touched)."""
    import torch

    torch.manual_seed(config.seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(config.threads)
    start = time.perf_counter()
    x, date = design(table)
    y = table.outcomes.to_numpy(dtype=float)
    x_std = Standardiser.fit(x[split.train])
    d_std = Standardiser.fit(date[split.train, None])
    y_std = Standardiser.fit(y[split.train])

    def tensors(idx: np.ndarray) -> tuple[Any, Any, Any, Any]:
        yy = y_std(y[idx])
        mask = np.isfinite(yy)
        return (torch.tensor(x_std(x[idx]), dtype=torch.float32), torch.tensor(d_std(date[idx, None])[:, 0], dtype=torch.float32),
                torch.tensor(np.nan_to_num(yy), dtype=torch.float32), torch.tensor(mask, dtype=torch.float32))

    tr, va = tensors(split.train), tensors(split.val)
    net = build_network(x.shape[1], y.shape[1], config.hidden)
    opt = torch.optim.Adamax(net.parameters(), lr=config.lr, betas=(0.9, 0.999), weight_decay=config.weight_decay)
    gen = torch.Generator().manual_seed(config.seed)
    n = len(split.train)
    best, best_state, best_epoch, bad = float("inf"), None, 0, 0
    history: list[dict[str, float]] = []
    for epoch in range(1, config.max_epochs + 1):
        net.train()
        order = torch.randperm(n, generator=gen)
        total = 0.0
        for b in range(0, n, config.batch_size):
            idx = order[b:b + config.batch_size]
            if len(idx) < 2:
                continue  # batch norm needs two rows
            opt.zero_grad()
            _, pred = net(tr[0][idx], tr[1][idx])
            loss = _masked_mse(pred, tr[2][idx], tr[3][idx])
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
        net.eval()
        with torch.no_grad():
            val = float(_masked_mse(net(va[0], va[1])[1], va[2], va[3]))
        history.append({"epoch": epoch, "train_loss": total / n, "val_loss": val})
        if progress is not None:
            progress(1)
        if val < best - 1e-6:
            best, best_epoch, bad = val, epoch, 0
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        else:
            bad += 1
            if bad >= config.patience:
                if progress is not None:
                    progress(config.max_epochs - epoch)
                break
    net.load_state_dict(best_state)
    fitted = FittedNetwork(config, list(table.features.columns), list(table.outcomes.columns), x_std, d_std, y_std,
                           {k: v.clone() for k, v in net.state_dict().items()}, history, best_epoch, 0.0)
    # orient the unit so that a higher score predicts more of the first outcome (mean head slope > 0)
    slopes = [float(h.weight[0, 0].detach()) for h in net.heads]
    fitted.sign = 1.0 if np.mean(slopes) >= 0 else -1.0
    # fix the unit's scale on the training papers in evaluation mode (batch-norm running statistics may lag)
    net.eval()
    with torch.no_grad():
        h_train = net(tr[0], tr[1])[0].numpy().astype(float)
    fitted.unit_mean = float(h_train.mean())
    fitted.unit_sd = float(h_train.std()) or 1.0
    fitted.seconds = time.perf_counter() - start
    return fitted
