"""Inputs of the idea production function: dates and time windows, training
compute C, human capital S and the controls X.

Dates.  The benchmark tables only give the year.  A finer date is taken from
the arXiv identifier (``YYMM.NNNNN`` gives the month the paper first appeared;
the 15th of that month is used), else from the Epoch models table (same arXiv
id), else the year's 1 July.  ``date_source`` records which.

Windows.  A window of ``w`` months is the interval ``[k w, (k+1) w)`` of months
since January 2012 (:func:`time_window`).  Year-only rows sit at 1 July, so for
them 6-month windows coincide with yearly ones; rows dated by arXiv month use
the full resolution.

Compute C.  From :mod:`aiprogress.compute`: operation counting (3 x forward
FLOP x examples x epochs) and hardware time (chips x peak x seconds x
utilization); when both exist they are combined by their geometric mean (as
Besiroglu et al. App. E); else whichever exists; else the source's
``train_flop``.

Human capital S (``human_capital=``):

* ``"epoch"`` -- proxy from the Epoch models table: each row is matched to
  the Epoch entries of its paper by the rules of
  :mod:`aiprogress.ideas.epoch_join` (normalised arXiv id, exact normalised
  title, near-identical title by rapidfuzz >= 97, model name within a year;
  the rule and score are kept in ``hc_match`` / ``hc_match_score``).  For each
  author of the paper, the citations of their notable models published before
  the paper (never the paper's own entries);
  ``S = sum over authors of (1 + log(1 + prior citations))`` -- team size
  weighted by track record.  Rows without a match are dropped (complete-case
  estimation on the covered rows; the benchmark files carry no author lists, so
  nothing can be imputed for them).
* ``"paper_rows"`` -- fallback computable for every row: the number of model
  rows the paper reports on the benchmark (more variants ~ a larger
  experimental programme).  A weak proxy; use it only when the Epoch join
  covers too little.
* ``"auto"`` (default) -- ``"epoch"`` when the join covers at least
  :data:`AUTO_MIN_COVERAGE` (80%) of the usable rows of EVERY selected
  benchmark (a pooled share can hide a benchmark that the complete-case rule
  would almost empty), else ``"paper_rows"`` for every row: one proxy for all
  rows keeps the pooled gamma on one scale.  The choice and the coverage by
  benchmark are written to the sample's notes.
* ``"learned"`` -- the learned score of :mod:`aiprogress.humancapital`
  (network trained on the Epoch table's own author histories) for the team of
  the matched Epoch entries (same join as ``"epoch"``), at the earlier of the
  row's and the entries' dates: ``S = exp(unit)``.  Unmatched rows are dropped.
* a path to a CSV with a ``human_capital`` column and a key column
  (``arxiv_id`` or ``paper_title``, optionally with ``model``), e.g. the
  learned score of :mod:`aiprogress.humancapital`.

Controls.  ``extra_data``: the data's flag where present, else a rule -- the
model's ``train_examples`` exceed the benchmark's standard training set by 5%,
or its name/title mentions an external corpus (JFT, Instagram, ImageNet-21k/
22k, "billion", pre-training) -- else False.  ``reimplementation``: the model
name says so ("reimplementation", "reproduced", "our impl"), or the same
normalised model name was reported on the benchmark by an earlier paper.
``years_since_2012`` from the date.  A controls CSV (same keys as the human
capital CSV, columns ``extra_data`` and/or ``reimplementation``) overrides.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from aiprogress.data.csvio import list_cell
from aiprogress.errors import InputError
from aiprogress.ideas.memo import Memo, fingerprint

AUTO_MIN_COVERAGE = 0.8
EPOCH_2012 = pd.Timestamp("2012-01-01")
#: Standard training-set sizes (examples) of the benchmarks, for the extra-data rule.
STANDARD_TRAIN_EXAMPLES = {"imagenet": 1_281_167, "ms_coco": 118_287}
_EXTRA_HINTS = re.compile(r"jft|instagram|\big[-_ ]|21k|22k|billion|pre-?train|extra data|external data", re.I)
_REIMPL_HINTS = re.compile(r"re-?implement|reproduc|our impl|\(impl", re.I)


def _norm(s: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(s).lower()) if s is not None and not (isinstance(s, float) and math.isnan(s)) else ""


# --------------------------------------------------------------------------- dates
def arxiv_month(arxiv_id: Any) -> pd.Timestamp | None:
    """15th of the month encoded in a new-style arXiv id (``1709.01507`` -> 2017-09-15)."""
    if not isinstance(arxiv_id, str):
        return None
    m = re.match(r"^(\d{2})(\d{2})\.\d{4,5}", arxiv_id.strip())
    if not m:
        return None
    yy, mm = int(m.group(1)), int(m.group(2))
    if not 1 <= mm <= 12 or yy < 7:
        return None
    return pd.Timestamp(2000 + yy, mm, 15)


def row_dates(frame: pd.DataFrame, models: pd.DataFrame | None = None) -> tuple[pd.Series, pd.Series]:
    """Best available date per row and where it came from (``arxiv``/``epoch``/``year``)."""
    dates = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    source = pd.Series("", index=frame.index, dtype=object)
    if "date" in frame.columns:
        d = pd.to_datetime(frame["date"], errors="coerce")
        dates.loc[d.notna()] = d[d.notna()]
        source.loc[d.notna()] = "given"
    if "arxiv_id" in frame.columns:
        a = frame["arxiv_id"].map(arxiv_month)
        use = dates.isna() & a.notna()
        dates.loc[use] = pd.to_datetime(a[use])
        source.loc[use] = "arxiv"
        if models is not None and "arxiv_id" in models.columns:
            pub = models.dropna(subset=["arxiv_id"]).groupby("arxiv_id")["publication_date"].min()
            e = frame["arxiv_id"].map(pub)
            use = dates.isna() & e.notna()
            dates.loc[use] = pd.to_datetime(e[use])
            source.loc[use] = "epoch"
    if "year" in frame.columns:
        y = pd.to_numeric(frame["year"], errors="coerce")
        use = dates.isna() & y.notna()
        dates.loc[use] = pd.to_datetime({"year": y[use].astype(int), "month": 7, "day": 1})
        source.loc[use] = "year"
    return dates, source


def years_since_2012(dates: pd.Series) -> pd.Series:
    return (pd.to_datetime(dates) - EPOCH_2012).dt.days / 365.25


def time_window(dates: pd.Series, window_months: int) -> pd.Series:
    """Index of the ``window_months``-long window since January 2012 for each date."""
    d = dates if isinstance(dates, pd.Series) and dates.dtype.kind == "M" else pd.to_datetime(dates)
    if isinstance(d, pd.Series) and d.dtype.kind == "M":  # tz-naive: the same arithmetic on NumPy calendar units
        v = d.to_numpy()
        ok = ~np.isnat(v)
        day, month, year = v.astype("datetime64[D]"), v.astype("datetime64[M]"), v.astype("datetime64[Y]")
        dim = ((month + 1).astype("datetime64[D]") - month.astype("datetime64[D]")).astype(np.int64)
        months = ((year.astype(np.int64) + 1970 - 2012) * 12 + (month - year).astype(np.int64)
                  + (day - month.astype("datetime64[D]")).astype(np.int64) / np.where(ok, dim, 1))
        return pd.Series(np.where(ok, np.floor(months / window_months), np.nan), index=d.index).astype("Int64")
    months = (d.dt.year - 2012) * 12 + (d.dt.month - 1) + (d.dt.day - 1) / d.dt.days_in_month
    return np.floor(months / window_months).astype("Int64")


# --------------------------------------------------------------------------- compute
def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.to_numeric(frame[col], errors="coerce").astype(float)


def training_compute(frame: pd.DataFrame, hardware: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-row training FLOP by operation counting, by hardware time and combined.

    Uses ``aiprogress.compute.estimate_benchmark_results`` with the hardware
    table; without one, the compute package's formulas on the rows' recorded
    per-device GFLOPS.  Returns columns
    ``train_flop_operations``, ``train_flop_hardware``, ``train_flop`` and
    ``compute_method`` indexed like ``frame``.
    """
    out = pd.DataFrame(index=frame.index)
    if hardware is not None:
        from aiprogress.compute import estimate_benchmark_results

        est = estimate_benchmark_results(frame, hardware)
        ops = pd.Series(est["train_flop_operations"].to_numpy(), index=frame.index)
        hw = pd.Series(est["train_flop_hardware"].to_numpy(), index=frame.index)
    else:
        # No hardware table (e.g. a user-prepared sample): the same formulas on the
        # per-device GFLOPS the rows record, at the default utilization.
        from aiprogress.compute.estimate import DEFAULT_UTILIZATION, hardware_train_flop, operations_train_flop

        ops = pd.Series(
            operations_train_flop(_num(frame, "forward_flop"), _num(frame, "train_examples"), _num(frame, "epochs")),
            index=frame.index,
        )
        hw = pd.Series(
            hardware_train_flop(
                _num(frame, "processor_count"), _num(frame, "processor_gflops") * 1e9, _num(frame, "train_seconds"),
                DEFAULT_UTILIZATION,
            ),
            index=frame.index,
        )
    ops = pd.to_numeric(ops, errors="coerce").where(lambda v: v > 0)
    hw = pd.to_numeric(hw, errors="coerce").where(lambda v: v > 0)
    out["train_flop_operations"] = ops
    out["train_flop_hardware"] = hw
    both = ops.notna() & hw.notna()
    comb = np.where(both, np.sqrt(ops * hw), np.where(ops.notna(), ops, hw))
    method = np.where(both, "geometric mean", np.where(ops.notna(), "operations", np.where(hw.notna(), "hardware", "")))
    given = _num(frame, "train_flop")
    use_given = np.isnan(comb.astype(float)) & given.notna().to_numpy() & (given > 0).to_numpy()
    comb = np.where(use_given, given, comb)
    method = np.where(use_given, "source", method)
    out["train_flop"] = comb.astype(float)
    out["compute_method"] = method
    return out


