"""CLI: JSON output of classify / rca / concentration / regress on a generated OpenAlex corpus; exit code 2 on bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from aiprogress.cli import app

runner = CliRunner()


def _json(args):
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.fixture
def works(tmp_path, geo_cache, make_openalex):
    return make_openalex(tmp_path / "works.jsonl", n=150)


def test_classify_rca_concentration_json(works):
    out = _json(["geography", "classify", "--corpus", "openalex", "--path", str(works), "--json", "--quiet"])
    assert out["n_documents"] == 150 and out["n_topics"] >= 3
    assert 0.2 < out["dl_share"] < 0.6 and out["agreement_keyword"]["accuracy"] > 0.8
    assert "total" in out["seconds"] and out["sources"] == ["works.jsonl"]
    from aiprogress.geography import pipeline

    pipeline._MEMO.clear()  # a new process would start empty: the second run reads the disk cache
    again = _json(["geography", "classify", "--corpus", "openalex", "--path", str(works), "--json", "--quiet"])
    assert again["model_cached"] and again["labels_cached"] and again["dl_share"] == out["dl_share"]
    rca = _json(["geography", "rca", "--corpus", "openalex", "--path", str(works), "--by", "country", "--period", "2012",
                 "--draws", "50", "--json", "--quiet"])
    rows = rca["rows"]
    assert {r["group"] for r in rows} == {"before 2012", "2012 on"}
    assert all(r["rca_low"] <= r["rca"] <= r["rca_high"] for r in rows if r["rca"] is not None)
    for g in ("before 2012", "2012 on"):  # activity-weighted mean RCA = 1 within each period
        sub = [r for r in rows if r["group"] == g]
        tot = sum(r["all"] for r in sub)
        assert abs(sum(r["all"] / tot * r["rca"] for r in sub) - 1) < 1e-9
    conc = _json(["geography", "concentration", "--corpus", "openalex", "--path", str(works), "--k", "3", "--draws", "30",
                  "--json", "--quiet"])
    assert all(r["hhi_low"] <= r["hhi"] <= r["hhi_high"] for r in conc["rows"])


def test_concentration_nesta_and_synthetic_regression(geo_cache):
    out = _json(["geography", "concentration", "--source", "nesta", "--json", "--quiet"])
    years = {r["year"]: r for r in out["rows"]}
    assert 2012 in years and 0 < years[2012]["top10_share"] <= 1
    reg = _json(["geography", "regress", "--panel", "synthetic", "--runs", "5", "--json", "--quiet"])
    assert {r["term"] for r in reg["rows"]} >= {"rca_before", "is_china"}


@pytest.mark.parametrize("args, msg", [
    (["geography", "rca", "--by", "planet"], "parameter 'by'"),
    (["geography", "classify", "--corpus", "mars"], "parameter 'corpus'"),
    (["geography", "classify", "--corpus", "openalex"], "needs --path"),
    (["geography", "rca", "--plot", "out.txt"], "parameter 'plot'"),
])
def test_bad_input_exit_2(args, msg, geo_cache):
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and msg in res.output and "Traceback" not in res.output


def test_bad_corpus_file_exit_2(tmp_path, geo_cache):
    p = tmp_path / "w.jsonl"
    p.write_text('{"id": "W1", "publication_date": "2020-01-01"}\n{"id": \n')
    res = runner.invoke(app, ["geography", "classify", "--corpus", "openalex", "--path", str(p), "--json"])
    assert res.exit_code == 2 and "w.jsonl, line 2: not valid JSON" in res.output
