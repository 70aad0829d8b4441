"""Country names -> ISO 3166 alpha-2 codes, and the Natural Earth country polygons (offline)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd

from aiprogress.errors import DataNotFoundError, InputError

GEOJSON_FILE = "geography/natural_earth_countries.geojson"

# Names the sources use that pycountry's lookup does not resolve (or resolves ambiguously).
ALIASES = {
    "united states of america": "US", "usa": "US", "united states": "US", "us": "US",
    "united kingdom of great britain and northern ireland": "GB", "uk": "GB", "united kingdom": "GB", "england": "GB",
    "scotland": "GB", "korea (republic of)": "KR", "south korea": "KR", "korea, republic of": "KR", "korea": "KR",
    "north korea": "KP", "russia": "RU", "russian federation": "RU", "taiwan": "TW", "hong kong": "HK", "macau": "MO",
    "macao": "MO", "iran": "IR", "vietnam": "VN", "viet nam": "VN", "czech republic": "CZ", "turkey": "TR",
    "türkiye": "TR", "syria": "SY", "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD",
    "palestine": "PS", "kosovo": "XK", "ivory coast": "CI", "cote d'ivoire": "CI", "côte d'ivoire": "CI",
    "the netherlands": "NL", "holland": "NL", "uae": "AE", "brunei": "BN", "cape verde": "CV", "swaziland": "SZ",
    "macedonia": "MK", "burma": "MM", "vatican": "VA", "micronesia": "FM", "democratic republic of the congo": "CD",
    "congo, the democratic republic of the": "CD", "iran (islamic republic of)": "IR", "bolivia (plurinational state of)": "BO",
    "venezuela (bolivarian republic of)": "VE", "tanzania, united republic of": "TZ", "moldova (republic of)": "MD", "republic of the congo": "CG", "mainland china": "CN", "prc": "CN",
}
NOT_A_COUNTRY = {"multinational", "international", "unknown", "", "global", "worldwide", "europe", "european union"}


@functools.lru_cache(maxsize=4096)
def country_code(name: str | None) -> str | None:
    """ISO alpha-2 code of a country name (``"Korea (Republic of)"`` -> ``"KR"``); None if unknown."""
    if name is None:
        return None
    key = " ".join(str(name).strip().lower().split())
    if key in NOT_A_COUNTRY:
        return None
    if key in ALIASES:
        return ALIASES[key]
    import pycountry

    if len(key) == 2:
        c = pycountry.countries.get(alpha_2=key.upper())
        return c.alpha_2 if c else None
    if len(key) == 3:
        c = pycountry.countries.get(alpha_3=key.upper())
        if c:
            return c.alpha_2
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        pass
    try:
        hits = pycountry.countries.search_fuzzy(key)
    except LookupError:
        return None
    return hits[0].alpha_2 if len(hits) == 1 else None


@functools.lru_cache(maxsize=4)
def _load_geojson(path: str) -> dict:
    p = Path(path)
    if not p.is_file():
        raise DataNotFoundError(f"{GEOJSON_FILE}: file not found at {p} (pass --data-dir)")
    with p.open(encoding="utf-8") as fh:
        try:
            data = json.load(fh)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid GeoJSON ({exc.msg})", file=GEOJSON_FILE, line=exc.lineno) from None
    if data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise InputError("not a FeatureCollection", file=GEOJSON_FILE, column="type", expected="a GeoJSON FeatureCollection")
    return data


def countries_geojson(data_dir: str | Path | None = None) -> dict:
    """The Natural Earth admin-0 polygons as a GeoJSON dict."""
    from aiprogress.paths import resolve_data_dir

    return _load_geojson(str(resolve_data_dir(data_dir) / GEOJSON_FILE))


def feature_iso2(props: dict) -> str | None:
    """ISO alpha-2 code of a Natural Earth feature: ``iso_a2`` when it is a plain code, else ``iso_a2_eh``
    (Natural Earth writes Taiwan as ``CN-TW`` / ``TW``, France and Norway as ``-99`` / ``FR``, ``NO``)."""
    for key in ("iso_a2", "iso_a2_eh"):
        code = props.get(key)
        if isinstance(code, str) and len(code) == 2 and code.isalpha():
            return code
    return None


def country_table(data_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per Natural Earth country: iso_a2, iso_a3, name, continent, region_un, subregion, pop_est."""
    feats = countries_geojson(data_dir)["features"]
    rows = []
    for f in feats:
        p = f.get("properties") or {}
        iso2 = feature_iso2(p)
        rows.append({"iso_a2": iso2, "iso_a3": p.get("iso_a3_eh") or p.get("iso_a3"), "name": p.get("name"),
                     "continent": p.get("continent"), "region_un": p.get("region_un"), "subregion": p.get("subregion"),
                     "pop_est": p.get("pop_est")})
    out = pd.DataFrame(rows)
    return out[out["iso_a2"].notna()].drop_duplicates("iso_a2").reset_index(drop=True)


def country_name(code: str, data_dir: str | Path | None = None) -> str:
    import pycountry

    c = pycountry.countries.get(alpha_2=str(code).upper())
    return getattr(c, "common_name", None) or (c.name if c else str(code))
