"""Assemble the registered sections into one self-contained ``index.html``."""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from threadpoolctl import threadpool_limits

from aiprogress import __version__
from aiprogress.errors import ParameterError
from aiprogress.fileio import write_text_atomic
from aiprogress.reportkit.sections import ReportContext, Section, registered
from aiprogress.results import Result


def import_failures() -> dict[str, str]:
    """Report modules (named in :mod:`aiprogress.capabilities`) that could not be imported, with the error."""
    sections()
    return dict(_IMPORT_FAILURES)


_IMPORT_FAILURES: dict[str, str] = {}


def sections() -> list[Section]:
    """Import every report module named in :mod:`aiprogress.capabilities`; return the registered sections.

    A module that cannot be imported is recorded (see :func:`import_failures`) instead of stopping the
    whole report; a full build lists it as a failed part.
    """
    import importlib

    from aiprogress.capabilities import report_modules

    for name in report_modules():
        try:
            importlib.import_module(name)
            _IMPORT_FAILURES.pop(name, None)
        except Exception as exc:  # noqa: BLE001 - one broken capability must not stop the report
            _IMPORT_FAILURES[name] = f"{type(exc).__name__}: {exc}"
    return registered()


@dataclass(frozen=True)
class ReportResult(Result):
    path: Path
    sections: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    written: bool = True
    scorecard: dict[str, int] = field(default_factory=dict)
    bytes: int = 0

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

        if self.written:
            title = f"Report written to {self.path} ({self.bytes / 1e6:.1f} MB)"
        else:
            title = f"Report NOT written: {len(self.failed)} part(s) failed; {self.path} left as it was (use --allow-partial to write it anyway)"
        text = format_table(self.to_frame(), title=title)
        if self.scorecard:
            text += "\nScorecard: " + ", ".join(f"{k} {v}" for k, v in self.scorecard.items())
        return text


