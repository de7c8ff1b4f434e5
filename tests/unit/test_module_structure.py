"""The project's own modules import each other without cycles, and no module grows past 400 lines.

Cycles are found on the import graph read with `ast` (nothing is imported): module-level and
function-level imports both count (a lazy import inside a function hides a cycle, it does not
remove it); imports under `if TYPE_CHECKING:` do not (they never run). Edges:
- `import a.b` is an edge to `a.b` (the deepest project module it names), not to its parent `a`:
  the implicit import of a parent package is no edge.
- `from pkg import name` is an edge to `pkg.name` when that is a module (or package), else to `pkg`.
- A package's `__init__` importing its own submodules is the Flask blueprint idiom (the package
  holds `bp`, importing its route modules registers their routes): those edges do not count.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("agents", "services", "web", "config")
TOP_LEVEL = ("app.py",)
MAX_LINES = 400
# Where long files are allowed: the tests, and migrations (generated, never edited afterwards).
LONG_FILES_ALLOWED = ("tests", "migrations")
NOT_SOURCE = ("node_modules", "static", "__pycache__")


# --- the import graph ----------------------------------------------------------------------------


def project_modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for the packages and top-level modules of the project."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    for name in TOP_LEVEL:
        if (root / name).is_file():
            found[Path(name).stem] = root / name
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST) -> Iterable[ast.Import | ast.ImportFrom]:
    """Every import under `node`, at any depth, except in the body of `if TYPE_CHECKING:`."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
        return
    if isinstance(node, ast.If) and _is_type_checking(node.test):
        children: list[ast.AST] = list(node.orelse)
    else:
        children = list(ast.iter_child_nodes(node))
    for child in children:
        yield from _import_nodes(child)


def _deepest(name: str, modules: Mapping[str, Path]) -> str | None:
    """The longest prefix of `name` that is a project module (None: not the project's)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, path: Path, modules: Mapping[str, Path]) -> set[str]:
    """The project modules `module` imports (its edges in the graph)."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets.update(filter(None, (_deepest(alias.name, modules) for alias in node.names)))
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            target = submodule if submodule in modules else _deepest(base, modules)
            if target is not None:
                targets.add(target)
    targets.discard(module)
    if is_package:  # the blueprint idiom: a package importing its own route modules
        targets = {target for target in targets if not target.startswith(module + ".")}
    return targets


def import_graph(root: Path) -> dict[str, set[str]]:
    modules = project_modules(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


# --- cycles --------------------------------------------------------------------------------------


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's components of more than one module, iteratively (no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in graph:
                    continue
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return components


def a_cycle(graph: Mapping[str, Iterable[str]], component: list[str]) -> list[str]:
    """One cycle through the component's first module, as a path that ends where it starts."""
    members = set(component)
    start = component[0]
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node]):
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if target in members and target not in came_from:
                    came_from[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"{component} is no cycle")  # a component of more than one module always is


def import_cycles(graph: Mapping[str, Iterable[str]]) -> list[str]:
    """Each cycle as `a → b → a` (one per group of modules that import each other)."""
    return [" → ".join(a_cycle(graph, component)) for component in strongly_connected(graph)]


# --- long modules --------------------------------------------------------------------------------


def long_modules(root: Path, limit: int = MAX_LINES) -> dict[str, int]:
    """Python files over `limit` lines, relative path -> lines, outside the tests and migrations."""
    found: dict[str, int] = {}
    for top in sorted(root.iterdir()):  # not root.rglob: it would walk .venv and node_modules too
        if top.name in LONG_FILES_ALLOWED or top.name in NOT_SOURCE or top.name.startswith("."):
            continue
        for path in [top] if top.is_file() else sorted(top.rglob("*.py")):
            parts = path.relative_to(root).parts
            if path.suffix != ".py" or set(parts) & set(NOT_SOURCE):
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > limit:
                found["/".join(parts)] = lines
    return found


# --- the project ---------------------------------------------------------------------------------


