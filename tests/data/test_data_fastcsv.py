"""The fast CSV reader (issue 15 §5) gives the same cells, the same physical line
numbers and the same errors as the csv-module reader it replaces."""

from __future__ import annotations

import csv
import io

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiprogress.data import load_sources
from aiprogress.data.csvio import read_csv_records, read_csv_records_python
from aiprogress.data.fastcsv import record_start_lines
from aiprogress.errors import AiprogressError


def both(monkeypatch, func):
    """``func()`` under the csv-module reader and under the fast reader."""
    out = []
    for engine in ("python", "auto"):
        monkeypatch.setenv("AIPROGRESS_CSV_ENGINE", engine)
        try:
            out.append(("ok", func()))
        except AiprogressError as exc:
            out.append(("error", (type(exc).__name__, str(exc), getattr(exc, "line", None), getattr(exc, "column", None))))
    return out


def test_real_files_same_lines_and_tables(real_dir, start_lines, monkeypatch):
    from aiprogress.data.sources import SOURCES

    for src in SOURCES.values():
        path = src.find(real_dir)
        fast = read_csv_records(path)
        assert isinstance(fast.cells, pa.Table), path  # the fast reader handled it (no fallback)
        ref = start_lines(path.read_text(encoding="utf-8-sig"))[1:]
        assert fast.lines.tolist() == ref == read_csv_records_python(path).lines.tolist()
        slow = read_csv_records_python(path)
        for h in fast.header[:8]:
            assert fast.column(h).tolist() == slow.column(h).tolist()
    (py, a), (fa, b) = both(monkeypatch, lambda: load_sources(real_dir).tables)
    assert py == fa == "ok"
    for name in a:
        assert a[name].astype(str).equals(b[name].astype(str)), name


HEADER = ["Model", "Domain", "Organization", "Country (from Organization)", "Publication date", "Parameters",
          "Training compute (FLOP)", "Abstract"]
GOOD = [["A", "Language", "Lab", "United States", "2020-01-01", "1e9", "1e21", "one\nline two"],
        ["B", "Vision", "Lab, Uni", "France", "2021-02-03", "2e9", "3e21", 'says "hi"\n\nthen'],
        ["C", "Games", "Co", "China", "2019-05-06", "", "", ""]]


def _write(path, header, rows, *, newline="\n", bom=False, tail=True):
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows([header, *rows])
    text = buf.getvalue() if tail else buf.getvalue()[: -len(newline)]
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


def _models(path):
    from aiprogress.data.epoch import load_models

    frame, rejects = load_models(path, display="m.csv")
    return frame.drop(columns=[]).astype(str).to_dict(orient="list"), rejects.to_dict(orient="list")


@pytest.mark.parametrize("case", [
    "clean", "crlf", "bom", "no_final_newline", "blank_lines", "blank_record", "bad_number_after_multiline",
    "cut_off_last", "extra_fields", "unterminated_quote", "nul", "literal_quote", "bad_utf8_unused_column",
    "date_out_of_range", "duplicate", "bare_cr", "text_after_quote",
])
def test_same_result_or_same_error_line(tmp_path, monkeypatch, case):
    path = tmp_path / "m.csv"
    rows = [list(r) for r in GOOD]
    header = HEADER + ["Notes"]
    rows = [r + ["n"] for r in rows]
    kw = {}
    if case == "crlf":
        kw["newline"] = "\r\n"
    elif case == "bom":
        kw["bom"] = True
    elif case == "no_final_newline":
        kw["tail"] = False
    elif case == "bad_number_after_multiline":
        rows[2][5] = "1,000"
    elif case == "date_out_of_range":
        rows[1][4] = "2999-01-01"
    elif case == "duplicate":
        rows.append(list(rows[0]))
    _write(path, header, rows, **kw)
    raw = path.read_bytes()
    if case == "blank_lines":
        path.write_bytes(raw.replace(b",n\n", b",n\n\n\n", 1))
    elif case == "blank_record":
        path.write_bytes(raw + b",,,,,,,,\n" + b"D,Speech,Lab,Japan,2022-01-01,1,1,,\n")
    elif case == "cut_off_last":
        path.write_bytes(raw.rstrip(b"\n").rsplit(b",", 3)[0])
    elif case == "extra_fields":
        path.write_bytes(raw + b"E,Speech,Lab,Japan,2022-01-01,1,1,,,surplus\n")
    elif case == "unterminated_quote":
        path.write_bytes(raw + b'F,"Speech,Lab,Japan,2022-01-01,1,1,,\n')
    elif case == "nul":
        path.write_bytes(raw.replace(b"Lab, Uni", b"Lab\x00 Uni"))
    elif case == "literal_quote":
        path.write_bytes(raw + b'G,Speech,Lab 5" wide,Japan,2022-01-01,1,1,,\n')
    elif case == "bad_utf8_unused_column":
        path.write_bytes(raw.replace(b",n\n", b",\xff\n", 1))
    elif case == "bare_cr":
        path.write_bytes(raw + b"H,Speech,Lab,Japan,2022-01-01,1,1,,\rI,Speech,Lab,Japan,2022-01-02,1,1,,\n")
    elif case == "text_after_quote":
        path.write_bytes(raw + b'J,"Speech"x,Lab,Japan,2022-01-01,1,1,,\n')
    (k1, r1), (k2, r2) = both(monkeypatch, lambda: _models(path))
    assert (k1, r1) == (k2, r2)
    if case in ("clean", "crlf", "bom", "no_final_newline", "blank_lines", "blank_record"):
        assert k1 == "ok"
        lines = r1[0]["source_line"]
        # record B's abstract spans lines 4-6; two blank lines shift B and C by 2; the blank record (line 8) is skipped
        assert lines == (["2", "4", "7"] if case != "blank_lines" else ["2", "6", "9"]) + (["9"] if case == "blank_record" else [])
    if case in ("bad_number_after_multiline", "cut_off_last", "unterminated_quote", "nul", "date_out_of_range", "duplicate"):
        assert k1 == "error" and r1[2] is not None  # an error naming a line


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(alphabet='ab ,"\n\r\t1', max_size=6), min_size=3, max_size=3), min_size=0, max_size=8),
       st.sampled_from(["\n", "\r\n"]))