def check_out_dir(out_dir: str | Path) -> Path:
    """Fail fast (before any section is built) when ``out_dir`` cannot hold ``index.html``."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ParameterError("out", f"{out_dir} exists and is not a folder", expected="a folder for index.html")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError("out", f"cannot create the folder {out_dir}: {exc.strerror or exc}", expected="a writable folder") from None
    target = out_dir / "index.html"
    if target.exists() and target.is_dir():
        raise ParameterError("out", f"{target} is a folder", expected="a folder where index.html can be written")
    try:
        with tempfile.NamedTemporaryFile(dir=out_dir, prefix=".index.html.", suffix=".probe"):
            pass
    except OSError as exc:
        raise ParameterError("out", f"cannot write to {out_dir}: {exc.strerror or exc}", expected="a writable folder") from None
    return out_dir


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", html.unescape(re.sub(r"<[^>]+>", "", text)).lower()).strip("-")[:48] or "part"


def _anchor_section(key: str, body: str) -> tuple[str, list[dict[str, str]]]:
    """Give every figure/table a stable id ``<key>-fig-<k>`` / ``<key>-tbl-<k>`` and every <h3> an id; return the subsections."""
    counters: dict[str, int] = {}
    for token, kind in dict.fromkeys(re.findall(r"(auto-(fig|tbl)-[0-9a-f]{10})", body)):
        counters[kind] = counters.get(kind, 0) + 1
        body = body.replace(token, f"{key}-{kind}-{counters[kind]}")
    subs: list[dict[str, str]] = []
    seen: set[str] = set()

    def h3(m: re.Match) -> str:
        attrs, inner = m.group(1), m.group(2)
        found = re.search(r'id="([^"]+)"', attrs)
        if found:
            sid = found.group(1)
        else:
            sid = f"{key}-{_slug(inner)}"
            while sid in seen:
                sid += "-x"
            attrs = f' id="{sid}"{attrs}'
        seen.add(sid)
        subs.append({"id": sid, "title": re.sub(r"<[^>]+>", "", inner)})
        return f"<h3{attrs}>{inner}</h3>"

    body = re.sub(r"<h3([^>]*)>(.*?)</h3>", h3, body, flags=re.S)
    return body, subs


def _capability_map() -> dict[str, str]:
    """Report module -> the key of the capability that lists it."""
    from aiprogress.capabilities import capabilities

    return {m: cap.key for cap in capabilities() for m in cap.report}


def _capability_of_sections(chosen: list[Section]) -> list[str]:
    by_module = _capability_map()
    return list(dict.fromkeys(by_module[s.build.__module__] for s in chosen if s.build.__module__ in by_module))


def _start_light(only, jobs, ctx, blas_threads, scorecard):
    """Start the light sections (see :class:`aiprogress.report.parallel.EarlyBuild`) that this build includes,
    before the other report modules are imported; None when the build is serial or there are none. Sections
    whose capability has scorecard functions are left to the main build (their rows run after them)."""
    import importlib

    from aiprogress.capabilities import capabilities
    from aiprogress.report.parallel import EarlyBuild, worker_count

    if not EarlyBuild.possible() or worker_count(jobs, 2) < 2:
        return None
    light = []
    for cap in capabilities():
        if not cap.report_light or (scorecard and cap.scorecard):
            continue
        for name in cap.report:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - sections() records the failure
                continue
            light += [s for s in registered() if s.build.__module__ == name and (not only or s.key in only)]
    if not light:
        return None
    return EarlyBuild(light, data_dir=ctx.data_dir, catalog=ctx.catalog, seed=ctx.seed, blas_threads=blas_threads)


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def build_report(
    out_dir: str | Path,
    *,
    data_dir: str | Path | None = None,
    catalog: str | Path | None = None,
    only: list[str] | None = None,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    allow_partial: bool = True,
    scorecard: bool = True,
    blas_threads: int | None = 1,
    jobs: int | None = None,
) -> ReportResult:
    """Build every registered section (or ``only`` these keys) into ``out_dir/index.html``.

    A section that raises is shown in the report as a failure box with the
    error, and listed in ``ReportResult.failed``; the other sections still build.
    With ``allow_partial=False`` a report with any failed part is not written
    (an existing ``index.html`` is kept) and ``ReportResult.written`` is False.
    ``out_dir`` is checked for writability before any work. The scorecard
    (first section) collects the registered scorecard functions of the
    capabilities whose sections are built. Sections run with BLAS limited to
    ``blas_threads`` threads (None: the library default): their linear algebra
    is small, and BLAS threads spinning up on tiny products cost more than they save.
    ``jobs`` worker processes (default: every core this process may use; never more than the cores or
    the sections) build the sections in parallel (:mod:`aiprogress.report.parallel`); the page is the
    same as with ``jobs=1``, which builds them one after the other in this process.
    Log-axis tick labels are plain text (:func:`aiprogress.reportkit.figures.plain_log_ticks`).
    """
    from aiprogress.reportkit.figures import plain_log_ticks

    limits = contextlib.nullcontext() if blas_threads is None else threadpool_limits(blas_threads, user_api="blas")
    with limits, plain_log_ticks():
        return _build_report(out_dir, data_dir=data_dir, catalog=catalog, only=only, seed=seed, progress=progress,
                             allow_partial=allow_partial, scorecard=scorecard, jobs=jobs, blas_threads=blas_threads)


def _build_report(out_dir, *, data_dir, catalog, only, seed, progress, allow_partial, scorecard, jobs,
                  blas_threads) -> ReportResult:
    from aiprogress.report.parallel import assign_scorecards, build_parallel, build_section, worker_count
    from aiprogress.report.scorecard import SCORECARD_ANCHOR, assemble, chosen_functions, score_one, scorecard_html

    out_dir = check_out_dir(out_dir)
    ctx = ReportContext(
        data_dir=Path(data_dir) if data_dir else None,
        catalog=Path(catalog) if catalog else None,
        seed=seed,
    )
    early = _start_light(only, jobs, ctx, blas_threads, scorecard)
    try:
        chosen = sections()
        if only:
            known = {s.key for s in chosen}
            unknown = [k for k in only if k not in known]
            if unknown:
                raise ParameterError("sections", f"unknown section(s) {', '.join(unknown)}",
                                     expected=", ".join(sorted(known)))
            chosen = [s for s in chosen if s.key in only]
    except BaseException:
        if early is not None:
            early.close()
        raise
    if early is not None:  # the light sections are under way: the others are built as usual
        chosen, light = [s for s in chosen if s not in early.sections], early.sections
    rendered = []
    failed: dict[str, str] = {}
    seconds: dict[str, float] = {}
    if not only:
        for module, err in _IMPORT_FAILURES.items():
            failed[module] = err
            rendered.append({"key": module.replace(".", "-"), "title": f"{module} (not loaded)", "subs": [],
                             "body": "<div class='failure'><b>This report module could not be imported.</b><pre>"
                                     + html.escape(err) + "</pre></div>"})
    functions = chosen_functions(_capability_of_sections(chosen)) if scorecard else []
    workers = worker_count(jobs, len(chosen))
    card_seconds = 0.0
    if early is not None or workers > 1:
        outcomes, by_index = (build_parallel(chosen, assign_scorecards(chosen, functions, _capability_map()),
                                             workers=workers, data_dir=ctx.data_dir, catalog=ctx.catalog, seed=seed,
                                             blas_threads=blas_threads, progress=progress) if chosen else ([], {}))
        if early is not None:  # the light sections join the others, in report order
            outcomes = early.outcomes() + outcomes
            if progress:
                progress(len(light))
            order = {s.key: i for i, s in enumerate(registered())}
            pairs = sorted(zip(light + chosen, outcomes), key=lambda p: order[p[0].key])
            chosen, outcomes = [p[0] for p in pairs], [p[1] for p in pairs]
        missing = (-1, [], "not run: no worker built a section of this capability", 0.0)
        cards = [(key, func, *by_index.get(idx, missing)[1:3]) for idx, key, func in functions]
        card_seconds = sum(by_index[idx][3] for idx, _, _ in functions if idx in by_index)
    else:
        outcomes = []
        for sec in chosen:
            outcomes.append(build_section(sec, ctx))
            if progress:
                progress(1)
        t0 = time.perf_counter()
        cards = [(key, func, *score_one(ctx, func)) for _, key, func in functions]
        card_seconds = time.perf_counter() - t0
    for sec, (body, err, took) in zip(chosen, outcomes):
        if err is not None:
            failed[sec.key] = err
        seconds[sec.key] = took
        body, subs = _anchor_section(sec.key, body)
        rendered.append({"key": sec.key, "title": sec.title, "body": body, "subs": subs})

    counts: dict[str, int] = {}
    if scorecard:
        card = assemble(cards)
        seconds["scorecard"] = card_seconds
        for key, err in card.failed.items():
            failed[f"scorecard:{key}"] = err
        counts = card.counts
        if card.rows or card.failed:
            rendered.insert(0, {"key": SCORECARD_ANCHOR, "title": "Replication scorecard", "body": scorecard_html(card), "subs": []})

    uses_plotly = any('data-plotly="1"' in s["body"] for s in rendered)
    env = Environment(loader=PackageLoader("aiprogress.report", "templates"), autoescape=select_autoescape(["html"]))
    page = env.get_template("index.html.j2").render(
        sections=rendered,
        version=__version__,
        generated=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        plotly_js=_plotly_js() if uses_plotly else "",
    )
    target = out_dir / "index.html"
    keys = [s["key"] for s in rendered]
    if failed and not allow_partial:
        return ReportResult(path=target, sections=keys, failed=failed, seconds=seconds, written=False, scorecard=counts)
    target = write_text_atomic(page, target)
    return ReportResult(path=target, sections=keys, failed=failed, seconds=seconds, scorecard=counts,
                        bytes=len(page.encode("utf-8")))
