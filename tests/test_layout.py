"""The layout contract: store/ never imports Textual, no bare ``store``/``tui`` imports,
fixtures/ is data only, and an install puts nothing but ``newsbrowse/`` in site-packages;
and issue 15's house rules: no source file over 400 lines nor function over 60, no import
circle, and no side of the negotiation named in code (the codebook names them).

The house rules cover store/ and tui/. Where a file breaks one while its half of issue 15
is under way, it is listed below; each list may only shrink (an entry its file no
longer needs fails the test too, so that the list is emptied as the work lands).
"""

from __future__ import annotations

import ast
import io
import json
import re
import shutil
import subprocess
import sys
import tokenize
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


# issue 15's house rules -----------------------------------------------------------------------
HOUSE = ("store", "tui")
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60
PACKAGES = {"store": "newsbrowse.store", "tui": "newsbrowse.tui"}
CODEBOOK_LOADER = "store/ingest/codebook.py"


def _house_files() -> dict[str, Path]:
    return {str(p.relative_to(ROOT)): p for p in sorted(_python_files(*HOUSE))}


def test_no_source_file_over_400_lines() -> None:
    long = {
        name: n
        for name, path in _house_files().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_FILE_LINES
    }
    assert long == {}, long


def _functions(path: Path) -> dict[str, int]:
    """Every function and method of ``path`` (qualified by its class) with its length in
    lines, from ``def`` to its last line."""
    found: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                found[name] = max(found.get(name, 0), child.end_lineno - child.lineno + 1)  # type: ignore[operator]
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


def test_no_function_over_60_lines() -> None:
    long = {
        f"{name}:{function}": n
        for name, path in _house_files().items()
        for function, n in _functions(path).items()
        if n > MAX_FUNCTION_LINES
    }
    assert long == {}, long


def _module_name(name: str) -> str:
    parts = list(Path(name).with_suffix("").parts)
    parts[0] = PACKAGES[parts[0]]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _package_imports(module: str, path: Path, modules: set[str]) -> set[str]:
    """The package's modules ``module`` imports, at its top or inside a function (those
    under ``if TYPE_CHECKING:`` are for annotations only, and not counted)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    named: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for branch in child.orelse:
                    visit_one(branch)
            else:
                visit_one(child)

    def visit_one(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            origin = ".".join(base + [node.module or ""]).strip(".") if node.level else node.module
            named.add(origin or "")
            named.update(f"{origin}.{alias.name}" for alias in node.names)
        visit(node)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in named if m in modules and m != module}


def _circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def walk(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in order:
                walk(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], order[nxt])
        if low[node] == order[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in order:
            walk(node)
    return found


def test_the_circle_finder_finds_a_circle_and_ignores_a_line() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle_in_the_package() -> None:
    files = _house_files()
    modules = {_module_name(name): path for name, path in files.items()}
    graph = {m: _package_imports(m, path, set(modules)) for m, path in modules.items()}
    assert "newsbrowse.store.queries" in graph["newsbrowse.store.library"], "the walk works"
    circles = _circles(graph)
    assert circles == [], circles


def _side_slugs() -> list[str]:
    """The slugs of the negotiation's sides in the shipped codebook ("other" is a word)."""
    data = json.loads((ROOT / "fixtures" / "codebook.json").read_text(encoding="utf-8"))
    return [side["slug"] for side in data["sides"] if side["role"] != "other"]


def _names_a_side(path: Path, slugs: list[str]) -> list[int]:
    """The lines of ``path`` where a name or a string (docstrings included, comments
    not) holds a side's slug as a word."""
    word = re.compile(rf"(?<![A-Za-z0-9])(?:{'|'.join(map(re.escape, slugs))})(?![A-Za-z0-9])")
    tokens = tokenize.tokenize(io.BytesIO(path.read_bytes()).readline)
    return [
        tok.start[0]
        for tok in tokens
        if tok.type in (tokenize.NAME, tokenize.STRING) and word.search(tok.string)
    ]


def test_no_side_is_named_in_code_but_the_codebook_loader() -> None:
    """Sides are data (fixtures/codebook.json): a tool for another negotiation needs
    another codebook, not new code."""
    slugs = _side_slugs()
    assert len(slugs) == 2
    naming = {
        name: lines
        for name, path in _house_files().items()
        if name != CODEBOOK_LOADER and (lines := _names_a_side(path, slugs))
    }
    assert naming == {}, naming


def test_the_side_finder_sees_names_and_strings_not_comments(tmp_path: Path) -> None:
    slug = _side_slugs()[0]
    path = tmp_path / "sample.py"
    path.write_text(
        f"# {slug} in a comment\nx = '{slug}'\n{slug}_count = 1\ny = '{slug}n'\n",
        encoding="utf-8",
    )
    assert _names_a_side(path, [slug]) == [2, 3]
