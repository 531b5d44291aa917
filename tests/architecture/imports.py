"""The project's own import graph, read from the source (nothing is imported).

Used by the layer contract (``test_layers.py``): every module of the apps, the
modules each one imports (top level and inside functions), and the import
cycles among them.
"""
import ast
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Package name → folder (the project package and the portal app live under site/).
PACKAGES = {
    "officers": "officers", "courses": "courses", "casebank": "casebank", "exams": "exams",
    "search": "search", "portal": "site/portal", "config": "site/config",
}
SKIPPED_DIRS = {"migrations", "tests", "locale", "templates", "static", "__pycache__"}
#: A comment that states why an import sits inside a function (on its line or the line above).
REASON_MARK = "# deferred:"


@dataclass
class Import:
    source: str  # importing module
    target: str  # imported project module
    line: int
    inner: bool  # inside a function
    function: str = ""
    reason: str = ""


@dataclass
class Graph:
    modules: dict = field(default_factory=dict)  # name → path
    imports: list = field(default_factory=list)

    def edges(self):
        out = {m: set() for m in self.modules}
        for imp in self.imports:
            out[imp.source].add(imp.target)
        return out


def module_name(root, package, folder, path):
    rel = path.relative_to(root / folder).with_suffix("")
    parts = [package, *rel.parts]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def discover(root=ROOT, packages=PACKAGES):
    modules = {}
    for package, folder in packages.items():
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            if SKIPPED_DIRS.intersection(path.relative_to(base).parts[:-1]):
                continue
            modules[module_name(root, package, folder, path)] = path
    return modules


def _resolve(name, modules):
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name


def _reason(lines, lineno):
    for text in (lines[lineno - 1], lines[lineno - 2] if lineno >= 2 else ""):
        if REASON_MARK in text:
            return text.split(REASON_MARK, 1)[1].strip()
    return ""


def read_imports(name, path, modules):
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    inner_nodes = {}
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    inner_nodes.setdefault(id(node), fn.name)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            candidates = [f"{base}.{alias.name}" for alias in node.names] or [base]
        else:
            continue
        inner = id(node) in inner_nodes
        targets = {_resolve(c, modules) for c in candidates}
        targets.discard("")
        targets.discard(name)
        reason = _reason(lines, node.lineno) if inner else ""
        if inner and not targets:  # an inner import of a library still counts as an inner import
            found.append(Import(name, "", node.lineno, True, inner_nodes[id(node)], reason))
        for target in sorted(targets):
            found.append(Import(name, target, node.lineno, inner, inner_nodes.get(id(node), ""), reason))
    return found


def build(root=ROOT, packages=PACKAGES):
    graph = Graph(modules=discover(root, packages))
    for name, path in graph.modules.items():
        graph.imports.extend(read_imports(name, path, graph.modules))
    return graph


def inner_imports(graph):
    """One entry per import statement inside a function."""
    seen, out = set(), []
    for imp in graph.imports:
        if imp.inner and (imp.source, imp.line) not in seen:
            seen.add((imp.source, imp.line))
            out.append(imp)
    return out


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    edges = {m: sorted(t for t in targets if t) for m, targets in graph.edges().items()}
    index, low, on_stack, stack, result, counter = {}, {}, set(), [], [], [0]
    for start in edges:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter[0]
                counter[0] += 1
                stack.append(node)
                on_stack.add(node)
            recurse = False
            for j in range(i, len(edges[node])):
                nxt = edges[node][j]
                if nxt not in index:
                    work.append((node, j + 1))
                    work.append((nxt, 0))
                    recurse = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if recurse:
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == node:
                        break
                if len(component) > 1:
                    result.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return result


def matches(module, patterns):
    return any(module == p or fnmatch.fnmatchcase(module, p) for p in patterns)
