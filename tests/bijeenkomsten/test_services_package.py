"""The services package's `__all__` is exactly what its callers use, and no caller reaches
past it into a module's private helpers (read from the project's source with ast)."""

import ast
import types
from pathlib import Path

from bijeenkomsten import services

PACKAGE = services.__name__
ROOT = Path(__file__).resolve().parents[2]
INSIDE = Path(services.__file__).resolve().parent


def _project_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or "node_modules" in parts or path.is_relative_to(INSIDE):
            continue
        yield path


def _uses_of_the_package():
    """(file, name) for every name the project takes from the package itself: imported
    from it, read from it as an attribute, or replaced on it by `setattr(module, "name", …)`.
    Also (file, "module.name") for private names imported from one of its modules."""
    for path in _project_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == PACKAGE:
                for alias in node.names:
                    yield path, alias.name
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACKAGE + "."):
                for alias in node.names:
                    if alias.name.startswith("_"):
                        yield path, f"{node.module}.{alias.name}"
            elif isinstance(node, ast.ImportFrom) and node.module == "bijeenkomsten":
                aliases |= {a.asname or a.name for a in node.names if a.name == "services"}
            elif isinstance(node, ast.Import):
                aliases |= {a.asname for a in node.names if a.name == PACKAGE and a.asname}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
            ):
                yield path, node.attr
            elif (
                isinstance(node, ast.Call)
                and len(node.args) >= 2
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id in aliases
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            ):
                yield path, node.args[1].value


def _is_private(name: str) -> bool:
    # Dunders (`services.__name__`, `__path__`) belong to every module.
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_every_name_in_all_exists_once():
    assert len(services.__all__) == len(set(services.__all__))
    missing = [name for name in services.__all__ if not hasattr(services, name)]
    assert not missing


def test_all_lists_every_public_name_the_package_binds():
    bound = {
        name
        for name, value in vars(services).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert bound == set(services.__all__)


def test_nothing_outside_the_package_uses_a_private_name_of_it():
    # Patching `services._lock` would change nothing: the modules call their own reference.
    # A control test that takes a lock away patches the module that calls it instead.
    private = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path, name in _uses_of_the_package()
        if _is_private(name.rpartition(".")[2])
    )
    assert not private


def test_all_is_exactly_what_the_callers_use():
    used = {
        name
        for _path, name in _uses_of_the_package()
        if not _is_private(name) and not name.startswith("__") and "." not in name
    }
    modules = {
        name for name, value in vars(services).items() if isinstance(value, types.ModuleType)
    }
    assert used - modules == set(services.__all__)
