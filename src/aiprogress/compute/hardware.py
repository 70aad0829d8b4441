"""Chip look-up: match a hardware name to the ``hardware`` table and pick its peak FLOP/s.

Name matching (:class:`HardwareIndex`) works in tiers and stops at the first
tier that finds a chip:

1. ``exact`` — the name equals a table ``name`` or one of its ``aliases``
   (ignoring case and repeated spaces);
2. ``alias`` — equal after :func:`normalize_hardware_name` (vendor and family
   words such as "NVIDIA", "Nvidia", "Google", "Tesla", "GeForce", "Cloud" and
   memory sizes such as "32 GB" dropped);
3. ``base`` — equal after also dropping the form factor ("SXM4", "PCIe",
   "DGXS", "NVL", ...). When several rows share that key the generic row (whose
   own name has no form factor, e.g. "NVIDIA A100") wins, then an SXM variant
   (the form factor of training clusters), then table order (Epoch rows come
   before the Thompson et al. rows);
4. ``fuzzy`` — rapidfuzz ``WRatio`` between base keys, accepted at or above the
   threshold (default :data:`MATCH_THRESHOLD`) and only when both names carry the
   same model numbers (the digit runs with any letters glued to them, so "GTX 480"
   never becomes "GTX 980", "TPU v2" never becomes "TPU v3" and "L40S" never
   becomes "L40"). A fuzzy match is refused as ambiguous when
   a different chip scores within :data:`AMBIGUITY_MARGIN` points of the best
   ("TPU v5" could be v5e or v5p).

Below the threshold :meth:`HardwareIndex.lookup` raises :class:`ParameterError`
listing the best candidates with their scores.

Several chips joined by commas ("NVIDIA A100,NVIDIA Tesla V100 SXM2") are split
with :func:`split_hardware_names`; callers match each part and, as the records
do not say how the chip count divides between them, assume an equal split
(the arithmetic mean of the parts' peaks).

Precision rule (:func:`choose_precision`, ``precision="auto"``):

* a TPU uses its tensor (bf16 matrix-unit) rate: TPUs v2+ train in bf16 by design;
* another chip with a recorded tensor FP16/BF16 rate uses it for runs published
  on or after :data:`MIXED_PRECISION_FROM` (2018-01-01: mixed-precision training
  was published in late 2017 and reached the main frameworks during 2018), and
  for runs of unknown date;
* a non-GPU accelerator (NPU, ASIC...) with no tensor figure but an FP16 rate
  uses that FP16 rate in the same era (for those chips it is the matrix-unit rate);
* otherwise FP32. Packed half precision on GPUs without tensor cores (e.g. P100)
  was rarely used for training, so it is not counted;
* when the chosen column is empty the first recorded of fp32, tensor_fp16, fp16,
  tf32 is used and the fallback is stated.

An explicit precision (``fp64``, ``fp32``, ``tf32``, ``fp16``, ``tensor_fp16``
(aliases ``bf16``, ``tensor``, ``mixed``), ``fp8``) overrides the rule.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

import numpy as np
from rapidfuzz import fuzz, process

from aiprogress.errors import InputError, ParameterError
from aiprogress.results import Result

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Default minimum rapidfuzz score (0-100) for a fuzzy hardware-name match.
MATCH_THRESHOLD = 85.0
#: A fuzzy match is refused as ambiguous when the runner-up chip scores within this margin.
AMBIGUITY_MARGIN = 2.0
#: Runs published from this date count as mixed-precision era (tensor cores used);
#: ``MIXED_PRECISION_FROM`` is this date as a ``pd.Timestamp`` (made on first use, so that
#: importing this module does not import pandas: ``compute estimate`` must start fast).
_MIXED_PRECISION_FROM_ISO = "2018-01-01"
_MIXED_PRECISION_YEAR = int(_MIXED_PRECISION_FROM_ISO[:4])


def __getattr__(name: str) -> Any:
    if name == "MIXED_PRECISION_FROM":
        import pandas as pd

        return pd.Timestamp(_MIXED_PRECISION_FROM_ISO)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: precision label -> hardware table column
PRECISION_COLUMNS: dict[str, str] = {
    "fp64": "peak_flop_per_s_fp64",
    "fp32": "peak_flop_per_s_fp32",
    "tf32": "peak_flop_per_s_tf32",
    "fp16": "peak_flop_per_s_fp16",
    "tensor_fp16": "peak_flop_per_s_tensor_fp16",
    "fp8": "peak_flop_per_s_fp8",
}
PRECISION_ALIASES: dict[str, str] = {
    "bf16": "tensor_fp16",
    "tensor": "tensor_fp16",
    "mixed": "tensor_fp16",
    "tensor-fp16": "tensor_fp16",
    "tensor_bf16": "tensor_fp16",
    "half": "fp16",
    "single": "fp32",
    "double": "fp64",
}
PRECISION_CHOICES = ("auto", *PRECISION_COLUMNS, *PRECISION_ALIASES)

_VENDOR_WORDS = (
    "nvidia", "google", "amd", "intel", "huawei", "amazon", "aws", "tesla", "geforce", "cloud",
    "corporation", "corp", "inc",
)
_FORM_FACTOR = r"(?:sxm\d*|pcie|pci\s*e|pci\s*express|dgxs|nvl|hgx|oam|fhhl|mezzanine)"
_MEMORY = r"\d+(?:\.\d+)?\s*(?:gb|gib|g)\b"
_FALLBACK_ORDER = ("fp32", "tensor_fp16", "fp16", "tf32")
_MEMORY_RX = re.compile(_MEMORY)
_VENDOR_SET = frozenset(_VENDOR_WORDS)


def normalize_precision(precision: str | None) -> str:
    """Canonical precision label; ``None``/"auto" gives "auto". Raises ParameterError."""
    if precision is None:
        return "auto"
    p = str(precision).strip().lower().replace(" ", "_")
    if p == "auto" or p in PRECISION_COLUMNS:
        return p
    if p in PRECISION_ALIASES:
        return PRECISION_ALIASES[p]
    raise ParameterError("precision", f"unknown precision '{precision}'", expected="one of " + ", ".join(PRECISION_CHOICES))


def _clean(name: str) -> str:
    s = str(name).casefold().replace("pcle", "pcie")  # "PCle" is a typo in the Epoch table
    s = _PUNCT_RX.sub(" ", s)
    s = _HYPHEN_RX.sub(" ", s)
    return " ".join(s.split())


_PUNCT_RX = re.compile(r"[()\[\]/_,;:+]")
_HYPHEN_RX = re.compile(r"(?<=[a-z0-9])-(?=[a-z0-9])")


def exact_key(name: str) -> str:
    """Case- and whitespace-insensitive form of a name (tier 1)."""
    return " ".join(str(name).casefold().split())


def normalize_hardware_name(name: str) -> str:
    """Tier-2 key: lower case, vendor/family words and memory sizes removed.

    >>> normalize_hardware_name("NVIDIA Tesla V100 SXM2 32 GB")
    'v100 sxm2'
    """
    s = _clean(name)
    s = _MEMORY_RX.sub(" ", s)
    words = [w for w in s.split() if w not in _VENDOR_SET]
    return " ".join(words)


def base_hardware_name(name: str) -> str:
    """Tier-3 key: :func:`normalize_hardware_name` with the form factor dropped too.

    >>> base_hardware_name("NVIDIA A100 SXM4 80 GB")
    'a100'
    """
    return _drop_form_factor(normalize_hardware_name(name))


_FORM_FACTOR_RX = re.compile(rf"\b{_FORM_FACTOR}\b")


def _drop_form_factor(normalized: str) -> str:
    return " ".join(_FORM_FACTOR_RX.sub(" ", normalized).split())


def model_numbers(key: str) -> tuple[str, ...]:
    """The digit runs of a key with the letters glued to their end; a fuzzy match must keep
    them ("480" != "980", and "l40s" != "l40", "mi250x" != "mi250", "910b" != "910":
    a letter suffix names a different chip with a different peak)."""
    return tuple(re.findall(r"\d+[a-z]*", key))


def split_hardware_names(text: str | None) -> list[str]:
    """Split a hardware field listing several chips ("A,B", "A; B", "A + B")."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    parts = re.split(r"\s*(?:,|;|\s\+\s|\s&\s)\s*", str(text))
    return [p.strip() for p in parts if p.strip()]


