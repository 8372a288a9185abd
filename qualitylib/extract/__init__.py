"""Extraction layer: numerals, the indicator codebook, quantitative targets, document metadata, the
gazetteer and curated overrides. Input: cleaned documents from ``qualitylib.text``."""