# --------------------------------------------------------------------------- human capital
_RECORDS = Memo(4)


def _author_records(models: pd.DataFrame) -> tuple[dict[str, list[tuple[int, float, Any]]], dict[Any, list[str]], dict[Any, Any]]:
    """Per author, (date as ns since 1970, citations, models index) of each dated notable model, plus each entry's
    authors and date -- built once per process for the same table content (keyed on the columns read).

    Integer nanoseconds compare like the timestamps, at a fraction of the cost.
    """
    def build() -> tuple[dict[str, list[tuple[int, float, Any]]], dict[Any, list[str]], dict[Any, Any]]:
        authors = models["authors"].map(list_cell)
        date = pd.to_datetime(models["publication_date"], errors="coerce")
        cit = pd.to_numeric(models["citations"], errors="coerce").fillna(0.0)
        records: dict[str, list[tuple[int, float, Any]]] = {}
        for i, auths, d, c in zip(models.index, authors, date, cit):
            if pd.isna(d):
                continue
            for a in auths:
                records.setdefault(a, []).append((d.value, c, i))
        return records, authors.to_dict(), date.to_dict()

    return _RECORDS.get(fingerprint(models, ("authors", "publication_date", "citations")), build)


def epoch_human_capital(frame: pd.DataFrame, models: pd.DataFrame, dates: pd.Series) -> pd.DataFrame:
    """The Epoch-join proxy (see module docs): columns ``human_capital``,
    ``team_size``, ``prior_models``, ``prior_citations`` (NaN where unmatched),
    ``hc_match`` (matching rule) and ``hc_match_score`` (see :mod:`aiprogress.ideas.epoch_join`).

    "Prior" means published strictly before the paper -- before the earlier of
    the row's date and the Epoch publication date of the matched entries -- and
    never the matched entries themselves (the paper's own citations would leak
    its impact into S).
    """
    from aiprogress.ideas.epoch_join import match_epoch

    records, m_authors, m_date = _author_records(models)
    match = match_epoch(frame, models)
    nan4 = [math.nan] * 4
    values: list[list[float]] = []
    rule = match["hc_match"].tolist()
    score = match["hc_match_score"].tolist()
    for k, (hits, when) in enumerate(zip(match["epoch_rows"], dates.loc[frame.index])):
        team = sorted({a for i in hits for a in m_authors[i]})
        if not team:
            values.append(nan4)
            rule[k], score[k] = None, math.nan
            continue
        own = set(hits)
        own_dates = [m_date[i] for i in hits if pd.notna(m_date[i])]
        if own_dates:
            when = min([when, *own_dates]) if pd.notna(when) else min(own_dates)
        prior_models = 0
        total = 0.0
        hc = 0.0
        cut = pd.Timestamp(when).value if pd.notna(when) else None  # no date: nothing counts as earlier
        for a in team:
            prev = [c for d, c, i in records.get(a, []) if d < cut and i not in own] if cut is not None else []
            prior_models += len(prev)
            cit = float(sum(prev))
            total += cit
            hc += 1.0 + math.log1p(cit)
        values.append([hc, float(len(team)), float(prior_models), total])
    out = pd.DataFrame(np.array(values, dtype=float).reshape(len(values), 4), index=frame.index,
                       columns=["human_capital", "team_size", "prior_models", "prior_citations"])
    out["hc_match"] = pd.Series(rule, index=frame.index, dtype=match["hc_match"].dtype)
    out["hc_match_score"] = pd.Series(score, index=frame.index, dtype=float)
    return out


