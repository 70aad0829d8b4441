"""CLI for aiprogress.geography (thin layer over the library).

``aiprogress geography classify|rca|concentration|gpt|relatedness|regress|geocode|replicate|map``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from aiprogress.clikit import DataDirOpt, JsonOpt, PlotOpt, QuietOpt, SchedulerOpt, emit, guard, progress

app = typer.Typer(no_args_is_help=True, help="Geography of deep learning: DL classification, GPT tests, RCA, concentration, clusters.")

CorpusOpt = Annotated[str, typer.Option("--corpus", "-c", help="arxiv, epoch or openalex.")]
PathOpt = Annotated[Path | None, typer.Option("--path", help="A JSON-lines file (arXiv OAI/Kaggle snapshot or OpenAlex works).")]
GammaOpt = Annotated[float, typer.Option("--gamma", min=0.01, max=10.0, help="Topic threshold: S_j >= gamma * T_max.")]
SeedOpt = Annotated[int, typer.Option("--seed", min=0, help="Random seed (topic model, bootstrap).")]
DrawsOpt = Annotated[int, typer.Option("--draws", min=0, max=100_000, help="Bootstrap draws over papers.")]
ByOpt = Annotated[str, typer.Option("--by", help="country or region.")]
RefitOpt = Annotated[bool, typer.Option("--refit", help="Ignore the cached topic model and labels.")]


def _by(by: str) -> str:
    from aiprogress.errors import ParameterError

    if by not in ("country", "region"):
        raise ParameterError("by", f"'{by}'", expected="country or region")
    return "country_code" if by == "country" else "region"


def _plot_path(plot):
    if plot is None:
        return None
    from aiprogress.reportkit import check_plot_path

    return check_plot_path(plot)


def _analyse(corpus, data_dir, path, gamma, seed, refit, scheduler, quiet):
    from aiprogress.geography.pipeline import analyse

    with progress(quiet, "fitting topic model", total=None) as fit_adv:
        with progress(quiet, "classifying documents", total=None) as adv:
            return analyse(corpus, data_dir, path, gamma=gamma, seed=seed, refit=refit, scheduler=scheduler,
                           progress=adv, fit_progress=fit_adv)


def _save(fig, plot):
    from aiprogress.reportkit import save_figure

    save_figure(fig, plot)


@app.command()
@guard
def classify(corpus: CorpusOpt = "arxiv", path: PathOpt = None, gamma: GammaOpt = 0.5, seed: SeedOpt = 0, refit: RefitOpt = False,
             scheduler: SchedulerOpt = None, data_dir: DataDirOpt = None, plot: PlotOpt = None, json_out: JsonOpt = False,
             quiet: QuietOpt = False) -> None:
    """Classify documents as DL (CorEx, fitted once and cached) and compare with the keyword baseline."""
    from aiprogress.geography import classify as C
    from aiprogress.geography import pipeline as P

    plot = _plot_path(plot)
    t0 = time.perf_counter()
    an = _analyse(corpus, data_dir, path, gamma, seed, refit, scheduler, quiet)
    f = an.frame
    m = an.classified.model
    out = {"corpus": corpus, "sources": list(an.corpus.files), **P.dl_share_summary(an),
           "n_topics": m.n_topics, "tc_by_n_topics": {str(k): v for k, v in m.tc_by_n.items()}, "total_correlation": m.tc,
           "dl_topics": {str(j): [w for w, _ in m.topic_words[j][:12]] for j in m.dl_topics}, "gamma": gamma,
           "agreement_keyword": C.agreement(f["dl_corex"], f["dl_keyword"]) if len(f) else None,
           "agreement_epoch": P.epoch_label_agreement(an, data_dir), "location_coverage": P.coverage(an),
           "model_path": str(an.classified.model_path) if an.classified.model_path else None,
           "model_cached": an.classified.model_cached, "labels_cached": an.classified.labels_cached,
           "fit_docs": m.n_fit_docs, "features": m.n_features,
           "seconds": {**{k: round(v, 3) for k, v in an.seconds.items()}, "total": round(time.perf_counter() - t0, 3)},
           "docs_per_second": (len(an.corpus.papers) / an.classified.classify_seconds
                               if an.classified.classify_seconds > 0 and not an.classified.labels_cached else None)}
    if plot is not None:
        import matplotlib.pyplot as plt

        from aiprogress.geography.gpt import growth

        g = growth(f.assign(dl=f["dl_corex"]))
        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.plot(g["year"], g["dl_share"], marker="o", label="CorEx")
        ax.plot(g["year"], f.groupby("year")["dl_keyword"].mean().reindex(g["year"]).to_numpy(), marker="s", label="keywords")
        ax.set_xlabel("year")
        ax.set_ylabel("DL share")
        ax.legend()
        _save(fig, plot)
        out["plot"] = str(plot)
    if json_out:
        emit(out, True)
        return
    ag = out["agreement_keyword"] or {}
    emit(out, False, text=(f"{corpus}: {out['n_classified']} documents classified ({out['dropped_short']} short dropped), "
                           f"{m.n_topics} topics by total correlation\nDL share CorEx {out['dl_share']:.3f}, keywords "
                           f"{out['dl_share_keyword']:.3f}; agreement {ag.get('accuracy', float('nan')):.3f}, kappa "
                           f"{ag.get('kappa', float('nan')):.3f}\nrun time {out['seconds']['total']:.1f} s"
                           + (f"\nDL share before/after {out['split_year']}: {out['dl_share_before']:.3f} -> "
                              f"{out['dl_share_after']:.3f}" if "split_year" in out else "")))


@app.command()
@guard
def rca(corpus: CorpusOpt = "epoch", by: ByOpt = "country", period: Annotated[int | None, typer.Option(
        "--period", min=1900, max=2100, help="Break year: RCA before and from this year.")] = None,
        draws: DrawsOpt = 200, min_activity: Annotated[float, typer.Option("--min-activity", min=0.0)] = 1.0,
        labels: Annotated[str, typer.Option("--labels", help="dl (CorEx) or keyword.")] = "dl",
        path: PathOpt = None, gamma: GammaOpt = 0.5, seed: SeedOpt = 0, data_dir: DataDirOpt = None, plot: PlotOpt = None,
        json_out: JsonOpt = False, quiet: QuietOpt = False) -> None:
    """Revealed comparative advantage in DL by location (and period) with bootstrap intervals."""
    from aiprogress.errors import ParameterError
    from aiprogress.geography.metrics import RCAResult, rca_table, weighted_mean_rca

    plot = _plot_path(plot)
    if labels not in ("dl", "keyword"):
        raise ParameterError("labels", f"'{labels}'", expected="dl or keyword")
    col = _by(by)
    an = _analyse(corpus, data_dir, path, gamma, seed, False, None, quiet)
    act = an.activity(col, period=period, labels="dl_corex" if labels == "dl" else "dl_keyword")
    with progress(quiet, "bootstrap", total=1) as adv:
        tab = rca_table(act, group="period" if period else None, draws=draws, seed=seed, min_activity=min_activity)
        adv(1)
    full = rca_table(act, group="period" if period else None, draws=0)
    notes = [f"activity-weighted mean RCA = {weighted_mean_rca(s['dl'], s['all']):.6f}" + (f" ({g})" if g is not None else "")
             for g, s in (full.groupby("group") if period else [(None, full)])]
    res = RCAResult(tab, by, "period" if period else None, draws, seed, an.corpus.files, tuple(notes))
    if plot is not None:
        from aiprogress.geography.countries import countries_geojson
        from aiprogress.geography.plots import choropleth, rca_change

        if period and col == "country_code":
            _save(rca_change(tab, f"before {period}", f"{period} on", title=f"DL RCA by country ({corpus})"), plot)
        elif col == "country_code":
            _save(choropleth(dict(zip(tab["location"], tab["rca"])), countries_geojson(data_dir), f"DL RCA ({corpus})"), plot)
    emit(res, json_out)


@app.command()
@guard
def concentration(corpus: CorpusOpt = "epoch", by: ByOpt = "country", k: Annotated[int, typer.Option("--k", min=1)] = 10,
                  group: Annotated[str, typer.Option("--group", help="year, month or period.")] = "year",
                  period: Annotated[int, typer.Option("--period", min=1900, max=2100)] = 2012,
                  which: Annotated[str, typer.Option("--which", help="dl or all activity.")] = "dl",
                  source: Annotated[str, typer.Option("--source", help="corpus, or nesta (the authors' DL counts by country).")] = "corpus",
                  draws: DrawsOpt = 200, path: PathOpt = None, gamma: GammaOpt = 0.5, seed: SeedOpt = 0, data_dir: DataDirOpt = None,
                  plot: PlotOpt = None, json_out: JsonOpt = False, quiet: QuietOpt = False) -> None:
    """Top-k share and Herfindahl index of DL activity by year or period, with bootstrap intervals; RCA dispersion."""
    from aiprogress.errors import ParameterError
    from aiprogress.geography.metrics import concentration_by, dispersion_by_year
    from aiprogress.geography.replicate import concentration_trend

    plot = _plot_path(plot)
    if group not in ("year", "month", "period") or source not in ("corpus", "nesta"):
        raise ParameterError("group/source", f"'{group}'/'{source}'", expected="group year|month|period, source corpus|nesta")
    nesta = concentration_trend(data_dir, k=k)
    if source == "nesta":
        out = {"source": "geography/nesta_dl_papers_by_country_year_1994-2020.csv", "k": k, "rows": nesta,
               "note": "country totals from the authors' pipeline; no paper-level data, so no bootstrap intervals"}
        tab = nesta
    else:
        an = _analyse(corpus, data_dir, path, gamma, seed, False, None, quiet)
        act = an.activity(_by(by), period=period if group == "period" else None)
        with progress(quiet, "bootstrap", total=1) as adv:
            tab = concentration_by(act, group=group, k=k, draws=draws, seed=seed, which=which)
            adv(1)
        disp = dispersion_by_year(act) if group == "year" else None
        out = {"corpus": corpus, "sources": list(an.corpus.files), "by": by, "k": k, "group": group, "which": which,
               "draws": draws, "rows": tab, "rca_dispersion": disp}
    if plot is not None:
        from aiprogress.geography.plots import concentration_plot

        _save(concentration_plot(tab, x="year" if "year" in tab else group, k=k, extra=nesta if source == "corpus" and group == "year" else None,
                                 extra_label="authors' DL counts (nesta)"), plot)
    if json_out:
        emit(out, True)
        return
    from aiprogress.results import format_table

    text = format_table(tab, title=f"Concentration of {which if source == 'corpus' else 'DL'} activity ({source})")
    if out.get("rca_dispersion") is not None and len(out["rca_dispersion"]):
        text += "\n\n" + format_table(out["rca_dispersion"], title="Dispersion of RCA across locations by year")
    emit(out, False, text=text)


@app.command()
@guard
def gpt(corpus: CorpusOpt = "epoch", split_year: Annotated[int, typer.Option("--split-year", min=1900, max=2100)] = 2012,
        threshold: Annotated[float, typer.Option("--threshold", min=0.001, max=0.999)] = 0.1, path: PathOpt = None,
        gamma: GammaOpt = 0.5, seed: SeedOpt = 0, data_dir: DataDirOpt = None, plot: PlotOpt = None, json_out: JsonOpt = False,
        quiet: QuietOpt = False) -> None:
    """The three GPT tests: growth, generality across fields, impact among highly cited papers."""
    from aiprogress.geography.gpt import gpt_tests

    plot = _plot_path(plot)
    an = _analyse(corpus, data_dir, path, gamma, seed, False, None, quiet)
    res = gpt_tests(an.frame.assign(dl=an.frame["dl_corex"]), corpus, split_year, threshold, an.corpus.files)
    if plot is not None:
        from aiprogress.geography.plots import gpt_panels

        _save(gpt_panels(res, f"GPT tests ({corpus})"), plot)
    emit(res, json_out)


@app.command()
@guard
def relatedness(corpus: CorpusOpt = "arxiv", top: Annotated[int, typer.Option("--top", min=2, max=200)] = 20, path: PathOpt = None,
                gamma: GammaOpt = 0.5, seed: SeedOpt = 0, data_dir: DataDirOpt = None, plot: PlotOpt = None,
                json_out: JsonOpt = False, quiet: QuietOpt = False) -> None:
    """Cosine similarity between fields (and DL) from co-occurrence on papers."""
    from aiprogress.geography.gpt import relatedness as rel

    plot = _plot_path(plot)
    an = _analyse(corpus, data_dir, path, gamma, seed, False, None, quiet)
    sim = rel(an.frame.assign(dl=an.frame["dl_corex"]), top=top)
    if plot is not None:
        from aiprogress.geography.plots import heatmap

        _save(heatmap(sim, f"Research relatedness ({corpus})"), plot)
    out = {"corpus": corpus, "sources": list(an.corpus.files), "fields": list(sim.index),
           "similarity_to_dl": sim["DL"].drop("DL").round(6).to_dict() if "DL" in sim else {}, "matrix": sim.round(6).to_dict()}
    if json_out:
        emit(out, True)
        return
    from aiprogress.results import format_table

    emit(out, False, text=format_table(sim.round(3).reset_index().rename(columns={"index": "field"}), title="Relatedness"))


@app.command()
@guard
def regress(panel: Annotated[str, typer.Option("--panel", help="epoch (countries, 2012 break) or synthetic.")] = "epoch",
            runs: Annotated[int, typer.Option("--runs", min=1, max=10_000)] = 100, seed: SeedOpt = 0, gamma: GammaOpt = 0.5,
            data_dir: DataDirOpt = None, json_out: JsonOpt = False, quiet: QuietOpt = False) -> None:
    """The paper's Eq. 6 with country-clustered standard errors (real panel) or its recovery on synthetic data."""
    from aiprogress.errors import ParameterError
    from aiprogress.geography import regression as R

    if panel == "synthetic":
        with progress(quiet, "synthetic fits", total=1) as adv:
            tab = R.synthetic_recovery(runs, seed)
            adv(1)
        out = {"panel": "synthetic", "runs": runs, "n": R.PAPER_N, "rows": tab,
               "note": "is_china is constant within one cluster: its CR1 SE is far too small, so its 2-SE coverage is poor"}
        if json_out:
            emit(out, True)
            return
        from aiprogress.results import format_table

        emit(out, False, text=format_table(tab, title=f"Eq. 6 on {runs} synthetic panels (n = {R.PAPER_N})") + "\n" + out["note"])
        return
    if panel != "epoch":
        raise ParameterError("panel", f"'{panel}'", expected="epoch or synthetic")
    from aiprogress.geography.panel import epoch_country_panel

    an = _analyse("epoch", data_dir, None, gamma, seed, False, None, quiet)
    pn = epoch_country_panel(an.frame, an.affiliations, data_dir)
    caveats = (f"{len(pn)} countries with Epoch models before and after 2012 and CrunchBase regions, against the paper's "
               "451 regions: coefficients are not informative (wide intervals, few degrees of freedom)",
               "industry_sp is the organisation-weighted sector entropy of CrunchBase regions (no sector breakdown in the "
               "shared file), not the paper's DL-related-industry share",
               "is_china drops out when China has no Epoch model before 2012",
               "the real panel can show the sign pattern and the persistence of RCA at best; it cannot test the "
               "research x industry complementarity with any power")
    res = R.fit_eq6(pn, label="Epoch countries before/after 2012", caveats=caveats)
    if json_out:
        d = res.to_dict()
        d["sources"] = [*an.corpus.files, "geography/nesta_crunchbase_by_region_2018.csv"]
        d["panel_rows"] = pn
        emit(d, True)
        return
    emit(res, False)


