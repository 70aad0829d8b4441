"""CLI for aiprogress.humancapital (thin layer over the library)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aiprogress.clikit import (
    CatalogOpt,
    DataDirOpt,
    JsonOpt,
    PlotOpt,
    QuietOpt,
    SeedOpt,
    count_option,
    emit,
    guard,
    progress,
)
from aiprogress.errors import ParameterError

app = typer.Typer(no_args_is_help=True, help="Learned human capital of research teams (Besiroglu et al. §5).")

CorpusOpt = Annotated[str, typer.Option("--corpus", help="aan | paperscape | epoch.")]
ModelDirOpt = Annotated[Path | None, typer.Option("--model-dir", help="Where networks are saved (default $AIPROGRESS_MODEL_DIR, else ~/.cache/aiprogress/models/humancapital).")]
HiddenOpt = Annotated[str | None, typer.Option("--hidden", help="Encoder layer widths, e.g. 256,128,64 (default: 256,128,64; 64,32 for epoch).")]
EpochsOpt = Annotated[int | None, count_option("--max-epochs", help="Maximum training epochs (>= 1).")]
PatienceOpt = Annotated[int | None, count_option("--patience", help="Early-stopping patience in epochs (>= 1).")]
ThreadsOpt = Annotated[int, count_option("--threads", maximum=64, help="torch threads (1 is fastest on a shared 2-core machine).")]
RetrainOpt = Annotated[bool, typer.Option("--retrain", help="Train even if a saved network with the same config and data exists.")]

CORPORA = ("aan", "paperscape", "epoch")


def _check_corpus(name: str) -> str:
    if name not in CORPORA:
        raise ParameterError("corpus", f"unknown corpus '{name}'", expected=" | ".join(CORPORA))
    return name


def _config(corpus: str, hidden: str | None, max_epochs: int | None, patience: int | None, seed: int, threads: int):
    from dataclasses import replace

    from aiprogress.humancapital.score import config_for

    cfg = config_for(corpus)
    changes: dict = {"seed": seed, "threads": threads}
    if hidden is not None:
        try:
            changes["hidden"] = tuple(int(h) for h in hidden.split(",") if h.strip())
        except ValueError:
            raise ParameterError("hidden", f"'{hidden}'", expected="comma-separated positive integers, e.g. 256,128,64") from None
    if max_epochs is not None:
        changes["max_epochs"] = max_epochs
    if patience is not None:
        changes["patience"] = patience
    return replace(cfg, **changes)


@app.command("features")
@guard
def features_cmd(
    corpus: CorpusOpt = "aan",
    out: Annotated[Path | None, typer.Option("--out", help="Also write the feature table (CSV).")] = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    model_dir: ModelDirOpt = None,
) -> None:
    """Team features at publication time (earlier information only) and the outcomes."""
    from aiprogress.humancapital.corpus import load_corpus
    from aiprogress.humancapital.pipeline import corpus_features

    c = load_corpus(_check_corpus(corpus), data_dir=data_dir, catalog=catalog)
    with progress(quiet, f"author histories ({corpus})", total=len(c.papers)) as advance:
        table = corpus_features(corpus, corpus=c, model_dir=model_dir, progress=advance)
    if out is not None:
        from aiprogress.fileio import write_csv_atomic

        write_csv_atomic(table.to_frame(), out)
    emit(table, json_out)


@app.command("train")
@guard
def train_cmd(
    corpus: CorpusOpt = "aan",
    hidden: HiddenOpt = None,
    max_epochs: EpochsOpt = None,
    patience: PatienceOpt = None,
    seed: SeedOpt = 0,
    threads: ThreadsOpt = 1,
    retrain: RetrainOpt = False,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    model_dir: ModelDirOpt = None,
) -> None:
    """Train the network (early stopping on a validation split) and save it with its config and data hash."""
    from aiprogress.humancapital.pipeline import train_or_load, train_summary

    cfg = _config(_check_corpus(corpus), hidden, max_epochs, patience, seed, threads)
    with progress(quiet, f"training epochs ({corpus})", total=cfg.max_epochs) as advance:
        t = train_or_load(corpus, cfg, data_dir=data_dir, catalog=catalog, model_dir=model_dir, retrain=retrain, progress=advance)
    emit(train_summary(t), json_out)


@app.command("evaluate")
@guard
def evaluate_cmd(
    corpus: CorpusOpt = "aan",
    hidden: HiddenOpt = None,
    max_epochs: EpochsOpt = None,
    patience: PatienceOpt = None,
    seed: SeedOpt = 0,
    threads: ThreadsOpt = 1,
    retrain: RetrainOpt = False,
    json_out: JsonOpt = False,
    plot: PlotOpt = None,
    quiet: QuietOpt = False,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    model_dir: ModelDirOpt = None,
) -> None:
    """Fig. 3 analogue: out-of-sample r (95% CI) and precision = 1/MSE, network vs h-index, citations, papers, Lasso."""
    from aiprogress.humancapital.pipeline import evaluate_corpus

    cfg = _config(_check_corpus(corpus), hidden, max_epochs, patience, seed, threads)
    with progress(quiet, f"training epochs ({corpus})", total=cfg.max_epochs) as advance:
        val = evaluate_corpus(corpus, cfg, data_dir=data_dir, catalog=catalog, model_dir=model_dir, retrain=retrain, progress=advance)
    if plot is not None:
        from aiprogress.humancapital.plots import fig3_figure
        from aiprogress.reportkit import save_figure

        save_figure(fig3_figure(val.table, corpus), plot)
    emit(val, json_out)


@app.command("score")
@guard
def score_cmd(
    source: Annotated[str, typer.Option("--source", help="Network to use: epoch (trained on Epoch's own author histories) | aan | paperscape (transfer).")] = "epoch",
    link: Annotated[str, typer.Option("--link", help="Corpus to link Epoch author names to for coverage: aan | paperscape | none.")] = "aan",
    out: Annotated[Path | None, typer.Option("--out", help="Write the scores (CSV with model, arxiv_id, reference, human_capital, hc_unit).")] = None,
    retrain: RetrainOpt = False,
    json_out: JsonOpt = False,
    plot: PlotOpt = None,
    quiet: QuietOpt = False,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    model_dir: ModelDirOpt = None,
) -> None:
    """Per-model human-capital scores for the Epoch models table (the S of 'ideas estimate --human-capital learned')."""
    from aiprogress.humancapital.score import score_epoch

    _check_corpus(source)
    if link not in ("aan", "paperscape", "none"):
        raise ParameterError("link", f"unknown corpus '{link}'", expected="aan | paperscape | none")
    with progress(quiet, "scoring Epoch models", total=None):
        res = score_epoch(source=source, link=None if link == "none" else link, data_dir=data_dir, catalog=catalog,
                          model_dir=model_dir, retrain=retrain)
    if out is not None:
        from aiprogress.fileio import write_csv_atomic

        write_csv_atomic(res.scores.rename(columns={"reference": "paper_title"}), out)
    if plot is not None:
        from aiprogress.humancapital.plots import score_figure
        from aiprogress.reportkit import save_figure

        save_figure(score_figure(res.scores), plot)
    emit(res, json_out)
