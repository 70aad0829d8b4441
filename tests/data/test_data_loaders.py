"""Loaders on the real data: row counts, spot values against the raw CSV read
independently with the csv module, provenance line numbers, derived columns."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aiprogress.data import load_sources, load_table
from aiprogress.data.csvio import arxiv_id
from aiprogress.data.thompson import match_thompson_to_epoch


def raw_records(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def loaded(real_dir):
    return load_sources(real_dir)


def test_row_counts_match_the_csv_records(loaded, real_dir):
    counts = {r.name: r.rows for r in loaded.sources}
    for rec in loaded.sources:
        assert rec.rejected_rows == 0
        assert counts[rec.name] == len(raw_records(real_dir / rec.path)), rec.name
    assert counts["epoch_models"] == 2228
    assert counts["epoch_hardware"] == 170
    # The data README's counts (wc -l minus the header) are one lower because these
    # files end without a newline: the last record is a real row, not a footer.
    readme = {"imagenet": 163, "ms_coco": 94, "squad_1_1": 59, "conll2003": 39, "wmt2014_en_fr": 31,
              "wmt2014_en_de": 42, "gpu": 499, "cpu": 1218, "tpu": 5}
    for name, n in readme.items():
        data = (real_dir / "thompson2020" / f"{name}.csv").read_bytes()
        assert not data.endswith(b"\n")
        assert data.count(b"\n") - 1 == n  # what wc -l minus the header gives
        assert counts[name] == n + 1
    bench = loaded.tables["benchmark_results"]
    assert bench.groupby("benchmark").size().to_dict() == {
        "imagenet": 164, "ms_coco": 95, "squad_1_1": 60, "conll2003": 40, "wmt2014_en_fr": 32, "wmt2014_en_de": 43}
    hw = loaded.tables["hardware"]
    assert hw["source"].value_counts().to_dict() == {"epoch": 170, "thompson_cpu": 1219, "thompson_gpu": 500, "thompson_tpu": 6}
    assert len(loaded.tables["rejects"]) == 0


def test_source_lines_are_physical_start_lines(loaded, real_dir, start_lines):
    models = loaded.tables["models"]
    path = real_dir / models["source_file"].iloc[0]
    starts = start_lines(path.read_text(encoding="utf-8"))
    assert len(starts) == 2229
    assert models["source_line"].tolist() == starts[1:]
    # multi-line quoted fields really occur, so lines != record index + 2
    assert models["source_line"].iloc[-1] > len(models) + 1
    # and the record found on that line is the one the row came from
    raw = raw_records(path)
    row = models.iloc[500]
    assert raw[500]["Model"] == row["model"]
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[row["source_line"] - 1].startswith(next(csv.reader([lines[row["source_line"] - 1]]))[0])
    assert next(csv.reader([lines[row["source_line"] - 1]]))[0] == row["model"]


def test_model_values_match_raw_csv(loaded, real_dir):
    models = loaded.tables["models"]
    raw = raw_records(real_dir / models["source_file"].iloc[0])
    for i in (3, 100, 1500):
        r, m = raw[i], models.iloc[i]
        assert m["model"] == r["Model"]
        assert m["organization"] == (r["Organization"] or None)
        if r["Training compute (FLOP)"]:
            assert m["train_flop"] == float(r["Training compute (FLOP)"])
        if r["Parameters"]:
            assert m["parameters"] == float(r["Parameters"])
        if r["Publication date"]:
            assert m["publication_date"] == pd.Timestamp(r["Publication date"])
        expected_c = []
        for c in r["Country (from Organization)"].split(","):
            if c.strip() and c.strip() not in expected_c:
                expected_c.append(c.strip())
        assert list(m["countries"]) == expected_c
    # the AMPLIFY entry with four organizations lists each country once
    amp = models[models["model"] == "AMPLIFY"].iloc[0]
    assert amp["countries"] == ["Canada", "United States of America"]
    # utilization is a fraction and stays one
    u = models["utilization"].dropna()
    assert len(u) == sum(1 for r in raw if r["Hardware utilization"])
    assert u.between(0, 1).all()


def test_hardware_spot_values(loaded, real_dir):
    hw = loaded.tables["hardware"]
    raw = {r["Hardware name"]: r for r in raw_records(real_dir / "epoch" / "ml_hardware_2026-01.csv")}
    v100 = hw[(hw["source"] == "epoch") & (hw["name"] == "NVIDIA Tesla V100 SXM2 16 GB")].iloc[0]
    assert v100["peak_flop_per_s_fp32"] == float(raw["NVIDIA Tesla V100 SXM2 16 GB"]["FP32 (single precision) performance (FLOP/s)"])
    assert v100["peak_flop_per_s_fp32"] == pytest.approx(15.67e12, rel=1e-3)
    assert v100["tdp_w"] == float(raw["NVIDIA Tesla V100 SXM2 16 GB"]["TDP (W)"])
    # Thompson gpu.csv: the V100 SXM2 16 GB row of 2017 has GFLOPS 15670 (FP32) -> 1.567e13 FLOP/s
    gpu = raw_records(real_dir / "thompson2020" / "gpu.csv")
    t_rows = hw[(hw["source"] == "thompson_gpu") & (hw["name"] == "Tesla V100 SXM2 16 GB")]
    assert sorted(t_rows["peak_flop_per_s_fp32"]) == sorted(
        float(r["GFLOPS"]) * 1e9 for r in gpu if r["GPU"] == "Tesla V100 SXM2 16 GB")
    # merged: the Thompson name is an alias and the missing memory size comes from gpu.csv (MiB)
    assert "Tesla V100 SXM2 16 GB" in v100["aliases"]
    vs = json.loads(v100["value_sources"])
    assert vs["peak_flop_per_s_fp32"] == "epoch"
    if not raw["NVIDIA Tesla V100 SXM2 16 GB"]["Memory (bytes)"]:
        first = next(r for r in gpu if r["GPU"] == "Tesla V100 SXM2 16 GB")
        assert v100["memory_bytes"] == float(first["Memory size"]) * 2**20
        assert vs["memory_bytes"].startswith("thompson_gpu:thompson2020/gpu.csv:")
    # TPU v3: Epoch lacks FP32, Thompson's tpu.csv gives 4.2e5 GFLOPS
    tpu3 = hw[(hw["source"] == "epoch") & (hw["name"] == "Google TPU v3")].iloc[0]
    assert tpu3["peak_flop_per_s_fp32"] == pytest.approx(4.2e5 * 1e9)
    assert tpu3["aliases"] == ["Cloud TPU v3"]
    # a pod is not a chip: no Epoch row takes it
    assert match_thompson_to_epoch(hw.loc[hw["source"] == "epoch", "name"].tolist(), "Cloud TPU v3 Pod") is None
    # year-only release dates are 1 July
    cpu = hw[hw["source"] == "thompson_cpu"]
    assert (cpu["release_date"].dropna().dt.strftime("%m-%d") == "07-01").all()
    assert cpu["release_date"].isna().sum() == sum(1 for r in raw_records(real_dir / "thompson2020" / "cpu.csv") if not r["Year"])


def test_benchmark_values_match_raw_csv(loaded, real_dir):
    bench = loaded.tables["benchmark_results"]
    tp = real_dir / "thompson2020"
    img = raw_records(tp / "imagenet.csv")
    b = bench[bench["benchmark"] == "imagenet"].reset_index(drop=True)
    assert b.loc[0, "model"] == img[0]["model"]
    assert b.loc[0, "error_rate"] == pytest.approx(float(img[0]["top1_error"]) / 100)  # 24.7 % -> 0.247
    assert b.loc[0, "arxiv_id"] == "1709.01507"
    # forward_flop = flops, else 2 x multiply-adds
    for i, r in enumerate(img):
        if r["flops"]:
            assert b.loc[i, "forward_flop"] == float(r["flops"])
        elif r["multiadds"]:
            assert b.loc[i, "forward_flop"] == 2 * float(r["multiadds"])
        else:
            assert math.isnan(b.loc[i, "forward_flop"])
    coco = raw_records(tp / "ms_coco.csv")
    c = bench[bench["benchmark"] == "ms_coco"].reset_index(drop=True)
    assert c.loc[0, "error_rate"] == pytest.approx(1 - float(coco[0]["BOX_AP"]) / 100)  # 33.2 -> 0.668
    assert c.loc[0, "train_seconds"] == 259200  # "3days", time_sec 259200
    assert c.loc[1, "train_time_text"] == "160k iterations" and math.isnan(c.loc[1, "train_seconds"])
    # per-device GFLOPS: hw_gflops is the total over the devices
    assert c.loc[0, "processor_gflops"] == pytest.approx(float(coco[0]["hw_gflops"]) / float(coco[0]["#gpu"]))
    sq = raw_records(tp / "squad_1_1.csv")
    s = bench[bench["benchmark"] == "squad_1_1"].reset_index(drop=True)
    assert s.loc[1, "metric_name"] == "f1"
    assert s.loc[1, "error_rate"] == pytest.approx(1 - float(sq[1]["F1"]) / 100)
    assert json.loads(s.loc[1, "metrics"]) == {"f1": float(sq[1]["F1"]), "em": float(sq[1]["EM"])}
    de = raw_records(tp / "wmt2014_en_de.csv")
    w = bench[bench["benchmark"] == "wmt2014_en_de"].reset_index(drop=True)
    tb = w[w["model"] == "Transformer Big"].iloc[0]
    assert tb["error_rate"] == pytest.approx(1 - 28.4 / 100)
    assert tb["train_flop"] == 2.3e19 and math.isnan(tb["forward_flop"])  # WMT '#flops' is training compute
    assert tb["arxiv_id"] == "1706.03762"
    assert len(w) == len(de)
    assert bench["error_rate"].dropna().between(0, 1).all()
    assert set(bench["processor_type"].dropna()) <= {"gpu", "tpu", "cpu"}


def test_train_seconds_time_sec_wins_and_text_parse_agrees_elsewhere(loaded, real_dir):
    bench = loaded.tables["benchmark_results"]
    both = bench[(bench["train_seconds_method"] == "time_sec")]
    # time_sec wins: every row whose raw record has time_sec carries exactly that number
    n_time_sec = 0
    for name in ("imagenet", "ms_coco", "squad_1_1", "conll2003", "wmt2014_en_fr", "wmt2014_en_de"):
        raw = raw_records(real_dir / "thompson2020" / f"{name}.csv")
        rows = bench[bench["benchmark"] == name].reset_index(drop=True)
        for i, r in enumerate(raw):
            if (r.get("time_sec") or "").strip():
                n_time_sec += 1
                assert rows.loc[i, "train_seconds"] == float(r["time_sec"]), (name, i)
                assert rows.loc[i, "train_seconds_method"] == "time_sec"
    assert n_time_sec == len(both) > 0
    from aiprogress.data.timeparse import parse_duration

    parsed = both["train_time_text"].map(lambda t: parse_duration(t)[0])
    ok = parsed.notna()
    rel = (parsed[ok].astype(float) - both.loc[ok, "train_seconds"]).abs() / both.loc[ok, "train_seconds"]
    # the source rounds time_sec to 3 significant figures; two WMT en-de rows
    # (ConvS2S "2 weeks" / "18.5 days") have their time_sec swapped in the source
    assert (rel > 0.01).sum() == 2
    assert set(both.loc[ok][rel > 0.01]["train_time_text"]) == {"2 weeks", "18.5 days"}


def test_duplicate_names_in_real_data_are_distinct_records(loaded):
    m = loaded.tables["models"]
    sig = m[m["model"] == "SigLIP"]
    assert len(sig) == 2 and sig["parameters"].nunique() == 2
    assert m["model"].isna().sum() == 3  # Epoch placeholders kept so counts match the export
    b = loaded.tables["benchmark_results"]
    ns = b[b["model"] == "NoisyStudent(EfficientNetL2)"]
    assert sorted(ns["metric_value"]) == [11.6, 12.6]


def test_arxiv_id_forms():
    assert arxiv_id("https://arxiv.org/abs/1706.03762v5") == "1706.03762"
    assert arxiv_id("https://arxiv.org/pdf/1906.02437.pdf") == "1906.02437"
    assert arxiv_id("http://arxiv.org/abs/hep-th/9901001") == "hep-th/9901001"
    assert arxiv_id("https://openai.com/blog") is None
    assert arxiv_id(None) is None


def test_load_table_caches_and_returns_copies(real_dir):
    a = load_table("hardware", data_dir=real_dir)
    a.loc[0, "name"] = "changed"
    b = load_table("hardware", data_dir=real_dir)
    assert b.loc[0, "name"] != "changed"
    assert np.array_equal(b["source_line"].to_numpy(), load_table("hardware", data_dir=real_dir)["source_line"].to_numpy())
