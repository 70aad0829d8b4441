"""The byte scan for control characters (arrowcheck.control_cells) against the regex the
csv-module path uses (CONTROL_RE), on random cells, sliced chunks and null cells."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest

from aiprogress.data.arrowcheck import control_cells, with_validity
from aiprogress.data.csvio import CONTROL_RE

ALPHABET = ["a", "é", "\x07", "\x00", "\x1f", "\x7f", "\x80", "\x9f", "\u2028", " ", "\t", "\n", "\r", "\x0b",
            "\x0e", "漢", "\U0001F600"]


def reference(values):
    return np.array([v is not None and bool(CONTROL_RE.search(v)) for v in values], dtype=bool)


@pytest.mark.parametrize("seed", range(20))
def test_control_cells_matches_the_regex(seed):
    rng = random.Random(seed)
    for _ in range(25):
        values = [None if rng.random() < 0.1 else "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 8)))
                  for _ in range(rng.randint(0, 40))]
        arr = pa.array(values, type=pa.string())
        k = rng.randint(0, len(values))
        col = pa.chunked_array([arr.slice(0, k), arr.slice(k)], type=pa.string())  # the second chunk has an offset
        assert np.array_equal(control_cells(col), reference(values)), values
        assert np.array_equal(control_cells(arr), reference(values))


def test_null_cells_over_text_are_not_reported():
    # with_validity keeps the text bytes under the null cells: they must not count
    arr = pa.array(["ok", "bell\x07", "tab\tonly", "del\x7f"], type=pa.string())
    col = with_validity(arr, np.array([True, False, True, True]))
    assert control_cells(col).tolist() == [False, False, False, True]
    assert control_cells(pa.chunked_array([], type=pa.string())).tolist() == []
