"""Assemble the registered sections into one self-contained ``index.html``."""

from __future__ import annotations

import datetime as dt
import html
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from aiprogress import __version__
from aiprogress.errors import ParameterError
from aiprogress.fileio import write_text_atomic
from aiprogress.reportkit.sections import ReportContext, Section, registered
from aiprogress.results import Result


def sections() -> list[Section]:
    """Import every report module named in :mod:`aiprogress.capabilities`; return the registered sections."""
    import importlib

    from aiprogress.capabilities import report_modules

    for name in report_modules():
        importlib.import_module(name)
    return registered()


@dataclass(frozen=True)
class ReportResult(Result):
    path: Path
    sections: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "section": self.sections,
                "status": ["failed" if s in self.failed else "ok" for s in self.sections],
                "seconds": [self.seconds.get(s, float("nan")) for s in self.sections],
            }
        )

    def summary(self) -> str:
        from aiprogress.results import format_table

        return format_table(self.to_frame(), title=f"Report written to {self.path}")


def build_report(
    out_dir: str | Path,
    *,
    data_dir: str | Path | None = None,
    catalog: str | Path | None = None,
    only: list[str] | None = None,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> ReportResult:
    """Build every registered section (or ``only`` these keys) into ``out_dir/index.html``.

    A section that raises is shown in the report as a failure box with the
    error, and listed in ``ReportResult.failed``; the other sections still build.
    """
    out_dir = Path(out_dir)
    ctx = ReportContext(
        data_dir=Path(data_dir) if data_dir else None,
        catalog=Path(catalog) if catalog else None,
        seed=seed,
    )
    chosen = sections()
    if only:
        known = {s.key for s in chosen}
        unknown = [k for k in only if k not in known]
        if unknown:
            raise ParameterError("sections", f"unknown section(s) {', '.join(unknown)}", expected=", ".join(sorted(known)))
        chosen = [s for s in chosen if s.key in only]
    rendered = []
    failed: dict[str, str] = {}
    seconds: dict[str, float] = {}
    for sec in chosen:
        t0 = time.perf_counter()
        try:
            body = sec.build(ctx)
        except Exception as exc:  # a broken section must not hide the others
            failed[sec.key] = f"{type(exc).__name__}: {exc}"
            body = (
                "<div class='failure'><b>This section could not be built.</b><pre>"
                + html.escape("".join(traceback.format_exception_only(type(exc), exc)))
                + "</pre></div>"
            )
        seconds[sec.key] = time.perf_counter() - t0
        rendered.append({"key": sec.key, "title": sec.title, "body": body})
        if progress:
            progress(1)

    env = Environment(loader=PackageLoader("aiprogress.report", "templates"), autoescape=select_autoescape(["html"]))
    page = env.get_template("index.html.j2").render(
        sections=rendered,
        version=__version__,
        generated=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    )
    target = write_text_atomic(page, out_dir / "index.html")
    return ReportResult(path=target, sections=[s.key for s in chosen], failed=failed, seconds=seconds)