def test_line_scan_matches_the_csv_module(tmp_path, rows, newline):
    path = tmp_path / "p.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows([["x", "y", "z"], *rows])
    path.write_bytes(buf.getvalue().encode())
    got = record_start_lines(path)
    # reference: csv.reader's line_num, skipping blank records, as the csv-module loader does
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        ref, prev = [], 0
        for rec in reader:
            if rec and any(c.strip() for c in rec) or prev == 0:
                ref.append(prev + 1)
            prev = reader.line_num
    if got is not None:  # None = the fast reader declines (e.g. a bare CR inside data), the csv module reads it
        kept = [s for s in got.tolist()]
        assert set(ref) <= set(kept) and kept == sorted(kept)
        assert np.all(np.diff(got) > 0)


# --- cell checks on > 1000 rows (the Arrow checks and the vectorised list/date/number paths) ------------

BIG_HEADER = HEADER + ["Authors", "Hardware utilization", "Link"]


def _big_rows(n=1200):
    rows = []
    for i in range(n):
        rows.append([f"M{i}", "Language", " Lab, Uni ", "United States, France, United States", f"20{10 + i % 10}-0{1 + i % 9}-01",
                     f"{i + 1}e6", "" if i % 7 == 0 else f"{i}e18", "line one\nline two" if i % 5 == 0 else "",
                     " A. B , C. D,, ", "0.4" if i % 3 == 0 else "", f"https://arxiv.org/abs/2001.{i:05d}v2"])
    return rows


BAD_CELLS = {  # case -> (record index, column, value)
    "control_char": (700, "Organization", "Lab\x07Uni"),
    "thousands_separator": (1100, "Parameters", "1,000"),
    "underscore": (5, "Parameters", "3_2"),
    "negative": (640, "Training compute (FLOP)", "-1e20"),
    "implausible": (900, "Parameters", "1e40"),
    "overflow": (901, "Training compute (FLOP)", "1e999"),
    "not_a_number": (1001, "Hardware utilization", "high"),
    "fraction_out_of_range": (1002, "Hardware utilization", "1.5"),
    "not_a_date": (999, "Publication date", "01/02/2019"),
    "date_out_of_range": (998, "Publication date", "2999-01-01"),
    "two_problems_one_line": (1050, "Parameters", "1\x01"),
    "duplicate": None,
    "prose_control_kept": (10, "Abstract", "lig\x0cature"),
}


@pytest.mark.parametrize("skip", [False, True])
@pytest.mark.parametrize("case", sorted(BAD_CELLS))
def test_arrow_checks_give_the_same_errors_lines_and_rejects(tmp_path, monkeypatch, case, skip):
    """Every bad-cell rule, on a file long enough for the vectorised paths: the fast reader's Arrow
    checks and the csv-module reader's pandas checks give the same error (message, line, column)
    or, with skip_bad_rows, the same kept rows and the same rejects."""
    from aiprogress.data.epoch import load_models

    rows = _big_rows()
    if case == "duplicate":
        rows.insert(1000, list(rows[3]))
    else:
        rec, column, value = BAD_CELLS[case]
        rows[rec][BIG_HEADER.index(column)] = value
    rows[12][BIG_HEADER.index("Abstract")] = "spans\nthree\nlines"  # later records start lower down
    path = tmp_path / "m.csv"
    _write(path, BIG_HEADER, rows)

    monkeypatch.setenv("AIPROGRESS_CSV_ENGINE", "auto")
    assert isinstance(read_csv_records(path).cells, pa.Table)  # the fast reader reads it (no fallback)

    def run():
        frame, rejects = load_models(path, display="m.csv", skip_bad_rows=skip)
        return frame.astype(str).to_dict(orient="list"), rejects.to_dict(orient="list")

    (k1, r1), (k2, r2) = both(monkeypatch, run)
    assert (k1, r1) == (k2, r2)
    if case == "prose_control_kept":
        assert k1 == "ok"
    elif not skip:
        assert k1 == "error" and r1[2] is not None and r1[3] is not None  # names a line and a column
    else:
        assert k1 == "ok" and len(r1[1]["source_line"]) >= 1
