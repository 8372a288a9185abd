"""qualitylib: turn Chinese cities' quality-strong-city policy texts into a common indicator table.

The pipeline is a DAG of pure steps, each in its own module:
raw bytes -> ``decode`` -> ``mojibake`` -> ``pinyin`` -> ``script`` -> ``normalize`` -> ``boilerplate``
(together: ``clean``) -> ``structure`` -> ``extract`` -> ``indicator_table`` -> notebooks and figures.
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("qualitylib")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
