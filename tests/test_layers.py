"""The house rules, checked on the source (in the manner of harlequin's import-hygiene test).

- textual only under tui/ui/; the core never loads it, also at run time (one exception:
  `paths` checking a config's `[keys]` or theme, tests/test_cli.py);
- SQL and sqlite3 only under tui/store/ (reading newsboat's own cache.db aside);
- httpx only where fetching lives;
- no import circles between the project's modules;
- no module over ~450 lines; no screen built on a class of the project's own (screens are
  composed of helpers);
- no untrusted text read as Rich markup by a widget or a toast.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tui"
MAX_LINES = 450

SQL_HOMES = ("tui/store/", "tui/interop/newsboat.py")
HTTPX_HOMES = (
    "tui/sources/fetch.py",
    "tui/sources/body.py",
    "tui/sources/transport.py",
    "tui/sources/network.py",
    "tui/sync/",
)
SQL = re.compile(r"\b(SELECT\s+\S.*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", re.I)

CORE = [
    "tui.config",
    "tui.models",
    "tui.text",
    "tui.store",
    "tui.store.thread",
    "tui.sources.feeds",
    "tui.sources.files",
    "tui.sources.fetch",
    "tui.content.readable",
    "tui.refresh.run",
    "tui.refresh.importing",
    "tui.offline.saving",
    "tui.offline.export",
    "tui.interop.opml",
    "tui.cli",
]


def modules() -> Iterator[tuple[str, Path]]:
    """(dotted name, path) of every module of the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        yield ".".join(parts), path


def where(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def imported(path: Path) -> set[str]:
    """Every module name an import statement of the file names (also inside functions)."""
    names: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def top_level_imports(path: Path) -> set[str]:
    """Project modules imported when the file is loaded (not inside functions or TYPE_CHECKING)."""
    names: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name == "tui" or name.startswith("tui.")}


def offenders(library: str, homes: tuple[str, ...]) -> list[str]:
    found = []
    for _, path in modules():
        uses = any(n == library or n.startswith(library + ".") for n in imported(path))
        if uses and not where(path).startswith(homes):
            found.append(where(path))
    return found


def test_textual_only_under_ui() -> None:
    assert offenders("textual", ("tui/ui/",)) == []


def test_sqlite_only_in_the_store() -> None:
    assert offenders("sqlite3", SQL_HOMES) == []


def test_sql_only_in_the_store() -> None:
    found = [
        where(path)
        for _, path in modules()
        if not where(path).startswith(SQL_HOMES) and SQL.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_httpx_only_where_fetching_lives() -> None:
    assert offenders("httpx", HTTPX_HOMES) == []


def test_no_import_circles() -> None:
    known = dict(modules())
    # A module always loads the packages above it first: those edges are not circles.
    graph = {
        name: {
            dep
            for dep in top_level_imports(path)
            if dep in known
            and not (name + ".").startswith(dep + ".")
            and not _names_a_submodule(dep, top_level_imports(path) & known.keys())
        }
        for name, path in known.items()
    }
    assert list(_cycles(graph)) == []


def _names_a_submodule(package: str, names: set[str]) -> bool:
    """`from tui.ui import images` names the module tui.ui.images, not the package's contents."""
    return any(name.startswith(package + ".") for name in names)


def _cycles(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """Each strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> Iterator[list[str]]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for dep in graph[node]:
            if dep not in index:
                yield from visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                yield sorted(group)

    for node in sorted(graph):
        if node not in index:
            yield from visit(node)


def test_modules_stay_small() -> None:
    long = {
        where(path): lines
        for _, path in modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_screens_are_composed_not_inherited() -> None:
    """No screen class has a base class of the project's own: a screen holds its helpers."""
    own = {
        node.name
        for _, path in modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    }
    chained = []
    for _, path in modules():
        if not where(path).startswith("tui/ui/screens/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {b.id for b in node.bases if isinstance(b, ast.Name)} & own
                if bases:
                    chained.append(f"{where(path)}: {node.name}({', '.join(sorted(bases))})")
    assert chained == []


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_every_ui_worker_reports_its_failure() -> None:
    """Workers start through `tui.ui.workers.background`, which shows a failure in one line:
    Textual's own `work` and `run_worker` with `exit_on_error=False` tell no one."""
    raw = re.compile(r"@work\b|\.run_worker\(")
    found = [
        f"{where(path)}:{number}"
        for _, path in modules()
        if where(path) != "tui/ui/workers.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if raw.search(line)
    ]
    assert found == []


MARKUP_WIDGETS = {"Label", "Static", "OptionList"}


def _markup_off(call: ast.Call) -> bool:
    """`markup=False`, or `markup=markup`: an override handing its caller's choice on."""
    return any(
        k.arg == "markup"
        and (
            (isinstance(k.value, ast.Constant) and k.value.value is False)
            or (isinstance(k.value, ast.Name) and k.value.id == "markup")
        )
        for k in call.keywords
    )


def _text_first(call: ast.Call) -> bool:
    """Built from a `rich.text.Text` (`Text(...)`, `Text.assemble(...)`): never markup."""
    first = call.args[0] if call.args else None
    func = first.func if isinstance(first, ast.Call) else None
    if isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, ast.Name) and func.id == "Text"


def test_untrusted_text_is_never_read_as_markup() -> None:
    """Textual reads a str given to a Label, a Static, an OptionList or a toast as markup: a
    source named `a [/] b` crashed the app, `[bold]Loud` came out bold. So each of these
    widgets is built with `markup=False` (or from a `Text`), and a toast whose message is not a
    string literal (or a module's constant) says `markup=False`."""
    found = []
    for _, path in modules():
        if not where(path).startswith("tui/ui/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ClassDef)
                and {b.id for b in node.bases if isinstance(b, ast.Name)} & MARKUP_WIDGETS
            ):
                calls = [
                    call
                    for call in ast.walk(node)
                    if isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "__init__"
                    and isinstance(call.func.value, ast.Call)  # super().__init__
                ]
                found += [f"{where(path)}:{c.lineno}" for c in calls if not _markup_off(c)]
            if not isinstance(node, ast.Call) or _markup_off(node):
                continue
            func = node.func
            built = isinstance(func, ast.Name) and func.id in MARKUP_WIDGETS
            toast = isinstance(func, ast.Attribute) and func.attr == "notify"
            said = node.args[0] if node.args else None
            literal = isinstance(said, ast.Constant) or (
                isinstance(said, ast.Name) and said.id.isupper()  # a module's constant
            )
            if (built and not _text_first(node)) or (toast and not literal):
                found.append(f"{where(path)}:{node.lineno}")
    assert found == [], found
