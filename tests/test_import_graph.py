"""The import graph of the package (issue 20).

* The run-time package imports no training code: no PyTorch, no transformers, nothing from
  ``lagebild.training``.
* The run-time package has no import cycles; in particular the three that issue 20 names stay broken:
  pipeline <-> stages, store/sqlite <-> store/fts, outlets/registry <-> outlets/reliability.

Every ``import`` statement counts: at the top of a module, inside a function, under ``TYPE_CHECKING``.
Modules loaded by name (``importlib``: the pipeline's stage list, ``lagebild train``'s tasks) are not
edges: that is how the pipeline finds its stages and the CLI its training code without importing them.
Importing a submodule runs its package's ``__init__`` first; that implicit step is not an edge either.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from lagebild.pipeline import STAGE_MODULES
from tests.conftest import ROOT, fresh_python

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


def runtime_modules() -> dict[str, Path]:
    return {
        name: path
        for name, path in modules().items()
        if name != TRAINING and not name.startswith(TRAINING + ".")
    }


def runtime_graph() -> dict[str, set[str]]:
    """Run-time module -> the run-time modules it imports."""
    mods = runtime_modules()
    known = set(mods)
    return {
        name: {imp.target for imp in imports(name, path, known) if imp.target in known and imp.target != name}
        for name, path in mods.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def runtime_imports() -> list[Import]:
    known = set(modules())
    return [imp for name, path in runtime_modules().items() for imp in imports(name, path, known)]


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
    assert fresh_python(code) == [""]


def test_the_cli_and_the_package_load_the_api_only_when_it_is_used():
    """Issue #20 (--help in well under a second): declaring the commands loads neither the readers
    (lxml, charset_normalizer, urllib), nor the worker pool, nor the analysis code; using a name does."""
    heavy = ("lagebild.api.analysis", "lagebild.readers", "lagebild.parallel", "lxml", "charset_normalizer")
    code = (
        "import sys, lagebild, lagebild.cli\n"
        f"print(','.join(sorted(m for m in {heavy!r} if m in sys.modules)))\n"
        "lagebild.analyze\n"
        "print('lagebild.api.analysis' in sys.modules, lagebild.api.Progress.__module__)\n"
    )
    assert fresh_python(code) == ["", "True lagebild.api.types"]


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert reaches(graph, "d", "c") and not reaches(graph, "a", "d")


def test_the_runtime_import_graph_has_no_cycles():
    found = cycles(runtime_graph())
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        *(("lagebild.pipeline", module) for module in STAGE_MODULES),
        ("lagebild.store.sqlite", "lagebild.store.fts"),
        ("lagebild.store", "lagebild.store.sqlite"),
        ("lagebild.store.sqlite", "lagebild.store.relations"),
        ("lagebild.outlets.registry", "lagebild.outlets.reliability"),
    ],
)
def test_the_circles_of_issue_20_stay_broken(a: str, b: str):
    graph = runtime_graph()
    assert a in graph and b in graph
    assert not (reaches(graph, a, b) and reaches(graph, b, a)), f"{a} and {b} import each other"


def test_the_pipeline_loads_every_module_that_registers_a_stage():
    registering = set()
    for name, path in runtime_modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for deco in node.decorator_list:
                    func = deco.func if isinstance(deco, ast.Call) else deco
                    if (isinstance(func, ast.Name) and func.id == "stage") or (
                        isinstance(func, ast.Attribute) and func.attr == "stage"
                    ):
                        registering.add(name)
    assert registering == set(STAGE_MODULES)


def test_the_lazy_names_of_the_api_are_exactly_what_its_modules_export():
    import importlib

    import lagebild
    import lagebild.api as api

    for home in set(api._HOME.values()):
        module = importlib.import_module(f"lagebild.api.{home}")
        assert {n for n, h in api._HOME.items() if h == home} == set(module.__all__), home
    for name in lagebild.__all__:
        assert getattr(lagebild, name) is not None, name
