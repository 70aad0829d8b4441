"""GPT tests and relatedness against plain computations; the report section on small generated corpora."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aiprogress.geography import gpt


def _frame(seed=0, n=400):
    rng = np.random.default_rng(seed)
    fields = ["cs.LG", "cs.CV", "cs.LO", "cs.DS"]
    rows = []
    for i in range(n):
        k = int(rng.integers(1, 3))
        cats = list(rng.choice(fields, k, replace=False))
        year = int(rng.integers(2008, 2017))
        dl = bool(rng.random() < (0.5 if "cs.CV" in cats else 0.1) * (2 if year >= 2012 else 1))
        rows.append({"doc_id": f"d{i}", "year": year, "categories": cats, "dl": dl, "citations": float(rng.poisson(10 + 10 * dl))})
    return pd.DataFrame(rows)


def test_growth_generality_impact_reference():
    f = _frame()
    g = gpt.growth(f).set_index("year")
    for y, s in f.groupby("year"):
        assert g.loc[y, "dl_share"] == s["dl"].mean()
    gen, counts = gpt.generality(f, 2012, threshold=0.2)
    ex = f.explode("categories")
    cv_after = ex[(ex["categories"] == "cs.CV") & (ex["year"] >= 2012)]["dl"].mean()
    assert abs(gen.set_index(["field", "period"]).loc[("cs.CV", "2012 on"), "dl_share"] - cv_after) < 1e-12
    ref = gen.groupby("period")["dl_share"].apply(lambda s: int((s >= 0.2).sum()))
    assert counts.set_index("period")["fields_above"].to_dict() == ref.to_dict()
    imp = gpt.impact(f).set_index("field")
    q = f.groupby("year")["citations"].transform(lambda s: s.quantile(0.75))
    hc = f[f["citations"] >= q]
    assert abs(imp.loc["(all)", "dl_share_highly_cited"] - hc["dl"].mean()) < 1e-12
    assert imp.loc["(all)", "dl_share_highly_cited"] > imp.loc["(all)", "dl_share"]  # DL is cited more in this design


def test_relatedness_is_cosine_similarity():
    from sklearn.metrics.pairwise import cosine_similarity

    f = _frame(1)
    sim = gpt.relatedness(f, top=None)
    fields = sorted(f.explode("categories")["categories"].unique())
    M = np.array([[c in cats for c in fields] + [dl] for cats, dl in zip(f["categories"], f["dl"])], float)
    ref = pd.DataFrame(cosine_similarity(M.T), index=fields + ["DL"], columns=fields + ["DL"])
    pd.testing.assert_frame_equal(sim, ref.loc[sim.index, sim.columns], atol=1e-12)
    assert sim.index[0] == "DL" and sim.index[1] == "cs.CV"


def test_report_section_on_small_corpora(tmp_path, geo_cache, make_openalex, monkeypatch):
    from aiprogress.geography import pipeline, report
    from aiprogress.reportkit import ReportContext

    works = make_openalex(tmp_path / "w.jsonl", n=150)
    an = pipeline.analyse("openalex", path=works)
    monkeypatch.setattr(report, "_analyses", lambda ctx: (an, an))
    html = report.geography_section(ReportContext())
    assert html.count("<figure") >= 5 and "Published vs ours" in html and "Natural Earth" in html
