"""Imports flow one way: each package imports only from the packages before it."""

from __future__ import annotations

import ast
from pathlib import Path

import leadspec

LAYERS = [
    "spec",
    "rules",
    "data",
    "conformance",
    "pilot",
    "sample",
    "render",
    "versions",
    "mkdocs_plugin",
    "macros",
    "site",
    "outputs",
    "cli",
    "launch",
]
PACKAGE = Path(leadspec.__file__).parent


def _layer(module: str) -> str:
    return module.split(".")[0]


def _imports(path: Path) -> set[str]:
    """Top-level leadspec modules that `path` imports."""
    rel = path.relative_to(PACKAGE).with_suffix("").parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(rel[: len(rel) - node.level])
                target = ".".join(base + ([node.module] if node.module else []))
                if not target and node.names:
                    target = node.names[0].name
            elif node.module and node.module.startswith("leadspec."):
                target = node.module.removeprefix("leadspec.")
            else:
                continue
            found.add(_layer(target))
        elif isinstance(node, ast.Import):
            found |= {
                _layer(a.name.removeprefix("leadspec.")) for a in node.names if a.name.startswith("leadspec.")
            }
    return found


def test_imports_flow_one_way() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        own = _layer(".".join(path.relative_to(PACKAGE).with_suffix("").parts))
        if own not in LAYERS:
            continue
        for target in _imports(path) - {own}:
            if target in LAYERS:
                assert LAYERS.index(target) < LAYERS.index(own), f"{path}: imports {target}"
