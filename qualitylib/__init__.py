"""qualitylib: turn Chinese cities' quality-strong-city policy texts into a common indicator table.

The folders are the pipeline's layers, each importing only those below it:
``text`` (raw bytes -> cleaned body with offsets into the raw file) -> ``extract`` (numerals, codebook,
targets, metadata) -> ``analysis`` (indicator table, comparability, themes, clustering, evaluation)
-> ``viz`` (figures), with ``pipeline``, ``tables``, ``notebook``, ``release``, ``runner`` and ``cli`` on
top and ``paths``, ``resources`` and ``atomic`` at the bottom.
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("qualitylib")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
