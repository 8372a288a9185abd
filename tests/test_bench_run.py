"""Smoke test of benchmarks/bench_run.py's pure parts: arguments, the one-number corpus change, option
detection, output comparison and the Markdown report. Nothing is run or timed."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from bench_modules import BENCH, load_benchmark


@pytest.fixture(scope="module")
def br():
    return load_benchmark("bench_run")


@pytest.fixture(scope="module")
def gen():
    return load_benchmark("generate_corpus")


def test_default_arguments(br):
    args = br.parse_args([])
    assert args.sizes == [5, 100, 300] and args.jobs == [1, 2]
    assert args.modes == ["cold", "unchanged", "changed"]
    assert args.keep is None and args.json is None and not args.write_readme and args.formats is None


def test_arguments(br, tmp_path):
    args = br.parse_args(["--sizes", "20", "5", "20", "--jobs", "2", "--modes", "unchanged", "cold",
                          "--formats", "png", "--keep", str(tmp_path), "--json", "x.json", "--write-readme"])
    assert args.sizes == [20, 5] and args.jobs == [2]
    assert args.modes == ["cold", "unchanged"]  # run order, whatever the order given
    assert args.formats == ["png"] and args.keep == str(tmp_path) and args.write_readme
    with pytest.raises(SystemExit):
        br.parse_args(["--modes", "warm"])
    with pytest.raises(SystemExit):  # never inside the repository
        br.parse_args(["--keep", str(BENCH / "out")])


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", text)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-8-sig"])
def test_change_one_number(br, gen, tmp_path, encoding):
    name, data = gen.document(3, seed=0, encodings=(encoding,))
    path = tmp_path / name
    path.write_bytes(data)
    change = br.change_one_number(path)
    new = path.read_bytes()
    assert change.encoding == encoding
    assert new != data and len(new) == len(data)
    diff = [i for i, (a, b) in enumerate(zip(data, new)) if a != b]
    assert diff == [change.byte_offset]
    assert chr(data[diff[0]]).isdigit() and chr(new[diff[0]]).isdigit()
    old_text, new_text = data.decode(encoding), new.decode(encoding)  # strict: still valid in its encoding
    old_nums, new_nums = _numbers(old_text), _numbers(new_text)
    assert len(old_nums) == len(new_nums)
    assert sum(a != b for a, b in zip(old_nums, new_nums)) == 1
    assert change.before != change.after and change.new in change.after
    if encoding == "utf-8-sig":
        assert new.startswith(b"\xef\xbb\xbf")


def test_change_prefers_a_target_percentage(br, tmp_path):
    path = tmp_path / "doc.txt"
    text = "2020年3月印发。到2025年，全市产品质量合格率达到95%以上，新增品牌12个。\n"
    path.write_bytes(text.encode("gb18030"))
    change = br.change_one_number(path)
    assert path.read_bytes().decode("gb18030") == text.replace("95%", "96%")
    assert (change.old, change.new) == ("5", "6")


def test_detect_options(br):
    old = "usage: qualitylib run [-h] [--params PARAMS] [--only NOTEBOOK ...] [--lenient] [-q]\n"
    assert br.detect_options(old) == {"jobs": None, "force": None}
    new = ("usage: qualitylib run [-h] [--params PARAMS] [-j N] [--force]\n"
           "  -j N, --jobs N        notebook runs side by side\n  --force  redo everything\n")
    assert br.detect_options(new) == {"jobs": "-j", "force": "--force"}
    assert br.detect_options("  --jobs N   parallel\n")["jobs"] == "--jobs"


NEW_LOG = """[qualitylib    0.6s] pipeline: /tmp/x/raw (5 raw files)
[qualitylib   59.7s] notebooks: 8 to run on 2 worker(s)
[qualitylib   97.7s]   01_indicator_table.ipynb (lang=zh) done in 27.6s
  notebooks: 1/8 (12%), 0:38 elapsed, about 4:26 left
