"""The apps' layers (docs/architecture.md; pyproject.toml, [tool.importlinter]): every import points down, and
no project module is imported inside a function, where a circle between apps could hide."""

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
APPS = CONFIG["root_packages"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _project_module(name, level):
    return level > 0 or name.split(".")[0] in APPS


def _function_level_imports(path):
    """(line, module) of each import of a project module inside a function, except an AppConfig's ready()
    (where Django wants signal modules imported)."""
    tree = ast.parse(path.read_text())
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if function.name == "ready" and path.name == "apps.py":
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and _project_module(node.module or "", node.level):
                found.append((node.lineno, "." * node.level + (node.module or "")))
            elif isinstance(node, ast.Import):
                found += [(node.lineno, alias.name) for alias in node.names if _project_module(alias.name, 0)]
    return found


def test_no_project_module_is_imported_inside_a_function():
    hidden = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or ("management" in parts and "commands" in parts):
                continue
            hidden += [
                f"{path.relative_to(ROOT)}:{line} imports {module}" for line, module in _function_level_imports(path)
            ]
    assert hidden == []


def test_every_app_is_in_a_layer():
    """A new app left out of the contract would be checked by nothing."""
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"schoolsite"}
    in_layers = {name.strip() for layer in CONFIG["contracts"][0]["layers"] for name in layer.split("|")}
    assert apps == set(APPS) == in_layers


def _lint_imports(cwd):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is installed by requirements-dev.txt")
def test_the_contracts_are_kept_and_an_import_pointing_up_breaks_them(tmp_path):
    kept = _lint_imports(ROOT)
    assert kept.returncode == 0, kept.stdout

    # A copy of the project where the lowest app imports one above it: the layers contract must fail.
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    privacy = tmp_path / "core" / "privacy.py"
    privacy.write_text(privacy.read_text() + "\nfrom policypages.models import PolicyPage  # noqa: E402,F401\n")
    broken = _lint_imports(tmp_path)
    assert broken.returncode != 0
    assert "core is not allowed to import policypages" in broken.stdout
