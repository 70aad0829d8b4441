"""Revealed comparative advantage, concentration and dispersion, with a bootstrap over papers.

Activity of a location i is the sum of its fractional affiliation weights (a paper's weights sum
to 1 over its located rows). With DL activity A_dl,i and all activity A_all,i:

- RCA_i = (A_dl,i / A_all,i) / (A_dl / A_all); its activity-weighted mean
  sum_i (A_all,i / A_all) RCA_i equals 1 exactly;
- concentration of DL activity: top-k share sum of the k largest s_i = A_dl,i / A_dl and
  the Herfindahl index HHI = sum_i s_i^2, in [1/n, 1] for n active locations;
- dispersion of RCA by year: standard deviation and interquartile range of RCA across the
  locations with at least ``min_activity`` activity that year.

Uncertainty: a nonparametric bootstrap over papers (papers resampled with replacement, each
bringing all its affiliation rows); 95% percentile intervals. When resampling is so degenerate
that the percentile interval misses the point estimate (tiny samples), the interval is widened
to include it and ``widened`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table


def activity_table(papers: pd.DataFrame, affiliations: pd.DataFrame, dl: pd.Series | np.ndarray, by: str = "country_code",
                   period: int | None = None) -> pd.DataFrame:
    """One row per paper x location: doc_id, location, weight, dl, year, period ('before'/'after' a break year)."""
    if by not in ("country_code", "region"):
        raise ParameterError("by", f"'{by}'", expected="country_code or region")
    flags = pd.Series(np.asarray(dl, bool), index=papers["doc_id"].to_numpy())
    aff = affiliations.dropna(subset=[by])
    aff = aff[aff["doc_id"].isin(flags.index)]
    year = papers.set_index("doc_id")["year"]
    out = pd.DataFrame({"doc_id": aff["doc_id"].to_numpy(), "location": aff[by].astype(str).to_numpy(),
                        "weight": aff["weight"].astype(float).to_numpy()})
    out["dl"] = flags.reindex(out["doc_id"]).to_numpy()
    out["year"] = year.reindex(out["doc_id"]).to_numpy()
    if "date" in papers:
        out["month"] = papers.set_index("doc_id")["date"].dt.strftime("%Y-%m").reindex(out["doc_id"]).to_numpy()
    if out.empty:
        raise ParameterError("by", f"no located rows with a {by.replace('_code', '')}",
                             expected="a corpus whose affiliations carry this level (regions need coordinates or a university match)")
    if period is not None:
        out["period"] = np.where(out["year"] < period, f"before {period}", f"{period} on")
    return out


def rca_from_counts(dl_count: np.ndarray, all_count: np.ndarray) -> np.ndarray:
    """RCA of each location from its DL and all activity (NaN where a location has no activity)."""
    dl_count, all_count = np.asarray(dl_count, float), np.asarray(all_count, float)
    tot_dl, tot_all = dl_count.sum(axis=-1, keepdims=True), all_count.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (dl_count / all_count) / (tot_dl / tot_all)


def hhi(counts: np.ndarray) -> np.ndarray:
    c = np.asarray(counts, float)
    s = c / c.sum(axis=-1, keepdims=True)
    return (s ** 2).sum(axis=-1)


def top_k_share(counts: np.ndarray, k: int) -> np.ndarray:
    c = np.sort(np.asarray(counts, float), axis=-1)[..., ::-1]
    return c[..., :k].sum(axis=-1) / c.sum(axis=-1)


def _design(act: pd.DataFrame) -> tuple[np.ndarray, list[str], object, object]:
    """Papers x locations sparse matrices of all and DL weight."""
    from scipy.sparse import csr_matrix

    docs, d_idx = np.unique(act["doc_id"].to_numpy(), return_inverse=True)
    locs, l_idx = np.unique(act["location"].to_numpy(), return_inverse=True)
    w = act["weight"].to_numpy(float)
    P = csr_matrix((w, (d_idx, l_idx)), shape=(len(docs), len(locs)))
    Pdl = csr_matrix((w * act["dl"].to_numpy(bool), (d_idx, l_idx)), shape=(len(docs), len(locs)))
    return docs, list(locs), P, Pdl


def _boot_counts(n_docs: int, draws: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=draws).astype(np.float64)


def _interval(point: np.ndarray, boot: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore"):
        lo = np.nanpercentile(boot, 2.5, axis=0) if len(boot) else np.full_like(point, np.nan)
        hi = np.nanpercentile(boot, 97.5, axis=0) if len(boot) else np.full_like(point, np.nan)
    fin = np.isfinite(point) & np.isfinite(lo) & np.isfinite(hi)
    widened = fin & ((point < lo) | (point > hi))
    lo = np.where(widened, np.minimum(lo, point), lo)
    hi = np.where(widened, np.maximum(hi, point), hi)
    return lo, hi, widened


@dataclass(frozen=True)
class RCAResult(Result):
    """RCA by location (and group, e.g. period), with bootstrap intervals."""

    table: pd.DataFrame
    by: str
    groups: str | None
    draws: int
    seed: int
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def to_dict(self) -> dict:
        return {"by": self.by, "groups": self.groups, "draws": self.draws, "seed": self.seed, "sources": list(self.sources),
                "notes": list(self.notes), "rows": _records(self.table)}

    def summary(self) -> str:
        cols = [c for c in ["group", "location", "dl", "all", "rca", "rca_low", "rca_high"] if c in self.table]
        top = self.table.sort_values(["group", "all"] if "group" in self.table else ["all"], ascending=False)
        return format_table(top[cols].head(40), title=f"RCA by {self.by} ({self.draws} bootstrap draws over papers)") + \
            ("\n" + "\n".join(self.notes) if self.notes else "")


def _records(frame: pd.DataFrame) -> list[dict]:
    from aiprogress.results import jsonable

    return jsonable(frame)


def rca_table(act: pd.DataFrame, group: str | None = None, draws: int = 200, seed: int = 0, min_activity: float = 0.0) -> pd.DataFrame:
    """RCA per location (within each ``group`` value, e.g. period or year) with 95% bootstrap intervals."""
    if draws < 0:
        raise ParameterError("draws", f"{draws}", expected="a non-negative number of bootstrap draws")
    parts = []
    groups = [(None, act)] if group is None else list(act.groupby(group, sort=True))
    for gi, (g, sub) in enumerate(groups):
        if sub.empty:
            continue
        docs, locs, P, Pdl = _design(sub)
        A = np.asarray(P.sum(axis=0)).ravel()
        D = np.asarray(Pdl.sum(axis=0)).ravel()
        point = rca_from_counts(D, A)
        if draws:
            C = _boot_counts(len(docs), draws, seed + gi)
            Ab, Db = (P.T @ C.T).T, (Pdl.T @ C.T).T
            boot = rca_from_counts(Db, Ab)
        else:
            boot = np.empty((0, len(locs)))
        lo, hi, wid = _interval(point, boot)
        frame = pd.DataFrame({"location": locs, "dl": D, "all": A, "share_dl": D / D.sum() if D.sum() else np.nan,
                              "share_all": A / A.sum(), "rca": point, "rca_low": lo, "rca_high": hi, "widened": wid})
        if group is not None:
            frame.insert(0, "group", g)
        parts.append(frame[frame["all"] >= min_activity])
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return out


def concentration_by(act: pd.DataFrame, group: str = "year", k: int = 10, draws: int = 200, seed: int = 0,
                     which: str = "dl") -> pd.DataFrame:
    """Top-k share and HHI of DL (or all) activity per group with 95% bootstrap intervals."""
    if k < 1:
        raise ParameterError("k", f"{k}", expected="at least 1")
    if which not in ("dl", "all"):
        raise ParameterError("which", f"'{which}'", expected="dl or all")
    rows = []
    for gi, (g, sub) in enumerate(act.groupby(group, sort=True)):
        docs, locs, P, Pdl = _design(sub)
        M = Pdl if which == "dl" else P
        c = np.asarray(M.sum(axis=0)).ravel()
        if c.sum() <= 0:
            continue
        pt_h, pt_k = hhi(c), top_k_share(c, k)
        if draws:
            Cb = _boot_counts(len(docs), draws, seed + gi)
            cb = (M.T @ Cb.T).T
            ok = cb.sum(axis=1) > 0
            bh, bk = hhi(cb[ok]), top_k_share(cb[ok], k)
        else:
            bh = bk = np.empty(0)
        lo_h, hi_h, w_h = _interval(np.array([pt_h]), bh[:, None])
        lo_k, hi_k, w_k = _interval(np.array([pt_k]), bk[:, None])
        rows.append({group: g, "activity": float(c.sum()), "locations": int((c > 0).sum()), "hhi": float(pt_h),
                     "hhi_low": float(lo_h[0]), "hhi_high": float(hi_h[0]), f"top{k}_share": float(pt_k),
                     f"top{k}_low": float(lo_k[0]), f"top{k}_high": float(hi_k[0]), "widened": bool(w_h[0] or w_k[0])})
    return pd.DataFrame(rows)


def dispersion_by_year(act: pd.DataFrame, min_activity: float = 5.0, top: int | None = 50) -> pd.DataFrame:
    """Standard deviation, IQR and coefficient of variation of RCA across locations per year."""
    rows = []
    for y, sub in act.groupby("year", sort=True):
        g = sub.groupby("location").apply(lambda s: pd.Series({"all": s["weight"].sum(), "dl": s.loc[s["dl"], "weight"].sum()}),
                                          include_groups=False)
        g = g[g["all"] >= min_activity]
        if top is not None:
            g = g.nlargest(top, "all")
        if len(g) < 2 or g["dl"].sum() == 0:
            continue
        r = rca_from_counts(g["dl"].to_numpy(), g["all"].to_numpy())
        rows.append({"year": int(y), "locations": len(g), "rca_sd": float(np.std(r, ddof=1)),
                     "rca_iqr": float(np.subtract(*np.percentile(r, [75, 25]))), "rca_cv": float(np.std(r, ddof=1) / np.mean(r))})
    return pd.DataFrame(rows)


def share_table(act: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """Each location's share of DL and of non-DL activity (the paper's 'China is over-represented in DL')."""
    g = act.assign(w_dl=act["weight"] * act["dl"], w_non=act["weight"] * ~act["dl"]).groupby("location")[["w_dl", "w_non"]].sum()
    out = pd.DataFrame({"share_dl": g["w_dl"] / g["w_dl"].sum(), "share_non_dl": g["w_non"] / g["w_non"].sum()})
    out["ratio"] = out["share_dl"] / out["share_non_dl"]
    return out.sort_values("share_dl", ascending=False).head(top).reset_index()


def weighted_mean_rca(dl_count: Sequence[float], all_count: Sequence[float]) -> float:
    """Activity-weighted mean of RCA over locations (equals 1)."""
    a = np.asarray(all_count, float)
    r = rca_from_counts(dl_count, a)
    m = a > 0
    return float((a[m] / a[m].sum() * r[m]).sum())
