"""URL state and upload parsing: round trips and one-line errors."""

from __future__ import annotations

import base64
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiprogress.app.state import decode_state, encode_state
from aiprogress.app.uploads import MAX_UPLOAD_BYTES, UploadError, decode_upload, parse_scenario_upload


def _upload(text: str | bytes) -> str:
    raw = text.encode() if isinstance(text, str) else text
    return "data:application/x-yaml;base64," + base64.b64encode(raw).decode()


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b.c", "rho", "x_y"]),
                       st.floats(allow_nan=False, allow_infinity=True, width=64), min_size=1))
def test_float_state_round_trips_exactly(state):
    spec = {k: (float, 0.0) for k in ["a", "b.c", "rho", "x_y"]}
    back, problems = decode_state(encode_state(state), spec)
    assert problems == []
    for k, v in state.items():
        assert back[k] == v or (math.isinf(v) and back[k] == v)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_string_state_round_trips(text):
    back, problems = decode_state(encode_state({"s": text}), {"s": (str, "d")})
    assert back["s"] == text and problems == []


def test_bad_values_fall_back_to_defaults_and_are_reported():
    back, problems = decode_state("?rho=abc&n=nan&other=1", {"rho": (float, -0.2), "n": (float, 0.01)})
    assert back == {"rho": -0.2, "n": 0.01}
    assert len(problems) == 2 and "rho=abc" in problems[0]


def test_valid_upload_parses_like_the_cli_loader():
    from aiprogress.app.scenario import shipped_config_text
    from aiprogress.takeoff.config import load_config

    text = shipped_config_text("davidson-houlden-2025")
    got_text, cfg = parse_scenario_upload(_upload(text), "my.yaml")
    ref = load_config("davidson-houlden-2025")
    assert got_text == text
    assert (cfg.model, cfg.uncertain, cfg.fixed) == (ref.model, ref.uncertain, ref.fixed)


@pytest.mark.parametrize("contents, fragment", [
    (None, "empty upload"),
    ("not-a-data-url", "not a file upload"),
    ("data:x;base64,@@@@", "could not decode"),
    (_upload(b"\xff\xfe\x00binary"), "not UTF-8"),
    (_upload("a: &x [1]\nb: *x\n"), "anchors and aliases"),
    (_upload("parameters: {r: 1.5\n"), "invalid YAML"),
    (_upload("parameters: {r: 1.5}\nbogus: 1\n"), "unknown key"),
    (_upload("model: davidson-houlden\nparameters: {r: -3}\n"), "parameters.r"),
    (_upload("x" * (MAX_UPLOAD_BYTES + 10)), "larger than"),
    (_upload("!!python/object:os.system {}\n"), "tags are not accepted"),
])
def test_bad_uploads_give_one_line_messages(contents, fragment):
    with pytest.raises(UploadError) as err:
        parse_scenario_upload(contents, "../../etc/evil name.yaml")
    msg = str(err.value)
    assert fragment in msg and "\n" not in msg and "Traceback" not in msg
    assert "/etc" not in msg  # only the base name of the upload is shown


def test_decode_upload_limit_is_on_decoded_bytes():
    assert decode_upload(_upload("a" * 100), "f.yaml", max_bytes=100) == "a" * 100
    with pytest.raises(UploadError, match="larger than"):
        decode_upload(_upload("a" * 101), "f.yaml", max_bytes=100)
