"""Paged charts that say what each page is drawn from (FigurePages.page_inputs): a change in one
place's value changes the inputs of the pages that show it, not the others, and equal inputs give
the same picture."""
from __future__ import annotations

import numpy as np
from scale_data import scale_inputs

from qualitylib import viz
from qualitylib.records import exact_digest


def _digests(pages):
    return {suffix: exact_digest(part) for suffix, part in zip(pages, pages.page_inputs)}


def test_one_changed_target_changes_the_inputs_of_its_indicator_only(tmp_path):
    d = scale_inputs(60)
    view, national = d["view"], d["national"]
    pages = viz.indicator_comparison_figures(view, national, lang="en")
    before = _digests(pages)
    assert len(before) >= 3
    changed = view.copy()
    row = view.index[np.isfinite(view["value"].astype(float))][0]
    changed.loc[row, "value"] = float(view.loc[row, "value"]) * 0.999  # within the rest of its range
    changed_pages = viz.indicator_comparison_figures(changed, national, lang="en")
    after = _digests(changed_pages)
    assert after.keys() == before.keys()
    moved = [s for s in before if before[s] != after[s]]
    assert 1 <= len(moved) < len(before), moved
    # a page whose inputs are equal is drawn the same
    same = next(s for s in before if before[s] == after[s])
    old = viz.save_figure(pages[same], tmp_path / "before", ["png"])[0]
    new = viz.save_figure(changed_pages[same], tmp_path / "after", ["png"])[0]
    assert old.read_bytes() == new.read_bytes()
