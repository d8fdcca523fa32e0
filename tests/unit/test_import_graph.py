"""The package's import graph has no loop, and no arrow from a lower layer to a higher one.

Layers, lowest first: the contracts; the runtime and the shared text helpers; the services (cleaner,
dedup, summarizer), none importing another; the pipeline and its registry of services; the command
line and the board. Every import counts, also one inside a function or under ``TYPE_CHECKING``:
each is an arrow a reader has to follow, and a loop hidden under ``TYPE_CHECKING`` is still a loop.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
#: The package's folders in a checkout (``storywire/contracts`` and ``storywire/services`` link them).
PACKAGES = {"storywire.contracts": PROJECT / "contracts", "storywire.services": PROJECT / "services"}

#: Modules by layer, lowest first; a module is placed by its longest matching prefix.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("storywire.contracts",),
    (
        "storywire.services.__init__",
        "storywire.services.runtime",
        "storywire.services.time_budget",
        "storywire.services.text",
    ),
    ("storywire.services.cleaner", "storywire.services.dedup", "storywire.services.summarizer"),
    ("storywire.services.pipeline", "storywire.services.registry"),
    ("storywire.services.cli", "storywire.services.board"),
)
#: One layer whose parts may not import one another: no service imports another.
APART = 2
#: Checkout folders beside the package, not in the wheel: the package never imports them.
CHECKOUT = ("evaluation", "benchmarks", "tests")


@dataclass(frozen=True, slots=True)
class Arrow:
    """``source`` imports ``target`` at ``where`` (file:line)."""

    source: str
    target: str
    where: str

    def __str__(self) -> str:
        return f"{self.source} -> {self.target} ({self.where})"


def _modules() -> dict[str, Path]:
    """Module name -> file, packages as ``pkg.__init__``."""
    found = {}
    for package, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            found[".".join((package, *parts))] = path
    return found


def _resolve(name: str, modules: Mapping[str, Path]) -> str | None:
    """The module an imported dotted name loads last: itself, its package's ``__init__``, or its parent's."""
    while name:
        for candidate in (name, f"{name}.__init__"):
            if candidate in modules:
                return candidate
        name = name.rpartition(".")[0]
    return None


def _imported(tree: ast.AST, module: str) -> Iterator[tuple[str, int]]:
    """Every dotted name the module imports, with its line, relative imports made absolute."""
    package = module.rpartition(".")[0] if not module.endswith(".__init__") else module.removesuffix(".__init__")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def arrows(modules: Mapping[str, Path] | None = None) -> list[Arrow]:
    """Every import from a module of the package to a module of it or of the checkout beside it."""
    modules = modules if modules is not None else _modules()
    found = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, line in _imported(tree, module):
            where = f"{path.relative_to(PROJECT) if path.is_relative_to(PROJECT) else path}:{line}"
            if name.split(".")[0] in CHECKOUT:
                found.append(Arrow(module, name, where))
                continue
            target = _resolve(name, modules) if name.startswith("storywire.") else None
            if target is not None and target != module:
                found.append(Arrow(module, target, where))
    return found


def layer_of(module: str) -> tuple[int, str]:
    """The module's layer and, in it, the part it belongs to (the longest matching prefix)."""
    best: tuple[int, str] | None = None
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > len(best[1])):
                best = (number, prefix)
    if best is None:
        raise LookupError(f"{module} has no layer: place it in LAYERS")
    return best


def upward(found: list[Arrow]) -> list[Arrow]:
    """The arrows from a lower layer to a higher one, between two services, or into the checkout."""
    wrong = []
    for arrow in found:
        if arrow.target.split(".")[0] in CHECKOUT:
            wrong.append(arrow)
            continue
        (source_layer, source_part), (target_layer, target_part) = layer_of(arrow.source), layer_of(arrow.target)
        if target_layer > source_layer or (source_layer == target_layer == APART and source_part != target_part):
            wrong.append(arrow)
    return wrong


def loop(found: list[Arrow]) -> list[Arrow] | None:
    """One loop of the graph as its arrows, or None when there is none (depth-first, three colours)."""
    out: dict[str, list[Arrow]] = {}
    for arrow in found:
        out.setdefault(arrow.source, []).append(arrow)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[Arrow] = []

    def visit(module: str) -> list[Arrow] | None:
        state[module] = 1
        for arrow in out.get(module, []):
            if state.get(arrow.target) == 1:
                start = next(i for i, a in enumerate(path) if a.source == arrow.target) if path else 0
                return [*path[start:], arrow]
            if arrow.target not in state:
                path.append(arrow)
                if (cycle := visit(arrow.target)) is not None:
                    return cycle
                path.pop()
        state[module] = 2
        return None

    for module in sorted(out):
        if module not in state and (cycle := visit(module)) is not None:
            return cycle
    return None


def test_the_package_import_graph_has_no_loop() -> None:
    cycle = loop(arrows())
    assert cycle is None, "import loop: " + "; ".join(map(str, cycle or []))


def test_no_module_imports_a_higher_layer_another_service_or_the_checkout() -> None:
    wrong = upward(arrows())
    assert not wrong, "arrows against the layers:\n" + "\n".join(map(str, wrong))


def test_every_module_of_the_package_has_a_layer() -> None:
    unplaced = []
    for module in _modules():
        try:
            layer_of(module)
        except LookupError as exc:
            unplaced.append(str(exc))
    assert not unplaced, unplaced


def test_the_checks_see_a_loop_under_type_checking_and_an_arrow_between_services(tmp_path: Path) -> None:
    files = {
        "storywire.services.dedup.a": "from storywire.services.dedup.b import x\n",
        "storywire.services.dedup.b": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from storywire.services.dedup.a import y\n"
        ),
        "storywire.services.cleaner.c": "def f():\n    from storywire.services.summarizer import app\n",
        "storywire.services.summarizer.app": "",
    }
    modules = {}
    for module, text in files.items():
        modules[module] = tmp_path / f"{module}.py"
        modules[module].write_text(text)
    found = arrows(modules)
    cycle = loop(found)
    assert cycle is not None
    assert {a.source for a in cycle} == {"storywire.services.dedup.a", "storywire.services.dedup.b"}
    assert [(a.source, a.target) for a in upward(found)] == [
        ("storywire.services.cleaner.c", "storywire.services.summarizer.app")
    ]