@dataclass(frozen=True)
class HardwareMatch(Result):
    """How one hardware name was matched to a row of the hardware table."""

    query: str
    matched_name: str | None
    score: float
    kind: str  # exact | alias | base | fuzzy | ambiguous | none
    row: int | None  # positional row in the hardware frame
    candidates: tuple[tuple[str, float], ...] = ()

    @property
    def matched(self) -> bool:
        return self.matched_name is not None


class HardwareIndex:
    """Matching index over a ``hardware`` table (build once, match many names)."""

    def __init__(self, hardware: pd.DataFrame | HardwareRecords, *, threshold: float = MATCH_THRESHOLD) -> None:
        if isinstance(hardware, HardwareRecords):  # the pandas-free look-up rows (aiprogress.compute.lookup)
            if not 0 <= threshold <= 100:
                raise ParameterError("threshold", f"{threshold} is outside 0-100", expected="a score between 0 and 100")
            self.hardware = hardware
            names = [str(r.get("name")) for r in hardware.rows]
            aliases = [r.get("aliases") for r in hardware.rows]
            source = [r.get("source", "epoch") for r in hardware.rows]
        else:
            import pandas as pd

            if not isinstance(hardware, pd.DataFrame) or "name" not in hardware.columns:
                raise InputError("the hardware table has no 'name' column", column="name",
                                 expected="the 'hardware' table schema")
            if not 0 <= threshold <= 100:
                raise ParameterError("threshold", f"{threshold} is outside 0-100", expected="a score between 0 and 100")
            self.hardware = hardware.reset_index(drop=True)
            names = self.hardware["name"].astype(str).tolist()
            aliases = self.hardware["aliases"] if "aliases" in self.hardware.columns else [None] * len(names)
            source = self.hardware["source"] if "source" in self.hardware.columns else ["epoch"] * len(names)
        self.threshold = float(threshold)
        self._cache: dict[str, HardwareMatch] = {}
        self._names = names
        self._exact: dict[str, int] = {}
        self._norm: dict[str, list[int]] = {}
        self._base: dict[str, list[int]] = {}
        for i, (name, als) in enumerate(zip(names, aliases)):
            spellings = [name] + [a for a in _as_list(als) if a]
            for sp in spellings:
                norm = normalize_hardware_name(sp)
                self._exact.setdefault(exact_key(sp), i)
                self._norm.setdefault(norm, []).append(i)
                self._base.setdefault(_drop_form_factor(norm), []).append(i)  # = base_hardware_name(sp)
        # Preference among rows sharing a key: Epoch rows first, then the shortest name
        # (the generic row, e.g. "NVIDIA Tesla V100 SXM2" before "... SXM2 32 GB"), then table order.
        self._rank = {i: (0 if str(s).startswith("epoch") else 1, len(names[i]), i) for i, s in enumerate(source)}
        self._base_keys = [k for k in self._base if k]
        self._base_numbers = {k: model_numbers(k) for k in self._base_keys}

    # -- helpers -----------------------------------------------------------------
    def _pick(self, rows: list[int], base_key: str | None = None) -> int:
        rows = sorted(set(rows), key=lambda i: self._rank[i])
        if base_key is not None and len(rows) > 1:
            generic = [i for i in rows if normalize_hardware_name(self._names[i]) == base_key]
            if generic:
                return generic[0]
            sxm = [i for i in rows if "sxm" in normalize_hardware_name(self._names[i])]
            if sxm:
                return sxm[0]
        return rows[0]

    def candidates(self, query: str, limit: int = 3) -> list[tuple[str, float]]:
        """Best table names for ``query`` by WRatio between base keys (no number check)."""
        key = base_hardware_name(query)
        if not key or not self._base_keys:
            return []
        hits = process.extract(key, self._base_keys, scorer=fuzz.WRatio, limit=limit * 3)
        out: list[tuple[str, float]] = []
        for k, score, _ in hits:
            name = self._names[self._pick(self._base[k], k)]
            if name not in [n for n, _ in out]:
                out.append((name, round(float(score), 1)))
            if len(out) == limit:
                break
        return out

    def match(self, query: str) -> HardwareMatch:
        """Match one name; returns a ``kind='none'`` match below the threshold (never raises)."""
        q = str(query)
        if q in self._cache:
            return self._cache[q]
        result = self._match(q)
        self._cache[q] = result
        return result

    def _found(self, q: str, row: int, score: float, kind: str) -> HardwareMatch:
        return HardwareMatch(q, self._names[row], float(score), kind, int(row))

    def _match(self, q: str) -> HardwareMatch:
        if exact_key(q) in self._exact:
            return self._found(q, self._exact[exact_key(q)], 100.0, "exact")
        nkey = normalize_hardware_name(q)
        if nkey in self._norm:
            return self._found(q, self._pick(self._norm[nkey]), 100.0, "alias")
        bkey = base_hardware_name(q)
        if bkey in self._base:
            return self._found(q, self._pick(self._base[bkey], bkey), 100.0, "base")
        if bkey:
            numbers = model_numbers(bkey)
            pool = [k for k in self._base_keys if self._base_numbers[k] == numbers]
            if pool:
                hits = process.extract(bkey, pool, scorer=fuzz.WRatio, score_cutoff=self.threshold, limit=2)
                if hits:
                    k, score, _ = hits[0]
                    row = self._pick(self._base[k], k)
                    if len(hits) > 1 and score - hits[1][1] < AMBIGUITY_MARGIN:
                        k2 = hits[1][0]
                        row2 = self._pick(self._base[k2], k2)
                        cands = ((self._names[row], round(float(score), 1)),
                                 (self._names[row2], round(float(hits[1][1]), 1)))
                        return HardwareMatch(q, None, float(score), "ambiguous", None, cands)
                    return self._found(q, row, round(float(score), 1), "fuzzy")
            # Several variants differing only by a suffix ("TPU v5" -> v5e, v5p): say it is ambiguous.
            digits = tuple(re.sub(r"[a-z]+$", "", n) for n in numbers)
            variants = [k for k in self._base_keys
                        if tuple(re.sub(r"[a-z]+$", "", n) for n in self._base_numbers[k]) == digits]
            hits = process.extract(bkey, variants, scorer=fuzz.WRatio, score_cutoff=self.threshold, limit=2)
            if len(hits) > 1 and hits[0][1] - hits[1][1] < AMBIGUITY_MARGIN:
                cands = tuple((self._names[self._pick(self._base[k], k)], round(float(sc), 1))
                              for k, sc, _ in hits)
                return HardwareMatch(q, None, float(hits[0][1]), "ambiguous", None, cands)
        cands = tuple(self.candidates(q))
        best_score = cands[0][1] if cands else 0.0
        return HardwareMatch(q, None, float(best_score), "none", None, cands)

    def lookup(self, query: str, parameter: str = "hardware") -> HardwareMatch:
        """Like :meth:`match` but raises :class:`ParameterError` when nothing matches."""
        if query is None or not str(query).strip():
            raise ParameterError(parameter, "no hardware name given", expected="a chip name such as 'NVIDIA V100'")
        m = self.match(str(query).strip())
        if not m.matched:
            best = ", ".join(f"'{n}' ({s:.0f})" for n, s in m.candidates) or "none"
            if m.kind == "ambiguous":
                raise ParameterError(
                    parameter,
                    f"'{query}' is ambiguous: it matches {best} about equally well",
                    expected="a more specific chip name",
                )
            raise ParameterError(
                parameter,
                f"no chip in the hardware table matches '{query}' at score >= {self.threshold:.0f} with the same model "
                f"numbers; best candidates: {best}",
                expected="a chip name from the hardware table",
            )
        return m

    def row(self, match: HardwareMatch) -> pd.Series | dict[str, Any]:
        """The matched chip's row: a Series (DataFrame index) or a dict (:class:`HardwareRecords` index)."""
        if match.row is None:
            raise ParameterError("hardware", f"'{match.query}' is not matched")
        if isinstance(self.hardware, HardwareRecords):
            return self.hardware.rows[match.row]
        return self.hardware.iloc[match.row]


