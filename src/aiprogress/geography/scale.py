"""Aggregation at scale: RCA, concentration and dispersion by location x year (x field) in DuckDB over Parquet.

The input is an activity table (one row per paper x location: ``doc_id``, ``location``,
``weight``, ``dl``, ``year`` and optionally ``field``) stored as Parquet; DuckDB streams it, so a
full-arXiv table (millions of rows) aggregates on one machine. :func:`aggregate_pandas` is the
straightforward pandas implementation of the same numbers (the reference in tests and the
benchmark).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from aiprogress.errors import InputError, ParameterError

NEEDED = ("doc_id", "location", "weight", "dl", "year")


def write_parquet_atomic(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as Parquet atomically (via :func:`aiprogress.fileio.write_bytes_atomic`)."""
    import io

    from aiprogress.fileio import write_bytes_atomic

    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return write_bytes_atomic(buf.getvalue(), path)


def _check(path: Path, con) -> list[str]:
    if not path.is_file():
        raise InputError("file not found", file=str(path), expected="a Parquet activity table")
    try:
        cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path.as_posix()}')").fetchall()]
    except Exception as exc:  # duckdb raises its own error classes
        raise InputError(f"not a readable Parquet file ({type(exc).__name__})", file=str(path)) from None
    missing = [c for c in NEEDED if c not in cols]
    if missing:
        raise InputError("missing columns " + ", ".join(missing), file=str(path), column=missing[0],
                         expected="columns " + ", ".join(NEEDED))
    return cols


def aggregate_duckdb(path: str | Path, *, by_field: bool = False, k: int = 10, threads: int | None = None) -> dict[str, pd.DataFrame]:
    """``{"rca": location x year (x field) RCA, "concentration": per year (x field) top-k share and HHI of DL,
    "dispersion": per year (x field) SD of RCA}`` computed in DuckDB from a Parquet activity table."""
    import duckdb

    if k < 1:
        raise ParameterError("k", f"{k}", expected="at least 1")
    path = Path(path)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads={int(threads)}")
    cols = _check(path, con)
    if by_field and "field" not in cols:
        raise InputError("missing column field", file=str(path), column="field", expected="a 'field' column for by_field")
    g = "year, field" if by_field else "year"
    src = f"read_parquet('{path.as_posix()}')"
    con.execute(f"""
        CREATE TEMP TABLE loc AS
        SELECT {g}, location, SUM(weight) AS a_all, SUM(CASE WHEN dl THEN weight ELSE 0 END) AS a_dl
        FROM {src} GROUP BY {g}, location""")
    rca = con.execute(f"""
        SELECT {g}, location, a_dl, a_all,
               (a_dl / a_all) / (NULLIF(SUM(a_dl) OVER (PARTITION BY {g}), 0) / SUM(a_all) OVER (PARTITION BY {g})) AS rca
        FROM loc ORDER BY {g}, location""").df()
    conc = con.execute(f"""
        WITH s AS (
            SELECT {g}, location, a_dl / SUM(a_dl) OVER (PARTITION BY {g}) AS share,
                   ROW_NUMBER() OVER (PARTITION BY {g} ORDER BY a_dl DESC, location) AS rk
            FROM loc WHERE a_dl > 0)
        SELECT {g}, COUNT(*) AS locations, SUM(share * share) AS hhi,
               SUM(CASE WHEN rk <= {int(k)} THEN share ELSE 0 END) AS top_k_share
        FROM s GROUP BY {g} ORDER BY {g}""").df()
    disp = con.execute(f"""
        SELECT {g}, COUNT(rca) AS locations, STDDEV_SAMP(rca) AS rca_sd FROM (
            SELECT {g}, (a_dl / a_all) / (NULLIF(SUM(a_dl) OVER (PARTITION BY {g}), 0) / SUM(a_all) OVER (PARTITION BY {g})) AS rca
            FROM loc) GROUP BY {g} ORDER BY {g}""").df()
    con.close()
    return {"rca": rca, "concentration": conc, "dispersion": disp}


def aggregate_pandas(frame: pd.DataFrame, *, by_field: bool = False, k: int = 10) -> dict[str, pd.DataFrame]:
    """The same aggregation written plainly in pandas (reference implementation)."""
    g = ["year", "field"] if by_field else ["year"]
    f = frame.assign(w_dl=frame["weight"].where(frame["dl"], 0.0))
    loc = f.groupby(g + ["location"], sort=True).agg(a_all=("weight", "sum"), a_dl=("w_dl", "sum")).reset_index()
    tot = loc.groupby(g)[["a_dl", "a_all"]].transform("sum")
    loc["rca"] = (loc["a_dl"] / loc["a_all"]) / (tot["a_dl"].where(tot["a_dl"] > 0) / tot["a_all"])
    pos = loc[loc["a_dl"] > 0].copy()
    pos["share"] = pos["a_dl"] / pos.groupby(g)["a_dl"].transform("sum")
    pos = pos.sort_values(g + ["a_dl", "location"], ascending=[True] * len(g) + [False, True])
    pos["rk"] = pos.groupby(g).cumcount() + 1
    conc = pos.groupby(g).apply(lambda s: pd.Series({"locations": len(s), "hhi": (s["share"] ** 2).sum(),
                                                      "top_k_share": s.loc[s["rk"] <= k, "share"].sum()}),
                                include_groups=False).reset_index()
    disp = loc.groupby(g).agg(locations=("rca", "count"), rca_sd=("rca", "std")).reset_index()
    return {"rca": loc[g + ["location", "a_dl", "a_all", "rca"]], "concentration": conc, "dispersion": disp}
