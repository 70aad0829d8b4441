"""End-to-end steps behind the CLI: features (cached), train-or-load, evaluate.

Feature tables are cached beside the saved models (``<model dir>/../features/``)
keyed by corpus and data hash, so a changed raw file is never served from a
stale cache.  A saved network is reused when its config and data hash match
(``retrain=True`` forces training).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from aiprogress.humancapital.corpus import Corpus, load_corpus
from aiprogress.humancapital.evaluate import Validation, validate
from aiprogress.humancapital.features import FeatureTable, build_features
from aiprogress.humancapital.model import FittedNetwork, Split, TrainConfig, make_split, train_network
from aiprogress.humancapital.store import load_model, model_root, save_model
from aiprogress.results import Result

FEATURES_VERSION = 1


def _feature_cache(corpus: Corpus, model_dir: str | Path | None) -> Path | None:
    if not corpus.data_hash:
        return None
    return model_root(model_dir).parent / "features" / f"{corpus.name}-v{FEATURES_VERSION}-{corpus.data_hash[:16]}.pkl"


def corpus_features(name: str, *, data_dir: Any = None, catalog: Any = None, model_dir: Any = None,
                    progress: Callable[[int], None] | None = None, corpus: Corpus | None = None) -> FeatureTable:
    """The feature table of a corpus (from the cache when the raw files are unchanged)."""
    corpus = corpus or load_corpus(name, data_dir=data_dir, catalog=catalog)
    cache = _feature_cache(corpus, model_dir)
    if cache is not None and cache.is_file():
        try:
            with cache.open("rb") as fh:
                table = pickle.load(fh)
            if isinstance(table, FeatureTable) and table.data_hash == corpus.data_hash:
                return table
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    table = build_features(corpus, progress=progress)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(table, fh)
            os.replace(tmp, cache)
        except OSError:
            pass  # the cache is an optimisation only
    return table


@dataclass(frozen=True)
class Trained:
    table: FeatureTable
    split: Split
    net: FittedNetwork
    path: str
    reused: bool


def saved_network(corpus: str, config: TrainConfig, data_hash: str, feature_names: list[str],
                  model_dir: Any = None) -> tuple[FittedNetwork, str] | None:
    """The saved network :func:`train_or_load` would reuse (same config, data hash and features), with its path; else None."""
    got = load_model(corpus, config, data_hash or None, model_dir)
    if got is None or got[0].feature_names != list(feature_names):
        return None
    return got[0], got[1].get("path", str(got[0].meta.get("path", "")))


def train_or_load(name: str, config: TrainConfig = TrainConfig(), *, data_dir: Any = None, catalog: Any = None,
                  model_dir: Any = None, retrain: bool = False, progress: Callable[[int], None] | None = None,
                  table: FeatureTable | None = None) -> Trained:
    table = table or corpus_features(name, data_dir=data_dir, catalog=catalog, model_dir=model_dir)
    split = make_split(table, config)
    if not retrain:
        got = saved_network(table.corpus, config, table.data_hash, list(table.features.columns), model_dir)
        if got is not None:
            if progress is not None:
                progress(config.max_epochs)
            return Trained(table, split, got[0], got[1], True)
    net = train_network(table, split, config, progress=progress)
    path = ""
    if table.data_hash:
        path = str(save_model(net, table.corpus, table.data_hash, table.files, model_dir,
                              extra={"n_train": len(split.train), "n_val": len(split.val), "n_test": len(split.test)}))
    return Trained(table, split, net, path, False)


def evaluate_corpus(name: str, config: TrainConfig = TrainConfig(), **kwargs: Any) -> Validation:
    t = train_or_load(name, config, **kwargs)
    val = validate(t.table, t.net, t.split, seed=config.seed, model_path=t.path)
    if t.reused:
        from dataclasses import replace

        val = replace(val, notes=val.notes + (f"network loaded from {t.path} (trained in {t.net.seconds:.1f} s; --retrain to train again)",))
    return val


@dataclass(frozen=True)
class TrainSummary(Result):
    corpus: str
    config: dict[str, Any]
    n_train: int
    n_val: int
    n_test: int
    epochs_run: int
    best_epoch: int
    best_val_loss: float
    train_seconds: float
    reused: bool
    model_path: str
    data_hash: str
    files: tuple[str, ...]

    def summary(self) -> str:
        how = "loaded (same config and data hash)" if self.reused else "trained"
        return "\n".join([
            f"{self.corpus}: network {how}; {self.n_train} train / {self.n_val} validation / {self.n_test} test papers",
            f"epochs run {self.epochs_run}, best epoch {self.best_epoch}, validation loss {self.best_val_loss:.4f}, {self.train_seconds:.1f} s",
            f"saved in {self.model_path or '(not saved: no data hash)'}",
        ])


def train_summary(t: Trained) -> TrainSummary:
    hist = t.net.history
    best = min((h["val_loss"] for h in hist), default=float("nan"))
    return TrainSummary(t.table.corpus, t.net.config.to_dict(), len(t.split.train), len(t.split.val), len(t.split.test), len(hist),
                        t.net.best_epoch, best, t.net.seconds, t.reused, t.path, t.table.data_hash, t.table.files)