def learned_human_capital(frame: pd.DataFrame, models: pd.DataFrame, dates: pd.Series, **kwargs: Any) -> pd.DataFrame:
    """The learned proxy (see module docs): ``human_capital``, ``hc_unit``, ``team_size``, ``hc_match``, ``hc_match_score``."""
    from aiprogress.humancapital.score import score_teams  # ideas -> humancapital (lazy; never the other way)
    from aiprogress.ideas.epoch_join import match_epoch

    match = match_epoch(frame, models)
    when = pd.to_datetime(models["publication_date"], errors="coerce")
    teams, at = [], []
    for idx in frame.index:
        hits = match.at[idx, "epoch_rows"]
        teams.append(list(dict.fromkeys(a for i in hits for a in list_cell(models.at[i, "authors"]))))
        own = [when.at[i] for i in hits if pd.notna(when.at[i])]
        d = dates.at[idx]
        at.append(min([d, *own]) if pd.notna(d) and own else (min(own) if own else d))
    s = score_teams(teams, at, models=models, **kwargs)
    out = pd.DataFrame({"human_capital": s["human_capital"].to_numpy(), "hc_unit": s["hc_unit"].to_numpy(),
                        "team_size": s["team_size"].to_numpy()}, index=frame.index)
    out["hc_match"] = match["hc_match"]
    out["hc_match_score"] = match["hc_match_score"]
    out.attrs.update(s.attrs)
    return out