def test_no_import_cycles() -> None:
    graph = import_graph(ROOT)
    assert "web.sockets" in graph and "app" in graph, "the module finder found none of the project"
    cycles = import_cycles(graph)
    assert not cycles, "import cycles (break each by moving what both need where it belongs):\n" + "\n".join(
        cycles
    )


def test_no_module_over_400_lines() -> None:
    found = long_modules(ROOT)
    assert not found, f"modules over {MAX_LINES} lines (split them by concern):\n" + "\n".join(
        f"{path}: {lines} lines" for path, lines in sorted(found.items())
    )


# --- the checks themselves -----------------------------------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_a_lazy_import_cycle_is_reported_by_name(tmp_path) -> None:
    root = _tree(tmp_path, {
        "web/__init__.py": "",
        "web/live.py": "def init():\n    from web.sockets import publish\n",
        "web/sockets.py": "from web.live import Watchers\n",
        "web/other.py": "import web.live\n",
    })  # fmt: skip
    graph = import_graph(root)
    assert graph["web.live"] == {"web.sockets"} and graph["web.sockets"] == {"web.live"}
    assert graph["web.other"] == {"web.live"}  # not the parent package `web`
    assert import_cycles(graph) == ["web.live → web.sockets → web.live"]


def test_the_blueprint_idiom_and_type_checking_imports_are_no_cycle(tmp_path) -> None:
    root = _tree(tmp_path, {
        "web/__init__.py": "",
        "web/pages/__init__.py": (
            "bp = object()\n\ndef init_pages():\n    from web.pages import runs, reports  # noqa\n"
            "    from . import admin\n"
        ),
        "web/pages/runs.py": "from web.pages import bp\n",
        "web/pages/reports.py": "from . import bp\n",
        "web/pages/admin.py": "from .. import pages\nfrom web.pages import bp\n",
        "services/__init__.py": "",
        "services/holdings.py": (
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from web.pages import runs\n"
            "else:\n    import services.runs\n"
        ),
        "services/runs.py": "import typing\nif typing.TYPE_CHECKING:\n    from services import holdings\n",
    })  # fmt: skip
    graph = import_graph(root)
    assert graph["web.pages"] == set()
    assert graph["web.pages.runs"] == graph["web.pages.reports"] == graph["web.pages.admin"] == {"web.pages"}
    assert graph["services.holdings"] == {"services.runs"} and graph["services.runs"] == set()
    assert import_cycles(graph) == []


def test_a_cycle_through_a_package_name_is_reported(tmp_path) -> None:
    # `from services import users` is the module services.users; `from services import db` (a name
    # defined in the package) is an edge to the package itself.
    root = _tree(tmp_path, {
        "services/__init__.py": "from services.users import db\n",
        "services/users.py": "from services.audit import record\n",
        "services/audit.py": "from services import db\n",
        "config/__init__.py": "",
        "config/settings.py": "from services import users\n",
    })  # fmt: skip
    graph = import_graph(root)
    assert graph["config.settings"] == {"services.users"}
    assert graph["services.audit"] == {"services"}
    assert import_cycles(graph) == []  # services -> services.users is the package's own submodule
    (root / "services/users.py").write_text("from services.audit import record\nimport config.settings\n")
    (root / "services/audit.py").write_text("from config import settings\n")
    assert import_cycles(import_graph(root)) == [
        "config.settings → services.users → config.settings"
    ]


def test_long_modules_are_named_with_their_lines(tmp_path) -> None:
    root = _tree(tmp_path, {
        "services/big.py": "x = 1\n" * 401,
        "services/fine.py": "x = 1\n" * 400,
        "bench/long.py": "x = 1\n" * 450,
        "app.py": "x = 1\n" * 402,
        "tests/test_long.py": "x = 1\n" * 999,
        "migrations/versions/0001.py": "x = 1\n" * 999,
    })  # fmt: skip
    assert long_modules(root) == {"app.py": 402, "bench/long.py": 450, "services/big.py": 401}