@dataclass(frozen=True)
class HardwareRecords:
    """The ``hardware`` table's look-up columns as plain rows (dicts), for matching without pandas.

    Built by :mod:`aiprogress.compute.lookup` from the same table the DataFrame path reads;
    missing values are ``None`` (names, types) or NaN (peaks), as in the DataFrame."""

    rows: tuple[dict[str, Any], ...]

    def __len__(self) -> int:
        return len(self.rows)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, float) and np.isnan(value):
        return []
    if isinstance(value, Iterable):
        return [str(v) for v in value if v is not None and not (isinstance(v, float) and np.isnan(v))]
    return []


def match_hardware(name: str, hardware: pd.DataFrame | HardwareIndex, *, threshold: float = MATCH_THRESHOLD) -> HardwareMatch:
    """Match ``name`` to the hardware table; raises ParameterError below ``threshold``."""
    index = hardware if isinstance(hardware, HardwareIndex) else HardwareIndex(hardware, threshold=threshold)
    return index.lookup(name)


@dataclass(frozen=True)
class PeakChoice(Result):
    """The precision and peak FLOP/s chosen for one chip, with the reason."""

    precision: str | None
    peak_flop_per_s: float
    note: str


def _peak(chip: pd.Series, precision: str) -> float:
    v = chip.get(PRECISION_COLUMNS[precision], np.nan)
    try:
        v = float(v)
    except (TypeError, ValueError):
        return float("nan")
    return v if np.isfinite(v) and v > 0 else float("nan")


