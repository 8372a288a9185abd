"""The release README's section on the policy-theme coding: per-theme precision/recall/F1 of the method in
use against the hand-coded dev sample, the cross-validated comparison, and a placeholder without it."""
from __future__ import annotations

from qualitylib import release
from qualitylib.analysis.theme_evaluation import CHOSEN_METHOD


def test_readme_reports_theme_coding_accuracy(root):
    text = release.readme_text(root / "data" / "processed", "9.9.9")
    section = text.split("## Policy-theme coding accuracy", 1)[1].split("## Known limits", 1)[0]
    assert f"`{CHOSEN_METHOD}`" in section and "macro F1" in section and "micro F1" in section
    assert "| agri_food_drug |" in section and "| leadership_organisation_assessment |" in section
    assert "| model | 5-fold, 10 repeats |" in section and "| model | leave one document out |" in section
    assert "optimistic" in section  # the rules were written on this sample: said where the numbers are
    assert release.readme_text(root / "data" / "processed", "9.9.9") == text  # deterministic


def test_theme_section_without_the_sample_says_so(tmp_path):
    section = release._theme_coding_section(tmp_path / "none.csv")
    assert "Not measured for this release" in section
