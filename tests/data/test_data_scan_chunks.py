"""The memory-mapped line scan (fastcsv.record_start_lines) with chunk boundaries anywhere:
inside quoted fields, between CR and LF, inside UTF-8 sequences. Against the csv module
(its line_num, blank records skipped) and a file read at once (one chunk)."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiprogress.data import fastcsv


def csv_module_starts(path):
    """Start line of every non-blank record (header first), by csv.reader's line_num."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        out, prev = [], 0
        for rec in reader:
            if prev == 0 or (rec and any(c.strip() for c in rec)):
                out.append(prev + 1)
            prev = reader.line_num
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(alphabet='aé漢 ,"\n\r1', max_size=6), min_size=3, max_size=3), min_size=1, max_size=8),
       st.sampled_from(["\n", "\r\n"]), st.booleans(), st.sampled_from([1, 2, 3, 5, 8, 64]))
def test_small_chunks_give_the_csv_module_lines(tmp_path, monkeypatch, rows, newline, bom, chunk):
    path = tmp_path / "p.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows([["x", "y", "z"], *rows])
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode())
    monkeypatch.setattr(fastcsv, "CHUNK", 1 << 23)
    whole = fastcsv.record_start_lines(path)  # one chunk (the file is far smaller)
    monkeypatch.setattr(fastcsv, "CHUNK", chunk)
    got = fastcsv.record_start_lines(path)
    assert (got is None) == (whole is None)
    if got is None:  # the fast reader declines (e.g. a CR inside a field): the csv module reads the file
        return
    assert np.array_equal(got, whole)
    # blank records ("" fields only) are records for the scan but skipped by the loader: compare the rest
    ref = csv_module_starts(path)
    assert set(ref) <= set(got.tolist()) and list(got) == sorted(got)


@pytest.mark.parametrize("chunk", [1, 2, 3, 4, 7])
@pytest.mark.parametrize("data, ok", [
    ("a,b\n1,é\n".encode(), True),
    ("a,b\n1,漢字\n".encode(), True),
    (b"a,b\n1,\xc3\n", False),  # a lead byte with no continuation: not UTF-8
    (b"a,b\n1,\xff2\n", False),
    (b"a,b\n1,2\x003\n", False),  # NUL
    (b"a,b\n1,2\r3,4\n", False),  # bare CR
    (b"a,b\r\n1,2\r\n", True),
    (b"a,b\n1,\"x\ny\"\n2,3", True),
])
def test_irregular_bytes_found_at_any_boundary(tmp_path, monkeypatch, chunk, data, ok):
    path = tmp_path / "p.csv"
    path.write_bytes(data)
    monkeypatch.setattr(fastcsv, "CHUNK", chunk)
    got = fastcsv.record_start_lines(path)
    assert (got is not None) == ok
    if ok:
        assert got.tolist() == csv_module_starts(path)


def test_empty_file(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(b"")
    assert fastcsv.record_start_lines(path).tolist() == []
