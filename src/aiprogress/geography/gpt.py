"""The paper's three GPT tests (growth, generality, impact) and research relatedness between fields.

- growth: the DL share by year, and before/after a break year where the corpus spans it;
- generality: the DL share by field (category/domain) and period, and how many fields' DL
  share crosses ``threshold``; a paper counts in every field it lists (as in the paper);
- impact: per year, papers in the top citation quartile are "highly cited"; per field, the DL
  share among highly cited papers vs among all papers (corpora without citations: not available);
- relatedness: cosine similarity of fields' paper-incidence vectors (co-occurrence on papers),
  with DL as one more "field".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table


def _fields(frame: pd.DataFrame, top: int | None) -> pd.DataFrame:
    ex = frame[["doc_id", "year", "categories", "dl"] + (["citations"] if "citations" in frame else [])].explode("categories")
    ex = ex.dropna(subset=["categories"]).rename(columns={"categories": "field"})
    if top is not None:
        keep = ex["field"].value_counts().head(top).index
        ex = ex[ex["field"].isin(keep)]
    return ex


def growth(frame: pd.DataFrame, split_year: int = 2012) -> pd.DataFrame:
    g = frame.groupby("year").agg(papers=("doc_id", "size"), dl=("dl", "sum")).reset_index()
    g["dl_share"] = g["dl"] / g["papers"]
    g["period"] = np.where(g["year"] < split_year, f"before {split_year}", f"{split_year} on")
    return g


def generality(frame: pd.DataFrame, split_year: int | None = 2012, top: int | None = 25, threshold: float = 0.1,
               min_papers: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(DL share by field and period, count of fields above ``threshold`` per period)."""
    if not 0 < threshold < 1:
        raise ParameterError("threshold", f"{threshold}", expected="a share in (0, 1)")
    ex = _fields(frame, top)
    if split_year is not None and ex["year"].min() < split_year <= ex["year"].max():
        ex["period"] = np.where(ex["year"] < split_year, f"before {split_year}", f"{split_year} on")
    else:
        ex["period"] = ex["year"].astype(str)
    t = ex.groupby(["field", "period"]).agg(papers=("doc_id", "nunique"), dl_share=("dl", "mean")).reset_index()
    t = t[t["papers"] >= min_papers]
    above = t.assign(above=t["dl_share"] >= threshold).groupby("period").agg(fields=("field", "size"),
                                                                             fields_above=("above", "sum")).reset_index()
    above["threshold"] = threshold
    return t, above


def impact(frame: pd.DataFrame, top: int | None = 25, min_papers: int = 5) -> pd.DataFrame:
    """Per field: DL share among all papers and among the highly cited (top citation quartile of their year)."""
    if "citations" not in frame or frame["citations"].notna().sum() == 0:
        return pd.DataFrame(columns=["field", "papers", "highly_cited", "dl_share", "dl_share_highly_cited"])
    f = frame[frame["citations"].notna()].copy()
    q = f.groupby("year")["citations"].transform(lambda s: s.quantile(0.75))
    f["highly_cited"] = f["citations"] >= q
    ex = _fields(f.assign(dl=f["dl"]), top).merge(f[["doc_id", "highly_cited"]], on="doc_id")
    rows = []
    for fld, s in ex.groupby("field"):
        if len(s) < min_papers:
            continue
        hc = s[s["highly_cited"]]
        rows.append({"field": fld, "papers": int(s["doc_id"].nunique()), "highly_cited": int(hc["doc_id"].nunique()),
                     "dl_share": float(s["dl"].mean()), "dl_share_highly_cited": float(hc["dl"].mean()) if len(hc) else np.nan})
    out = pd.DataFrame(rows)
    allrow = {"field": "(all)", "papers": int(len(f)), "highly_cited": int(f["highly_cited"].sum()),
              "dl_share": float(f["dl"].mean()), "dl_share_highly_cited": float(f.loc[f["highly_cited"], "dl"].mean())}
    return pd.concat([pd.DataFrame([allrow]), out], ignore_index=True)


def relatedness(frame: pd.DataFrame, top: int | None = 20) -> pd.DataFrame:
    """Cosine similarity between fields (and DL) from their co-occurrence on papers; sorted by similarity to DL."""
    ex = _fields(frame, top)
    if ex.empty:
        return pd.DataFrame()
    docs = pd.Index(frame["doc_id"].unique())
    fields = sorted(ex["field"].unique())
    M = np.zeros((len(docs), len(fields) + 1))
    M[docs.get_indexer(ex["doc_id"]), [fields.index(f) for f in ex["field"]]] = 1.0
    M[:, -1] = frame.drop_duplicates("doc_id").set_index("doc_id").reindex(docs)["dl"].to_numpy(float)
    norms = np.sqrt((M ** 2).sum(axis=0))
    norms[norms == 0] = np.nan
    sim = (M.T @ M) / np.outer(norms, norms)
    names = fields + ["DL"]
    out = pd.DataFrame(sim, index=names, columns=names)
    order = out["DL"].sort_values(ascending=False).index
    return out.loc[order, order]


@dataclass(frozen=True)
class GPTResult(Result):
    growth: pd.DataFrame
    generality: pd.DataFrame
    generality_counts: pd.DataFrame
    impact: pd.DataFrame
    corpus: str
    sources: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return self.growth

    def to_dict(self) -> dict:
        from aiprogress.results import jsonable

        return {"corpus": self.corpus, "sources": list(self.sources), "growth": jsonable(self.growth),
                "generality": jsonable(self.generality), "generality_counts": jsonable(self.generality_counts),
                "impact": jsonable(self.impact), "impact_available": bool(len(self.impact))}

    def summary(self) -> str:
        parts = [format_table(self.growth, title=f"GPT test 1, growth: DL share by year ({self.corpus})"),
                 format_table(self.generality_counts, title="GPT test 2, generality: fields above the DL-share threshold")]
        parts.append(format_table(self.impact, title="GPT test 3, impact: DL share among highly cited (top quartile)")
                     if len(self.impact) else "GPT test 3, impact: not available (the corpus has no citation counts)")
        return "\n\n".join(parts)


def gpt_tests(frame: pd.DataFrame, corpus: str, split_year: int = 2012, threshold: float = 0.1, sources=()) -> GPTResult:
    gen, counts = generality(frame, split_year, threshold=threshold)
    return GPTResult(growth(frame, split_year), gen, counts, impact(frame), corpus, tuple(sources))