def paper_rows_human_capital(frame: pd.DataFrame) -> pd.Series:
    """Fallback proxy: rows the same paper reports on the same benchmark."""
    key = frame["benchmark"].astype(str) + "|" + frame.get("paper_title", frame.get("url", pd.Series("", index=frame.index))).fillna(frame.get("url", "")).astype(str)
    return key.map(key.value_counts()).astype(float)


def _read_keyed_csv(path: str | Path, value_cols: list[str], any_of: bool = False) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=path, expected="a CSV file")
    user = pd.read_csv(path)
    keys = [k for k in ("arxiv_id", "paper_title") if k in user.columns]
    if not keys:
        raise InputError("no key column", file=path, line=1, column="arxiv_id", expected="a column 'arxiv_id' or 'paper_title'")
    present = [c for c in value_cols if c in user.columns]
    if not present or (not any_of and len(present) < len(value_cols)):
        raise InputError("missing value column", file=path, line=1, column=value_cols[0], expected="column(s) " + ", ".join(value_cols))
    for c in present:
        vals = pd.to_numeric(user[c].replace({True: 1, False: 0, "True": 1, "False": 0, "true": 1, "false": 0}), errors="coerce")
        bad = vals.isna() & user[c].notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"value {user[c].iloc[i]!r} is not a number", file=path, line=i + 2, column=c, expected="a number")
        if c == "human_capital" and (vals <= 0).any():
            i = int(np.flatnonzero((vals <= 0).to_numpy())[0])
            raise InputError(f"value {user[c].iloc[i]!r} is not positive", file=path, line=i + 2, column=c, expected="a positive number (it enters as log S)")
        user[c] = vals
    user["_key"] = user[keys[0]].map(_norm)
    if "model" in user.columns:
        user["_key"] = user["_key"] + "|" + user["model"].map(_norm)
    return user


