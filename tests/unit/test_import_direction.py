"""Imports point one way: app wiring → handlers → render → services → storage.

Each first-party module is given a layer; a module may import its own layer or lower ones,
never a higher one. Handler modules share the handlers.common toolkit and never import one another.
Imports are read with ast (inside functions and TYPE_CHECKING blocks too), nothing is run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "storage")

# lower number = lower layer
BASE, STORAGE, SERVICES, RENDER, WIRING_TYPES, HANDLERS, APP = range(7)
BOT_TOP_LEVEL = {
    "bot": BASE,
    "bot.i18n": BASE,
    "bot.settings": BASE,
    "bot.logs": BASE,
    "bot.deps": WIRING_TYPES,
    "bot.app": APP,
    "bot.bootstrap": APP,
    "bot.console": APP,
    "bot.webhook": APP,
    "bot.digest_jobs": APP,
    "bot.ingest_jobs": APP,
    "bot.metrics": BASE,
    "bot.background": BASE,  # a low-priority worker thread (digest_jobs)
    "bot.single_process": BASE,
    "bot.health_server": APP,
    "bot.instrumented_app": APP,
    "bot.leadership_jobs": APP,
    "bot.linking_jobs": APP,
    "bot.demo": APP,  # the sample feed server of `briefbot chat --demo`
}


def layer_of(module: str) -> int:
    if module == "storage" or module.startswith("storage."):
        return STORAGE
    if module.startswith("bot.services"):
        return SERVICES
    if module.startswith("bot.render"):
        return RENDER
    if module == "handlers" or module.startswith("handlers."):
        return HANDLERS
    if module == "bot.cli" or module.startswith("bot.cli_"):
        return APP
    if module in BOT_TOP_LEVEL:
        return BOT_TOP_LEVEL[module]
    raise AssertionError(f"{module}: give this new module a layer in {__name__}")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def first_party_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from bot.render import digest` imports the module bot.render.digest
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES:
                found.add(name)
    return found


def _resolvable(name: str) -> bool:
    """`from bot.render import digest` names a module; `from bot.render.html import esc` names
    a function: keep only names that are files or packages."""
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def sources() -> list[Path]:
    return sorted(
        p
        for package in PACKAGES
        for p in (ROOT / package).rglob("*.py")
        if "migrations" not in p.parts
    )


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path: Path) -> None:
    me = module_name(path)
    mine = layer_of(me)
    upward = [
        name
        for name in sorted(first_party_imports(path))
        if _resolvable(name) and layer_of(name) > mine
    ]
    assert not upward, f"{me} (layer {mine}) imports higher layers: {upward}"


@pytest.mark.parametrize("path", sorted((ROOT / "handlers").glob("*.py")), ids=lambda p: p.name)
def test_handler_modules_do_not_import_each_other(path: Path) -> None:
    me = module_name(path)
    allowed = {me, "handlers", "handlers.common"}
    others = {
        name
        for name in first_party_imports(path)
        if name.startswith("handlers.")
        and _resolvable(name)
        and name not in allowed
        and not name.startswith("handlers.common.")
    }
    assert not others, f"{me} imports other handler modules: {sorted(others)}"


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The rule is not vacuous: a service importing render is reported."""
    fake = tmp_path / "x.py"
    fake.write_text("def f():\n    from bot.render.digest import render_digest\n")
    names = first_party_imports(fake)
    assert "bot.render.digest" in names
    assert layer_of("bot.render.digest") > layer_of("bot.services.digests.enqueue")
