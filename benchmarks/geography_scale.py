"""Geography at scale: a synthetic full-arXiv activity table aggregated end to end in DuckDB vs pandas,
and DL classification throughput on the real arXiv corpus.

Synthetic table: ``--papers`` papers (default 2.5 M, the size of a full arXiv snapshot), each with
1 + Poisson(0.7) institutions (mean 1.7, fractional weights), locations drawn from a Zipf-like
distribution over 3,000 regions (a few places hold most activity), 40 fields, years 1995-2020
with growing output, and a DL propensity that rises over time and differs by location.
End to end = write Parquet, then RCA by location x year x field, top-10 share and HHI per
year x field, and RCA dispersion per year x field. The pandas baseline is
:func:`aiprogress.geography.scale.aggregate_pandas` on the same in-memory frame (no Parquet
round trip, which favours pandas). Both results are checked to agree.

Reproduce:  .venv/bin/python benchmarks/geography_scale.py [--papers 2500000] [--docs 5000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def synthetic_activity(papers: int, seed: int = 0, locations: int = 3000, fields: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = np.arange(1995, 2021)
    growth = np.exp(0.15 * (years - years[0]))
    year = years[np.searchsorted(np.cumsum(growth) / growth.sum(), rng.random(papers))]
    k = 1 + rng.poisson(0.7, papers)
    doc = np.repeat(np.arange(papers), k)
    zipf = 1.0 / np.arange(1, locations + 1) ** 1.1
    loc = np.minimum(np.searchsorted(np.cumsum(zipf) / zipf.sum(), rng.random(len(doc))), locations - 1)
    loc_bias = rng.normal(0, 0.5, locations)
    yr = np.repeat(year, k)
    base = -3.5 + 0.12 * (yr - 1995)
    paper_dl = rng.random(papers) < 1 / (1 + np.exp(-(np.repeat(0, papers) + base[np.cumsum(k) - k])))
    dl = paper_dl[doc] | (rng.random(len(doc)) < 1 / (1 + np.exp(-(base + loc_bias[loc]))) * 0.1)
    field = rng.integers(0, fields, papers)[doc]
    names = np.array([f"L{i:04d}" for i in range(locations)], dtype=object)
    return pd.DataFrame({"doc_id": doc.astype(np.int64), "location": names[loc],
                         "weight": (1.0 / k)[doc], "dl": dl, "year": yr.astype(np.int64),
                         "field": np.array([f"f{i:02d}" for i in range(fields)], dtype=object)[field]})


def check_same(a: dict, b: dict) -> float:
    worst = 0.0
    for key, keys in (("rca", ["year", "field", "location"]), ("concentration", ["year", "field"]), ("dispersion", ["year", "field"])):
        x = a[key].sort_values(keys).reset_index(drop=True)
        y = b[key][list(x.columns)].sort_values(keys).reset_index(drop=True)
        num = [c for c in x.columns if c not in keys]
        diff = np.nanmax(np.abs(x[num].to_numpy(float) - y[num].to_numpy(float)))
        worst = max(worst, float(diff))
    return worst


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=2_500_000)
    ap.add_argument("--docs", type=int, default=5000, help="real arXiv documents for the classification throughput (0: skip)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    from aiprogress.geography.scale import aggregate_duckdb, aggregate_pandas, write_parquet_atomic

    t = time.perf_counter()
    frame = synthetic_activity(args.papers, args.seed)
    gen_s = time.perf_counter() - t
    print(f"synthetic table: {args.papers:,} papers, {len(frame):,} paper x institution rows "
          f"({len(frame) / args.papers:.2f} per paper), generated in {gen_s:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "activity.parquet"
        t = time.perf_counter()
        write_parquet_atomic(frame, path)
        write_s = time.perf_counter() - t
        t = time.perf_counter()
        duck = aggregate_duckdb(path, by_field=True, k=10)
        agg_s = time.perf_counter() - t
        duck_s = write_s + agg_s
    t = time.perf_counter()
    pand = aggregate_pandas(frame, by_field=True, k=10)
    pandas_s = time.perf_counter() - t
    worst = check_same(duck, pand)
    ratio = duck_s / pandas_s
    print(f"DuckDB over Parquet: write {write_s:.2f} s + aggregate {agg_s:.2f} s = {duck_s:.2f} s; pandas in memory: "
          f"{pandas_s:.2f} s; ratio end to end {ratio:.2f}, aggregation only {agg_s / pandas_s:.2f} (below 1 = DuckDB faster); "
          f"max abs difference {worst:.2e}")
    print(f"  rows: RCA {len(duck['rca']):,}, concentration {len(duck['concentration']):,}, dispersion {len(duck['dispersion']):,}")
    docs_per_s = None
    if args.docs:
        from aiprogress.geography import classify as C
        from aiprogress.geography.pipeline import FIT_SETTINGS, cache_root, load_corpus

        corpus = load_corpus("arxiv")
        texts = C.documents(corpus.papers)
        model, mpath, cached, fit_s = C.fitted_model(texts, cache_root(), seed=0, **FIT_SETTINGS["arxiv"])
        print(f"topic model: {'cached ' + str(mpath.name) if cached else f'fitted in {fit_s:.1f} s'}; {model.n_topics} topics")
        sample = texts[: args.docs]
        t = time.perf_counter()
        C.classify_texts(model, sample, scheduler="sync")
        cls_s = time.perf_counter() - t
        docs_per_s = len(sample) / cls_s
        print(f"classification throughput on {len(sample):,} real arXiv abstracts: {docs_per_s:,.0f} docs/s (one thread); "
              f"all {len(texts):,} would take {len(texts) / docs_per_s:.0f} s")
    print("BENCH " + json.dumps({"name": "geography_scale", "ratios": {"duckdb end to end vs pandas": round(ratio, 3),
                                                                        "duckdb aggregation vs pandas": round(agg_s / pandas_s, 3)},
                                 "seconds": {"parquet_write": round(write_s, 2), "duckdb_aggregate": round(agg_s, 2),
                                             "pandas": round(pandas_s, 2)},
                                 "docs_per_s": None if docs_per_s is None else round(docs_per_s, 1),
                                 "met": bool(worst < 1e-8)}))
    print("Reproduce: .venv/bin/python benchmarks/geography_scale.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
