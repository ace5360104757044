"""The demo is an app of its own: it may import every process, no process
(nor the engine) imports it, and no process keeps demo data of its own."""

import ast
from pathlib import Path

from django.conf import settings

PACKAGES = ("workflows", "ballots", "awards", "evaluations")


def _imports(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_no_process_imports_the_demo():
    offenders = []
    for package in PACKAGES:
        for path in (Path(settings.BASE_DIR) / package).rglob("*.py"):
            offenders += [f"{path.relative_to(settings.BASE_DIR)}: {name}" for name in _imports(path)
                          if name == "demo" or name.startswith("demo.")]
    assert offenders == []


def test_no_process_keeps_a_demo_module():
    found = [str(path.relative_to(settings.BASE_DIR)) for package in PACKAGES
             for path in (Path(settings.BASE_DIR) / package).rglob("demo*.py")]
    assert found == []