[qualitylib   97.7s]   01_indicator_table.ipynb (lang=en) done in 29.8s
[qualitylib  346.0s] profiles: 5 plans x 2 language(s); 0 up to date; cross-city statistics read from /tmp/x/stats
[qualitylib  396.2s] profiles: 10 pages written on 2 worker(s) -> /tmp/x/reports
[qualitylib  396.2s] done: 21 step(s) redone; figures in /tmp/x/figures, reports in /tmp/x/reports
"""
UP_TO_DATE_LOG = """[qualitylib    0.6s] pipeline: up to date (5 raw files unchanged)
[qualitylib    0.7s] notebooks: 8 of 8 up to date
[qualitylib    0.9s] up to date: nothing changed since the last run (--force redoes everything)
"""
OLD_LOG = """[qualitylib   41.6s] 18 notebook runs on 2 worker(s)
[qualitylib   41.6s] notebook 1/18: 01_indicator_table (zh) ...
[qualitylib   41.6s] notebook 2/18: 01_indicator_table (en) ...
[qualitylib   74.9s]   done in 26.6s -> 01_indicator_table.ipynb + .html
"""


def test_parse_log(br):
    new = br.parse_log(NEW_LOG)
    assert (new["notebook_runs"], new["notebooks_planned"], new["profile_pages"], new["steps_redone"]) == (2, 8, 10, 21)
    assert not new["up_to_date"] and len(new["up_to_date_lines"]) == 1  # "0 up to date" is not the verdict
    same = br.parse_log(UP_TO_DATE_LOG)
    assert same["up_to_date"] and same["steps_redone"] == 0 and same["notebook_runs"] == 0
    old = br.parse_log(OLD_LOG)
    assert (old["notebook_runs"], old["notebooks_planned"], old["steps_redone"], old["up_to_date"]) == (2, 18, None, False)


def test_params_are_absolute(br, tmp_path):
    p = br.params_for(tmp_path / "raw", None, tmp_path / "out", ["png"], workers=2)
    assert p["quick"] is False and p["langs"] == ["zh", "en"] and p["figure_formats"] == ["png"]
    assert p["workers"] == 2 and p["documents_csv"] is None
    for key in ("raw_dir", "processed_dir", "figures_dir", "reports_dir", "citation_path", "national_targets"):
        assert Path(p[key]).is_absolute(), key
    assert Path(p["citation_path"]).parent == tmp_path / "out"
    assert "workers" not in br.params_for(tmp_path / "raw", None, tmp_path / "out", None, workers=None)


def test_compare_outputs(br, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        (root / "figures").mkdir(parents=True)
        (root / "figures" / "x.png").write_bytes(b"png")
        (root / ".qualitylib.lock").write_text("1")  # not an output
        (root / ".qualitylib-cache" / "documents").mkdir(parents=True)  # bookkeeping: other bytes each run
        (root / ".qualitylib-cache" / "documents" / "k.pkl").write_bytes(str(root).encode())
        (root / ".qualitylib-record.json").write_text(str(root))
    assert br.compare(br.digests(a), br.digests(b)) == {
        "identical": True, "files": 1, "n_differ": 0, "differ": [], "only_first": [], "only_second": []}
    (b / "figures" / "x.png").write_bytes(b"PNG")
    (b / "extra.csv").write_text("")
    res = br.compare(br.digests(a), br.digests(b))
    assert not res["identical"] and res["differ"] == ["figures/x.png"] and res["only_second"] == ["extra.csv"]


def test_markdown_report(br):
    runs = [
        br.RunResult(docs=5, mode="cold", jobs=1, wall_s=120.04, exit_code=0, notebook_runs=18, files_written=90,
                     output_files=90, output_mb=12.3, peak_tree_rss_mb=812.4, peak_tree_pss_mb=655.6, peak_single_rss_mb=301.2,
                     peak_processes=4, cpu_s=150.2, other_cpu_s=3.1, jobs_via="workers (YAML)", steps_redone=21,
                     profile_pages=10),
        br.RunResult(docs=5, mode="unchanged", jobs=1, wall_s=1.5, exit_code=0, up_to_date=True, notebook_runs=0,
                     files_written=0, output_files=90, output_mb=12.3, jobs_via="workers (YAML)", steps_redone=0),
        br.RunResult(docs=300, mode="changed", jobs=2, exit_code=None, timed_out=True, note="a.txt: '95%' -> '96%'"),
    ]
    table = br.markdown_table(runs)
    lines = table.split("\n")
    assert len(lines) == 2 + len(runs)
    ncols = lines[0].count("|")
    assert all(line.count("|") == ncols for line in lines)
    assert lines[2] == "| 5 | cold | 1* | 120.0 | 0 | no | 21 | 18 | 10 | 90 | 90 | 12.3 | 812 | 656 | 301 | 4 | 150.2 | 3 |"
    assert "| unchanged | 1* | 1.5 | 0 | yes | 0 | 0 |" in lines[3]
    assert "| 300 | changed | 2 | – | timeout |" in lines[4]
    identity = {"cold_jobs": {"5 docs: -j 1 vs -j 2": {"identical": False, "files": 90, "n_differ": 1,
                                                        "differ": ["reports/01.html"], "only_first": [],
                                                        "only_second": []}}}
    text = br.report(runs, identity, ["a note"], {"cpus": 2, "commit": "abc1234"}, "python benchmarks/bench_run.py",
                     ["5 docs = the seeds"])
    assert table in text and "abc1234" in text and "workers: N" in text
    assert "**no**" in text and "reports/01.html" in text and "- a note" in text and "Warning" not in text
    runs[1].code, runs[2].code = "aaa", "bbb"
    assert "Warning: the code" in br.report(runs, {}, [], {}, "x", [])
    dict_table = br.markdown_table([vars(r) for r in runs])  # dicts (as in the JSON) work too
    assert dict_table == table


def test_replace_section(br):
    readme = (BENCH / "README.md").read_text(encoding="utf-8")
    assert br.MARK_START in readme and br.MARK_END in readme
    new = br.replace_section(readme, "| new table |\n")
    assert "| new table |" in new and new.count(br.MARK_START) == 1 and new.count(br.MARK_END) == 1
    before, after = readme.split(br.MARK_START)[0], readme.split(br.MARK_END)[1]
    assert new.startswith(before) and new.endswith(after)
    assert br.replace_section(new, "again") == br.replace_section(readme, "again")
    with pytest.raises(ValueError):
        br.replace_section("no markers", "x")


FAKE_QUALITYLIB = '''#!{python}
"""Stand-in for `qualitylib run`: one output per raw file, "up to date" when the raw files are unchanged."""
import hashlib, pathlib, sys
import yaml

args = sys.argv[1:]
if "--help" in args:
    print("usage: qualitylib run [-h] [--params PARAMS] [-j N] [--force]")
    raise SystemExit(0)
p = yaml.safe_load(open(args[args.index("--params") + 1], encoding="utf-8"))
assert "workers" not in p and args[args.index("-j") + 1] in ("1", "2")
raw, out = pathlib.Path(p["raw_dir"]), pathlib.Path(p["processed_dir"])
out.mkdir(parents=True, exist_ok=True)
files = sorted(raw.glob("*.txt"))
digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
stamp = out / "stamp"
if stamp.exists() and stamp.read_text() == digest:
    print("[qualitylib 0.0s] notebooks: 5 of 5 up to date", file=sys.stderr)
    print("[qualitylib 0.0s] up to date: nothing changed since the last run", file=sys.stderr)
    raise SystemExit(0)
print(f"[qualitylib 0.0s] notebooks: {{len(files)}} to run on 1 worker(s)", file=sys.stderr)
for i, f in enumerate(files, 1):
    print(f"[qualitylib 0.0s]   {{f.stem}}.ipynb (lang=zh) done in 0.0s", file=sys.stderr)
    target = out / (f.stem + ".sha")
    new = hashlib.sha256(f.read_bytes()).hexdigest()
    if not target.exists() or target.read_text() != new:
        target.write_text(new)
pathlib.Path(p["citation_path"]).write_text("cff")
stamp.write_text(digest)
print("[qualitylib 0.0s] profiles: 2 pages written on 1 worker(s) -> x", file=sys.stderr)
print(f"[qualitylib 0.0s] done: {{len(files) + 1}} step(s) redone", file=sys.stderr)
'''


def test_whole_benchmark_with_a_stand_in_command(br, tmp_path, capsys):
    fake = tmp_path / "qualitylib"
    fake.write_text(FAKE_QUALITYLIB.format(python=sys.executable), encoding="utf-8")
    fake.chmod(0o755)
    work, out_json = tmp_path / "work", tmp_path / "run.json"
    rc = br.main(["--sizes", "5", "--jobs", "1", "2", "--keep", str(work), "--json", str(out_json),
                  "--qualitylib", str(fake)])
    assert rc == 0
    import json

    data = json.loads(out_json.read_text(encoding="utf-8"))
    runs = [(r["mode"], r["jobs"], r["up_to_date"], r["notebook_runs"], r["files_written"], r["exit_code"])
            for r in data["runs"]]
    # the "5" corpus is whatever data/raw holds: the seeds, and any text a user has added beside them
    n = len(list((BENCH.parent / "data" / "raw").glob("*.txt")))
    assert [(r["steps_redone"], r["profile_pages"]) for r in data["runs"]] == [(n + 1, 2), (0, 0), (n + 1, 2)] * 2
    assert runs == [("cold", 1, False, n, n + 2, 0), ("unchanged", 1, True, 0, 0, 0), ("changed", 1, False, n, 3, 0),
                    ("cold", 2, False, n, n + 2, 0), ("unchanged", 2, True, 0, 0, 0), ("changed", 2, False, n, 3, 0)]
    assert all(r["jobs_via"] == "-j" and r["peak_processes"] >= 1 and r["peak_tree_rss_mb"] > 0 for r in data["runs"])
    # PSS counts a page shared by forked processes once: never more than the RSS sum
    assert all(0 < r["peak_tree_pss_mb"] <= r["peak_tree_rss_mb"] for r in data["runs"])
    assert data["identity"]["cold_jobs"][f"{n} docs: -j 1 vs -j 2"]["identical"]
    assert all(v["identical"] for v in data["identity"]["unchanged_vs_cold"].values())
    seeds = sorted((BENCH.parent / "data" / "raw").glob("*.txt"))
    middle = seeds[len(seeds) // 2]  # the benchmark changes the middle document
    changed = work / "5-docs" / "raw" / middle.name
    assert changed.read_bytes() != middle.read_bytes()  # the copy was edited, never the seeds
    assert (work / "5-docs" / "out-cold-j2" / "processed" / "stamp").is_file()
    table = capsys.readouterr().out
    assert f"| {n} | unchanged | 2 |" in table and f"Byte identity, cold runs, {n} docs: -j 1 vs -j 2: **yes**" in table