def _is_tpu(chip: pd.Series) -> bool:
    return str(chip.get("type", "")).strip().upper() == "TPU" or "tpu" in exact_key(chip.get("name", ""))


def _is_gpu(chip: pd.Series) -> bool:
    t = str(chip.get("type", "") or "").strip().upper()
    if t in ("", "NAN", "NONE"):
        return "nvidia" in exact_key(chip.get("name", "")) or "gpu" in exact_key(chip.get("name", ""))
    return "GPU" in t


def choose_precision(
    chip: pd.Series,
    publication_date: Any = None,
    precision: str | None = "auto",
) -> PeakChoice:
    """Pick the precision a run used on ``chip`` and its peak FLOP/s (see module docstring).

    ``publication_date`` may be a date, a year (int) or None (unknown: treated as
    mixed-precision era). Returns NaN peak when the chip has no usable figure.
    """
    name = str(chip.get("name", "?"))
    p = normalize_precision(precision)
    if p != "auto":
        return PeakChoice(p, _peak(chip, p), f"{name}: precision {p} requested")
    date = _as_timestamp(publication_date)
    mixed_era = date is None or date >= __getattr__("MIXED_PRECISION_FROM")
    when = "date unknown" if date is None else f"published {date.date()}"
    tensor = _peak(chip, "tensor_fp16")
    if np.isfinite(tensor) and _is_tpu(chip):
        return PeakChoice("tensor_fp16", tensor, f"{name} is a TPU: bf16 matrix-unit rate")
    if np.isfinite(tensor) and mixed_era:
        return PeakChoice("tensor_fp16", tensor, f"{name}: tensor FP16/BF16 rate ({when}, mixed-precision era from {_MIXED_PRECISION_YEAR})")
    fp16 = _peak(chip, "fp16")
    if mixed_era and np.isfinite(fp16) and not _is_gpu(chip):
        return PeakChoice("fp16", fp16, f"{name} is a non-GPU accelerator with no tensor figure: FP16 rate ({when})")
    fp32 = _peak(chip, "fp32")
    if np.isfinite(fp32):
        why = "no tensor-core rate recorded" if not np.isfinite(tensor) else f"{when}, before mixed precision"
        return PeakChoice("fp32", fp32, f"{name}: FP32 rate ({why})")
    for alt in _FALLBACK_ORDER:
        v = _peak(chip, alt)
        if np.isfinite(v):
            return PeakChoice(alt, v, f"{name} records no FP32 rate; used its {alt} rate")
    return PeakChoice(None, float("nan"), f"{name} records no peak FLOP/s")


def _as_timestamp(value: Any) -> pd.Timestamp | None:
    """A publication date by the package's one date rule (:func:`aiprogress.data.dates.parse_date`)."""
    if value is None:  # parse_date(None) is None; no pandas needed
        return None
    import pandas as pd

    from aiprogress.data.dates import parse_date

    if isinstance(value, _dt.date) and not isinstance(value, pd.Timestamp):
        value = pd.Timestamp(value)
    return parse_date(value, "date")
