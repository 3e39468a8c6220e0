"""The layout contract: store/ never imports Textual, no bare ``store``/``tui`` imports,
fixtures/ is data only, and an install puts nothing but ``newsbrowse/`` in site-packages.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("store", "tui", "tests")
SOURCES = ("pyproject.toml", "README.md", "store", "tui", "fixtures")


def _python_files(*folders: str) -> list[Path]:
    files = [p for folder in folders for p in (ROOT / folder).rglob("*.py")]
    return [p for p in files if "__pycache__" not in p.parts and "snapshots" not in p.parts]


def _imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_store_never_imports_textual() -> None:
    files = _python_files("store")
    assert len(files) > 10
    offenders = {
        str(p.relative_to(ROOT)): m
        for p in files
        for m in _imported_modules(p)
        if m.split(".")[0] == "textual"
    }
    assert offenders == {}


def test_code_imports_the_namespaced_package_only() -> None:
    offenders = {
        str(p.relative_to(ROOT)): m
        for p in _python_files(*CODE_DIRS)
        for m in _imported_modules(p)
        if m.split(".")[0] in {"store", "tui", "fixtures"}
    }
    assert offenders == {}


def test_fixtures_hold_data_only() -> None:
    files = [p for p in (ROOT / "fixtures").rglob("*") if p.is_file()]
    assert files
    code = [p.name for p in files if p.suffix in {".py", ".pyc", ".pyx", ".so", ".sh"}]
    assert code == []


def test_fixture_seeds_are_the_shared_seeds_byte_for_byte() -> None:
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout (a clean clone elsewhere)")
    for seed in sorted(shared.glob("*.txt")):
        assert (ROOT / "fixtures" / "articles" / seed.name).read_bytes() == seed.read_bytes()


@pytest.mark.slow
def test_install_puts_only_newsbrowse_in_site_packages(tmp_path: Path) -> None:
    """Build the wheel from a copy of the sources and install it, as `pip install .` does."""
    src = tmp_path / "src"
    for name in SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(origin, src / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    wheels = tmp_path / "wheels"
    subprocess.run([*pip, "wheel", "--no-deps", str(src), "-w", str(wheels)], check=True)
    (wheel,) = wheels.glob("newsbrowse-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert {n.split("/")[0] for n in names} == {
        "newsbrowse",
        wheel.name.split("-py")[0] + ".dist-info",
    }
    for shipped in ("fixtures/codebook.json", "fixtures/actors.json", "store/library.py"):
        assert f"newsbrowse/{shipped}" in names
    assert len([n for n in names if n.startswith("newsbrowse/fixtures/articles/")]) == 5

    site = tmp_path / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)], check=True
    )
    top = {p.name for p in site.iterdir() if p.name not in {"bin"}}
    assert {n for n in top if not n.endswith(".dist-info")} == {"newsbrowse"}
    assert (site / "bin" / "newsbrowse").is_file()
