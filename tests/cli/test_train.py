"""``lagebild train TASK`` (lagebild.cli.train): the task list, each task's options, the missing extra.

Nothing here trains: every call either asks for help or stops at a check before any work (a data
directory that does not exist, options that do not go together, PyTorch hidden).
"""

from __future__ import annotations

import importlib.util
import sys

import pytest
from typer.testing import CliRunner

from lagebild.cli import app
from lagebild.cli.train import TASKS, run_task
from lagebild.errors import ConfigError, MissingExtraError
from tests.conftest import fresh_python

runner = CliRunner()
MISSING = "/nonexistent/lagebild-train-data"


def test_help_lists_every_task_with_its_data_and_time():
    result = runner.invoke(app, ["train", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for task in TASKS:
        assert task.name in result.output
    assert result.output.count("Data:") == len(TASKS) and result.output.count("Time:") == len(TASKS)
    assert (
        "GermEval 2014" in result.output and "SpkAtt-2023" in result.output and "realpages" in result.output
    )


def test_every_task_names_a_module_of_the_training_package():
    for task in TASKS:
        assert importlib.util.find_spec(f"lagebild.training.tasks.{task.module}") is not None, task.name


@pytest.mark.parametrize("task", [t.name for t in TASKS])
def test_a_task_prints_its_own_options(task: str):
    result = runner.invoke(app, ["train", task, "--help"])
    assert result.exit_code == 0, result.output
    assert f"usage: lagebild train {task}" in result.output


def test_options_reach_the_task_and_a_bad_one_is_refused():
    result = runner.invoke(app, ["train", "titles", "--data", MISSING])
    assert result.exit_code == 2
    assert "realpages not found" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["train", "boilerplate", "--no-such-option"])
    assert result.exit_code == 2 and "unrecognized arguments: --no-such-option" in result.output


def test_options_that_do_not_go_together_stop_before_any_work(monkeypatch: pytest.MonkeyPatch):
    # The checks run before the task imports PyTorch, so they are tested with or without the extra.
    monkeypatch.setattr("lagebild.cli.train._installed", lambda module: True)
    with pytest.raises(ConfigError, match="--average"):
        run_task("ner", ["--average", "a.npz", "--init", "b.npz"])
    with pytest.raises(ConfigError, match="GermEval 2014 data not found"):
        run_task("ner", ["--data", MISSING])
    with pytest.raises(ConfigError, match="SpkAtt-2023 train not found"):
        run_task("quote-speakers", ["--data", MISSING])


def test_without_pytorch_a_torch_task_names_the_train_extra(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` raises, find_spec finds nothing
    for task in (t for t in TASKS if t.torch):
        with pytest.raises(MissingExtraError, match=r"pip install -e '\.\[train\]'"):
            run_task(task.name, ["--data", MISSING])
    result = runner.invoke(app, ["train", "ner"])
    output = " ".join(result.output.split())  # Rich wraps long lines
    assert result.exit_code == 2
    assert "lagebild train ner needs PyTorch" in output and "pip install -e '.[train]'" in output
    assert "Traceback" not in output
    # the help of a task needs no PyTorch
    assert runner.invoke(app, ["train", "ner", "--help"]).exit_code == 0


def test_without_pytorch_the_training_code_is_not_even_loaded_and_every_help_works():
    code = (
        "import sys\n"
        "sys.modules['torch'] = None\n"
        "from typer.testing import CliRunner\n"
        "from lagebild.cli import app\n"
        "from lagebild.cli.train import TASKS\n"
        "result = CliRunner().invoke(app, ['train', 'ner-fast'])\n"
        "print(result.exit_code)\n"
        "print(sorted(m for m in sys.modules if m.startswith('lagebild.training')))\n"
        "print([CliRunner().invoke(app, ['train', t.name, '--help']).exit_code for t in TASKS])\n"
    )
    lines = fresh_python(code)
    assert lines[:2] == ["2", "[]"], lines
    assert lines[2] == str([0] * len(TASKS)), lines
