"""The set-up every analysis notebook shares: where the tables and figures are, how a figure is saved
and shown, and pandas display options. One call in each notebook's first code cell:

    nb = notebook.start(lang=lang, processed_dir=processed_dir, figures_dir=figures_dir,
                        figure_formats=figure_formats)
    tables = nb.load(cities)
    nb.save(fig, "01_coverage_matrix")
    nb.figure("01_family_counts", viz.family_counts_figure, view, lang=lang)  # drawn only when its inputs changed

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
from .notebook_reads import note_read
from .tables import ProcessedTables

LANGS = ("zh", "en")
#: Beside the figures: what each figure drawn by :meth:`NotebookSession.figure` was drawn from.
FIGURE_KEYS_DIR = ".figure-keys"
#: Rows a notebook shows of a table before it shows the head and points to the CSV.
MAX_TABLE_ROWS = 60


class SavedFiles(list):
    """The paths a figure was saved to. A notebook cell that ends with ``nb.figure(...)`` shows the
    figure, not this list (it has already been shown, or said to be unchanged)."""

    def _ipython_display_(self) -> None:
        pass


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
    reuse_figures: bool = True

    def path(self, path: str | os.PathLike[str]) -> Path:
        """Input: a path parameter naming a file the notebook reads. Output: it resolved against the
        project root (and noted as read: see :mod:`qualitylib.notebook_reads`)."""
        resolved = resolve(path, self.root)
        note_read("path", path=str(resolved))
        return resolved

    def load(self, cities: Sequence[str] | str | None = None, *,
             columns: Mapping[str, Sequence[str]] | None = None) -> ProcessedTables:
        """Input: city names in Chinese or pinyin (empty: all); ``columns``: table -> the only columns the
        notebook needs of it (a run then redoes the notebook only when those change). Output: the
        processed tables of those cities (see :func:`qualitylib.tables.load_processed`), each read when
        first looked up."""
        return ProcessedTables(self.processed_dir, cities, columns=columns,
                               on_read=lambda name, cols: note_read("table", name=name, columns=cols))

    def save(self, fig, name: str, *, show: bool = True) -> list[Path]:
        """Save ``fig`` as ``<figures_dir>/<name>_<lang>.<format>`` for every format (deterministic,
        atomic), show it in the notebook, close it. Output: the written paths.

        The figure is drawn once per format; the notebook shows the saved PNG's bytes (drawing it a
        third time for the display cost as much as saving it)."""
        import matplotlib.pyplot as plt

        from .viz import save_figure

        written = save_figure(fig, self.figures_dir / f"{name}_{self.lang}", self.figure_formats)
        plt.close(fig)
        if show and _in_notebook():
            shown = next((p for p in written if p.suffix == ".png"), None) or next(
                (p for p in written if p.suffix == ".svg"), None)
            if shown is not None:
                self._display_file(shown)
            else:
                print("saved:", ", ".join(str(p) for p in written))
        return written

    @staticmethod
    def _display_file(path: Path) -> None:
        from IPython.display import SVG, Image, display

        from .viz.style import FIGURE_DPI, SAVE_DPI

        data = path.read_bytes()
        if path.suffix == ".png":
            # at screen resolution, as a figure shown by matplotlib would be
            width = int.from_bytes(data[16:20], "big") * FIGURE_DPI // SAVE_DPI
            display(Image(data=data, format="png", embed=True, width=width))
        else:
            display(SVG(data=data))

    def save_pages(self, figures, name: str, *, show: int = 2, kept: Mapping[str, list[Path]] | None = None
                   ) -> list[Path]:
        """Save every page of a paged chart (``viz.<chart>_figures(...)``: suffix -> Figure, drawn as it
        is looked up) as ``<name><suffix>``, except the pages in ``kept`` (suffix -> their saved files,
        left as they are and not drawn); show the first ``show`` pages in the notebook and say how many
        more there are and where. Output: the paths of every page's files."""
        kept = kept or {}
        written: list[Path] = []
        for n, suffix in enumerate(figures):
            if suffix in kept:
                if n < show and _in_notebook():
                    self._display_file(next((p for p in kept[suffix] if p.suffix == ".png"), kept[suffix][0]))
                written += kept[suffix]
            else:
                written += self.save(figures[suffix], f"{name}{suffix}", show=n < show)
        n_kept = sum(1 for suffix in figures if suffix in kept)
        if n_kept:
            print(f"{len(figures) - n_kept} of {len(figures)} page(s) drawn; the others are unchanged since they "
                  f"were last drawn (same inputs): {self.figures_dir}/{name}_*_{self.lang}.*")
        elif len(figures) > show:
            print(f"{len(figures) - show} more page(s) of this figure: {self.figures_dir}/{name}_*_{self.lang}.png")
        return written

    def figure(self, name: str, draw, /, *args: Any, show: int = 2, **kwargs: Any) -> list[Path]:
        """Draw ``draw(*args, **kwargs)`` -- a chart function of :mod:`qualitylib.viz` returning a Figure,
        or pages ``{suffix: Figure}`` -- and save it as :meth:`save` / :meth:`save_pages` do, unless it
        was drawn before from the same inputs: the same function, arguments (tables by content),
        language, formats, package code and Matplotlib, with every file it wrote still as it was. Then
        the saved files are shown as they are, and nothing is drawn: a run after one document changed
        redraws only the charts whose data changed. Pages a chart no longer has are deleted.
        ``start(..., reuse_figures=False)`` draws every time. Output: the paths of the figure's files."""
        key = self._figure_key(name, draw, args, kwargs)
        kept = self._kept_figure(name, key)
        if kept is not None:
            self._show_saved(kept, show)
            return SavedFiles(kept)
        drawn = draw(*args, **kwargs)
        page_keys = self._page_keys(name, draw, drawn)
        if page_keys is not None:
            written = self.save_pages(drawn, name, show=show, kept=self._kept_pages(name, page_keys))
        else:
            written = (self.save_pages(drawn, name, show=show) if isinstance(drawn, Mapping)
                       else self.save(drawn, name, show=show > 0))
        self._note_figure(name, key, written, page_keys)
        return SavedFiles(written)

    def _page_keys(self, name: str, draw, drawn) -> dict[str, str] | None:
        """Suffix -> key of each page, for pages that say what they are drawn from (see
        :class:`~qualitylib.viz.scale.FigurePages`); None when they do not or cannot be digested."""
        inputs = getattr(drawn, "page_inputs", None)
        if inputs is None or not self.reuse_figures:
            return None
        import matplotlib

        from .records import code_fingerprint, exact_digest

        try:
            base = exact_digest("page", name, self.lang, list(self.figure_formats), matplotlib.__version__,
                                code_fingerprint(), draw)
            return {suffix: exact_digest(base, suffix, part) for suffix, part in zip(drawn, inputs)}
        except TypeError:
            return None

    def _kept_pages(self, name: str, page_keys: dict[str, str]) -> dict[str, list[Path]]:
        """The pages (suffix -> files) drawn with the key they have now, whose files are intact."""
        from .records import file_digest

        note = self._read_note(name)
        before = note.get("pages", {})
        sha = dict(map(tuple, note.get("files", [])))
        kept = {}
        for suffix, key in page_keys.items():
            files = [self.figures_dir / f"{name}{suffix}_{self.lang}.{fmt}" for fmt in self.figure_formats]
            if before.get(suffix) == key and all(p.is_file() and sha.get(p.name) == file_digest(p) for p in files):
                kept[suffix] = files
        return kept

    def _figure_key(self, name: str, draw, args, kwargs) -> str | None:
        import matplotlib

        from .records import code_fingerprint, exact_digest

        try:
            return exact_digest("figure", name, self.lang, list(self.figure_formats), matplotlib.__version__,
                                code_fingerprint(), draw, list(args), kwargs)
        except TypeError:
            return None  # an input that cannot be compared exactly: always drawn

    def _keys_file(self, name: str) -> Path:
        return self.figures_dir / FIGURE_KEYS_DIR / f"{name}_{self.lang}.json"

    def _read_note(self, name: str) -> dict[str, Any]:
        """What a chart was last drawn from (:meth:`_note_figure`); empty when there is no readable note."""
        import json

        try:
            note = json.loads(self._keys_file(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return note if isinstance(note, dict) else {}

    def _kept_figure(self, name: str, key: str | None) -> list[Path] | None:
        from .records import file_digest

        if key is None or not self.reuse_figures:
            return None
        note = self._read_note(name)
        if note.get("key") != key:
            return None
        files = [(self.figures_dir / rel, sha) for rel, sha in note.get("files", [])]
        if not files or any(not p.is_file() or file_digest(p) != sha for p, sha in files):
            return None
        return [p for p, _ in files]

    def _note_figure(self, name: str, key: str | None, written: list[Path], pages: dict[str, str] | None = None
                     ) -> None:
        import json

        from .atomic import write_text_atomic
        from .records import file_digest

        keys_file = self._keys_file(name)
        before = self._read_note(name).get("files", [])
        # pages of an earlier, longer version of this chart (the corpus shrank) would stay behind
        now = {p.name for p in written}
        for rel, _sha in before:
            if rel not in now:
                (self.figures_dir / rel).unlink(missing_ok=True)
        if key is None and pages is None:
            keys_file.unlink(missing_ok=True)
            return
        note = {"key": key, "files": [[p.name, file_digest(p)] for p in written]}
        if pages is not None:
            note["pages"] = pages
        write_text_atomic(keys_file, json.dumps(note, indent=0) + "\n")

    def _show_saved(self, paths: list[Path], show: int) -> None:
        pngs = [p for p in paths if p.suffix == ".png"] or [p for p in paths if p.suffix == ".svg"]
        if _in_notebook():
            for p in pngs[:show]:
                self._display_file(p)
        more = f"; {len(pngs) - show} more page(s): {self.figures_dir}/{pngs[0].name}" if len(pngs) > show else ""
        print(f"unchanged since it was last drawn (same inputs), not drawn again{more}")

    def computed(self, work, /, *args: Any, **kwargs: Any) -> Any:
        """``work(*args, **kwargs)`` -- an analysis function of :mod:`qualitylib.analysis` -- or the result
        stored when it was last called with the same inputs (:func:`qualitylib.computed.computed`): the
        other language's run of the same notebook, the statistics step (the theme coding) or the last
        run computed it already. ``start(..., reuse_figures=False)`` computes every time. Output: the
        result."""
        from .computed import computed

        return computed(self.processed_dir, work, *args, reuse=self.reuse_figures, **kwargs)

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
        note_read("theme_check", gold=str(resolve(gold_path, self.root)))
        print(source)
        return result

    def statistics(self, params: Mapping[str, Any], *, cities: Sequence[str] = (), sentences=None
                   ) -> dict[str, pd.DataFrame]:
        """The cross-city statistics (see :mod:`qualitylib.stats_tables`): read from the run's stored
        tables when they fit ``params`` and the whole corpus is compared, else computed here; says
        which. Output: dict of tables."""
        from .stats_tables import statistics

        tables, source = statistics(self.processed_dir, params, sentences=sentences, cities=list(cities or []))
        note_read("statistics")
        if sentences is None and not source.startswith("cross-city statistics read"):
            note_read("table", name="sentences", columns=None)  # read by the statistics themselves
        print(source)
        return tables


def start(*, lang: str = "zh", processed_dir: str | os.PathLike[str] = PROCESSED_DIR,
          figures_dir: str | os.PathLike[str] = FIGURES_DIR,
          figure_formats: Sequence[str] = ("png", "svg"), root: str | os.PathLike[str] | None = None,
          reuse_figures: bool = True) -> NotebookSession:
    """Input: the notebook's parameters; ``reuse_figures=False`` draws every chart of
    :meth:`NotebookSession.figure` even when its inputs did not change (say, after changing Matplotlib's
    settings by hand). Output: a :class:`NotebookSession`. Raises ``ValueError`` for an unknown language
    or an empty list of figure formats, before any work is done."""
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
                           figures_dir=resolve(figures_dir, base), figure_formats=tuple(figure_formats),
                           reuse_figures=bool(reuse_figures))
