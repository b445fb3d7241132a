"""The run-time package imports no training code: no PyTorch, no transformers, nothing from
``lagebild.training`` (issue 20). Every ``import`` statement counts, at the top of a module or inside a
function, so a lazy import cannot slip training code back in."""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

SRC = ROOT / "src"
TRAINING = "lagebild.training"
HEAVY = ("torch", "transformers")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the module it imports (a submodule when ``from package import submodule``)
    line: int


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    out = {}
    for path in sorted((SRC / "lagebild").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: set[str]) -> list[Import]:
    """The imports of one module, relative ones resolved; ``from a import b`` is ``a.b`` when that is
    a module of the package, else ``a``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [Import(name, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                full = f"{source}.{alias.name}"
                out.append(Import(name, full if full in known else source, node.lineno))
    return out


def runtime_imports() -> list[Import]:
    mods = modules()
    known = set(mods)
    return [
        imp
        for name, path in mods.items()
        if name != TRAINING and not name.startswith(TRAINING + ".")
        for imp in imports(name, path, known)
    ]


def test_the_walk_sees_the_package():
    mods = modules()
    assert {"lagebild", "lagebild.pipeline", "lagebild.training", "lagebild.training.ner.finetune"} <= set(
        mods
    )
    found = {imp.target for imp in runtime_imports() if imp.module == "lagebild.pipeline"}
    assert "lagebild.config" in found


def test_runtime_modules_import_no_torch_and_no_training_code():
    bad = [
        f"{imp.module} (line {imp.line}) imports {imp.target}"
        for imp in runtime_imports()
        if imp.target.split(".")[0] in HEAVY
        or imp.target == TRAINING
        or imp.target.startswith(TRAINING + ".")
    ]
    assert not bad, "run-time code must not import training code:\n" + "\n".join(bad)


def test_training_modules_that_need_torch_are_in_the_training_package():
    mods = modules()
    known = set(mods)
    users = {
        name
        for name, path in mods.items()
        for imp in imports(name, path, known)
        if imp.target.split(".")[0] == "torch"
    }
    assert users, "the training code imports torch somewhere"
    assert all(name.startswith(TRAINING + ".") for name in users), sorted(users)


def test_importing_the_cli_loads_no_torch_and_no_training_code():
    code = (
        "import sys, lagebild.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'transformers')"
        " or m == 'lagebild.training' or m.startswith('lagebild.training.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, timeout=120
    )
    assert result.stdout.strip() == "", result.stdout
