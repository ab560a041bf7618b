"""Blueprints are leaves: no module defining a Blueprint imports another such module, and only
:mod:`playground.web.templating` gives the templates their globals and filters."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "playground"

#: The blueprints the app has today: the scan must find at least these (else it finds nothing).
KNOWN_BLUEPRINT_MODULES = {
    "playground.web.page",
    "playground.web.send",
    "playground.web.share",
    "playground.web.snippet",
    "playground.web.call",
    "playground.mock.routes",
}
#: Calls that register a template global, filter, test or context processor.
TEMPLATE_REGISTRATIONS = {
    "add_template_global",
    "add_template_filter",
    "add_template_test",
    "add_app_template_global",
    "add_app_template_filter",
    "add_app_template_test",
    "app_template_global",
    "app_template_filter",
    "app_template_test",
    "app_context_processor",
    "context_processor",
    "template_global",
    "template_filter",
    "template_test",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _trees() -> dict[str, ast.Module]:
    return {
        _module_name(path): ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _is_package(module: str) -> bool:
    return (PACKAGE.parent / module.replace(".", "/") / "__init__.py").is_file()


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _defines_blueprint(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Call) and _called_name(node) == "Blueprint" for node in ast.walk(tree)
    )


def _imported(module: str, tree: ast.Module) -> set[str]:
    """Give every module ``module`` imports, anywhere in it (``from a import b`` gives ``a``
    and ``a.b``: ``b`` may be a module)."""
    package = module if _is_package(module) else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_the_scan_finds_every_blueprint_module() -> None:
    blueprints = {name for name, tree in _trees().items() if _defines_blueprint(tree)}
    assert blueprints >= KNOWN_BLUEPRINT_MODULES
    assert "playground.web.state" not in blueprints


def test_no_blueprint_module_imports_another() -> None:
    trees = _trees()
    blueprints = {name for name, tree in trees.items() if _defines_blueprint(tree)}
    crossings = {
        module: sorted((_imported(module, trees[module]) & blueprints) - {module})
        for module in sorted(blueprints)
    }
    assert {module: found for module, found in crossings.items() if found} == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from playground.web import page", {"playground.web", "playground.web.page"}),
        ("import playground.web.send", {"playground.web.send"}),
        ("from .page import bp", {"playground.web.page", "playground.web.page.bp"}),
        ("from ..mock import routes", {"playground.mock.routes"}),
        ("def f():\n    from playground.web.share import x", {"playground.web.share"}),
    ],
)
def test_the_import_reader_sees_every_form(source: str, expected: set[str]) -> None:
    assert expected <= _imported("playground.web.call", ast.parse(source))


def test_a_package_reads_its_relative_imports_from_itself() -> None:
    assert "playground.web.page" in _imported("playground.web", ast.parse("from . import page"))


def test_only_templating_registers_template_names() -> None:
    registering = set()
    for module, tree in _trees().items():
        for node in ast.walk(tree):
            called = isinstance(node, ast.Call) and _called_name(node) in TEMPLATE_REGISTRATIONS
            decorated = isinstance(node, ast.Attribute) and node.attr in TEMPLATE_REGISTRATIONS
            if (
                called
                or decorated
                or (isinstance(node, ast.Attribute) and node.attr == "jinja_env")
            ):
                registering.add(module)
    assert registering == {"playground.web.templating"}
