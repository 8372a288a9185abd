"""The package's shape, as the README's "Where things are" draws it: layers that import only downward,
no import cycle, no module over 600 lines, and one definition of the concepts that were once built
several times."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "qualitylib"
MAX_LINES = 600

#: Lower numbers are lower layers. A module may import its own layer or any layer below it.
LAYERS = {
    "qualitylib": 0, "qualitylib.paths": 0, "qualitylib.resources": 0, "qualitylib.atomic": 0,
    "qualitylib.progress": 0,
    "qualitylib.text": 1,
    "qualitylib.extract": 2,
    "qualitylib.analysis": 3,
    "qualitylib.viz": 4,
    "qualitylib.tables": 5, "qualitylib.pipeline": 5, "qualitylib.notebook_sources": 5, "qualitylib.records": 5,
    "qualitylib.computed": 5,
    "qualitylib.stats_tables": 6, "qualitylib.profiles": 6,
    "qualitylib.notebook_execution": 6, "qualitylib.kernel_zygote": 6, "qualitylib.kernel_launcher": 6,
    "qualitylib.notebook": 6, "qualitylib.release": 6, "qualitylib.run_params": 6, "qualitylib.notebook_reads": 6,
    "qualitylib.run_steps": 7, "qualitylib.runner": 7,
    "qualitylib.cli": 8,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    while module not in LAYERS:
        assert "." in module, f"{module} is in no layer: add it to LAYERS and to the README's drawing"
        module = module.rsplit(".", 1)[0]
    return LAYERS[module]


def _imports(path: Path) -> set[str]:
    """Every qualitylib module imported anywhere in the file (function-level imports included)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "qualitylib"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "qualitylib":
                continue
            # `from . import x` / `from .pkg import mod` name modules; `from .mod import f` names a module
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                is_module = (PACKAGE.parent / Path(*candidate.split("."))).with_suffix(".py").is_file() or \
                    (PACKAGE.parent / Path(*candidate.split(".")) / "__init__.py").is_file()
                found.add(candidate if is_module else target)
    return found - {name}


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {name: _imports(path) for name, path in MODULES.items()}


def test_the_graph_sees_the_known_edges():
    # guards the parser above: if it found nothing, the layer tests would pass vacuously
    assert "qualitylib.text.clean" in GRAPH["qualitylib.pipeline"]
    assert "qualitylib.text.offsets" in GRAPH["qualitylib.text.mojibake"]
    assert "qualitylib.extract.numerals" in GRAPH["qualitylib.extract.targets"]
    assert sum(map(len, GRAPH.values())) > 40


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_runs_upward(module):
    upward = sorted(m for m in GRAPH[module] if m in MODULES and _layer(m) > _layer(module))
    assert not upward, f"{module} (layer {_layer(module)}) imports higher layers: {upward}"


def test_no_import_cycle():
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(GRAPH.get(m, ())):
            if n not in MODULES or n == "qualitylib":
                continue
            if state.get(n) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(n):] + [n]))
            if n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(MODULES):
        if m not in state:
            visit(m)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_the_size_limit(module):
    n = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{module} has {n} lines; split it by what it does"


def _definitions(pattern: str) -> list[str]:
    rx = re.compile(pattern, re.M)
    return sorted(name for name, path in MODULES.items() if rx.search(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("concept, pattern, owner", [
    ("project root", r"^def find_root\b", "qualitylib.paths"),
    ("atomic file writing", r"tempfile\.mkstemp", "qualitylib.atomic"),
    ("OpenCC converter", r"OpenCC\(", "qualitylib.text.chinese_script"),
    ("pinyin-note pattern", r"^PINYIN_NOTE\s*=", "qualitylib.text.pinyin_notes"),
    ("agency-note patterns", r"牵头\|", "qualitylib.text.agency_notes"),
    ("heading patterns", r"^HEADING_PATTERNS\s*=", "qualitylib.text.headings"),
    ("Chinese numeral parser", r"^def _?(?:cn_int|chinese_integer)\b", "qualitylib.extract.numerals"),
    ("package data reading", r"resources\.files\(", "qualitylib.resources"),
])
def test_each_concept_is_defined_once(concept, pattern, owner):
    assert _definitions(pattern) == [owner], f"{concept} should live only in {owner}"


def test_every_subpackage_is_a_regular_package():
    # setuptools' find_packages skips folders without __init__.py: a wheel would ship without them
    folders = {p.parent for p in PACKAGE.rglob("*.py")}
    assert len(folders) >= 5
    missing = sorted(str(f.relative_to(PACKAGE)) for f in folders if not (f / "__init__.py").is_file())
    assert not missing, f"no __init__.py in {missing}"
