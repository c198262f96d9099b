"""The house's walls, read from the source with ast: sonar/core imports no app, an app never
imports another app's private (underscored) names, and no module takes part in an import loop,
lazy imports inside functions included."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SONAR = ROOT / "sonar"
APPS = ("quiz", "atlas", "journeys", "logbook", "workshops", "accounts")

# Known exceptions, each owned by a branch that removes it; the lead deletes the line when
# that branch lands (the test then guards the rule whole).
CORE_IMPORTS_ALLOWED = set()
PRIVATE_IMPORTS_ALLOWED = set()

pytestmark = pytest.mark.engine_independent


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules():
    """{module name: parsed tree} of every module of sonar/ (migrations aside: they are
    history, written against the apps of their time)."""
    return {
        module_name(path): ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(SONAR.rglob("*.py"))
        if "migrations" not in path.parts
    }


MODULES = modules()


def app_of(name):
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "sonar" else None


def package_of(name):
    is_package = (ROOT / Path(*name.split(".")) / "__init__.py").exists()
    return name if is_package else name.rpartition(".")[0]


def imports(name, tree):
    """Every name this module imports, anywhere in it, as full dotted names: `from a.b import
    c` gives a.b.c (a module or a name inside a.b)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = package_of(name).split(".")
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            found += [f"{base}.{alias.name}" for alias in node.names]
    return found


def private_attributes(name, tree):
    """`module._name` where `module` was imported from another app: reaching in by attribute."""
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            yield f"{bound[node.value.id]}.{node.attr}"


def unexpected(found, allowed):
    """The pairs (module, import) not covered by a known exception (module, dotted prefix)."""
    return {
        (name, target)
        for name, target in found
        if not any(
            name == module and (target == prefix or target.startswith(prefix + "."))
            for module, prefix in allowed
        )
    }


def test_core_imports_no_app():
    found = {
        (name, target)
        for name, tree in MODULES.items()
        if app_of(name) == "core"
        for target in imports(name, tree)
        if app_of(target) in APPS
    }
    assert unexpected(found, CORE_IMPORTS_ALLOWED) == set()


def test_an_app_never_imports_another_apps_private_names():
    found = set()
    for name, tree in MODULES.items():
        owner = app_of(name)
        if owner not in APPS:
            continue
        targets = imports(name, tree) + list(private_attributes(name, tree))
        for target in targets:
            other = app_of(target)
            private = any(
                part.startswith("_") and not part.startswith("__") for part in target.split(".")
            )
            if other in APPS and other != owner and private:
                found.add((name, target))
    assert unexpected(found, PRIVATE_IMPORTS_ALLOWED) == set()


def graph():
    """{module: modules it imports}, within sonar/, lazy imports included."""
    edges = {}
    for name, tree in MODULES.items():
        targets = set()
        for target in imports(name, tree):
            if target in MODULES:
                targets.add(target)
            elif target.rpartition(".")[0] in MODULES:  # a name inside a module
                targets.add(target.rpartition(".")[0])
        edges[name] = targets - {name}
    return edges


def cycles(edges):
    """The strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_module_takes_part_in_an_import_loop():
    assert cycles(graph()) == []


def test_the_atlas_search_depends_on_the_atlas_models_and_not_the_reverse():
    edges = graph()
    assert "sonar.atlas.models" in edges["sonar.atlas.search.index"]
    assert not any(t.startswith("sonar.atlas.search") for t in edges["sonar.atlas.models"])


# The guards themselves: each finds what it is meant to find.


def test_the_guards_see_a_lazy_import_of_an_app_from_core():
    tree = ast.parse("def f():\n    from sonar.quiz.models import Result\n")
    assert any(app_of(t) == "quiz" for t in imports("sonar.core.views", tree))


def test_the_guards_see_a_private_name_reached_by_attribute():
    tree = ast.parse("from sonar.quiz import data\n\ndef f():\n    return data._cache\n")
    assert list(private_attributes("sonar.workshops.views", tree)) == ["sonar.quiz.data._cache"]


def test_the_guards_see_a_loop():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
