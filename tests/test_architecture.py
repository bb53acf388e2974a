"""The shape of the code: stages import only downward, no import cycles, no long parameter lists.

Every module of ``tqe/`` has a layer (:data:`LAYERS`, lowest first). A module may import its
own layer and the layers below; an import of a higher layer, an import cycle between modules,
and a function taking more than :data:`MAX_PARAMETERS` parameters (``self``/``cls`` aside) are
violations. Module-level and function-level imports both count: a late import is still a
dependency. ``from package import name`` depends on ``package.name`` when that is a module,
else on the package's ``__init__``.

:data:`KNOWN_VIOLATIONS` may list a violation accepted for a while (empty today); the test also
fails when a listed one is gone, so the list only ever shrinks.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "tqe"

#: the layers of tqe, lowest first: module names, or package names covering their submodules
LAYERS: tuple[tuple[str, ...], ...] = (
    ("tqe.errors", "tqe.model", "tqe.version", "tqe.numbers", "tqe.signature", "tqe.diff", "tqe.gitrev"),
    ("tqe.io",),
    ("tqe.segment", "tqe.language"),
    ("tqe.align", "tqe.document"),
    ("tqe.metrics", "tqe.store", "tqe.store.db", "tqe.store.cache"),
    ("tqe.checks",),
    ("tqe.config",),
    ("tqe.flag", "tqe.waivers"),
    ("tqe.pipeline",),
    ("tqe.store.history", "tqe.significance"),
    ("tqe.compare",),
    ("tqe.report",),
    ("tqe.output", "tqe.distributed"),  # the Ray engine streams output records as it goes
    ("tqe", "tqe.__main__", "tqe.cli", "tqe.cli_common", "tqe.cli_history", "tqe.cli_waive", "tqe.cli_progress", "tqe.cli_ray",
     "tqe.cli_run"),
)

MAX_PARAMETERS = 8

#: violations accepted for a while; remove an entry when it is fixed (the test fails while a
#: listed violation no longer exists)
KNOWN_VIOLATIONS: frozenset[str] = frozenset()


def module_names() -> dict[str, Path]:
    """Every module of tqe by dotted name (a package by its own name)."""
    modules = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = module_names()


def layer_of(module: str) -> int | None:
    """The layer of ``module``: its own entry, else the entry of its nearest listed package."""
    name = module
    while True:
        for index, names in enumerate(LAYERS):
            if name in names:
                return index
        if "." not in name:
            return None
        name = name.rsplit(".", 1)[0]


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module name of a (possibly relative) ``from … import``."""
    if not node.level:
        return node.module or ""
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _known(name: str) -> str | None:
    """``name`` or its nearest enclosing tqe module, None outside tqe."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> set[str]:
    """The tqe modules ``module`` imports, at module level or inside functions."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, node)
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
                for alias in node.names
            ]
        else:
            continue
        found |= {target for target in map(_known, targets) if target is not None and target != module}
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def upward_imports(graph: dict[str, set[str]]) -> Iterator[str]:
    for module, targets in graph.items():
        for target in targets:
            here, there = layer_of(module), layer_of(target)
            if here is not None and there is not None and there > here:
                yield f"import: {module} -> {target}"


def cycles(graph: dict[str, set[str]]) -> Iterator[str]:
    """Each set of modules that import one another (strongly connected components, Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[str] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append("cycle: " + ", ".join(sorted(component)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return iter(found)


def parameter_count(node: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool) -> int:
    args = node.args
    names = [*args.posonlyargs, *args.args]
    count = len(names) + len(args.kwonlyargs) + bool(args.vararg) + bool(args.kwarg)
    if in_class and names and names[0].arg in ("self", "cls"):
        count -= 1
    return count


def long_signatures() -> Iterator[str]:
    """``params: module.qualified_name`` for each function with too many parameters."""
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def walk(node: ast.AST, prefix: str, in_class: bool) -> Iterator[str]:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    name = f"{prefix}{child.name}"
                    if parameter_count(child, in_class) > MAX_PARAMETERS:
                        yield f"params: {module}.{name}"
                    yield from walk(child, f"{name}.", False)
                elif isinstance(child, ast.ClassDef):
                    yield from walk(child, f"{prefix}{child.name}.", True)
                else:
                    yield from walk(child, prefix, in_class)

        yield from walk(tree, "", False)


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(module for module in MODULES if layer_of(module) is None)
    assert unplaced == [], f"add these modules to LAYERS in {__file__}: {unplaced}"


def test_the_graph_sees_late_and_relative_imports() -> None:
    # pipeline imports the flag stage inside a function; the package imports its version
    assert "tqe.flag" in GRAPH["tqe.pipeline"]
    assert "tqe.version" in GRAPH["tqe"]
    assert "tqe.checks.textrules" in GRAPH["tqe.checks.links"]
    assert layer_of("tqe.io.xliff") == layer_of("tqe.io") < layer_of("tqe.checks.links") == layer_of("tqe.checks")


def test_the_model_imports_nothing_from_tqe_but_errors() -> None:
    assert GRAPH["tqe.model"] <= {"tqe.errors"}


def test_an_upward_import_and_a_cycle_are_found() -> None:
    graph = {
        "tqe.model": {"tqe.errors"},
        "tqe.checks": {"tqe.checks.links", "tqe.model"},
        "tqe.checks.links": {"tqe.checks"},  # back into the package that imports it
        "tqe.flag": {"tqe.checks"},
        "tqe.io.text": {"tqe.flag"},  # reading must not know about flagging
    }
    assert list(upward_imports(graph)) == ["import: tqe.io.text -> tqe.flag"]
    assert list(cycles(graph)) == ["cycle: tqe.checks, tqe.checks.links"]


def test_long_parameter_lists_are_counted_without_self() -> None:
    # a function with nine parameters is found; eight, or nine with self, are not
    source = "def f(a, b, c, d, e, f, g, h, *, i): ...\nclass C:\n    def m(self, a, b, c, d, e, f, g, h): ...\n"
    tree = ast.parse(source)
    function, klass = tree.body
    assert parameter_count(function, in_class=False) == 9
    assert parameter_count(klass.body[0], in_class=True) == 8


@pytest.mark.parametrize("kind", ["import", "cycle", "params"])
def test_no_new_violations_and_none_listed_that_is_gone(kind: str) -> None:
    found = {
        "import": set(upward_imports(GRAPH)),
        "cycle": set(cycles(GRAPH)),
        "params": set(long_signatures()),
    }[kind]
    known = {entry for entry in KNOWN_VIOLATIONS if entry.startswith(kind + ":")}
    new = sorted(found - known)
    gone = sorted(known - found)
    assert new == [], f"{kind} violations (see LAYERS and MAX_PARAMETERS in {__file__}): {new}"
    assert gone == [], f"fixed: remove these from KNOWN_VIOLATIONS in {__file__}: {gone}"
