"""Joining benchmark rows to the Epoch models table, and the Epoch human-capital proxy."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz

from aiprogress.ideas import prepare_sample
from aiprogress.ideas.epoch_join import FUZZY_MIN_SCORE, match_epoch, normalise_arxiv_id, title_key
from aiprogress.ideas.inputs import AUTO_MIN_COVERAGE, epoch_human_capital


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1709.01507", "1709.01507"),
        ("1709.01507v3", "1709.01507"),
        ("arXiv:1512.03385v1", "1512.03385"),
        ("https://arxiv.org/abs/1709.01507", "1709.01507"),
        ("https://arxiv.org/pdf/1908.06022v5.pdf", "1908.06022"),
        ("https://arxiv.org/pdf/1908.07919.pdf", "1908.07919"),
        ("https://arxiv.org/html/2501.12599v1", "2501.12599"),
        ("https://www.arxiv-vanity.com/papers/2104.05158/", "2104.05158"),
        ("https://arxiv.org/abs/cs/0205070v1", "cs/0205070"),
        ("math.GT/0309136", "math/0309136"),
        ("cs/0205070", "cs/0205070"),
        ("https://doi.org/10.1109/5771.0731", None),
        ("https://github.com/albanie/convnetburden", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_arxiv_ids_are_normalised(raw, expected):
    assert normalise_arxiv_id(raw) == expected


@given(st.from_regex(r"[0-9]{2}(0[1-9]|1[0-2])\.[0-9]{5}", fullmatch=True), st.integers(1, 12), st.sampled_from(["abs", "pdf"]))
def test_any_new_style_id_survives_urls_and_versions(aid, version, kind):
    url = f"https://arxiv.org/{kind}/{aid}v{version}" + (".pdf" if kind == "pdf" else "")
    assert normalise_arxiv_id(url) == aid
    assert normalise_arxiv_id(f"{aid}v{version}") == aid


def test_title_keys_fold_case_punctuation_and_unicode():
    assert title_key("Squeeze-and-Excitation Networks") == title_key("SqueezeandExcitation Networks")
    assert title_key("Déjà Vu: ＦＵＬＬ-width") == "dejavufullwidth"
    assert title_key(None) == "" and title_key(float("nan")) == ""


def _epoch() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "model": ["SENet", "Nets-X", "Typo Net", "Other", "LongNameNet"],
            "arxiv_id": ["1709.01507", None, "1801.00001", "1805.00002", None],
            "link": [None, "https://arxiv.org/abs/1802.00003v2", None, None, None],
            "reference": [
                "Squeeze-and-Excitation Networks",
                "Networks for Everything Everywhere",
                "Learning Transferable Architectures for Scalable Image Recognition",
                "Attention is All You Need Indeed",
                "Some unrelated title of a paper",
            ],
            "publication_date": pd.to_datetime(["2017-09-05", "2018-02-10", "2018-01-02", "2018-05-01", "2016-03-01"]),
            "authors": [["A", "B"], ["C"], ["D"], ["E"], ["F"]],
            "citations": [1000.0, 5.0, 7.0, 3.0, 11.0],
        }
    )


def test_each_matching_rule_on_hand_made_rows():
    e = _epoch()
    typo = "Learning Transferable Architectures for Scalable Image Recognitoin"
    rows = pd.DataFrame(
        {
            "arxiv_id": [None, None, "1801.00009", None, None, "1999.99999", None, None],
            "url": ["https://arxiv.org/pdf/1709.01507v2.pdf", "https://arxiv.org/abs/1802.00003", None, None, None, None, None, None],
            "paper_title": ["x", "y", typo, "SqueezeandExcitation Networks", typo, typo, "Segmentation is All You Need", "z"],
            "model": ["m"] * 7 + ["LongNameNet"],
            "year": [2017, 2018, 2018, 2017, 2018, 2018, 2019, 2016],
        }
    )
    got = match_epoch(rows, e)
    # rule 1 via the URL (pdf link with version; link-only id on the Epoch side)
    assert got["epoch_rows"].iloc[0] == [0] and got["hc_match"].iloc[0] == "arxiv_id"
    assert got["epoch_rows"].iloc[1] == [1]
    # rule 3 rejected when both ids exist and differ (rule 5)
    assert got["epoch_rows"].iloc[2] == [] and got["hc_match"].iloc[2] is None
    # rule 2: exact normalised title
    assert got["epoch_rows"].iloc[3] == [0] and got["hc_match"].iloc[3] == "title"
    # rule 3: one transposition, score reported and equal to rapidfuzz's ratio on the keys
    ref = fuzz.ratio(title_key(typo), title_key(e["reference"].iloc[2]))
    assert ref >= FUZZY_MIN_SCORE
    assert got["hc_match"].iloc[4] == "title_fuzzy" and got["hc_match_score"].iloc[4] == pytest.approx(ref)
    # same with an id absent from the table: Epoch's 1801.00001 still contradicts it
    assert got["epoch_rows"].iloc[5] == []
    # a different paper with a similar title stays unmatched
    assert got["epoch_rows"].iloc[6] == []
    # rule 4: same model name, Epoch date within a year
    assert got["epoch_rows"].iloc[7] == [4] and got["hc_match"].iloc[7] == "model_name"
    far = match_epoch(rows.iloc[[7]].assign(year=2019), e)
    assert far["epoch_rows"].iloc[0] == []


def test_epoch_proxy_counts_only_earlier_work_not_the_paper_itself():
    e = _epoch()
    # an earlier model by author A (10 citations) and a later one (not prior)
    extra = pd.DataFrame({"model": ["Old", "Later"], "arxiv_id": [None, None], "link": [None, None],
                          "reference": ["old paper of author a", "later paper of author a"],
                          "publication_date": pd.to_datetime(["2015-01-01", "2019-01-01"]),
                          "authors": [["A"], ["A"]], "citations": [10.0, 99.0]})
    m = pd.concat([e, extra], ignore_index=True)
    # the row is dated after the Epoch entry of its own paper (arXiv month 15th vs Epoch's 5th)
    rows = pd.DataFrame({"arxiv_id": ["1709.01507"], "paper_title": ["x"], "model": ["SE-ResNet"], "year": [2017]})
    out = epoch_human_capital(rows, m, pd.Series(pd.to_datetime(["2017-09-15"])))
    # S = (1 + log(1 + 10)) for A + (1 + log 1) for B; the paper's own 1000 citations are excluded
    assert out["human_capital"].iloc[0] == pytest.approx(2 + math.log(11))
    assert out["team_size"].iloc[0] == 2 and out["prior_models"].iloc[0] == 1 and out["prior_citations"].iloc[0] == 10
    assert out["hc_match"].iloc[0] == "arxiv_id"


def _bench_rows() -> pd.DataFrame:
    n = 12
    return pd.DataFrame({
        "benchmark": ["imagenet"] * n + ["ms_coco"] * n,
        "model": [f"m{i}" for i in range(2 * n)],
        "paper_title": [f"paper {i}" for i in range(2 * n)],
        "arxiv_id": [f"17{(i % 9) + 1:02d}.{10000 + i}" for i in range(2 * n)],
        "year": [2017] * (2 * n),
        "error_rate": list(np.linspace(0.3, 0.2, n)) + list(np.linspace(0.7, 0.6, n)),
        "forward_flop": [1e9] * (2 * n), "train_examples": [1.2e6] * (2 * n), "epochs": [90.0] * (2 * n),
    })


def _models_for(rows: pd.DataFrame, covered: list[int]) -> pd.DataFrame:
    return pd.DataFrame({
        "model": [rows["model"].iloc[i] for i in covered],
        "arxiv_id": [rows["arxiv_id"].iloc[i] for i in covered],
        "link": None, "reference": None,
        "publication_date": pd.to_datetime(["2016-01-01"] * len(covered)),
        "authors": [[f"author{i}", "shared"] for i in covered],
        "citations": [float(i) for i in covered],
    })


def test_auto_uses_epoch_only_when_every_benchmark_is_covered():
    rows = _bench_rows()
    ts = {"imagenet": "m0", "ms_coco": "m12"}
    # imagenet rows 1..11 all covered; ms_coco only 2 of its 11 usable rows
    models = _models_for(rows, list(range(1, 12)) + [13, 14])
    s = prepare_sample(rows, models=models, touchstones=ts)
    assert s.human_capital_source == "paper_rows"
    assert s.coverage["epoch_join_coverage_by_benchmark"] == {"imagenet": 1.0, "ms_coco": pytest.approx(2 / 11, abs=1e-3)}
    assert s.nobs == 22 and any("EVERY row" in n for n in s.notes)
    # same join, one benchmark: adequate coverage -> Epoch proxy
    one = prepare_sample(rows, benchmarks=["imagenet"], models=models, touchstones=ts)
    assert one.human_capital_source == "epoch" and one.nobs == 11
    assert 11 / 11 >= AUTO_MIN_COVERAGE
    # explicit 'epoch': complete case on the covered rows, the others reported as dropped
    ep = prepare_sample(rows, models=models, human_capital="epoch", touchstones=ts)
    assert ep.human_capital_source == "epoch" and ep.nobs == 13
    assert (ep.dropped["reason"] == "paper not matched in the Epoch models table").sum() == 9
    assert any("complete case" in n for n in ep.notes)


def _has_data() -> bool:
    try:
        from aiprogress.paths import resolve_data_dir

        return (resolve_data_dir() / "epoch").is_dir()
    except Exception:
        return False


@pytest.mark.skipif(not _has_data(), reason="shared data not present")
def test_replicate_adds_epoch_proxy_rows_for_adequately_covered_benchmarks():
    from aiprogress.ideas.replicate import load_shipped_sample, replicate

    rep = replicate(n_boot=50, seed=1)
    main = rep.sample
    by = main["coverage"]["epoch_join_coverage_by_benchmark"]
    ok = [b for b, v in by.items() if v >= AUTO_MIN_COVERAGE]
    comp = rep.comparison
    assert any(r.startswith("Human-capital choice") for r in rep.reasons)
    if main["human_capital_source"] == "epoch" or not ok:
        assert set(comp["human_capital"]) == {main["human_capital_source"]}
        return
    epoch_n = comp[(comp["human_capital"] == "epoch") & (comp["parameter"] == "n")]["ours"]
    ref = load_shipped_sample(benchmarks=ok, human_capital="epoch")
    assert set(epoch_n) == {float(ref.nobs)} if len(ok) == 1 else len(epoch_n) > 0


def test_a_benchmark_left_with_too_few_rows_is_named_in_the_error():
    from aiprogress.errors import ParameterError
    from aiprogress.ideas import estimate

    rng = np.random.default_rng(3)
    n = 30
    frame = pd.DataFrame({
        "benchmark": ["imagenet"] * n + ["ms_coco"] * 3,
        "date": pd.to_datetime(["2015-03-01"] * 10 + ["2016-03-01"] * 10 + ["2017-03-01"] * 10 + ["2015-03-01", "2016-03-01", "2017-03-01"]),
        "g_tilde": np.exp(rng.normal(size=n + 3)),
        "train_flop": np.exp(rng.normal(40, 2, size=n + 3)),
        "human_capital": np.exp(rng.normal(1, 0.5, size=n + 3)),
    })
    with pytest.raises(ParameterError, match=r"model B1 \(3 rows of ms_coco\)"):
        estimate(frame, n_boot=0, translog=False)