@app.command()
@guard
def geocode(labels: Annotated[Path | None, typer.Option("--labels", help="CSV of hand labels: institution,country_code.")] = None,
            min_score: Annotated[float, typer.Option("--min-score", min=0.01, max=1.0)] = 0.9,
            data_dir: DataDirOpt = None, json_out: JsonOpt = False, quiet: QuietOpt = False) -> None:
    """Coverage of the affiliation geocoding, and precision against hand labels (default: the shipped sample)."""
    import pandas as pd

    from aiprogress.errors import InputError
    from aiprogress.geography import geocode as G
    from aiprogress.geography import pipeline as P

    if labels is None:
        labels = Path(__file__).resolve().parents[3] / "tests" / "geography" / "fixtures" / "hand_labelled_institutions.csv"
    if not labels.is_file():
        raise InputError("file not found", file=str(labels), expected="a CSV with institution,country_code")
    lab = pd.read_csv(labels, dtype=str, keep_default_na=False)
    for c in ("institution", "country_code"):
        if c not in lab:
            raise InputError("missing column", file=str(labels), column=c, expected="institution,country_code")
    mt = G.OrgMatcher(G.load_register(data_dir), min_score=min_score)
    with progress(quiet, "geocoding", total=len(lab)) as adv:
        matches = mt.match_many(lab["institution"], progress=adv)
    prec = G.precision_check(lab, matches)
    arx = P.locate(P.load_corpus("arxiv", data_dir), data_dir)
    located = arx.affiliations["doc_id"].nunique()
    out = {"sources": [G.ROR_FILE, G.UNIS_FILE, labels.name, *arx.files],
           "min_score": min_score, "precision_check": prec, "methods": matches["method"].value_counts().to_dict(),
           "arxiv_author_linking": {"papers": arx.n_papers, "located": int(located), "coverage": located / arx.n_papers,
                                    "rule": arx.notes.get("author_rule"), "ambiguous_names_dropped": arx.notes.get("ambiguous_names")}}
    if json_out:
        emit(out, True)
        return
    emit(out, False, text=(f"hand-labelled sample: {prec['n']} institutions, {prec['located']} located "
                           f"({prec['coverage']:.1%}), precision {prec['precision']:.1%}\narXiv papers located through Epoch "
                           f"authors: {located} of {arx.n_papers} ({located / arx.n_papers:.1%})"))


