"""Parameter files are checked before anything is written: unknown keys get a "did you mean" hint,
strings where lists belong and quoted booleans are refused, not guessed; the run exits 2 (a usage
error) with one line naming the file and the problem."""
from __future__ import annotations

from pathlib import Path

import pytest

from qualitylib import cli, runner
from qualitylib.run_params import ParameterError, check_parameters, notebook_parameter_defaults

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def test_the_notebooks_declare_the_parameters_the_files_set():
    defaults = notebook_parameter_defaults(NOTEBOOKS)
    assert {"lang", "cities", "figure_formats", "seed", "n_boot", "national_targets", "plan"} <= set(defaults)
    assert isinstance(defaults["cities"], list) and isinstance(defaults["n_boot"], int)


@pytest.mark.parametrize("params", ["default.yaml", "quick.yaml"])
def test_the_shipped_parameter_files_pass(params):
    config = runner.load_config(NOTEBOOKS / "params" / params)
    assert config.notebooks == list(runner.NOTEBOOKS)


@pytest.mark.parametrize("yaml_text, message", [
    ("figure_fromats: [png]\n", "unknown parameter 'figure_fromats' (did you mean 'figure_formats'?)"),
    ('quick: "no"\n', "quick must be true or false (unquoted), got 'no'"),
    ("langs: zh\n", "langs must be a list, e.g. langs: [zh]"),
    ("cities: 芜湖\n", "cities must be a list, e.g. cities: [芜湖]"),
    ("lang: fr\n", "lang must be one of ['zh', 'en'], got 'fr'"),
    ("n_boot: 0\n", "n_boot must be a whole number of at least 1, got 0"),
    ("figure_formats: [png, gif]\n", "figure_formats must be a non-empty list of ['png', 'svg', 'pdf']"),
    ("seed: abc\n", "seed must be a whole number, got 'abc'"),
    ("langs: [zh, fr]\n", "langs must be a non-empty list of ['zh', 'en']"),
    ("- just\n- a list\n", "expected a mapping of parameter names to values"),
    ("lang: [unclosed\n", "not valid YAML"),
    ("page_figures: [emphasis, map]\n", "page_figures must be a list of some of ['targets', 'emphasis', 'peers']"),
    ("workers: 0\n", "workers must be a whole number of at least 1"),
    ('fork_kernels: "no"\n', "fork_kernels must be true or false (unquoted), got 'no'"),
])
def test_a_bad_parameter_file_is_a_usage_error_before_anything_is_written(tmp_path, capsys, yaml_text, message):
    params = tmp_path / "bad.yaml"
    tail = "" if yaml_text.startswith("-") else f"processed_dir: {tmp_path / 'out'}\n"
    params.write_text(yaml_text + tail, encoding="utf-8")
    rc = cli.main(["run", "--params", str(params)])
    err = capsys.readouterr().err
    assert rc == 2
    assert str(params) in err and message in err, err
    assert not (tmp_path / "out").exists(), "nothing may be written before the parameters are checked"


def test_every_problem_is_listed_at_once(tmp_path):
    with pytest.raises(ParameterError) as info:
        check_parameters({"langs": "zh", "quick": "no", "figure_fromats": []}, tmp_path / "p.yaml", NOTEBOOKS)
    text = str(info.value)
    assert text.count(";") == 2 and "langs" in text and "quick" in text and "figure_formats" in text


def test_an_unknown_notebook_is_a_usage_error(capsys):
    assert cli.main(["run", "--only", "99"]) == 2
    assert "unknown notebook '99'" in capsys.readouterr().err


def test_forked_kernels_are_the_default_and_can_be_turned_off(tmp_path):
    assert runner.load_config(NOTEBOOKS / "params" / "default.yaml").fork_kernels is True
    params = tmp_path / "p.yaml"
    params.write_text("fork_kernels: false\n", encoding="utf-8")
    assert runner.load_config(params).fork_kernels is False
