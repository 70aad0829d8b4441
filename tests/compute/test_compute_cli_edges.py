"""Issue 8 §2 (compute side): overflow, one date rule shared with the loader, and
validated counts/sizes at the CLI edge (exit 2, one line)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.compute.estimate import estimate_from_hardware, estimate_from_operations
from aiprogress.data.dates import parse_date
from aiprogress.errors import ParameterError

runner = CliRunner()


def one_line_error(res, *needles):
    assert res.exit_code == 2, res.output
    msg = res.stderr.strip()
    assert "\n" not in msg and "Traceback" not in msg, msg
    for n in needles:
        assert n in msg, (n, msg)
    assert res.stdout == ""
    return msg


def test_overflowing_product_is_a_clear_error_not_inf(tmp_path):
    from aiprogress.paths import resolve_data_dir

    data = resolve_data_dir()
    if not (data / "epoch").is_dir():
        pytest.skip("real data not found")
    res = runner.invoke(app, ["compute", "estimate", "--hardware", "NVIDIA V100", "--chips", "1e300", "--hours", "1e300",
                              "--data-dir", str(data)])
    one_line_error(res, "parameter 'inputs': chips x peak FLOP/s x seconds x utilization overflows")
    assert "inf" not in res.output.replace("finite", "")
    with pytest.raises(ParameterError, match="overflows"):
        estimate_from_hardware(chips=1e300, hours=1e300, utilization=0.5, peak_flop_per_s=1e14)
    with pytest.raises(ParameterError, match=r"3 x forward FLOP x examples x epochs overflows"):
        estimate_from_operations(forward_flop=1e200, examples=1e200, epochs=1)


@pytest.mark.parametrize("args, message", [
    (["--chips", "0"], "parameter '--chips': 0 is out of range (expected a finite number > 0)"),
    (["--chips", "inf"], "parameter '--chips': inf is out of range (expected a finite number > 0)"),
    (["--hours", "-1"], "parameter '--hours': -1 is out of range (expected a finite number > 0)"),
    (["--utilization", "1.5"], "parameter '--utilization': 1.5 is out of range (expected a number in (0, 1])"),
    (["--threshold", "101"], "parameter '--threshold': 101 is out of range (expected a number in [0, 100])"),
    (["--epochs", "0"], "parameter '--epochs': 0 is out of range (expected a finite number > 0)"),
    (["--date", "01/02/2019"], "parameter 'date': '01/02/2019' is not a date (expected a date YYYY-MM-DD between 1900 and 2100)"),
    (["--date", "2999-01-01"], "parameter 'date': '2999-01-01' is outside the supported range [1900, 2100]"),
    (["--date", "2017.5"], "parameter 'date': '2017.5' is not a date"),
])
def test_estimate_rejects_bad_options_in_one_line(args, message):
    res = runner.invoke(app, ["compute", "estimate", "--forward-flop", "1e9", "--examples", "1e6", *args])
    msg = one_line_error(res, message)
    assert res.exit_code == 2 and msg.startswith("error: ") and message in msg


def test_validate_checks_plot_before_work():
    res = runner.invoke(app, ["compute", "validate", "--plot", "fig.txt", "--catalog", "/nonexistent/c.duckdb"])
    msg = one_line_error(res, "parameter 'plot': unsupported file type '.txt'")
    # the plot path is refused before the (missing) catalog is ever opened
    assert res.exit_code == 2 and "catalog" not in msg and msg.endswith("(expected .png, .svg or .pdf)")


def test_cli_and_loader_share_one_date_rule():
    import pandas as pd

    from aiprogress.data.dates import parse_dates

    vals, bad, far = parse_dates(pd.Series(["2019-02-01", "01/02/2019", "2999-01-01", None, "2019", "2019-02-01T10:00"]))
    assert bad.tolist() == [False, True, False, False, False, False]
    assert far.tolist() == [False, False, True, False, False, False]
    assert vals[0] == pd.Timestamp("2019-02-01") and vals[5] == pd.Timestamp("2019-02-01 10:00")
    assert parse_date("2019-02-01") == pd.Timestamp("2019-02-01")
    assert parse_date("2019") == parse_date(2019) == pd.Timestamp("2019-07-01")  # a bare year: 1 July
    assert parse_date(None) is None and parse_date(float("nan")) is None
    for text in ("01/02/2019", "1 Feb 2019", "2019/02/01"):
        with pytest.raises(ParameterError, match="is not a date"):
            parse_date(text)
    with pytest.raises(ParameterError, match=r"outside the supported range \[1900, 2100\]"):
        parse_date(1850)
