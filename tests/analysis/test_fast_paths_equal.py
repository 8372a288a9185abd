"""The faster paths of the comparison and responsibility analyses give what the slow ones gave."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from qualitylib.analysis import agencies, comparability, concreteness
from qualitylib.analysis.comparability import match_national
from qualitylib.analysis.reference_gaps import _memo_numeric, _records_by


@pytest.mark.parametrize("v", [[3.0, 1, 2, 2, 5], [1.0, np.nan, 2], [-0.0, 0.0, 1e-300, -5], [np.inf, 1, -np.inf], [7.0]])
def test_average_ranks_are_scipys(v):
    from scipy.stats import rankdata

    a = np.asarray(v, dtype=float)
    np.testing.assert_array_equal(comparability._average_ranks(a), rankdata(a, method="average"))


def test_comparability_does_not_import_scipy_stats():
    code = "import sys, qualitylib.analysis.comparability; print('scipy.stats' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_match_national_nearest_then_later_then_first_row():
    table = pd.DataFrame({"city": ["A", "B", "C", "D"], "code": ["x", "x", "x", "y"], "series": ["s", "s", "s", "s"],
                          "unit": ["%", "", "件", "%"], "kind": ["level"] * 4, "target_year": [2022, 2024, "2023", None],
                          "value": [1.0, 2, 3, 4]})
    national = pd.DataFrame({"code": ["x", "x", "x", "x", "y"], "series": ["s"] * 5, "unit": ["%", "%", "", "%", "%"],
                             "horizon": [2021, 2023, 2023, 2030, 2023], "value": [90.0, 91, 92, 93, 94],
                             "comparator": [">="] * 5, "source_zh": list("abcde"), "source_en": list("abcde"),
                             "checked_against_primary": ["yes"] * 5})
    out = match_national(table, national)
    # A (2022): 2021 and 2023 are one year away, the later wins, first row of it (91, unit %)
    # B (2024, no unit): 2023 rows, first in table order; C (件): only the unit-less national row fits
    assert out["nat_value"].tolist()[:3] == [91.0, 91.0, 92.0]
    assert out["nat_horizon"].tolist()[:3] == [2023, 2023, 2023]
    assert out.loc[3, "nat_value"] is pd.NA  # no target year: no reference
    assert out["nat_value"].dtype == object


def test_records_by_keeps_table_order_and_string_keys():
    frame = pd.DataFrame({"code": ["a", np.nan, "a", "b"], "v": [1, 2, 3, 4]})
    groups = _records_by(frame, "code")
    assert [r["v"] for r in groups[("a",)]] == [1, 3]
    assert [r["v"] for r in groups[("b",)]] == [4]
    assert ("",) not in groups  # a missing code matches no target's code, as the per-row filter did


def test_memo_numeric_is_to_numeric():
    num = _memo_numeric()
    for v in ["2025", 2025, 2025.0, None, "", "x", float("nan"), pd.NA, np.int64(2020)]:
        for _ in range(2):
            got, want = num(v), pd.to_numeric(v, errors="coerce")
            assert type(got) is type(want) and (got == want or (pd.isna(got) and pd.isna(want)))


def test_parse_note_results_are_fresh_copies():
    note = "市质监局牵头,市发改委、市经信委按职责分工负责"
    first = agencies.parse_note(note)
    first[0]["role"] = "changed"
    assert agencies.parse_note(note)[0]["role"] == "lead"


def test_reform_period_same_for_cached_text():
    assert agencies.reform_period("2018-12-31") == agencies.reform_period(pd.Timestamp("2018-12-31")) == "pre_reform"
    assert agencies.reform_period("2019-01-01") == "post_reform"
    assert agencies.reform_period("not a date") == agencies.reform_period(float("nan")) == "unknown"


def test_intervals_equal_one_quantile_call_per_key():
    rng = np.random.default_rng(3)
    sums = {k: (rng.integers(0, 5, size=(n, 4)).astype(float), rng.integers(5, 9, size=n).astype(float))
            for k, n in (("a", 7), ("b", 3), ("c", 12))}
    got = concreteness._intervals(sums, list(sums), 200, 11, 0.95)
    from qualitylib.analysis.themes import boot_share_draws

    draws = boot_share_draws(sums, list(sums), 200, np.random.default_rng(11))
    a = (1.0 - 0.95) / 2.0
    for k, d in draws.items():
        np.testing.assert_array_equal(got[k][0], np.quantile(d, a, axis=0))
        np.testing.assert_array_equal(got[k][1], np.quantile(d, 1.0 - a, axis=0))
