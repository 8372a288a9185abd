"""The set-up every analysis notebook shares: where the tables and figures are, how a figure is saved
and shown, and pandas display options. One call in each notebook's first code cell:

    nb = notebook.start(lang=lang, processed_dir=processed_dir, figures_dir=figures_dir,
                        figure_formats=figure_formats)
    tables = nb.load(cities)
    nb.save(fig, "01_coverage_matrix")

Top layer: it ties reading (:mod:`qualitylib.tables`) to drawing (:mod:`qualitylib.viz`); the
notebooks call it, nothing in the package does.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .paths import FIGURES_DIR, PROCESSED_DIR, find_root, resolve
from .tables import load_processed

LANGS = ("zh", "en")
#: Rows a notebook shows of a table before it shows the head and points to the CSV.
MAX_TABLE_ROWS = 60


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # IPython comes with ipykernel; without it there is nothing to show on
        return False
    return get_ipython() is not None


@dataclass(frozen=True)
class NotebookSession:
    """Paths and output settings of one notebook run. Relative paths mean the project root, so a
    notebook opened from ``notebooks/`` in JupyterLab and one run by papermill find the same files."""

    lang: str
    root: Path
    processed_dir: Path
    figures_dir: Path
    figure_formats: tuple[str, ...]

    def path(self, path: str | os.PathLike[str]) -> Path:
        """Input: a path parameter. Output: it resolved against the project root."""
        return resolve(path, self.root)

    def load(self, cities: Sequence[str] | str | None = None) -> dict[str, pd.DataFrame]:
        """Input: city names in Chinese or pinyin (empty: all). Output: the processed tables of those
        cities (see :func:`qualitylib.tables.load_processed`)."""
        return load_processed(self.processed_dir, cities)

    def save(self, fig, name: str, *, show: bool = True) -> list[Path]:
        """Save ``fig`` as ``<figures_dir>/<name>_<lang>.<format>`` for every format (deterministic,
        atomic), show it in the notebook, close it. Output: the written paths.

        The figure is drawn once per format; the notebook shows the saved PNG's bytes (drawing it a
        third time for the display cost as much as saving it)."""
        import matplotlib.pyplot as plt

        from .viz import save_figure
        from .viz.style import FIGURE_DPI, SAVE_DPI

        written = save_figure(fig, self.figures_dir / f"{name}_{self.lang}", self.figure_formats)
        plt.close(fig)
        if show and _in_notebook():
            from IPython.display import SVG, Image, display

            png = next((p for p in written if p.suffix == ".png"), None)
            svg = next((p for p in written if p.suffix == ".svg"), None)
            if png is not None:
                data = png.read_bytes()
                # at screen resolution, as a figure shown by matplotlib would be
                width = int.from_bytes(data[16:20], "big") * FIGURE_DPI // SAVE_DPI
                display(Image(data=data, format="png", embed=True, width=width))
            elif svg is not None:
                display(SVG(data=svg.read_bytes()))
            else:
                print("saved:", ", ".join(str(p) for p in written))
        return written

    def save_pages(self, figures, name: str, *, show: int = 2) -> list[Path]:
        """Save every page of a paged chart (``viz.<chart>_figures(...)``: suffix -> Figure, drawn as it
        is iterated) as ``<name><suffix>``; show the first ``show`` pages in the notebook and say how
        many more there are and where. Output: the written paths."""
        written: list[Path] = []
        n = 0
        for suffix, fig in figures.items():
            written += self.save(fig, f"{name}{suffix}", show=n < show)
            n += 1
        if n > show:
            print(f"{n - show} more page(s) of this figure: {self.figures_dir}/{name}_*_{self.lang}.png")
        return written

    def show_table(self, frame: pd.DataFrame, *, max_rows: int = MAX_TABLE_ROWS, csv: str | None = None) -> None:
        """Show ``frame`` in the notebook, or its first ``max_rows`` rows and a line saying how many more
        there are and where the whole table is (``csv``, a file of the processed data): an HTML export
        with every target of hundreds of plans in one table helps nobody."""
        from IPython.display import Markdown, display

        if len(frame) <= max_rows:
            display(frame)
            return
        display(frame.head(max_rows))
        where = f" The whole table is `{csv}`." if csv else ""
        display(Markdown(f"*{len(frame) - max_rows:,} more rows not shown ({len(frame):,} in all).{where}*"))

    def theme_check(self, gold_path: str | os.PathLike[str], *, seed: int, n_repeats: int):
        """The cross-validation of the theme coder against the hand coding
        (:func:`qualitylib.stats_tables.theme_check`): the run's stored result when it was made with
        this sample, seed and repeats, else computed here; says which."""
        from .stats_tables import theme_check

        result, source = theme_check(self.processed_dir, gold_path, seed=seed, n_repeats=n_repeats)
        print(source)
        return result

    def statistics(self, params: Mapping[str, Any], *, cities: Sequence[str] = (), sentences=None
                   ) -> dict[str, pd.DataFrame]:
        """The cross-city statistics (see :mod:`qualitylib.stats_tables`): read from the run's stored
        tables when they fit ``params`` and the whole corpus is compared, else computed here; says
        which. Output: dict of tables."""
        from .stats_tables import statistics

        tables, source = statistics(self.processed_dir, params, sentences=sentences, cities=list(cities or []))
        print(source)
        return tables


def start(*, lang: str = "zh", processed_dir: str | os.PathLike[str] = PROCESSED_DIR,
          figures_dir: str | os.PathLike[str] = FIGURES_DIR,
          figure_formats: Sequence[str] = ("png", "svg"), root: str | os.PathLike[str] | None = None) -> NotebookSession:
    """Input: the notebook's parameters. Output: a :class:`NotebookSession`. Raises ``ValueError`` for
    an unknown language or an empty list of figure formats, before any work is done."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {list(LANGS)}, got {lang!r}")
    if isinstance(figure_formats, str):
        raise ValueError(f"figure_formats must be a list such as ['png', 'svg'], got the string {figure_formats!r}")
    if not figure_formats:
        raise ValueError("figure_formats is empty: no figure would be saved")
    base = Path(root) if root is not None else find_root()
    # matplotlib reports every missing bold face of the CJK font; the figures use regular weight
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    pd.set_option("display.max_colwidth", 120)
    pd.set_option("display.width", 200)
    return NotebookSession(lang=lang, root=base, processed_dir=resolve(processed_dir, base),
                           figures_dir=resolve(figures_dir, base), figure_formats=tuple(figure_formats))
