"""The README's promises hold: its commands exist, and every CLI command is documented."""

import re

from lagebild.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def test_readme_commands_are_make_targets():
    for target in re.findall(r"^\s*make (\w[\w-]*)", README, flags=re.M):
        assert re.search(rf"^{target}:", MAKEFILE, flags=re.M), (
            f"README names `make {target}`, Makefile lacks it"
        )
    assert "make run" in README and "make test" in README


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "ruff" in MAKEFILE + ci and "mypy" in MAKEFILE + ci


def test_every_command_is_in_the_readme():
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"lagebild {name}" in README, name
    for group in app.registered_groups:
        name = group.name or group.typer_instance.info.name
        assert name and f"lagebild {name}" in README, name


def test_every_training_task_is_in_the_readme():
    from lagebild.cli.train import TASKS

    for task in TASKS:
        assert f"`{task.name}`" in README or f"lagebild train {task.name}" in README, task.name


def test_benchmarks_file_names_its_commands():
    bench = (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert "python bench/throughput.py" in bench and "python bench/sentences.py" in bench