def join_keyed_csv(frame: pd.DataFrame, path: str | Path, value_cols: list[str], any_of: bool = False) -> pd.DataFrame:
    """Values from a user CSV keyed by ``arxiv_id`` or ``paper_title`` (optionally plus ``model``)."""
    user = _read_keyed_csv(path, value_cols, any_of)
    key_col = "arxiv_id" if "arxiv_id" in user.columns else "paper_title"
    key = frame[key_col].map(_norm) if key_col in frame.columns else pd.Series("", index=frame.index)
    if "model" in user.columns:
        key = key + "|" + frame["model"].map(_norm)
    lookup = user.drop_duplicates("_key").set_index("_key")
    out = pd.DataFrame(index=frame.index)
    for c in value_cols:
        if c in lookup.columns:
            out[c] = key.map(lookup[c])
    return out


# --------------------------------------------------------------------------- controls
def extra_data_rule(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """``extra_data`` flag and its provenance (``data``/``rule``/``assumed``)."""
    given = frame["extra_data"] if "extra_data" in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    flag = pd.Series(False, index=frame.index, dtype=bool)
    how = pd.Series("assumed", index=frame.index, dtype=object)
    ex = _num(frame, "train_examples")
    std = frame["benchmark"].map(STANDARD_TRAIN_EXAMPLES)
    text = frame.get("model", pd.Series("", index=frame.index)).fillna("").astype(str) + " " + frame.get("paper_title", pd.Series("", index=frame.index)).fillna("").astype(str)
    hint = text.str.contains(_EXTRA_HINTS)
    by_size = ex.notna() & std.notna()
    flag.loc[by_size] = (ex[by_size] > 1.05 * std[by_size]).astype(bool).to_numpy()
    how.loc[by_size | hint] = "rule"
    flag.loc[hint] = True
    known = given.notna()
    flag.loc[known] = given[known].astype(bool)
    how.loc[known] = "data"
    return flag.astype(float), how


def reimplementation_rule(frame: pd.DataFrame, dates: pd.Series) -> pd.Series:
    """1 if the model name says it is a re-implementation or an earlier paper reported the same model."""
    name = frame["model"].fillna("").astype(str)
    flag = name.str.contains(_REIMPL_HINTS)
    base = name.str.replace(_REIMPL_HINTS, "", regex=True).map(_norm)
    paper = frame.get("paper_title", frame.get("url", pd.Series("", index=frame.index))).fillna("").astype(str).map(_norm)
    first: dict[tuple[str, str], tuple[pd.Timestamp, str]] = {}
    order = dates.sort_values(kind="stable").index
    for i in order:
        k = (frame.at[i, "benchmark"], base.at[i])
        if k not in first:
            first[k] = (dates.at[i], paper.at[i])
    earlier = pd.Series(
        [bool(base.at[i]) and first[(frame.at[i, "benchmark"], base.at[i])][1] != paper.at[i] and first[(frame.at[i, "benchmark"], base.at[i])][0] < dates.at[i] for i in frame.index],
        index=frame.index,
    )
    return (flag | earlier).astype(float)
