"""nb.computed stores an analysis result by its inputs: the other language's run of a notebook, and the
next run when the inputs did not change, read it instead of computing it again."""
from __future__ import annotations

import pandas as pd
import pytest

from qualitylib.computed import COMPUTED_DIR, KEEP_COMPUTED

CALLS: list[str] = []


def shares(frame: pd.DataFrame, *, scale: float = 1.0) -> pd.DataFrame:
    CALLS.append("shares")
    out = frame.groupby("city", as_index=False)["value"].sum()
    out["value"] *= scale
    out.attrs["note"] = "summed"
    return out


@pytest.fixture
def nb(session):
    CALLS.clear()
    return session("zh")


def _frame(values):
    return pd.DataFrame({"city": ["甲市", "乙市", "甲市"][:len(values)], "value": values})


def test_a_result_is_computed_once_per_inputs(nb, session):
    first = nb.computed(shares, _frame([1.0, 2.0, 3.0]), scale=2.0)
    assert CALLS == ["shares"]
    # the run in the other language: a session of its own over the same folder
    other = session("en")
    again = other.computed(shares, _frame([1.0, 2.0, 3.0]), scale=2.0)
    assert CALLS == ["shares"]
    pd.testing.assert_frame_equal(again, first, check_exact=True)
    assert again.attrs == {"note": "summed"}
    nb.computed(shares, _frame([1.0, 2.0, 3.5]), scale=2.0)  # another input
    nb.computed(shares, _frame([1.0, 2.0, 3.0]), scale=3.0)  # another parameter
    assert len(CALLS) == 3


def test_a_damaged_entry_is_computed_again(nb):
    nb.computed(shares, _frame([1.0]))
    (entry,) = (nb.processed_dir / COMPUTED_DIR).glob("shares-*.pkl")
    entry.write_bytes(b"not a pickle")
    result = nb.computed(shares, _frame([1.0]))
    assert len(CALLS) == 2 and result["value"].tolist() == [1.0]


def test_lambdas_are_always_computed_and_reuse_can_be_switched_off(nb, session):
    nb.computed(lambda f: shares(f), _frame([1.0]))
    nb.computed(lambda f: shares(f), _frame([1.0]))
    assert len(CALLS) == 2
    off = session("zh", reuse_figures=False)
    off.computed(shares, _frame([1.0]))
    off.computed(shares, _frame([1.0]))
    assert len(CALLS) == 4


def test_old_entries_are_pruned(nb):
    for i in range(8):
        nb.computed(shares, _frame([float(i)]))
    entries = list((nb.processed_dir / COMPUTED_DIR).glob("shares-*.pkl"))
    assert len(entries) == KEEP_COMPUTED + 1
    nb.computed(shares, _frame([7.0]))  # the newest is among them
    assert len(CALLS) == 8


def test_notebook_05_shares_its_results_between_languages():
    from qualitylib.paths import find_root
    from qualitylib.run_steps import shares_results

    notebooks = find_root() / "notebooks"
    assert shares_results(notebooks / "05_responsibility_and_commitment.py")
    assert not shares_results(notebooks / "01_indicator_table.py")


def test_a_cheaper_way_to_the_same_result_is_stored_under_the_functions_key(nb):
    from qualitylib.computed import computed

    made = computed(nb.processed_dir, shares, _frame([4.0, 5.0]), make=lambda: shares(_frame([4.0, 5.0])).assign(via="make"))
    assert CALLS == ["shares"] and made["via"].tolist() == ["make", "make"]
    # the function's own call with the same inputs reads what `make` stored
    again = nb.computed(shares, _frame([4.0, 5.0]))
    assert CALLS == ["shares"]
    pd.testing.assert_frame_equal(again, made, check_exact=True)