@app.command()
@guard
def replicate(seed: SeedOpt = 0, data_dir: DataDirOpt = None, json_out: JsonOpt = False, quiet: QuietOpt = False) -> None:
    """Published vs ours for the paper's figures the shared data can speak to."""
    from aiprogress.geography.replicate import replicate as rep

    with progress(quiet, "replicating", total=None) as adv:
        res = rep(data_dir, seed=seed, progress=adv)
    emit(res, json_out)


@app.command("map")
@guard
def map_cmd(corpus: CorpusOpt = "arxiv", plot: Annotated[Path, typer.Option("--plot", help="Output .png/.svg/.pdf.")] = Path("dl_rca_map.png"),
            gamma: GammaOpt = 0.5, seed: SeedOpt = 0, path: PathOpt = None, data_dir: DataDirOpt = None, json_out: JsonOpt = False,
            quiet: QuietOpt = False) -> None:
    """A choropleth of DL RCA by country (offline Natural Earth polygons)."""
    from aiprogress.geography.countries import countries_geojson
    from aiprogress.geography.metrics import rca_table
    from aiprogress.geography.plots import choropleth

    plot = _plot_path(plot)
    an = _analyse(corpus, data_dir, path, gamma, seed, False, None, quiet)
    tab = rca_table(an.activity("country_code"), draws=0, min_activity=5.0)
    _save(choropleth(dict(zip(tab["location"], tab["rca"])), countries_geojson(data_dir), f"DL RCA by country ({corpus})"), plot)
    emit({"corpus": corpus, "plot": str(plot), "countries": int(len(tab)),
          "sources": [*an.corpus.files, "geography/natural_earth_countries.geojson"]}, json_out)
