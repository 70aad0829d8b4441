"""Fixtures for the data tests: the real data directory and small data directories
built on the fly in tmp_path from the real files' headers and first records."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Callable

import pytest

from aiprogress.data.loaders import clear_cache
from aiprogress.data.sources import SOURCES
from aiprogress.paths import resolve_data_dir

FIXTURES = Path(__file__).parent / "fixtures"


def _real_dir() -> Path:
    root = resolve_data_dir()
    if SOURCES["epoch_models"].find(root) is None:
        pytest.skip(f"real data not found in {root}")
    return root


@pytest.fixture(scope="session")
def real_dir() -> Path:
    return _real_dir()


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


_HEADS: dict[tuple[Path, int], tuple[list[str], list[list[str]]]] = {}


def _head(path: Path, n: int) -> tuple[list[str], list[list[str]]]:
    """Header and first n records of a real file (read once per session)."""
    if (path, n) not in _HEADS:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            rows = [r for _, r in zip(range(n), reader)]
        _HEADS[(path, n)] = (header, rows)
    header, rows = _HEADS[(path, n)]
    return list(header), [list(r) for r in rows]


class MiniData:
    """A data directory holding the first ``n`` records of every real source."""

    def __init__(self, root: Path, real: Path, n: int = 4) -> None:
        self.root = root
        self.files: dict[str, Path] = {}
        for name, src in SOURCES.items():
            real_path = src.find(real)
            header, rows = _head(real_path, n)
            dest = root / real_path.relative_to(real)
            write_rows(dest, header, rows[:n])
            self.files[name] = dest

    def header(self, name: str) -> list[str]:
        return read_rows(self.files[name])[0]

    def set_cell(self, name: str, record: int, column: str, value: str) -> int:
        """Set a cell (record 0 = first data row); returns the record's line number."""
        header, rows = read_rows(self.files[name])
        rows[record][header.index(column)] = value
        write_rows(self.files[name], header, rows)
        return self.line_of(name, record)

    def table(self, name: str) -> tuple[list[str], list[list[str]]]:
        return read_rows(self.files[name])

    def write(self, name: str, header: list[str], rows: list[list[str]]) -> None:
        write_rows(self.files[name], header, rows)

    def rename_column(self, name: str, old: str, new: str) -> None:
        header, rows = read_rows(self.files[name])
        header[header.index(old)] = new
        write_rows(self.files[name], header, rows)

    def append_copy(self, name: str, record: int) -> int:
        header, rows = read_rows(self.files[name])
        rows.append(list(rows[record]))
        write_rows(self.files[name], header, rows)
        return self.line_of(name, len(rows) - 1)

    def line_of(self, name: str, record: int) -> int:
        """Physical start line of a record (header = line 1), by a quote-aware scan."""
        return record_start_lines(self.files[name].read_text(encoding="utf-8"))[record + 1]


def record_start_lines(text: str) -> list[int]:
    """Start line of every CSV record (header first), counting newlines outside quotes.

    An independent reference for the loaders' ``source_line`` (they use csv.reader.line_num).
    """
    starts = [1]
    line = 1
    in_quotes = False
    n = len(text)
    for i, ch in enumerate(text):
        if ch == '"':
            in_quotes = not in_quotes
        elif ch == "\n":
            line += 1
            if not in_quotes and i + 1 < n:
                starts.append(line)
    return starts


@pytest.fixture()
def mini(tmp_path: Path, real_dir: Path) -> MiniData:
    clear_cache()
    return MiniData(tmp_path / "data", real_dir)


@pytest.fixture()
def make_mini(tmp_path: Path, real_dir: Path) -> Callable[..., MiniData]:
    def make(sub: str = "data", n: int = 4) -> MiniData:
        return MiniData(tmp_path / sub, real_dir, n=n)

    return make


@pytest.fixture(scope="session")
def start_lines() -> Callable[[str], list[int]]:
    return record_start_lines
