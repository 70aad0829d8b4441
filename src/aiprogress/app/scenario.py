"""Scenario files: the takeoff page's state as the YAML ``takeoff monte-carlo --config`` reads.

A scenario is a base config (a shipped preset or an uploaded file) plus the
values on the page, the seed and the number of draws. Exported, it names the
model, keeps the base's distribution for every uncertain parameter whose slider
still sits at the base's representative value
(:func:`aiprogress.takeoff.config.config_medians`: fixed values and medians),
fixes every other parameter at the page's value, and sets ``seed`` and
``draws`` so the file reproduces the page's Monte Carlo numbers. Parsing goes
through the library's :func:`~aiprogress.takeoff.config.parse_config`, so an
exported file is valid for the CLI exactly when it parses here.
"""

from __future__ import annotations

import functools
import math
from importlib import resources
from typing import Mapping

import yaml

from aiprogress.errors import ParameterError


def shipped_configs() -> list[str]:
    from aiprogress.takeoff.config import shipped_configs as _shipped

    return _shipped()


def shipped_config_text(name: str) -> str:
    """YAML text of a shipped config (only names in ``shipped_configs()``; no paths)."""
    if name not in shipped_configs():
        raise ParameterError("preset", f"unknown preset '{name}'", expected=", ".join(shipped_configs()))
    return (resources.files("aiprogress.takeoff") / "configs" / f"{name}.yaml").read_text(encoding="utf-8")


def parse(text: str, source: str):
    from aiprogress.takeoff.config import parse_config

    return parse_config(text, source=source)


@functools.lru_cache(maxsize=None)
def shipped(name: str):
    """(text, parsed config) of a shipped preset (cached: presets do not change while the app runs)."""
    text = shipped_config_text(name)
    return text, parse(text, f"{name}.yaml (shipped)")


PREFERRED = ("davidson-range", "davidson-houlden-2025")  # listed first for their model when present


@functools.lru_cache(maxsize=None)
def preset_model(name: str) -> str:
    """The model a shipped preset is for (its ``model:`` key, else the library's default), without parsing
    the whole config (which may resolve distributions from other capabilities, e.g. a meta-analysis)."""
    from aiprogress.takeoff.config import DEFAULT_MODEL

    doc = yaml.safe_load(shipped_config_text(name)) or {}
    return str(doc.get("model", DEFAULT_MODEL)) if isinstance(doc, dict) else DEFAULT_MODEL


def presets_by_model() -> dict[str, list[str]]:
    """Shipped configs grouped by model; a preferred one first, then by name."""
    out: dict[str, list[str]] = {}
    for name in sorted(shipped_configs(), key=lambda n: (n not in PREFERRED, n)):
        out.setdefault(preset_model(name), []).append(name)
    return out


def warm_up() -> None:
    """Parse every shipped preset once (run in a background thread when the app starts)."""
    for name in shipped_configs():
        try:
            shipped(name)
        except Exception:  # noqa: BLE001 - a broken preset shows its message when chosen
            pass


def representative_values(config) -> dict[str, float]:
    """The base config's point values (fixed values and medians, from the library), to 10 significant digits.

    The rounding keeps the number boxes readable; it is far inside the tolerance
    (1e-9 relative) with which :func:`pinned` compares a page value to these.
    """
    from aiprogress.takeoff.config import config_medians

    return {k: float(f"{float(v):.10g}") for k, v in config_medians(config).items()}


def _same(a: float, b: float) -> bool:
    return a == b or (math.isfinite(a) and math.isfinite(b) and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b)))


def pinned(config, values: Mapping[str, float]) -> list[str]:
    """Uncertain parameters of ``config`` whose page value differs from the representative value."""
    rep = representative_values(config)
    return [m for m in config.uncertain if m in values and not _same(float(values[m]), rep[m])]


def scenario_document(base_text: str | None, config, model: str, values: Mapping[str, float], *,
                      seed: int | None = None, draws: int | None = None) -> dict:
    """The scenario as a YAML-ready mapping (see the module docstring)."""
    doc = (yaml.safe_load(base_text) or {}) if base_text and config is not None else {"name": f"{model}-scenario"}
    same_model = config is not None and config.model == model
    params_in = dict(doc.get("parameters") or {}) if same_model else {}
    pins = set(pinned(config, values)) if same_model else set()
    uncertain = set(config.uncertain) if same_model else set()
    out = {}
    for key, value in values.items():
        if key in uncertain and key not in pins:
            out[key] = params_in[key]
        else:
            v = float(value)
            out[key] = v if math.isfinite(v) else ".inf"
    if not same_model:
        doc = {"name": f"{model}-scenario"}
    doc["model"] = model
    doc["parameters"] = out
    if "correlations" in doc:
        keep = [c for c in doc["correlations"] or [] if c[0] in uncertain - pins and c[1] in uncertain - pins]
        if keep:
            doc["correlations"] = keep
        else:
            doc.pop("correlations")
    if seed is not None:
        doc["seed"] = int(seed)
    if draws is not None:
        doc["draws"] = int(draws)
    return doc


def scenario_yaml(base_text: str | None, config, model: str, values: Mapping[str, float], *,
                  seed: int | None = None, draws: int | None = None) -> str:
    doc = scenario_document(base_text, config, model, values, seed=seed, draws=draws)
    head = "# aiprogress scenario (exported by the explorer): aiprogress takeoff monte-carlo --config <this file>\n"
    text = head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    return text.replace("'.inf'", ".inf")


def scenario_config(base_text: str | None, config, model: str, values: Mapping[str, float], *,
                    seed: int | None = None, draws: int | None = None):
    """(YAML text, the scenario parsed by the library): what the Monte Carlo panel runs."""
    text = scenario_yaml(base_text, config, model, values, seed=seed, draws=draws)
    return text, parse(text, "scenario.yaml")
