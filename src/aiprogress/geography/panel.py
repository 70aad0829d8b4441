"""The best real panel the shared data supports for Eq. 6: countries in the Epoch corpus before/after 2012.

Per country i (only countries active in both periods and present in the CrunchBase regions file):

- ``rca_after`` / ``rca_before``: DL RCA from 2012 on / before 2012 (Epoch models, fractional counts);
- ``research_sp``: relatedness-weighted specialisation in DL-related research before the break,
  sum_f RCA_{i,f} r_f / sum_f r_f over Epoch domains f, with r_f the cosine similarity of domain f
  with DL on papers (the paper weights arXiv subjects the same way);
- ``research_tot``: log of all activity before the break;
- ``industry_tot``: log of the CrunchBase organisation total summed over the country's regions
  (``nesta_crunchbase_by_region_2018.csv``, the paper's own processed input);
- ``industry_sp``: the organisation-weighted mean sector entropy of those regions; a proxy: the
  file has no sector breakdown, so the paper's DL-related-industry share cannot be formed;
- ``is_china``, and ``country`` (the cluster).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from aiprogress.errors import DataNotFoundError, InputError
from aiprogress.geography.gpt import relatedness
from aiprogress.geography.metrics import rca_from_counts

CB_FILE = "geography/nesta_crunchbase_by_region_2018.csv"
NESTA_DL_FILE = "geography/nesta_dl_papers_by_country_year_1994-2020.csv"


def crunchbase_by_country(data_dir: str | Path | None = None) -> pd.DataFrame:
    from aiprogress.paths import resolve_data_dir

    p = resolve_data_dir(data_dir) / CB_FILE
    if not p.is_file():
        raise DataNotFoundError(f"{CB_FILE}: file not found at {p} (pass --data-dir)")
    cb = pd.read_csv(p)
    cb = cb.rename(columns={cb.columns[0]: "region_key"})
    for c in ("cb_totals", "cb_entropy"):
        if c not in cb:
            raise InputError("missing column", file=CB_FILE, column=c, expected="region key, cb_totals, cb_total_sectors, cb_entropy")
    cb["country_code"] = cb["region_key"].astype(str).str.split("_", n=1).str[0]
    cb = cb.dropna(subset=["cb_totals"])
    g = cb.groupby("country_code").apply(lambda s: pd.Series({
        "cb_totals": s["cb_totals"].sum(),
        "cb_entropy": np.average(s["cb_entropy"].fillna(0), weights=s["cb_totals"]) if s["cb_totals"].sum() > 0 else np.nan,
        "cb_regions": len(s)}), include_groups=False)
    return g.reset_index()


def nesta_dl_by_country(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The authors' own DL papers by country and year (long format: country, year, dl_papers)."""
    from aiprogress.paths import resolve_data_dir

    p = resolve_data_dir(data_dir) / NESTA_DL_FILE
    if not p.is_file():
        raise DataNotFoundError(f"{NESTA_DL_FILE}: file not found at {p} (pass --data-dir)")
    raw = pd.read_csv(p)
    if "institute_country" not in raw:
        raise InputError("missing column", file=NESTA_DL_FILE, column="institute_country", expected="institute_country, 1994..2020")
    years = [c for c in raw.columns if c.isdigit()]
    long = raw.melt(id_vars="institute_country", value_vars=years, var_name="year", value_name="dl_papers")
    long["year"] = long["year"].astype(int)
    bad = pd.to_numeric(long["dl_papers"], errors="coerce").isna()
    if bad.any():
        r = long[bad].iloc[0]
        raise InputError(f"not a count {r['dl_papers']!r}", file=NESTA_DL_FILE, column=str(r["year"]), expected="a number")
    return long.rename(columns={"institute_country": "country"}).astype({"dl_papers": float})


def epoch_country_panel(frame: pd.DataFrame, affiliations: pd.DataFrame, data_dir=None, split_year: int = 2012) -> pd.DataFrame:
    """Country panel for Eq. 6 from an analysed Epoch corpus (``frame`` with doc_id, year, categories, dl)."""
    aff = affiliations[affiliations["doc_id"].isin(frame["doc_id"]) & affiliations["country_code"].notna()]
    a = aff.merge(frame[["doc_id", "year", "dl", "categories"]], on="doc_id")
    a["after"] = a["year"] >= split_year
    per = a.assign(w_dl=a["weight"] * a["dl"]).groupby(["country_code", "after"])[["w_dl", "weight"]].sum().unstack("after")
    per = per.dropna()
    per = per[(per[("weight", False)] > 0) & (per[("weight", True)] > 0)]
    out = pd.DataFrame(index=per.index)
    for flag, name in ((False, "rca_before"), (True, "rca_after")):
        tot = a[a["after"] == flag]
        share = tot.loc[tot["dl"], "weight"].sum() / tot["weight"].sum()
        out[name] = (per[("w_dl", flag)] / per[("weight", flag)]) / share
    out["research_tot"] = np.log(per[("weight", False)])
    # relatedness-weighted field specialisation before the break
    pre = a[~a["after"]].explode("categories").dropna(subset=["categories"])
    rel = relatedness(frame[frame["year"] < split_year], top=None)
    if not pre.empty and "DL" in rel:
        r = rel["DL"].drop("DL").clip(lower=0)
        n_f = pre.groupby("doc_id")["categories"].transform("size")
        pre = pre.assign(w=pre["weight"] / n_f)
        cf = pre.pivot_table(index="country_code", columns="categories", values="w", aggfunc="sum", fill_value=0.0)
        rca_f = pd.DataFrame(rca_from_counts(cf.to_numpy().T, cf.sum(axis=1).to_numpy()[None, :].repeat(cf.shape[1], 0)).T,
                             index=cf.index, columns=cf.columns)
        w = r.reindex(cf.columns).fillna(0)
        out["research_sp"] = (rca_f.fillna(0) * w).sum(axis=1) / w.sum() if w.sum() > 0 else np.nan
    else:
        out["research_sp"] = np.nan
    cb = crunchbase_by_country(data_dir).set_index("country_code")
    out = out.join(cb, how="inner")
    out["industry_tot"] = np.log(out["cb_totals"])
    out["industry_sp"] = out["cb_entropy"]
    out["is_china"] = (out.index == "CN").astype(float)
    out["country"] = out.index
    return out.reset_index(drop=True)
